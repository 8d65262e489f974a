"""Moving a podcast in: the import reads feeds served over HTTP on loopback (``old_host``),
fetches cover art, chapters, transcripts and real audio, and creates the show and its episodes
so that subscribers' apps recognise them (same ``podcast:guid``, same item guids)."""

from __future__ import annotations

import io
import time
import uuid

import feedparser
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from lxml import etree
from wagtail.models import Page, Site

from cms.people.models import Person
from cms.podcasts.enclosures import enclosure_spec
from cms.podcasts.models import (
    EpisodeChapter,
    ImportStatus,
    PodcastEpisodePage,
    PodcastImport,
    PodcastShowPage,
    podcast_guid_for,
)
from media_pipeline import services
from media_pipeline.models import MediaFile, MediaRendition
from tests.cms.podcasts import old_host as hosts

PODCAST_NS = "{https://podcastindex.org/namespace/1.0}"


@pytest.fixture
def old_host():
    host = hosts.OldHost()
    yield host
    host.close()


@pytest.fixture
def allow_loopback(settings):
    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = True


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("import_podcast", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def episodes_of(show):
    return list(PodcastEpisodePage.objects.child_of(show).order_by("first_published_at"))


def chapters_of(episode):
    return [
        (chapter.start.total_seconds(), chapter.title, chapter.url)
        for chapter in EpisodeChapter.objects.filter(page=episode).order_by("start")
    ]


# --- feeds of other hosts -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_castopod_podcast_moves_in_with_its_details_people_chapters_and_transcripts(
    home_pages, old_host, allow_loopback, tmp_path
):
    feed_url = hosts.serve_castopod(old_host, tmp_path)

    out, err = run_command(feed_url)

    assert "2 episodes imported, 0 were already here" in out
    assert err == ""
    show = PodcastShowPage.objects.get(title="Werkstattfunk")
    assert show.live and show.get_parent().pk == home_pages[0].pk
    assert str(show.podcast_guid) == hosts.CASTOPOD_GUID
    assert (show.category_1, show.category_2) == ("Business › Entrepreneurship", "Technology")
    assert (show.show_type, show.explicit) == ("serial", False)
    assert (show.owner_name, show.owner_email, show.author) == (
        "Zentrum Nord",
        "podcast@zentrum-nord.example",
        "Zentrum Nord",
    )
    assert show.copyright == "© 2025 Zentrum Nord, CC BY 4.0"
    assert show.description == "<p>Gespräche aus der <b>Werkstatt</b>.</p>"
    assert (show.artwork.width, show.artwork.height) == (1400, 1400)
    assert [(f.url, f.text) for f in show.funding_links.all()] == [
        ("https://zentrum-nord.example/foerderung", "Gefördert vom BMWK")
    ]
    assert [(h.person.name, h.role, h.person.link) for h in show.hosts.all()] == [
        ("Anna Berg", "host", "https://zentrum-nord.example/anna")
    ]
    first, second = episodes_of(show)
    assert [first.feed_guid, second.feed_guid] == hosts.CASTOPOD_ITEM_GUIDS
    assert (first.title, first.season_number, first.episode_number) == (
        "Folge 1: Werkstatt digital",
        1,
        1,
    )
    assert first.first_published_at.isoformat() == "2025-06-01T08:00:00+00:00"
    # Scripts, javascript: links, event handlers and tracking pixels are gone; text stays.
    assert "script" not in first.show_notes and "javascript" not in first.show_notes
    assert "onclick" not in first.show_notes and "tracker" not in first.show_notes
    assert '<a href="https://zentrum-nord.example/links">Links</a>' in first.show_notes
    assert "<b>Auftragsplanung</b>" in first.show_notes and "klick" in first.show_notes
    assert chapters_of(first) == [
        (0.0, "Begrüßung", ""),
        (1.5, "Die Planung", "https://example.org/"),
    ]
    # JSON transcript → WebVTT with speakers, text escaped; SRT → WebVTT.
    assert "<v Anna Berg>Hallo!" in first.transcript
    assert "<v Jonas Albrecht>Danke &lt;für&gt; die Einladung." in first.transcript
    assert first.transcript.startswith("WEBVTT")
    assert "00:00:01.200 --> 00:00:02.500\nHeute geht es weiter." in second.transcript
    assert [(p.person.name, p.role) for p in first.persons.all()] == [("Jonas Albrecht", "guest")]
    assert Person.objects.filter(name="Jonas Albrecht").count() == 1  # one person, two episodes
    # The audio went through the upload checks (probed) and into the pipeline.
    assert first.audio.kind == "audio" and first.audio.duration == pytest.approx(3.0, abs=0.1)
    assert first.audio.renditions.filter(spec=enclosure_spec()).exists()
    assert "Last step on the old host" in out and show.feed_url() in out


