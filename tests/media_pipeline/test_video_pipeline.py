"""The video profile through the services the workers run: real ffmpeg on generated clips."""

import re
import subprocess
from itertools import pairwise

import pytest

from media_pipeline import services
from media_pipeline.binaries import ffmpeg_path
from media_pipeline.hls import parse_variant_playlist, top_level_boxes
from media_pipeline.models import MediaFile, MediaKind, RenditionStatus
from media_pipeline.roles import sprite_track_name, sprite_track_url, video_renditions
from media_pipeline.specs import (
    DEFAULT_RENDITION_SPECS,
    VIDEO_AUDIO_ONLY_SPEC,
    VIDEO_HLS_SPEC,
    VIDEO_LADDER_SPECS,
    VIDEO_POSTER_SPEC,
    VIDEO_SPRITE_SPEC,
    poster_spec_at,
)
from tests.media_pipeline.conftest import ffprobe_json, import_file, process_all

pytestmark = pytest.mark.django_db


def local_copy(storage, name, tmp_path):
    target = tmp_path / "check" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with storage.open(name, "rb") as source:
        target.write_bytes(source.read())
    return target


def keyframe_times(path):
    packets = ffprobe_json(
        path, "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags"
    )["packets"]
    return [round(float(p["pts_time"]), 3) for p in packets if "K" in p["flags"]]


@pytest.fixture
def landscape_480p(make_media):
    """854x480, 25 fps, stereo, 5 s: the 480 and 360 rungs apply, 1080 and 720 do not."""
    return make_media(
        "erklaervideo.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=854x480:rate=25:duration=5",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=5:sample_rate=48000",
        "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
    )  # fmt: skip


def test_ladder_skips_rungs_above_the_source_and_never_upscales(landscape_480p, tmp_path):
    media_file = import_file(landscape_480p)
    assert media_file.kind == MediaKind.VIDEO
    specs = set(media_file.renditions.values_list("spec", flat=True))
    assert specs == {
        VIDEO_LADDER_SPECS[480], VIDEO_LADDER_SPECS[360],
        VIDEO_HLS_SPEC, VIDEO_POSTER_SPEC, VIDEO_SPRITE_SPEC, VIDEO_AUDIO_ONLY_SPEC,
    }  # fmt: skip
    renditions = process_all(media_file)
    assert all(r.status == RenditionStatus.READY for r in renditions.values()), [
        (r.spec, r.error, r.error_detail) for r in renditions.values()
    ]
    sizes = {}
    for height in (480, 360):
        rendition = renditions[VIDEO_LADDER_SPECS[height]]
        path = local_copy(rendition.file.storage, rendition.file.name, tmp_path)
        stream = ffprobe_json(path, "-show_streams")["streams"]
        video = next(s for s in stream if s["codec_type"] == "video")
        sizes[height] = (video["width"], video["height"], rendition.width, rendition.height)
        assert video["codec_name"] == "h264" and video["sample_aspect_ratio"] in ("1:1", "N/A")
        assert video["r_frame_rate"] == video["avg_frame_rate"] == "25/1"
        assert any(s["codec_type"] == "audio" and s["codec_name"] == "aac" for s in stream)
        assert abs(rendition.duration - 5.0) < 0.25
    assert sizes == {480: (854, 480, 854, 480), 360: (640, 360, 640, 360)}


def test_keyframes_every_two_seconds_at_the_same_instants_on_every_rung(landscape_480p, tmp_path):
    renditions = process_all(import_file(landscape_480p))
    times = [
        keyframe_times(local_copy(r.file.storage, r.file.name, tmp_path))
        for r in (renditions[VIDEO_LADDER_SPECS[480]], renditions[VIDEO_LADDER_SPECS[360]])
    ]
    assert times[0] == times[1] == [0.0, 2.0, 4.0]


