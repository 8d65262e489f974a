"""Room on the work disk: a batch starts only when what it will write fits.

Every worker process on a machine shares ``MEDIA_WORK_DIR``. Without admission, two large
batches that each fit start side by side, both run out of space near the end, both retry at
once and fail again, until their retries are exhausted. So each attempt estimates what it will
write (``estimate_bytes``) and reserves it before downloading the source: under an exclusive
``flock`` on the work folder, the free space minus what the other running attempts have
reserved but not written yet must hold it. A reservation is a small file
``.reserve-<pid>-<token>`` in the work folder, removed when the attempt ends (and, if its
process died, by the next reservation).

A batch that would fit once the others are done waits for the room where it is, holding its
claim (its heartbeat goes on), and starts the moment the room is free: it looks again every
quarter of a second. Waiting batches queue in the order they began to wait, each announced by a
``.waiting-<pid>-<token>`` file with its estimate: a newcomer starts before them only if the
room also holds everything they wait for, so a large batch is not overtaken forever by small
ones. Why here and not in the broker: a batch sent back with a countdown leaves the disk idle
until the countdown runs out (the faults benchmark measured seconds of idle disk per batch),
and waking every sent-back batch when room frees makes them all bounce again. Only after
``MEDIA_WORK_DISK_WAIT`` seconds (at most a quarter of its time limit) does a batch give up
(``WorkDiskBusy``): it is sent back to the queue, without counting against its retries, so
the worker takes other work. It gives up at once where waiting cannot help: when the room is
held by the work a killed attempt left for its batch's next attempt (``resume``), which needs a
free worker to go on; that batch, resuming, does not queue behind the waiting ones.

A batch alone on the machine (no running attempt, nobody waiting before it) always starts:
the estimate is an upper bound, and if the disk really is too small, ENOSPC is a transient
error that ends FAILED with an operator's message when the retries are exhausted.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

from .exceptions import TransientMediaError
from .faults import WORK_DISK_FULL

RESERVATION_PREFIX = ".reserve-"
WAITING_PREFIX = ".waiting-"
POLL_SECONDS = 0.25
MARGIN_BYTES = 8 * 1024 * 1024
MARGIN_FACTOR = 1.15


class WorkDiskBusy(TransientMediaError):
    """Not enough room now, while other attempts run; retried until there is."""


def estimate_bytes(specs, duration: float, source_size: int) -> int:
    """What an attempt writes to the work folder: the source copy, every output (an MP4
    rung at its peak rate, twice when HLS is packaged from it), the waveform's PCM, sprite,
    poster and ffmpeg's stats, with a margin."""
    seconds = max(duration or 0.0, 1.0)
    packaged = any(spec.packages_rungs for spec in specs)
    total = source_size
    for spec in specs:
        plan = spec.plan
        if spec.is_rung:
            rate = (plan.maxrate_kbps or 5000) + (plan.bitrate_kbps or 128)
            total += rate * 1000 / 8 * seconds * (2 if packaged else 1)
            total += 250 * 30 * seconds  # -vstats lines, one per frame
        elif plan.kind == "audio":
            total += (plan.bitrate_kbps or 128) * 1000 / 8 * seconds
        elif plan.kind == "data":
            total += 2 * 4000 * seconds  # 16-bit PCM at 4 kHz
        elif plan.kind == "text":
            total += 2 * 16_000 * seconds  # the speech batch's 16 kHz 16-bit PCM
        elif plan.kind == "image":
            total += 2 * 1024 * 1024
    return int(total * MARGIN_FACTOR) + MARGIN_BYTES


