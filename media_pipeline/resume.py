"""Video ladders that survive their worker: the encoded picture of every rung is kept in a
folder of the batch (not of the attempt), in fragments a later attempt can adopt.

Why: a video batch is one long ffmpeg run. When its worker dies (SIGKILL, out of memory, a
restart), everything it encoded was thrown away and the next attempt started from the first
frame; under repeated kills a batch could be restarted again and again near its end.

How:

- Each MP4 rung's picture (no sound) is written as a *fragmented* MP4 (``frag_keyframe``):
  one ``moof``+``mdat`` pair per keyframe interval (``KEYFRAME_SECONDS``; keyframes are
  forced on that grid in every rung). A fragment on disk is complete when both boxes are;
  whatever a killed run was writing is cut off.
- The folder lives as long as the batch needs it: ``<host>-resume-<media file>-<batch>`` in
  ``MEDIA_WORK_DIR``, with a ``holder`` file (process id and start of the attempt) and a
  ``recipe`` file (source hash, specs, frame rate). A new attempt on the same machine takes it
  over only when its holder is provably gone (``workdisk.holder_is_gone``) or released it,
  and only if the recipe is the same; otherwise it starts afresh.
- Adopted fragments are verified before use: every fragment's decode time (``tfdt``) and
  frame count (``trun``) must be exactly those of its place on the keyframe grid, and the
  resumed run's initialisation (``ftyp``+``moov``, the same encoder settings) must be
  byte-identical to the adopted one. The run resumes at the first fragment missing from
  any rung (``-ss`` there, keyframes forced on the same grid); its fragments are appended
  with their decode times moved to their place. Anything that does not check out is
  encoded again.
- The sound is encoded once per attempt by its own process (cheap), so a resumed picture
  never meets a priming gap; rungs are remuxed (``-c copy``) from picture and sound.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import shutil
import struct
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from . import workdisk
from .exceptions import TransientMediaError
from .ffmpeg_commands import KEYFRAME_SECONDS

RESUME_MARKER = "-resume-"
HOLDER_FILE = "holder"
RECIPE_FILE = "recipe"
RELEASED = "released"


# --- fragments ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Fragment:
    start: int  # byte offset of its moof
    end: int  # byte offset after its mdat
    decode_time: int  # tfdt, in the track's timescale
    frames: int  # samples in its trun


@dataclass(frozen=True)
class FragmentedFile:
    init: bytes  # ftyp + moov
    timescale: int
    fragments: tuple[Fragment, ...]


def _box(data: bytes, offset: int) -> tuple[str, int, int] | None:
    """(type, header size, size) of the box at ``offset`` if it is complete in ``data``."""
    if offset + 8 > len(data):
        return None
    size, kind = struct.unpack(">I4s", data[offset : offset + 8])
    header = 8
    if size == 1:
        if offset + 16 > len(data):
            return None
        size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        header = 16
    if size < header or offset + size > len(data):
        return None
    return kind.decode("latin-1"), header, size


def _child(data: bytes, start: int, end: int, path: list[str]) -> tuple[int, int] | None:
    """(payload start, box end) of the box at ``path`` inside ``data[start:end]``."""
    offset = start
    while offset < end:
        box = _box(data, offset)
        if box is None:
            return None
        kind, header, size = box
        if kind == path[0]:
            if len(path) == 1:
                return offset + header, offset + size
            return _child(data, offset + header, offset + size, path[1:])
        offset += size
    return None


def read_fragmented(path: Path) -> FragmentedFile | None:
    """The complete fragments of a fragmented MP4 with one track, in file order (a cut-off
    last one is left out); None if the file is not one."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    boxes, offset = [], 0
    while (box := _box(data, offset)) is not None:
        boxes.append((box[0], offset, box[2]))
        offset += box[2]
    if len(boxes) < 2 or boxes[0][0] != "ftyp" or boxes[1][0] != "moov":
        return None
    moov_end = boxes[1][1] + boxes[1][2]
    mdhd = _child(data, boxes[1][1] + 8, moov_end, ["trak", "mdia", "mdhd"])
    if mdhd is None:
        return None
    version = data[mdhd[0]]
    at = mdhd[0] + (20 if version == 1 else 12)
    timescale = struct.unpack(">I", data[at : at + 4])[0]
    fragments = []
    index = 2
    while index + 1 < len(boxes) and boxes[index][0] == "moof" and boxes[index + 1][0] == "mdat":
        moof_start, moof_size = boxes[index][1], boxes[index][2]
        tfdt = _child(data, moof_start + 8, moof_start + moof_size, ["traf", "tfdt"])
        trun = _child(data, moof_start + 8, moof_start + moof_size, ["traf", "trun"])
        if tfdt is None or trun is None:
            break
        if data[tfdt[0]] == 1:
            decode_time = struct.unpack(">Q", data[tfdt[0] + 4 : tfdt[0] + 12])[0]
        else:
            decode_time = struct.unpack(">I", data[tfdt[0] + 4 : tfdt[0] + 8])[0]
        frames = struct.unpack(">I", data[trun[0] + 4 : trun[0] + 8])[0]
        end = boxes[index + 1][1] + boxes[index + 1][2]
        fragments.append(Fragment(moof_start, end, decode_time, frames))
        index += 2
    return FragmentedFile(data[:moov_end], timescale, tuple(fragments))


