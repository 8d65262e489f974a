import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.blocks import StreamBlock, StreamValue

from media_pipeline import uploads
from media_pipeline.blocks import MediaChooserBlock
from media_pipeline.models import MediaFile, MediaKind, MediaRendition, RenditionStatus
from media_pipeline.specs import default_specs
from tests.media_pipeline.conftest import stored_originals

from .factories import MediaFileFactory, MediaRenditionFactory

pytestmark = pytest.mark.django_db

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}


@pytest.fixture
def sine_wav(make_media):
    return make_media("sinus.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=2")


@pytest.fixture
def sine_mp3(make_media):
    return make_media(
        "zweiter-ton.mp3",
        "-f", "lavfi", "-i", "sine=frequency=660:duration=2",
        "-c:a", "libmp3lame", "-b:a", "64k",
    )  # fmt: skip


@pytest.fixture
def text_as_mp3(tmp_path):
    path = tmp_path / "notizen.mp3"
    path.write_text("Das ist keine Audiodatei, nur Text mit der falschen Endung.\n" * 20)
    return path


@pytest.fixture
def empty_file(tmp_path):
    path = tmp_path / "leer.wav"
    path.write_bytes(b"")
    return path


def upload(client, *paths, title=""):
    handles = [path.open("rb") for path in paths]
    try:
        return client.post(reverse("media:add"), {"files": handles, "title": title}, **GERMAN)
    finally:
        for handle in handles:
            handle.close()


def test_single_upload_creates_media_file_with_pending_renditions(
    admin_client, admin_user, sine_wav
):
    response = upload(admin_client, sine_wav, title="Sinuston")

    assert response.status_code == 302
    assert response.url == reverse("media:index")
    media_file = MediaFile.objects.get()
    assert media_file.title == "Sinuston"
    assert media_file.kind == MediaKind.AUDIO
    assert media_file.duration == pytest.approx(2.0, abs=0.05)
    assert media_file.uploaded_by == admin_user
    assert default_storage.exists(media_file.file.name)
    renditions = list(media_file.renditions.all())
    assert sorted(r.spec for r in renditions) == sorted(default_specs("audio"))
    assert {r.status for r in renditions} == {RenditionStatus.PENDING}


def test_multiple_upload_creates_one_media_file_per_file(admin_client, sine_wav, sine_mp3):
    response = upload(admin_client, sine_wav, sine_mp3, title="ignored for several files")

    assert response.status_code == 302
    assert sorted(MediaFile.objects.values_list("title", flat=True)) == ["sinus", "zweiter-ton"]
    assert MediaRendition.objects.count() == 2 * len(default_specs("audio"))


def test_uploads_are_streamed_to_temporary_files(admin_client, sine_wav, monkeypatch):
    seen = []
    create = uploads.create_media_file

    def spy(uploaded, **kwargs):
        seen.append(uploaded)
        return create(uploaded, **kwargs)

    monkeypatch.setattr(uploads, "create_media_file", spy)
    upload(admin_client, sine_wav)

    # A 2 s WAV is far below Django's in-memory threshold; it still goes to disk.
    assert [type(uploaded) for uploaded in seen] == [TemporaryUploadedFile]


def test_text_file_renamed_to_mp3_is_refused_in_german_and_nothing_is_stored(
    admin_client, text_as_mp3
):
    originals = stored_originals()
    response = upload(admin_client, text_as_mp3)

    assert response.status_code == 200
    assert "Die Datei ist keine lesbare Audio- oder Videodatei." in response.text
    assert "notizen.mp3" in response.text
    assert not MediaFile.objects.exists()
    assert stored_originals() == originals


def test_empty_file_is_refused_in_german_and_nothing_is_stored(admin_client, empty_file):
    originals = stored_originals()
    response = upload(admin_client, empty_file)

    assert response.status_code == 200
    assert "Die Datei ist leer." in response.text
    assert not MediaFile.objects.exists()
    assert stored_originals() == originals


def test_only_the_rejected_file_of_several_is_refused(admin_client, sine_wav, text_as_mp3):
    response = upload(admin_client, sine_wav, text_as_mp3)

    assert response.status_code == 200
    assert "Die Datei ist keine lesbare Audio- oder Videodatei." in response.text
    media_file = MediaFile.objects.get()
    assert media_file.title == "sinus"
    assert reverse("media:inspect", args=(media_file.pk,)) in response.text


