"""The services this run was asked to use are the ones in use (CI must not fall back silently)."""

import os
import urllib.request
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection


def test_database_is_the_configured_one(db):
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else ("sqlite")
    )
    assert connection.vendor == expected


def test_cache_is_the_configured_one():
    backend = settings.CACHES["default"]["BACKEND"]
    if os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL"):
        assert backend.endswith("RedisCache")
    else:
        assert backend.endswith("LocMemCache")
    key = f"probe-{uuid.uuid4()}"
    cache.set(key, {"ok": 1}, 30)
    assert cache.get(key) == {"ok": 1}


def test_media_storage_round_trip_and_stable_public_url():
    # Under the renditions folder: only the public media folders are readable on the bucket.
    name = default_storage.save(
        f"media/renditions/0/{uuid.uuid4().hex}/probe.txt", ContentFile(b"Lernfunk media")
    )
    try:
        with default_storage.open(name) as handle:
            assert handle.read() == b"Lernfunk media"
        url = default_storage.url(name)
        assert "?" not in url, "published media URLs must be stable (no signed query)"
        if settings.MEDIA_ON_S3:
            assert os.environ.get("AWS_STORAGE_BUCKET_NAME")
            assert url.startswith(os.environ["AWS_S3_ENDPOINT_URL"])
            request = urllib.request.Request(url, headers={"Range": "bytes=0-7"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                assert response.status == 206
                assert response.read() == b"Lernfunk"
        else:
            assert not os.environ.get("AWS_STORAGE_BUCKET_NAME")
            assert url.startswith(settings.MEDIA_URL)
    finally:
        default_storage.delete(name)
    assert not default_storage.exists(name)


def test_uploads_never_overwrite_existing_media():
    first = default_storage.save("probe/same-name.txt", ContentFile(b"one"))
    second = default_storage.save("probe/same-name.txt", ContentFile(b"two"))
    try:
        assert first != second
    finally:
        default_storage.delete(first)
        default_storage.delete(second)
