"""State changes of renditions: request, ensure, claim, run, store, release, fail, requeue.
Tasks, views and commands call these; nothing else changes a rendition's status.

The unit of work is the **batch**: what one worker run makes from one decode of a source
(``specs.batch_name``: the audio set; the video ladder with HLS, poster and sprite; an
editor's poster frame). A rendition's life: PENDING → PROCESSING → READY | FAILED, always
together with the other rows of its batch.

Concurrency, in one rule each:

- **One lock order.** Every change of a batch first locks its media file's row
  (``select_for_update``) and only then touches renditions. Claimers of the same media file
  queue on that single row, so two workers can never deadlock on a batch's rows.
- **Attempt token.** Claiming gives the batch's rows a fresh token; every later write
  (heartbeat, progress, READY, release, FAILED) is conditional on it, and the attempt's files
  go to a folder named after it (``storage``). A late, failing or duplicate worker whose
  token is gone changes no row and removes only its own files.
- **Errors are classified in one place** (``faults``): transient ones release the batch for
  a retry, final ones record FAILED with a message for editors.
- **The watchdog** (``requeue_stale_renditions``) takes back batches whose heartbeat
  stopped and re-enqueues PENDING batches whose message was lost, always whole batches.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone, translation

from . import asr, faults, resume, speech, storage, workdisk
from .audio import transcode_audio
from .exceptions import AttemptLost, MediaRejectedError, TranscodeError, TransientMediaError
from .ffmpeg_commands import ladder_heights
from .models import MediaFile, MediaKind, MediaRendition, RenditionStatus
from .probe import probe_media
from .progress import Heartbeat
from .runner import ProcessCancelled
from .signals import rendition_ready
from .specs import SPEECH_SPECS, RenditionSpec, default_specs, recipe
from .video import transcode_video

logger = logging.getLogger(__name__)
SPEECH_BATCH = "speech"

__all__ = [
    "TransientMediaError",
    "ensure_renditions",
    "mark_rendition_failed",
    "request_rendition",
    "requeue_stale_renditions",
    "retry_rendition",
    "run_batch",
    "transcode_rendition",
]


# --- requesting work ---------------------------------------------------------------------
def request_rendition(media_file: MediaFile, spec: str) -> MediaRendition:
    """Return the rendition row for ``spec``, creating it (and enqueueing its batch on commit)
    when missing. A FAILED or stale row is reset and requeued. Raises
    InvalidRenditionSpecError for a bad spec before anything is stored."""
    parsed = RenditionSpec(spec)
    # The unique constraint on (media_file, spec) makes concurrent requests converge on one row.
    rendition, created = MediaRendition.objects.get_or_create(
        media_file=media_file,
        spec=spec,
        defaults={
            "source_hash": media_file.file_hash,
            "batch": parsed.batch_name,
            "recipe": recipe(spec),
        },
    )
    if created or needs_work(rendition, media_file):
        if not created:
            _reset(rendition, media_file)
        _enqueue_batch_on_commit(media_file, rendition.batch)
    return rendition


def needs_work(rendition: MediaRendition, media_file: MediaFile) -> bool:
    """FAILED, or made from another source or another recipe (stale)."""
    return (
        rendition.status == RenditionStatus.FAILED
        or rendition.source_hash != media_file.file_hash
        or rendition.recipe != recipe(rendition.spec)
    ) and rendition.status != RenditionStatus.PROCESSING


def ensure_renditions(media_file: MediaFile) -> list[MediaRendition]:
    """Make sure every default rendition of the file's kind exists or is on its way; requests
    only what is missing, failed or stale (each batch enqueued once). Audio specs are skipped
    for media without sound, MP4 rungs above the video's size are never created
    (``ffmpeg_commands.ladder_heights``)."""
    specs = default_specs(media_file.kind or MediaKind.AUDIO)
    if asr.enabled():
        specs = (*specs, *SPEECH_SPECS)
    has_audio = _has_audio(media_file)
    rung_heights = {
        RenditionSpec(spec).plan.height: spec for spec in specs if RenditionSpec(spec).is_rung
    }
    size = (media_file.width, media_file.height) if media_file.width else None
    rungs = {rung_heights[height] for height in ladder_heights(size, rung_heights)}
    existing = {r.spec: r for r in media_file.renditions.all()}
    requested, batches = [], set()
    for spec in specs:
        parsed = RenditionSpec(spec)
        if not has_audio and parsed.batch_name in ("audio", SPEECH_BATCH):
            continue
        if parsed.is_rung and spec not in rungs:
            if spec in existing:
                # The source was replaced by a smaller one: this rung would be an upscale.
                existing[spec].delete()
            continue
        rendition = existing.get(spec)
        if rendition is None:
            rendition = MediaRendition.objects.get_or_create(
                media_file=media_file,
                spec=spec,
                defaults={
                    "source_hash": media_file.file_hash,
                    "batch": parsed.batch_name,
                    "recipe": recipe(spec),
                },
            )[0]
        elif needs_work(rendition, media_file):
            _reset(rendition, media_file)
        else:
            continue
        requested.append(rendition)
        batches.add(rendition.batch)
    for batch in sorted(batches):
        _enqueue_batch_on_commit(media_file, batch)
    return requested


def retry_rendition(rendition: MediaRendition, *, force: bool = False) -> bool:
    """Requeue a FAILED rendition's batch (any finished one with ``force``); False if it was
    not in a state that allows it (e.g. a worker is on it right now)."""
    allowed = [RenditionStatus.FAILED]
    if force:
        allowed.append(RenditionStatus.READY)
    media_file = rendition.media_file
    with transaction.atomic():
        MediaFile.objects.select_for_update().filter(pk=media_file.pk).first()
        if MediaRendition.objects.filter(pk=rendition.pk, status__in=allowed).count() == 0:
            return False
        batch_rows = MediaRendition.objects.filter(
            media_file=media_file, batch=rendition.batch
        ).exclude(status=RenditionStatus.PROCESSING)
        # A failed batch failed as a whole: it is retried as a whole.
        retried = batch_rows.filter(Q(pk=rendition.pk) | Q(status=RenditionStatus.FAILED))
        retried.update(
            status=RenditionStatus.PENDING,
            progress=0,
            eta_seconds=None,
            error="",
            error_detail="",
            warning="",
            worker="",
            source_hash=media_file.file_hash,
        )
        _enqueue_batch_on_commit(media_file, rendition.batch)
    rendition.refresh_from_db()
    return True


def _has_audio(media_file: MediaFile) -> bool:
    streams = (media_file.probe_data or {}).get("streams")
    if streams is None:
        return True
    return any(s.get("codec_type") == "audio" for s in streams)


def _reset(rendition: MediaRendition, media_file: MediaFile) -> None:
    rendition.status = RenditionStatus.PENDING
    rendition.progress = 0
    rendition.eta_seconds = None
    rendition.error = rendition.error_detail = rendition.worker = rendition.warning = ""
    rendition.source_hash = media_file.file_hash
    rendition.recipe = recipe(rendition.spec)
    rendition.batch = RenditionSpec(rendition.spec).batch_name
    rendition.save()


def time_limits(duration: float | None, kind: str = MediaKind.AUDIO) -> tuple[int, int]:
    """(soft, hard) task time limits in seconds, scaled by the media duration (video batches
    encode a whole ladder: ``MEDIA_VIDEO_TIME_LIMIT_PER_SECOND``)."""
    per_second = settings.MEDIA_TIME_LIMIT_PER_SECOND
    if kind == MediaKind.VIDEO:
        per_second = getattr(settings, "MEDIA_VIDEO_TIME_LIMIT_PER_SECOND", 6.0)
    soft = int(max(settings.MEDIA_TIME_LIMIT_MINIMUM, (duration or 0) * per_second))
    soft = min(soft, settings.CELERY_TASK_MAX_TIME_LIMIT - 60)
    return soft, soft + 60


def _enqueue_batch_on_commit(media_file: MediaFile, batch: str) -> None:
    """Hand the batch to the broker once the transaction commits; ``enqueued_at`` lets the
    watchdog find it again if the message is lost."""
    MediaRendition.objects.filter(
        media_file=media_file, batch=batch, status=RenditionStatus.PENDING
    ).update(enqueued_at=timezone.now())
    media_file_id, duration, kind = media_file.pk, media_file.duration, media_file.kind
    # robust: a broker that is down must not undo an upload; the watchdog sends it later.
    transaction.on_commit(lambda: enqueue_batch(media_file_id, batch, duration, kind), robust=True)


def batch_time_limits(batch: str, duration=None, kind=MediaKind.AUDIO) -> tuple[int, int]:
    """(soft, hard) time limits of the task that makes ``batch``."""
    if batch == SPEECH_BATCH:
        return speech.speech_time_limits(duration)
    return time_limits(duration, kind)


def enqueue_batch(media_file_id: int, batch: str, duration=None, kind=MediaKind.AUDIO) -> None:
    from .tasks import speech_batch_task, transcode_batch_task

    # The speech batch has its own task, routed to the queue "asr": transcodes never wait
    # behind recognition.
    task = speech_batch_task if batch == SPEECH_BATCH else transcode_batch_task
    soft, hard = batch_time_limits(batch, duration, kind)
    task.apply_async((media_file_id, batch), soft_time_limit=soft, time_limit=hard)


# --- doing the work ----------------------------------------------------------------------
def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Attempt:
    """A claimed batch: the token that owns it, and the rows it makes (id → spec)."""

    token: str
    media_file: MediaFile
    batch: str
    specs: dict[int, RenditionSpec]
    # Rows that were READY and are made again in this attempt (rungs for a new HLS): they
    # keep serving their old file until the new one is stored.
    refreshed: frozenset[int] = frozenset()

    @property
    def row_ids(self) -> list[int]:
        return list(self.specs)


def _lock_media_file(media_file_id: int) -> MediaFile | None:
    """The one lock every batch change takes first (see the module docstring)."""
    return MediaFile.objects.select_for_update().filter(pk=media_file_id).first()


def claim_batch(media_file_id: int, batch: str) -> Attempt | None:
    """Claim the batch's PENDING rows for a new attempt; None if there is nothing to do (done,
    failed, or another attempt holds it — that one re-enqueues rows added meanwhile).

    When the HLS rendition is claimed, every READY rung of the batch joins the attempt too:
    HLS is only packaged from rungs made in the same attempt. The locks are released before
    transcoding starts, so a long transcode never holds a database transaction open."""
    token = secrets.token_hex(8)
    with transaction.atomic():
        media_file = _lock_media_file(media_file_id)
        if media_file is None:
            return None
        now = timezone.now()  # after the lock: a long wait must not look like a stale beat
        rows = list(
            MediaRendition.objects.filter(media_file=media_file, batch=batch).order_by("pk")
        )
        pending = [r for r in rows if r.status == RenditionStatus.PENDING]
        if not pending or any(r.status == RenditionStatus.PROCESSING for r in rows):
            return None
        claimed = pending
        refreshed = []
        if any(RenditionSpec(r.spec).packages_rungs for r in pending):
            refreshed = [
                r
                for r in rows
                if r.status == RenditionStatus.READY and RenditionSpec(r.spec).is_rung
            ]
        MediaRendition.objects.filter(pk__in=[r.pk for r in claimed]).update(
            status=RenditionStatus.PROCESSING,
            attempt=token,
            attempts=F("attempts") + 1,
            worker=worker_identity(),
            progress=0,
            eta_seconds=None,
            error="",
            error_detail="",
            warning="",
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
        )
        if refreshed:
            MediaRendition.objects.filter(pk__in=[r.pk for r in refreshed]).update(attempt=token)
    specs = {r.pk: RenditionSpec(r.spec) for r in sorted(claimed + refreshed, key=lambda r: r.pk)}
    logger.info("attempt %s claimed batch %s of media file %s", token, batch, media_file_id)
    return Attempt(token, media_file, batch, specs, frozenset(r.pk for r in refreshed))


def transcode_rendition(rendition_id: int) -> list[int]:
    """Run the batch of this rendition (see ``run_batch``); [] if the row is gone."""
    row = MediaRendition.objects.filter(pk=rendition_id).values("media_file_id", "spec").first()
    if row is None:
        return []
    return run_batch(row["media_file_id"], RenditionSpec(row["spec"]).batch_name)


def run_batch(media_file_id: int, batch: str) -> list[int]:
    """Claim the batch, make its outputs, store them and mark them READY; return the ids made
    READY ([] if there was nothing to claim).

    Raises TranscodeError when the input cannot be made into what was asked (recorded as
    FAILED with its message first; retrying does not help) and TransientMediaError when the
    database, storage or work disk failed (the batch is back in PENDING for the retry)."""
    try:
        attempt = claim_batch(media_file_id, batch)
    except DatabaseError as exc:  # deadlock, failover, terminated connection: retry later
        faults.reset_database_connections()
        raise faults.as_transient(exc) from exc
    if attempt is None:
        return []
    work_dir = _make_work_dir(attempt)
    resume_dir = None
    try:
        media_file = attempt.media_file
        needed = workdisk.estimate_bytes(
            attempt.specs.values(), media_file.duration or 0, media_file.file_size or 0
        )
        resume_dir = _take_resume_folder(attempt)
        with (
            translation.override(settings.LANGUAGE_CODE),
            # The heartbeat runs while the batch waits for room on the work disk, too.
            Heartbeat(attempt.token, attempt.row_ids) as heartbeat,
            workdisk.reserve(
                Path(settings.MEDIA_WORK_DIR),
                attempt.token,
                needed,
                work_dir,
                resume_dir,
                wait=_work_disk_wait(attempt),
                should_stop=heartbeat.should_stop,
            ),
        ):
            outputs = _make_outputs(attempt, work_dir, heartbeat, resume_dir)
            if heartbeat.should_stop():
                raise AttemptLost(attempt.token)
            ready = store_batch(attempt, outputs)
    except (AttemptLost, ProcessCancelled, asr.RecognitionStopped):
        logger.warning("attempt %s on media file %s lost its batch", attempt.token, media_file_id)
        _forget_attempt_files(attempt)
        if resume_dir is not None:
            resume.release_folder(resume_dir)
        return []
    except BaseException as exc:
        if resume_dir is not None:
            if faults.is_transient(exc):
                resume.release_folder(resume_dir)  # the retry goes on from here
            else:
                shutil.rmtree(resume_dir, ignore_errors=True)
        _end_attempt(attempt, exc)
        if faults.is_transient(exc):
            if not isinstance(exc, Exception):
                raise  # the worker is shutting down: the batch is released, let it go
            raise faults.as_transient(exc) from exc
        if isinstance(exc, TranscodeError):
            raise
        # Recorded as FAILED above (with its traceback in the log); the task must not retry.
        message, detail = faults.final_message(exc)
        raise TranscodeError(message, detail) from exc
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    if resume_dir is not None:
        shutil.rmtree(resume_dir, ignore_errors=True)
    _enqueue_rows_added_meanwhile(attempt)
    return ready


def _work_disk_wait(attempt: Attempt) -> float:
    """How long the attempt may wait for room on the work disk: ``MEDIA_WORK_DISK_WAIT``, but
    at most a quarter of its task's time limit, which runs while it waits."""
    media_file = attempt.media_file
    soft_limit, _hard = batch_time_limits(
        attempt.batch, media_file.duration, media_file.kind or MediaKind.AUDIO
    )
    return min(settings.MEDIA_WORK_DISK_WAIT, soft_limit / 4)


