"""On S3 the bucket serves media itself: private objects must be refused to anonymous HTTP.

Runs when the S3 variables are set (see .ci/run, which creates the bucket with
``scripts/create_bucket.py``); the embedded default is covered by test_media_access.py.
"""

import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from wagtail.documents import get_document_model

from tests.media_pipeline.factories import MediaFileFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.MEDIA_ON_S3, reason="media is not on S3 in this run"),
]


def anonymous_get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our endpoint
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_uploaded_original_is_refused_to_anonymous_http_but_readable_by_the_app():
    media = MediaFileFactory(file=ContentFile(b"RIFF-original", name=f"{uuid.uuid4()}.wav"))
    try:
        assert media.file.name.startswith("media/originals/")
        with default_storage.open(media.file.name) as handle:
            assert handle.read() == b"RIFF-original"

        assert anonymous_get(media.file.url) == 403
    finally:
        default_storage.delete(media.file.name)


def test_document_is_refused_to_anonymous_http_and_served_through_wagtail(client):
    document = get_document_model()(title="Leitfaden")
    document.file.save(f"leitfaden-{uuid.uuid4()}.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    try:
        assert anonymous_get(default_storage.url(document.file.name)) == 403

        response = client.get(document.url)

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4"
    finally:
        default_storage.delete(document.file.name)


def test_renditions_stay_public_for_podcast_apps_and_players():
    name = default_storage.save(
        f"media/renditions/0/{uuid.uuid4().hex}/folge.mp3", ContentFile(b"ID3-rendition")
    )
    try:
        assert anonymous_get(default_storage.url(name)) == 200
    finally:
        default_storage.delete(name)
