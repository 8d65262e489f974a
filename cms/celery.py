"""The Celery application: configured from Django settings (``CELERY_*``), tasks autodiscovered.

Queues: ``default`` for light work, ``media`` for transcodes (``CELERY_TASK_ROUTES``), so
media workers can run on their own machines.
"""

import os
import sys
from pathlib import Path

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

# The embedded default's file-system broker, with atomic message files (see cms/broker.py).
TRANSPORT_ALIASES["filesystem"] = "cms.broker:Transport"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

if Path(sys.argv[0]).name == "celery":
    # Started as `celery -A cms …`: report a bad configuration in one line, as manage.py does.
    from cms.settings.environment import exit_on_configuration_error

    exit_on_configuration_error()

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders() -> None:
    """Create the folders of the file-system broker and result backend (embedded default)."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        for key in ("data_folder_in", "data_folder_out", "control_folder", "processed_folder"):
            folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(key)
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
    backend = settings.CELERY_RESULT_BACKEND or ""
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare_embedded_broker(sender, **kwargs):
    ensure_broker_folders()