@pytest.mark.django_db
def test_a_podlove_podcast_gets_the_guid_the_spec_computes_from_its_feed_url(
    home_pages, old_host, allow_loopback, tmp_path
):
    feed_url = hosts.serve_podlove(old_host, tmp_path)

    run_command(feed_url)

    show = PodcastShowPage.objects.get(title="Prozesswerk")
    # The Podcasting 2.0 example: "podnews.net/rss" → 9b024349-…; scheme and "/" left out.
    assert podcast_guid_for("https://podnews.net/rss/") == uuid.UUID(
        "9b024349-ccf0-5f69-a609-6b82873eab3c"
    )
    assert show.podcast_guid == podcast_guid_for(feed_url)
    assert show.locale.language_code == "de"
    assert show.owner_email == "redaktion@prozesswerk.example"  # from managingEditor
    assert show.category_1 == "Education"
    first, second = episodes_of(show)
    assert first.feed_guid == "podlove-2025-09-11t08:00:00+00:00-5c7f1a2b1"
    assert first.summary == "Wie ein Betrieb seine Prozesse sortiert (Teil 1)."
    assert first.show_notes.startswith("<h3>Themen</h3><ul><li>Prozesse</li>")
    assert "iframe" not in first.show_notes and "player.example" not in first.show_notes
    # Podlove Simple Chapters (normal play time) and the WebVTT transcript.
    assert chapters_of(first) == [
        (0.0, "Intro", ""),
        (1.25, "Werkzeuge", "https://prozesse.example/w"),
    ]
    assert "<v Lea>Willkommen." in first.transcript


@pytest.mark.django_db
def test_running_the_import_again_adds_only_the_new_episodes(
    home_pages, old_host, allow_loopback, tmp_path
):
    feed_url = hosts.serve_podlove(old_host, tmp_path, episodes=2)
    run_command(feed_url)
    show = PodcastShowPage.objects.get(title="Prozesswerk")
    before = [episode.pk for episode in episodes_of(show)]
    hosts.serve_podlove(old_host, tmp_path, episodes=3)  # a new episode at the old host
    old_host.requests.clear()

    out, _err = run_command(feed_url)

    assert "1 episodes imported, 2 were already here" in out
    episodes = episodes_of(show)
    assert [e.pk for e in episodes[:2]] == before
    assert episodes[2].title == "PM003 Prozesse im Griff"
    assert [path for path in old_host.requests if path.endswith(".mp3")] == [
        "/podlove/file/3/s/feed/c/mp3/pm003.mp3"
    ]
    assert PodcastShowPage.objects.filter(title="Prozesswerk").count() == 1
    run_command(feed_url)
    assert len(episodes_of(show)) == 3


