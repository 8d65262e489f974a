import socket

from celery import shared_task
from celery.exceptions import TimeoutError as CeleryTimeoutError


@shared_task(name="core.ping_task")
def ping_task() -> dict:
    """Answer with the worker's host name; `manage.py check_workers` sends one per queue."""
    return {"pong": True, "hostname": socket.gethostname()}


def ping_queue(queue: str, timeout: float) -> str | None:
    """The host name of a worker that answered a ping sent to ``queue`` within ``timeout``
    seconds, or None. A real task through the broker, so it proves a worker consumes that
    queue; unanswered, the message expires and a worker that starts later drops it."""
    result = ping_task.apply_async(queue=queue, expires=timeout)
    try:
        return result.get(timeout=timeout)["hostname"]
    except CeleryTimeoutError:
        return None


@shared_task(name="core.publish_scheduled_task", ignore_result=True)
def publish_scheduled_task() -> None:
    """Publish pages whose go_live_at has come and unpublish expired ones (Wagtail's
    ``publish_scheduled`` command, run every minute by Celery beat)."""
    from django.core.management import call_command

    call_command("publish_scheduled", verbosity=0)
