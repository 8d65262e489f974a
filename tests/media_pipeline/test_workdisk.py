"""Who still holds work on this machine: the sweep removes what dead processes left."""

import subprocess
import time
from pathlib import Path

from media_pipeline import workdisk


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def test_a_process_that_exited_but_was_not_reaped_is_dead():
    # A worker killed with kill -9 leaves its pool processes to be reaped by PID 1; in a
    # container whose PID 1 does not reap, they stay zombies and their work folders and
    # reservations must still go.
    child = subprocess.Popen(["true"])
    try:
        deadline = time.monotonic() + 10
        while _state(child.pid) != "Z":
            assert time.monotonic() < deadline, "the child did not exit"
            time.sleep(0.02)
        assert workdisk.process_alive(child.pid) is False
        assert workdisk.holder_is_gone(child.pid, time.time()) is True
    finally:
        child.wait()


def test_a_running_process_is_alive():
    child = subprocess.Popen(["sleep", "30"])
    try:
        assert workdisk.process_alive(child.pid) is True
    finally:
        child.kill()
        child.wait()
