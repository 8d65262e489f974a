"""The catalogue and path pages at the size of a large centre: paginated, and the same number
of queries whether a catalogue holds 3 or 25 units (issue 15), teaser images included
(issue 18)."""

import re

import pytest
from django.test import Client
from factory.django import ImageField

from cms.learning.models import PathUnit
from cms.learning.views import PATHS_PER_PAGE, UNITS_PER_PAGE

from .factories import make_catalogue, make_path, make_unit, step, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(home_pages):
    from tests.cms.factories import PodcastEpisodePageFactory, PodcastShowPageFactory

    home, _english = home_pages
    show = PodcastShowPageFactory(parent=home, slug="podcast")
    return PodcastEpisodePageFactory(parent=show, slug="folge")


def teaser():
    from tests.cms.factories import ImageFactory

    return ImageFactory(file=ImageField(width=1200, height=800, color="#0b5394"))


def add_units(catalogue, levels, topics, episode, start, count):
    """Units whose steps hold a chooser (an episode): listing them must not resolve it. Each
    has its own teaser image."""
    units = []
    for number in range(start, start + count):
        listen = {
            "type": "podcast_episode",
            "id": f"7d0e0a3c-1f7e-4a47-9b0a-{number:012d}",
            "value": {"episode": episode.pk, "intro": ""},
        }
        units.append(
            make_unit(
                catalogue,
                [step("Hören", [listen]), step("Lesen", [text()]), step("Extra", optional=True)],
                level_min=levels[0],
                level_max=levels[1],
                topics=topics,
                title=f"Einheit {number:02d}",
                slug=f"einheit-{number:02d}",
                teaser_image=teaser(),
            )
        )
    return units


def assert_card_pictures(html, count):
    """Each card shows its own teaser: responsive, lazy, decorative beside the title link."""
    from lxml import html as lxml_html

    images = lxml_html.fromstring(html).xpath('//li[contains(@class, "card")]/img')
    assert len(images) == count
    assert len({image.get("src") for image in images}) == count
    for image in images:
        assert image.get("alt") == ""
        assert image.get("loading") == "lazy"
        assert image.get("width") == "400" and image.get("height") == "266"
        assert [c.split()[-1] for c in image.get("srcset").split(", ")] == ["400w", "800w"]


def card_titles(response):
    return [card["page"].title for card in response.context["unit_cards"]]


@pytest.fixture(params=["de", "en"])
def language_catalogue(request, home_pages):
    home, english = home_pages
    if request.param == "de":
        return make_catalogue(home)
    return make_catalogue(english, title="Learning", slug="learning")


