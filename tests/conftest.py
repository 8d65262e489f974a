import pytest
from django.conf import settings as django_settings


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Local media goes to a per-test folder; on S3 runs the real bucket is used."""
    if not django_settings.MEDIA_ON_S3:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _empty_task_queues():
    """Start every run with empty queues: tasks left by an aborted earlier run must not be
    picked up by this run's workers."""
    from cms.celery import app

    app.control.purge()
