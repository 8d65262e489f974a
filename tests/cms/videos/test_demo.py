"""The demo “Kurz erklärt”: two generated videos through the real pipeline, captions, glossary."""

import pytest

from cms.videos.models import ExplainerVideoPage
from media_pipeline.models import MediaKind

pytestmark = pytest.mark.django_db


def test_demo_has_a_landscape_and_a_portrait_video_with_german_captions(client, demo_site):
    pages = {
        p.slug: p
        for p in ExplainerVideoPage.objects.live()
        .filter(locale__language_code="de")
        .select_related("video")
    }

    assert set(pages) == {"was-ist-eine-cloud", "zwei-faktor-authentisierung"}
    landscape = pages["was-ist-eine-cloud"].video
    portrait = pages["zwei-faktor-authentisierung"].video
    assert landscape.kind == portrait.kind == MediaKind.VIDEO
    assert (landscape.width, landscape.height) == (1920, 1080)
    # Stored landscape with rotation metadata, shown upright as the phone recorded it.
    assert (portrait.width, portrait.height) == (720, 1280)
    for page in pages.values():
        languages = {t.language for t in page.text_tracks.filter(kind="captions")}
        assert "de" in languages
        assert page.glossary_terms.exists()
    assert {t.language for t in pages["was-ist-eine-cloud"].text_tracks.all()} == {"de", "en"}
    # The worker has not rendered anything yet: the page says so instead of a broken player.
    response = client.get(pages["was-ist-eine-cloud"].url)
    assert response.status_code == 200
    assert b"<video" not in response.content
    assert b'role="status"' in response.content
    assert client.get("/de/kurz-erklaert/schluesselbegriffe/").status_code == 200
    index = pages["was-ist-eine-cloud"].get_parent()
    assert f'href="{index.url}"' in client.get("/de/").content.decode()
