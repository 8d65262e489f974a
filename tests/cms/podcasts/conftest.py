import pytest

from tests.cms.factories import PodcastEpisodePageFactory, PodcastShowPageFactory


@pytest.fixture
def show(home_pages):
    """A published show on the German home page of the default site."""
    home, _english = home_pages
    show = PodcastShowPageFactory(parent=home, slug="smarter-mittelstand")
    show.save_revision().publish()
    show.refresh_from_db()
    return show


@pytest.fixture
def publish_episode(show):
    """Create and publish an episode of ``show`` through Wagtail's revision workflow."""

    def publish(**kwargs):
        kwargs.setdefault("parent", show)
        episode = PodcastEpisodePageFactory(live=False, **kwargs)
        episode.save_revision().publish()
        episode.refresh_from_db()
        return episode

    return publish
