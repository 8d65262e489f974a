"""WebVTT and SRT text tracks: parsing, validation and conversion to WebVTT.

Used for podcast transcripts now and video captions later. Uploads are untrusted: the text is
read once, line by line, with regular expressions confined to one line; every problem is
reported with its 1-based line number, up to ``MAX_ERRORS`` at a time, so an editor can fix a
file in one go. Messages are lazy translations, rendered in the language active when they are
turned into strings.

Cue text is always kept as WebVTT cue payload (``<v Speaker>``, ``<i>``, ``&amp;``), also for
cues read from SRT, so a track is written back with ``TextTrack.to_webvtt()`` unchanged.
"""

from __future__ import annotations

import codecs
import html
import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

MAX_ERRORS = 20

EMPTY = _("Line %(line)s: the file is empty.")
NOT_A_TEXT_TRACK = _("Line %(line)s: the file is neither WebVTT nor SRT.")
MISSING_HEADER = _("Line %(line)s: a WebVTT file must start with “WEBVTT”.")
UNKNOWN_ENCODING = _(
    "Line %(line)s: the text encoding is not recognised; please save the file as UTF-8."
)
MISSING_TIMING = _("Line %(line)s: expected a timing line such as “%(example)s”.")
MISSING_BLANK_LINE = _("Line %(line)s: a blank line is missing before this cue.")
BAD_TIME = _("Line %(line)s: “%(value)s” is not a valid time; expected e.g. “%(example)s”.")
TIME_OUT_OF_RANGE = _("Line %(line)s: minutes and seconds must be below 60 in “%(value)s”.")
TIME_TOO_LARGE = _("Line %(line)s: the time “%(value)s” is too large.")
END_NOT_AFTER_START = _("Line %(line)s: the cue must end after it starts (%(start)s --> %(end)s).")
OUT_OF_ORDER = _(
    "Line %(line)s: the cue starts at %(start)s, before the previous cue (%(previous)s); "
    "cues must be in order of their start time."
)
NO_TEXT = _("Line %(line)s: the cue has no text.")
AFTER_MEDIA = _(
    "Line %(line)s: the cue ends at %(end)s, after the end of the recording (%(duration)s)."
)
NO_CUES = _("Line %(line)s: the file contains no cues.")
MORE_ERRORS = _("More problems were found; only the first %(count)s are shown.")

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WEBVTT_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?")
_TIME = re.compile(r"(?:(\d+):)?(\d+):(\d+)([.,])(\d+)")
_MAX_HOURS = 9999
_VOICE = re.compile(r"\s*<v(?:\.[^\s.>]+)*[ \t\n]+([^>]*)>")
_TAG = re.compile(r"<[^>]*>")
_ASS_TAG = re.compile(r"\{\\[^{}]*\}")
_SRT_TOKEN = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:[ \t][^<>]*)?>"
    r"|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);"
    r"|[&<>]"
)
_KEPT_SRT_TAGS = {"b", "i", "u"}
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


class TextTrackFormat(StrEnum):
    WEBVTT = "webvtt"
    SRT = "srt"


_EXAMPLES = {
    TextTrackFormat.WEBVTT: ("00:01:02.345", "00:00:01.000 --> 00:00:04.000"),
    TextTrackFormat.SRT: ("00:01:02,345", "00:00:01,000 --> 00:00:04,000"),
}


def _interpolate(template, params):
    return str(template) % params


_interpolate_lazy = lazy(_interpolate, str)


@dataclass(frozen=True)
class LineError:
    """One problem in a text track; ``message`` is lazy and already names the line."""

    line: int
    message: Promise

    def __str__(self):
        return str(self.message)


class TextTrackError(ValueError):
    """A text track cannot be used; ``errors`` lists up to MAX_ERRORS problems by line.

    ``truncated`` says that parsing stopped because there were more.
    """

    def __init__(self, errors, truncated=False):
        self.errors = list(errors)
        self.truncated = truncated
        super().__init__(self.errors, truncated)

    def __str__(self):
        lines = [str(error) for error in self.errors]
        if self.truncated:
            lines.append(MORE_ERRORS % {"count": len(self.errors)})
        return "\n".join(lines)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    identifier: str = ""
    speaker: str = ""
    settings: str = ""

    @property
    def plain_text(self) -> str:
        """The text without tags, entities decoded, whitespace collapsed to single spaces."""
        return " ".join(html.unescape(_TAG.sub("", self.text)).split())


