"""The show page of a long-running podcast: the latest episodes, the archive a page further,
seasons for serial shows, and the same number of queries for 3 or 25 episodes (issue 15)."""

import pytest
from lxml import html as lxml_html

from cms.podcasts.models import PodcastShowPage, ShowType
from tests.cms.factories import PodcastEpisodePageFactory, PodcastShowPageFactory

pytestmark = pytest.mark.django_db
PER_PAGE = PodcastShowPage.EPISODES_PER_PAGE


@pytest.fixture(params=["de", "en"])
def any_show(request, home_pages):
    home, english = home_pages
    parent = home if request.param == "de" else english
    show = PodcastShowPageFactory(parent=parent, slug="podcast", locale=parent.locale)
    show.save_revision().publish()
    return show


def add_episodes(show, start, count, **fields):
    for number in range(start, start + count):
        episode = PodcastEpisodePageFactory(
            parent=show,
            live=False,
            locale=show.locale,
            title=f"Folge {number}",
            slug=f"folge-{number}",
            episode_number=number,
            **fields,
        )
        episode.save_revision().publish()


def titles(response):
    doc = lxml_html.fromstring(response.content)
    return [a.text_content() for a in doc.xpath('//ol[@class="episode-list"]//h3/a')]


def test_show_page_lists_the_latest_episodes_with_the_archive_paginated_in_constant_queries(
    any_show, queries_of
):
    add_episodes(any_show, 1, 3)
    _, small = queries_of(any_show.url)

    add_episodes(any_show, 4, PER_PAGE * 2 + 2)  # 25 in all: three pages
    response, large = queries_of(any_show.url)

    assert large == small
    assert titles(response) == [f"Folge {n}" for n in range(25, 25 - PER_PAGE, -1)]
    html = response.content.decode()
    assert '<ol class="episode-list" start="25" reversed>' in html
    assert 'href="?page=2" rel="next"' in html
    assert 'aria-current="page"' in html

    older = any_show.url + "?page=3"
    response = queries_of(older)[0]
    assert titles(response) == ["Folge 5", "Folge 4", "Folge 3", "Folge 2", "Folge 1"]
    assert 'rel="prev"' in response.content.decode()
    assert titles(queries_of(any_show.url + "?page=40")[0]) == titles(response)


def test_a_serial_show_lists_its_seasons_and_one_season_in_order(show, client):
    show.show_type = ShowType.SERIAL
    show.save_revision().publish()
    add_episodes(show, 1, 3, season_number=1)
    add_episodes(show, 4, 2, season_number=2)

    latest = client.get(show.url)
    assert titles(latest) == ["Folge 4", "Folge 5"]
    doc = lxml_html.fromstring(latest.content)
    seasons = doc.xpath('//nav[@class="season-nav"]//a')
    assert [a.get("href") for a in seasons] == ["?season=1", "?season=2"]
    assert seasons[1].get("aria-current") == "page"

    first = client.get(show.url + "?season=1")
    assert titles(first) == ["Folge 1", "Folge 2", "Folge 3"]
    assert 'start="1"' in first.content.decode()
    assert client.get(show.url + "?season=7").status_code == 404
    assert client.get(show.url + "?season=eins").status_code == 404
