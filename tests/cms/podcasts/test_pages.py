import json
import re
from datetime import timedelta

import pytest
from django.utils import translation
from wagtail.models import Page

from cms.core.models import HomePage, StandardPage
from cms.podcasts.models import (
    EpisodeChapter,
    EpisodePerson,
    PersonRole,
    PodcastEpisodePage,
    PodcastShowPage,
)
from media_pipeline.models import RenditionStatus
from media_pipeline.specs import PODCAST_MP3_SPEC
from tests.cms.factories import PersonFactory, StandardPageFactory

pytestmark = pytest.mark.django_db

TRANSCRIPT = """WEBVTT

00:00:00.000 --> 00:00:04.000
<v Anna Schmidt>Willkommen beim Podcast.

00:00:04.000 --> 00:00:08.000
<v Anna Schmidt>Heute geht es um Auftragsplanung.

00:00:08.000 --> 00:00:12.500
<v Jonas Weber>Danke für die Einladung.
"""

RSS_LINK = re.compile(r'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"')
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture
def episode(publish_episode):
    return publish_episode(
        title="Folge 1: Auftragsplanung",
        slug="auftragsplanung",
        transcript=TRANSCRIPT,
        chapters=[
            EpisodeChapter(start=timedelta(0), title="Einstieg"),
            EpisodeChapter(start=timedelta(seconds=62.5), title="Die Umstellung"),
        ],
        persons=[
            EpisodePerson(person=PersonFactory(name="Anna Schmidt"), role="host"),
            EpisodePerson(person=PersonFactory(name="Jonas Weber"), role="guest"),
        ],
    )


