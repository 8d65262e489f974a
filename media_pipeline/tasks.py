from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready
from django.utils.translation import gettext_lazy as _

from . import services
from .exceptions import TranscodeError


def _on_failure(self, exc, task_id, args, kwargs, einfo):
    if isinstance(exc, TranscodeError):
        services.mark_rendition_failed(args[0], exc.message, exc.detail)
    elif isinstance(exc, SoftTimeLimitExceeded):
        services.mark_rendition_failed(
            args[0], _("Converting the file took too long and was stopped.")
        )
    else:
        services.mark_rendition_failed(
            args[0], _("Processing failed unexpectedly; try again later."), repr(exc)
        )


@shared_task(
    name="media_pipeline.transcode_rendition_task",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(services.TransientMediaError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    on_failure=_on_failure,
)
def transcode_rendition_task(self, rendition_id: int):
    return services.transcode_rendition(rendition_id)


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
    autoretry_for=(services.TransientMediaError,),
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
