"""Recognised words → caption cues following common subtitle rules, and the two outputs.

Rules (as in the usual broadcast and streaming guidelines):

- at most ``MAX_LINES`` lines of at most ``MAX_LINE_LENGTH`` characters per cue;
- each cue on screen ``MIN_DURATION`` to ``MAX_DURATION`` seconds;
- a cue ends at the end of a sentence, and at a clause end (comma, colon, semicolon,
  dash) once it is half full; a pause in the speech of ``PAUSE`` seconds or more always
  ends it (no cue spans a pause);
- lines are broken at the most balanced space, preferring one after punctuation.

Pure functions: no Django, no model; ``asr.Word`` or anything with start/end/text fits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

MAX_LINES = 2
MAX_LINE_LENGTH = 42
MIN_DURATION = 1.0
MAX_DURATION = 7.0
PAUSE = 0.8
SENTENCE_END = (".", "?", "!", "…")
CLAUSE_END = (",", ";", ":", "–", "—")


@dataclass
class Cue:
    start: float
    end: float
    words: list

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def lines(self) -> list[str]:
        return wrap(self.text)


def wrap(text: str, width: int = MAX_LINE_LENGTH) -> list[str]:
    """One line if it fits, else two lines split at the space that balances them best
    (a space after punctuation wins a tie-break of up to 8 characters)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return [text]
    best, best_score = None, None
    for index, char in enumerate(text):
        if char != " ":
            continue
        first, second = text[:index], text[index + 1 :]
        score = max(len(first), len(second))
        if len(first) > width or len(second) > width:
            score += 1000
        if first.endswith(SENTENCE_END + CLAUSE_END):
            score -= 8
        if best_score is None or score < best_score:
            best, best_score = (first, second), score
    return list(best) if best else [text]


def fits(text: str) -> bool:
    lines = wrap(text)
    return len(lines) <= MAX_LINES and all(len(line) <= MAX_LINE_LENGTH for line in lines)


def build_cues(words, duration: float | None = None) -> list[Cue]:
    """Group timed words into cues that keep the rules above."""
    cues: list[Cue] = []
    current: list = []

    def close():
        if current:
            cues.append(Cue(current[0].start, current[-1].end, list(current)))
            current.clear()

    for word in words:
        if current:
            previous = current[-1]
            text = " ".join(w.text for w in [*current, word])
            length = current[-1].end - current[0].start
            pause = word.start - previous.end >= PAUSE
            too_long = not fits(text) or word.end - current[0].start > MAX_DURATION
            sentence = previous.text.endswith(SENTENCE_END) and length >= MIN_DURATION
            clause = (
                previous.text.endswith(CLAUSE_END)
                and len(" ".join(w.text for w in current)) >= MAX_LINE_LENGTH
                and length >= MIN_DURATION
            )
            if pause or too_long or sentence or clause:
                close()
        current.append(word)
    close()
    _settle_durations(cues, duration)
    return cues


def _settle_durations(cues: list[Cue], duration: float | None) -> None:
    """Every cue at least MIN_DURATION on screen (into the silence after it, never over the
    next cue or the end of the media), at most MAX_DURATION; a cue still too short is merged
    into its neighbour when the text fits and no pause lies between them."""
    index = 0
    while index < len(cues):
        cue = cues[index]
        limit = cues[index + 1].start if index + 1 < len(cues) else duration
        if cue.end - cue.start < MIN_DURATION:
            wanted = cue.start + MIN_DURATION
            cue.end = min(wanted, limit) if limit is not None else wanted
        if cue.end - cue.start < MIN_DURATION and index + 1 < len(cues):
            following = cues[index + 1]
            merged = f"{cue.text} {following.text}"
            if fits(merged) and following.end - cue.start <= MAX_DURATION:
                cues[index] = Cue(cue.start, following.end, cue.words + following.words)
                del cues[index + 1]
                continue
        if cue.end - cue.start < MIN_DURATION and index > 0:
            # Start earlier, into the silence before it.
            earliest = cues[index - 1].end
            cue.start = max(earliest, cue.end - MIN_DURATION)
        cue.end = min(cue.end, cue.start + MAX_DURATION)
        if duration is not None:
            cue.end = min(cue.end, duration)
        index += 1


def timestamp(seconds: float) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_webvtt(cues: list[Cue], note: str = "") -> str:
    parts = ["WEBVTT", ""]
    if note:
        parts += [f"NOTE {' '.join(note.split())}", ""]
    for cue in cues:
        parts.append(f"{timestamp(cue.start)} --> {timestamp(cue.end)}")
        parts += [_escape(line) for line in cue.lines]
        parts.append("")
    return "\n".join(parts)


def to_podcast_json(recognition) -> str:
    """Podcasting 2.0 JSON transcript (``application/json``): one segment per recognised
    segment with ``startTime``/``endTime``/``body``, and its ``words`` (with the model's
    probability, which the caption editor uses to flag unsure words)."""
    segments = []
    for segment in recognition.segments:
        words = [
            {
                "startTime": round(word.start, 3),
                "endTime": round(word.end, 3),
                "body": word.text,
                "probability": round(word.probability, 3),
            }
            for word in segment.words
        ]
        segments.append(
            {
                "startTime": round(segment.start, 3),
                "endTime": round(segment.end, 3),
                "body": " ".join(segment.text.split()),
                **({"words": words} if words else {}),
            }
        )
    return json.dumps(
        {"version": "1.0.0", "language": recognition.language, "segments": segments},
        ensure_ascii=False,
        indent=1,
    )
