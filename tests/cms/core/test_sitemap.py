"""sitemap.xml: every live public page in both languages, with hreflang alternates, cached
until the page tree changes."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from wagtail.models import Locale, PageViewRestriction

from cms.core.models import StandardPage

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Generations repeat between tests (rolled back): cached sitemaps must not leak."""
    caches[settings.FEED_CACHE_ALIAS].clear()


def _publish(parent, title, slug, english_title=None):
    page = parent.add_child(instance=StandardPage(title=title, slug=slug, locale=parent.locale))
    page.save_revision().publish()
    if english_title:
        copy = page.copy_for_translation(Locale.objects.get(language_code="en"))
        copy.title, copy.slug = english_title, f"{slug}-en"
        copy.save_revision().publish()
    return page


def _sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href")
            for link in url.findall("x:link[@rel='alternate']", NS)
        }
        for url in root.findall("s:url", NS)
    }


def test_english_pages_are_listed_with_hreflang_alternates(home_pages, client):
    home, _english = home_pages
    _publish(home, "Über uns", "ueber-uns", english_title="About us")

    urls = _sitemap(client)

    german, english = "http://testserver/de/ueber-uns/", "http://testserver/en/ueber-uns-en/"
    assert {"http://testserver/de/", "http://testserver/en/", german, english} <= set(urls)
    expected = {"de": german, "en": english, "x-default": german}
    assert urls[german] == urls[english] == expected


def test_a_page_published_after_the_first_request_appears_in_the_next(
    home_pages, client, django_capture_on_commit_callbacks
):
    home, _english = home_pages
    assert "http://testserver/de/neu/" not in _sitemap(client)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(home, "Neu", "neu")
    assert "http://testserver/de/neu/" in _sitemap(client)


def test_unpublished_moved_and_deleted_pages_leave_the_sitemap(
    home_pages, client, django_capture_on_commit_callbacks
):
    home, _english = home_pages
    with django_capture_on_commit_callbacks(execute=True):
        gone = _publish(home, "Alt", "alt")
        removed = _publish(home, "Weg", "weg")
        moving = _publish(home, "Umzug", "umzug")
        target = _publish(home, "Ziel", "ziel")
    assert {"http://testserver/de/alt/", "http://testserver/de/weg/"} <= set(_sitemap(client))
    with django_capture_on_commit_callbacks(execute=True):
        gone.unpublish()
        removed.delete()
        moving.move(target, pos="last-child")
    urls = set(_sitemap(client))
    assert "http://testserver/de/alt/" not in urls
    assert "http://testserver/de/weg/" not in urls
    assert "http://testserver/de/umzug/" not in urls
    assert "http://testserver/de/ziel/umzug/" in urls


def test_restricted_pages_never_appear(home_pages, client, django_capture_on_commit_callbacks):
    home, _english = home_pages
    with django_capture_on_commit_callbacks(execute=True):
        members = _publish(home, "Intern", "intern")
        _publish(members, "Protokoll", "protokoll")
        PageViewRestriction.objects.create(
            page=members, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
    urls = set(_sitemap(client))
    assert "http://testserver/de/" in urls
    assert not any("/intern/" in url for url in urls)


def _cold_queries(client):
    caches[settings.FEED_CACHE_ALIAS].clear()
    with CaptureQueriesContext(connection) as queries:
        urls = _sitemap(client)
    return len(queries), len(urls)


def test_queries_do_not_grow_with_the_number_of_pages(home_pages, client):
    home, _english = home_pages
    _publish(home, "Eins", "eins", english_title="One")
    small_queries, small_count = _cold_queries(client)
    for number in range(12):
        parent = _publish(
            home, f"Seite {number}", f"seite-{number}", english_title=f"Page {number}"
        )
        _publish(parent, f"Unterseite {number}", f"unterseite-{number}")
    large_queries, large_count = _cold_queries(client)
    assert large_count == small_count + 36
    assert large_queries == small_queries
    # Warm: served from the cache.
    with CaptureQueriesContext(connection) as queries:
        _sitemap(client)
    assert len(queries) <= 2


def test_a_large_site_gets_an_index_of_sections_that_together_list_every_page(
    home_pages, client, monkeypatch
):
    """Past SITEMAP_SECTION_SIZE URLs, sitemap.xml is an index; no response grows with the
    content, and alternates still name translations that fall into another section."""
    from cms.core import sitemap

    home, _english = home_pages
    for number in range(4):
        _publish(home, f"Seite {number}", f"seite-{number}", english_title=f"Page {number}")
    whole = _sitemap(client)
    caches[settings.FEED_CACHE_ALIAS].clear()
    monkeypatch.setattr(sitemap, "SITEMAP_SECTION_SIZE", 3)

    response = client.get("/sitemap.xml")
    index = etree.fromstring(response.content)
    assert etree.QName(index).localname == "sitemapindex"
    sections = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert sections == [f"http://testserver/sitemap.xml?p={n}" for n in (1, 2, 3, 4)]
    listed = {}
    for url in sections:
        part = client.get(url.removeprefix("http://testserver"))
        assert part.status_code == 200
        entries = etree.fromstring(part.content).findall("s:url", NS)
        assert 1 <= len(entries) <= 3
        for entry in entries:
            listed[entry.findtext("s:loc", namespaces=NS)] = {
                link.get("hreflang"): link.get("href")
                for link in entry.findall("x:link[@rel='alternate']", NS)
            }
    assert listed == whole
    assert client.get("/sitemap.xml?p=5").status_code == 404
    assert client.get("/sitemap.xml?p=zwei").status_code == 404
