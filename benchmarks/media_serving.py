"""Ranged media delivery vs Django's static.serve, in one run.

Prints full-file throughput for both, the cost of a podcast app's seek (a 64 KiB range) in
both (static.serve cannot answer ranges, so the client has to download everything), and the
peak Python memory of one full response. Run: .venv/bin/python benchmarks/media_serving.py
"""

import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.views.static import serve as static_serve  # noqa: E402

from cms.core.media_serving import serve_media  # noqa: E402

SIZE_MB = int(os.environ.get("BENCH_SIZE_MB", "200"))
SEEKS = int(os.environ.get("BENCH_SEEKS", "2000"))


def consume(response):
    total = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        total += len(chunk)
    if hasattr(response, "close"):
        response.close()
    return total


def timed(label, func, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def main():
    factory = RequestFactory()
    with tempfile.TemporaryDirectory() as folder:
        settings.MEDIA_ROOT = folder
        settings.SERVE_MEDIA = True
        path = Path(folder) / "episode.mp3"
        with path.open("wb") as handle:
            block = os.urandom(1024 * 1024)
            for _ in range(SIZE_MB):
                handle.write(block)
        size = path.stat().st_size

        def ours_full():
            return consume(serve_media(factory.get("/media/episode.mp3"), "episode.mp3"))

        def django_full():
            return consume(static_serve(factory.get("/"), "episode.mp3", document_root=folder))

        ours_time, ours_bytes = timed("ours", ours_full)
        django_time, django_bytes = timed("django", django_full)
        assert ours_bytes == django_bytes == size

        offsets = [random.randrange(0, size - 65536) for _ in range(SEEKS)]

        def ours_seeks():
            total = 0
            for offset in offsets:
                request = factory.get(
                    "/media/episode.mp3", headers={"Range": f"bytes={offset}-{offset + 65535}"}
                )
                total += consume(serve_media(request, "episode.mp3"))
            return total

        seek_time, seek_bytes = timed("seeks", ours_seeks, repeat=1)
        assert seek_bytes == SEEKS * 65536

        tracemalloc.start()
        ours_full()
        _, ours_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        django_full()
        _, django_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    mb = size / 1e6
    print(f"file: {mb:.0f} MB, {SEEKS} seeks of 64 KiB")
    print(f"full file, ranged view:     {ours_time:.3f} s  ({mb / ours_time:,.0f} MB/s)")
    print(f"full file, static.serve:    {django_time:.3f} s  ({mb / django_time:,.0f} MB/s)")
    print(f"ratio ranged/static (full): {ours_time / django_time:.2f}")
    per_seek = seek_time / SEEKS
    print(f"one seek, ranged view:      {per_seek * 1e3:.3f} ms (64 KiB sent, 206)")
    print(
        f"one seek, static.serve:     {django_time * 1e3:.1f} ms ({mb:.0f} MB sent, 200: "
        "no Range support)"
    )
    print(f"ratio per seek:             {per_seek / django_time:.5f}")
    print(f"peak memory, ranged view:   {ours_peak / 1024:.0f} KiB")
    print(f"peak memory, static.serve:  {django_peak / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
