"""Bad configuration ends in one clear line, never a traceback (run as real processes)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cms.settings import environment

ROOT = Path(__file__).resolve().parents[3]
CLEAN_ENV = {
    key: value
    for key, value in os.environ.items()
    if not key.startswith(("AWS_", "DATABASE_", "CELERY_", "CACHE_", "REDIS_", "DJANGO_"))
    and key not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
}
GOOD_PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "lernfunk.example.org",
}


def run_manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**CLEAN_ENV, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line_error(result, *fragments):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("lernfunk: configuration error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize(
    "url",
    [
        "postgres//user@host/db",
        "mysql://user@host/db",
        "not a url",
        "postgres://user@localhost:5432",
    ],
)
def test_malformed_database_url(url):
    assert_one_line_error(run_manage({"DATABASE_URL": url}, "check"), "DATABASE_URL")


def test_bad_broker_url():
    result = run_manage({"CELERY_BROKER_URL": "redis-host:6379"}, "check")
    assert_one_line_error(result, "CELERY_BROKER_URL")


def test_s3_without_bucket_is_half_configured():
    result = run_manage({"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"}, "check")
    assert_one_line_error(result, "half-configured", "AWS_STORAGE_BUCKET_NAME")


def test_s3_key_without_secret_is_half_configured():
    env = {"AWS_STORAGE_BUCKET_NAME": "media", "AWS_ACCESS_KEY_ID": "abc"}
    assert_one_line_error(run_manage(env, "check"), "AWS_SECRET_ACCESS_KEY")


@pytest.mark.parametrize("acl", ["public-read", "public-read-write"])
def test_public_default_acl_is_refused(acl):
    # Every object would be world-readable, uploaded originals and documents included.
    env = {"AWS_STORAGE_BUCKET_NAME": "media", "AWS_DEFAULT_ACL": acl}
    assert_one_line_error(run_manage(env, "check"), "AWS_DEFAULT_ACL", acl)


def test_not_a_boolean():
    assert_one_line_error(run_manage({"DEBUG": "maybe"}, "check"), "DEBUG")


def test_production_requires_secret_key():
    env = {**GOOD_PRODUCTION, "SECRET_KEY": ""}
    assert_one_line_error(run_manage(env, "check"), "SECRET_KEY")


def test_production_requires_allowed_hosts():
    env = {**GOOD_PRODUCTION, "ALLOWED_HOSTS": ""}
    assert_one_line_error(run_manage(env, "check"), "ALLOWED_HOSTS")


def test_production_refuses_debug():
    env = {**GOOD_PRODUCTION, "DEBUG": "1"}
    assert_one_line_error(run_manage(env, "check"), "DEBUG")


def test_production_starts_when_configured(tmp_path):
    env = {**GOOD_PRODUCTION, "LERNFUNK_VAR_DIR": str(tmp_path)}
    result = run_manage(env, "check", "--deploy", "--fail-level", "ERROR")
    assert result.returncode == 0, result.stderr


def test_celery_worker_reports_bad_configuration_in_one_line():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "celery"), "-A", "cms", "worker"],
        cwd=ROOT,
        env={**CLEAN_ENV, "DATABASE_URL": "nonsense"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert_one_line_error(result, "DATABASE_URL")


def test_s3_options_use_path_style_and_checksums_when_required(monkeypatch):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "media")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    options = environment.s3_media_storage()
    config = options["client_config"]
    assert config.s3 == {"addressing_style": "path"}
    assert config.request_checksum_calculation == "when_required"
    assert config.response_checksum_validation == "when_required"
    assert options["querystring_auth"] is False
    assert options["endpoint_url"] == "http://127.0.0.1:9000"


def test_postgres_url_becomes_a_postgres_database(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://lernfunk:pw@db.internal:5432/lernfunk")
    config = environment.database_config(tmp_path / "x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["HOST"], config["PORT"]) == ("lernfunk", "db.internal", 5432)


def test_redis_broker_outlasts_the_longest_task():
    code = (
        "from django.conf import settings as s; "
        "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], "
        "s.CELERY_TASK_MAX_TIME_LIMIT, s.CELERY_RESULT_BACKEND)"
    )
    env = {"CELERY_BROKER_URL": "redis://redis.internal:6379/0"}
    result = run_manage(env, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    visibility, limit, backend = result.stdout.split()
    assert int(visibility) > int(limit)
    assert backend == "redis://redis.internal:6379/0"


def test_email_url_delivers_mail_through_that_smtp_server(tmp_path):
    """Sign-up confirmations go out by mail: an operator names the SMTP server in one URL."""
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-W", "ignore", "-u", "-m", "smtpd", "-n", "-c", "DebuggingServer",
         f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        for _ in range(50):
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        result = run_manage(
            {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "LERNFUNK_VAR_DIR": str(tmp_path)},
            "sendtestemail",
            "redaktion@example.org",
        )
        assert result.returncode == 0, result.stderr
    finally:
        server.terminate()
        received = server.communicate(timeout=10)[0]
    assert "To: redaktion@example.org" in received


def test_a_bad_email_url_is_one_line():
    result = run_manage({"EMAIL_URL": "pigeon://loft"}, "check")
    assert_one_line_error(result, "EMAIL_URL")


def test_websub_hubs_are_a_list_of_absolute_urls(monkeypatch):
    monkeypatch.setenv("WEBSUB_HUBS", " https://hub.example.org/ , http://127.0.0.1:8080/hub,")
    assert environment.get_url_list("WEBSUB_HUBS") == [
        "https://hub.example.org/",
        "http://127.0.0.1:8080/hub",
    ]
    monkeypatch.setenv("WEBSUB_HUBS", "")
    assert environment.get_url_list("WEBSUB_HUBS") == []


@pytest.mark.parametrize("value", ["hub.example.org", "ftp://hub.example.org/", "https://"])
def test_a_websub_hub_that_is_no_http_url_is_one_line(value):
    assert_one_line_error(run_manage({"WEBSUB_HUBS": value}, "check"), "WEBSUB_HUBS", value)