@pytest.mark.django_db
def test_an_import_whose_worker_died_runs_again_and_finishes(
    home_pages, old_host, allow_loopback, tmp_path
):
    from cms.podcasts.tasks import import_podcast_task

    feed_url = hosts.serve_podlove(old_host, tmp_path, episodes=1)
    run_command(feed_url)  # the worker got this far, then died
    hosts.serve_podlove(old_host, tmp_path, episodes=2)
    record = PodcastImport.objects.create(feed_url=feed_url, status=ImportStatus.RUNNING)

    import_podcast_task(record.pk)  # the message came back to the queue (acks late)

    record.refresh_from_db()
    assert (record.status, record.episodes_imported, record.episodes_skipped) == (
        ImportStatus.DONE,
        1,
        1,
    )
    show = PodcastShowPage.objects.get(title="Prozesswerk")
    assert len(episodes_of(show)) == 2
    import_podcast_task(record.pk)  # a finished import is not run again
    assert PodcastImport.objects.get(pk=record.pk).finished_at == record.finished_at


@pytest.mark.django_db
def test_a_dry_run_reports_and_changes_nothing(home_pages, old_host, allow_loopback, tmp_path):
    feed_url = hosts.serve_castopod(old_host, tmp_path)
    pages, media = Page.objects.count(), MediaFile.objects.count()

    out, _err = run_command(feed_url, "--dry-run")

    assert "2 of 2 episodes would be imported; nothing was changed" in out
    assert (Page.objects.count(), MediaFile.objects.count()) == (pages, media)
    assert not PodcastImport.objects.exists()
    assert not [path for path in old_host.requests if path.endswith(".mp3")]


@pytest.mark.django_db
def test_an_import_into_an_existing_show_adds_episodes_and_adopts_the_guid(
    show, old_host, allow_loopback, tmp_path
):
    feed_url = hosts.serve_castopod(old_host, tmp_path)

    run_command(feed_url, "--show", str(show.pk))

    show.refresh_from_db()
    assert str(show.podcast_guid) == hosts.CASTOPOD_GUID
    assert show.title != "Werkstattfunk"  # the editors' show keeps its details
    assert len(episodes_of(show)) == 2


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_loopback_and_private_addresses_are_refused_unless_the_setting_allows_them(
    home_pages, old_host, settings, tmp_path
):
    feed_url = hosts.serve_castopod(old_host, tmp_path)
    assert settings.IMPORT_ALLOW_PRIVATE_ADDRESSES is False  # the default

    for url in (feed_url, "http://10.1.2.3/feed.xml", "http://[::1]/feed", "http://169.254.1.1/"):
        with pytest.raises(CommandError, match="private or local network"):
            run_command(url)

    assert old_host.requests == []
    assert not PodcastShowPage.objects.exists()


