"""The demo loader creates a well-known admin password: never on a production site by accident."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[3]


def test_load_demo_content_refuses_to_run_under_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="x" * 40,
        ALLOWED_HOSTS="lernfunk.example.org",
        LERNFUNK_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo_content", "--skip-checks"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "production" in result.stderr and "--force" in result.stderr
    assert "Admin login" not in result.stdout


@pytest.mark.django_db
def test_refusal_creates_nothing_and_force_overrides_it(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo_content", stdout=io.StringIO())
    assert not get_user_model().objects.exists()

    call_command("load_demo_content", "--force", admin_password="pw", stdout=io.StringIO())
    assert get_user_model().objects.filter(username="admin").exists()