def test_identical_upload_names_the_existing_media_file_and_stores_nothing(admin_client, sine_wav):
    upload(admin_client, sine_wav, title="Sinuston")
    existing = MediaFile.objects.get()
    renditions = MediaRendition.objects.count()
    originals = stored_originals()

    response = upload(admin_client, sine_wav, title="Sinuston noch einmal")

    assert response.status_code == 200
    html = response.text
    link = f'<a href="{reverse("media:inspect", args=(existing.pk,))}">Sinuston</a>'
    assert f"bereits als {link} hochgeladen, daher nicht erneut gespeichert." in html
    assert list(MediaFile.objects.all()) == [existing]
    assert MediaRendition.objects.count() == renditions
    assert existing.file.name.rsplit("/", 1)[-1] in originals
    assert stored_originals() == originals


def test_only_the_duplicate_of_several_files_is_not_imported_again(
    admin_client, sine_wav, sine_mp3, tmp_path
):
    upload(admin_client, sine_wav)
    existing = MediaFile.objects.get()
    copy = tmp_path / "kopie.wav"
    copy.write_bytes(sine_wav.read_bytes())

    response = upload(admin_client, copy, sine_mp3)

    html = response.text
    assert response.status_code == 200
    assert html.count("bereits als") == 1
    assert "kopie.wav" in html
    assert f'<a href="{reverse("media:inspect", args=(existing.pk,))}">sinus</a>' in html
    new = MediaFile.objects.get(title="zweiter-ton")
    assert reverse("media:inspect", args=(new.pk,)) in html
    assert MediaFile.objects.count() == 2


def test_file_over_the_size_limit_is_dropped_while_uploading(admin_client, sine_wav, settings):
    settings.MEDIA_MAX_UPLOAD_SIZE = 50_000

    response = upload(admin_client, sine_wav)

    assert response.status_code == 200
    assert "Die Datei ist größer als die erlaubten" in response.text
    assert not MediaFile.objects.exists()


def test_upload_without_files_asks_for_one(admin_client):
    response = admin_client.post(reverse("media:add"), {"title": "nichts"}, **GERMAN)

    assert response.status_code == 200
    assert "Wählen Sie mindestens eine Audio- oder Videodatei aus." in response.text


def test_upload_checks_the_csrf_token(admin_user, sine_wav):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    with sine_wav.open("rb") as handle:
        response = client.post(reverse("media:add"), {"files": [handle]})

    assert response.status_code == 403
    assert not MediaFile.objects.exists()


def test_upload_form_renders(admin_client):
    response = admin_client.get(reverse("media:add"), **GERMAN)

    assert response.status_code == 200
    assert 'type="file"' in response.text
    assert "multiple" in response.text


def test_editor_without_media_permissions_cannot_upload(client, django_user_model, sine_wav):
    editor = django_user_model.objects.create_user("redakteurin", password="pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    assert client.get(reverse("media:index")).status_code in {302, 403}
    upload(client, sine_wav)
    assert not MediaFile.objects.exists()


def test_editor_with_add_permission_can_upload(client, django_user_model, sine_wav):
    editors = Group.objects.create(name="Medien")
    editors.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="add_mediafile"),
    )
    editor = django_user_model.objects.create_user("redakteur", password="pw")
    editor.groups.add(editors)
    client.force_login(editor)

    assert upload(client, sine_wav).status_code == 302
    assert MediaFile.objects.get().uploaded_by == editor


def upload_json(client, path, title=""):
    """One file as the drop zone's script sends it: marked as XMLHttpRequest, asking for JSON."""
    with path.open("rb") as handle:
        return client.post(
            reverse("media:add"),
            {"files": [handle], "title": title},
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
            HTTP_ACCEPT="application/json",
            **GERMAN,
        )


def test_script_upload_answers_json_with_the_new_media_files_title_and_link(
    admin_client, sine_wav
):
    response = upload_json(admin_client, sine_wav, title="Sinuston")

    assert response.status_code == 201
    media_file = MediaFile.objects.get()
    [result] = response.json()["results"]
    assert result["status"] == "accepted"
    assert result["name"] == "sinus.wav"
    assert result["title"] == "Sinuston"
    assert result["url"] == reverse("media:inspect", args=(media_file.pk,))
    assert "hochgeladen als" in result["html"]
    assert media_file.renditions.exists()


