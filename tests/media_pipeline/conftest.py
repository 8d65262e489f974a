import contextlib
import json
import subprocess
from pathlib import Path

import pytest
from django.core.files import File

from media_pipeline.binaries import ffmpeg_path, ffprobe_path


def generate(path: Path, *args: str) -> Path:
    """Make test media with the real ffmpeg (lavfi sources), a few seconds long."""
    subprocess.run(
        [ffmpeg_path(), "-v", "error", "-nostdin", "-y", *args, str(path)],
        check=True,
        timeout=60,
    )
    return path


def ffprobe_json(path, *args) -> dict:
    """ffprobe's JSON for ``path`` with the given ``-show_…``/``-select_streams`` options."""
    result = subprocess.run(
        [ffprobe_path(), "-v", "error", "-of", "json", *args, str(path)],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return json.loads(result.stdout)


def stored_originals() -> list[str]:
    """Names of the stored originals. On S3 runs the bucket is shared by the whole run and
    has no folders (``exists`` on a prefix is always false), so tests compare before/after."""
    from django.core.files.storage import default_storage

    try:
        return sorted(default_storage.listdir("media/originals")[1])
    except FileNotFoundError:
        return []


def import_file(path: Path, title: str = "Test"):
    """Upload a file as an editor would (probed, stored, renditions requested)."""
    from media_pipeline import uploads

    with path.open("rb") as handle:
        return uploads.create_media_file(File(handle, name=path.name), title=title)


def process_all(media_file) -> dict:
    """Run each of the file's batches once in this process, as a worker would; a final
    failure is recorded by the batch itself. Returns the renditions by spec."""
    from media_pipeline import services
    from media_pipeline.exceptions import TranscodeError

    for batch in sorted(set(media_file.renditions.values_list("batch", flat=True))):
        with contextlib.suppress(TranscodeError):  # recorded as FAILED by the batch
            services.run_batch(media_file.pk, batch)
    return {r.spec: r for r in media_file.renditions.all()}


@pytest.fixture
def make_media(tmp_path):
    def make(name, *args):
        return generate(tmp_path / name, *args)

    return make


@pytest.fixture
def speech_like_stereo(make_media):
    """Pink noise with speech-like pauses, stereo 48 kHz WAV, quiet (about -30 LUFS)."""
    return make_media(
        "speech.wav",
        "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.08:duration=6:seed=7",
        "-af", "volume='if(lt(mod(t,1.5),1.1),1,0.02)':eval=frame,lowpass=3500",
        "-ar", "48000", "-ac", "2",
    )  # fmt: skip


@pytest.fixture
def mono_44k(make_media):
    return make_media(
        "mono.wav",
        "-f", "lavfi", "-i", "sine=frequency=300:duration=4:sample_rate=44100",
        "-af", "volume=-6dB", "-ac", "1",
    )  # fmt: skip


@pytest.fixture
def hot_surround(make_media):
    """A loud 5.1 source with peaks near full scale."""
    return make_media(
        "surround.m4a",
        "-f", "lavfi", "-i", "anoisesrc=color=white:amplitude=0.9:duration=4:seed=3",
        "-af", "pan=5.1|FL=c0|FR=c0|FC=c0|LFE=c0|BL=c0|BR=c0",
        "-c:a", "aac", "-b:a", "256k",
    )  # fmt: skip


@pytest.fixture
def mp3_with_cover_art(make_media, tmp_path):
    cover = generate(
        tmp_path / "cover.png", "-f", "lavfi", "-i", "color=red:size=300x300:d=1", "-frames:v", "1"
    )
    return make_media(
        "cover.mp3",
        "-f", "lavfi", "-i", "sine=frequency=500:duration=3:sample_rate=44100",
        "-i", str(cover),
        "-map", "0:a", "-map", "1:v", "-c:a", "libmp3lame", "-b:a", "192k", "-c:v", "png",
        "-disposition:v", "attached_pic", "-id3v2_version", "3",
    )  # fmt: skip
