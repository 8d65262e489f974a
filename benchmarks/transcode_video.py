"""The video profile of the pipeline against one ffmpeg per rendition and against the best
single hand-written ffmpeg command, on the same 60-second 1080p25 clip with stereo audio.

Run: .venv/bin/python benchmarks/transcode_video.py   (about 10 minutes on 2 cores;
BENCH_SECONDS=10 for a quicker run)

Prints, in one run, wall and CPU time of:

1. the pipeline for the whole profile (ladder 1080/720/480/360, HLS master with variant
   playlists, poster, sprite with WebVTT track, audio-only AAC), as a worker runs it:
   probing, one decode for rungs + poster + sprite, HLS remuxed from the rungs, the
   loudness-normalised AAC with its measurement, verification and storing;
2. one ffmpeg process per rendition, as MediaCMS and PeerTube do it (each rung, the poster,
   the sprite and the audio-only AAC decode the source themselves; HLS is remuxed from the
   rungs as MediaCMS's Bento4 step does), two processes at a time on two cores;
3. the best single hand-written ffmpeg command: one decode, every rung written through the
   ``tee`` muxer to its MP4 and its HLS variant at once, poster, sprite and the AAC from the
   same run (one-pass ``loudnorm``), plus the master playlist written by hand.

All three use the same x264 settings (``MEDIA_VIDEO_PRESET``, veryfast by default).
Targets: pipeline <= 0.85x the per-rendition way and <= 1.10x the hand-written command.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()


def generate_clip(path: Path, ffmpeg_binary: str) -> None:
    """testsrc2 (moving, detailed) 1920x1080 at 25 fps, H.264, with two-tone stereo AAC."""
    subprocess.run(
        [
            ffmpeg_binary, "-v", "error", "-nostdin", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=25:duration={SECONDS}",
            "-f", "lavfi", "-i", f"sine=frequency=220:duration={SECONDS}:sample_rate=48000",
            "-f", "lavfi", "-i", f"sine=frequency=330:duration={SECONDS}:sample_rate=48000",
            "-filter_complex", "[1:a][2:a]amerge=inputs=2,volume=-12dB[a]",
            "-map", "0:v", "-map", "[a]",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "192k", str(path),
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
from media_pipeline import services, uploads
from media_pipeline.specs import RenditionSpec
path = sys.argv[1]
with open(path, "rb") as handle:
    media_file = uploads.create_media_file(File(handle, name=os.path.basename(path)), title="b")
# Timed from here: what the worker does (the upload itself is the web process's work).
before = resource.getrusage(resource.RUSAGE_CHILDREN)
me_before = resource.getrusage(resource.RUSAGE_SELF)
wall = time.perf_counter()
# As a worker does it: the video batch (one task claims rungs, HLS, poster, sprite), then the
# audio batch (the audio-only AAC).
for rendition in media_file.renditions.order_by("pk"):
    services.transcode_rendition(rendition.pk)
wall = time.perf_counter() - wall
children = resource.getrusage(resource.RUSAGE_CHILDREN)
me = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "wall": wall,
    "cpu": children.ru_utime + children.ru_stime - before.ru_utime - before.ru_stime
           + me.ru_utime + me.ru_stime - me_before.ru_utime - me_before.ru_stime,
    "renditions": {r.spec: [r.status, r.width, r.height, r.file_size, r.error]
                   for r in media_file.renditions.all()},
}))
"""


def run_pipeline(source: Path, var_dir: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "LERNFUNK_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "filesystem://",
    }
    for name in ("DATABASE_URL", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "MEDIA_ROOT"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(source)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


class Timer:
    def __enter__(self):
        self.before = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.wall = time.perf_counter() - self.started
        self.cpu = (after.ru_utime + after.ru_stime) - (
            self.before.ru_utime + self.before.ru_stime
        )


def run(argv):
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)[:300]}\n{result.stderr[-2000:]}")


