import datetime as dt
import io
import urllib.request

import feedparser
import podcastparser
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from wagtail.models import PageViewRestriction

from cms.core.models import CacheGeneration
from cms.podcasts.models import (
    EpisodeChapter,
    EpisodePerson,
    PersonRole,
    ShowHost,
    podcast_guid_for,
)
from feeds.podcastindex import taxonomy_group
from media_pipeline.models import RenditionStatus
from media_pipeline.specs import PODCAST_MP3_SPEC
from tests.cms.factories import PersonFactory

pytestmark = pytest.mark.django_db

PODCAST_NS = "https://podcastindex.org/namespace/1.0"


def get_feed(client, show, **headers):
    return client.get(show.feed_path(), **headers)


def item_titles(response) -> list[str]:
    root = etree.fromstring(response.content)
    return [item.findtext("title") for item in root.findall("./channel/item")]


def test_podcast_guid_follows_the_spec_vectors():
    assert str(podcast_guid_for("https://podnews.net/rss")) == (
        "9b024349-ccf0-5f69-a609-6b82873eab3c"
    )
    assert str(podcast_guid_for("http://mp3s.nashownotes.com/pc20rss.xml/")) == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )


def test_feed_lists_published_episodes_with_stable_enclosures(client, show, publish_episode):
    first = publish_episode(title="Erste Folge")
    second = publish_episode(title="Zweite Folge")

    response = get_feed(client, show)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == show.title
    assert [entry.title for entry in parsed.entries] == ["Zweite Folge", "Erste Folge"]
    entry = parsed.entries[1]
    assert entry.id == str(first.guid)
    enclosure = entry.enclosures[0]
    assert enclosure.href == f"http://testserver/podcast-audio/{first.guid}.mp3"
    rendition = first.audio.renditions.get(spec=PODCAST_MP3_SPEC)
    assert int(enclosure.length) == rendition.file_size
    assert enclosure.type == "audio/mpeg"
    assert second.guid != first.guid


def test_the_mp3_is_the_default_among_the_alternate_enclosures(client, show, publish_episode):
    episode = publish_episode(title="Erste Folge")

    root = etree.fromstring(get_feed(client, show).content)

    item = root.find("./channel/item")
    enclosure_url = item.find("enclosure").get("url")
    alternates = item.findall(f"{{{PODCAST_NS}}}alternateEnclosure")
    assert [(a.get("type"), a.get("default")) for a in alternates] == [
        ("audio/mpeg", "true"),
        ("audio/mp4", None),
    ]
    assert alternates[0].find(f"{{{PODCAST_NS}}}source").get("uri") == enclosure_url
    assert enclosure_url.endswith(episode.enclosure_path())


def test_show_guid_is_assigned_on_first_publication_and_kept(client, show):
    assert str(show.podcast_guid) == str(podcast_guid_for("http://testserver" + show.feed_path()))
    original = show.podcast_guid
    show.slug = "neuer-name"
    show.save_revision().publish()
    show.refresh_from_db()
    assert show.podcast_guid == original
    root = etree.fromstring(get_feed(client, show).content)
    assert root.findtext(f"./channel/{{{PODCAST_NS}}}guid") == str(original)


def test_episode_guid_survives_title_and_slug_changes(client, show, publish_episode):
    episode = publish_episode(title="Vorher")
    original = episode.guid
    revision_before = episode.latest_revision

    episode.title, episode.slug = "Nachher", "nachher"
    episode.save_revision().publish()
    episode.refresh_from_db()
    assert episode.guid == original
    # Publishing an older revision does not bring back an older (empty) guid either.
    revision_before.publish()
    episode.refresh_from_db()
    assert episode.guid == original
    root = etree.fromstring(get_feed(client, show).content)
    assert [g.text for g in root.iter("guid")] == [str(original)]


def test_copied_episode_gets_its_own_guid(show, publish_episode):
    episode = publish_episode()
    copy = episode.copy(update_attrs={"slug": "kopie", "title": "Kopie"}, keep_live=False)
    copy.save_revision().publish()
    copy.refresh_from_db()
    assert copy.guid and copy.guid != episode.guid