def test_every_mp4_has_its_index_before_the_media_data(landscape_480p, tmp_path):
    renditions = process_all(import_file(landscape_480p))
    for spec in (VIDEO_LADDER_SPECS[480], VIDEO_LADDER_SPECS[360]):
        rendition = renditions[spec]
        boxes = top_level_boxes(local_copy(rendition.file.storage, rendition.file.name, tmp_path))
        assert boxes[0] == "ftyp"
        assert boxes.index("moov") < boxes.index("mdat"), boxes


def master_variants(text):
    lines = text.splitlines()
    variants = []
    for index, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attributes = dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))
            variants.append((attributes, lines[index + 1]))
    return variants


def test_hls_master_and_variant_playlists_reference_stored_fmp4_segments(landscape_480p, tmp_path):
    renditions = process_all(import_file(landscape_480p))
    hls = renditions[VIDEO_HLS_SPEC]
    assert hls.status == RenditionStatus.READY, hls.error_detail
    assert hls.file.name.endswith("/master.m3u8")
    assert hls.mime_type == "application/vnd.apple.mpegurl"
    storage = hls.file.storage
    prefix = hls.file.name.rsplit("/", 1)[0]
    with storage.open(hls.file.name) as handle:
        master = handle.read().decode()
    variants = master_variants(master)
    assert [(a["RESOLUTION"], uri) for a, uri in variants] == [
        ("854x480", "v0/index.m3u8"),
        ("640x360", "v1/index.m3u8"),
    ]
    for attributes, uri in variants:
        assert int(attributes["BANDWIDTH"]) >= int(attributes["AVERAGE-BANDWIDTH"]) > 10_000
        assert re.fullmatch(r'"avc1\.64[0-9a-f]{4},mp4a\.40\.2"', attributes["CODECS"])
        assert attributes["FRAME-RATE"] == "25.000"
        variant = local_copy(storage, f"{prefix}/{uri}", tmp_path)
        text = variant.read_text()
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in text and "#EXT-X-ENDLIST" in text
        playlist = parse_variant_playlist(variant)
        assert playlist.init and all(uri.endswith(".m4s") for uri, _ in playlist.segments)
        assert abs(sum(seconds for _, seconds in playlist.segments) - 5.0) < 0.1
        folder = uri.rsplit("/", 1)[0]
        for name in [playlist.init, *(uri for uri, _ in playlist.segments)]:
            assert storage.exists(f"{prefix}/{folder}/{name}")
    assert hls.width == 854 and hls.height == 480
    assert hls.file_size > sum(storage.size(f"{prefix}/{uri}") for _, uri in variants)


