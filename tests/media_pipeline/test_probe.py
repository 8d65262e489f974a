"""Hostile and broken uploads end as a clear message, quickly, without reading other files."""

import errno
import os
import threading
import time

import pytest
from django.utils import translation

from media_pipeline.exceptions import MediaRejectedError
from media_pipeline.probe import probe_media, sniff_container


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