@pytest.mark.django_db
def test_bad_addresses_and_non_feeds_fail_with_a_clear_message(
    home_pages, old_host, allow_loopback
):
    old_host.add("/page.html", "<!doctype html><title>Shop</title><p>Hallo", "text/html")
    old_host.add("/bomb.xml", BILLION_LAUGHS, "application/rss+xml")
    old_host.redirects["/old-feed"] = "/page.html"
    old_host.redirects["/to-ftp"] = "ftp://example.org/feed.xml"  # every hop is checked
    old_host.redirects["/loop"] = "/loop"
    with socket_closed() as closed_port:
        cases = [
            ("ftp://example.org/feed.xml", "is not a web address"),
            ("feed.xml", "is not a web address"),
            (old_host.url("/page.html"), "does not lead to a podcast feed"),
            (old_host.url("/old-feed"), "does not lead to a podcast feed"),  # after a redirect
            (old_host.url("/to-ftp"), "is not a web address"),
            (old_host.url("/loop"), "redirects too often"),
            (old_host.url("/bomb.xml"), "does not lead to a podcast feed"),
            (old_host.url("/missing.xml"), "answered with HTTP status 404"),
            (f"http://127.0.0.1:{closed_port}/feed.xml", "cannot be reached"),
        ]
        for url, message in cases:
            with pytest.raises(CommandError, match=message):
                run_command(url)
    assert PodcastImport.objects.filter(status=ImportStatus.FAILED).count() == len(cases)
    assert not PodcastShowPage.objects.exists()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>"""


class socket_closed:  # noqa: N801 - used as a context manager
    """A loopback port nobody listens on."""

    def __enter__(self):
        import socket

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        return self.socket.getsockname()[1]

    def __exit__(self, *exc):
        self.socket.close()


@pytest.mark.django_db
def test_oversized_audio_is_refused_per_episode_and_the_rest_is_imported(
    home_pages, old_host, allow_loopback, settings, tmp_path
):
    small, large = hosts.tone_mp3(tmp_path, 2, 700), hosts.tone_mp3(tmp_path, 12, 710)
    other = hosts.tone_mp3(tmp_path, 2, 720)
    settings.IMPORT_MAX_AUDIO_BYTES = (len(small) + len(large)) // 2
    old_host.add("/media/eins.mp3", small, "audio/mpeg")
    old_host.add("/media/zwei.mp3", large, "audio/mpeg")
    old_host.no_length.add("/media/zwei.mp3")  # the cap holds while streaming, too
    old_host.add("/media/drei.mp3", other, "audio/mpeg")
    sizes = {"eins": len(small), "zwei": len(large), "drei": len(other)}
    feed_url = old_host.add("/rss", hosts.hosted_feed(old_host, sizes), "application/rss+xml")

    out, err = run_command(feed_url)

    assert "2 episodes imported" in out
    assert "Zwei" in err and "larger than the allowed" in err
    show = PodcastShowPage.objects.get(title="Digital vor Ort")
    assert [e.title for e in episodes_of(show)] == ["Eins", "Drei"]
    record = PodcastImport.objects.get()
    assert record.status == ImportStatus.DONE
    # No cover art in the feed: the show waits as a draft; the episodes came in all the same.
    assert not show.live and show.has_unpublished_changes
    assert [(e["title"], e["guid"]) for e in record.errors] == [
        ("Digital vor Ort", ""),
        ("Zwei", f"{old_host.base}/episodes/zwei"),
    ]
    assert "saved as a draft" in record.errors[0]["message"]
    assert "cover art" in record.errors[0]["message"]
    assert MediaFile.objects.count() == 2  # nothing kept of the refused file
    eins = episodes_of(show)[0]
    assert eins.show_notes == "<p>Folge eins.</p><p>Zweiter Absatz &amp; mehr.</p>"
    assert eins.feed_guid == f"{old_host.base}/episodes/eins"


# --- round trip: our own feed, imported ------------------------------------------------------


def add_demo_like_episode(show, number: int, data: dict, seconds: int = 4) -> None:
    """An episode as the demo content makes it (speech-like audio, chapters, a WebVTT
    transcript, host and guest), only shorter."""
    from cms.podcasts import demo

    for name in (demo.HOST, data["guest"]):
        Person.objects.get_or_create(name=name, locale=show.locale)
    scale = seconds / data["seconds"]
    short = {
        **data,
        "seconds": seconds,
        "chapters": [(round(start * scale, 2), title) for start, title in data["chapters"]],
    }
    demo._add_episode(show, number, short)


def render_enclosures(show):
    """The real pipeline makes each episode's MP3 (only that rendition: enough for the feed)."""
    for episode in episodes_of(show):
        rendition = MediaRendition.objects.get(media_file=episode.audio, spec=enclosure_spec())
        services.transcode_rendition(rendition.pk)