def _take_resume_folder(attempt: Attempt) -> Path | None:
    """The batch's resume folder (see ``resume``) for a batch that encodes a ladder; None for
    other batches, or when a live attempt elsewhere on this machine still holds it."""
    rungs = sorted((pk, spec.spec) for pk, spec in attempt.specs.items() if spec.is_rung)
    if not rungs:
        return None
    recipe_of = {
        "source": attempt.media_file.file_hash,
        "rungs": [[pk, spec, recipe(spec)] for pk, spec in rungs],
        "preset": getattr(settings, "MEDIA_VIDEO_PRESET", "veryfast"),
    }
    host = socket.gethostname()
    name = resume.folder_name(host, attempt.media_file.pk, attempt.batch)
    try:
        return resume.take_folder(Path(settings.MEDIA_WORK_DIR), name, recipe_of)
    except OSError as exc:
        raise faults.as_transient(exc) from exc


def _make_outputs(attempt: Attempt, work_dir: Path, heartbeat, resume_dir=None) -> dict:
    media_file = attempt.media_file
    if attempt.batch == SPEECH_BATCH:
        soft_limit, _hard = speech.speech_time_limits(media_file.duration)
        by_spec = speech.make_speech_outputs(attempt, work_dir, heartbeat, soft_limit)
        return {pk: by_spec[spec.spec] for pk, spec in attempt.specs.items()}
    source_path = work_dir / "source"
    storage.download_source(media_file, source_path)
    try:
        info = probe_media(source_path)
    except MediaRejectedError as exc:
        raise TranscodeError(exc.message) from None
    soft_limit, _hard = time_limits(info.duration, info.kind)
    if attempt.batch == "audio":
        return transcode_audio(
            attempt.specs, info, source_path, work_dir, timeout=soft_limit, heartbeat=heartbeat
        )
    return transcode_video(
        attempt.specs,
        info,
        source_path,
        work_dir,
        stem=media_file.source_stem,
        timeout=soft_limit,
        heartbeat=heartbeat,
        resume_dir=resume_dir,
        on_progress_kept=lambda: _with_database_retries(lambda: _credit_dead_attempt(attempt)),
    )