@dataclass(frozen=True)
class Paragraph:
    start: float
    end: float
    speaker: str
    text: str


@dataclass(frozen=True)
class TextTrack:
    source_format: TextTrackFormat
    cues: list[Cue]
    encoding: str = "utf-8"
    header_blocks: tuple[str, ...] = ()  # WebVTT STYLE and REGION blocks, verbatim

    def to_webvtt(self) -> str:
        """Return the track as WebVTT text: header, STYLE/REGION blocks, then the cues.

        Comments (NOTE blocks) and the text after ``WEBVTT`` in the header are not kept.
        """
        parts = ["WEBVTT\n", *(f"\n{block}\n" for block in self.header_blocks)]
        for cue in self.cues:
            timing = f"{format_timestamp(cue.start)} --> {format_timestamp(cue.end)}"
            if cue.settings:
                timing = f"{timing} {cue.settings}"
            identifier = f"{cue.identifier}\n" if cue.identifier else ""
            parts.append(f"\n{identifier}{timing}\n{cue.text}\n")
        return "".join(parts)


def format_timestamp(seconds: float) -> str:
    """Return ``HH:MM:SS.mmm`` (more hour digits when needed); raise ValueError if negative."""
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"Not a time: {seconds!r}")
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    whole_seconds, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole_seconds:02d}.{millis:03d}"


def parse_webvtt(text: str, *, max_duration: float | None = None) -> list[Cue]:
    """Return the cues of a WebVTT document, in file order.

    Raises TextTrackError listing every problem found (up to MAX_ERRORS), including cues
    ending after ``max_duration`` seconds when given. Never returns a partial result.
    """
    return _Parser(TextTrackFormat.WEBVTT, max_duration).parse(text)


def parse_srt(text: str, *, max_duration: float | None = None) -> list[Cue]:
    """Return the cues of an SRT document with their text converted to WebVTT cue payload.

    ``{\\an8}``-style tags and HTML tags other than ``<b>``, ``<i>``, ``<u>`` are dropped,
    ``&``, ``<`` and ``>`` escaped; numeric counters become identifiers. Raises TextTrackError
    like parse_webvtt.
    """
    return _Parser(TextTrackFormat.SRT, max_duration).parse(text)


def load_text_track(
    data: bytes, filename: str = "", *, max_duration: float | None = None
) -> TextTrack:
    """Decode, detect, parse and validate an uploaded WebVTT or SRT file.

    WebVTT is recognised by its header, SRT by its first cue. Text is UTF-8 (with or without
    BOM) or UTF-16 with BOM; SRT files that are not UTF-8 are read as Windows-1252. The
    filename only sharpens the message for a ``.vtt`` file without header. Raises
    TextTrackError; never returns a track with problems.
    """
    text, encoding = _decode(data)
    if not text.strip():
        raise TextTrackError([_line_error(1, EMPTY)])
    if _is_webvtt(text):
        parser = _Parser(TextTrackFormat.WEBVTT, max_duration)
    elif _looks_like_srt(text):
        parser = _Parser(TextTrackFormat.SRT, max_duration)
    elif filename.lower().endswith(".vtt"):
        raise TextTrackError([_line_error(1, MISSING_HEADER)])
    else:
        raise TextTrackError([_line_error(1, NOT_A_TEXT_TRACK)])
    cues = parser.parse(text)
    return TextTrack(parser.source_format, cues, encoding, tuple(parser.header_blocks))


