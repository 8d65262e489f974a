"""Hostile and broken uploads end as a clear message, quickly, without reading other files."""

import errno
import os
import re
import threading
import time

import pytest
from django.utils import translation

from media_pipeline.exceptions import MediaRejectedError
from media_pipeline.probe import (
    NO_PICTURE_SIZE,
    check_limits,
    max_frame_rate,
    media_info_from_probe,
    probe_media,
    sniff_container,
)


def rejected_message(path):
    with pytest.raises(MediaRejectedError) as caught, translation.override("de"):
        probe_media(path)
    with translation.override("de"):
        return str(caught.value.message)


def test_probe_reads_duration_channels_and_rate(mono_44k):
    info = probe_media(mono_44k)
    assert info.kind == "audio"
    assert info.channels == 1 and info.sample_rate == 44100
    assert abs(info.duration - 4.0) < 0.05


def test_cover_art_does_not_make_audio_a_video(mp3_with_cover_art):
    info = probe_media(mp3_with_cover_art)
    assert info.kind == "audio"
    assert info.has_cover_art


def test_zero_byte_file(tmp_path):
    empty = tmp_path / "leer.mp3"
    empty.write_bytes(b"")
    assert rejected_message(empty) == "Die Datei ist leer."


def test_text_renamed_to_mp3(tmp_path):
    text = tmp_path / "brief.mp3"
    text.write_text("Sehr geehrte Damen und Herren, " * 100)
    assert rejected_message(text) == "Die Datei ist keine lesbare Audio- oder Videodatei."