def _credit_dead_attempt(attempt: Attempt) -> None:
    """The attempt goes on from work a dead one left, further than any before it: that death
    does not count towards ``MEDIA_MAX_ATTEMPTS``. The limit stops inputs that kill their
    worker again and again at the same place; those leave nothing new to go on from, and a
    batch that moves forward at every restart is not one of them."""
    with transaction.atomic():
        _lock_media_file(attempt.media_file.pk)
        _attempt_rows(attempt).filter(status=RenditionStatus.PROCESSING).update(
            attempts=Greatest(F("attempts") - 1, 1)
        )


def _end_attempt(attempt: Attempt, exc: BaseException) -> None:
    """After an error: release the batch for a retry (transient) or record FAILED (final).
    The database may be the very thing that failed: reconnect and try a few times; if it
    stays away, the watchdog takes the batch back once the heartbeat is stale."""
    transient = faults.is_transient(exc)
    if transient:
        logger.warning("attempt %s: transient error, released: %r", attempt.token, exc)
    else:
        logger.error("attempt %s failed: %r", attempt.token, exc, exc_info=exc)
    message, detail = faults.final_message(exc)
    _forget_attempt_files(attempt)
    action = release_batch if transient else (lambda a: fail_batch(a, message, detail))
    if not _with_database_retries(lambda: action(attempt)):
        logger.error("attempt %s: could not record its end; the watchdog will", attempt.token)


