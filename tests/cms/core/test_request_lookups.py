"""Every public page: locale and site looked up once per request, header menu and footer
from the cache until something is published (issue 15)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.core.models import SiteSettings
from tests.cms.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def lookups(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    sqls = [q["sql"] for q in captured.captured_queries]
    by_language = [s for s in sqls if 'FROM "wagtailcore_locale"' in s and "language_code" in s]
    sites = [s for s in sqls if 'FROM "wagtailcore_site"' in s]
    return response, by_language, sites


@pytest.mark.parametrize("url", ["/de/", "/en/", "/de/ueber-uns/"])
def test_a_page_looks_its_locale_and_site_up_once(client, home_pages, url):
    home, _english = home_pages
    about = StandardPageFactory(
        parent=home, title="Über uns", slug="ueber-uns", show_in_menus=True
    )
    about.save_revision().publish()

    _, by_language, sites = lookups(client, url)

    # Wagtail's router asks once, the page's own context once: never per fragment.
    assert len(by_language) <= 2
    assert len(sites) <= 1


def test_menu_and_footer_change_when_a_page_is_published_or_settings_saved(
    client, home_pages, django_capture_on_commit_callbacks
):
    home, _english = home_pages
    client.get("/de/")
    with django_capture_on_commit_callbacks(execute=True):
        about = StandardPageFactory(
            parent=home, title="Über uns", slug="ueber-uns", show_in_menus=True
        )
        about.save_revision().publish()
    assert 'href="/de/ueber-uns/"' in client.get("/de/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        settings = SiteSettings.for_site(home.get_site())
        settings.funding_notice = "Aufgrund eines Beschlusses des Bundestages."
        settings.save()
    assert "Aufgrund eines Beschlusses" in client.get("/de/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        about.unpublish()
    assert 'href="/de/ueber-uns/"' not in client.get("/de/").content.decode()
