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


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL the child when the worker process dies (prctl PR_SET_PDEATHSIG),
    so a worker killed mid-transcode leaves no ffmpeg running."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)
    except OSError:
        pass


def _limits(cpu_seconds: int, address_space: int, file_size: int):
    def apply():
        _die_with_parent()
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


def _pump(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def run_bounded(
    argv: list[str],
    *,
    timeout: float,
    on_stdout_line: Callable[[str], None] | None = None,
    cpu_seconds: int | None = None,
) -> RunResult:
    """Run ``argv`` (no shell) and return its exit status and output; never raises on a
    non-zero exit. Raises ProcessTimeout after ``timeout`` seconds of wall time.

    stdout is read line by line (ffmpeg ``-progress pipe:1``); stderr goes to a temporary file
    so a chatty child cannot block on a full pipe.
    """
    preexec = _limits(
        cpu_seconds=int(cpu_seconds or max(timeout * 2, 30)),
        address_space=settings.MEDIA_PROCESS_MAX_MEMORY,
        file_size=settings.MEDIA_PROCESS_MAX_OUTPUT,
    )
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryFile() as stderr_file:
        process = subprocess.Popen(  # noqa: S603 - argv list built by us, never a shell
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            start_new_session=True,
            preexec_fn=preexec,  # noqa: PLW1509 - resource limits must be set in the child
            text=True,
            bufsize=1,
        )
        lines: queue.Queue[str | None] = queue.Queue()
        reader = threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True)
        reader.start()
        stdout_lines = []
        try:
            finished = False
            while not finished:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ProcessTimeout(
                        f"{os.path.basename(argv[0])} ran longer than {timeout:.0f} s"
                    )
                try:
                    line = lines.get(timeout=min(remaining, 0.5))
                except queue.Empty:
                    continue
                if line is None:  # stdout closed: the child is exiting
                    finished = True
                elif on_stdout_line:
                    on_stdout_line(line)
                else:
                    stdout_lines.append(line)
            process.wait(timeout=max(deadline - time.monotonic(), 1))
        except subprocess.TimeoutExpired:
            raise ProcessTimeout(f"{os.path.basename(argv[0])} did not exit") from None
        finally:
            # Whatever happened (time limit, worker shutdown, error in a callback): no orphans.
            kill_group(process)
            reader.join(timeout=5)
            process.stdout.close()
        stderr_file.seek(0)
        stderr = stderr_file.read().decode("utf-8", "replace")
    return RunResult(process.returncode, "\n".join(stdout_lines), stderr)
