"""Video pages as visitors see them: player, captions, processing state, JSON-LD, glossary."""

import json
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from lxml import html as lxml_html

from cms.core.models import HomePage
from cms.videos.models import ExplainerVideoIndexPage, ExplainerVideoPage, GlossaryPage
from cms.videos.renditions import VIDEO_LADDER_SPECS
from media_pipeline.models import MediaKind, RenditionStatus
from tests.conftest import fetch_media
from tests.media_pipeline.factories import MediaFileFactory, MediaRenditionFactory

pytestmark = pytest.mark.django_db


def document(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def json_ld(doc) -> dict:
    (script,) = doc.xpath('//script[@type="application/ld+json"]')
    return json.loads(script.text)


def test_video_pages_live_only_below_the_index():
    assert ExplainerVideoPage.parent_page_types == ["videos.ExplainerVideoIndexPage"]
    assert ExplainerVideoIndexPage in HomePage.allowed_subpage_models()
    assert ExplainerVideoPage not in HomePage.allowed_subpage_models()
    assert set(ExplainerVideoIndexPage.allowed_subpage_models()) == {
        ExplainerVideoPage,
        GlossaryPage,
    }
    assert ExplainerVideoPage.allowed_subpage_models() == []


def test_page_plays_the_mp4_with_german_captions_on_by_default(client, publish_video):
    page = publish_video(english=True)

    doc = document(client.get(page.url))

    (video,) = doc.xpath("//video")
    assert video.get("autoplay") is None
    assert video.get("controls") is not None
    assert video.get("poster").endswith(".jpg")
    (source,) = video.xpath("./source")
    assert source.get("type") == "video/mp4"
    assert fetch_media(client, source.get("src"))[0] == 200
    # libxml2's HTML parser does not know <track> and moves it out of <video>.
    tracks = {t.get("srclang"): t for t in doc.xpath("//track")}
    assert set(tracks) == {"de", "en"}
    assert tracks["de"].get("default") is not None
    assert tracks["en"].get("default") is None
    assert tracks["de"].get("kind") == "captions"
    vtt = client.get(tracks["de"].get("src"))
    assert vtt["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"Was ist eine Cloud?" in b"".join(vtt)


def test_audio_description_track_is_offered_with_its_kind(client, publish_video):
    from cms.videos.models import VideoTextTrack

    page = publish_video()
    VideoTextTrack.objects.create(
        page=page,
        kind="descriptions",
        language="de",
        webvtt="WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nEin Testbild mit Farbbalken.\n",
    )

    doc = document(client.get(page.url))

    kinds = {(t.get("kind"), t.get("srclang")) for t in doc.xpath("//track")}
    assert kinds == {("captions", "de"), ("descriptions", "de")}
    description = doc.xpath('//track[@kind="descriptions"]')[0]
    assert b"Farbbalken" in b"".join(client.get(description.get("src")))


def test_page_says_the_video_is_processing_until_a_rung_is_ready(client, publish_video):
    media = MediaFileFactory(kind=MediaKind.VIDEO, duration=2.0)
    MediaRenditionFactory(
        media_file=media, spec=VIDEO_LADDER_SPECS[720], status=RenditionStatus.PROCESSING,
        progress=40,
    )  # fmt: skip
    page = publish_video(media=media)

    doc = document(client.get(page.url))

    assert not doc.xpath("//video")
    (notice,) = doc.xpath('//p[@role="status"]')
    with translation.override("de"):
        expected = gettext("This video is still being processed. Please check back shortly.")
    assert notice.text_content() == f"{expected} (40 %)"


def test_json_ld_describes_a_video_object(client, publish_video):
    page = publish_video(transcript="Die Cloud speichert Daten im Rechenzentrum.")

    data = json_ld(document(client.get(page.url)))

    assert data["@type"] == "VideoObject"
    assert data["name"] == "Was ist eine Cloud?"
    assert data["description"].startswith("Die Cloud erklärt")
    assert data["duration"] == "PT2S"
    # Absolute (the site's own media, or the S3 endpoint's), a JPEG.
    assert re.match(r"https?://[^/]+/.+\.jpg$", data["thumbnailUrl"][0])
    assert data["uploadDate"].startswith(str(page.first_published_at.date()))
    assert data["contentUrl"].endswith(".mp4")
    assert data["embedUrl"] == f"http://testserver/embed/video/{page.pk}/"
    assert "Die Cloud speichert Daten im Rechenzentrum." in data["transcript"]


def test_transcript_is_shown_and_made_from_the_captions_when_empty(client, publish_video):
    page = publish_video(transcript="Anna Schmidt: Was ist eine Cloud? Sie speichert Daten.")

    doc = document(client.get(page.url))

    (section,) = doc.xpath('//section[contains(@class, "transcript")]')
    assert "Sie speichert Daten." in section.text_content()


def test_video_page_links_each_glossary_term_once(client, glossary, publish_video):
    page = publish_video(
        transcript="Die cloud ist praktisch. Eine Wolke auch. Die Cloud-Lösung läuft im "
        "Rechenzentrum.\n\nNoch einmal: Rechenzentrum."
    )

    doc = document(client.get(page.url))

    links = doc.xpath('//a[contains(@class, "glossary-link")]')
    targets = [(link.text_content(), link.get("href")) for link in links]
    # Summary first: "Die Cloud erklärt …" links Cloud; "Rechenzentrum" is linked there too.
    assert targets == [
        ("Cloud", "/de/kurz-erklaert/begriffe/?letter=c#begriff-cloud"),
        ("Rechenzentrum", "/de/kurz-erklaert/begriffe/?letter=r#begriff-rechenzentrum"),
    ]
    assert links[0].get("title") == "Rechenleistung und Speicher aus dem Internet."
    assert client.get("/de/kurz-erklaert/begriffe/").status_code == 200


def test_glossary_terms_named_like_entities_do_not_break_quotes(client, glossary, publish_video):
    from cms.videos.models import GlossaryTerm

    for name in ("quot", "lt"):
        GlossaryTerm.objects.create(
            term=name, slug=name, short_definition="Kurz.", locale=glossary.locale
        )
    page = publish_video(transcript='Sie sagte: "Die Cloud ist <schnell>."')
    page.glossary_terms.set(GlossaryTerm.objects.all())

    doc = document(client.get(page.url))

    (section,) = doc.xpath('//section[contains(@class, "transcript")]')
    assert 'Sie sagte: "Die Cloud ist <schnell>."' in section.text_content()
    assert not [a for a in doc.xpath('//a[contains(@class, "glossary-link")]')
                if a.text_content() in {"quot", "lt"}]  # fmt: skip


def test_video_page_has_oembed_and_feed_discovery(client, publish_video):
    page = publish_video()

    doc = document(client.get(page.url))

    (oembed,) = doc.xpath('//link[@type="application/json+oembed"]')
    response = client.get(oembed.get("href"))
    assert response.status_code == 200
    assert response.json()["type"] == "video"
    (feed,) = doc.xpath('//link[@type="application/rss+xml"]')
    assert feed.get("href") == page.index_page.feed_path()


def test_index_lists_published_videos_and_links_the_feed(client, publish_video, video_index):
    publish_video()
    draft = video_index.add_child(
        instance=ExplainerVideoPage(title="Entwurf", slug="entwurf", summary="…", live=False)
    )

    doc = document(client.get(video_index.url))

    titles = [a.text_content() for a in doc.xpath('//ul[@class="video-list"]//h3/a')]
    assert titles == ["Was ist eine Cloud?"]
    assert draft.title not in titles
    assert doc.xpath(f'//link[@type="application/rss+xml"][@href="{video_index.feed_path()}"]')
    assert doc.xpath(f'//aside//a[@href="{video_index.feed_path()}"]')


def test_glossary_lists_one_letter_per_page_with_a_navigation_of_letters_that_have_terms(
    client, glossary, publish_video
):
    from cms.videos.models import GlossaryTerm

    page = publish_video()
    page.glossary_terms.add(GlossaryTerm.objects.get(slug="cloud"))
    page.save()

    doc = document(client.get(glossary.url))

    letters = [h.text_content() for h in doc.xpath("//h2[@class='glossary-letter']")]
    assert letters == ["A"]
    terms = [dt.text_content() for dt in doc.xpath("//dl/dt")]
    # Ärztesoftware sorts under A (DIN 5007), after API.
    assert terms == ["API", "Ärztesoftware"]
    nav = doc.xpath('//nav[contains(@class, "letter-nav")]')[0]
    assert [a.text_content() for a in nav.xpath(".//a")] == ["A", "C", "R"]
    assert [a.get("href") for a in nav.xpath(".//a")] == ["?letter=a", "?letter=c", "?letter=r"]
    assert nav.xpath(".//a")[0].get("aria-current") == "page"

    doc = document(client.get(glossary.url + "?letter=c"))
    assert doc.xpath('//dt[@id="begriff-cloud"]')
    cloud = doc.xpath('//dt[@id="begriff-cloud"]/following-sibling::dd[1]')[0]
    assert re.search(r"Was ist eine Cloud\?", cloud.text_content())
    assert client.get(glossary.url + "?letter=q").status_code == 404


def test_related_published_podcast_episodes_are_linked(client, home_pages, publish_video):
    from tests.cms.factories import PodcastEpisodePageFactory, PodcastShowPageFactory

    home, _english = home_pages
    show = PodcastShowPageFactory(parent=home, slug="podcast")
    show.save_revision().publish()
    episode = PodcastEpisodePageFactory(parent=show, title="Folge 1: Cloud im Handwerk")
    episode.save_revision().publish()
    page = publish_video()
    page.related_episodes.add(episode)
    page.save()

    doc = document(client.get(page.url))

    (link,) = doc.xpath('//section[@aria-labelledby="related-heading"]//a')
    assert link.text_content() == "Folge 1: Cloud im Handwerk"
    assert link.get("href") == episode.url


def test_related_live_learning_units_are_linked(client, home_pages, publish_video):
    from tests.cms.factories import MaturityLevelFactory
    from tests.cms.learning.factories import make_catalogue, make_unit, step, text

    home, _english = home_pages
    level = MaturityLevelFactory(name="Einstieg", slug="einstieg")
    catalogue = make_catalogue(home)
    unit = make_unit(
        catalogue, [step("Worum es geht", [text()])], level,
        title="Cloud ausprobieren", slug="cloud-ausprobieren",
    )  # fmt: skip
    draft = make_unit(
        catalogue, [step("Entwurf", [text()])], level, title="Noch nicht fertig", slug="entwurf"
    )
    draft.unpublish()
    page = publish_video()
    page.related_units.add(unit, draft)
    page.save()

    doc = document(client.get(page.url))

    links = doc.xpath('//section[@aria-labelledby="related-units-heading"]//a')
    assert [(a.text_content(), a.get("href")) for a in links] == [("Cloud ausprobieren", unit.url)]