DATABASE_TRIES = 5


def _with_database_retries(action: Callable[[], object], tries: int = DATABASE_TRIES) -> bool:
    for number in range(tries):
        faults.reset_database_connections()
        try:
            action()
            return True
        except DatabaseError as exc:
            logger.warning("database unavailable (%s), try %s of %s", exc, number + 1, tries)
            time.sleep(min(2**number, 10))
    return False


def _forget_attempt_files(attempt: Attempt) -> None:
    try:
        storage.delete_attempt_files(attempt.media_file.pk, attempt.token)
    except storage.storage_errors() as exc:
        logger.warning("could not remove files of attempt %s: %r", attempt.token, exc)


def _attempt_rows(attempt: Attempt):
    return MediaRendition.objects.filter(pk__in=attempt.row_ids, attempt=attempt.token)


def store_batch(attempt: Attempt, outputs: dict) -> list[int]:
    """Save the verified outputs under the attempt's folder, then mark every row READY in one
    transaction, if the attempt still holds them; remove the rows' previous files once that
    has committed. Raises AttemptLost (nothing changed) if the batch was taken away."""
    media_file = attempt.media_file
    the_storage = MediaRendition._meta.get_field("file").storage
    folder = storage.attempt_folder(media_file.pk, attempt.token, attempt.batch)
    names = {
        pk: storage.store_output(
            the_storage, folder, media_file.source_stem, attempt.specs[pk], outputs[pk]
        )
        for pk in attempt.row_ids
    }
    # The database may have failed over while ffmpeg ran: reconnect, and retry the commit a
    # few times (it is conditional on the token, so repeating it is safe).
    for number in range(DATABASE_TRIES):
        faults.reset_database_connections()
        try:
            ready = _mark_ready(attempt, outputs, names, the_storage)
        except DatabaseError as exc:
            if number == DATABASE_TRIES - 1:
                raise
            logger.warning("storing attempt %s: database unavailable (%s)", attempt.token, exc)
            time.sleep(min(2**number, 10))
            continue
        if ready is None:  # made from a replaced source: our files go, the rows wait again
            raise AttemptLost(attempt.token)
        logger.info(
            "attempt %s stored batch %s of media file %s",
            attempt.token,
            attempt.batch,
            media_file.pk,
        )
        return ready
    return []


