"""Progress and heartbeat of a running attempt.

ffmpeg's ``-progress`` lines only move numbers in memory (``ProgressRecorder.feed`` runs in
the thread that reads the processes' output and never touches the database). A separate
``Heartbeat`` thread writes them, with the heartbeat, every couple of seconds, whatever
ffmpeg prints or does not print, so a long video looks alive for the watchdog while it is
alive. A failed write is logged and retried at the next beat, never fatal; a write that finds
no row of its attempt any more means the watchdog handed the batch to another worker: the
heartbeat reports it lost and the worker stops.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from .faults import reset_database_connections
from .models import MediaRendition, RenditionStatus

logger = logging.getLogger(__name__)


class ProgressRecorder:
    """Fraction done per group of rows (one ffmpeg process each), from ``out_time_us``.

    Progress stops at 99 %: 100 % means verified and stored.
    """

    def __init__(self, groups: list[list[int]], duration: float, *, offset: float = 0.0):
        """``offset``: seconds of the media done before this run started (a resumed run's
        times count from where it started)."""
        self.groups = groups
        self.duration = max(duration, 0.001)
        self.offset = offset
        self.fractions = [0.0] * len(groups)
        self.started = time.monotonic()
        self.lock = threading.Lock()

    def feed(self, index: int, line: str) -> None:
        key, _sep, value = line.partition("=")
        if key != "out_time_us" or index >= len(self.groups) or not value.strip().isdigit():
            return
        with self.lock:
            done = self.offset + int(value) / 1_000_000
            self.fractions[index] = min(max(done / self.duration, 0.0), 1.0)

    def follow_vstats(self, index: int, path: Path) -> None:
        """Take group ``index``'s progress from ffmpeg's ``-vstats_file`` (version 2) instead
        of ``-progress``: ffmpeg 6 prints no progress report until every output file has
        written its header, and a sprite or poster writes it only at the very end, while the
        encoders write a stats line per frame from the start."""
        self._vstats = (index, Path(path), 0, {})

    def _read_vstats(self) -> None:
        index, path, offset, latest = getattr(self, "_vstats", (None, None, 0, {}))
        if path is None:
            return
        try:
            with path.open("rb") as handle:
                handle.seek(offset)
                data = handle.read()
        except OSError:
            return
        complete = data.rfind(b"\n") + 1
        for match in _VSTATS_LINE.finditer(data[:complete].decode("utf-8", "replace")):
            latest[match.group(1)] = float(match.group(2))
        self._vstats = (index, path, offset + complete, latest)
        if latest:
            # The slowest output that has started is how far the run is.
            with self.lock:
                done = self.offset + min(latest.values())
                self.fractions[index] = min(done / self.duration, 1.0)

    def snapshot(self) -> list[tuple[list[int], int, int | None]]:
        """[(row ids, percent, seconds left or None)] per group."""
        self._read_vstats()
        elapsed = time.monotonic() - self.started
        with self.lock:
            fractions = list(self.fractions)
        return [
            (
                group,
                min(int(fraction * 100), 99),
                int(elapsed / fraction - elapsed) if fraction > 0.01 else None,
            )
            for group, fraction in zip(self.groups, fractions, strict=True)
        ]


_VSTATS_LINE = re.compile(r"out=\s*(\d+)\s+st=\s*\d+\s.*?time=\s*([\d.]+)")


def heartbeat_interval() -> float:
    """Seconds between beats: well inside ``MEDIA_HEARTBEAT_TIMEOUT``."""
    timeout = settings.MEDIA_HEARTBEAT_TIMEOUT
    return max(0.5, min(float(getattr(settings, "MEDIA_HEARTBEAT_INTERVAL", 5)), timeout / 4))


class Heartbeat:
    """Context manager: beats for the attempt's rows while the block runs."""

    def __init__(self, token: str, row_ids: list[int]):
        self.token = token
        self.row_ids = list(row_ids)
        self.recorder: ProgressRecorder | None = None
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{token}", daemon=True)

    def __enter__(self):
        # Inside a transaction (a caller's atomic block, tests) no other connection can see
        # the rows: a beat from another thread would only wait on their locks.
        if not transaction.get_connection().in_atomic_block:
            self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        return False

    def track(self, recorder: ProgressRecorder) -> ProgressRecorder:
        """Report this recorder's progress from now on (the current step's processes)."""
        self.recorder = recorder
        return recorder

    def should_stop(self) -> bool:
        return self.lost.is_set()

    def _run(self) -> None:
        interval = heartbeat_interval()
        try:
            while not self._stop.wait(interval):
                try:
                    if not self.beat():
                        logger.warning("attempt %s lost its batch; stopping", self.token)
                        self.lost.set()
                        return
                except DatabaseError as exc:
                    # A failover or a terminated connection: try again at the next beat.
                    logger.warning("heartbeat of attempt %s failed: %s", self.token, exc)
                    reset_database_connections()
        finally:
            connections.close_all()  # this thread's own connections

    def beat(self) -> bool:
        """Write heartbeat (and progress); False if the rows belong to another attempt now
        (or were failed or reset by someone else). Rows that are gone (the media file was
        deleted) are left to the final store, which then changes nothing."""
        now = timezone.now()
        rows = MediaRendition.objects.filter(attempt=self.token, status=RenditionStatus.PROCESSING)
        recorder = self.recorder
        if recorder is None:
            alive = rows.filter(pk__in=self.row_ids).update(heartbeat_at=now)
            return bool(alive) or not self._taken_away()
        alive = 0
        for group, percent, eta in recorder.snapshot():
            alive += rows.filter(pk__in=group).update(
                heartbeat_at=now, progress=percent, eta_seconds=eta
            )
        # Rows not in any process group (e.g. HLS, packaged later) still need the heartbeat.
        grouped = {pk for group in recorder.groups for pk in group}
        rest = [pk for pk in self.row_ids if pk not in grouped]
        if rest:
            alive += rows.filter(pk__in=rest).update(heartbeat_at=now)
        return bool(alive) or not self._taken_away()

    def _taken_away(self) -> bool:
        return MediaRendition.objects.filter(pk__in=self.row_ids).exists()
