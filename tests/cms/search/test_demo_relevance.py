"""The relevance set: queries a visitor would type on the demo site, each with the items a
person who knows the content would expect among the first three results.

The demo is loaded once for the whole set (one test: loading it takes a while), and a miss
lists every query that failed rather than stopping at the first. It runs on both backends:
PostgreSQL full-text search in the CI's services run, SQLite on the embedded default.
"""

import re

import pytest

from cms.search.indexing import rebuild
from cms.search.relevance import ENGLISH, GERMAN

from .test_search_pages import hit_titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed_demo(demo_site):
    # The index follows publishing after each commit; a test's transaction never commits.
    rebuild()
    return demo_site


def misses(client, path, cases):
    found = {}
    for query, expected in cases:
        titles = hit_titles(client.get(path, {"q": query}))
        if not expected & set(titles[:3]):
            found[query] = titles[:3]
    return found


def test_the_relevance_set_on_the_demo_content(indexed_demo, client):
    assert len(GERMAN) + len(ENGLISH) >= 30
    assert {
        "de": misses(client, "/de/suche/", GERMAN),
        "en": misses(client, "/en/search/", ENGLISH),
    } == {"de": {}, "en": {}}

    # A phrase only the captions hold links to the moment it is said.
    html = client.get("/de/suche/", {"q": "im eigenen Büro"}).content.decode()
    assert re.search(r'href="[^"]*was-ist-eine-cloud/\?t=\d+"', html)

    # A typo gets the right "Meinten Sie …?".
    html = client.get("/de/suche/", {"q": "Tischlerai"}).content.decode()
    assert re.search(r"Meinten Sie.{0,300}Tischlerei", html, re.S | re.I)