def cues_to_paragraphs(cues: Iterable[Cue]) -> list[Paragraph]:
    """Merge consecutive cues of one speaker into paragraphs of plain text, for reading.

    A cue without a voice span continues the current speaker's paragraph (many tools mark
    only speaker changes). Cues without visible text are skipped.
    """
    turns = []  # (speaker, cue, plain text)
    speaker = ""
    for cue in cues:
        text = cue.plain_text
        if text:
            speaker = cue.speaker or speaker
            turns.append((speaker, cue, text))
    paragraphs = []
    for speaker, group in itertools.groupby(turns, key=lambda turn: turn[0]):
        group_turns = list(group)
        paragraphs.append(
            Paragraph(
                start=group_turns[0][1].start,
                end=max(turn[1].end for turn in group_turns),
                speaker=speaker,
                text=" ".join(turn[2] for turn in group_turns),
            )
        )
    return paragraphs


def _line_error(line: int, template, **params) -> LineError:
    return LineError(line, _interpolate_lazy(template, {"line": line, **params}))


def _excerpt(value: str, limit: int = 30) -> str:
    return value if len(value) <= limit else f"{value[:limit]}…"


def _is_webvtt(text: str) -> bool:
    first_line = _LINE_BREAK.split(text.lstrip("\ufeff"), maxsplit=1)[0]
    return bool(_WEBVTT_HEADER.fullmatch(first_line))


def _looks_like_srt(text: str) -> bool:
    lines = iter(_LINE_BREAK.split(text.lstrip("\ufeff"), maxsplit=200))
    first = next((line.strip() for line in lines if line.strip()), "")
    if "-->" in first:
        return True
    return first.isascii() and first.isdigit() and "-->" in next(lines, "")


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise TextTrackError([_line_error(1, NOT_A_TEXT_TRACK)]) from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _is_webvtt(text) and _looks_like_srt(text):
        return text, "cp1252"
    preview = data.decode("cp1252", errors="replace")
    if _is_webvtt(preview) or _looks_like_srt(preview):
        raise TextTrackError([_line_error(bad_line, UNKNOWN_ENCODING)])
    raise TextTrackError([_line_error(1, NOT_A_TEXT_TRACK)])


def _srt_payload(lines: list[str]) -> str:
    def replace(match):
        token = match.group(0)
        if token in _ESCAPES:
            return _ESCAPES[token]
        if token.startswith("&"):
            return token
        name = match.group(2).lower()
        return f"<{match.group(1)}{name}>" if name in _KEPT_SRT_TAGS else ""

    converted = (_SRT_TOKEN.sub(replace, _ASS_TAG.sub("", line)).strip() for line in lines)
    return "\n".join(line for line in converted if line)


class _TooManyErrors(Exception):
    pass


