import pytest
from django.conf import settings
from django.core.cache import caches
from lxml import etree

from tests.cms.podcasts.conftest import publish_episode, show  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def _empty_feed_cache():
    """Page ids repeat between tests (rolled back): cached feeds must not leak across."""
    caches[settings.FEED_CACHE_ALIAS].clear()


def feed_items(response):
    root = etree.fromstring(b"".join(response) if hasattr(response, "__iter__") else response)
    return root.findall("./channel/item")