def _mark_ready(attempt: Attempt, outputs: dict, names: dict, the_storage) -> list[int] | None:
    """Mark the attempt's rows READY; None if the source was replaced meanwhile (the rows are
    PENDING again, a new message is on its way); AttemptLost if the rows are not ours."""
    media_file = attempt.media_file
    now = timezone.now()
    with transaction.atomic():
        current = _lock_media_file(media_file.pk)
        rows = {r.pk: r for r in _attempt_rows(attempt)}
        held = [pk for pk, r in rows.items() if r.status == RenditionStatus.PROCESSING]
        expected = [pk for pk in attempt.row_ids if pk not in attempt.refreshed]
        lost = sorted(held) != sorted(expected) or set(rows) != set(attempt.row_ids)
        if current is None or lost:
            raise AttemptLost(attempt.token)
        if current.file_hash != media_file.file_hash:
            # The source was replaced while this attempt ran: its outputs are stale already.
            _attempt_rows(attempt).filter(status=RenditionStatus.PROCESSING).update(
                status=RenditionStatus.PENDING, attempt="", worker="", progress=0
            )
            _attempt_rows(attempt).filter(status=RenditionStatus.READY).update(attempt="")
            _enqueue_batch_on_commit(current, attempt.batch)
            return None
        previous = []
        for pk in attempt.row_ids:
            output, spec = outputs[pk], attempt.specs[pk]
            if rows[pk].file:
                previous.append((rows[pk].file.name, rows[pk].spec))
            MediaRendition.objects.filter(pk=pk).update(
                file=names[pk],
                file_size=output.size,
                mime_type=spec.plan.mime_type,
                duration=output.duration,
                bitrate=output.bitrate,
                width=output.width,
                height=output.height,
                loudness_lufs=output.loudness_lufs,
                true_peak_dbtp=output.true_peak_dbtp,
                warning=output.warning,
                text=output.text,
                status=RenditionStatus.READY,
                progress=100,
                eta_seconds=None,
                error="",
                error_detail="",
                finished_at=now,
                source_hash=media_file.file_hash,
                recipe=recipe(spec.spec),
                tags_marker="",
            )
        transaction.on_commit(lambda: _delete_previous(the_storage, previous), robust=True)
        if attempt.batch != SPEECH_BATCH:  # drafts change nothing that feeds or pages show
            transaction.on_commit(lambda: _send_ready(attempt.row_ids), robust=True)
    return attempt.row_ids


