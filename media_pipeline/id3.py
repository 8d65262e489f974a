"""Chapter marks in MP3 files (ID3v2 CHAP and CTOC frames, as podcast apps read them).

Only the ID3v2 tag at the start of the file is rewritten; the MPEG audio frames, including
the Xing/LAME header frame, are never touched, so the decoded audio and the duration stay
exactly the same.

The CTOC gives the chapter order. mutagen stores frames ordered by size, so CHAP frames are
not in time order in the file, and the bundled ffprobe (FFmpeg 6.0) lists chapters in file
order: sort by start time when reading chapters through ffmpeg.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from django.utils.encoding import iri_to_uri
from mutagen.id3 import CHAP, CTOC, TIT2, WXXX, CTOCFlags, Encoding
from mutagen.mp3 import MP3

TOC_ELEMENT_ID = "toc"
_NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets unused: times are authoritative
_MAX_MILLIS = 0xFFFFFFFE  # CHAP times are unsigned 32-bit milliseconds


@dataclass(frozen=True)
class Chapter:
    start_seconds: float
    title: str
    url: str = ""


def write_mp3_chapters(
    path: Path, chapters: Sequence[Chapter], *, duration: float, title: str = ""
) -> None:
    """Replace the chapters of the MP3 file at ``path`` with ``chapters``, in place.

    Writes one top-level, ordered CTOC (with ``title`` as its TIT2 when given) listing
    ``chp0``, ``chp1``, … and one CHAP per chapter: it ends where the next one starts, the last
    at ``duration`` seconds; the title goes into an embedded TIT2, the URL (IRIs encoded as
    URIs) into an embedded WXXX. An empty sequence removes all chapters. Other tags are kept;
    the tag is saved as ID3v2.3, so v2.4-only frames are converted or dropped as mutagen's
    ``update_to_v23`` does. Audio frames are never modified. Not atomic: work on a copy.

    Raises ValueError for chapters that are not strictly increasing within ``[0, duration)``
    and mutagen.MutagenError if the file is not a readable MP3.
    """
    starts = [_millis(chapter.start_seconds) for chapter in chapters]
    end = _millis(duration)
    if any(start >= next_start for start, next_start in pairwise(starts)):
        raise ValueError("Chapter starts must be strictly increasing.")
    if starts and starts[-1] >= end:
        raise ValueError("Every chapter must start before the end of the recording.")

    audio = MP3(path)
    if audio.tags is None:
        audio.add_tags()
    tags = audio.tags
    tags.delall("CHAP")
    tags.delall("CTOC")
    if chapters:
        element_ids = [f"chp{index}" for index in range(len(chapters))]
        tags.add(
            CTOC(
                element_id=TOC_ELEMENT_ID,
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=element_ids,
                sub_frames=[TIT2(encoding=Encoding.UTF8, text=[title])] if title else [],
            )
        )
        for element_id, chapter, start, chapter_end in zip(
            element_ids, chapters, starts, [*starts[1:], end], strict=True
        ):
            sub_frames = (
                [TIT2(encoding=Encoding.UTF8, text=[chapter.title])] if chapter.title else []
            )
            if chapter.url:
                sub_frames.append(
                    WXXX(encoding=Encoding.UTF8, desc="", url=iri_to_uri(chapter.url))
                )
            tags.add(
                CHAP(
                    element_id=element_id,
                    start_time=start,
                    end_time=chapter_end,
                    start_offset=_NO_OFFSET,
                    end_offset=_NO_OFFSET,
                    sub_frames=sub_frames,
                )
            )
    # Podcast apps and older players read v2.3 more reliably than v2.4.
    tags.update_to_v23()
    audio.save(v2_version=3)


def read_mp3_chapters(path: Path) -> list[Chapter]:
    """Return the chapters stored in the MP3 file at ``path``, ordered by start time.

    Returns an empty list when the file has no ID3 tag or no CHAP frames; raises
    mutagen.MutagenError if the file is not a readable MP3.
    """
    tags = MP3(path).tags
    if tags is None:
        return []
    chapters = []
    for frame in sorted(tags.getall("CHAP"), key=lambda frame: frame.start_time):
        titles = frame.sub_frames.getall("TIT2")
        urls = frame.sub_frames.getall("WXXX")
        chapters.append(
            Chapter(
                start_seconds=frame.start_time / 1000,
                title=titles[0].text[0] if titles and titles[0].text else "",
                url=urls[0].url if urls else "",
            )
        )
    return chapters


def _millis(seconds: float) -> int:
    if not math.isfinite(seconds) or not 0 <= seconds * 1000 <= _MAX_MILLIS:
        raise ValueError(f"Not a chapter time: {seconds!r}")
    return round(seconds * 1000)
