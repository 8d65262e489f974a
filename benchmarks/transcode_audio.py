"""Podcast audio pipeline vs the textbook two-pass loudnorm, on the same 60-minute input.

Run: .venv/bin/python benchmarks/transcode_audio.py   (about 8 minutes on 2 cores;
BENCH_MINUTES=20 for a quicker run, BENCH_REPEAT=n alternating runs of the pipeline and the
encoders alone, default 3, medians compared)

Prints, in one run: the pipeline's wall and CPU time (MP3 + AAC + waveform, with loudness
measured on the encoded outputs), the two-pass
``loudnorm`` baseline producing the same MP3 and AAC, their ratio, the realtime factor,
the ceiling any pipeline making these two files has here (the two encoders alone, side by
side, nothing measured), output loudness and true peak, and the worker's peak RSS for a
10-minute and a 60-minute input. Targets: ratio <= 0.35 with outputs within +-1 LU,
pipeline wall <= 1.5x the encoders alone in the same run,
>= 80x realtime on 2 cores, peak RSS growth < 50 MB from 10 to 60 minutes.
"""

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINUTES = int(os.environ.get("BENCH_MINUTES", "60"))
# The pipeline and the encoders alone run alternately this many times; medians are compared,
# so a burst of other work on the machine does not decide the ratio.
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def ffmpeg():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    from media_pipeline.binaries import ffmpeg_path

    return ffmpeg_path()


def generate_speech_like(path: Path, minutes: int, ffmpeg_binary: str) -> None:
    """Pink noise shaped like speech: syllable-rate envelope, pauses, 48 kHz stereo WAV."""
    subprocess.run(
        [
            ffmpeg_binary, "-v", "error", "-nostdin", "-y",
            "-f", "lavfi", "-i",
            f"anoisesrc=color=pink:amplitude=0.25:duration={minutes * 60}:seed=42:"
            "sample_rate=48000",
            "-af",
            "volume='0.15+0.85*abs(sin(2*PI*3.7*t))*gt(mod(t,7),1.2)':eval=frame,"
            "lowpass=3800,highpass=90",
            "-ac", "2", "-c:a", "pcm_s16le", str(path),
        ],
        check=True,
    )  # fmt: skip


CHILD = r"""
import json, os, resource, sys, time
import django
django.setup()
from django.core.files import File
from django.core.management import call_command
call_command("migrate", verbosity=0)
from media_pipeline import audio, services, uploads
from media_pipeline.models import RenditionStatus
path, variant = sys.argv[1], sys.argv[2]
with open(path, "rb") as handle:
    upload = File(handle, name=os.path.basename(path))
    media_file = uploads.create_media_file(upload, title="bench")
first = media_file.renditions.order_by("pk").first()
before = resource.getrusage(resource.RUSAGE_CHILDREN)
wall = time.perf_counter()
services.transcode_rendition(first.pk)
wall = time.perf_counter() - wall
children = resource.getrusage(resource.RUSAGE_CHILDREN)
me = resource.getrusage(resource.RUSAGE_SELF)
rows = {r.spec: r for r in media_file.renditions.all()}
print(json.dumps({
    "wall": wall,
    "cpu": children.ru_utime + children.ru_stime - before.ru_utime - before.ru_stime,
    "worker_rss_mb": me.ru_maxrss / 1024,
    "ffmpeg_rss_mb": children.ru_maxrss / 1024,
    "duration": media_file.duration,
    "renditions": {s: {"status": r.status, "lufs": r.loudness_lufs, "tp": r.true_peak_dbtp,
                       "error": r.error} for s, r in rows.items()},
}))
"""


