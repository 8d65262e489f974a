"""Who may fetch what under /media/: originals never, renditions only of what is public."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from media_pipeline.models import MediaKind, RenditionStatus
from media_pipeline.specs import PODCAST_MP3_SPEC
from tests.cms.factories import PodcastEpisodePageFactory, PodcastShowPageFactory
from tests.media_pipeline.factories import MediaFileFactory, MediaRenditionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        django_settings.MEDIA_ON_S3, reason="the bucket serves media on S3 (test_media_access_s3)"
    ),
]

HLS_MASTER = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=500000\nv0/index.m3u8\n"
HLS_VARIANT = '#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2.0,\nseg-00000.m4s\n#EXT-X-ENDLIST\n'


@pytest.fixture(autouse=True)
def _serve_media_locally(settings):
    settings.SERVE_MEDIA = True


@pytest.fixture
def show(home_pages):
    home, _english = home_pages
    show = PodcastShowPageFactory(parent=home, slug="smarter-mittelstand")
    show.save_revision().publish()
    return show


def make_episode(show, state: str):
    """An episode whose MP3 rendition is READY, in one of the states an editor can leave it."""
    episode = PodcastEpisodePageFactory(parent=show, live=False)
    if state == "draft":
        episode.save_revision()
    elif state == "scheduled":
        episode.go_live_at = timezone.now() + timedelta(days=1)
        episode.save_revision().publish()
    else:
        episode.save_revision().publish()
    if state == "private":
        PageViewRestriction.objects.create(
            page=episode, restriction_type=PageViewRestriction.LOGIN
        )
    episode.refresh_from_db()
    return episode


def rendition_url(episode) -> str:
    return episode.audio.renditions.get(spec=PODCAST_MP3_SPEC).file.url


def test_uploaded_original_is_never_served(client, admin_client):
    media = MediaFileFactory()
    assert default_storage.exists(media.file.name)
    assert media.file.url.startswith("/media/media/originals/")

    assert client.get(media.file.url).status_code == 404
    assert admin_client.get(media.file.url).status_code == 404


def test_original_is_not_reached_through_a_public_folder_and_dot_dot(client):
    media = MediaFileFactory()

    assert client.get(f"/media/images/../{media.file.name}").status_code == 404
    assert client.get(f"/media/images/%2e%2e/{media.file.name}").status_code == 404


def test_renditions_of_a_live_public_episode_are_served(client, show):
    episode = make_episode(show, "public")

    response = client.get(rendition_url(episode), headers={"Range": "bytes=0-3"})

    assert response.status_code == 206
    assert b"".join(response.streaming_content) == bytes(range(4))


@pytest.mark.parametrize("state", ["draft", "scheduled", "private"])
def test_renditions_of_unpublished_or_private_episodes_are_not_found(client, show, state):
    episode = make_episode(show, state)

    assert client.get(rendition_url(episode)).status_code == 404
    assert client.head(rendition_url(episode)).status_code == 404


def test_rendition_becomes_reachable_once_its_episode_is_published(client, show):
    episode = make_episode(show, "draft")
    url = rendition_url(episode)
    assert client.get(url).status_code == 404

    episode.get_latest_revision().publish()

    assert client.get(url).status_code == 200


def test_private_episode_renditions_are_served_to_who_may_see_the_episode(
    client, show, django_user_model
):
    episode = make_episode(show, "private")
    client.force_login(django_user_model.objects.create_user("hoerer", password="x"))

    response = client.get(rendition_url(episode))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_editors_can_fetch_renditions_of_drafts_for_previews(admin_client, show):
    episode = make_episode(show, "draft")

    assert admin_client.get(rendition_url(episode)).status_code == 200


def test_media_outside_known_public_folders_is_not_served(client):
    name = default_storage.save("exports/statistik.csv", ContentFile(b"secret"))

    assert client.get(default_storage.url(name)).status_code == 404


def _video_index(home):
    from cms.videos.models import ExplainerVideoIndexPage

    index = home.add_child(
        instance=ExplainerVideoIndexPage(
            title="Kurz erklärt",
            slug="kurz-erklaert",
            intro="Digitalisierung in drei Minuten.",
            locale=home.locale,
            owner_name="Zentrum",
            owner_email="video@example.org",
            author="Zentrum",
        )
    )
    index.save_revision().publish()
    return index


def _video_page(index, media, state: str):
    from cms.videos.models import ExplainerVideoPage

    page = index.add_child(
        instance=ExplainerVideoPage(
            title="Was ist eine Cloud?",
            slug="was-ist-eine-cloud",
            summary="Die Cloud erklärt.",
            locale=index.locale,
            video=media,
            live=False,
        )
    )
    revision = page.save_revision()
    if state == "public":
        revision.publish()
    return page


def _hls_video(state: str, home):
    """A video page whose HLS rendition (master, variant playlist, init and one segment) is
    stored the way the pipeline stores it; returns the master playlist's URL."""
    from cms.videos.renditions import VIDEO_HLS_SPEC

    media = MediaFileFactory(kind=MediaKind.VIDEO)
    folder = f"media/renditions/{media.pk}/0123456789abcdef/erklaert.hls.master"
    for relative, data in (
        ("v0/index.m3u8", HLS_VARIANT.encode()),
        ("v0/init.mp4", b"init-bytes"),
        ("v0/seg-00000.m4s", b"segment-bytes"),
    ):
        default_storage.save(f"{folder}/{relative}", ContentFile(data))
    master = default_storage.save(f"{folder}/master.m3u8", ContentFile(HLS_MASTER.encode()))
    MediaRenditionFactory(
        media_file=media, spec=VIDEO_HLS_SPEC, status=RenditionStatus.READY, file=master
    )
    _video_page(_video_index(home), media, state)
    return default_storage.url(master)