def test_catalogue_is_paginated_in_constant_queries_for_visitors_and_learners(
    language_catalogue, levels, topics, episode, queries_of
):
    catalogue = language_catalogue
    units = add_units(catalogue, levels, topics, episode, 0, 3)
    make_path(catalogue, units[:2], title="Pfad", teaser_image=teaser())
    learner = Client()
    first, second = units[0], units[1]
    for step_ in first.step_list[:2]:  # both required steps: completed
        learner.post(first.url + first.reverse_subpage("step_viewed", args=[step_.id]))
    learner.post(second.url + second.reverse_subpage("step_viewed", args=[second.step_list[0].id]))
    filtered = f"{catalogue.url}?topic={topics[0].slug}&level={levels[1].slug}"

    _, visitor_small = queries_of(catalogue.url)
    _, filtered_small = queries_of(filtered)
    _, learner_small = queries_of(catalogue.url, using=learner)

    more = add_units(catalogue, levels, topics, episode, 3, UNITS_PER_PAGE - 2)
    make_path(catalogue, more, title="Langer Pfad", slug="langer-pfad", teaser_image=teaser())

    response, visitor_large = queries_of(catalogue.url)
    assert visitor_large == visitor_small
    assert len(response.context["unit_cards"]) == UNITS_PER_PAGE
    assert not any(card["status"].started for card in response.context["unit_cards"])
    html = response.content.decode()
    assert re.search(r'<nav class="pagination" aria-label="[^"]+">', html)
    assert 'aria-current="page"' in html
    assert 'href="?page=2" rel="next"' in html
    assert_card_pictures(html, UNITS_PER_PAGE + 2)  # the units of this page and both paths
    from lxml import html as lxml_html

    links = lxml_html.fromstring(html).xpath('//li[contains(@class, "card")]/h3/a/@href')
    assert links[:UNITS_PER_PAGE] == [card["page"].url for card in response.context["unit_cards"]]

    response, filtered_large = queries_of(filtered)
    assert filtered_large == filtered_small
    html = response.content.decode()
    assert f"?topic={topics[0].slug}&amp;level={levels[1].slug}&amp;page=2" in html

    response, learner_large = queries_of(catalogue.url, using=learner)
    assert learner_large == learner_small
    cards = {card["page"].pk: card["status"] for card in response.context["unit_cards"]}
    assert cards[first.pk].completed
    assert cards[second.pk].started and not cards[second.pk].completed
    assert cards[second.pk].percent == 50  # one of two required steps; the optional not counted
    assert "50 %" in response.content.decode()

    last = learner.get(catalogue.url + "?page=2")
    assert card_titles(last) == [f"Einheit {UNITS_PER_PAGE + 0:02d}"]
    assert 'rel="prev"' in last.content.decode()


@pytest.mark.parametrize("page", ["99", "0", "zwei", "-1"])
def test_a_page_number_out_of_range_shows_a_page_instead_of_failing(
    catalogue, levels, topics, episode, client, page
):
    add_units(catalogue, levels, topics, episode, 0, UNITS_PER_PAGE + 1)
    response = client.get(f"{catalogue.url}?page={page}")
    assert response.status_code == 200
    assert response.context["unit_cards"]


def test_path_page_lists_its_units_in_constant_queries_with_the_learners_progress(
    catalogue, levels, topics, episode, queries_of
):
    units = add_units(catalogue, levels, topics, episode, 0, 3)
    path = make_path(catalogue, units, title="Pfad")
    learner = Client()
    unit = units[0]
    for step_ in unit.step_list[:2]:
        learner.post(unit.url + unit.reverse_subpage("step_viewed", args=[step_.id]))
    _, visitor_small = queries_of(path.url)
    _, learner_small = queries_of(path.url, using=learner)

    more = add_units(catalogue, levels, topics, episode, 3, 12)
    PathUnit.objects.bulk_create(
        PathUnit(path=path, unit=unit, sort_order=3 + number) for number, unit in enumerate(more)
    )

    response, visitor_large = queries_of(path.url)
    assert visitor_large == visitor_small
    assert len(response.context["unit_cards"]) == 15
    assert_card_pictures(response.content.decode(), 15)
    response, learner_large = queries_of(path.url, using=learner)
    assert learner_large == learner_small
    assert response.context["done_units"] == 1