def test_script_upload_of_a_duplicate_links_the_existing_media_file(admin_client, sine_wav):
    upload(admin_client, sine_wav, title="Sinuston")
    existing = MediaFile.objects.get()

    response = upload_json(admin_client, sine_wav)

    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["status"] == "duplicate"
    assert result["title"] == "Sinuston"
    assert result["url"] == reverse("media:inspect", args=(existing.pk,))
    assert "bereits als" in result["html"]
    assert list(MediaFile.objects.all()) == [existing]


def test_script_upload_of_a_non_media_file_is_refused_with_400_in_german(
    admin_client, text_as_mp3
):
    originals = stored_originals()

    response = upload_json(admin_client, text_as_mp3)

    assert response.status_code == 400
    [result] = response.json()["results"]
    assert result["status"] == "refused"
    assert result["name"] == "notizen.mp3"
    assert result["message"] == "Die Datei ist keine lesbare Audio- oder Videodatei."
    assert "url" not in result
    assert not MediaFile.objects.exists()
    assert stored_originals() == originals


def test_script_upload_over_the_size_limit_is_refused_with_400(admin_client, sine_wav, settings):
    settings.MEDIA_MAX_UPLOAD_SIZE = 50_000

    response = upload_json(admin_client, sine_wav)

    assert response.status_code == 400
    [result] = response.json()["results"]
    assert result["message"].startswith("Die Datei ist größer als die erlaubten")
    assert not MediaFile.objects.exists()


def test_script_upload_without_a_file_is_refused_with_400(admin_client):
    response = admin_client.post(
        reverse("media:add"), {}, HTTP_ACCEPT="application/json", **GERMAN
    )

    assert response.status_code == 400
    assert response.json() == {
        "results": [],
        "message": "Wählen Sie mindestens eine Audio- oder Videodatei aus.",
    }


def test_script_upload_needs_a_login_like_the_form(client, sine_wav):
    response = upload_json(client, sine_wav)

    assert response.status_code in {302, 403}
    assert not MediaFile.objects.exists()


def test_script_upload_checks_the_csrf_token(admin_user, sine_wav):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = upload_json(client, sine_wav)

    assert response.status_code == 403
    assert not MediaFile.objects.exists()


def test_upload_page_has_a_drop_zone_for_the_script(admin_client):
    response = admin_client.get(reverse("media:add"), **GERMAN)

    html = response.text
    assert "data-media-dropzone" in html
    assert "Dateien hierher ziehen oder auswählen" in html
    assert 'aria-live="polite"' in html
    assert "media_pipeline/media-upload.js" in html
    # Strict CSP: the script is a file, never inline, and no inline handlers or styles.
    assert "<script>" not in html.split("media-upload.js")[0].rsplit("<form", 1)[-1]
    assert " ondrop=" not in html and ' style="' not in html.split("<form", 1)[-1]


def make_listing(count):
    for media_file in MediaFileFactory.create_batch(count):
        MediaRenditionFactory(media_file=media_file, status=RenditionStatus.PROCESSING)
        MediaRenditionFactory(
            media_file=media_file, spec="waveform|peaks-1000", status=RenditionStatus.READY
        )


@pytest.mark.parametrize("count", [1, 15])
def test_listing_queries_do_not_grow_with_the_number_of_media_files(
    admin_client, django_assert_max_num_queries, count
):
    make_listing(count)
    admin_client.get(reverse("media:index"))  # warm per-process caches (content types)

    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("media:index"), **GERMAN)

    assert response.status_code == 200


def test_listing_shows_duration_status_and_a_progress_bar_per_rendition(admin_client):
    rendition = MediaRenditionFactory(
        media_file__title="Interview mit der Kammer",
        status=RenditionStatus.PROCESSING,
        progress=42,
    )

    response = admin_client.get(reverse("media:index"), **GERMAN)

    html = response.text
    assert "Interview mit der Kammer" in html
    assert "02:05" in html  # 125 s
    assert f'id="rendition-progress-{rendition.pk}"' in html
    assert '<progress id="rendition-progress-' in html and 'value="42"' in html
    assert "In Arbeit · 42 %" in html
    assert reverse("media:progress") in html
    assert "media_pipeline/rendition-progress.js" in html


def test_listing_filters_by_kind(admin_client):
    MediaFileFactory(title="Nur Ton", kind=MediaKind.AUDIO)
    MediaFileFactory(title="Erklärfilm", kind=MediaKind.VIDEO)

    response = admin_client.get(reverse("media:index"), {"kind": "video"}, **GERMAN)

    assert "Erklärfilm" in response.text
    assert "Nur Ton" not in response.text


