"""Favicon and web app manifest (issue 18: ``/favicon.ico`` was a 404)."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # ICO header


@pytest.mark.parametrize("language", ["de", "en"])
def test_pages_link_the_manifest_of_their_language(client, home_pages, language):
    home = home_pages[0] if language == "de" else home_pages[1]
    html = client.get(home.url).content.decode()
    assert f'<link rel="manifest" href="/{language}/manifest.webmanifest">' in html
    assert '<link rel="icon" href="/favicon.ico"' in html

    response = client.get(f"/{language}/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == language
    assert manifest["start_url"] == home.url
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
