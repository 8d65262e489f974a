import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from wagtail.models import Page, Site

from cms.core.models import HomePage, SiteSettings
from cms.people.models import Person
from cms.taxonomy.models import MaturityLevel, Topic

pytestmark = pytest.mark.django_db


# The demo content is loaded once for this module's tests (see tests/cms/conftest.py).
@pytest.fixture
def demo_site(shared_demo_site):
    return shared_demo_site


@pytest.fixture(autouse=True)
def _media_root(shared_demo_media_root):
    pass


def _counts():
    from cms.digitalcheck.models import DigitalCheckPage, QuestionnaireVersion, Submission
    from cms.learning.models import LearningPathPage, LearningUnitPage
    from cms.videos.models import ExplainerVideoPage, GlossaryTerm
    from media_pipeline.models import MediaFile, MediaRendition

    models = (
        Page, Topic, MaturityLevel, Person, get_user_model(), MediaFile, MediaRendition,
        ExplainerVideoPage, GlossaryTerm, LearningUnitPage, LearningPathPage, DigitalCheckPage,
        QuestionnaireVersion, Submission,
    )  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def test_demo_content_builds_a_bilingual_site(demo_site, client):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == demo_site.pk
    assert HomePage.objects.filter(locale__language_code="en").exists()
    assert Topic.objects.filter(locale__language_code="de").count() == 6
    assert list(
        MaturityLevel.objects.filter(locale__language_code="de").values_list("name", flat=True)
    ) == ["Einstieg", "Fortgeschritten", "Vertiefung"]
    assert SiteSettings.for_site(site).funder_name
    assert client.get("/de/").status_code == 200
    assert client.get("/en/about/").status_code == 200
    assert client.get("/de/barrierefreiheit/").status_code == 200
    # The admin login printed by `make demo` works.
    assert client.login(request=HttpRequest(), username="admin", password="pw-for-tests-only")
    assert client.get("/admin/").status_code == 200


def test_demo_content_is_idempotent_and_keeps_editor_changes(demo_site):
    """Loading again adds nothing anywhere (pages, media, videos, units, checks) and leaves
    what editors changed alone."""
    demo_site.title = "Von der Redaktion geändert"
    demo_site.save_revision().publish()
    before = _counts()
    call_command("load_demo_content", stdout=io.StringIO())
    assert _counts() == before
    demo_site.refresh_from_db()
    assert demo_site.title == "Von der Redaktion geändert"


def test_demo_podcast_has_three_episodes_with_chapters_transcript_and_guest(demo_site, client):
    from cms.podcasts.models import PodcastEpisodePage, PodcastShowPage
    from media_pipeline.models import RenditionStatus

    show = PodcastShowPage.objects.child_of(demo_site).get()
    assert show.live and show.podcast_guid
    # Listeners find the podcast from the main navigation of the home page.
    assert f'href="{show.url}"' in client.get("/de/").content.decode()
    episodes = PodcastEpisodePage.objects.child_of(show).live()
    assert episodes.count() == 3
    for episode in episodes:
        assert episode.guid
        assert episode.chapters.count() >= 3
        assert episode.transcript.startswith("WEBVTT")
        assert episode.persons.filter(role="guest").exists()
        # Real generated audio, handed to the pipeline (a worker renders it).
        assert episode.audio.kind == "audio" and episode.audio.duration > 60
        assert set(episode.audio.renditions.values_list("status", flat=True)) == {
            RenditionStatus.PENDING
        }


def test_demo_has_pictures_on_its_cards_and_subscribe_buttons(demo_site, client):
    """Teaser images for units and paths, Apple Podcasts and Spotify on the show, and a
    funder logo in the footer (issue 18)."""
    from lxml import html as lxml_html

    from cms.learning.models import LearningPathPage, LearningUnitPage
    from cms.podcasts.models import PodcastShowPage

    assert not LearningUnitPage.objects.filter(teaser_image=None).exists()
    assert not LearningPathPage.objects.filter(teaser_image=None).exists()
    show = PodcastShowPage.objects.get(locale__language_code="de")
    assert set(show.subscribe_links.values_list("platform", flat=True)) == {"apple", "spotify"}

    catalogue = lxml_html.fromstring(client.get("/de/lernangebote/").content)
    assert len(catalogue.xpath('//li[contains(@class, "learning-card")]/img[@srcset]')) == 3
    podcast = lxml_html.fromstring(client.get(show.url).content)
    assert len(podcast.xpath('//ul[@class="subscribe-buttons"]//a')) == 2
    assert podcast.xpath('//footer//img[@class="funding__logo"]')
