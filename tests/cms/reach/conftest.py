import pytest

from tests.cms.learning.conftest import catalogue, topics, unit  # noqa: F401 - shared fixtures
from tests.cms.podcasts.conftest import publish_episode, show  # noqa: F401 - shared fixtures
from tests.cms.videos.conftest import (  # noqa: F401 - shared fixtures
    publish_video,
    ready_video,
    video_files,
    video_index,
)

APPLE = "AppleCoreMedia/1.0.0.20E247 (iPhone; U; CPU OS 16_4 like Mac OS X; de_de)"
OVERCAST = "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)
GOOGLEBOT = "Googlebot/2.1 (+http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def _private_salts(settings, tmp_path):
    """Each test makes its own daily salts (file store under a fresh VAR_DIR)."""
    from cms.reach import counting

    settings.VAR_DIR = tmp_path / "var"
    counting._salts.clear()
    counting.discard_buffer()
    yield
    counting._salts.clear()
    counting.discard_buffer()


@pytest.fixture
def episode(publish_episode):  # noqa: F811 - the imported fixture
    """A published episode of 125 s whose MP3 is 3840 bytes: one minute is 1844 bytes."""
    return publish_episode(title="Folge über Cloud-Telefonie")


def get(client, path, user_agent=APPLE, ip="203.0.113.7", byte_range=None, method="get"):
    headers = {"HTTP_USER_AGENT": user_agent, "REMOTE_ADDR": ip}
    if byte_range:
        headers["HTTP_RANGE"] = byte_range
    response = getattr(client, method)(path, **headers)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response
