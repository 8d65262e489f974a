"""Camera and recorder footage as operators upload it: interlaced, variable-rate, several sound
tracks, sound shorter than the picture. Real ffmpeg on generated clips, through the services
the workers run."""

import re
import subprocess

import pytest

from media_pipeline import services
from media_pipeline.binaries import ffmpeg_path
from media_pipeline.exceptions import TranscodeError
from media_pipeline.loudness import measure_source_loudness
from media_pipeline.models import RenditionStatus
from media_pipeline.probe import probe_media
from media_pipeline.specs import VIDEO_AUDIO_ONLY_SPEC, VIDEO_LADDER_SPECS
from tests.media_pipeline.conftest import ffprobe_json, import_file

pytestmark = pytest.mark.django_db


def run_batch_of(media_file, spec):
    """Run the one batch that makes ``spec`` (not the file's other batches); return its row."""
    rendition = media_file.renditions.get(spec=spec)
    try:
        services.transcode_rendition(rendition.pk)
    except TranscodeError as exc:
        services.mark_rendition_failed(rendition.pk, exc.message, exc.detail)
    rendition.refresh_from_db()
    return rendition


def local_copy(rendition, tmp_path):
    target = tmp_path / "check" / rendition.file.name.rsplit("/", 1)[-1]
    target.parent.mkdir(parents=True, exist_ok=True)
    with rendition.file.open("rb") as source:
        target.write_bytes(source.read())
    return target


