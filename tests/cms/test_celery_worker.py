"""A real Celery worker, on whichever broker this run is configured with."""

import io

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.management import call_command

from cms.celery import app
from cms.core.tasks import ping_task


@pytest.fixture(scope="module")
def celery_worker():
    # Only this module's tasks: transcodes queued by other tests belong to their own workers.
    app.control.purge()
    # Remote control needs fan-out exchanges, which the file-system transport lacks.
    with start_worker(
        app,
        pool="solo",
        queues=["default", "media"],
        perform_ping_check=False,
        shutdown_timeout=20,
    ) as worker:
        yield worker


def test_the_broker_is_the_configured_one(celery_worker):
    scheme = settings.CELERY_BROKER_URL.split("://", 1)[0]
    with app.connection_for_write() as connection:
        assert connection.as_uri().startswith(f"{scheme}://")


def test_worker_runs_a_task_sent_through_the_broker(celery_worker):
    result = ping_task.delay()
    assert result.get(timeout=30)["pong"] is True


def test_worker_consumes_the_media_queue(celery_worker):
    result = ping_task.apply_async(queue="media")
    assert result.get(timeout=30)["pong"] is True


def test_check_workers_command_reports_each_queue(celery_worker):
    out = io.StringIO()
    call_command("check_workers", timeout=30, stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["default", "media"]
    assert all("answered by" in line for line in lines)
