"""Celery tasks of the media pipeline: thin, they take ids and call one service each."""

import random

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from . import faults, services
from .exceptions import TranscodeError, TransientMediaError
from .speech import AudioNotReady
from .workdisk import WorkDiskBusy


def _on_failure(self, exc, task_id, args, kwargs, einfo):
    """The task gave up. A TranscodeError was recorded (FAILED, with the editor's message) by
    the attempt itself; after exhausted retries of a transient error the batch is PENDING, and
    is failed here with a message that says it was not the file's fault."""
    if isinstance(exc, TranscodeError):
        return
    media_file_id, batch = args[0], args[1]
    message, detail = faults.final_message(exc)
    try:
        faults.reset_database_connections()
        services.fail_pending_batch(media_file_id, batch, message, detail)
    except Exception:  # noqa: BLE001 - the watchdog re-enqueues it; never crash the worker
        services.logger.exception("recording the failure of batch %s failed", batch)


# Every batch task (transcode, speech) is delivered, retried and failed the same way.
BATCH_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (TransientMediaError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
    "on_failure": _on_failure,
    # Nobody reads the result (the rows are the result); storing it would make a producer
    # wait on an unreachable result backend.
    "ignore_result": True,
}


@shared_task(name="media_pipeline.transcode_batch_task", **BATCH_TASK_OPTIONS)
def transcode_batch_task(self, media_file_id: int, batch: str):
    return _run_batch(transcode_batch_task, media_file_id, batch)


def _run_batch(task, media_file_id: int, batch: str):
    try:
        return services.run_batch(media_file_id, batch)
    except (WorkDiskBusy, AudioNotReady):
        # Other batches hold the work disk: the batch (PENDING again) is sent anew for later.
        # Waiting is not a retry: ``self.retry(max_retries=None)`` would fall back to the
        # task's limit and, after a few busy minutes, fail the batch as "work disk full";
        # a fresh message also leaves the retries of real transient errors untouched. If the
        # worker dies between sending and acknowledging, the batch gets two messages: the
        # claim makes the second one a no-op.
        # The speech batch waits the same way for the normalised audio it recognises.
        countdown = random.uniform(0.25, 0.5) * min(60, settings.MEDIA_PENDING_TIMEOUT)  # noqa: S311
        task.apply_async(args=(media_file_id, batch), countdown=countdown)
        return []


@shared_task(name="media_pipeline.speech_batch_task", **BATCH_TASK_OPTIONS)
def speech_batch_task(self, media_file_id: int, batch: str):
    """The speech batch (``speech``): the same claim, attempt token, error classification
    and watchdog as the transcode batches, on the queue ``asr`` (CELERY_TASK_ROUTES), so a
    worker started with ``-Q asr -c 1`` recognises one file at a time and transcodes never
    wait behind it."""
    return _run_batch(speech_batch_task, media_file_id, batch)


@shared_task(name="media_pipeline.transcode_rendition_task", acks_late=True)
def transcode_rendition_task(rendition_id: int):
    """Messages queued before batches existed: hand them to their batch."""
    from .models import MediaRendition

    row = MediaRendition.objects.filter(pk=rendition_id).values("media_file_id", "batch").first()
    if row:
        transcode_batch_task.delay(row["media_file_id"], row["batch"])


@shared_task(name="media_pipeline.requeue_stale_renditions_task")
def requeue_stale_renditions_task():
    return services.requeue_stale_renditions()


@worker_ready.connect
def _sweep_at_worker_start(sender=None, **kwargs):
    # A worker that died mid-transcode left rows PROCESSING; the next one to start frees them.
    try:
        services.requeue_stale_renditions()
    except Exception:  # noqa: BLE001 - a failed sweep must not stop the worker
        services.logger.exception("stale rendition sweep failed")


@shared_task(
    name="media_pipeline.write_rendition_chapters_task",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientMediaError,),
    retry_backoff=5,
    max_retries=5,
)
def write_rendition_chapters_task(rendition_id: int, chapters: list, title: str = ""):
    """``chapters`` as [[start_seconds, title, url], …] (JSON-serialisable)."""
    from .id3 import Chapter
    from .tagging import write_rendition_chapters

    return write_rendition_chapters(
        rendition_id, [Chapter(*chapter) for chapter in chapters], title=title
    )