@pytest.mark.parametrize("renditions", [1, 6])
def test_detail_page_queries_do_not_grow_with_the_number_of_renditions(
    admin_client, django_assert_max_num_queries, renditions
):
    media_file = MediaFileFactory()
    for number in range(renditions):
        MediaRenditionFactory(media_file=media_file, spec=f"mp3|bitrate-{64 + number}k")
    url = reverse("media:inspect", args=(media_file.pk,))
    admin_client.get(url)

    with django_assert_max_num_queries(9):
        response = admin_client.get(url, **GERMAN)

    assert response.status_code == 200


def test_detail_page_shows_each_rendition_with_player_measurements_and_errors(admin_client):
    media_file = MediaFileFactory(title="Podcast Folge 1")
    ready = MediaRenditionFactory(
        media_file=media_file,
        status=RenditionStatus.READY,
        progress=100,
        file=ContentFile(b"ID3-fake-mp3", name="folge.mp3"),
        file_size=2_048_000,
        mime_type="audio/mpeg",
        duration=125.0,
        loudness_lufs=-16.04,
        true_peak_dbtp=-1.52,
    )
    failed = MediaRenditionFactory(
        media_file=media_file,
        spec="aac|bitrate-96k|loudnorm",
        status=RenditionStatus.FAILED,
        error="Die Datei konnte nicht umgewandelt werden.",
    )

    response = admin_client.get(reverse("media:inspect", args=(media_file.pk,)), **GERMAN)

    html = response.text
    assert response.status_code == 200
    assert ready.spec in html and failed.spec in html
    assert f'<audio controls preload="none" src="{ready.url}"' in html
    assert f'href="{ready.url}" download' in html
    assert "-16,0" in html and "-1,5" in html  # German number format
    assert "02:05" in html
    assert "Die Datei konnte nicht umgewandelt werden." in html
    assert reverse("media:retry", args=(failed.pk,)) in html
    assert reverse("media:retry", args=(ready.pk,)) not in html


def test_detail_page_names_renditions_in_words_not_specs(admin_client):
    """Editors read “MP4 720p” and “Vorschaubild”, not ``mp4|height-720|crf-23|maxrate-3000k``;
    the spec stays available as the label's title for whoever needs it."""
    media_file = MediaFileFactory(title="Kurz erklärt: Cloud", kind=MediaKind.VIDEO)
    for spec in (*default_specs("video"), "poster|at-75000ms"):
        MediaRenditionFactory(media_file=media_file, spec=spec)

    html = admin_client.get(reverse("media:inspect", args=(media_file.pk,)), **GERMAN).text

    labels = re.findall(r'class="media-rendition-progress__spec"[^>]*>([^<]*)</label>', html)
    assert sorted(labels) == sorted(
        [
            "MP4 1080p",
            "MP4 720p",
            "MP4 480p",
            "MP4 360p",
            "HLS-Stream (alle Größen)",
            "Vorschaubild",
            "Vorschaubilder für die Zeitleiste",
            "AAC 96 kbit/s",
            "Vorschaubild bei 1:15",
        ]
    )
    assert 'title="mp4|height-720|crf-23|maxrate-3000k"' in html


def test_detail_page_shows_a_ready_renditions_warning_as_text(admin_client):
    rendition = MediaRenditionFactory(
        status=RenditionStatus.READY,
        progress=100,
        warning="Bleibt 5 LU unter dem Lautheitsziel.",
    )

    response = admin_client.get(
        reverse("media:inspect", args=(rendition.media_file_id,)), **GERMAN
    )

    html = response.text
    assert "Bleibt 5 LU unter dem Lautheitsziel." in html
    assert "Hinweis:" in html  # said in words, not only by colour or icon
    assert "media-rendition-warning" in html


def test_listing_shows_a_ready_renditions_warning(admin_client):
    MediaRenditionFactory(
        status=RenditionStatus.READY, progress=100, warning="Bleibt 5 LU unter dem Ziel."
    )

    response = admin_client.get(reverse("media:index"), **GERMAN)

    assert "Bleibt 5 LU unter dem Ziel." in response.text