def first_frame(fragment: int, rate: Fraction) -> int:
    """Number of the first frame of ``fragment``: keyframes are forced at the first frame at
    or after every multiple of ``KEYFRAME_SECONDS`` (``gte(t, n * KEYFRAME_SECONDS)``)."""
    return math.ceil(Fraction(fragment * KEYFRAME_SECONDS) * rate)


def frame_ticks(frame: int, rate: Fraction, timescale: int) -> Fraction:
    return Fraction(frame) * timescale / rate


def verified_count(file: FragmentedFile | None, rate: Fraction, *, offset: int = 0) -> int:
    """How many leading fragments sit exactly where they belong on the keyframe grid (their
    decode time once shifted by ``offset`` fragments, and their full frame count)."""
    if file is None:
        return 0
    count = 0
    for number, fragment in enumerate(file.fragments, start=offset):
        start, end = first_frame(number, rate), first_frame(number + 1, rate)
        shift = frame_ticks(first_frame(offset, rate), rate, file.timescale)
        if fragment.decode_time + shift != frame_ticks(start, rate, file.timescale):
            break
        if fragment.frames != end - start:
            break
        count += 1
    return count


def _patched_moof(data: bytes, fragment: Fragment, shift: int, sequence: int) -> bytes:
    """The fragment's bytes with its decode time moved by ``shift`` and its sequence number
    set; sample data offsets are relative to the moof (``default_base_moof``), so the
    fragment may move in the file."""
    moof = bytearray(data[fragment.start : fragment.end])
    moof_size = _box(bytes(moof), 0)[2]
    mfhd = _child(bytes(moof), 8, moof_size, ["mfhd"])
    struct.pack_into(">I", moof, mfhd[0] + 4, sequence)
    tfdt = _child(bytes(moof), 8, moof_size, ["traf", "tfdt"])
    if moof[tfdt[0]] == 1:
        value = struct.unpack_from(">Q", moof, tfdt[0] + 4)[0] + shift
        struct.pack_into(">Q", moof, tfdt[0] + 4, value)
    else:
        value = struct.unpack_from(">I", moof, tfdt[0] + 4)[0] + shift
        if value >= 2**32:
            raise ValueError("decode time does not fit a version 0 tfdt")
        struct.pack_into(">I", moof, tfdt[0] + 4, value)
    return bytes(moof)


def append_part(rung: Path, part: Path, first_fragment: int, rate: Fraction, *, finished: bool):
    """Move the fragments of ``part`` (a run that started at ``first_fragment``) to the end
    of ``rung``, which must hold exactly ``first_fragment`` fragments; remove ``part``. Of a
    run that did not finish (a dead attempt's) only the leading verified fragments are
    kept; a run of this attempt that finished is taken whole."""
    file = read_fragmented(part)
    if file is None:
        part.unlink(missing_ok=True)
        return
    count = len(file.fragments)
    if not finished:
        count = verified_count(file, rate, offset=first_fragment)
    if first_fragment == 0 and not rung.exists() and count == len(file.fragments):
        part.rename(rung)  # nothing to move: the usual, uninterrupted case
        _truncate_after(rung, file)
        return
    data = part.read_bytes()
    if not rung.exists():
        rung.write_bytes(file.init)
    elif rung.read_bytes()[: len(file.init)] != file.init:
        # Encoded otherwise (another ffmpeg build, say): the two cannot join. Both go and the
        # attempt is retried, from the first frame then.
        rung.unlink(missing_ok=True)
        part.unlink(missing_ok=True)
        raise TransientMediaError(f"{part.name} does not continue {rung.name}")
    shift = int(frame_ticks(first_frame(first_fragment, rate), rate, file.timescale))
    with rung.open("ab") as handle:
        for number, fragment in enumerate(file.fragments[:count]):
            sequence = first_fragment + number + 1
            handle.write(_patched_moof(data, fragment, shift, sequence))
    part.unlink(missing_ok=True)


