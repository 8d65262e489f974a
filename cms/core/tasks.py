import socket

from celery import shared_task


@shared_task(name="core.ping_task")
def ping_task() -> dict:
    """Answer with the worker's host name; `manage.py check_workers` sends one per queue."""
    return {"pong": True, "hostname": socket.gethostname()}