def test_truncated_mp4_without_index(make_media):
    source = make_media(
        "clip.mp4", "-f", "lavfi", "-i", "sine=duration=3", "-c:a", "aac"
    )  # moov at the end: cutting the file removes it
    data = source.read_bytes()
    source.write_bytes(data[: len(data) // 2])
    assert "keine lesbare" in rejected_message(source)


def _fifo_guard(fifo_path):
    """Watch a FIFO: records whether any process opened it for reading."""
    os.mkfifo(fifo_path)
    state = {"opened": False, "stop": False}

    def watch():
        while not state["stop"]:
            try:
                fd = os.open(fifo_path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
            else:
                state["opened"] = True
                os.close(fd)
                return
            time.sleep(0.005)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return state, thread


@pytest.mark.parametrize(
    "content",
    [
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{target}\n#EXT-X-ENDLIST\n",
        "ffconcat version 1.0\nfile '{target}'\n",
        "[playlist]\nFile1={target}\n",
    ],
)
@pytest.mark.parametrize("extension", ["mp3", "m3u8", "mp4"])
def test_playlists_and_concat_lists_are_refused_without_opening_their_targets(
    tmp_path, content, extension
):
    secret = tmp_path / "outside-media.fifo"
    state, thread = _fifo_guard(secret)
    playlist = tmp_path / f"upload.{extension}"
    playlist.write_text(content.format(target=secret))
    started = time.monotonic()
    try:
        assert "keine lesbare" in rejected_message(playlist)
    finally:
        time.sleep(0.1)
        state["stop"] = True
        thread.join()
    assert not state["opened"], "the referenced file was opened"
    assert time.monotonic() - started < 5


def test_image_sequence_pattern_is_refused(tmp_path, make_media):
    make_media("frame001.png", "-f", "lavfi", "-i", "color=size=16x16:d=0.04", "-frames:v", "1")
    pattern = tmp_path / "frame%03d.png"
    pattern.write_bytes((tmp_path / "frame001.png").read_bytes())
    # A PNG is not one of the accepted containers, whatever its name.
    assert "keine lesbare" in rejected_message(pattern)


def test_enormous_dimensions_are_refused(make_media):
    huge = make_media("huge.mkv", "-f", "lavfi", "-i", "color=size=8192x16:d=0.2", "-c:v", "ffv1")
    assert "Pixel" in rejected_message(huge)


def test_recording_longer_than_the_limit(settings, mono_44k):
    settings.MEDIA_MAX_DURATION = 2 * 60 * 60
    assert probe_media(mono_44k)
    settings.MEDIA_MAX_DURATION = 3
    message = rejected_message(mono_44k)
    assert message.startswith("Die Aufnahme ist länger als die erlaubten")


def test_file_larger_than_the_limit(settings, mono_44k):
    settings.MEDIA_MAX_UPLOAD_SIZE = 1000
    assert "größer als die erlaubten" in rejected_message(mono_44k)


def test_too_many_streams(settings, make_media):
    many = make_media(
        "many.mkv",
        *[
            arg
            for i in range(3)
            for arg in ("-f", "lavfi", "-i", f"sine=frequency={300 + i}:duration=1")
        ],
        *[arg for i in range(3) for arg in ("-map", str(i))],
    )
    settings.MEDIA_MAX_STREAMS = 2
    assert "Spuren" in rejected_message(many)


@pytest.mark.parametrize(
    ("head", "demuxer"),
    [
        (b"ID3\x03\x00" + b"\x00" * 11, "mp3"),
        (b"\xff\xfb\x90\x00" + b"\x00" * 12, "mp3"),
        (b"\xff\xf1\x50\x80" + b"\x00" * 12, "aac"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "wav"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "mov"),
        (b"\x1a\x45\xdf\xa3" + b"\x00" * 12, "matroska"),
        (b"#EXTM3U\n#EXT-X-VERSION:3\n", None),
        (b"<?xml version='1.0'?><MPD", None),
    ],
)
def test_sniff_container(tmp_path, head, demuxer):
    path = tmp_path / "x"
    path.write_bytes(head)
    assert sniff_container(path) == demuxer


# --- what headers get wrong --------------------------------------------------------------
def english_rejection(path):
    with pytest.raises(MediaRejectedError) as caught, translation.override("en"):
        probe_media(path)
    with translation.override("en"):
        return str(caught.value.message)


def test_mp3_cut_in_half_is_refused_although_its_header_claims_the_full_length(make_media):
    mp3 = make_media(
        "interview.mp3",
        "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.1:duration=6:seed=3",
        "-c:a", "libmp3lame", "-q:a", "4",  # VBR: LAME writes a Xing header with the length
    )  # fmt: skip
    assert abs(probe_media(mp3).duration - 6.0) < 0.1
    data = mp3.read_bytes()
    mp3.write_bytes(data[: len(data) // 2])
    message = english_rejection(mp3)
    assert re.fullmatch(
        r"The file is incomplete: it ends after [23] of 6 seconds\. Please upload it again\.",
        message,
    ), message


def test_mp3_without_length_header_gets_its_counted_duration(make_media):
    mp3 = make_media(
        "ohne-xing.mp3",
        "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.1:duration=6:seed=3",
        "-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0",
    )  # fmt: skip
    data = mp3.read_bytes()
    mp3.write_bytes(data[: len(data) // 2])  # nothing claims more: a shorter file
    assert abs(probe_media(mp3).duration - 3.0) < 0.2


def avi_without_picture_size(make_media):
    """An AVI whose BITMAPINFOHEADER has width and height 0 and a FourCC no decoder knows."""
    avi = make_media(
        "kaputt.avi",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
        "-f", "lavfi", "-i", "sine=duration=2", "-c:v", "mpeg4", "-c:a", "pcm_s16le",
    )  # fmt: skip
    data = bytearray(avi.read_bytes())
    header = data.find(b"strh")
    assert data[header + 8 : header + 12] == b"vids"
    data[header + 12 : header + 16] = b"ZZZZ"
    bitmap = data.find(b"strf", header) + 8
    data[bitmap + 4 : bitmap + 12] = bytes(8)  # biWidth, biHeight
    data[bitmap + 16 : bitmap + 20] = b"ZZZZ"  # biCompression
    avi.write_bytes(bytes(data))
    return avi


def test_video_without_readable_picture_size_is_refused(make_media):
    message = english_rejection(avi_without_picture_size(make_media))
    assert message.startswith("The picture size of the video cannot be read.")


def test_check_limits_refuses_a_video_stream_without_size():
    data = {
        "format": {"duration": "3.0", "format_name": "avi"},
        "streams": [
            {"index": 0, "codec_type": "video", "avg_frame_rate": "25/1", "width": 0},
            {"index": 1, "codec_type": "audio", "channels": 2, "sample_rate": "48000"},
        ],
    }
    info = media_info_from_probe("avi", data)
    assert info.kind == "video" and not info.width
    with pytest.raises(MediaRejectedError) as caught:
        check_limits(info)
    assert caught.value.message == NO_PICTURE_SIZE
    del data["streams"][0]["width"]
    with pytest.raises(MediaRejectedError):
        check_limits(media_info_from_probe("avi", data))


def test_audio_track_flagged_default_is_chosen_else_the_first():
    streams = [
        {"codec_type": "audio", "channels": 1, "sample_rate": "16000",
         "disposition": {"default": 0}},
        {"codec_type": "audio", "channels": 2, "sample_rate": "48000",
         "disposition": {"default": 1}},
    ]  # fmt: skip
    info = media_info_from_probe("matroska", {"format": {"duration": "2"}, "streams": streams})
    assert (info.audio_index, info.channels, info.sample_rate) == (1, 2, 48000)
    streams[1]["disposition"]["default"] = 0
    info = media_info_from_probe("matroska", {"format": {"duration": "2"}, "streams": streams})
    assert (info.audio_index, info.channels) == (0, 1)


def test_audio_output_duration_follows_the_sound_of_a_video():
    video = {"codec_type": "video", "width": 320, "height": 240, "avg_frame_rate": "25/1"}
    late = {"codec_type": "audio", "start_time": "1.0", "duration": "3.0"}
    early = {"codec_type": "audio", "start_time": "0.0", "duration": "2.5"}
    # Matroska: no stream duration, the muxer's DURATION tag is where the stream ends.
    tagged = {"codec_type": "audio", "start_time": "0.0", "tags": {"DURATION": "00:00:02.5"}}
    fmt = {"duration": "4.0", "start_time": "0.0"}
    for audio, expected in ((late, 4.0), (early, 2.5), (tagged, 2.5)):
        info = media_info_from_probe("mov", {"format": fmt, "streams": [video, audio]})
        assert (info.duration, info.audio_output_duration) == (4.0, expected)
    info = media_info_from_probe("mov", {"format": fmt, "streams": [early]})
    assert info.audio_output_duration == info.duration == 4.0  # sound alone: its own length


@pytest.mark.parametrize(
    ("field_order", "expected"),
    [("tt", "tff"), ("bt", "tff"), ("bb", "bff"), ("tb", "bff"), ("progressive", "progressive"),
     ("unknown", None), (None, None)],
)  # fmt: skip
def test_field_order_from_the_probe(field_order, expected):
    video = {"codec_type": "video", "width": 720, "height": 576, "avg_frame_rate": "25/1"}
    if field_order:
        video["field_order"] = field_order
    info = media_info_from_probe("mov", {"format": {"duration": "2"}, "streams": [video]})
    assert info.field_order == expected


def test_progressive_video_without_field_order_is_not_taken_for_interlaced(make_media):
    # With idet's default threshold, testsrc2's sharp moving edges look interlaced.
    avi = make_media(
        "progressiv.avi",
        "-f", "lavfi", "-i", "testsrc2=size=720x576:rate=25:duration=2",
        "-c:v", "mpeg4", "-q:v", "3",
    )  # fmt: skip
    info = probe_media(avi)
    assert info.field_order == "progressive" and not info.interlaced


def test_max_frame_rate_of_a_variable_rate_recording_ignores_stray_timestamps():
    fast = [n / 30 for n in range(60)]
    slow = [2 + n / 5 for n in range(10)]
    assert max_frame_rate(fast + slow) == pytest.approx(30, abs=0.1)
    # A stray packet adds at most one frame to a window; duplicates count once.
    assert max_frame_rate([*slow, 2.01, 2.0, 2.0]) == pytest.approx(5, abs=0.6)
    assert max_frame_rate([0.0, 0.001, 0.5]) is None  # less than a second: unknown