def test_progress_endpoint_reports_status_percent_and_label(admin_client):
    processing = MediaRenditionFactory(
        status=RenditionStatus.PROCESSING, progress=37, eta_seconds=70
    )
    failed = MediaRenditionFactory(status=RenditionStatus.FAILED, error="Zu lang.")

    response = admin_client.get(
        reverse("media:progress"), {"ids": f"{processing.pk},{failed.pk},abc"}, **GERMAN
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    by_id = {item["id"]: item for item in json.loads(response.content)["renditions"]}
    assert by_id[processing.pk]["status"] == "processing"
    assert by_id[processing.pk]["progress"] == 37
    assert by_id[processing.pk]["label"] == "In Arbeit · 37 % · 01:10 verbleibend"
    assert by_id[failed.pk]["status"] == "failed"
    assert by_id[failed.pk]["error"] == "Zu lang."


def test_progress_endpoint_says_a_finished_renditions_warning_in_words(admin_client):
    """The listing is not reloaded when a rendition finishes: the script needs the warning."""
    quiet = MediaRenditionFactory(
        status=RenditionStatus.READY, progress=100, warning="Bleibt 5 LU unter dem Ziel."
    )

    response = admin_client.get(reverse("media:progress"), {"ids": str(quiet.pk)}, **GERMAN)

    (item,) = json.loads(response.content)["renditions"]
    assert item["warning"] == "Bleibt 5 LU unter dem Ziel."
    assert item["warning_label"] == "Hinweis:"


def test_progress_endpoint_needs_media_permissions(client, django_user_model):
    rendition = MediaRenditionFactory()
    editor = django_user_model.objects.create_user("gast", password="pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    response = client.get(reverse("media:progress"), {"ids": str(rendition.pk)})

    assert response.status_code != 200


def test_retry_resets_a_failed_rendition_and_requeues_it(
    admin_client, django_capture_on_commit_callbacks
):
    rendition = MediaRenditionFactory(
        status=RenditionStatus.FAILED, error="Kaputt.", error_detail="ffmpeg said no"
    )

    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(reverse("media:retry", args=(rendition.pk,)), **GERMAN)

    assert response.status_code == 302
    assert response.url == reverse("media:inspect", args=(rendition.media_file_id,))
    rendition.refresh_from_db()
    assert rendition.status == RenditionStatus.PENDING
    assert rendition.error == rendition.error_detail == ""
    assert len(callbacks) == 1  # the transcode task, enqueued on commit


def test_retry_leaves_a_ready_rendition_alone(admin_client, django_capture_on_commit_callbacks):
    rendition = MediaRenditionFactory(status=RenditionStatus.READY, progress=100)

    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(reverse("media:retry", args=(rendition.pk,)))

    rendition.refresh_from_db()
    assert rendition.status == RenditionStatus.READY
    assert callbacks == []


def test_retry_is_post_only(admin_client):
    rendition = MediaRenditionFactory(status=RenditionStatus.FAILED)

    assert admin_client.get(reverse("media:retry", args=(rendition.pk,))).status_code == 405


def test_delete_removes_source_and_rendition_files_from_storage(
    admin_client, django_capture_on_commit_callbacks
):
    rendition = MediaRenditionFactory(
        status=RenditionStatus.READY, file=ContentFile(b"ID3-fake", name="folge.mp3")
    )
    media_file = rendition.media_file
    names = [media_file.file.name, rendition.file.name]
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("media:delete", args=(media_file.pk,)))

    assert response.status_code == 302
    assert not MediaFile.objects.exists() and not MediaRendition.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_files_stay_when_the_delete_is_rolled_back(django_capture_on_commit_callbacks):
    media_file = MediaFileFactory()

    with django_capture_on_commit_callbacks(execute=False):
        media_file.delete()

    assert default_storage.exists(media_file.file.name)


def test_audio_chooser_lists_only_audio(admin_client):
    MediaFileFactory(title="Podcast-Folge", kind=MediaKind.AUDIO)
    MediaFileFactory(title="Erklärvideo", kind=MediaKind.VIDEO)

    html = admin_client.get(reverse("audio_chooser:choose")).json()["html"]

    assert "Podcast-Folge" in html
    assert "Erklärvideo" not in html


def test_media_chooser_filters_by_kind(admin_client):
    MediaFileFactory(title="Podcast-Folge", kind=MediaKind.AUDIO)
    MediaFileFactory(title="Erklärvideo", kind=MediaKind.VIDEO)

    everything = admin_client.get(reverse("media_chooser:choose")).json()["html"]
    videos = admin_client.get(reverse("media_chooser:choose_results"), {"kind": "video"}).text

    assert "Podcast-Folge" in everything and "Erklärvideo" in everything
    assert "Erklärvideo" in videos
    assert "Podcast-Folge" not in videos


def test_chosen_view_returns_the_media_file(admin_client):
    media_file = MediaFileFactory(title="Podcast-Folge")

    response = admin_client.get(reverse("media_chooser:chosen", args=(media_file.pk,)))

    assert response.json()["result"]["title"] == "Podcast-Folge"


def test_audio_chooser_block_refuses_a_video():
    video = MediaFileFactory(kind=MediaKind.VIDEO)
    audio = MediaFileFactory(kind=MediaKind.AUDIO)
    block = MediaChooserBlock(kind="audio")

    assert block.clean(audio) == audio
    with pytest.raises(Exception, match="Auswahl|choice"):
        block.clean(video)


def test_media_chooser_block_round_trips_in_a_stream():
    media_file = MediaFileFactory()
    stream = StreamBlock([("audio", MediaChooserBlock(kind="audio"))])

    value = stream.to_python([{"type": "audio", "value": media_file.pk, "id": "a1"}])

    assert isinstance(value, StreamValue)
    assert value[0].value == media_file
    assert stream.get_prep_value(value)[0]["value"] == media_file.pk
    assert MediaChooserBlock(kind="audio").deconstruct()[2] == {"kind": "audio"}


def test_admin_menu_has_a_media_item(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"), **GERMAN)

    assert "Medien" in response.text
    assert reverse("media:index") in response.text


def test_editor_renames_a_media_file(admin_client):
    media_file = MediaFileFactory(title="Alter Titel")

    response = admin_client.post(
        reverse("media:edit", args=(media_file.pk,)), {"title": "Neuer Titel"}
    )

    assert response.status_code == 302
    media_file.refresh_from_db()
    assert media_file.title == "Neuer Titel"


def test_delete_asks_for_confirmation_first(admin_client):
    media_file = MediaFileFactory()

    response = admin_client.get(reverse("media:delete", args=(media_file.pk,)), **GERMAN)

    assert response.status_code == 200
    assert MediaFile.objects.filter(pk=media_file.pk).exists()


def _episode_using(media_file, *, publish: bool, home_pages):
    from tests.cms.factories import PodcastEpisodePageFactory, PodcastShowPageFactory

    show = PodcastShowPageFactory(parent=home_pages[0], slug="smarter-mittelstand")
    show.save_revision().publish()
    episode = PodcastEpisodePageFactory(
        parent=show, live=False, title="Folge 7: Cloud im Handwerk", audio=media_file
    )
    revision = episode.save_revision()
    if publish:
        revision.publish()
    return episode


def test_delete_of_media_used_by_a_live_page_is_refused_and_names_the_page(
    admin_client, home_pages
):
    media_file = MediaFileFactory()
    episode = _episode_using(media_file, publish=True, home_pages=home_pages)
    url = reverse("media:delete", args=(media_file.pk,))

    confirm = admin_client.get(url, **GERMAN)
    response = admin_client.post(url, **GERMAN)

    assert confirm.status_code == 200
    assert "Folge 7: Cloud im Handwerk" in confirm.content.decode()
    assert "Ja, löschen" not in confirm.content.decode()
    assert response.status_code == 200
    page = response.content.decode()
    assert "wird auf veröffentlichten Seiten verwendet" in page
    assert "Folge 7: Cloud im Handwerk" in page
    assert MediaFile.objects.filter(pk=media_file.pk).exists()
    episode.refresh_from_db()
    assert episode.audio_id == media_file.pk


def test_media_used_only_by_a_draft_can_still_be_deleted(admin_client, home_pages):
    media_file = MediaFileFactory()
    _episode_using(media_file, publish=False, home_pages=home_pages)

    response = admin_client.post(reverse("media:delete", args=(media_file.pk,)))

    assert response.status_code == 302
    assert not MediaFile.objects.filter(pk=media_file.pk).exists()


def test_original_is_downloadable_in_the_admin_only(admin_client, client):
    media_file = MediaFileFactory()
    url = reverse("media:original", args=(media_file.pk,))

    response = admin_client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"RIFF-not-really-audio"
    assert "attachment" in response["Content-Disposition"]
    assert client.get(url).status_code == 302  # to the admin login