def test_the_catalogue_shows_the_first_paths_and_links_to_all_of_them_paginated(
    catalogue, levels, topics, episode, queries_of
):
    """A centre with dozens of learning paths: the catalogue lists the first six (with their
    units' minutes and the learner's progress) and links to every path, paginated, under the
    same filters, in the same number of queries whatever the number of paths."""
    units = add_units(catalogue, levels, topics, episode, 0, 2)
    make_path(catalogue, units, title="Pfad 00", slug="pfad-00")
    learner = Client()
    for step_ in units[0].step_list[:2]:
        learner.post(units[0].url + units[0].reverse_subpage("step_viewed", args=[step_.id]))
    paths_url = catalogue.url + catalogue.reverse_subpage("paths")
    _, catalogue_small = queries_of(catalogue.url, using=learner)
    _, paths_small = queries_of(paths_url, using=learner)

    for number in range(1, PATHS_PER_PAGE + 3):
        make_path(catalogue, units[1:], title=f"Pfad {number:02d}", slug=f"pfad-{number:02d}")

    response, catalogue_large = queries_of(catalogue.url + "?page=1", using=learner)
    assert catalogue_large == catalogue_small
    cards = response.context["path_cards"]
    assert [card["page"].title for card in cards] == [f"Pfad {n:02d}" for n in range(6)]
    assert (cards[0]["unit_count"], cards[0]["done_units"]) == (2, 1)
    assert (cards[1]["unit_count"], cards[1]["done_units"]) == (1, 0)
    assert cards[0]["minutes"] == sum(unit.total_minutes for unit in units)
    html = response.content.decode()
    assert "1 von 2 Einheiten abgeschlossen" in html
    total = PATHS_PER_PAGE + 3
    assert f'<a href="{paths_url}">Alle {total} Lernpfade anzeigen</a>' in html  # page dropped

    response, paths_large = queries_of(paths_url, using=learner)
    assert paths_large == paths_small
    assert len(response.context["path_cards"]) == PATHS_PER_PAGE
    html = response.content.decode()
    assert 'href="?page=2" rel="next"' in html
    last = learner.get(paths_url + "?page=2")
    assert [c["page"].title for c in last.context["path_cards"]] == [
        f"Pfad {n:02d}" for n in range(PATHS_PER_PAGE, total)
    ]

    # The filters travel to the list of all paths, and apply there.
    filtered = learner.get(f"{catalogue.url}?duration=long&page=1")
    assert filtered.context["path_count"] == 0
    assert learner.get(f"{paths_url}?duration=long").context["path_cards"] == []


