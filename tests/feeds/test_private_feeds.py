"""Private feeds: a show or single episodes restricted to a group (Wagtail's page privacy)
reach their subscribers through personal feed URLs, and never through the public feed."""

import datetime as dt
import gzip
import io
import re

import feedparser
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from lxml import etree
from wagtail.models import PageViewRestriction

from cms.core.models import CacheGeneration
from cms.podcasts.models import EpisodeChapter
from feeds.models import PrivateFeedFetch, PrivateFeedToken
from feeds.private import create_token
from media_pipeline.specs import PODCAST_MP3_SPEC
from tests.cms.factories import PodcastShowPageFactory
from tests.media_pipeline.conftest import generate

pytestmark = pytest.mark.django_db

TRANSCRIPT = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nNur für das Partnernetz.\n"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = "{https://podcastindex.org/namespace/1.0}"


@pytest.fixture(scope="module")
def mp3_bytes(tmp_path_factory):
    """One second of real MP3 from ffmpeg, shared by the module's tests."""
    path = tmp_path_factory.mktemp("audio") / "partner.mp3"
    generate(path, "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-b:a", "64k")
    return path.read_bytes()


@pytest.fixture
def partners(db):
    return Group.objects.create(name="Partnernetz")


@pytest.fixture
def member(django_user_model, partners):
    user = django_user_model.objects.create_user("partnerin", "p@example.org", "x" * 12)
    user.groups.add(partners)
    return user


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user("fremd", "f@example.org", "x" * 12)


def restrict(page, group):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    CacheGeneration.bump(CacheGeneration.PODCASTS)
    return restriction


@pytest.fixture
def episodes(publish_episode, partners, mp3_bytes):
    """A public episode and one restricted to the partner network, with real MP3 audio,
    chapters and a transcript."""
    public = publish_episode(title="Öffentliche Folge")
    secret = publish_episode(title="Nur fürs Partnernetz", transcript=TRANSCRIPT)
    EpisodeChapter.objects.create(page=secret, start=dt.timedelta(0), title="Begrüßung")
    rendition = secret.audio.renditions.get(spec=PODCAST_MP3_SPEC)
    rendition.file.save("partner.mp3", ContentFile(mp3_bytes))
    rendition.file_size = len(mp3_bytes)
    rendition.save()
    restrict(secret, partners)
    return public, secret


def feed_path(secret, show):
    return reverse("private_podcast_feed", args=[secret, show.pk])


def guids(response) -> set[str]:
    return {guid.text for guid in etree.fromstring(response.content).iter("guid")}


def personal_urls(secret, episode):
    return [
        reverse("private_episode_enclosure", args=[secret, episode.guid, "mp3"]),
        reverse("private_episode_chapters", args=[secret, episode.guid]),
        reverse("private_episode_transcript", args=[secret, episode.guid]),
    ]


def test_restricted_episode_stays_out_of_public_feed_page_and_sitemap(client, show, episodes):
    public, secret = episodes

    feed = client.get(show.feed_path())
    page = client.get(show.url)
    sitemap = client.get("/sitemap.xml")

    assert guids(feed) == {str(public.guid)}
    assert "Nur fürs Partnernetz" not in page.content.decode()
    assert secret.slug not in sitemap.content.decode()
    for path in (secret.enclosure_path(), secret.chapters_path(), secret.transcript_path()):
        assert client.get(path).status_code == 404, path


def test_personal_feed_lists_restricted_episodes_and_parses(client, show, episodes):
    public, secret_episode = episodes
    _token, secret = create_token(show, label="Partnernetz Nord")

    response = client.get(feed_path(secret, show))

    assert response.status_code == 200
    assert guids(response) == {str(public.guid), str(secret_episode.guid)}
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert {entry.title for entry in parsed.entries} == {
        "Öffentliche Folge",
        "Nur fürs Partnernetz",
    }
    for entry in parsed.entries:
        assert f"/podcast-audio/private/{secret}/" in entry.enclosures[0].href
    channel = etree.fromstring(response.content).find("channel")
    assert channel.findtext(f"{ITUNES}block") == "Yes"
    assert channel.findtext(f"{PODCAST}locked") == "yes"
    public_channel = etree.fromstring(client.get(show.feed_path()).content).find("channel")
    assert channel.findtext(f"{PODCAST}guid") != public_channel.findtext(f"{PODCAST}guid")
    assert f"/feeds/private/{secret}/chapters/" in response.content.decode()
    assert f"/feeds/private/{secret}/transcripts/" in response.content.decode()


def test_personal_feed_is_gzipped_per_response_and_names_no_hub(client, show, episodes, settings):
    settings.WEBSUB_HUBS = ["https://hub.example.org/"]
    _token, secret = create_token(show, label="Partnernetz Nord")

    response = client.get(feed_path(secret, show), HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert "accept-encoding" in response["Vary"].lower()
    assert response["Cache-Control"] == "private, no-cache"
    xml = gzip.decompress(response.content)
    assert secret.encode() in xml and b"hub.example.org" not in xml
    assert b"hub.example.org" in client.get(show.feed_path()).content


def test_token_of_a_deactivated_subscriber_is_404(client, show, episodes, member):
    _token, secret = create_token(show, user=member)
    assert client.get(feed_path(secret, show)).status_code == 200

    member.is_active = False
    member.save()

    assert client.get(feed_path(secret, show)).status_code == 404


def test_personal_feed_parses_with_podcastparser(client, show, episodes):
    podcastparser = pytest.importorskip("podcastparser")
    _token, secret = create_token(show, label="Partnernetz Nord")

    url = f"http://testserver{feed_path(secret, show)}"
    parsed = podcastparser.parse(url, io.BytesIO(client.get(feed_path(secret, show)).content))

    assert {episode["title"] for episode in parsed["episodes"]} == {
        "Öffentliche Folge",
        "Nur fürs Partnernetz",
    }
    assert all(secret in episode["enclosures"][0]["url"] for episode in parsed["episodes"])


def test_personal_enclosure_serves_the_audio(client, show, episodes, mp3_bytes):
    _public, secret_episode = episodes
    _token, secret = create_token(show, label="Partnernetz Nord")
    enclosure, chapters, transcript = personal_urls(secret, secret_episode)

    response = client.get(enclosure)

    if django_settings.MEDIA_ON_S3:
        assert response.status_code == 302  # the bucket serves the bytes
    else:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == mp3_bytes
        assert "private" in response["Cache-Control"]
        ranged = client.get(enclosure, HTTP_RANGE="bytes=0-99")
        assert ranged.status_code == 206
    assert client.get(chapters).json()["chapters"][0]["title"] == "Begrüßung"
    assert client.get(transcript).content.decode() == TRANSCRIPT


def test_revoked_or_unknown_token_is_404_everywhere(client, show, episodes):
    _public, secret_episode = episodes
    token, secret = create_token(show, label="Partnernetz Nord")
    urls = [feed_path(secret, show), *personal_urls(secret, secret_episode)]
    assert all(client.get(url).status_code == 200 for url in urls[::3])  # feed, transcript

    token.revoked_at = dt.datetime.now(dt.UTC)
    token.save()

    for url in urls:
        assert client.get(url).status_code == 404, url
    unknown = "A" * 32
    for url in [feed_path(unknown, show), *personal_urls(unknown, secret_episode)]:
        assert client.get(url).status_code == 404, url


def test_token_of_one_show_does_not_open_another(client, home_pages, show, episodes, partners):
    _public, secret_episode = episodes
    other = PodcastShowPageFactory(parent=home_pages[0], slug="andere-sendung")
    other.save_revision().publish()
    restrict(other, partners)
    _token, secret_of_other = create_token(other, label="Andere")

    assert client.get(feed_path(secret_of_other, show)).status_code == 404
    for url in personal_urls(secret_of_other, secret_episode):
        assert client.get(url).status_code == 404, url


def test_restricted_show_is_404_publicly_and_whole_in_the_personal_feed(
    client, show, publish_episode, partners
):
    episode = publish_episode(title="Intern")
    restrict(show, partners)
    _token, secret = create_token(show, label="Team")

    assert client.get(show.feed_path()).status_code == 404
    assert client.get(episode.enclosure_path()).status_code == 404
    assert guids(client.get(feed_path(secret, show))) == {str(episode.guid)}


def test_subscriber_token_stops_when_they_leave_the_group(client, show, episodes, member):
    _public, secret_episode = episodes
    _token, secret = create_token(show, user=member)
    assert str(secret_episode.guid) in guids(client.get(feed_path(secret, show)))

    member.groups.clear()

    assert str(secret_episode.guid) not in guids(client.get(feed_path(secret, show)))
    assert client.get(personal_urls(secret, secret_episode)[0]).status_code == 404


def test_password_restriction_is_never_opened_by_a_token(client, show, publish_episode):
    episode = publish_episode(title="Mit Passwort")
    PageViewRestriction.objects.create(page=episode, restriction_type="password", password="x")
    CacheGeneration.bump(CacheGeneration.PODCASTS)
    _token, secret = create_token(show, label="Partnernetz")

    assert str(episode.guid) not in guids(client.get(feed_path(secret, show)))


def test_fetches_are_counted_per_token_and_day(client, show, episodes):
    _public, secret_episode = episodes
    token, secret = create_token(show, label="Partnernetz Nord")
    other, other_secret = create_token(show, label="Partnernetz Süd")
    enclosure = personal_urls(secret, secret_episode)[0]

    client.get(feed_path(secret, show))
    client.get(feed_path(secret, show))
    client.get(enclosure)
    client.get(enclosure, HTTP_RANGE="bytes=100-199")  # the same download, continued
    client.get(feed_path(other_secret, show))

    counts = PrivateFeedFetch.objects.get(token=token)
    assert (counts.feed_fetches, counts.media_fetches) == (2, 1)
    assert PrivateFeedFetch.objects.get(token=other).feed_fetches == 1
    token.refresh_from_db()
    assert token.last_used_on is not None


@pytest.fixture
def editor(client, django_user_model):
    """A member of Wagtail's "Editors" group, not a superuser: the group is given the private
    feeds by a migration."""
    from django.contrib.auth.models import Group
    from wagtail.users.models import UserProfile

    user = django_user_model.objects.create_user("redaktion", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


def test_editor_creates_lists_and_revokes_a_private_feed(editor, show, episodes, member):
    _public, secret_episode = episodes
    add_url = reverse("wagtailsnippets_feeds_privatefeedtoken:add")
    assert editor.get(add_url).status_code == 200

    response = editor.post(
        add_url, {"show": show.pk, "subscriber": "p@example.org", "label": "Partnerin"}
    )

    assert response.status_code == 200
    feed_url = re.search(
        r'value="(http://testserver/feeds/private/[^"]+)"', response.content.decode()
    )
    assert feed_url, response.content.decode()
    token = PrivateFeedToken.objects.get()
    assert token.user == member and feed_url.group(1).split("/")[5] not in token.token_hash
    path = feed_url.group(1).removeprefix("http://testserver")
    editor.get(path)  # fetched twice: the listing counts 2
    assert str(secret_episode.guid) in guids(editor.get(path))

    listing = editor.get(reverse("wagtailsnippets_feeds_privatefeedtoken:list"))
    assert listing.status_code == 200
    assert "Partnerin" in listing.content.decode()
    row = re.search(r"Partnerin.*?</tr>", listing.content.decode(), re.S).group(0)
    assert re.search(r">\s*2\s*<", row), row  # two feed fetches in the last 30 days

    edit_url = reverse("wagtailsnippets_feeds_privatefeedtoken:edit", args=[token.pk])
    response = editor.post(edit_url, {"label": "Partnerin", "revoke": "on"})
    assert response.status_code == 302
    assert editor.get(path).status_code == 404


def test_editor_cannot_create_a_feed_for_a_show_without_restrictions(editor, show):
    add_url = reverse("wagtailsnippets_feeds_privatefeedtoken:add")

    response = editor.post(add_url, {"show": show.pk, "subscriber": "", "label": "X"})

    assert response.status_code == 200
    assert "no episodes restricted to a group" in response.content.decode()
    assert not PrivateFeedToken.objects.exists()


def test_subscriber_gets_and_renews_their_personal_feed(client, show, episodes, member):
    _public, secret_episode = episodes
    page_url = reverse("personal_feed", args=[show.pk])
    client.force_login(member)

    assert f'href="{page_url}"' in client.get(show.url).content.decode()
    response = client.get(page_url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    first = re.search(r'value="http://testserver([^"]+)"', client.post(page_url).content.decode())
    assert str(secret_episode.guid) in guids(client.get(first.group(1)))

    second = re.search(r'value="http://testserver([^"]+)"', client.post(page_url).content.decode())

    assert second.group(1) != first.group(1)
    assert client.get(first.group(1)).status_code == 404
    assert client.get(second.group(1)).status_code == 200
    assert PrivateFeedToken.objects.filter(user=member, revoked_at__isnull=True).count() == 1


def test_personal_feed_page_is_refused_to_others(client, show, episodes, outsider):
    page_url = reverse("personal_feed", args=[show.pk])

    anonymous = client.get(page_url)
    assert anonymous.status_code == 302
    assert reverse("wagtailcore_login") in anonymous["Location"]

    client.force_login(outsider)
    assert client.get(page_url).status_code == 403
    assert client.post(page_url).status_code == 403
    assert "personal-feed" not in client.get(show.url).content.decode()
    assert not PrivateFeedToken.objects.exists()


def test_a_member_on_a_restricted_show_page_is_offered_only_the_personal_feed(
    client, show, publish_episode, member, partners
):
    """The public subscribe box of a restricted show would hand out a feed URL that answers
    404: members see the link to their personal feed instead."""
    publish_episode(title="Intern")
    restrict(show, partners)
    client.force_login(member)

    html = client.get(show.url).content.decode()

    assert reverse("personal_feed", args=[show.pk]) in html
    assert show.feed_path() not in html
