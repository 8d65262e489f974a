import os

import pytest
from django.conf import settings as django_settings
from wagtail.models import Collection, Locale, Page, Site


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Local media goes to a per-test folder; on S3 runs the real bucket is used."""
    if not django_settings.MEDIA_ON_S3:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: cached fragments and key-term indexes are keyed
    by database generation counters, which start again at zero in every test database."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _empty_task_queues():
    """Start every run with empty queues: tasks left by an aborted earlier run must not be
    picked up by this run's workers."""
    from cms.celery import app

    app.control.purge()


@pytest.fixture
def home_pages(db):
    """A German home page as the default site's root, with its English translation."""
    from tests.cms.factories import HomePageFactory

    german = Locale.objects.get_or_create(language_code="de")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    # Browser tests run on a flushed database (transactional), without Wagtail's root rows.
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=german)
    )
    home = HomePageFactory(parent=root, locale=german, title="Startseite", slug="start")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "testserver", "port": 80}
    )
    english_home = home.copy_for_translation(english)
    english_home.title = "Home"
    english_home.save_revision().publish()
    return home, english_home


def fetch_media(client, url: str) -> tuple[int, bytes]:
    """GET a media URL as a browser would: through the app when it serves media itself, over
    real HTTP when the URL points at the S3 endpoint. Returns (status, body)."""
    import urllib.error
    import urllib.request

    if url.startswith(("http://", "https://")) and not url.startswith("http://testserver/"):
        try:
            with urllib.request.urlopen(url, timeout=30) as remote:  # noqa: S310 - our endpoint
                return remote.status, remote.read()
        except urllib.error.HTTPError as error:
            return error.code, b""
    response = client.get(url)
    return response.status_code, b"".join(response) if response.status_code == 200 else b""


def pytest_collection_modifyitems(config, items):
    """CI runs the suite twice side by side, on the embedded default and on PostgreSQL + Redis
    + S3, within 25 minutes on 2 cores. Tests marked ``embedded_only`` check what the services
    cannot change (axe on rendered pages, the archive verifier on exported files): the
    embedded run covers them and the services run skips them."""
    if not os.environ.get("DATABASE_URL"):
        return
    skip = pytest.mark.skip(
        reason="checks nothing the services change; the embedded run covers it"
    )
    for item in items:
        if item.get_closest_marker("embedded_only"):
            item.add_marker(skip)