def video_packet_hashes(path, demuxer):
    result = subprocess.run(
        [
            ffmpeg_path(), "-v", "error", "-protocol_whitelist", "file", "-f", demuxer,
            "-i", str(path), "-map", "0:v:0", "-c", "copy", "-f", "framemd5", "-",
        ],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return [
        line.rsplit(",", 1)[-1].strip() for line in result.stdout.splitlines() if line[:1] != "#"
    ]


def test_hls_segments_carry_the_mp4_rungs_packets_not_a_second_encode(landscape_480p, tmp_path):
    media_file = import_file(landscape_480p)
    renditions = process_all(media_file)
    hls = renditions[VIDEO_HLS_SPEC]
    rung = renditions[VIDEO_LADDER_SPECS[360]]
    prefix = hls.file.name.rsplit("/", 1)[0]
    for name in hls.file.storage.listdir(f"{prefix}/v1")[1]:
        local_copy(hls.file.storage, f"{prefix}/v1/{name}", tmp_path)
    variant = tmp_path / "check" / prefix / "v1" / "index.m3u8"
    mp4 = local_copy(rung.file.storage, rung.file.name, tmp_path)
    assert video_packet_hashes(variant, "hls") == video_packet_hashes(mp4, "mov")


def test_poster_and_sprite_with_its_thumbnails_track(landscape_480p, tmp_path):
    media_file = import_file(landscape_480p)
    renditions = process_all(media_file)
    poster = renditions[VIDEO_POSTER_SPEC]
    path = local_copy(poster.file.storage, poster.file.name, tmp_path)
    stream = ffprobe_json(path, "-show_streams")["streams"][0]
    assert (stream["codec_name"], stream["width"], stream["height"]) == ("mjpeg", 854, 480)
    assert poster.mime_type == "image/jpeg"

    sprite = renditions[VIDEO_SPRITE_SPEC]
    path = local_copy(sprite.file.storage, sprite.file.name, tmp_path)
    stream = ffprobe_json(path, "-show_streams")["streams"][0]
    # 5 s, a thumbnail every 2 s: 3 tiles of 160x90 side by side.
    assert (stream["width"], stream["height"]) == (480, 90)
    assert (sprite.width, sprite.height) == (160, 90)
    with sprite.file.storage.open(sprite_track_name(sprite)) as handle:
        track = handle.read().decode()
    sprite_name = sprite.file.name.rsplit("/", 1)[-1]
    assert track.startswith("WEBVTT")
    assert re.findall(r"(\S+) --> (\S+)\n(\S+)", track) == [
        ("00:00:00.000", "00:00:02.000", f"{sprite_name}#xywh=0,0,160,90"),
        ("00:00:02.000", "00:00:04.000", f"{sprite_name}#xywh=160,0,160,90"),
        ("00:00:04.000", "00:00:05.000", f"{sprite_name}#xywh=320,0,160,90"),
    ]


def test_editor_chosen_poster_frame(landscape_480p, tmp_path):
    media_file = import_file(landscape_480p)
    process_all(media_file)
    chosen = services.request_rendition(media_file, poster_spec_at(3.2))
    assert chosen.spec == "poster|at-3200ms"
    services.transcode_rendition(chosen.pk)
    chosen.refresh_from_db()
    assert chosen.status == RenditionStatus.READY, chosen.error_detail
    automatic = media_file.renditions.get(spec=VIDEO_POSTER_SPEC)
    chosen_bytes = local_copy(chosen.file.storage, chosen.file.name, tmp_path).read_bytes()
    automatic_bytes = local_copy(automatic.file.storage, automatic.file.name, tmp_path)
    assert chosen_bytes != automatic_bytes.read_bytes()
    assert (chosen.width, chosen.height) == (854, 480)
    assert video_renditions(media_file)["poster"] == automatic
    assert video_renditions(media_file, poster_at=3.2)["poster"] == chosen
    assert video_renditions(media_file, poster_at=1.0)["poster"] == automatic  # not made yet


def test_video_renditions_helper_returns_ready_outputs_by_role(landscape_480p):
    media_file = import_file(landscape_480p)
    assert video_renditions(media_file) == {"mp4": {}}
    process_all(media_file)
    media_file = MediaFile.objects.prefetch_renditions().get(pk=media_file.pk)
    roles = video_renditions(media_file)
    assert list(roles["mp4"]) == [480, 360]
    assert roles["hls"].url.endswith("/master.m3u8")
    assert roles["poster"].spec == VIDEO_POSTER_SPEC
    assert sprite_track_url(roles["sprite"]).endswith(".vtt")
    assert roles["audio_only"].mime_type == "audio/mp4"
    assert media_file.video_renditions() == roles


def test_phone_rotation_is_honoured_portrait_stays_portrait(make_media, tmp_path):
    landscape = make_media(
        "quer.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=3",
        "-f", "lavfi", "-i", "sine=frequency=300:duration=3",
        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
    )  # fmt: skip
    phone = make_media(
        "hochkant.mp4", "-display_rotation", "90", "-i", str(landscape), "-c", "copy"
    )
    media_file = import_file(phone)
    assert (media_file.width, media_file.height) == (360, 640)
    renditions = process_all(media_file)
    rung = renditions[VIDEO_LADDER_SPECS[360]]
    assert rung.status == RenditionStatus.READY, rung.error_detail
    assert VIDEO_LADDER_SPECS[480] not in renditions
    stream = ffprobe_json(
        local_copy(rung.file.storage, rung.file.name, tmp_path), "-show_streams"
    )["streams"][0]
    assert (stream["width"], stream["height"]) == (360, 640)
    assert not any("rotation" in side for side in stream.get("side_data_list", []))
    poster = renditions[VIDEO_POSTER_SPEC]
    assert (poster.width, poster.height) == (360, 640)


def test_variable_frame_rate_source_becomes_constant(make_media, tmp_path):
    vfr = make_media(
        "vfr.mkv",
        "-f", "lavfi", "-i", "testsrc2=size=480x270:rate=30:duration=4",
        # Drop an irregular pattern of frames and keep the gaps: variable frame rate.
        "-vf", "select='not(eq(mod(n,7),3))*not(eq(mod(n,5),1))'", "-fps_mode", "vfr",
        "-c:v", "libx264", "-preset", "ultrafast",
    )  # fmt: skip
    gaps = {
        round(float(b["pts_time"]) - float(a["pts_time"]), 3)
        for a, b in pairwise(
            ffprobe_json(vfr, "-select_streams", "v:0", "-show_entries", "packet=pts_time")[
                "packets"
            ]
        )
    }
    assert len(gaps) > 1  # really variable
    renditions = process_all(import_file(vfr))
    rung = renditions[VIDEO_LADDER_SPECS[360]]
    assert rung.status == RenditionStatus.READY, rung.error_detail
    path = local_copy(rung.file.storage, rung.file.name, tmp_path)
    frames = ffprobe_json(path, "-select_streams", "v:0", "-show_entries", "frame=pts_time")[
        "frames"
    ]
    times = [float(f["pts_time"]) for f in frames]
    assert len({round(b - a, 3) for a, b in pairwise(times)}) == 1
    stream = ffprobe_json(path, "-show_streams")["streams"][0]
    assert stream["r_frame_rate"] == stream["avg_frame_rate"]


def test_source_without_audio_gets_video_only_outputs_and_no_audio_only_rendition(
    make_media, tmp_path
):
    silent = make_media(
        "stumm.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=3",
        "-c:v", "libx264", "-preset", "ultrafast",
    )  # fmt: skip
    media_file = import_file(silent)
    renditions = process_all(media_file)
    assert set(renditions) == {
        VIDEO_LADDER_SPECS[360], VIDEO_HLS_SPEC, VIDEO_POSTER_SPEC, VIDEO_SPRITE_SPEC
    }  # fmt: skip
    assert all(r.status == RenditionStatus.READY for r in renditions.values())
    rung = renditions[VIDEO_LADDER_SPECS[360]]
    streams = ffprobe_json(
        local_copy(rung.file.storage, rung.file.name, tmp_path), "-show_streams"
    )
    assert [s["codec_type"] for s in streams["streams"]] == ["video"]
    hls = renditions[VIDEO_HLS_SPEC]
    with hls.file.storage.open(hls.file.name) as handle:
        ((attributes, _uri),) = master_variants(handle.read().decode())
    assert re.fullmatch(r'"avc1\.[0-9a-f]{6}"', attributes["CODECS"])


def test_video_upload_that_is_really_audio_becomes_audio(make_media, tmp_path):
    cover = make_media(
        "cover.png", "-f", "lavfi", "-i", "color=blue:size=320x320:d=1", "-frames:v", "1"
    )
    audio_in_video = make_media(
        "nur-ton.mp4",
        "-f", "lavfi", "-i", "sine=frequency=300:duration=3",
        "-i", str(cover),
        "-map", "0:a", "-map", "1:v", "-c:a", "aac", "-c:v", "libx264", "-frames:v", "1",
    )  # fmt: skip
    media_file = import_file(audio_in_video)
    assert media_file.kind == MediaKind.AUDIO
    specs = set(media_file.renditions.values_list("spec", flat=True))
    assert specs == set(DEFAULT_RENDITION_SPECS["audio"])


def test_deleting_a_video_removes_every_stored_file_and_regenerating_leaves_no_stale_ones(
    landscape_480p, tmp_path, django_capture_on_commit_callbacks
):
    media_file = import_file(landscape_480p)
    renditions = process_all(media_file)
    hls = renditions[VIDEO_HLS_SPEC]
    storage = hls.file.storage
    media_folder = f"media/renditions/{media_file.pk}"
    before = stored_files(storage, media_folder)
    hls_before = [name for name in before if ".hls.master/" in name]
    assert len(hls_before) >= 7  # master, 2 x (playlist, init, segments)

    assert services.retry_rendition(hls, force=True)
    with django_capture_on_commit_callbacks(execute=True):
        # HLS again, with the rungs it is packaged from: a new attempt, its own folder.
        services.transcode_rendition(hls.pk)
    hls.refresh_from_db()
    assert hls.status == RenditionStatus.READY, hls.error_detail
    after = stored_files(storage, media_folder)
    hls_after = [name for name in after if ".hls.master/" in name]
    assert len(hls_after) == len(hls_before) and not set(hls_after) & set(hls_before)
    # The previous HLS and rung files are gone; nothing but the current renditions is stored.
    current = {r.file.name for r in media_file.renditions.all()}
    assert {name for name in after if not name.endswith((".m4s", ".mp4", ".m3u8", ".vtt"))} <= (
        current
    )
    assert [name for name in before if name in after and name not in current] == [
        name for name in before if name.endswith(".vtt") and name in after
    ]

    renditions = {r.spec: r for r in media_file.renditions.all()}
    sprite = renditions[VIDEO_SPRITE_SPEC]
    names = [r.file.name for r in renditions.values()] + [sprite_track_name(sprite)]
    with django_capture_on_commit_callbacks(execute=True):
        media_file.delete()
    assert stored_files(storage, media_folder) == []
    assert not storage.exists(media_folder + "/" + hls.file.name.split("/")[3])  # no empty folders
    assert [name for name in names if storage.exists(name)] == []


def stored_files(storage, prefix):
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    names = [f"{prefix}/{name}" for name in files]
    for folder in folders:
        names += stored_files(storage, f"{prefix}/{folder}")
    return sorted(names)


def test_truncated_video_ends_ready_or_failed_never_stuck(landscape_480p, tmp_path):
    truncated = tmp_path / "abgeschnitten.mkv"
    source = landscape_480p.read_bytes()
    # An MP4 cut in half loses its index; Matroska cut in half is readable but short.
    remuxed = tmp_path / "voll.mkv"
    subprocess.run(
        [ffmpeg_path(), "-v", "error", "-i", str(landscape_480p), "-c", "copy", str(remuxed)],
        check=True, timeout=60,
    )  # fmt: skip
    truncated.write_bytes(remuxed.read_bytes()[: remuxed.stat().st_size // 2])
    assert source
    media_file = import_file(truncated)
    renditions = process_all(media_file)
    assert {r.status for r in renditions.values()} <= {
        RenditionStatus.READY,
        RenditionStatus.FAILED,
    }
    for rendition in renditions.values():
        if rendition.status == RenditionStatus.FAILED:
            assert rendition.error  # a message for editors, in German


def test_rung_that_no_longer_fits_a_replaced_smaller_source_is_removed(landscape_480p):
    media_file = import_file(landscape_480p)
    process_all(media_file)
    # What replacing the source with a 640x360 file does to the row (its files are removed on
    # commit by the same handler as in the deletion test above).
    media_file.width, media_file.height, media_file.file_hash = 640, 360, "0" * 64
    media_file.save()
    services.ensure_renditions(media_file)
    assert not media_file.renditions.filter(spec=VIDEO_LADDER_SPECS[480]).exists()
    assert media_file.renditions.get(spec=VIDEO_LADDER_SPECS[360]).status == "pending"
