import pytest
from django.db import IntegrityError
from django.utils import translation
from wagtail.models import Locale

from cms.taxonomy.models import MaturityLevel
from tests.cms.factories import MaturityLevelFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_maturity_levels_are_listed_in_editor_order():
    MaturityLevelFactory(name="Vertiefung", slug="vertiefung", sort_order=2)
    MaturityLevelFactory(name="Einstieg", slug="einstieg", sort_order=0)
    MaturityLevelFactory(name="Fortgeschritten", slug="fortgeschritten", sort_order=1)
    assert [level.name for level in MaturityLevel.objects.all()] == [
        "Einstieg",
        "Fortgeschritten",
        "Vertiefung",
    ]


def test_topic_slug_is_unique_per_language():
    TopicFactory(slug="it-sicherheit")
    with pytest.raises(IntegrityError):
        TopicFactory(slug="it-sicherheit")


def test_topic_shows_its_translation_in_the_active_language():
    topic = TopicFactory(name="IT-Sicherheit", slug="it-sicherheit")
    english = topic.copy_for_translation(Locale.objects.get_or_create(language_code="en")[0])
    english.name = "IT security"
    english.save()
    with translation.override("en"):
        assert topic.localized.name == "IT security"
    with translation.override("de"):
        assert topic.localized.name == "IT-Sicherheit"