def profile_targets(info, out_dir: Path):
    from media_pipeline.ffmpeg_commands import OutputTarget, ladder_heights
    from media_pipeline.specs import (
        VIDEO_LADDER_SPECS,
        VIDEO_POSTER_SPEC,
        VIDEO_SPRITE_SPEC,
        RenditionSpec,
    )

    heights = ladder_heights(info.display_size, VIDEO_LADDER_SPECS)
    specs = [VIDEO_LADDER_SPECS[h] for h in heights] + [VIDEO_POSTER_SPEC, VIDEO_SPRITE_SPEC]
    return [
        OutputTarget(
            RenditionSpec(spec), out_dir / f"{index}.{RenditionSpec(spec).plan.extension}"
        )
        for index, spec in enumerate(specs)
    ]


def audio_only_argv(ffmpeg_binary, source: Path, target: Path):
    return [
        ffmpeg_binary, "-nostdin", "-v", "error", "-y", "-i", str(source), "-vn",
        "-af", "loudnorm=I=-16:TP=-1.5:LRA=11,aresample=44100", "-ac", "2",
        "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", str(target),
    ]  # fmt: skip


def run_per_rendition(source: Path, out_dir: Path, ffmpeg_binary: str, preset: str) -> Timer:
    """One process per rendition, two at a time; HLS remuxed from the finished rungs."""
    from media_pipeline.ffmpeg_commands import build_hls_command, build_video_command
    from media_pipeline.probe import probe_media

    info = probe_media(source)
    targets = profile_targets(info, out_dir)
    argvs = [build_video_command(ffmpeg_binary, source, info, [t], preset=preset) for t in targets]
    argvs.append(audio_only_argv(ffmpeg_binary, source, out_dir / "audio.m4a"))
    with Timer() as timer:
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(run, argvs))
        rungs = [t.path for t in targets if t.spec.format_name == "mp4"]
        run(build_hls_command(ffmpeg_binary, rungs, out_dir / "hls", has_audio=True))
    return timer


def run_hand_written(source: Path, out_dir: Path, ffmpeg_binary: str, preset: str) -> Timer:
    from media_pipeline.ffmpeg_commands import output_frame_rate, scaled_size, sprite_layout
    from media_pipeline.probe import probe_media
    from media_pipeline.specs import VIDEO_LADDER_SPECS, VIDEO_SPRITE_SPEC, RenditionSpec

    info = probe_media(source)
    rate = output_frame_rate(info)
    rungs = [
        (h, RenditionSpec(VIDEO_LADDER_SPECS[h]).plan) for h in sorted(VIDEO_LADDER_SPECS)[::-1]
    ]
    n = len(rungs)
    graph = [f"[0:v:0]fps={rate},split={n + 2}" + "".join(f"[p{i}]" for i in range(n + 2))]
    for index, (height, _plan) in enumerate(rungs):
        width, height = scaled_size(info, height)
        graph.append(f"[p{index}]scale={width}:{height},setsar=1[v{index}]")
    graph.append(f"[p{n}]fps=1,scale=1280:720,thumbnail=n=30[poster]")
    sprite = sprite_layout(info, RenditionSpec(VIDEO_SPRITE_SPEC))
    graph.append(
        f"[p{n + 1}]fps=1/{sprite.interval},scale={sprite.tile_width}:{sprite.tile_height},"
        f"tile={sprite.columns}x{sprite.rows}[sprite]"
    )
    graph.append(
        "[0:a:0]aformat=sample_rates=48000:channel_layouts=stereo,"
        f"asplit={n + 1}" + "".join(f"[a{i}]" for i in range(n + 1))
    )
    graph.append(f"[a{n}]loudnorm=I=-16:TP=-1.5:LRA=11,aresample=44100[aonly]")
    argv = [
        ffmpeg_binary, "-nostdin", "-v", "error", "-y", "-i", str(source),
        "-filter_complex", ";".join(graph),
    ]  # fmt: skip
    master = ["#EXTM3U", "#EXT-X-VERSION:7"]
    for index, (height, plan) in enumerate(rungs):
        (out_dir / f"v{index}").mkdir(parents=True)
        hls = (
            "[f=hls:hls_time=4:hls_playlist_type=vod:hls_segment_type=fmp4:"
            f"hls_segment_filename={out_dir}/v{index}/seg-%05d.m4s]{out_dir}/v{index}/index.m3u8"
        )
        argv += [
            "-map", f"[v{index}]", "-map", f"[a{index}]",
            "-c:v", "libx264", "-preset", preset, "-profile:v", "high", "-pix_fmt", "yuv420p",
            "-crf", str(plan.crf), "-maxrate", f"{plan.maxrate_kbps}k",
            "-bufsize", f"{plan.maxrate_kbps * 2}k", "-g", "50", "-keyint_min", "50",
            "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*2)",
            "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-flags", "+global_header",
            "-f", "tee", f"[f=mp4:movflags=+faststart]{out_dir}/{height}.mp4|{hls}",
        ]  # fmt: skip
        width, height = scaled_size(info, height)
        master += [
            f"#EXT-X-STREAM-INF:BANDWIDTH={plan.maxrate_kbps * 1000},RESOLUTION={width}x{height},"
            f'CODECS="avc1.640028,mp4a.40.2",FRAME-RATE={float(rate):.3f}',
            f"v{index}/index.m3u8",
        ]
    argv += [
        "-map", "[poster]", "-frames:v", "1", "-update", "1", "-q:v", "3", f"{out_dir}/poster.jpg",
        "-map", "[sprite]", "-frames:v", "1", "-update", "1", "-q:v", "5", f"{out_dir}/sprite.jpg",
        "-map", "[aonly]", "-c:a", "aac", "-b:a", "96k", "-ac", "2", "-movflags", "+faststart",
        f"{out_dir}/audio.m4a",
    ]  # fmt: skip
    with Timer() as timer:
        run(argv)
        (out_dir / "master.m3u8").write_text("\n".join(master) + "\n")
    return timer