def _delete_previous(the_storage, previous: list[tuple[str, str]]) -> None:
    for name, spec in previous:
        storage.delete_rendition_files(the_storage, name, spec)


def _send_ready(row_ids: list[int]) -> None:
    for rendition in MediaRendition.objects.filter(pk__in=row_ids).select_related("media_file"):
        rendition_ready.send(sender=MediaRendition, instance=rendition)


def release_batch(attempt: Attempt) -> None:
    """Give the attempt's rows back to the queue (PENDING) for a retry; rows it no longer
    holds are left alone. A released attempt does not count towards ``MEDIA_MAX_ATTEMPTS``:
    that limit is for workers that died on the batch (a file that kills its worker), not for
    a busy work disk or a database blip, which have their own retry limits."""
    with transaction.atomic():
        _lock_media_file(attempt.media_file.pk)
        rows = _attempt_rows(attempt)
        rows.filter(status=RenditionStatus.PROCESSING).update(
            status=RenditionStatus.PENDING,
            attempts=Greatest(F("attempts") - 1, 0),
            worker="",
            progress=0,
            eta_seconds=None,
            attempt="",
            enqueued_at=timezone.now(),
        )
        rows.filter(status=RenditionStatus.READY).update(attempt="")


def fail_batch(attempt: Attempt, message, detail: str = "") -> None:
    """Record a final failure of the attempt's rows, with a message for editors (in the
    site's main language); READY rows it was refreshing keep their file."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
    with transaction.atomic():
        _lock_media_file(attempt.media_file.pk)
        rows = _attempt_rows(attempt)
        rows.filter(status=RenditionStatus.PROCESSING).update(
            status=RenditionStatus.FAILED,
            error=text,
            error_detail=detail[-4000:],
            progress=0,
            eta_seconds=None,
            finished_at=timezone.now(),
        )
        rows.filter(status=RenditionStatus.READY).update(attempt="")


def mark_rendition_failed(rendition_id: int, message, detail: str = "") -> None:
    """Record a final failure for the rendition's batch where no attempt holds it: its PENDING
    rows (e.g. when the retries of a transient error are exhausted). Rows an attempt is
    working on, and READY ones, are left alone."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
    row = MediaRendition.objects.filter(pk=rendition_id).values("media_file_id", "batch").first()
    if row is None:
        return
    fail_pending_batch(row["media_file_id"], row["batch"], text, detail)