@contextlib.contextmanager
def reserve(
    root: Path,
    token: str,
    needed: int,
    work_dir: Path,
    resume_dir: Path | None = None,
    *,
    wait: float = 0.0,
    should_stop: Callable[[], bool] | None = None,
):
    """Reserve ``needed`` bytes of ``root``'s disk for the attempt while the block runs (what
    it writes to ``work_dir`` and its batch's ``resume_dir`` counts against it).

    While other attempts hold the room it needs, waits up to ``wait`` seconds (in the queue of
    waiting attempts, see the module's docstring), then raises WorkDiskBusy; so does
    ``should_stop()`` turning true (the attempt lost its batch meanwhile).

    The resume folder with work of a batch whose attempt died (``resume``) counts as another
    attempt for a batch that has no such work itself: it waits until that batch has resumed
    and finished, instead of starting alone and running out of space on top of it. Batches
    with work to resume do not wait for each other's folders (they would wait forever)."""
    root.mkdir(parents=True, exist_ok=True)
    marker = root / f"{RESERVATION_PREFIX}{os.getpid()}-{token}"
    waiting = root / f"{WAITING_PREFIX}{os.getpid()}-{token}"
    folders = [work_dir] if resume_dir is None else [work_dir, resume_dir]
    deadline = time.monotonic() + wait
    try:
        while not _try_reserve(root, marker, waiting, needed, folders, resume_dir, wait > 0):
            if time.monotonic() >= deadline or (should_stop is not None and should_stop()):
                raise WorkDiskBusy(f"waited {wait:.0f} s for {needed} bytes", WORK_DISK_FULL)
            time.sleep(POLL_SECONDS)
    finally:
        waiting.unlink(missing_ok=True)
    try:
        yield
    finally:
        marker.unlink(missing_ok=True)


def _try_reserve(root, marker, waiting, needed, folders, resume_dir, queue: bool) -> bool:
    """Take the room if it is there now (under the work folder's lock); False if it will be
    once running attempts end (after joining the queue of waiting attempts, ``waiting``, with
    ``queue``). Raises WorkDiskBusy at once when a dead attempt's work holds the room: only its
    batch's next attempt frees it, and that needs a worker, not one more waiting."""
    from .resume import has_work

    descriptor = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        # A killed attempt's folder would otherwise hold its bytes until the watchdog comes by,
        # and a batch starting alone would run out of space on top of it.
        remove_dead_attempt_folders(root)
        usage = shutil.disk_usage(root)
        live, held, parked = _held_by_others(root, resuming=resume_dir)
        # A batch resuming its own work goes first: the batches waiting before it may be
        # waiting for exactly that work to be finished.
        ahead = [] if has_work(resume_dir) else _waiting_ahead(root, waiting)
        # Alone, a batch always starts (the estimate is an upper bound): if it really does not
        # fit, the disk says so (ENOSPC) and the operator gets the message when the retries
        # are exhausted. Otherwise the room must also hold what the batches waiting before
        # this one need, or they would wait behind every newcomer.
        if (live or parked or ahead) and needed + sum(ahead) > usage.free - held:
            if parked or not queue:
                raise WorkDiskBusy(
                    f"needs {needed} bytes; {usage.free} free, {held} held by {live} running "
                    f"batches, {parked} stopped ones, {len(ahead)} waiting",
                    WORK_DISK_FULL,
                )
            if not waiting.exists():
                waiting.write_text(f"{needed} {time.time():.6f}\n")
            return False
        marker.write_text(f"{needed} " + "\n".join(map(str, folders)) + "\n")
        return True
    finally:
        os.close(descriptor)  # releases the lock


def _waiting_ahead(root: Path, waiting: Path) -> list[int]:
    """The estimates of the live attempts that began to wait for room before ``waiting``'s
    (all of them if it has not begun to wait); markers of dead processes go."""
    mine = _read_waiting(waiting)
    ahead = []
    for path in root.glob(f"{WAITING_PREFIX}*"):
        if path == waiting:
            continue
        pid = path.name[len(WAITING_PREFIX) :].split("-", 1)[0]
        entry = _read_waiting(path)
        if entry is None:
            continue  # being written
        if not pid.isdigit() or holder_is_gone(int(pid), entry[1]):
            path.unlink(missing_ok=True)
            continue
        if mine is None or (entry[1], path.name) < (mine[1], waiting.name):
            ahead.append(entry[0])
    return ahead