def test_cards_come_from_the_cache_and_a_published_change_shows_at_once(
    catalogue, levels, topics, episode, client
):
    """Unit and path cards are cached fragments (``cms.core.fragments``) keyed by what they
    show: once cached they cost no image query, and a published new title or teaser image,
    a renamed topic or an unpublished unit shows on the next request; a learner's progress
    is never cached for anyone else."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from lxml import html as lxml_html

    from cms.learning.models import LearningPathPage, LearningUnitPage

    unit, other = add_units(catalogue, levels, topics, episode, 0, 2)
    path = make_path(catalogue, [unit, other], title="Pfad", teaser_image=teaser())

    def cards(response):
        """Title → (image src, topics) of each card on the page."""
        found = {}
        for card in lxml_html.fromstring(response.content).xpath('//li[contains(@class, "card")]'):
            title = card.xpath("./h3/a")[0].text_content()
            topics_ = card.xpath('.//dt[text()="Themen"]/following-sibling::dd/text()')
            found[title] = (card.xpath("./img/@src")[0], topics_[0] if topics_ else "")
        return found

    before = cards(client.get(catalogue.url))
    with CaptureQueriesContext(connection) as queries:
        assert cards(client.get(catalogue.url)) == before
    assert not [q for q in queries if "customrendition" in q["sql"]]  # all cards cached

    unit = LearningUnitPage.objects.get(pk=unit.pk)
    unit.title = "Einheit mit neuem Titel"
    unit.save_revision().publish()
    path = LearningPathPage.objects.get(pk=path.pk)
    path.title = "Pfad mit neuem Titel"
    path.save_revision().publish()
    after = cards(client.get(catalogue.url))
    assert "Einheit 00" not in after and "Pfad" not in after
    assert after["Einheit mit neuem Titel"] == before["Einheit 00"]
    assert after["Einheit 01"] == before["Einheit 01"]
    assert "Pfad mit neuem Titel" in after

    unit.teaser_image = teaser()
    unit.save_revision().publish()
    new_src = unit.teaser_image.get_rendition("width-400").url
    after = cards(client.get(catalogue.url))
    assert after["Einheit mit neuem Titel"][0] == new_src != before["Einheit 00"][0]
    path_page = cards(client.get(path.url))
    assert set(path_page) == {"Einheit mit neuem Titel", "Einheit 01"}

    topics[0].name = "Soziale Medien"
    topics[0].save()
    renamed = cards(client.get(catalogue.url))["Einheit 01"][1]
    assert "Soziale Medien" in renamed and "Social Media" not in renamed

    learner = Client()
    learner.post(unit.url + unit.reverse_subpage("step_viewed", args=[unit.step_list[0].id]))
    assert "Ihr Lernstand" in learner.get(catalogue.url).content.decode()
    assert "Ihr Lernstand" not in client.get(catalogue.url).content.decode()

    unit.unpublish()
    assert set(cards(client.get(catalogue.url))) == {"Einheit 01", "Pfad mit neuem Titel"}


def test_the_catalogue_list_is_cached_and_follows_every_change_at_once(
    catalogue, levels, topics, episode, client
):
    """Which units and paths the catalogue lists under its filters, and in which order, is
    kept in the cache (a warm request counts nothing over the units): publishing,
    unpublishing, moving or deleting a unit or path, a maturity level's new order and a
    view restriction show on the very next request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import PageViewRestriction

    from cms.learning.models import LearningUnitPage

    social, ki = topics
    first, second = add_units(catalogue, levels, [social], episode, 0, 2)
    by_topic = f"{catalogue.url}?topic={social.slug}"
    by_profi = f"{catalogue.url}?level={levels[2].slug}"

    def listed(url):
        response = client.get(url)
        return card_titles(response), response.context["page_obj"].paginator.count

    def paths(url):
        response = client.get(url)
        return [card["page"].title for card in response.context["path_cards"]]

    assert listed(catalogue.url) == (["Einheit 00", "Einheit 01"], 2)
    assert listed(by_topic) == (["Einheit 00", "Einheit 01"], 2)
    assert listed(by_profi) == ([], 0)  # the units span Einstieg to Fortgeschritten
    assert paths(by_topic) == []
    with CaptureQueriesContext(connection) as queries:
        assert listed(by_topic) == (["Einheit 00", "Einheit 01"], 2)
    assert not [q for q in queries if q["sql"].startswith("SELECT COUNT(")]  # from the cache

    (third,) = add_units(catalogue, levels, [ki], episode, 2, 1)
    assert listed(catalogue.url) == (["Einheit 00", "Einheit 01", "Einheit 02"], 3)
    assert listed(by_topic) == (["Einheit 00", "Einheit 01"], 2)

    second = LearningUnitPage.objects.get(pk=second.pk)
    second.topics.set([ki])
    second.save_revision().publish()
    assert listed(by_topic) == (["Einheit 00"], 1)
    assert listed(f"{catalogue.url}?topic={ki.slug}") == (["Einheit 01", "Einheit 02"], 2)

    path = make_path(catalogue, [first], title="Pfad")
    assert paths(by_topic) == ["Pfad"]
    path.unpublish()
    assert paths(by_topic) == []

    profi = levels[2]
    profi.sort_order = 1  # now on a par with Fortgeschritten: within the units' span
    profi.save()
    assert listed(by_profi)[1] == 3

    third.move(catalogue, pos="first-child")
    assert listed(catalogue.url) == (["Einheit 02", "Einheit 00", "Einheit 01"], 3)

    alias = LearningUnitPage.objects.get(pk=first.pk).create_alias(update_slug="einheit-00-alias")
    assert listed(catalogue.url)[1] == 4  # an alias is live without being published
    alias.delete()

    PageViewRestriction.objects.create(
        page=first, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    assert listed(catalogue.url) == (["Einheit 02", "Einheit 01"], 2)

    LearningUnitPage.objects.get(pk=second.pk).unpublish()
    assert listed(catalogue.url) == (["Einheit 02"], 1)
    LearningUnitPage.objects.get(pk=third.pk).delete()
    assert listed(catalogue.url) == ([], 0)