def fail_pending_batch(media_file_id: int, batch: str, message, detail: str = "") -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
    with transaction.atomic():
        _lock_media_file(media_file_id)
        MediaRendition.objects.filter(
            media_file_id=media_file_id, batch=batch, status=RenditionStatus.PENDING
        ).update(
            status=RenditionStatus.FAILED,
            error=text,
            error_detail=detail[-4000:],
            progress=0,
            eta_seconds=None,
            finished_at=timezone.now(),
        )


def _enqueue_rows_added_meanwhile(attempt: Attempt) -> None:
    """Rows of the batch requested while this attempt ran waited for it: enqueue them now."""
    media_file = attempt.media_file
    pending = MediaRendition.objects.filter(
        media_file=media_file, batch=attempt.batch, status=RenditionStatus.PENDING
    )
    if pending.exists():
        with transaction.atomic():
            _enqueue_batch_on_commit(media_file, attempt.batch)


def _make_work_dir(attempt: Attempt) -> Path:
    """A private folder per attempt: ``<host>-<pid>-<media file>-<random>``; a full or failing
    work disk is a transient error (``faults``)."""
    root = Path(settings.MEDIA_WORK_DIR)
    try:
        root.mkdir(parents=True, exist_ok=True)
        path = root / workdisk.attempt_folder_name(os.getpid(), attempt.media_file.pk)
        path.mkdir()
    except OSError as exc:
        _end_attempt(attempt, exc)
        raise faults.as_transient(exc) from exc
    return path


# --- watchdog ----------------------------------------------------------------------------
def requeue_stale_renditions() -> list[int]:
    """Recover every stuck state, whole batches at a time; return the row ids requeued.

    - PROCESSING whose heartbeat is older than ``MEDIA_HEARTBEAT_TIMEOUT``: the worker died
      (or lost its database for that long). The batch goes back to PENDING, the attempt's
      stored files are removed, and a new message is sent; after ``MEDIA_MAX_ATTEMPTS`` the
      batch is FAILED instead (an input that kills workers must not loop forever).
    - PENDING whose message went to the broker longer than ``MEDIA_PENDING_TIMEOUT`` ago and
      was never claimed: the message was lost (a broker restart without persistence), so
      another is sent. A duplicate message is harmless: the claim is idempotent.

    - PROCESSING held by a worker process of this machine that has ended: taken back at once
      (see ``_attempts_of_dead_local_workers``), without waiting for the heartbeat timeout.

    Runs when a worker becomes ready and every few minutes from Celery beat; also removes work
    folders left on this host by dead processes."""
    now = timezone.now()
    requeued = []
    stale_cutoff = now - timedelta(seconds=settings.MEDIA_HEARTBEAT_TIMEOUT)
    stale = (
        MediaRendition.objects.filter(
            status=RenditionStatus.PROCESSING, heartbeat_at__lt=stale_cutoff
        )
        .values_list("media_file_id", "batch", "attempt")
        .distinct()
    )
    for media_file_id, batch, token in list(stale):
        requeued += _take_back(media_file_id, batch, token, stale_cutoff)
    for media_file_id, batch, token in _attempts_of_dead_local_workers():
        requeued += _take_back(media_file_id, batch, token, cutoff=None)
    requeued += resend_lost_batches(now - timedelta(seconds=settings.MEDIA_PENDING_TIMEOUT))
    _remove_orphaned_work_dirs()
    return requeued


def _attempts_of_dead_local_workers() -> list[tuple[int, str, str]]:
    """Attempts held by a worker process of this machine that has ended (killed, crashed,
    out of memory): taken back at once instead of after ``MEDIA_HEARTBEAT_TIMEOUT``, so a
    worker restarted by its supervisor (or the beat on the same machine) resumes the batch
    within seconds. Other machines' attempts are left to the heartbeat."""
    prefix = f"{socket.gethostname()}:"
    held = (
        MediaRendition.objects.filter(status=RenditionStatus.PROCESSING, worker__startswith=prefix)
        .values_list("media_file_id", "batch", "attempt", "worker", "started_at")
        .distinct()
    )
    gone = []
    for media_file_id, batch, token, worker, started_at in list(held):
        pid = worker[len(prefix) :]
        if (
            pid.isdigit()
            and started_at
            and workdisk.holder_is_gone(int(pid), started_at.timestamp())
        ):
            gone.append((media_file_id, batch, token))
    return list(dict.fromkeys(gone))


