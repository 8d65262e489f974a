"""Running ffmpeg and ffprobe on untrusted input: argv only, bounded, killable.

Every child runs in its own process group with resource limits (CPU seconds, address space,
output file size), so a hostile file cannot take the worker down with it; when the caller
stops waiting (time limit, worker shutdown, any exception) the whole group is killed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import queue
import resource
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings


@dataclass
class RunResult:
    returncode: int
    stdout: str
    stderr: str


class ProcessTimeout(RuntimeError):
    pass


class ProcessCancelled(RuntimeError):
    """``should_stop`` said so (the attempt lost its batch): every process was killed."""


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL the child when the worker process dies (prctl PR_SET_PDEATHSIG),
    so a worker killed mid-transcode leaves no ffmpeg running."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)
    except OSError:
        pass


def _limits(cpu_seconds: int, address_space: int, file_size: int):
    niceness = settings.MEDIA_PROCESS_NICE

    def apply():
        _die_with_parent()
        # Encoders take every idle cycle but yield to the web process and to the workers
        # themselves (heartbeats, progress, a restarted worker booting): on a loaded
        # machine a worker restarted by its supervisor is ready in a third of the time.
        if niceness:
            os.nice(niceness)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def kill_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _pump(stream, lines: queue.Queue, index: int = 0) -> None:
    for line in stream:
        lines.put((index, line.rstrip("\n")))
    lines.put((index, None))


def _exit_status(process: subprocess.Popen) -> int | None:
    try:
        return process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return None


def run_bounded(
    argv: list[str],
    *,
    timeout: float,
    on_stdout_line: Callable[[str], None] | None = None,
    cpu_seconds: int | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RunResult:
    """Run ``argv`` (no shell) and return its exit status and output; never raises on a
    non-zero exit. Raises ProcessTimeout after ``timeout`` seconds of wall time.

    stdout is read line by line (ffmpeg ``-progress pipe:1``); stderr goes to a temporary file
    so a chatty child cannot block on a full pipe.
    """
    callback = (lambda index, line: on_stdout_line(line)) if on_stdout_line else None
    return run_bounded_many(
        [argv],
        timeout=timeout,
        on_stdout_line=callback,
        cpu_seconds=cpu_seconds,
        should_stop=should_stop,
    )[0]


def run_bounded_many(
    argvs: list[list[str]],
    *,
    timeout: float,
    on_stdout_line: Callable[[int, str], None] | None = None,
    cpu_seconds: int | None = None,
    fail_fast: bool = False,
    should_stop: Callable[[], bool] | None = None,
) -> list[RunResult]:
    """Run several processes side by side (one per core) under the same limits.

    Their stdout lines reach ``on_stdout_line(index, line)`` in the calling thread, so the
    callback may use the database. If anything goes wrong, every process group is killed.
    With ``fail_fast`` the first child that exits with an error ends the others too (they
    report -SIGKILL): processes joined by a FIFO would otherwise wait for a partner that is
    gone until the time limit. ``should_stop`` is asked twice a second; when it answers True
    every process is killed and ProcessCancelled raised.
    """
    preexec = _limits(
        cpu_seconds=int(cpu_seconds or max(timeout * 2, 30)),
        address_space=settings.MEDIA_PROCESS_MAX_MEMORY,
        file_size=settings.MEDIA_PROCESS_MAX_OUTPUT,
    )
    deadline = time.monotonic() + timeout
    lines: queue.Queue[tuple[int, str | None]] = queue.Queue()
    stderr_files, processes, readers = [], [], []
    stdout_lines: list[list[str]] = [[] for _ in argvs]
    try:
        for index, argv in enumerate(argvs):
            stderr_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after reading
            stderr_files.append(stderr_file)
            process = subprocess.Popen(  # noqa: S603 - argv list built by us, never a shell
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr_file,
                start_new_session=True,
                preexec_fn=preexec,  # noqa: PLW1509 - limits must be set in the child
                text=True,
                bufsize=1,
            )
            processes.append(process)
            reader = threading.Thread(
                target=_pump, args=(process.stdout, lines, index), daemon=True
            )
            reader.start()
            readers.append(reader)
        open_streams = len(argvs)
        while open_streams:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ProcessTimeout(
                    f"{os.path.basename(argvs[0][0])} ran longer than {timeout:.0f} s"
                )
            if should_stop is not None and should_stop():
                raise ProcessCancelled(f"{os.path.basename(argvs[0][0])} was stopped")
            try:
                index, line = lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            if line is None:  # stdout closed: that child is exiting
                open_streams -= 1
                if fail_fast and _exit_status(processes[index]):
                    for process in processes:
                        kill_group(process)
                    break
            elif on_stdout_line:
                on_stdout_line(index, line)
            else:
                stdout_lines[index].append(line)
        for process in processes:
            process.wait(timeout=max(deadline - time.monotonic(), 1))
    except subprocess.TimeoutExpired:
        raise ProcessTimeout(f"{os.path.basename(argvs[0][0])} did not exit") from None
    finally:
        # Whatever happened (time limit, worker shutdown, error in a callback): no orphans.
        for process in processes:
            kill_group(process)
        for reader in readers:
            reader.join(timeout=5)
        for process in processes:
            process.stdout.close()
    results = []
    for process, stderr_file, out in zip(processes, stderr_files, stdout_lines, strict=True):
        stderr_file.seek(0)
        stderr = stderr_file.read().decode("utf-8", "replace")
        stderr_file.close()
        results.append(RunResult(process.returncode, "\n".join(out), stderr))
    return results
