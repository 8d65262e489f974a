"""Catalogue filters (shareable GET links) and bounded query counts."""

import pytest
from django.test import Client

from .factories import make_path, make_unit, quiz, reflection, step, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def podcast_step(home_pages):
    from tests.cms.factories import PodcastEpisodePageFactory, PodcastShowPageFactory

    home, _english = home_pages
    show = PodcastShowPageFactory(parent=home, slug="podcast")
    episode = PodcastEpisodePageFactory(parent=show, slug="folge")
    return lambda: step(
        "Hören",
        [
            {
                "type": "podcast_episode",
                "id": "7d0e0a3c-1f7e-4a47-9b0a-3a9f3c1e2d01",
                "value": {"episode": episode.pk, "intro": ""},
            }
        ],
    )  # noqa: E501


@pytest.fixture
def offers(catalogue, levels, topics, podcast_step):
    einstieg, fortgeschritten, profi = levels
    social, ki = topics
    short = make_unit(
        catalogue, [step("A", minutes=10)], level_min=einstieg, topics=[social],
        title="Social Media: erster Schritt", slug="social",
    )  # fmt: skip
    audio = make_unit(
        catalogue, [podcast_step(), step("B", minutes=25)], level_min=fortgeschritten,
        level_max=profi, topics=[ki], title="KI im Kundenservice", slug="ki",
    )  # fmt: skip
    long_ = make_unit(
        catalogue, [step("C", minutes=60)], level_min=profi, topics=[social, ki],
        title="Strategie für Profis", slug="profis",
    )  # fmt: skip
    path = make_path(catalogue, [short, audio], title="Digital starten")
    return {"short": short, "audio": audio, "long": long_, "path": path}


def titles(response):
    return [card["page"].title for card in response.context["unit_cards"]]


def path_titles(response):
    return [card["page"].title for card in response.context["path_cards"]]


def test_without_filters_everything_is_listed(client, catalogue, offers):
    response = client.get(catalogue.url)
    assert titles(response) == [
        "Social Media: erster Schritt",
        "KI im Kundenservice",
        "Strategie für Profis",
    ]  # noqa: E501
    assert path_titles(response) == ["Digital starten"]
    assert response.context["path_cards"][0]["minutes"] == 40  # 10 + (5 podcast + 25)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=social-media", ["Social Media: erster Schritt", "Strategie für Profis"]),
        ("level=fortgeschritten", ["KI im Kundenservice"]),
        ("level=profi", ["KI im Kundenservice", "Strategie für Profis"]),
        ("format=audio", ["KI im Kundenservice"]),
        ("format=video", []),
        ("duration=short", ["Social Media: erster Schritt"]),
        ("duration=long", ["Strategie für Profis"]),
        ("topic=ki&level=profi&duration=medium", ["KI im Kundenservice"]),
    ],
)
def test_filters_narrow_the_list(client, catalogue, offers, query, expected):
    assert titles(client.get(f"{catalogue.url}?{query}")) == expected


def test_paths_follow_the_filters_of_their_units(client, catalogue, offers):
    assert path_titles(client.get(f"{catalogue.url}?topic=ki")) == ["Digital starten"]
    assert path_titles(client.get(f"{catalogue.url}?level=profi&topic=social-media")) == []


def test_unknown_filter_values_are_ignored_with_a_message(client, catalogue, offers):
    response = client.get(f"{catalogue.url}?level=gibt-es-nicht&duration=ewig")
    assert response.status_code == 200
    assert len(titles(response)) == 3
    assert 'role="alert"' in response.content.decode()


def test_cards_show_the_returning_learners_progress(client, catalogue, offers):
    unit = offers["short"]
    client.post(unit.url + unit.reverse_subpage("step_viewed", args=[unit.step_list[0].id]))
    response = client.get(catalogue.url)
    card = next(c for c in response.context["unit_cards"] if c["page"].pk == unit.pk)
    assert card["status"].completed
    other = next(c for c in response.context["unit_cards"] if c["page"].pk != unit.pk)
    assert not other["status"].started
    # Somebody else sees no progress.
    fresh = Client().get(catalogue.url)
    assert not any(c["status"].started for c in fresh.context["unit_cards"])


def add_units(catalogue, levels, topics, count, start):
    for number in range(start, start + count):
        make_unit(
            catalogue,
            [step(f"S{i}", [text(), quiz(), reflection()]) for i in range(3)],
            level_min=levels[0],
            topics=topics,
            title=f"Einheit {number}",
            slug=f"einheit-{number}",
        )


def test_catalogue_queries_do_not_grow_with_units_or_paths(
    client, catalogue, levels, topics, django_assert_max_num_queries
):
    add_units(catalogue, levels, topics, 2, 0)
    make_path(catalogue, list(catalogue.get_units()), title="Pfad")
    unit = catalogue.get_units().first().specific
    client.get(unit.step_url(unit.step_list[0].id))  # a returning learner
    with django_assert_max_num_queries(70) as first:  # the list of units and paths is made
        client.get(catalogue.url)
    with django_assert_max_num_queries(60) as few:  # and then comes from the cache
        client.get(catalogue.url)
    add_units(catalogue, levels, topics, 8, 2)
    units = list(catalogue.get_units().specific())
    for number in range(3):
        make_path(catalogue, units[number:], title=f"Pfad {number}", slug=f"pfad-{number}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(catalogue.url)  # made again: units and paths were published
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(catalogue.url)
    assert len(response.context["unit_cards"]) == 10
    assert len(response.context["path_cards"]) == 4


def test_unit_pages_queries_do_not_grow_with_steps(
    client, catalogue, levels, topics, django_assert_max_num_queries
):
    small = make_unit(
        catalogue,
        [step(f"S{i}") for i in range(2)],
        level_min=levels[0],
        topics=topics,
        slug="klein",
    )  # noqa: E501
    big = make_unit(
        catalogue,
        [step(f"S{i}") for i in range(20)],
        level_min=levels[0],
        topics=topics,
        slug="gross",
    )  # noqa: E501
    for unit in (small, big):
        client.get(unit.step_url(unit.step_list[0].id))
    with django_assert_max_num_queries(120) as few:
        client.get(small.url)
        client.get(small.step_url(small.step_list[1].id))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(big.url)
        client.get(big.step_url(big.step_list[1].id))
