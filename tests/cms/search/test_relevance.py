"""Ranking: German compounds and inflections, title before text — on both backends."""

import pytest

from .test_search_pages import hit_titles

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        # A compound in the index, its parts in the query, and the other way round.
        ("Service für Kunden", {"Service für Kunden verbessern", "Kundenservice im Handwerk"}),
        ("Kundenservice", {"Kundenservice im Handwerk"}),
        # Inflected forms: plural query, singular text and back.
        ("Anfrage", {"Kundenservice im Handwerk"}),
        ("Rechenzentrum", {"Was ist eine Cloud?", "Cloud"}),
        ("Clouds", {"Was ist eine Cloud?", "Cloud"}),
        ("Tischlereien", {"Kundenservice im Handwerk"}),
    ],
)
def test_the_expected_item_comes_first(site, client, query, expected_first):
    titles = hit_titles(client.get("/de/suche/", {"q": query}))

    assert titles, f"nothing found for {query!r}"
    assert titles[0] in expected_first


def test_kundenservice_finds_the_unit_about_service_for_customers(site, client):
    titles = hit_titles(client.get("/de/suche/", {"q": "Kundenservice"}))

    assert titles[:2] == ["Kundenservice im Handwerk", "Service für Kunden verbessern"]


def test_a_title_match_ranks_above_a_match_in_the_text(site, client):
    # "Cloud" is the term's and the video's title; the unit never mentions it.
    titles = hit_titles(client.get("/de/suche/", {"q": "Cloud"}))

    assert set(titles[:2]) == {"Cloud", "Was ist eine Cloud?"}