def _truncate_after(path: Path, file: FragmentedFile) -> None:
    """Cut what follows the last complete fragment (a ``mfra`` index, or a cut-off box)."""
    end = file.fragments[-1].end if file.fragments else len(file.init)
    with path.open("r+b") as handle:
        handle.truncate(end)


def keep_fragments(rung: Path, count: int) -> None:
    """Truncate ``rung`` to its first ``count`` fragments (the others are encoded again)."""
    file = read_fragmented(rung)
    if file is None or count == 0:
        rung.unlink(missing_ok=True)
        return
    with rung.open("r+b") as handle:
        handle.truncate(file.fragments[count - 1].end)


def resume_point(rungs: list[Path], parts: dict[Path, list[tuple[Path, int, bool]]], rate):
    """Consolidate every rung's leftover parts, then return how many leading fragments every
    rung has, verified (each rung is cut to that many)."""
    counts = []
    for rung in rungs:
        for part, first, finished in sorted(parts.get(rung, []), key=lambda item: item[1]):
            current = verified_count(read_fragmented(rung), rate) if rung.exists() else 0
            if first == current:
                append_part(rung, part, first, rate, finished=finished)
            else:
                part.unlink(missing_ok=True)  # a gap: it cannot join
        counts.append(verified_count(read_fragmented(rung), rate) if rung.exists() else 0)
    point = min(counts) if counts else 0
    for rung in rungs:
        keep_fragments(rung, point)
    return point


# --- the batch's folder ------------------------------------------------------------------
def folder_name(host: str, media_file_id: int, batch: str) -> str:
    return f"{host}{RESUME_MARKER}{media_file_id}-{batch}"


def parse_folder_name(name: str) -> tuple[str, int, str] | None:
    """(host, media file id, batch) of a resume folder's name, None for other folders."""
    host, marker, rest = name.rpartition(RESUME_MARKER)
    media_file, _dash, batch = rest.partition("-")
    if not marker or not host or not media_file.isdigit() or not batch:
        return None
    return host, int(media_file), batch


def holder_alive(folder: Path) -> bool:
    """Whether the attempt that holds ``folder`` may still write to it."""
    try:
        text = (folder / HOLDER_FILE).read_text().split()
    except OSError:
        return False
    if len(text) != 2 or text[0] == RELEASED or not text[0].isdigit():
        return False
    return not workdisk.holder_is_gone(int(text[0]), float(text[1]))


@contextlib.contextmanager
def _locked(root: Path):
    descriptor = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def take_folder(root: Path, name: str, recipe: dict) -> Path | None:
    """The batch's resume folder, held by this process from now on: adopted (its contents
    kept) when its holder is gone or released it and it was made by the same ``recipe``,
    emptied otherwise. None when a live attempt still holds it (this attempt then works in
    its own folder and cannot be resumed)."""
    root.mkdir(parents=True, exist_ok=True)
    folder = root / name
    text = json.dumps(recipe, sort_keys=True)
    with _locked(root):
        if folder.is_dir():
            try:
                holder = (folder / HOLDER_FILE).read_text().split()
            except OSError:
                holder = []
            ours = len(holder) == 2 and holder[0] == str(os.getpid())
            if not ours and holder_alive(folder):
                return None
            try:
                same = (folder / RECIPE_FILE).read_text() == text
            except OSError:
                same = False
            if not same:
                shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(exist_ok=True)
        (folder / RECIPE_FILE).write_text(text)
        (folder / HOLDER_FILE).write_text(f"{os.getpid()} {time.time():.3f}")
    return folder


PROGRESS_FILE = "resumed-at"


def advance(folder: Path, point: int) -> bool:
    """Record that an attempt resumes at keyframe interval ``point``; True if that is further
    than any attempt of the batch resumed before (the dead attempt made progress)."""
    try:
        before = int((folder / PROGRESS_FILE).read_text())
    except (OSError, ValueError):
        before = 0
    if point <= before:
        return False
    (folder / PROGRESS_FILE).write_text(str(point))
    return True


def release_folder(folder: Path) -> None:
    """Let any later attempt adopt the folder (this one ended, its work may be resumed); an
    empty one is removed instead (nothing to resume, and it must not keep room for it)."""
    if not has_work(folder):
        shutil.rmtree(folder, ignore_errors=True)
        return
    with contextlib.suppress(OSError):
        (folder / HOLDER_FILE).write_text(f"{RELEASED} 0")


def has_work(folder: Path | None) -> bool:
    """Whether the folder holds encoded picture (rungs or parts of a run)."""
    if folder is None:
        return False
    try:
        return any(path.suffix == ".mp4" for path in folder.iterdir())
    except OSError:
        return False


def is_resume_folder(path: Path) -> bool:
    return parse_folder_name(path.name) is not None
