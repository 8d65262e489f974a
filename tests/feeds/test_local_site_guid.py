"""A show published while the site's address is still ``localhost`` (the default before an
operator sets it) must not freeze a podcast:guid made from that address: every such
installation would share it. The editor is told; the real address freezes it later."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from lxml import etree
from wagtail.models import Site

from cms.podcasts.models import PodcastShowPage, podcast_guid_for

pytestmark = pytest.mark.django_db
PODCAST_NS = "https://podcastindex.org/namespace/1.0"


def feed_guid(client, show):
    root = etree.fromstring(client.get(show.feed_path(), HTTP_HOST="localhost:8000").content)
    return root.findtext(f"./channel/{{{PODCAST_NS}}}guid")


def test_a_show_published_on_localhost_gets_its_guid_from_the_real_address(
    client, home_pages, settings
):
    from tests.cms.factories import PodcastShowPageFactory

    settings.ALLOWED_HOSTS = ["localhost", "testserver", "podcast.example.org"]
    home, _english = home_pages
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=8000)
    show = PodcastShowPageFactory(parent=home, title="Lokal", slug="lokal")
    show.save_revision().publish()
    show.refresh_from_db()
    assert show.podcast_guid is None
    # The feed still names a guid (for trying it out), made from the address it has now.
    assert feed_guid(client, show) == str(
        podcast_guid_for(f"http://localhost:8000{show.feed_path()}")
    )

    Site.objects.filter(is_default_site=True).update(hostname="podcast.example.org", port=443)
    show = PodcastShowPage.objects.get(pk=show.pk)
    show.save_revision().publish()
    show.refresh_from_db()
    assert show.podcast_guid == podcast_guid_for(f"https://podcast.example.org{show.feed_path()}")


def test_the_editor_is_told_when_a_show_goes_live_on_a_local_address(home_pages, settings):
    from cms.podcasts.wagtail_hooks import warn_about_a_local_feed_address
    from tests.cms.factories import PodcastShowPageFactory

    home, _english = home_pages
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=8000)
    show = PodcastShowPageFactory(parent=home, title="Lokal", slug="lokal")
    show.save_revision().publish()
    request = RequestFactory().post("/admin/")
    request.session = {}
    request._messages = FallbackStorage(request)
    warn_about_a_local_feed_address(request, show)
    texts = [str(message) for message in get_messages(request)]
    assert len(texts) == 1 and "localhost" in texts[0]

    Site.objects.filter(is_default_site=True).update(hostname="podcast.example.org", port=443)
    request._messages = FallbackStorage(request)
    warn_about_a_local_feed_address(request, PodcastShowPage.objects.get(pk=show.pk))
    assert list(get_messages(request)) == []
