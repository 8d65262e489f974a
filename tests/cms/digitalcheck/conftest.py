import pytest

from tests.cms.factories import TopicFactory
from tests.cms.learning.factories import make_catalogue, make_path, make_unit, step

from .factories import dimension, make_check, topic_pair


@pytest.fixture
def topics(db):
    return [
        TopicFactory(name="Online-Marketing", slug="online-marketing"),
        TopicFactory(name="IT-Sicherheit", slug="it-sicherheit"),
        TopicFactory(name="Künstliche Intelligenz", slug="ki"),
    ]


@pytest.fixture
def check_page(home_pages, topics):
    """Two dimensions (2 and 1 questions) and three topic pairs."""
    home, _english = home_pages
    return make_check(
        home,
        [
            dimension(
                "Digitale Geschäftsstrategie", ["Wir haben einen Plan.", "Wir haben Budget."]
            ),
            dimension("Automatisierung und KI", ["Abläufe sind automatisiert."]),
        ],
        [topic_pair(topic) for topic in topics],
    )


@pytest.fixture
def catalogue(home_pages):
    home, _english = home_pages
    return make_catalogue(home)


@pytest.fixture
def units(catalogue, levels, topics):
    """Marketing units at each level, one security unit for beginners, one AI unit for
    advanced learners and up; plus a path of the two beginner units."""
    marketing, security, ai = topics
    beginner, advanced, expert = levels
    made = {
        "marketing_start": make_unit(catalogue, [step()], beginner, topics=[marketing],
                                     title="Marketing: Einstieg", slug="m1"),
        "marketing_next": make_unit(catalogue, [step()], advanced, topics=[marketing],
                                    title="Marketing: weiter", slug="m2"),
        "security_start": make_unit(catalogue, [step()], beginner, topics=[security],
                                    title="Sicherheit: Einstieg", slug="s1"),
        "ai_pro": make_unit(catalogue, [step()], advanced, expert, topics=[ai],
                            title="KI für Fortgeschrittene", slug="k1"),
    }  # fmt: skip
    made["start_path"] = make_path(
        catalogue, [made["marketing_start"], made["security_start"]], title="Digital starten"
    )
    return made
