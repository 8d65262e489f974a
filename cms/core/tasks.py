import socket

from celery import shared_task


@shared_task(name="core.ping_task")
def ping_task() -> dict:
    """Answer with the worker's host name; `manage.py check_workers` sends one per queue."""
    return {"pong": True, "hostname": socket.gethostname()}


@shared_task(name="core.publish_scheduled_task", ignore_result=True)
def publish_scheduled_task() -> None:
    """Publish pages whose go_live_at has come and unpublish expired ones (Wagtail's
    ``publish_scheduled`` command, run every minute by Celery beat)."""
    from django.core.management import call_command

    call_command("publish_scheduled", verbosity=0)
