"""The results pages /de/suche/ and /en/search/ as a visitor uses them."""

import re

import pytest
from django.db import connection

from cms.search.models import SearchQueryCount

pytestmark = pytest.mark.django_db


def hit_titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="search-hit__title"><a href="[^"]*">([^<]+)</a>', html)


def test_a_transcript_sentence_links_to_its_minute(site, client):
    response = client.get("/de/suche/", {"q": "Messenger"})

    html = response.content.decode()
    assert hit_titles(response) == ["Kundenservice im Handwerk"]
    assert 'href="/de/podcast/kundenservice/?t=754"' in html
    assert '<time datetime="PT754S">12:34</time>' in html
    assert (
        "Seit dem Frühjahr beantworten wir Anfragen per <mark>Messenger-Chat</mark>" in html
        or (
            "<mark>Messenger</mark>" in html
            and "Seit dem Frühjahr beantworten wir Anfragen" in html
        )
    )


def test_a_caption_sentence_links_to_its_second_in_the_video(site, client):
    response = client.get("/de/suche/", {"q": "Frankfurt"})

    html = response.content.decode()
    assert hit_titles(response) == ["Was ist eine Cloud?"]
    assert f'href="{site["video"].url}?t=65"' in html
    assert "1:05" in html
    assert "Die Cloud speichert Daten in einem Rechenzentrum in <mark>Frankfurt</mark>." in html


def test_each_kind_is_found_with_its_label_level_and_topic(site, client):
    response = client.get("/de/suche/", {"q": "Kunden"})

    html = response.content.decode()
    titles = hit_titles(response)
    assert {"Kundenservice im Handwerk", "Service für Kunden verbessern"} <= set(titles)
    assert 'Folge</span><span class="search-hit__level">Einstieg' in html
    assert "Selbstlerneinheit</span>" in html
    assert "Kundenbeziehungen</span>" in html


def test_a_key_term_is_found_by_its_synonym_and_links_to_its_entry(site, client):
    response = client.get("/de/suche/", {"q": "Wolke"})

    html = response.content.decode()
    assert hit_titles(response)[0] == "Cloud"
    assert f'href="{site["glossary"].url}?letter=c#begriff-cloud"' in html


def test_a_learning_path_is_found_by_its_title(site, client):
    assert hit_titles(client.get("/de/suche/", {"q": "Digital starten"}))[0] == "Digital starten"


def test_each_language_finds_only_its_own_pages(site, client):
    english = hit_titles(client.get("/en/search/", {"q": "customer service"}))
    german = hit_titles(client.get("/de/suche/", {"q": "customer service"}))

    assert english == ["Customer service in small businesses"]
    assert "Customer service in small businesses" not in german
    assert "Kundenservice im Handwerk" not in english


@pytest.mark.parametrize("query", ["Geheimprojekt", "Geheimkanal", "Lagerlogistik", "Robotik"])
def test_restricted_draft_and_scheduled_episodes_are_never_found(site, client, query):
    response = client.get("/de/suche/", {"q": query})
    suggestions = client.get("/de/suche/vorschlaege/", {"q": query}).json()

    assert hit_titles(response) == []
    assert "Zu Ihrer Suche wurde nichts gefunden." in response.content.decode()
    assert suggestions["suggestions"] == []


def test_a_page_restricted_after_indexing_disappears_at_once(site, client):
    from wagtail.models import PageViewRestriction

    # Even before the index is updated (the signal runs after the commit), the search
    # checks restrictions itself.
    PageViewRestriction.objects.create(
        page=site["show"], restriction_type=PageViewRestriction.LOGIN
    )
    assert hit_titles(client.get("/de/suche/", {"q": "Messenger"})) == []


def test_filters_by_kind_topic_and_level_are_shareable_links(site, client):
    only_units = client.get("/de/suche/", {"q": "Kunden", "kind": "unit"})
    by_topic = client.get("/de/suche/", {"q": "Kunden", "topic": "kundenbeziehungen"})
    by_level = client.get("/de/suche/", {"q": "Kunden", "level": "fortgeschritten"})

    assert hit_titles(only_units) == ["Service für Kunden verbessern"]
    # The path has the topics of its units.
    assert set(hit_titles(by_topic)) == {
        "Kundenservice im Handwerk",
        "Service für Kunden verbessern",
        "Digital starten",
    }
    # The unit spans "Einstieg" to "Fortgeschritten"; the episode is only "Einstieg".
    assert hit_titles(by_level) == ["Service für Kunden verbessern"]


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE site_search_searchdocument; --",
        "<script>alert(1)</script>",
        "!!! & | :* ( ) <->",
        '"unterminated',
        "a" * 5000,
        "Kunden\x00Service",
        "-",
        "OR AND NOT",
    ],
)
def test_hostile_queries_give_a_page_not_an_error(site, client, query):
    response = client.get("/de/suche/", {"q": query})
    suggestions = client.get("/de/suche/vorschlaege/", {"q": query})

    assert response.status_code == 200
    assert suggestions.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_an_empty_query_asks_for_a_word_and_points_to_starting_points(site, client):
    response = client.get("/de/suche/", {"q": "   "})

    html = response.content.decode()
    assert "Bitte geben Sie ein Wort ein, nach dem gesucht werden soll." in html
    assert 'href="/de/lernangebote/"' in html  # the catalogue
    assert f'href="{site["glossary"].url}"' in html