def resend_lost_batches(cutoff) -> list[int]:
    """Send PENDING batches again whose message went to the broker before ``cutoff`` (or
    never) and was not claimed; return their row ids. One message per batch."""
    requeued = []
    lost = (
        MediaRendition.objects.filter(status=RenditionStatus.PENDING)
        .filter(Q(enqueued_at__lt=cutoff) | Q(enqueued_at__isnull=True))
        .values_list("media_file_id", "batch")
        .distinct()
    )
    for media_file_id, batch in list(lost):
        with transaction.atomic():
            media_file = _lock_media_file(media_file_id)
            if media_file is None:
                continue
            rows = MediaRendition.objects.filter(
                media_file=media_file, batch=batch, status=RenditionStatus.PENDING
            ).filter(Q(enqueued_at__lt=cutoff) | Q(enqueued_at__isnull=True))
            ids = list(rows.values_list("pk", flat=True))
            if ids:
                logger.warning("re-enqueueing batch %s of media file %s", batch, media_file_id)
                _enqueue_batch_on_commit(media_file, batch)
                requeued += ids
    return requeued


def _take_back(media_file_id: int, batch: str, token: str, cutoff) -> list[int]:
    """Take the attempt's rows back (or fail them after ``MEDIA_MAX_ATTEMPTS``); with a
    ``cutoff`` only if their heartbeat is older, with None unconditionally (its worker is
    known to be dead)."""
    with transaction.atomic():
        media_file = _lock_media_file(media_file_id)
        if media_file is None:
            return []
        rows = MediaRendition.objects.filter(
            media_file=media_file,
            batch=batch,
            attempt=token,
            status=RenditionStatus.PROCESSING,
        )
        if cutoff is not None:
            rows = rows.filter(heartbeat_at__lt=cutoff)
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            return []
        attempts = max(rows.values_list("attempts", flat=True))
        logger.warning(
            "taking back batch %s of media file %s from attempt %s", batch, media_file_id, token
        )
        if attempts >= settings.MEDIA_MAX_ATTEMPTS:
            with translation.override(settings.LANGUAGE_CODE):
                text = str(faults.GAVE_UP) % {"count": attempts}
            rows.update(
                status=RenditionStatus.FAILED,
                error=text,
                error_detail=f"no heartbeat from attempt {token}",
                progress=0,
                eta_seconds=None,
                finished_at=timezone.now(),
            )
        else:
            rows.update(
                status=RenditionStatus.PENDING,
                attempt="",
                worker="",
                progress=0,
                eta_seconds=None,
            )
            _enqueue_batch_on_commit(media_file, batch)
        MediaRendition.objects.filter(
            media_file=media_file, attempt=token, status=RenditionStatus.READY
        ).update(attempt="")
        transaction.on_commit(
            lambda: storage.delete_attempt_files(media_file_id, token), robust=True
        )
    return ids


def _remove_orphaned_work_dirs() -> None:
    root = Path(settings.MEDIA_WORK_DIR)
    if not root.is_dir():
        return
    host = socket.gethostname()
    for folder in root.iterdir():
        if resume.is_resume_folder(folder):
            _remove_resume_folder_if_unneeded(folder, host)
    workdisk.remove_dead_attempt_folders(root)


def _remove_resume_folder_if_unneeded(folder: Path, host: str) -> None:
    """A resume folder of this host goes once no attempt holds it and its batch is no longer
    waiting for work (READY, FAILED, or the media file deleted)."""
    folder_host, media_file_id, batch = resume.parse_folder_name(folder.name)
    if folder_host != host or resume.holder_alive(folder):
        return
    waiting = MediaRendition.objects.filter(
        media_file_id=media_file_id,
        batch=batch,
        status__in=[RenditionStatus.PENDING, RenditionStatus.PROCESSING],
    )
    if not waiting.exists():
        shutil.rmtree(folder, ignore_errors=True)


def delete_media_files(names: list[tuple[object, str]]) -> None:
    for the_storage, name in names:
        if name:
            the_storage.delete(name)


def delete_rendition_storage(the_storage, name: str, spec: str) -> None:
    """Remove a rendition's file and its siblings (HLS segments, the sprite's WebVTT)."""
    storage.delete_rendition_files(the_storage, name, spec)
