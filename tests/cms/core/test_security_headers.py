"""Response headers that limit what a page may load or use, and cookie names browsers guard."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.cms.learning.factories import make_catalogue, make_unit, step

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
COOKIE_SETTINGS = (
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "LEARNING_COOKIE_NAME",
)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_public_pages_send_a_strict_content_security_policy(client, home_pages):
    policy = directives(client.get("/de/")["Content-Security-Policy"])

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


def test_the_admin_gets_its_own_policy(client, db):
    policy = directives(client.get("/admin/login/")["Content-Security-Policy"])

    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in policy["script-src"]


def test_powerful_browser_features_are_switched_off(client, home_pages):
    header = client.get("/de/")["Permissions-Policy"]

    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in header
    assert "fullscreen=(self)" in header


def production_cookie_settings() -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="x" * 40,
        ALLOWED_HOSTS="testserver",
    )
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {COOKIE_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_host_cookie(cookie):
    assert cookie.key.startswith("__Host-")
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]


def test_production_cookies_are_host_only_over_https(settings, home_pages, levels):
    production = production_cookie_settings()
    for name, value in production.items():
        setattr(settings, name, value)
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("lea@example.org", "lea@example.org", "Richtig-123!")
    catalogue = make_catalogue(home_pages[0])
    unit = make_unit(catalogue, [step()], level_min=levels[0])
    browser = Client(enforce_csrf_checks=True)

    step_page = browser.get(unit.step_url(unit.step_list[0].id), secure=True)
    csrf = browser.cookies[production["CSRF_COOKIE_NAME"]].value
    learner = browser.post(  # the first write: "Save my progress"
        unit.url + unit.reverse_subpage("step_viewed", args=[unit.step_list[0].id]),
        {"csrfmiddlewaretoken": csrf},
        secure=True,
        HTTP_REFERER="https://testserver" + unit.url,
    )
    logged_in = browser.post(
        catalogue.url + "login/",
        {"username": "lea@example.org", "password": "Richtig-123!", "csrfmiddlewaretoken": csrf},
        secure=True,
        HTTP_REFERER="https://testserver" + catalogue.url + "login/",
    )

    assert logged_in.status_code == 302
    assert_host_cookie(learner.cookies[production["LEARNING_COOKIE_NAME"]])
    assert_host_cookie(step_page.cookies[production["CSRF_COOKIE_NAME"]])
    assert_host_cookie(logged_in.cookies[production["SESSION_COOKIE_NAME"]])


def test_development_over_http_keeps_plain_cookie_names(client, home_pages, levels):
    catalogue = make_catalogue(home_pages[0])
    unit = make_unit(catalogue, [step()], level_min=levels[0])

    response = client.post(
        unit.url + unit.reverse_subpage("step_viewed", args=[unit.step_list[0].id])
    )

    assert "lernfunk_learner" in response.cookies