def main():
    setup_django()
    from django.conf import settings

    from media_pipeline.binaries import ffmpeg_path

    ffmpeg_binary = ffmpeg_path()
    preset = settings.MEDIA_VIDEO_PRESET
    with tempfile.TemporaryDirectory(prefix="lernfunk-bench-video-") as folder:
        folder = Path(folder)
        source = folder / "clip-1080p25.mp4"
        print(f"generating a {SECONDS} s 1080p25 clip with stereo audio …", flush=True)
        generate_clip(source, ffmpeg_binary)
        print("running the pipeline (whole video profile) …", flush=True)
        ours = run_pipeline(source, folder / "var")
        for subfolder in ("per-rendition", "hand-written"):
            (folder / subfolder).mkdir()
        print("running one ffmpeg per rendition …", flush=True)
        per_rendition = run_per_rendition(source, folder / "per-rendition", ffmpeg_binary, preset)
        print("running the hand-written single command …", flush=True)
        hand_written = run_hand_written(source, folder / "hand-written", ffmpeg_binary, preset)

    print()
    print(
        f"input: {SECONDS} s 1920x1080 25 fps H.264 + stereo AAC; {os.cpu_count()} cores; "
        f"x264 preset {preset}; load average now: {os.getloadavg()[0]:.1f}"
    )
    for spec, (status, width, height, size, error) in sorted(ours["renditions"].items()):
        dimensions = f"{width}x{height}" if width else ""
        print(f"  {spec:40s} {status:6s} {dimensions:>10s} {size or 0:>10d} B {error}")
    rows = [
        ("pipeline, whole profile", ours["wall"], ours["cpu"]),
        ("one ffmpeg per rendition (2 at a time)", per_rendition.wall, per_rendition.cpu),
        ("hand-written single command", hand_written.wall, hand_written.cpu),
    ]
    for name, wall, cpu in rows:
        print(
            f"{name:42s} wall {wall:6.1f} s   CPU {cpu:6.1f} s   {SECONDS / wall:4.1f}x realtime"
        )
    print(
        f"pipeline / per-rendition: wall {ours['wall'] / per_rendition.wall:.2f}  "
        f"CPU {ours['cpu'] / per_rendition.cpu:.2f}   (target <= 0.85)"
    )
    print(
        f"pipeline / hand-written:  wall {ours['wall'] / hand_written.wall:.2f}  "
        f"CPU {ours['cpu'] / hand_written.cpu:.2f}   (target <= 1.10)"
    )


if __name__ == "__main__":
    main()
