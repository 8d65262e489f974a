"""Property: whatever mix of episode states a show has, its feed lists exactly the episodes
that are live, public, already published and whose MP3 is READY."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from wagtail.models import PageViewRestriction

from cms.core.models import CacheGeneration
from media_pipeline.models import RenditionStatus
from media_pipeline.specs import PODCAST_MP3_SPEC
from tests.cms.factories import PodcastEpisodePageFactory, PodcastShowPageFactory

pytestmark = pytest.mark.django_db

STATES = ["published", "draft", "scheduled", "unpublished", "private", "processing", "failed"]
VISIBLE = {"published"}


def make_episode(show, index: int, state: str):
    episode = PodcastEpisodePageFactory(parent=show, live=False, title=f"Folge {index} {state}")
    if state == "draft":
        episode.save_revision()
        return episode
    if state == "scheduled":
        episode.go_live_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    episode.save_revision().publish()
    episode.refresh_from_db()
    if state == "unpublished":
        episode.unpublish()
    elif state == "private":
        PageViewRestriction.objects.create(page=episode, restriction_type="login")
    elif state in ("processing", "failed"):
        episode.audio.renditions.filter(spec=PODCAST_MP3_SPEC).update(
            status=RenditionStatus.PROCESSING if state == "processing" else RenditionStatus.FAILED
        )
    return episode


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    states=st.lists(st.sampled_from(STATES), min_size=1, max_size=7),
    private_show=st.booleans(),
)
def test_feed_lists_exactly_the_visible_episodes(client, home_pages, states, private_show):
    home, _english = home_pages
    show = PodcastShowPageFactory(parent=home)
    show.save_revision().publish()
    episodes = [make_episode(show, index, state) for index, state in enumerate(states)]
    if private_show:
        PageViewRestriction.objects.create(page=show, restriction_type="password", password="x")
    CacheGeneration.bump(CacheGeneration.PODCASTS)

    response = client.get(show.feed_path())

    if private_show:
        assert response.status_code == 404
        for episode in episodes:
            if episode.guid:
                assert client.head(episode.enclosure_path()).status_code == 404
        return
    root = etree.fromstring(response.content)
    listed = {guid.text for guid in root.iter("guid")}
    expected = {
        str(episode.guid)
        for episode, state in zip(episodes, states, strict=True)
        if state in VISIBLE
    }
    assert listed == expected


def test_show_notes_expand_exactly_as_wagtail_does(home_pages):
    from wagtail.rich_text import expand_db_html

    from feeds.selectors import _expand_many
    from tests.cms.factories import ImageFactory

    home, english_home = home_pages
    image = ImageFactory()
    texts = [
        f'<p><a linktype="page" id="{home.pk}">Start</a> and <a href="https://x.org">x</a></p>',
        f'<p><a linktype="page" id="{english_home.pk}">Home</a><a linktype="page" id="0">?</a>'
        f'<a linktype="page" id="{home.pk}">again</a></p>',
        f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="Bild"/>',
        "<p>plain text, no links</p>",
        '<p><a href="mailto:podcast@example.org">Mail</a> <a linktype="nope" id="1">?</a></p>',
    ]
    assert _expand_many(texts) == [expand_db_html(text) for text in texts]
