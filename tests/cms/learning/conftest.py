import pytest

from tests.cms.factories import TopicFactory

from .factories import checklist, make_catalogue, make_unit, quiz, reflection, step, text


@pytest.fixture
def topics(db):
    return [
        TopicFactory(name="Social Media", slug="social-media"),
        TopicFactory(name="Künstliche Intelligenz", slug="ki"),
    ]


@pytest.fixture
def catalogue(home_pages):
    home, _english = home_pages
    return make_catalogue(home)


@pytest.fixture
def unit(catalogue, levels, topics):
    """Four steps: viewed, marked done (checklist + reflection), quiz passed, time spent."""
    return make_unit(
        catalogue,
        [
            step("Worum es geht", [text("<p>Social Media im Betrieb.</p>")]),
            step("Ihre Checkliste", [checklist(), reflection()], completion="marked_done"),
            step("Wissen prüfen", [quiz()], completion="quiz_passed"),
            step("Vertiefen", [text()], completion="time_spent", seconds=60),
        ],
        level_min=levels[0],
        topics=[topics[0]],
    )