class _Parser:
    def __init__(self, source_format: TextTrackFormat, max_duration: float | None):
        self.source_format = source_format
        self.webvtt = source_format == TextTrackFormat.WEBVTT
        self.time_example, self.timing_example = _EXAMPLES[source_format]
        self.max_millis = None if max_duration is None else round(max_duration * 1000)
        self.errors: list[LineError] = []
        self.cues: list[Cue] = []
        self.header_blocks: list[str] = []
        self.previous_start: int | None = None

    def error(self, line: int, template, **params):
        if len(self.errors) >= MAX_ERRORS:
            raise _TooManyErrors
        self.errors.append(_line_error(line, template, **params))

    def parse(self, text: str) -> list[Cue]:
        lines = _LINE_BREAK.split(text.removeprefix("\ufeff").replace("\0", "\ufffd"))
        truncated = False
        try:
            self.read(lines)
        except _TooManyErrors:
            truncated = True
        if self.errors:
            raise TextTrackError(self.errors, truncated)
        return self.cues

    def read(self, lines: list[str]):
        if not any(line.strip() for line in lines):
            self.error(1, EMPTY)
            return
        blocks = self.blocks(lines)
        if self.webvtt:
            header = next(blocks)
            if header[0][0] != 1 or not _WEBVTT_HEADER.fullmatch(header[0][1]):
                self.error(1, MISSING_HEADER)
                return
            for position, (number, line) in enumerate(header[1:], start=1):
                if "-->" in line:
                    self.error(number, MISSING_BLANK_LINE)
                    self.read_block(header[position:])
                    break
        for block in blocks:
            self.read_block(block)
        if not self.cues and not self.errors:
            self.error(1, NO_CUES)

    def blocks(self, lines: list[str]):
        """Yield runs of non-blank lines as lists of (line number, line)."""
        block = []
        for number, line in enumerate(lines, start=1):
            if not self.webvtt:
                line = line.strip()
            if line:
                block.append((number, line))
            elif block:
                yield block
                block = []
        if block:
            yield block

    def read_block(self, block: list[tuple[int, str]]):
        first = block[0][1]
        if "-->" not in first and not (len(block) > 1 and "-->" in block[1][1]):
            keyword = first.split(maxsplit=1)[0] if first.strip() else ""
            if self.webvtt and keyword == "NOTE":
                return
            if self.webvtt and keyword in {"STYLE", "REGION"} and first.strip() == keyword:
                if not self.cues:
                    self.header_blocks.append("\n".join(line for _, line in block))
                return
            line = block[1][0] if len(block) > 1 else block[0][0]
            self.error(line, MISSING_TIMING, example=self.timing_example)
            return
        while block:
            block = self.read_cue(block)

    def read_cue(self, block):
        """Read one cue from the start of ``block``; return lines left after a missing gap."""
        identifier = ""
        if "-->" not in block[0][1]:
            identifier = block[0][1]
            block = block[1:]
        timing_line, timing = block[0]
        end = next((i for i, (_n, line) in enumerate(block) if i and "-->" in line), len(block))
        self.add_cue(identifier, timing_line, timing, [line for _n, line in block[1:end]])
        if end == len(block):
            return None
        self.error(block[end][0], MISSING_BLANK_LINE)
        return block[end:]

    def add_cue(self, identifier: str, number: int, timing: str, payload: list[str]):
        times = self.timing(number, timing)
        text = "\n".join(payload) if self.webvtt else _srt_payload(payload)
        if times is None:
            if not text.strip():
                self.error(number, NO_TEXT)
            return
        start, end, settings = times
        if end <= start:
            self.error(number, END_NOT_AFTER_START, start=_clock(start), end=_clock(end))
        elif self.previous_start is not None and start < self.previous_start:
            self.error(
                number, OUT_OF_ORDER, start=_clock(start), previous=_clock(self.previous_start)
            )
        if self.max_millis is not None and end > self.max_millis:
            self.error(number, AFTER_MEDIA, end=_clock(end), duration=_clock(self.max_millis))
        if not text.strip():
            self.error(number, NO_TEXT)
        self.previous_start = start
        voice = _VOICE.match(text)
        speaker = " ".join(html.unescape(voice.group(1)).split()) if voice else ""
        self.cues.append(
            Cue(start / 1000, end / 1000, text, identifier.strip(), speaker, settings)
        )

    def timing(self, number: int, line: str) -> tuple[int, int, str] | None:
        start_text, _arrow, rest = line.partition("-->")
        end_text, *settings = rest.split(maxsplit=1) or [""]
        start = self.millis(number, start_text.strip())
        end = self.millis(number, end_text)
        if start is None or end is None:
            return None
        # SRT's optional "X1:… Y1:…" box coordinates have no WebVTT equivalent.
        settings = " ".join(settings[0].split()) if settings and self.webvtt else ""
        return start, end, settings

    def millis(self, number: int, value: str) -> int | None:
        match = _TIME.fullmatch(value) if len(value) <= 40 else None
        hours, minutes, seconds, separator, fraction = match.groups() if match else [""] * 5
        if not (
            match
            and len(minutes) == len(seconds) == 2
            and len(fraction) == 3
            and (separator == "." or not self.webvtt)
            and (hours is None or len(hours) >= (2 if self.webvtt else 1))
        ):
            self.error(number, BAD_TIME, value=_excerpt(value), example=self.time_example)
            return None
        if int(minutes) > 59 or int(seconds) > 59:
            self.error(number, TIME_OUT_OF_RANGE, value=value)
            return None
        if hours is not None and int(hours) > _MAX_HOURS:
            self.error(number, TIME_TOO_LARGE, value=value)
            return None
        return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(fraction)


def _clock(millis: int) -> str:
    return format_timestamp(millis / 1000)