@pytest.mark.django_db(transaction=True)
def test_round_trip_our_own_feed_imported_keeps_guids_episodes_chapters_transcripts_audio(
    home_pages, live_server, settings, allow_loopback, tmp_path
):
    from cms.podcasts.demo import EPISODES, SHOW
    from tests.cms.factories import PodcastShowPageFactory

    # The feed's absolute URLs name the live server, as a real site names its host.
    host, port = live_server.url.removeprefix("http://").split(":")
    # Saved as the admin saves it, so Wagtail forgets the root paths it has cached (the
    # search index asked for page URLs when the fixture's pages were published).
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = host, int(port)
    site.save()
    home, _english = home_pages
    source = PodcastShowPageFactory(
        parent=home, slug="smarter-mittelstand", title=SHOW["title"], show_type="serial"
    )
    source.save_revision().publish()
    for number, data in enumerate(EPISODES[:2], start=1):
        add_demo_like_episode(source, number, data)
    render_enclosures(source)
    feed_url = f"{live_server.url}{source.feed_path()}"
    exported = feedparser.parse(feed_url)
    assert len(exported.entries) == 2

    run_command(feed_url)

    copy = PodcastShowPage.objects.exclude(pk=source.pk).get()
    assert copy.title == SHOW["title"]
    original_guid = (
        etree.fromstring(live_server_get(feed_url)).find(f"channel/{PODCAST_NS}guid").text
    )
    assert str(copy.podcast_guid) == original_guid
    # Paired by guid: both were published within the same second, so the publication
    # times do not order them the same way on every database.
    originals = sorted(episodes_of(source), key=lambda episode: str(episode.guid))
    copies = sorted(episodes_of(copy), key=lambda episode: episode.feed_guid)
    assert [c.feed_guid for c in copies] == [str(o.guid) for o in originals]
    for original, imported in zip(originals, copies, strict=True):
        assert (imported.title, imported.episode_number, imported.season_number) == (
            original.title,
            original.episode_number,
            original.season_number,
        )
        assert imported.first_published_at == original.first_published_at.replace(microsecond=0)
        assert chapters_of(imported) == chapters_of(original)
        assert imported.transcript == original.transcript
        assert [(p.person.name, p.role) for p in imported.persons.all()] == [
            (p.person.name, p.role) for p in original.persons.all()
        ]
        enclosure = original.audio.renditions.get(spec=enclosure_spec())
        assert imported.audio.duration == pytest.approx(enclosure.duration, abs=0.1)
        assert imported.audio.duration == pytest.approx(original.audio.duration, abs=0.1)

    # The new feed names the same podcast and the same items: apps see nothing new.
    render_enclosures(copy)
    moved = etree.fromstring(live_server_get(f"{live_server.url}{copy.feed_path()}"))
    assert moved.find(f"channel/{PODCAST_NS}guid").text == original_guid
    assert sorted(guid.text for guid in moved.iter("guid")) == sorted(
        entry.id for entry in exported.entries
    )
    assert len(moved.findall(f"channel/item/{PODCAST_NS}chapters")) == 2
    assert len(moved.findall(f"channel/item/{PODCAST_NS}transcript")) == 2


def live_server_get(url: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
        return response.read()


# --- the admin ------------------------------------------------------------------------------


def log_in(client, user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


@pytest.fixture
def editor(client, django_user_model):
    """A member of Wagtail's "Editors" group, which a migration gives the import."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("redaktion", email="r@example.org")
    user.groups.add(Group.objects.get(name="Editors"))
    return log_in(client, user)


@pytest.fixture
def import_editor(client, django_user_model, home_pages):
    """An editor who may import and publish pages under the home page. (Tests that commit
    cannot rely on Wagtail's groups: a flush after an earlier such test removed them.)"""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group = Group.objects.create(name="Podcast-Redaktion")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "add_podcastimport", "view_podcastimport"]
        )
    )
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=home_pages[0],
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtailcore"
            ),
        )
    user = django_user_model.objects.create_user("redaktion", email="r@example.org")
    user.groups.add(group)
    return log_in(client, user)


@pytest.mark.django_db
def test_editors_find_the_import_in_the_admin_menu_and_may_start_one(editor, home_pages):
    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("podcast_imports") in dashboard

    page = editor.get(reverse("podcast_imports"))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="feed_url"' in html and "Start import" in html
    assert "No podcast has been imported yet." in html
    waiting = PodcastImport.objects.create(feed_url="https://old.example/feed.xml")
    detail = editor.get(reverse("podcast_import", args=[waiting.pk]))
    assert detail["Refresh"] == "3"  # progress without JavaScript: the page reloads
    assert 'data-import-status="pending"' in detail.content.decode()