def _read_waiting(path: Path) -> tuple[int, float] | None:
    try:
        needed, since = path.read_text().split()
        return int(needed), float(since)
    except (OSError, ValueError):
        return None


def _held_by_others(root: Path, resuming: Path | None = None) -> tuple[int, int, int]:
    """(live attempts, bytes they reserved and have not written yet, resume folders of dead
    attempts unless ``resuming`` holds work itself); markers of dead processes go."""
    from .resume import has_work, holder_alive, is_resume_folder

    held = others = 0
    for marker in root.glob(f"{RESERVATION_PREFIX}*"):
        pid = marker.name[len(RESERVATION_PREFIX) :].split("-", 1)[0]
        try:
            reserved, folders = marker.read_text().split(" ", 1)
        except (OSError, ValueError):
            continue
        if not pid.isdigit() or not process_alive(int(pid)):
            marker.unlink(missing_ok=True)
            continue
        others += 1
        written = sum(_size_of(Path(line)) for line in folders.splitlines() if line.strip())
        held += max(0, int(reserved) - written)
    parked = 0
    if not has_work(resuming):
        # Work of dead attempts kept for their batch's next attempt (their bytes are in use).
        parked = sum(
            1
            for path in root.iterdir()
            if is_resume_folder(path) and has_work(path) and not holder_alive(path)
        )
    return others, held, parked


def attempt_folder_name(pid: int, media_file_id: int) -> str:
    """The private work folder of an attempt: ``<host>-<pid>-<media file>-<random>``."""
    return f"{socket.gethostname()}-{pid}-{media_file_id}-{os.urandom(4).hex()}"


def remove_dead_attempt_folders(root: Path) -> None:
    """Remove the work folders of this host's attempts whose process has ended (killed, out of
    memory); resume folders (``resume``) are not attempt folders and stay."""
    host = socket.gethostname()
    with contextlib.suppress(OSError):
        for folder in root.iterdir():
            parts = folder.name.split("-")
            if len(parts) < 4 or "-".join(parts[:-3]) != host or not parts[-3].isdigit():
                continue
            if folder.is_dir() and not process_alive(int(parts[-3])):
                shutil.rmtree(folder, ignore_errors=True)


def _size_of(folder: Path) -> int:
    total = 0
    for path, _folders, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(path, name)).st_blocks * 512
    return total


def process_alive(pid: int) -> bool:
    """Whether a process of this machine still runs (work folders and reservations of dead
    ones are removed).

    A zombie is dead: a worker killed with ``kill -9`` leaves its pool processes to PID 1,
    and in a container whose PID 1 does not reap them they stay in the process table."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (not Linux): the signal's answer stands
    # The command name (field 2) may hold spaces and parentheses: count from the last ")".
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def process_started_at(pid: int) -> float | None:
    """When process ``pid`` of this machine started (Unix time, from /proc), or None if no
    such process runs or the system does not tell."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
    except (OSError, StopIteration, ValueError):
        return None
    # The command name (field 2) may hold spaces and parentheses: count from the last ")".
    start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
    return boot + start_ticks / os.sysconf("SC_CLK_TCK")


def holder_is_gone(pid: int, claimed_at: float) -> bool:
    """Whether the process that claimed work at ``claimed_at`` (Unix time) as ``pid`` has
    certainly ended: no process with that id runs, or the one that does started after the
    claim (the id was reused, e.g. by a restarted worker in a container). Unknown → False,
    and the heartbeat timeout decides."""
    if not process_alive(pid):
        return True
    started = process_started_at(pid)
    # /proc/stat's boot time has whole seconds: a margin keeps the claimer itself "alive".
    return started is not None and started > claimed_at + 2