def test_conditional_get_answers_304_without_building(client, show, publish_episode):
    publish_episode()
    first = get_feed(client, show)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]

    url = show.feed_path()
    with CaptureQueriesContext(connection) as queries:
        by_etag = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert len(queries) == 1  # the feed generation; nothing else is read or built
    assert get_feed(client, show, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert get_feed(client, show, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_feed_is_byte_identical_until_something_changes(client, show, publish_episode):
    publish_episode()
    first = get_feed(client, show).content
    CacheGeneration.bump(
        CacheGeneration.PODCASTS
    )  # drops the cache: the rebuild must give the same bytes
    assert get_feed(client, show).content == first


def test_publishing_and_unpublishing_invalidate_the_cached_feed(
    client, show, publish_episode, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_episode(title="Alt")
    assert item_titles(get_feed(client, show)) == ["Alt"]

    with django_capture_on_commit_callbacks(execute=True):
        new = publish_episode(title="Neu")
    assert item_titles(get_feed(client, show)) == ["Neu", "Alt"]

    with django_capture_on_commit_callbacks(execute=True):
        new.unpublish()
    assert item_titles(get_feed(client, show)) == ["Alt"]


def test_rendition_change_invalidates_the_feed(
    client, show, publish_episode, django_capture_on_commit_callbacks
):
    episode = publish_episode(title="Folge")
    assert item_titles(get_feed(client, show)) == ["Folge"]
    rendition = episode.audio.renditions.get(spec=PODCAST_MP3_SPEC)
    with django_capture_on_commit_callbacks(execute=True):
        rendition.status = RenditionStatus.PROCESSING
        rendition.save()
    assert item_titles(get_feed(client, show)) == []


def test_query_count_does_not_grow_with_episodes(client, show, publish_episode):
    def cold_feed_queries() -> int:
        CacheGeneration.bump(CacheGeneration.PODCASTS)
        url = show.feed_path()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    previous = [show]

    def publish_linking_episode():
        # Show notes link to another page each, so link expansion must be batched too.
        notes = f'<p>Siehe <a linktype="page" id="{previous[-1].pk}">vorher</a>.</p>'
        previous.append(publish_episode(show_notes=notes))

    for _ in range(10):
        publish_linking_episode()
    get_feed(client, show)  # the artwork rendition is made once, on the first build
    with_ten = cold_feed_queries()
    # Four times as many episodes (benchmarks/feed.py shows the same for 100 vs 1,000).
    for _ in range(30):
        publish_linking_episode()
    with_forty = cold_feed_queries()
    feed = get_feed(client, show)
    assert len(item_titles(feed)) == 40
    # Internal links come out absolute, pointing at the linked page.
    assert f'href="http://testserver{previous[5].url}"'.encode() in feed.content
    assert with_ten == with_forty
    assert with_forty <= 10


def test_feed_of_unpublished_show_is_404(client, show):
    show.unpublish()
    assert get_feed(client, show).status_code == 404


def test_one_unbuildable_episode_is_left_out_and_the_feed_still_answers(
    client, show, publish_episode, caplog
):
    publish_episode(title="Erste Folge")
    broken = publish_episode(title="Folge mit zu langem Gastnamen")
    publish_episode(title="Dritte Folge")
    # Written past the form, as data from before its 128-character rule would be.
    EpisodePerson.objects.create(page=broken, person=PersonFactory(name="G" * 145), role="guest")
    CacheGeneration.bump(CacheGeneration.PODCASTS)

    response = get_feed(client, show)

    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [entry.title for entry in parsed.entries] == ["Dritte Folge", "Erste Folge"]
    assert str(broken.guid) in caplog.text


def test_a_host_name_podcast_apps_reject_is_left_out_of_the_channel(client, show, publish_episode):
    publish_episode(title="Erste Folge")
    ShowHost.objects.create(page=show, person=PersonFactory(name="H" * 145), role="host")
    ShowHost.objects.create(page=show, person=PersonFactory(name="Anna Schmidt"), role="host")
    CacheGeneration.bump(CacheGeneration.PODCASTS)

    response = get_feed(client, show)

    assert response.status_code == 200
    root = etree.fromstring(response.content)
    persons = root.findall(f"./channel/{{{PODCAST_NS}}}person")
    assert [person.text for person in persons] == ["Anna Schmidt"]
    assert item_titles(response) == ["Erste Folge"]


def test_person_group_follows_the_podcast_taxonomy_of_their_role(client, show, publish_episode):
    episode = publish_episode(title="Erste Folge")
    for name, role in [
        ("Anna Schmidt", "host"),
        ("Jonas Weber", "co-host"),
        ("Dr. Ömer Şahin", "guest"),
        ("Lena Vogt", "producer"),
        ("Paul Richter", "editor"),
        ("Marie Koch", "author"),
    ]:
        EpisodePerson.objects.create(page=episode, person=PersonFactory(name=name), role=role)
    ShowHost.objects.create(page=show, person=PersonFactory(name="Lena Vogt"), role="producer")
    CacheGeneration.bump(CacheGeneration.PODCASTS)

    root = etree.fromstring(get_feed(client, show).content)

    persons = root.findall(f"./channel/item/{{{PODCAST_NS}}}person")
    assert [(p.text, p.get("role"), p.get("group")) for p in persons] == [
        ("Anna Schmidt", "host", "cast"),
        ("Jonas Weber", "co-host", "cast"),
        ("Dr. Ömer Şahin", "guest", "cast"),
        ("Lena Vogt", "producer", "creative direction"),
        ("Paul Richter", "editor", "writing"),
        ("Marie Koch", "author", "writing"),
    ]
    (host,) = root.findall(f"./channel/{{{PODCAST_NS}}}person")
    assert host.get("group") == "creative direction"


def test_every_role_editors_can_choose_has_a_taxonomy_group():
    assert [role for role in PersonRole.values if not taxonomy_group(role)] == []


def test_moved_feed_redirects_permanently_and_still_carries_the_feed(
    client, show, publish_episode
):
    publish_episode(title="Erste Folge")
    show.new_feed_url = "https://podcasts.example.org/neu.xml"
    show.save_revision().publish()

    response = get_feed(client, show)

    assert response.status_code == 301
    assert response["Location"] == "https://podcasts.example.org/neu.xml"
    # Apps that do not follow redirects read the body: the feed, pointing to the new one.
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    parsed = podcastparser.parse(show.feed_path(), io.BytesIO(response.content))
    assert parsed["new_url"] == "https://podcasts.example.org/neu.xml"
    assert [episode["title"] for episode in parsed["episodes"]] == ["Erste Folge"]


def test_show_settings_reach_the_feed_in_the_show_language(client, show, publish_episode):
    publish_episode(title="Erste Folge")
    trailer = publish_episode(title="Bald: Staffel 2", episode_type="trailer", season_number=2)
    show.license = "cc-by-4.0"
    show.update_frequency = "weekly"
    show.directory_block = True
    show.save_revision().publish()

    response = get_feed(client, show, HTTP_ACCEPT_LANGUAGE="en")

    root = etree.fromstring(response.content)
    channel = root.find("channel")
    assert channel.findtext(f"{{{PODCAST_NS}}}license") == "cc-by-4.0"
    frequency = channel.find(f"{{{PODCAST_NS}}}updateFrequency")
    assert (frequency.text, frequency.get("rrule")) == ("Wöchentlich", "FREQ=WEEKLY")
    assert feedparser.parse(response.content).feed.itunes_block == 1
    (announced,) = channel.findall(f"{{{PODCAST_NS}}}trailer")
    assert announced.text == "Bald: Staffel 2"
    assert announced.get("url") == f"http://testserver{trailer.enclosure_path()}"
    assert announced.get("season") == "2"


def test_a_complete_show_says_so_instead_of_its_rhythm(client, show, publish_episode):
    publish_episode(title="Erste Folge")
    show.update_frequency = "weekly"
    show.complete = True
    show.save_revision().publish()

    root = etree.fromstring(get_feed(client, show).content)

    frequency = root.find(f"./channel/{{{PODCAST_NS}}}updateFrequency")
    assert (frequency.text, dict(frequency.attrib)) == ("Abgeschlossen", {"complete": "true"})
    assert root.findall(f"./channel/{{{PODCAST_NS}}}license") == []
    assert root.findall("./channel/{http://www.itunes.com/dtds/podcast-1.0.dtd}block") == []


def test_chapters_and_transcript_are_served_with_their_types(client, show, publish_episode):
    episode = publish_episode(
        transcript="WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v Anna>Willkommen!\n"
    )
    EpisodeChapter.objects.create(page=episode, start=dt.timedelta(seconds=30), title="Praxis")
    EpisodeChapter.objects.create(page=episode, start=dt.timedelta(0), title="Intro")
    CacheGeneration.bump(CacheGeneration.PODCASTS)

    chapters = client.get(episode.chapters_path())
    assert chapters["Content-Type"].startswith("application/json+chapters")
    assert chapters["Access-Control-Allow-Origin"] == "*"
    assert [c["title"] for c in chapters.json()["chapters"]] == ["Intro", "Praxis"]
    transcript = client.get(episode.transcript_path())
    assert transcript["Content-Type"] == "text/vtt; charset=utf-8"
    assert transcript.content.startswith(b"WEBVTT")

    root = etree.fromstring(get_feed(client, show).content)
    item = root.find("./channel/item")
    assert item.find(f"{{{PODCAST_NS}}}chapters").get("url").endswith(episode.chapters_path())
    assert item.find(f"{{{PODCAST_NS}}}transcript").get("type") == "text/vtt"


def test_enclosure_answers_head_and_ranges(client, show, publish_episode):
    episode = publish_episode()
    rendition = episode.audio.renditions.get(spec=PODCAST_MP3_SPEC)
    url = episode.enclosure_path()
    assert url.endswith(".mp3")

    if not settings.SERVE_MEDIA:
        # Media on S3: a redirect that keeps the extension, to a URL that does ranges itself.
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].split("?")[0].endswith(".mp3")
        location = response["Location"]
        assert location.startswith("http")
        request = urllib.request.Request(location, headers={"Range": "bytes=0-1"})  # noqa: S310
        with urllib.request.urlopen(request) as remote:  # noqa: S310
            assert remote.status == 206
            assert remote.read() == bytes(range(2))
        return

    head = client.head(url)
    assert head.status_code == 200
    assert head["Content-Length"] == str(rendition.file_size)
    assert head["Content-Type"] == "audio/mpeg"
    assert head["Accept-Ranges"] == "bytes"

    probe = client.get(url, HTTP_RANGE="bytes=0-1")
    assert probe.status_code == 206
    assert probe["Content-Range"] == f"bytes 0-1/{rendition.file_size}"
    assert b"".join(probe.streaming_content) == bytes(range(2))

    beyond = client.get(url, HTTP_RANGE=f"bytes={rendition.file_size + 10}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{rendition.file_size}"

    m4a = client.head(episode.enclosure_path("m4a"))
    assert m4a.status_code == 200
    assert m4a["Content-Type"] == "audio/mp4"


def test_enclosure_of_unpublished_or_private_episode_is_404(client, show, publish_episode):
    episode = publish_episode()
    PageViewRestriction.objects.create(page=episode, restriction_type="login")
    assert client.head(episode.enclosure_path()).status_code == 404
    PageViewRestriction.objects.all().delete()
    episode.unpublish()
    assert client.head(episode.enclosure_path()).status_code == 404


def test_scheduled_episode_stays_out_until_its_time(
    client, show, publish_episode, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from tests.cms.factories import PodcastEpisodePageFactory

    episode = PodcastEpisodePageFactory(parent=show, live=False, title="Später")
    episode.go_live_at = timezone.now() + dt.timedelta(hours=1)
    episode.save_revision().publish()
    episode.refresh_from_db()
    assert not episode.live
    assert item_titles(get_feed(client, show)) == []

    # An hour later (simulated): the scheduled revision's time has come.
    past = timezone.now() - dt.timedelta(seconds=1)
    revision = episode.revisions.get(approved_go_live_at__isnull=False)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", verbosity=0)
    assert item_titles(get_feed(client, show)) == ["Später"]


def set_feed_episode_limit(admin_client, show, value):
    from django.urls import reverse

    from tests.cms.admin_forms import form_data

    url = reverse("wagtailadmin_pages:edit", args=(show.pk,))
    data = form_data(admin_client, url)
    data.update({"feed_episode_limit": value, "action-publish": "action-publish"})
    return admin_client.post(url, data)


def test_show_can_limit_its_feed_to_the_latest_episodes(
    client, admin_client, show, publish_episode, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(1, 5):
            publish_episode(title=f"Folge {number}")
    before = get_feed(client, show)
    assert [e.title for e in feedparser.parse(before.content).entries] == [
        "Folge 4", "Folge 3", "Folge 2", "Folge 1",
    ]  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        assert set_feed_episode_limit(admin_client, show, "2").status_code == 302
    limited = get_feed(client, show, HTTP_IF_NONE_MATCH=before["ETag"])

    # A podcast app holding the old feed gets the new one, not a 304.
    assert limited.status_code == 200
    assert limited["ETag"] != before["ETag"]
    parsed = feedparser.parse(limited.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [entry.title for entry in parsed.entries] == ["Folge 4", "Folge 3"]

    with django_capture_on_commit_callbacks(execute=True):
        assert set_feed_episode_limit(admin_client, show, "").status_code == 302
    assert len(feedparser.parse(get_feed(client, show).content).entries) == 4


def test_feed_episode_limit_below_one_is_refused(admin_client, show):
    response = set_feed_episode_limit(admin_client, show, "0")

    assert response.status_code == 200
    assert "feed_episode_limit" in response.context["form"].errors
    show.refresh_from_db()
    assert show.feed_episode_limit is None


def test_text_records_prove_ownership_to_directories(client, show, publish_episode):
    publish_episode()
    show.txt_records = [
        ("record", {"purpose": "applepodcastsverify", "text": "abc-123-def"}),
        ("record", {"purpose": "", "text": "Hinweis für Verzeichnisse"}),
    ]
    show.save_revision().publish()
    root = etree.fromstring(get_feed(client, show).content)
    records = root.findall(f"./channel/{{{PODCAST_NS}}}txt")
    assert [(r.get("purpose"), r.text) for r in records] == [
        ("applepodcastsverify", "abc-123-def"),
        (None, "Hinweis für Verzeichnisse"),
    ]