@pytest.mark.django_db
def test_an_editor_who_may_not_publish_gets_drafts_for_a_moderator(
    home_pages, old_host, allow_loopback, tmp_path, django_user_model
):
    from django.contrib.auth.models import Group

    from cms.podcasts.importing import run_import

    user = django_user_model.objects.create_user("autorin", email="a@example.org")
    user.groups.add(Group.objects.get(name="Editors"))  # Wagtail's: add and edit, no publish
    feed_url = hosts.serve_castopod(old_host, tmp_path)
    record = PodcastImport.objects.create(feed_url=feed_url, started_by=user)

    with translation.override("en"):
        run_import(record)

    assert record.status == ImportStatus.DONE and record.episodes_imported == 2
    show = PodcastShowPage.objects.get(title="Werkstattfunk")
    assert not show.live and show.latest_revision is not None
    assert not any(episode.live for episode in episodes_of(show))
    assert "saved as drafts, for a moderator to publish" in record.errors[0]["message"]
    assert episodes_of(show)[0].first_published_at.isoformat() == "2025-06-01T08:00:00+00:00"


@pytest.fixture
def import_worker(settings):
    """A real Celery worker (in this process, solo pool) on the default queue."""
    from celery.contrib.testing.worker import start_worker

    from cms.celery import app

    app.control.purge()
    with start_worker(
        app, pool="solo", queues=["default"], perform_ping_check=False, shutdown_timeout=20
    ) as worker:
        yield worker
    app.control.purge()


# The worker closes this thread's database connection when it starts: the test commits.
@pytest.mark.django_db(transaction=True)
def test_an_editor_starts_an_import_and_follows_progress_and_errors(
    home_pages, import_editor, old_host, allow_loopback, settings, tmp_path, import_worker
):
    small, large = hosts.tone_mp3(tmp_path, 2, 800), hosts.tone_mp3(tmp_path, 12, 810)
    settings.IMPORT_MAX_AUDIO_BYTES = (len(small) + len(large)) // 2
    old_host.add("/media/eins.mp3", small, "audio/mpeg")
    old_host.add("/media/zwei.mp3", large, "audio/mpeg")
    feed_url = old_host.add(
        "/rss",
        hosts.hosted_feed(old_host, {"eins": len(small), "zwei": len(large)}, cover=True),
        "application/rss+xml",
    )
    index_url = reverse("podcast_imports")
    page = import_editor.get(index_url)
    assert page.status_code == 200
    assert b'name="feed_url"' in page.content

    refused = import_editor.post(index_url, {"feed_url": "ftp://example.org/feed"})
    assert refused.status_code == 200
    assert "is not a web address" in refused.content.decode()

    response = import_editor.post(index_url, {"feed_url": feed_url, "show": ""})

    assert response.status_code == 302
    record = PodcastImport.objects.get()
    assert response.url == reverse("podcast_import", args=[record.pk])
    assert record.started_by.username == "redaktion"
    deadline = time.monotonic() + 60
    while True:  # as the browser does: it reloads while the import runs
        page = import_editor.get(response.url)
        assert page.status_code == 200
        if 'data-import-status="done"' in page.content.decode():
            break
        assert page["Refresh"] == "3"
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.2)
    html = page.content.decode()
    assert not page.has_header("Refresh")
    assert 'data-import-status="done"' in html
    assert "Episodes processed: 2 of 2" in html
    assert "Zwei" in html and "larger than the allowed" in html  # the episode's error
    show = PodcastShowPage.objects.get(title="Digital vor Ort")
    assert show.feed_url() in html and "itunes:new-feed-url" in html and "301" in html
    assert [e.title for e in episodes_of(show)] == ["Eins"]
    listing = import_editor.get(index_url).content.decode()
    assert "Digital vor Ort" in listing and "1 problem" in listing


@pytest.mark.django_db
def test_users_without_the_permission_cannot_start_an_import(client, django_user_model):
    user = django_user_model.objects.create_user("gast", password="pw")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    assert client.get(reverse("podcast_imports")).status_code == 403
    assert (
        client.post(reverse("podcast_imports"), {"feed_url": "https://x.example/"}).status_code
        == 403
    )
    assert not PodcastImport.objects.exists()
