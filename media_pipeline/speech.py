"""The speech batch: draft captions (WebVTT) and a Podcasting 2.0 JSON transcript per media
file, recognised on our own workers (``asr``), on the queue ``asr``.

It is one more batch of the pipeline (``specs.SPEECH_SPECS``, batch ``speech``): claimed,
heart-beaten, stored under its attempt's folder, failed and taken back exactly like the
transcode batches (``services``). What differs:

- its input is the **normalised audio** (the loudness-normalised AAC rendition) once that is
  READY; while the audio batch is still waiting or running the speech batch waits too
  (``AudioNotReady``, re-sent later without counting as a retry); if there is no such
  rendition (failed, or not a default) the source is decoded instead;
- recognition runs inside the worker process (the model stays loaded between batches);
  ffmpeg only decodes to 16 kHz mono PCM, bounded like every other child;
- its outputs are **drafts**: stored under ``media/drafts/`` (never public, not served),
  labelled "automatisch erstellt – ungeprüft", and never used by a page, feed, search or
  the captions-required rule until an editor reviews them (``review``).
"""

from __future__ import annotations

import wave
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import asr, cues, storage
from .binaries import ffmpeg_path
from .exceptions import TranscodeError, TransientMediaError
from .faults import check_process_output
from .models import MediaRendition, RenditionStatus
from .progress import ProgressRecorder
from .results import Output
from .runner import run_bounded
from .specs import PODCAST_AAC_SPEC, SPEECH_JSON_SPEC, SPEECH_VTT_SPEC

SAMPLE_RATE = 16_000
NO_SPEECH_AUDIO = _("The file has no sound track to recognise speech in.")
DECODE_FAILED = _("The sound of the file could not be read for speech recognition.")
NOTHING_RECOGNISED = _("No speech was recognised in the recording.")


class AudioNotReady(TransientMediaError):
    """The normalised audio of the file is still being made: the speech batch waits."""


def normalised_audio(media_file) -> MediaRendition | None:
    """The READY normalised audio, None to decode the source instead; AudioNotReady while
    the audio batch is on its way."""
    row = MediaRendition.objects.filter(media_file=media_file, spec=PODCAST_AAC_SPEC).first()
    if row is None or row.status == RenditionStatus.FAILED:
        return None
    if row.status == RenditionStatus.READY and row.file:
        return row
    raise AudioNotReady(f"normalised audio of media file {media_file.pk} is {row.status}")


def decode(source: Path, target: Path, timeout: float) -> Path:
    """16 kHz mono 16-bit PCM WAV of the first sound track, by the bounded ffmpeg."""
    argv = [
        ffmpeg_path(), "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(source),
        "-map", "0:a:0", "-vn", "-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le",
        "-f", "wav", "-y", str(target),
    ]  # fmt: skip
    result = run_bounded(argv, timeout=timeout)
    if result.returncode != 0:
        check_process_output(result.stderr)
        if "matches no streams" in result.stderr:
            raise TranscodeError(NO_SPEECH_AUDIO, result.stderr[-2000:])
        raise TranscodeError(DECODE_FAILED, result.stderr[-2000:])
    return target


def read_pcm(path: Path):
    import numpy

    with wave.open(str(path), "rb") as handle:
        frames = handle.readframes(handle.getnframes())
    return numpy.frombuffer(frames, dtype=numpy.int16).astype(numpy.float32) / 32768.0


def page_hints(media_file) -> tuple[str | None, list[str]]:
    """(language of the pages that use the file if they agree, else None; the centre's own
    words for the model: show title, people, glossary terms, topics, page titles)."""
    from .usage import find_pages_using

    languages, terms = set(), []
    for page in find_pages_using(media_file.pk).specific():
        languages.add(page.locale.language_code.split("-")[0])
        parent = page.get_parent()
        if parent is not None and parent.depth > 2:
            terms.append(parent.title)
            terms += [link.person.name for link in _all(parent.specific, "hosts")]
        terms.append(page.title)
        terms += [link.person.name for link in _all(page, "persons")]
        terms += [person.name for person in _all(page, "presenters")]
        terms += [term.term for term in _all(page, "glossary_terms")]
        terms += [topic.name for topic in _all(page, "topics")]
    language = languages.pop() if len(languages) == 1 else None
    return language, terms


def _all(page, name):
    manager = getattr(page, name, None)
    return manager.all() if manager is not None else []


def make_speech_outputs(attempt, work_dir: Path, heartbeat, soft_limit: float) -> dict:
    """Recognise the attempt's media file and write the draft captions and transcript."""
    media_file = attempt.media_file
    audio = normalised_audio(media_file)
    source = work_dir / "speech-source"
    if audio is not None:
        storage.download_rendition(audio, source)
    else:
        storage.download_source(media_file, source)
    pcm = decode(source, work_dir / "speech.wav", timeout=soft_limit)
    samples = read_pcm(pcm)
    duration = len(samples) / SAMPLE_RATE
    recorder = heartbeat.track(ProgressRecorder([attempt.row_ids], duration))

    def on_progress(seconds: float) -> None:
        with recorder.lock:
            recorder.fractions[0] = min(max(seconds / max(duration, 0.001), 0.0), 1.0)

    language, terms = page_hints(media_file)
    try:
        recognition = asr.recognise(
            samples,
            language=language,
            vocabulary=terms,
            on_progress=on_progress,
            should_stop=heartbeat.should_stop,
        )
    except asr.AsrModelError as exc:
        raise TranscodeError(exc.message, exc.detail) from None
    if not recognition.words:
        raise TranscodeError(NOTHING_RECOGNISED)
    return write_outputs(recognition, work_dir, duration)


def write_outputs(recognition, work_dir: Path, duration: float) -> dict:
    """{spec: Output} for the VTT draft and the JSON transcript draft."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        note = str(asr.DRAFT_LABEL)
    vtt = work_dir / "speech.vtt"
    draft_cues = cues.build_cues(recognition.words, duration)
    vtt.write_text(cues.to_webvtt(draft_cues, note=note), "utf-8")
    transcript = work_dir / "speech.json"
    transcript.write_text(cues.to_podcast_json(recognition), "utf-8")
    return {
        SPEECH_VTT_SPEC: Output(
            vtt, duration=duration, text=" ".join(cue.text for cue in draft_cues)
        ),
        SPEECH_JSON_SPEC: Output(transcript, duration=duration),
    }


def speech_time_limits(duration: float | None) -> tuple[int, int]:
    per_second = settings.ASR_TIME_LIMIT_PER_SECOND
    soft = int(max(settings.MEDIA_TIME_LIMIT_MINIMUM, (duration or 0) * per_second))
    soft = min(soft, settings.CELERY_TASK_MAX_TIME_LIMIT - 60)
    return soft, soft + 60