def get_html(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_show_page_lists_episodes_and_links_its_feed(client, show, episode):
    html = get_html(client, show)

    assert RSS_LINK.findall(html) == [f"/feeds/podcast/{show.pk}.xml"]
    assert f'<a href="{episode.url}">Folge 1: Auftragsplanung</a>' in html
    assert f'value="http://testserver/feeds/podcast/{show.pk}.xml"' in html


def test_show_page_without_episodes_says_so(client, show):
    html = get_html(client, show)
    assert 'class="episode-list"' not in html
    assert RSS_LINK.findall(html) == [f"/feeds/podcast/{show.pk}.xml"]


def test_episode_page_links_the_show_feed(client, show, episode):
    html = get_html(client, episode)
    assert RSS_LINK.findall(html) == [f"/feeds/podcast/{show.pk}.xml"]


def test_episode_page_plays_the_stable_enclosure_url(client, episode):
    html = get_html(client, episode)

    assert re.search(r"<audio controls[^>]*data-player-audio>", html)
    assert f'<source src="/podcast-audio/{episode.guid}.mp3" type="audio/mpeg">' in html
    assert f'<source src="/podcast-audio/{episode.guid}.m4a" type="audio/mp4">' in html
    assert 'id="playback-rate"' in html
    assert "still being processed" not in html


def test_chapters_are_buttons_that_seek(client, episode):
    html = get_html(client, episode)

    buttons = re.findall(
        r'<button type="button" class="chapter-button" data-seek="([^"]+)">', html
    )
    assert buttons == ["0.000", "62.500"]
    assert '<span class="chapter-time">1:02</span> <span class="chapter-title">Die Umstellung' in (
        html
    )


def test_transcript_paragraphs_are_grouped_by_speaker_with_time_stamps(client, episode):
    html = get_html(client, episode)

    transcript = html.split("data-transcript>", 1)[1].split("</div>", 1)[0]
    assert transcript.count("<p>") == 2
    assert re.findall(r'<strong class="speaker">([^<]+):</strong>', transcript) == [
        "Anna Schmidt",
        "Jonas Weber",
    ]
    assert re.findall(r'class="transcript-time" data-seek="([^"]+)"', transcript) == [
        "0.000",
        "8.000",
    ]
    assert (
        '<span class="cue" data-start="4.000" data-end="8.000">'
        "Heute geht es um Auftragsplanung.</span>" in transcript
    )
    assert f'href="/feeds/transcripts/{episode.guid}.vtt" download' in html


def test_persons_are_listed_with_their_roles(client, episode):
    html = get_html(client, episode)

    people = html.split('class="person-list"', 1)[1].split("</ul>", 1)[0]
    with translation.override("de"):
        host, guest = str(PersonRole.HOST.label), str(PersonRole.GUEST.label)
    assert re.findall(r'<strong>([^<]+)</strong>\s*<span class="hint">([^<]+)</span>', people) == [
        ("Anna Schmidt", host),
        ("Jonas Weber", guest),
    ]
    assert "Referentin, Mittelstand-Digital Zentrum" in people


def test_json_ld_describes_a_podcast_episode(client, show, episode):
    html = get_html(client, episode)

    [raw] = JSON_LD.findall(html)
    data = json.loads(raw)
    assert data["@type"] == "PodcastEpisode"
    assert data["name"] == "Folge 1: Auftragsplanung"
    assert data["url"] == f"http://testserver{episode.url}"
    assert data["partOfSeries"] == {
        "@type": "PodcastSeries",
        "name": show.title,
        "url": f"http://testserver{show.url}",
    }
    assert data["associatedMedia"]["contentUrl"] == (
        f"http://testserver/podcast-audio/{episode.guid}.mp3"
    )
    assert data["duration"] == "PT2M5S"
    assert data["transcript"] == f"http://testserver/feeds/transcripts/{episode.guid}.vtt"
    assert [actor["name"] for actor in data["actor"]] == ["Anna Schmidt", "Jonas Weber"]


def test_json_ld_cannot_close_its_script_element(client, publish_episode):
    episode = publish_episode(summary="Vorsicht: </script><script>alert(1)</script>")
    html = get_html(client, episode)

    [raw] = JSON_LD.findall(html)
    assert json.loads(raw)["description"] == "Vorsicht: </script><script>alert(1)</script>"


def test_processing_audio_shows_a_notice_instead_of_the_player(client, episode):
    episode.audio.renditions.filter(spec=PODCAST_MP3_SPEC).update(
        status=RenditionStatus.PROCESSING, progress=40
    )
    html = get_html(client, episode)

    assert "<audio" not in html
    assert 'class="notice" role="status"' in html
    assert "(40 %)" in html
    # Chapters stay listed but cannot seek in audio that is not there.
    assert html.count('class="chapter-button" data-seek=') == 2
    assert html.count(" disabled>") == 2
    assert '<button type="button" class="transcript-time"' not in html


def test_episode_without_audio_says_so(client, publish_episode):
    episode = publish_episode(audio=None)
    html = get_html(client, episode)
    assert "<audio" not in html
    assert 'class="notice" role="status"' in html


def test_german_page_shows_german_ui_text(client, episode):
    with translation.override("de"):  # `make install` compiles the catalogues
        assert translation.gettext("Chapters") == "Kapitel"
    html = get_html(client, episode)

    assert '<html lang="de">' in html
    assert '<h2 id="chapters-heading">Kapitel</h2>' in html
    assert '<h2 id="transcript-heading">Transkript</h2>' in html
    assert '<label for="playback-rate">Geschwindigkeit</label>' in html
    assert "Chapters</h2>" not in html


def test_episodes_can_only_be_created_under_shows(show, home_pages):
    home, _english = home_pages
    standard = StandardPageFactory(parent=home)

    assert PodcastEpisodePage.can_create_at(show)
    assert not PodcastEpisodePage.can_create_at(home)
    assert not PodcastEpisodePage.can_create_at(standard)
    assert not PodcastEpisodePage.can_create_at(Page.get_first_root_node())
    assert PodcastShowPage.allowed_subpage_models() == [PodcastEpisodePage]


def test_shows_live_under_home_and_standard_pages(show, home_pages):
    home, _english = home_pages
    standard = StandardPageFactory(parent=home)

    assert PodcastShowPage.can_create_at(home)
    assert PodcastShowPage.can_create_at(standard)
    assert not PodcastShowPage.can_create_at(show)
    assert PodcastShowPage in HomePage.allowed_subpage_models()
    assert PodcastShowPage in StandardPage.allowed_subpage_models()
    assert PodcastEpisodePage.allowed_subpage_models() == []


def test_cover_art_is_rendered_in_both_directory_sizes(show):
    from cms.podcasts.models import ARTWORK_SPECS
    from cms.podcasts.tasks import generate_artwork_renditions_task

    generate_artwork_renditions_task(show.artwork_id)
    renditions = show.artwork.get_renditions(*ARTWORK_SPECS)
    sizes = {spec: (r.width, r.height) for spec, r in renditions.items()}
    # The 1400 px test image is not upscaled; the feed's copy is a .jpg either way.
    assert sizes == dict.fromkeys(ARTWORK_SPECS, (1400, 1400))
    assert all(r.file.name.endswith(".jpg") for r in renditions.values())