def run_pipeline(source: Path, var_dir: Path, variant: str = "chosen") -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "LERNFUNK_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "filesystem://",
    }
    for name in ("DATABASE_URL", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(source), variant],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_textbook(source: Path, out_dir: Path, ffmpeg_binary: str) -> dict:
    """Two-pass loudnorm as documented: analyse, then normalise (linear) and encode."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    first = subprocess.run(
        [
            ffmpeg_binary, "-hide_banner", "-nostdin", "-nostats", "-i", str(source),
            "-af", "loudnorm=I=-16:TP=-1.5:LRA=11:print_format=json", "-f", "null", "-",
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    measured = json.loads(re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", first.stderr, re.S).group(0))
    second_filter = (
        "loudnorm=I=-16:TP=-1.5:LRA=11:linear=true:"
        f"measured_I={measured['input_i']}:measured_TP={measured['input_tp']}:"
        f"measured_LRA={measured['input_lra']}:measured_thresh={measured['input_thresh']}:"
        f"offset={measured['target_offset']},aresample=44100,asplit=2[a][b]"
    )
    subprocess.run(
        [
            ffmpeg_binary, "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y",
            "-i", str(source), "-filter_complex", f"[0:a]{second_filter}",
            "-map", "[a]", "-c:a", "libmp3lame", "-b:a", "128k", str(out_dir / "textbook.mp3"),
            "-map", "[b]", "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart",
            str(out_dir / "textbook.m4a"),
        ],
        check=True,
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": time.perf_counter() - started,
        "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
    }


def run_encoders_alone(source: Path, out_dir: Path, ffmpeg_binary: str) -> dict:
    """The ceiling of any pipeline producing these two files: only the MP3 and the AAC
    encoder (the pipeline's codec options and bitrates, resampled to 44.1 kHz), one process
    each, side by side; no loudness measurement, no gain, no limiter, no verification."""
    from media_pipeline.specs import PODCAST_AAC_SPEC, PODCAST_MP3_SPEC, RenditionSpec

    argvs = []
    for spec in (PODCAST_MP3_SPEC, PODCAST_AAC_SPEC):
        plan = RenditionSpec(spec).plan
        options = {**plan.codec_options, "b:a": f"{plan.bitrate_kbps}k", "ar": plan.sample_rate}
        options.pop("write_xing", None)
        argv = [ffmpeg_binary, "-v", "error", "-nostdin", "-y", "-f", "wav", "-max_size", "65536"]
        argv += ["-i", str(source)]
        for key, value in options.items():
            argv += [f"-{key}", str(value)]
        argvs.append([*argv, str(out_dir / f"alone.{plan.extension}")])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    processes = [subprocess.Popen(argv) for argv in argvs]
    if any(process.wait() for process in processes):
        raise SystemExit("an encoder failed")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": time.perf_counter() - started,
        "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median wall time (its other figures belong to the same run)."""
    return sorted(runs, key=lambda run: run["wall"])[len(runs) // 2]


def main():
    ffmpeg_binary = ffmpeg()
    with tempfile.TemporaryDirectory(prefix="lernfunk-bench-") as folder:
        folder = Path(folder)
        sources = {}
        for minutes in sorted({10, MINUTES}):
            sources[minutes] = folder / f"speech-{minutes}min.wav"
            print(f"generating {minutes}-minute stereo speech-like WAV …", flush=True)
            generate_speech_like(sources[minutes], minutes, ffmpeg_binary)

        print("running the pipeline (10 minutes, for memory) …", flush=True)
        results = {10: run_pipeline(sources[10], folder / "var-10")} if MINUTES != 10 else {}
        runs, alone_runs = [], []
        for index in range(REPEAT):
            print(f"running the pipeline and the two encoders alone ({index + 1}/{REPEAT}) …")
            runs.append(run_pipeline(sources[MINUTES], folder / f"var-{MINUTES}-{index}"))
            alone_runs.append(run_encoders_alone(sources[MINUTES], folder, ffmpeg_binary))
        results[MINUTES] = median_run(runs)
        alone = median_run(alone_runs)
        print("running the textbook two-pass loudnorm …", flush=True)
        textbook = run_textbook(sources[MINUTES], folder, ffmpeg_binary)

    ours = results[MINUTES]
    duration = ours["duration"]
    print()
    print(
        f"input: {MINUTES} min stereo 48 kHz speech-like WAV, {os.cpu_count()} cores; "
        f"pipeline and encoders alone: median of {REPEAT} alternating runs"
    )
    print(
        f"pipeline (MP3+AAC+waveform, verified): wall {ours['wall']:.1f} s, "
        f"CPU {ours['cpu']:.1f} s, {duration / ours['wall']:.0f}x realtime"
    )
    print(
        f"textbook two-pass loudnorm (MP3+AAC):  wall {textbook['wall']:.1f} s, "
        f"CPU {textbook['cpu']:.1f} s, {duration / textbook['wall']:.0f}x realtime"
    )
    print(
        f"  ceiling, the two encoders alone side by side (no loudness work): wall "
        f"{alone['wall']:.1f} s, CPU {alone['cpu']:.1f} s, "
        f"{duration / alone['wall']:.0f}x realtime"
    )
    print(
        f"realtime factor: {duration / ours['wall']:.0f}x (target >= 80x on 2 cores; the "
        f"encoders alone reach {duration / alone['wall']:.0f}x)"
    )
    print(
        f"ratio pipeline/textbook (wall):         {ours['wall'] / textbook['wall']:.2f}  "
        "(target <= 0.35)"
    )
    print(
        f"ratio pipeline/encoders alone (wall):   {ours['wall'] / alone['wall']:.2f}  "
        f"(target <= 1.5; CPU {ours['cpu'] / alone['cpu']:.2f})"
    )
    for spec, rendition in sorted(ours["renditions"].items()):
        if rendition["lufs"] is not None:
            print(
                f"  {spec:28s} {rendition['status']:6s} {rendition['lufs']:6.1f} LUFS  "
                f"true peak {rendition['tp']:5.1f} dBTP"
            )
        else:
            print(f"  {spec:28s} {rendition['status']:6s} {rendition['error']}")
    small = results[10]
    print(
        f"worker peak RSS: {small['worker_rss_mb']:.0f} MB (10 min) -> "
        f"{ours['worker_rss_mb']:.0f} MB ({MINUTES} min), growth "
        f"{ours['worker_rss_mb'] - small['worker_rss_mb']:.1f} MB (target < 50 MB)"
    )
    print(
        f"largest ffmpeg RSS:  {small['ffmpeg_rss_mb']:.0f} MB (10 min) -> "
        f"{ours['ffmpeg_rss_mb']:.0f} MB ({MINUTES} min)"
    )


if __name__ == "__main__":
    main()
