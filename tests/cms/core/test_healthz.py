"""/healthz tells a load balancer whether the site can serve pages, not just whether it runs."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_when_pages_render(client, home_pages):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_fails_when_the_static_manifest_is_missing(client, home_pages, settings, tmp_path):
    # Production serves static files through a manifest written by collectstatic; without it
    # every page fails, so the health check must fail too.
    settings.STATIC_ROOT = tmp_path / "static-without-collectstatic"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    client.raise_request_exception = False
    assert client.get("/de/").status_code == 500

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