def ffmpeg_stderr(*args):
    result = subprocess.run(
        [ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", *args, "-f", "null", "-"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return result.stderr


def field_detection(path):
    """``idet``'s verdict over every frame: {"TFF": n, "BFF": n, "Progressive": n}."""
    stderr = ffmpeg_stderr("-i", str(path), "-map", "0:v:0", "-vf", "idet")
    line = re.findall(r"Multi frame detection: (.*)", stderr)[-1]
    return {key: int(value) for key, value in re.findall(r"(\w+):\s*(\d+)", line)}


def integrated_loudness(path, *extra):
    stderr = ffmpeg_stderr(*extra, "-i", str(path), "-map", "0:a:0", "-af", "ebur128")
    return float(re.findall(r"I:\s+(-?[\d.]+|-inf) LUFS", stderr)[-1].replace("-inf", "-99"))


def video_stream(path):
    streams = ffprobe_json(path, "-count_frames", "-show_streams")["streams"]
    return next(s for s in streams if s["codec_type"] == "video")


# --- interlaced --------------------------------------------------------------------------
@pytest.fixture
def ntsc_interlaced_h264(make_media):
    """720x480 at 29.97 frames (59.94 fields) per second, bottom field first, H.264 coded
    interlaced: what a camcorder records. Its height is a rung, so nothing scales it."""
    return make_media(
        "camcorder.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=720x480:rate=60000/1001:duration=3",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=48000",
        "-vf", "interlace=scan=bff", "-flags", "+ildct+ilme",
        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
    )  # fmt: skip


def test_interlaced_h264_is_deinterlaced_one_frame_per_frame(ntsc_interlaced_h264, tmp_path):
    source = field_detection(ntsc_interlaced_h264)
    assert source["BFF"] > 0.9 * sum(source.values())
    media_file = import_file(ntsc_interlaced_h264)
    rung = run_batch_of(media_file, VIDEO_LADDER_SPECS[480])
    assert rung.status == RenditionStatus.READY, rung.error_detail
    output = local_copy(rung, tmp_path)
    detected = field_detection(output)
    assert detected["Progressive"] >= 0.95 * sum(detected.values()), detected
    stream = video_stream(output)
    assert (stream["width"], stream["height"]) == (720, 480)
    # The frame rate, not the field rate: 3 s at 29.97 frames per second.
    assert stream["r_frame_rate"] == stream["avg_frame_rate"] == "30000/1001"
    assert abs(int(stream["nb_read_frames"]) - 90) <= 2


def test_interlacing_the_codec_does_not_state_is_found_by_idet(make_media, tmp_path):
    # MPEG-4 Part 2 in AVI (older camcorders): ffprobe says nothing about the field order.
    avi = make_media(
        "dv-kamera.avi",
        "-f", "lavfi", "-i", "testsrc2=size=720x480:rate=50:duration=2",
        "-vf", "interlace=scan=tff", "-flags", "+ildct+ilme",
        "-c:v", "mpeg4", "-q:v", "3",
    )  # fmt: skip
    assert "field_order" not in ffprobe_json(avi, "-show_streams")["streams"][0] or (
        ffprobe_json(avi, "-show_streams")["streams"][0]["field_order"] == "unknown"
    )
    media_file = import_file(avi)
    rung = run_batch_of(media_file, VIDEO_LADDER_SPECS[480])
    assert rung.status == RenditionStatus.READY, rung.error_detail
    output = local_copy(rung, tmp_path)
    detected = field_detection(output)
    assert detected["Progressive"] >= 0.95 * sum(detected.values()), detected
    stream = video_stream(output)
    assert stream["r_frame_rate"] == "25/1"
    assert abs(int(stream["nb_read_frames"]) - 50) <= 2


# --- variable frame rate -----------------------------------------------------------------
def test_variable_rate_screen_recording_keeps_every_frame_of_its_fastest_part(
    make_media, tmp_path
):
    recording = make_media(
        "bildschirm.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=4",
        # 2 s of motion at 30 fps, then 2 s at 5 fps (every sixth frame), gaps kept.
        "-vf", "select='lt(t,2)+not(mod(n,6))'", "-fps_mode", "vfr",
        "-c:v", "libx264", "-preset", "ultrafast",
    )  # fmt: skip
    source = video_stream(recording)
    assert int(source["nb_read_frames"]) == 70
    # The last frame (at 3.8 s) lasts 1/30 s: about 3.83 s of picture.
    seconds = float(source["duration"])
    media_file = import_file(recording)
    rung = run_batch_of(media_file, VIDEO_LADDER_SPECS[360])
    assert rung.status == RenditionStatus.READY, rung.error_detail
    stream = video_stream(local_copy(rung, tmp_path))
    assert stream["r_frame_rate"] == stream["avg_frame_rate"] == "30/1"
    # 30 frames every second, the 5 fps part repeated: about 115 frames, not 70.
    assert abs(int(stream["nb_read_frames"]) - 30 * seconds) <= 2


# --- the default sound track -------------------------------------------------------------
@pytest.fixture
def recorder_with_two_tracks(make_media):
    """A recorder's file: a silent first track (a muted camera microphone), then the mixed
    sound (pink noise, about -41 LUFS), flagged default."""
    return make_media(
        "recorder.mkv",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=3",
        "-f", "lavfi", "-i", "anullsrc=sample_rate=48000:channel_layout=stereo",
        "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.05:duration=3:seed=5",
        "-map", "0:v", "-map", "1:a", "-map", "2:a", "-t", "3",
        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-ac", "2",
        "-disposition:a:0", "0", "-disposition:a:1", "default",
    )  # fmt: skip


def test_the_rungs_carry_the_audio_track_flagged_default(recorder_with_two_tracks, tmp_path):
    media_file = import_file(recorder_with_two_tracks)
    rung = run_batch_of(media_file, VIDEO_LADDER_SPECS[360])
    assert rung.status == RenditionStatus.READY, rung.error_detail
    assert integrated_loudness(local_copy(rung, tmp_path)) > -45


def test_the_source_loudness_is_measured_on_the_track_flagged_default(recorder_with_two_tracks):
    info = probe_media(recorder_with_two_tracks)
    assert (info.audio_streams, info.audio_index) == (2, 1)
    measured = measure_source_loudness(
        recorder_with_two_tracks,
        duration=info.duration,
        timeout=60,
        demuxer=info.demuxer,
        channels=2,
        audio_index=info.audio_index,
    )
    assert -45 < measured.integrated_lufs < -35


def test_the_audio_only_rendition_is_the_track_flagged_default_normalised(
    recorder_with_two_tracks, tmp_path
):
    media_file = import_file(recorder_with_two_tracks)
    audio_only = run_batch_of(media_file, VIDEO_AUDIO_ONLY_SPEC)
    assert audio_only.status == RenditionStatus.READY, audio_only.error_detail
    assert abs(audio_only.loudness_lufs - (-16.0)) <= 1.0
    assert abs(integrated_loudness(local_copy(audio_only, tmp_path)) - (-16.0)) <= 1.0


# --- sound shorter than the picture ------------------------------------------------------
def max_volume(path, *extra):
    stderr = ffmpeg_stderr(*extra, "-i", str(path), "-map", "0:a:0", "-af", "volumedetect")
    return float(re.findall(r"max_volume: (-?[\d.]+|-inf) dB", stderr)[-1].replace("-inf", "-99"))


def test_sound_starting_late_keeps_the_videos_timeline_in_the_audio_only_rendition(
    make_media, tmp_path
):
    video = make_media(
        "spaeter-ton.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=4",
        "-itsoffset", "1",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=48000",
        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
    )  # fmt: skip
    media_file = import_file(video)
    audio_only = run_batch_of(media_file, VIDEO_AUDIO_ONLY_SPEC)
    assert audio_only.status == RenditionStatus.READY, audio_only.error_detail
    # Silence where the picture runs without sound, then the sound at the same moment as in
    # the video: a listener switching at 0:02 hears what the viewer heard at 0:02.
    assert abs(audio_only.duration - 4.0) <= 0.1
    output = local_copy(audio_only, tmp_path)
    assert max_volume(output, "-t", "0.9") < -80
    assert max_volume(output, "-ss", "1.1", "-t", "2.8") > -30


def test_sound_ending_early_ends_the_audio_only_rendition_there(make_media, tmp_path):
    video = make_media(
        "frueher-schluss.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=4",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=2.5:sample_rate=48000",
        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
    )  # fmt: skip
    media_file = import_file(video)
    assert abs(media_file.duration - 4.0) <= 0.05
    audio_only = run_batch_of(media_file, VIDEO_AUDIO_ONLY_SPEC)
    assert audio_only.status == RenditionStatus.READY, audio_only.error_detail
    assert abs(audio_only.duration - 2.5) <= 0.1
    rung = run_batch_of(media_file, VIDEO_LADDER_SPECS[360])
    assert rung.status == RenditionStatus.READY, rung.error_detail
    assert abs(rung.duration - 4.0) <= 0.25
