from __future__ import annotations

import dataclasses
import inspect
import io
import json
import random
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import feedparser
import podcastparser
import pytest
from django.utils import translation
from lxml import etree

from feeds import podcast as podcast_module
from feeds.podcast import InvalidFeedDataError, build_chapters_json, build_podcast_feed
from feeds.podcastindex import LEGACY_PODCAST_NS, PODCAST_NS, InvalidPodcastTagError
from feeds.types import (
    FeedCategory,
    FeedChapter,
    FeedEnclosure,
    FeedEpisode,
    FeedFunding,
    FeedPerson,
    FeedShow,
)

BASE_URL = "https://lernfunk.example"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
NS = {
    "itunes": ITUNES_NS,
    "podcast": PODCAST_NS,
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
BERLIN_SUMMER = timezone(timedelta(hours=2))


def make_show(**overrides) -> FeedShow:
    values = {
        "title": "Digitale Werkstatt: Kleinbetriebe im Wandel",
        "link": "/podcast/digitale-werkstatt/",
        "feed_url": "/podcast/digitale-werkstatt/feed.xml",
        "description": "Wöchentliche Gespräche über Digitalisierung für Handwerk & Mittelstand.",
        "language": "de",
        "image_url": "https://cdn.lernfunk.example/cover/werkstatt-3000.jpeg",
        "owner_name": "Jürgen Müller",
        "owner_email": "podcast@lernfunk.example",
        "author": "Mittelstand-Digital Zentrum Süd",
        "updated": datetime(2024, 5, 1, 8, 0, tzinfo=BERLIN_SUMMER),
        "podcast_guid": "917393e3-1b1e-5cef-ace4-edaa54e1f810",
        "subtitle": "Digitalisierung zum Mitnehmen",
        "categories": (
            FeedCategory("Business", "Management"),
            FeedCategory("Education", "Courses"),
            FeedCategory("Technology"),
        ),
        "copyright": "© 2024 Mittelstand-Digital Zentrum Süd",
        "funding": (FeedFunding("/unterstuetzen/", "Unterstützen Sie uns"),),
        "persons": (
            FeedPerson("Anna Größler", img="/media/personen/anna.jpg", href="/team/anna/"),
        ),
        "locked": True,
    }
    values.update(overrides)
    return FeedShow(**values)


def make_episode(number: int, **overrides) -> FeedEpisode:
    published = datetime(2024, 4, 1, 6, 0, tzinfo=UTC) + timedelta(days=7 * (number - 1))
    values = {
        "guid": f"lernfunk-episode-{number:04d}",
        "title": f"Förderprogramme verstehen, Teil {number}",
        "link": f"/podcast/digitale-werkstatt/folge-{number}/",
        "published": published,
        "updated": published + timedelta(hours=1),
        "summary": f"Worum es in Folge {number} geht: Zuschüsse, Fristen und Stolpersteine.",
        "content_html": f"<p>Shownotes zu Folge {number} – mit <a href='/links/'>Links</a>.</p>",
        "enclosure": FeedEnclosure(
            url=f"/media/audio/folge-{number}.mp3",
            length=10_000_000 + number,
            mime_type="audio/mpeg",
        ),
        "duration_seconds": 1800 + number,
        "episode_number": number,
        "season_number": 1,
    }
    values.update(overrides)
    return FeedEpisode(**values)


def make_rich_episode() -> FeedEpisode:
    return make_episode(
        4,
        explicit=True,
        episode_type="bonus",
        image_url="/media/bilder/folge-4.jpeg",
        persons=(
            FeedPerson("Anna Größler"),
            FeedPerson("Dr. Ömer Şahin", role="guest", href="https://example.org/oemer"),
        ),
        transcript_url="/media/transkripte/folge-4.vtt",
        transcript_language="de",
        chapters_url="/podcast/digitale-werkstatt/folge-4/chapters.json",
        alternate_enclosures=(
            FeedEnclosure(
                url="/media/audio/folge-4.m4a",
                length=4_321_000,
                mime_type="audio/mp4",
                bitrate=64_000,
                title="AAC 64 kbit/s",
                codecs="mp4a.40.2",
            ),
            FeedEnclosure(
                url="https://cdn.lernfunk.example/video/folge-4-720p.mp4",
                length=98_765_432,
                mime_type="video/mp4",
                bitrate=2_500_000,
                height=720,
                title="Video 720p",
                codecs="avc1.4D401F,mp4a.40.2",
            ),
        ),
    )


@pytest.fixture
def show() -> FeedShow:
    return make_show()


@pytest.fixture
def episodes() -> list[FeedEpisode]:
    return [make_episode(1), make_episode(2), make_episode(3), make_rich_episode()]


def parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def item_by_guid(root: etree._Element, guid: str) -> etree._Element:
    (item,) = root.xpath("/rss/channel/item[guid=$guid]", guid=guid)
    return item


def channel_text(root: etree._Element, path: str) -> str:
    (value,) = root.xpath(f"/rss/channel/{path}/text()", namespaces=NS)
    return value


# --- channel -------------------------------------------------------------------------------


def test_root_declares_the_exact_namespace_uris(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    assert root.nsmap["itunes"] == ITUNES_NS
    assert root.nsmap["podcast"] == "https://podcastindex.org/namespace/1.0"
    assert root.nsmap["atom"] == NS["atom"]
    assert root.nsmap["content"] == NS["content"]


def test_output_is_utf8_with_an_xml_declaration(show, episodes):
    xml = build_podcast_feed(show, episodes, BASE_URL)

    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "Größler".encode() in xml


def test_channel_has_the_rss_basics(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    assert channel_text(root, "title") == show.title
    assert channel_text(root, "link") == f"{BASE_URL}/podcast/digitale-werkstatt/"
    assert channel_text(root, "description") == show.description
    assert channel_text(root, "language") == "de"
    assert channel_text(root, "copyright") == show.copyright
    assert channel_text(root, "generator") == "Lernfunk"
    (self_link,) = root.xpath("/rss/channel/atom:link", namespaces=NS)
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == f"{BASE_URL}/podcast/digitale-werkstatt/feed.xml"
    assert self_link.get("type") == "application/rss+xml"
    assert channel_text(root, "image/url") == show.image_url
    assert channel_text(root, "image/title") == show.title
    assert channel_text(root, "image/link") == f"{BASE_URL}/podcast/digitale-werkstatt/"


@pytest.mark.parametrize(("explicit", "expected"), [(True, "true"), (False, "false")])
def test_channel_explicit_is_true_or_false(episodes, explicit, expected):
    root = parse(build_podcast_feed(make_show(explicit=explicit), episodes, BASE_URL))

    assert root.xpath("/rss/channel/itunes:explicit/text()", namespaces=NS) == [expected]


def test_explicit_is_never_translated(show, episodes):
    english = build_podcast_feed(show, episodes, BASE_URL)
    with translation.override("de"):
        german = build_podcast_feed(show, episodes, BASE_URL)

    assert german == english
    assert "gettext" not in inspect.getsource(podcast_module)


def test_jpeg_channel_image_is_kept(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    assert show.image_url.endswith(".jpeg")
    assert root.xpath("/rss/channel/itunes:image/@href", namespaces=NS) == [show.image_url]


def test_itunes_categories_are_nested(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    top = root.xpath("/rss/channel/itunes:category/@text", namespaces=NS)
    assert top == ["Business", "Education", "Technology"]
    assert root.xpath(
        "/rss/channel/itunes:category[@text='Business']/itunes:category/@text", namespaces=NS
    ) == ["Management"]
    assert (
        root.xpath(
            "/rss/channel/itunes:category[@text='Technology']/itunes:category", namespaces=NS
        )
        == []
    )


def test_subcategories_of_one_category_share_its_element(episodes):
    show = make_show(
        categories=(FeedCategory("Business", "Management"), FeedCategory("Business", "Marketing"))
    )
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    assert root.xpath("/rss/channel/itunes:category/@text", namespaces=NS) == ["Business"]
    assert root.xpath("/rss/channel/itunes:category/itunes:category/@text", namespaces=NS) == [
        "Management",
        "Marketing",
    ]


def test_itunes_owner_author_and_type(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    assert channel_text(root, "itunes:owner/itunes:name") == "Jürgen Müller"
    assert channel_text(root, "itunes:owner/itunes:email") == "podcast@lernfunk.example"
    assert channel_text(root, "itunes:author") == show.author
    assert channel_text(root, "itunes:type") == "episodic"
    assert channel_text(root, "itunes:subtitle") == show.subtitle
    assert root.xpath("/rss/channel/itunes:new-feed-url", namespaces=NS) == []


def test_moved_feed_announces_its_new_url(episodes):
    show = make_show(new_feed_url="/podcast/werkstatt/feed.xml")
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    assert channel_text(root, "itunes:new-feed-url") == f"{BASE_URL}/podcast/werkstatt/feed.xml"


def test_websub_hubs_are_named_next_to_the_self_link(episodes):
    hubs = ("https://pubsubhubbub.appspot.com/", "/websub/hub")
    xml = build_podcast_feed(make_show(websub_hubs=hubs), episodes, BASE_URL)

    links = parse(xml).xpath("/rss/channel/atom:link", namespaces=NS)
    assert [(link.get("rel"), link.get("href")) for link in links] == [
        ("self", f"{BASE_URL}/podcast/digitale-werkstatt/feed.xml"),
        ("hub", "https://pubsubhubbub.appspot.com/"),
        ("hub", f"{BASE_URL}/websub/hub"),
    ]
    parsed = feedparser.parse(xml)
    assert not parsed.bozo
    assert [link.href for link in parsed.feed.links if link.rel == "hub"] == [
        "https://pubsubhubbub.appspot.com/",
        f"{BASE_URL}/websub/hub",
    ]
    assert parsed.feed.link == f"{BASE_URL}/podcast/digitale-werkstatt/"


def test_no_hubs_no_hub_links(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    assert root.xpath("/rss/channel/atom:link[@rel='hub']", namespaces=NS) == []


@pytest.mark.parametrize(("complete", "expected"), [(True, ["Yes"]), (False, [])])
def test_itunes_complete_is_only_written_when_complete(episodes, complete, expected):
    root = parse(build_podcast_feed(make_show(complete=complete), episodes, BASE_URL))

    assert root.xpath("/rss/channel/itunes:complete/text()", namespaces=NS) == expected


@pytest.mark.parametrize(("block", "expected"), [(True, 1), (False, None)])
def test_itunes_block_is_only_written_when_the_show_asks(episodes, block, expected):
    xml = build_podcast_feed(make_show(block=block), episodes, BASE_URL)

    assert feedparser.parse(xml).feed.get("itunes_block") == expected
    assert parse(xml).xpath("/rss/channel/itunes:block/text()", namespaces=NS) == (
        ["Yes"] if block else []
    )


def test_license_is_written_as_its_spdx_slug(episodes):
    root = parse(build_podcast_feed(make_show(license="cc-by-4.0"), episodes, BASE_URL))

    assert channel_text(root, "podcast:license") == "cc-by-4.0"


def test_no_license_no_tag(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    assert root.xpath("/rss/channel/podcast:license", namespaces=NS) == []


def test_update_frequency_carries_its_rule_and_completeness(episodes):
    weekly = make_show(update_frequency="Wöchentlich", update_rrule="FREQ=WEEKLY")
    (tag,) = parse(build_podcast_feed(weekly, episodes, BASE_URL)).xpath(
        "/rss/channel/podcast:updateFrequency", namespaces=NS
    )
    assert (tag.text, dict(tag.attrib)) == ("Wöchentlich", {"rrule": "FREQ=WEEKLY"})

    done = make_show(update_frequency="Abgeschlossen", complete=True)
    (tag,) = parse(build_podcast_feed(done, episodes, BASE_URL)).xpath(
        "/rss/channel/podcast:updateFrequency", namespaces=NS
    )
    assert (tag.text, dict(tag.attrib)) == ("Abgeschlossen", {"complete": "true"})


def test_trailer_episodes_are_announced_on_the_channel(show, episodes):
    trailer = make_episode(5, episode_type="trailer", title="Bald: Staffel 2", season_number=2)

    root = parse(build_podcast_feed(show, [*episodes, trailer], BASE_URL))

    (tag,) = root.xpath("/rss/channel/podcast:trailer", namespaces=NS)
    assert tag.text == "Bald: Staffel 2"
    assert tag.get("url") == BASE_URL + trailer.enclosure.url
    assert tag.get("length") == str(trailer.enclosure.length)
    assert tag.get("type") == "audio/mpeg"
    assert tag.get("season") == "2"
    assert parsedate_to_datetime(tag.get("pubdate")) == trailer.published
    # …and stays an item of its own, typed as such.
    item = item_by_guid(root, trailer.guid)
    assert item.xpath("itunes:episodeType/text()", namespaces=NS) == ["trailer"]


def test_a_feed_without_trailers_has_no_trailer_tag(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    assert root.xpath("/rss/channel/podcast:trailer", namespaces=NS) == []


def test_channel_podcastindex_tags(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    assert channel_text(root, "podcast:guid") == show.podcast_guid
    (locked,) = root.xpath("/rss/channel/podcast:locked", namespaces=NS)
    assert locked.text == "yes"
    assert locked.get("owner") == show.owner_email
    (funding,) = root.xpath("/rss/channel/podcast:funding", namespaces=NS)
    assert funding.get("url") == f"{BASE_URL}/unterstuetzen/"
    assert funding.text == "Unterstützen Sie uns"
    (person,) = root.xpath("/rss/channel/podcast:person", namespaces=NS)
    assert person.text == "Anna Größler"
    assert person.get("role") == "host"
    assert person.get("group") == "cast"
    assert person.get("img") == f"{BASE_URL}/media/personen/anna.jpg"
    assert person.get("href") == f"{BASE_URL}/team/anna/"
    assert channel_text(root, "podcast:medium") == "podcast"


def test_unlocked_feed_says_no(episodes):
    root = parse(build_podcast_feed(make_show(locked=False), episodes, BASE_URL))

    assert root.xpath("/rss/channel/podcast:locked/text()", namespaces=NS) == ["no"]


def test_long_description_is_cut_to_4000_bytes_on_a_character_boundary(episodes):
    description = "Größenordnung " * 400  # 16 characters, 18 bytes each time
    root = parse(build_podcast_feed(make_show(description=description), episodes, BASE_URL))

    text = channel_text(root, "description")
    assert len(description.encode()) > 4000
    assert len(text.encode("utf-8")) <= 4000
    assert len(text.encode("utf-8")) > 3900
    assert description.startswith(text.rstrip("…").rstrip())


def test_last_build_date_comes_from_the_newest_update(show, episodes):
    late = make_episode(9, updated=datetime(2024, 6, 30, 12, 30, tzinfo=UTC))
    root = parse(build_podcast_feed(show, [*episodes, late], BASE_URL))

    assert parsedate_to_datetime(channel_text(root, "lastBuildDate")) == late.updated


def test_last_build_date_falls_back_to_the_show_update(show):
    root = parse(build_podcast_feed(show, [], BASE_URL))

    assert parsedate_to_datetime(channel_text(root, "lastBuildDate")) == show.updated
    assert root.xpath("/rss/channel/item") == []


# --- items ---------------------------------------------------------------------------------


def test_items_are_newest_first_whatever_the_input_order(show, episodes):
    shuffled = episodes[:]
    random.Random(7).shuffle(shuffled)
    root = parse(build_podcast_feed(show, shuffled, BASE_URL))

    guids = root.xpath("/rss/channel/item/guid/text()")
    expected = [e.guid for e in sorted(episodes, key=lambda e: e.published, reverse=True)]
    assert guids == expected
    assert len(guids) == 4


def test_identical_data_gives_identical_bytes(show, episodes):
    first = build_podcast_feed(show, episodes, BASE_URL)
    shuffled = list(reversed(episodes))
    random.Random(3).shuffle(shuffled)
    second = build_podcast_feed(show, tuple(shuffled), BASE_URL)

    assert first == second


def test_changed_data_changes_the_bytes(show, episodes):
    first = build_podcast_feed(show, episodes, BASE_URL)
    edited = [*episodes[:-1], dataclasses.replace(episodes[-1], title="Neuer Titel")]

    assert build_podcast_feed(show, edited, BASE_URL) != first


def test_enclosure_has_the_exact_byte_length_and_type(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    for episode in episodes:
        (enclosure,) = item_by_guid(root, episode.guid).xpath("enclosure")
        assert enclosure.get("url") == BASE_URL + episode.enclosure.url
        assert enclosure.get("length") == str(episode.enclosure.length)
        assert int(enclosure.get("length")) == episode.enclosure.length
        assert enclosure.get("type") == "audio/mpeg"


def test_guid_is_not_a_permalink(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    guids = root.xpath("/rss/channel/item/guid")
    assert {g.text for g in guids} == {e.guid for e in episodes}
    assert {g.get("isPermaLink") for g in guids} == {"false"}


def test_pub_date_is_rfc_2822(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    for episode in episodes:
        (pub_date,) = item_by_guid(root, episode.guid).xpath("pubDate/text()")
        assert parsedate_to_datetime(pub_date) == episode.published
        assert pub_date[:3] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}


def test_description_is_the_summary_and_content_the_show_notes(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))
    episode = episodes[0]
    item = item_by_guid(root, episode.guid)

    assert item.xpath("description/text()") == [episode.summary]
    assert item.xpath("content:encoded/text()", namespaces=NS) == [episode.content_html]
    assert item.xpath("link/text()") == [BASE_URL + episode.link]


def test_show_notes_with_a_cdata_terminator_survive(show):
    notes = "<p>Code: <code>a[b[0]]></code> – fertig</p>"
    episode = make_episode(1, content_html=notes)
    root = parse(build_podcast_feed(show, [episode], BASE_URL))

    assert root.xpath("//item/content:encoded/text()", namespaces=NS) == [notes]


def test_control_characters_are_dropped_instead_of_breaking_the_feed(show):
    episode = make_episode(1, title="Fehler\x0bfrei", summary="Zeile\x00eins")
    root = parse(build_podcast_feed(show, [episode], BASE_URL))

    assert root.xpath("//item/title/text()") == ["Fehlerfrei"]
    assert root.xpath("//item/description/text()") == ["Zeileeins"]


def test_item_itunes_tags(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))
    plain = item_by_guid(root, episodes[0].guid)
    rich = item_by_guid(root, episodes[-1].guid)

    assert plain.xpath("itunes:duration/text()", namespaces=NS) == ["1801"]
    assert plain.xpath("itunes:episode/text()", namespaces=NS) == ["1"]
    assert plain.xpath("itunes:season/text()", namespaces=NS) == ["1"]
    assert plain.xpath("itunes:episodeType/text()", namespaces=NS) == ["full"]
    assert plain.xpath("itunes:explicit/text()", namespaces=NS) == ["false"]
    assert plain.xpath("itunes:title/text()", namespaces=NS) == [episodes[0].title]
    assert plain.xpath("itunes:image", namespaces=NS) == []

    assert rich.xpath("itunes:explicit/text()", namespaces=NS) == ["true"]
    assert rich.xpath("itunes:episodeType/text()", namespaces=NS) == ["bonus"]
    assert rich.xpath("itunes:image/@href", namespaces=NS) == [
        f"{BASE_URL}/media/bilder/folge-4.jpeg"
    ]


def test_item_podcastindex_tags(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))
    item = item_by_guid(root, episodes[-1].guid)

    persons = item.xpath("podcast:person", namespaces=NS)
    assert [(p.text, p.get("role"), p.get("group")) for p in persons] == [
        ("Anna Größler", "host", "cast"),
        ("Dr. Ömer Şahin", "guest", "cast"),
    ]
    assert persons[1].get("href") == "https://example.org/oemer"
    (transcript,) = item.xpath("podcast:transcript", namespaces=NS)
    assert transcript.get("url") == f"{BASE_URL}/media/transkripte/folge-4.vtt"
    assert transcript.get("type") == "text/vtt"
    assert transcript.get("language") == "de"
    (chapters,) = item.xpath("podcast:chapters", namespaces=NS)
    assert chapters.get("url") == f"{BASE_URL}/podcast/digitale-werkstatt/folge-4/chapters.json"
    assert chapters.get("type") == "application/json+chapters"
    assert item.xpath("podcast:season/text()", namespaces=NS) == ["1"]
    assert item.xpath("podcast:episode/text()", namespaces=NS) == ["4"]


def test_plain_episode_has_no_optional_podcastindex_tags(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))
    item = item_by_guid(root, episodes[0].guid)

    for tag in ("person", "transcript", "chapters", "alternateEnclosure"):
        assert item.xpath(f"podcast:{tag}", namespaces=NS) == []


def test_alternate_enclosures_carry_their_attributes_and_source(show, episodes):
    root = parse(build_podcast_feed(show, episodes, BASE_URL))
    item = item_by_guid(root, episodes[-1].guid)

    main, audio, video = item.xpath("podcast:alternateEnclosure", namespaces=NS)
    assert dict(main.attrib) == {
        "type": "audio/mpeg",
        "length": str(episodes[-1].enclosure.length),
        "default": "true",
    }
    assert main.xpath("podcast:source/@uri", namespaces=NS) == [
        BASE_URL + episodes[-1].enclosure.url
    ]
    assert dict(audio.attrib) == {
        "type": "audio/mp4",
        "length": "4321000",
        "bitrate": "64000",
        "title": "AAC 64 kbit/s",
        "codecs": "mp4a.40.2",
    }
    assert audio.xpath("podcast:source/@uri", namespaces=NS) == [
        f"{BASE_URL}/media/audio/folge-4.m4a"
    ]
    assert video.get("height") == "720"
    assert video.get("length") == "98765432"
    assert video.xpath("podcast:source/@uri", namespaces=NS) == [
        "https://cdn.lernfunk.example/video/folge-4-720p.mp4"
    ]


def test_serial_show_numbers_every_item(episodes):
    show = make_show(show_type="serial")
    root = parse(build_podcast_feed(show, episodes, BASE_URL))

    assert channel_text(root, "itunes:type") == "serial"
    items = root.xpath("/rss/channel/item")
    numbers = [int(i.xpath("itunes:episode/text()", namespaces=NS)[0]) for i in items]
    assert numbers == [4, 3, 2, 1]


def test_serial_show_rejects_an_unnumbered_episode(episodes):
    unnumbered = make_episode(5, episode_number=None)

    with pytest.raises(InvalidFeedDataError, match="serial"):
        build_podcast_feed(make_show(show_type="serial"), [*episodes, unnumbered], BASE_URL)


@pytest.mark.parametrize(
    "bad_episode",
    [
        pytest.param(
            make_episode(1, enclosure=FeedEnclosure("/a.mp3", None, "audio/mpeg")),
            id="length-none",
        ),
        pytest.param(make_episode(1, published=datetime(2024, 4, 1, 6, 0)), id="naive-datetime"),
        pytest.param(make_episode(1, episode_number=0), id="episode-zero"),
        pytest.param(make_episode(1, episode_type="teaser"), id="unknown-type"),
    ],
)
def test_data_directories_reject_raises(show, bad_episode):
    with pytest.raises(InvalidFeedDataError):
        build_podcast_feed(show, [bad_episode], BASE_URL)


def test_duplicate_guids_raise(show):
    with pytest.raises(InvalidFeedDataError, match="unique"):
        build_podcast_feed(
            show, [make_episode(1), make_episode(2, guid="lernfunk-episode-0001")], BASE_URL
        )


def test_with_left_out_a_bad_episode_is_left_out_and_reported(show, episodes):
    too_long = make_episode(5, persons=(FeedPerson("G" * 145, role="guest"),))
    earlier = datetime(2024, 1, 1, 6, 0, tzinfo=UTC)
    duplicate = make_episode(6, guid=episodes[0].guid, published=earlier, updated=earlier)
    reported = []

    xml = build_podcast_feed(
        show,
        [*episodes, too_long, duplicate],
        BASE_URL,
        left_out=lambda what, error: reported.append(what),
    )

    guids = [entry.id for entry in feedparser.parse(xml).entries]
    assert guids == [e.guid for e in sorted(episodes, key=lambda e: e.published, reverse=True)]
    assert reported == [f"episode {episodes[0].guid}", f"episode {too_long.guid}"]


def test_relative_base_url_raises(show, episodes):
    with pytest.raises(InvalidFeedDataError, match="base_url"):
        build_podcast_feed(show, episodes, "/relative")


def test_invalid_podcast_guid_raises(episodes):
    with pytest.raises(InvalidPodcastTagError):
        build_podcast_feed(make_show(podcast_guid="not-a-uuid"), episodes, BASE_URL)


# --- real clients --------------------------------------------------------------------------


def test_feedparser_reads_titles_enclosures_durations_and_guids(show, episodes):
    parsed = feedparser.parse(build_podcast_feed(show, episodes, BASE_URL))

    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == show.title
    assert parsed.feed.language == "de"
    assert parsed.feed.image.href == show.image_url
    assert parsed.feed.podcast_guid == show.podcast_guid
    by_guid = {entry.id: entry for entry in parsed.entries}
    assert set(by_guid) == {e.guid for e in episodes}
    for episode in episodes:
        entry = by_guid[episode.guid]
        assert entry.title == episode.title
        assert entry.itunes_duration == str(episode.duration_seconds)
        (enclosure,) = entry.enclosures
        assert enclosure.href == BASE_URL + episode.enclosure.url
        assert enclosure.length == str(episode.enclosure.length)
        assert enclosure.type == "audio/mpeg"
    # feedparser 6.0.14 reports itunes:explicit true/false as None (fixed upstream later),
    # so explicit is checked with lxml and podcastparser instead.
    rich = by_guid[episodes[-1].guid]
    assert rich.podcast_chapters["type"] == "application/json+chapters"
    assert rich.podcast_transcript["type"] == "text/vtt"


def parse_with_podcastparser(xml: bytes) -> dict:
    return podcastparser.parse(f"{BASE_URL}/podcast/digitale-werkstatt/feed.xml", io.BytesIO(xml))


def test_podcastparser_reads_the_feed_with_the_canonical_namespace(show, episodes):
    parsed = parse_with_podcastparser(build_podcast_feed(show, episodes, BASE_URL))

    assert parsed["title"] == show.title
    assert parsed["cover_url"] == show.image_url
    assert parsed["explicit"] is False
    assert parsed["type"] == "episodic"
    assert parsed["itunes_categories"][0] == ["Business", "Management"]
    by_guid = {e["guid"]: e for e in parsed["episodes"]}
    assert set(by_guid) == {e.guid for e in episodes}
    for episode in episodes:
        parsed_episode = by_guid[episode.guid]
        assert parsed_episode["title"] == episode.title
        assert parsed_episode["total_time"] == episode.duration_seconds
        assert parsed_episode["explicit"] is episode.explicit
        assert parsed_episode["enclosures"] == [
            {
                "url": BASE_URL + episode.enclosure.url,
                "file_size": episode.enclosure.length,
                "mime_type": "audio/mpeg",
            }
        ]
    # podcastparser 0.6 only knows the legacy URI, so it skips our podcast: tags here.
    rich = by_guid[episodes[-1].guid]
    assert "chapters_json_url" not in rich
    assert "transcript_url" not in rich


def test_podcastparser_reads_our_podcast_tags_under_the_legacy_namespace(show, episodes):
    xml = build_podcast_feed(show, episodes, BASE_URL)
    declaration = f'xmlns:podcast="{PODCAST_NS}"'.encode()
    assert xml.count(declaration) == 1
    legacy = xml.replace(declaration, f'xmlns:podcast="{LEGACY_PODCAST_NS}"'.encode())

    parsed = parse_with_podcastparser(legacy)

    assert parsed["funding_url"] == f"{BASE_URL}/unterstuetzen/"
    assert parsed["import_prohibited"] is True
    rich = next(e for e in parsed["episodes"] if e["guid"] == episodes[-1].guid)
    assert rich["chapters_json_url"] == (
        f"{BASE_URL}/podcast/digitale-werkstatt/folge-4/chapters.json"
    )
    assert rich["transcript_url"] == f"{BASE_URL}/media/transkripte/folge-4.vtt"
    assert [(p["name"], p["role"]) for p in rich["persons"]] == [
        ("Anna Größler", "host"),
        ("Dr. Ömer Şahin", "guest"),
    ]


# --- chapters ------------------------------------------------------------------------------


CHAPTERS = (
    FeedChapter(754.25, "Fördermittel beantragen", url="/foerderung/"),
    FeedChapter(0, "Begrüßung"),
    FeedChapter(95.5, "Was ist ein Digitalisierungs­check?", img="/media/kapitel/check.png"),
)


def test_chapters_json_is_version_1_2_and_sorted_by_start():
    document = json.loads(build_chapters_json(CHAPTERS, base_url=BASE_URL))

    assert document["version"] == "1.2.0"
    starts = [c["startTime"] for c in document["chapters"]]
    assert starts == [0, 95.5, 754.25]
    assert [c["title"] for c in document["chapters"]] == [
        "Begrüßung",
        "Was ist ein Digitalisierungs­check?",
        "Fördermittel beantragen",
    ]


def test_chapters_json_joins_urls_and_leaves_out_empty_ones():
    document = json.loads(build_chapters_json(CHAPTERS, base_url=BASE_URL))
    first, second, third = document["chapters"]

    assert list(first) == ["startTime", "title"]
    assert list(second) == ["startTime", "title", "img"]
    assert second["img"] == f"{BASE_URL}/media/kapitel/check.png"
    assert list(third) == ["startTime", "title", "url"]
    assert third["url"] == f"{BASE_URL}/foerderung/"


def test_chapters_json_is_deterministic_and_utf8():
    first = build_chapters_json(CHAPTERS, title="Folge 4", podcast_name="Digitale Werkstatt")
    second = build_chapters_json(
        tuple(reversed(CHAPTERS)), title="Folge 4", podcast_name="Digitale Werkstatt"
    )

    assert first == second
    assert "Begrüßung".encode() in first
    document = json.loads(first)
    assert list(document) == ["version", "title", "podcastName", "chapters"]
    assert document["chapters"][2]["url"] == "/foerderung/"


def test_chapters_json_rejects_a_negative_start():
    with pytest.raises(InvalidFeedDataError):
        build_chapters_json([FeedChapter(-1, "Zu früh")])