def test_hls_playlists_and_segments_of_a_public_video_load_by_relative_path(client, home_pages):
    master_url = _hls_video("public", home_pages[0])

    master = client.get(master_url)
    assert master.status_code == 200
    variant_url = master_url.rsplit("/", 1)[0] + "/" + b"".join(master).decode().split()[-1]
    variant = client.get(variant_url)
    assert variant.status_code == 200
    base = variant_url.rsplit("/", 1)[0]
    segment = client.get(f"{base}/seg-00000.m4s")
    assert segment.status_code == 200
    assert b"".join(segment) == b"segment-bytes"


def test_hls_files_of_a_draft_video_are_not_found(client, home_pages):
    master_url = _hls_video("draft", home_pages[0])
    base = master_url.rsplit("/", 1)[0]

    assert client.get(master_url).status_code == 404
    assert client.get(f"{base}/v0/seg-00000.m4s").status_code == 404


def test_thumbnails_track_of_a_draft_video_is_not_found(client, home_pages):
    """The track names the sprite's URL, and with it the folder of every rendition of the
    video: handing it out for a draft would give the draft's files away."""
    from media_pipeline.specs import VIDEO_SPRITE_SPEC

    media = MediaFileFactory(kind=MediaKind.VIDEO)
    folder = f"media/renditions/{media.pk}/0123456789abcdef"
    name = "erklaert.sprite.interval-2.width-160"
    default_storage.save(
        f"{folder}/{name}.vtt",
        ContentFile(f"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n{name}.jpg#xywh=0,0,160,90\n"),
    )
    sprite = default_storage.save(f"{folder}/{name}.jpg", ContentFile(b"jpeg"))
    rendition = MediaRenditionFactory(
        media_file=media, spec=VIDEO_SPRITE_SPEC, status=RenditionStatus.READY, file=sprite
    )
    page = _video_page(_video_index(home_pages[0]), media, "draft")
    track_url = f"/videos/thumbnails/{rendition.pk}.vtt"

    assert client.get(track_url).status_code == 404

    page.get_latest_revision().publish()
    response = client.get(track_url)
    assert response.status_code == 200
    assert default_storage.url(sprite) in response.content.decode()


@pytest.fixture
def restricted_document(db):
    root = Collection.get_first_root_node()
    members_only = root.add_child(name="Nur für Mitglieder")
    CollectionViewRestriction.objects.create(
        collection=members_only, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = get_document_model()(title="Leitfaden", collection=members_only)
    document.file.save("leitfaden-intern.pdf", ContentFile(b"%PDF-1.4 intern"), save=False)
    document.save()
    return document


def test_document_in_a_restricted_collection_is_not_served_under_media(
    client, restricted_document, settings
):
    assert client.get(restricted_document.url).status_code == 302  # Wagtail asks for a login
    direct = settings.MEDIA_URL + restricted_document.file.name

    assert client.get(direct).status_code == 404


def test_documents_link_to_wagtails_serve_view(restricted_document):
    assert restricted_document.url == (
        f"/documents/{restricted_document.pk}/{restricted_document.filename}"
    )