def test_a_query_of_only_signs_says_so(site, client):
    response = client.get("/de/suche/", {"q": "?!…"})

    assert "Ihre Suche enthält kein Wort" in response.content.decode()


def test_a_typo_gets_a_did_you_mean_link(site, client):
    response = client.get("/de/suche/", {"q": "Kundenservise"})

    html = response.content.decode()
    assert "Meinten Sie" in html
    assert 'href="?q=kundenservice"' in html


def test_results_are_paginated(standard_pages, client):
    first = client.get("/de/suche/", {"q": "Förderprogramm"})
    second = client.get("/de/suche/", {"q": "Förderprogramm", "page": 2})

    assert len(hit_titles(first)) == 10
    assert len(hit_titles(second)) == 2
    assert set(hit_titles(first)).isdisjoint(hit_titles(second))
    assert "12 Ergebnisse" in first.content.decode()
    assert 'rel="next"' in first.content.decode()


def test_the_english_page_speaks_english(site, client):
    response = client.get("/en/search/", {"q": "chat"})

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "1 result for “chat”" in html
    assert "?t=123" in html


def test_suggestions_carry_the_minute(site, client):
    data = client.get("/de/suche/vorschlaege/", {"q": "Messeng"}).json()

    assert data["suggestions"][0] == {
        "title": "Kundenservice im Handwerk",
        "kind": "Folge",
        "url": "/de/podcast/kundenservice/?t=754",
        "time": "12:34",
        "text": "Seit dem Frühjahr beantworten wir Anfragen per Messenger-Chat.",
    }


def test_counts_keep_no_query_text_until_it_was_asked_three_times(site, client):
    for _ in range(2):
        client.get("/de/suche/", {"q": "Förderung Zuschuss"})
    row = SearchQueryCount.objects.get()
    assert (row.query, row.count, row.without_results) == ("", 2, 2)
    assert "zuschuss" not in row.digest

    client.get("/de/suche/", {"q": "förderung  Zuschuss"})
    row.refresh_from_db()
    assert (row.query, row.count) == ("förderung zuschuss", 3)


def test_the_report_shows_only_queries_asked_five_times(site, client, admin_client):
    for _ in range(5):
        admin_client.get("/de/suche/", {"q": "Förderung"})
    for _ in range(4):
        admin_client.get("/de/suche/", {"q": "Rechnung digital"})

    html = admin_client.get("/admin/search/queries/").content.decode()
    assert "förderung" in html
    assert "rechnung digital" not in html


def test_editors_and_moderators_see_the_report_other_admin_users_do_not(
    site, client, django_user_model
):
    from django.contrib.auth.models import Group, Permission

    user = django_user_model.objects.create_user("praktikant", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/search/queries/").status_code == 403

    for name in ("Editors", "Moderators"):
        member = django_user_model.objects.create_user(f"team-{name}", password="pw")
        member.groups.add(Group.objects.get(name=name))
        client.force_login(member)
        assert client.get("/admin/search/queries/").status_code == 200
        assert "/admin/search/queries/" in client.get("/admin/").content.decode()  # menu


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_postgres_stemming_finds_inflected_words(site, client):
    from cms.search.indexing import rebuild
    from tests.cms.factories import StandardPageFactory

    for page in (
        StandardPageFactory(parent=site["home"], title="Das eigene Haus", intro="Ein Gebäude."),
    ):
        page.save_revision().publish()
    rebuild()

    # German stemming: "Häuser" → "haus" (no substring of "Haus" would find it).
    assert hit_titles(client.get("/de/suche/", {"q": "Häuser"})) == ["Das eigene Haus"]
    # English stemming: "businesses" and "business" are one word.
    assert hit_titles(client.get("/en/search/", {"q": "business"})) == [
        "Customer service in small businesses"
    ]
