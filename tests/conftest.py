import pytest
from django.conf import settings as django_settings


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Local media goes to a per-test folder; on S3 runs the real bucket is used."""
    if not django_settings.MEDIA_ON_S3:
        settings.MEDIA_ROOT = tmp_path / "media"
