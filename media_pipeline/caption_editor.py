"""The caption editor's server side: where its cues come from, how submitted cues are
checked, export to WebVTT and SRT, and the words the model was unsure of.

The editor (``views.CaptionEditorView``, script ``caption-editor.js``) edits a list of cues
(start, end, text) in the browser and submits them as JSON; without JavaScript it submits the
WebVTT text itself, which ``subtitles.load_text_track`` checks line by line. Either way the
result goes through ``drafts.mark_reviewed`` (a new page revision). Cue text is WebVTT cue
payload (``<v Anna>``, ``<i>``, ``&amp;``), as everywhere in ``subtitles``.

Submitted cues are checked here with messages that name the cue (``CueError``): times must be
valid, each cue must end after it starts, start no earlier than the cue before (as the
WebVTT parser demands), end within the recording and have text. Nothing here saves anything.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .subtitles import Cue, TextTrack, TextTrackFormat, format_timestamp

# Words recognised with a lower probability than this are highlighted for the editor.
UNSURE_PROBABILITY = 0.5
MAX_CUES = 5000
MAX_CUE_TEXT = 1000
MAX_IMPORT_BYTES = 2_000_000

BAD_TIME = _("Cue %(number)s: “%(value)s” is not a time such as 00:01:02.345.")
END_NOT_AFTER_START = _("Cue %(number)s: it must end after it starts (%(start)s → %(end)s).")
OUT_OF_ORDER = _(
    "Cue %(number)s: it starts at %(start)s, before the cue above it (%(previous)s); "
    "cues must be in order of their start time."
)
AFTER_MEDIA = _(
    "Cue %(number)s: it ends at %(end)s, after the end of the recording (%(duration)s)."
)
NO_TEXT = _("Cue %(number)s: the cue has no text.")
ARROW_IN_TEXT = _("Cue %(number)s: the text must not contain “-->”.")
TEXT_TOO_LONG = _("Cue %(number)s: the text is longer than %(limit)s characters.")
NOT_CUES = _("The captions could not be read; please reload the editor and try again.")
TOO_MANY_CUES = _("There are more than %(limit)s cues.")
NO_CUES = _("There are no cues; add one or import a file.")

_TIME = re.compile(r"(?:(\d{1,4}):)?([0-5]?\d):([0-5]\d)(?:[.,](\d{1,3}))?")
_SRT_KEPT_TAG = re.compile(r"(</?[biu]>)")
_TAG = re.compile(r"<[^>]*>")
_VOICE = re.compile(r"<v(?:\.[^\s.>]+)*[ \t]+([^>]*)>")
_WORD_EDGE = re.compile(r"^\W+|\W+$")


@dataclass(frozen=True)
class CueError:
    """One problem of the submitted cues: ``index`` is 0-based (None: the whole list),
    ``field`` one of ``start``, ``end``, ``text`` or ""; ``message`` is lazy and names the
    cue as the editor numbers it (from 1)."""

    index: int | None
    field: str
    message: str

    def __str__(self):
        return str(self.message)


class CuesInvalid(ValueError):
    def __init__(self, errors: list[CueError]):
        self.errors = errors
        super().__init__(errors)

    def __str__(self):
        return "\n".join(str(error) for error in self.errors)


def parse_time(value: str) -> float | None:
    """Seconds from ``HH:MM:SS.mmm``, ``MM:SS.mmm`` (``,`` for ``.`` too, fewer fraction
    digits allowed); None when the text is not such a time."""
    match = _TIME.fullmatch(value.strip()) if len(value) <= 20 else None
    if match is None:
        return None
    hours, minutes, seconds, fraction = match.groups()
    millis = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) + millis / 1000


def clean_text(text: str) -> str:
    """Cue text as stored: line ends unified, blank lines (they would end the cue) and
    spaces at line ends removed."""
    lines = (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def cues_from_submission(raw: str, *, duration: float | None) -> list[Cue]:
    """The cues the editor's script submitted (JSON ``[{"start": "00:00:01.000", "end": …,
    "text": …}, …]``), checked. Raises CuesInvalid with every problem found; never returns a
    list with problems. ``duration``: the latest end allowed (seconds), None for no limit."""
    try:
        items = json.loads(raw)
    except ValueError:
        items = None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise CuesInvalid([CueError(None, "", NOT_CUES)])
    if len(items) > MAX_CUES:
        raise CuesInvalid([CueError(None, "", TOO_MANY_CUES % {"limit": MAX_CUES})])
    if not items:
        raise CuesInvalid([CueError(None, "", NO_CUES)])
    cues, errors = [], []
    for index, item in enumerate(items):
        values = {key: item.get(key) for key in ("start", "end", "text")}
        if not all(isinstance(value, str) for value in values.values()):
            raise CuesInvalid([CueError(None, "", NOT_CUES)])
        cues.append(_cue_from_item(index, values, errors))
    errors += validate_cues(cues, duration)
    if errors:
        raise CuesInvalid(sorted(errors, key=lambda error: error.index))
    return cues


def _cue_from_item(index: int, values: dict, errors: list) -> Cue | None:
    number = index + 1
    times = {}
    for key in ("start", "end"):
        times[key] = parse_time(values[key])
        if times[key] is None:
            excerpt = values[key][:30]
            errors.append(CueError(index, key, BAD_TIME % {"number": number, "value": excerpt}))
    text = clean_text(values["text"])
    if None in times.values():
        return None
    return Cue(times["start"], times["end"], text)


def validate_cues(cues: list[Cue | None], duration: float | None) -> list[CueError]:
    """Every problem of the cues, in order (None: a cue whose times could not be read, left
    out but counted, so the messages number cues as the editor does)."""
    errors = []
    previous = None
    for index, cue in enumerate(cues):
        if cue is None:
            continue
        params = {"number": index + 1, "start": _clock(cue.start), "end": _clock(cue.end)}
        if cue.end <= cue.start:
            errors.append(CueError(index, "end", END_NOT_AFTER_START % params))
        if previous is not None and cue.start < previous.start:
            params["previous"] = _clock(previous.start)
            errors.append(CueError(index, "start", OUT_OF_ORDER % params))
        if duration is not None and cue.end > duration + 0.0005:
            params["duration"] = _clock(duration)
            errors.append(CueError(index, "end", AFTER_MEDIA % params))
        if not _TAG.sub("", cue.text).strip():
            errors.append(CueError(index, "text", NO_TEXT % params))
        elif "-->" in cue.text:
            errors.append(CueError(index, "text", ARROW_IN_TEXT % params))
        elif len(cue.text) > MAX_CUE_TEXT:
            params["limit"] = MAX_CUE_TEXT
            errors.append(CueError(index, "text", TEXT_TOO_LONG % params))
        previous = cue
    return errors


def _clock(seconds: float) -> str:
    return format_timestamp(max(seconds, 0))


def build_webvtt(cues: list[Cue]) -> str:
    return TextTrack(TextTrackFormat.WEBVTT, list(cues)).to_webvtt()


def build_srt(cues: list[Cue]) -> str:
    """SRT of the cues: numbered, ``HH:MM:SS,mmm`` times; the cue text as plain text with
    ``<b>``, ``<i>``, ``<u>`` kept, a voice span's name written as "Name: " (SRT has no
    voices), entities decoded."""
    blocks = []
    for number, cue in enumerate(cues, start=1):
        timing = f"{_srt_time(cue.start)} --> {_srt_time(cue.end)}"
        blocks.append(f"{number}\n{timing}\n{clean_text(_srt_text(cue.text))}\n")
    return "\n".join(blocks)


def _srt_text(payload: str) -> str:
    text = _VOICE.sub(lambda match: f"{match.group(1).strip()}: ", payload)
    parts = _SRT_KEPT_TAG.split(text)
    return "".join(
        part if _SRT_KEPT_TAG.fullmatch(part) else html.unescape(_TAG.sub("", part))
        for part in parts
    )


def _srt_time(seconds: float) -> str:
    return format_timestamp(seconds).replace(".", ",")


def unsure_words(transcript_json: str, cues: list[Cue], threshold: float = UNSURE_PROBABILITY):
    """For each cue, the words the model was unsure of that lie in its time (the word's
    middle between its start and end), from the draft's Podcasting 2.0 JSON transcript
    (``words`` with ``probability``, see ``cues.to_podcast_json``). Empty lists when there
    is no transcript or no word probabilities; never raises on a malformed transcript."""
    result = [[] for _cue in cues]
    try:
        segments = json.loads(transcript_json).get("segments", []) if transcript_json else []
        words = [
            (
                (float(word["startTime"]) + float(word["endTime"])) / 2,
                _WORD_EDGE.sub("", str(word["body"])),
            )
            for segment in segments
            for word in segment.get("words", [])
            if float(word.get("probability", 1.0)) < threshold
        ]
    except (ValueError, TypeError, KeyError, AttributeError):
        return result
    for middle, body in words:
        if not body:
            continue
        for index, cue in enumerate(cues):
            if cue.start <= middle <= cue.end:
                if body not in result[index]:
                    result[index].append(body)
                break
    return result


def editor_cues(cues: list[Cue], unsure: list[list[str]] | None = None) -> list[dict]:
    """The cues as the editor's script reads them (times as ``HH:MM:SS.mmm`` text)."""
    unsure = unsure or [[] for _cue in cues]
    return [
        {
            "start": format_timestamp(cue.start),
            "end": format_timestamp(cue.end),
            "text": cue.text,
            "unsure": words,
        }
        for cue, words in zip(cues, unsure, strict=True)
    ]
