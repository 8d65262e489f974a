"""The relevance set: queries a visitor would type on the demo site, each with the items a
person who knows the content would expect among the first three results.

The demo is loaded once for the whole set (one test: loading it takes a while), and a miss
lists every query that failed rather than stopping at the first. It runs on both backends:
PostgreSQL full-text search in the CI's services run, SQLite on the embedded default.
"""

import re

import pytest

from cms.search.indexing import rebuild

from .test_search_pages import hit_titles

pytestmark = pytest.mark.django_db

EPISODE_JOINERY = "Die Tischlerei ohne Zettelwirtschaft"
EPISODE_PRIVACY = "Datenschutz im Kundenservice"
EPISODE_AI = "Künstliche Intelligenz in der Produktion"
VIDEO_CLOUD = "Was ist eine Cloud?"
VIDEO_2FA = "Zwei-Faktor-Authentisierung in 30 Sekunden"
UNIT_SOCIAL = "Social Media für den Betrieb: der erste Schritt"
UNIT_AI = "KI im Kundenservice ausprobieren"
PATH = "Digital sichtbar und serviceorientiert"

# (query, any of these among the first three results)
GERMAN = [
    ("Tischlerei", {EPISODE_JOINERY}),
    ("Zettelwirtschaft", {EPISODE_JOINERY}),
    ("Datenschutz", {EPISODE_PRIVACY}),
    ("DSGVO", {EPISODE_PRIVACY}),  # only in the episode's summary
    ("Künstliche Intelligenz", {EPISODE_AI}),
    ("Verpackungen", {EPISODE_AI}),
    ("Lebensmittelhersteller", {EPISODE_AI}),
    ("Cloud", {"Cloud", VIDEO_CLOUD}),
    ("Wolke", {"Cloud"}),  # a synonym of the key term
    ("Backup", {"Datensicherung"}),  # a synonym
    ("2FA", {"Zwei-Faktor-Authentisierung", VIDEO_2FA}),  # a synonym and a caption
    ("Zwei-Faktor-Authentifizierung", {"Zwei-Faktor-Authentisierung"}),  # a synonym
    ("Rechenzentren", {"Rechenzentrum"}),  # plural synonym
    ("Phishing", {"Phishing", VIDEO_2FA}),
    ("Passwort", {VIDEO_2FA, "Zwei-Faktor-Authentisierung"}),
    ("Social Media", {UNIT_SOCIAL}),
    ("Kundenservice", {UNIT_AI, EPISODE_PRIVACY}),
    ("Service für Kunden", {UNIT_AI, EPISODE_PRIVACY}),  # the compound, split
    ("serviceorientiert", {PATH}),
    ("Pilot", {UNIT_AI}),  # a step's title
    ("Beitrag planen", {UNIT_SOCIAL}),
    ("Jonas Albrecht", {EPISODE_JOINERY, EPISODE_AI}),  # the guest
    ("Sabine Reuter", {EPISODE_PRIVACY}),
    ("im eigenen Büro", {VIDEO_CLOUD}),  # only in the captions
    ("Schalten Sie 2FA überall ein", {VIDEO_2FA}),  # only in the captions
]
ENGLISH = [
    ("joinery", {"The joinery without paper chaos"}),
    ("data protection", {"Data protection in customer service"}),
    ("GDPR", {"Data protection in customer service"}),
    ("artificial intelligence", {"Artificial intelligence in production"}),
    ("packaging", {"Artificial intelligence in production"}),
    ("backups", {"Backup"}),
    ("data center", {"Data centre"}),  # the American spelling is a synonym
    ("two-step verification", {"Two-factor authentication"}),  # a synonym
    ("cloud computing", {"Cloud"}),
    ("social media", {"Social media for your business: the first step"}),
    ("customer service", {"Trying out AI in customer service"}),
    ("You still need a backup", {"What is a cloud?"}),  # only in the English captions
    ("enquiries faster", {"Visible online, quick to answer"}),  # the path's intro
]


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
