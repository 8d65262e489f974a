"""An editor picks related episodes for a video in Wagtail's page chooser, several at once."""

import re

import pytest
from playwright.sync_api import expect

from cms.podcasts.models import PodcastEpisodePage
from cms.videos.models import ExplainerVideoIndexPage, ExplainerVideoPage, VideoTextTrack
from tests.cms.factories import PodcastShowPageFactory

pytestmark = pytest.mark.django_db(transaction=True)

CAPTIONS = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHallo.\n"


@pytest.fixture
def editor(transactional_db, django_user_model):
    return django_user_model.objects.create_superuser(
        "video-admin", "video@example.org", "browser-test-pw"
    )


def test_editor_chooses_several_episodes_at_once_and_the_page_lists_them(page, editor, home_pages):
    home, _english = home_pages
    show = PodcastShowPageFactory(parent=home, title="Praxis-Podcast", slug="podcast")
    show.save_revision().publish()
    for number in (1, 2, 3):
        episode = show.add_child(
            instance=PodcastEpisodePage(
                title=f"Folge {number}", slug=f"folge-{number}", summary="…", locale=home.locale
            )
        )
        episode.save_revision().publish()
    index = home.add_child(
        instance=ExplainerVideoIndexPage(title="Kurz erklärt", slug="kurz", locale=home.locale)
    )
    index.save_revision().publish()
    video = index.add_child(
        instance=ExplainerVideoPage(
            title="Was ist eine Cloud?",
            slug="cloud",
            summary="Kurz erklärt.",
            locale=home.locale,
            text_tracks=[VideoTextTrack(language="de", webvtt=CAPTIONS)],
        )
    )
    video.save_revision().publish()

    page.goto("/admin/login/")
    page.get_by_label(re.compile("Benutzername|Username")).fill("video-admin")
    page.get_by_label(re.compile("Passwort|Password")).fill("browser-test-pw")
    page.get_by_role("button", name=re.compile("Anmelden|Sign in")).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto(f"/admin/pages/{video.pk}/edit/")
    page.locator("#id_related_episode_links-OPEN_MODAL").click()
    modal = page.locator(".modal-content")
    for title in ("Folge 1", "Folge 3"):
        modal.get_by_role("row").filter(has_text=title).get_by_role("checkbox").check()
    modal.get_by_role("button", name=re.compile("Auswahl bestätigen|Confirm selection")).click()
    expect(modal).to_be_hidden()
    page.get_by_role("button", name=re.compile("^(Mehr Aktionen|More actions)$")).click()
    page.get_by_role("button", name=re.compile("^(Veröffentlichen|Publish)$")).click()
    expect(page.locator(".messages .success")).to_be_visible()

    html = page.goto(video.url).text()
    listed = re.findall(r'<a href="[^"]*/podcast/folge-\d/">([^<]+)</a>', html)
    assert listed == ["Folge 1", "Folge 3"]
