"""The demo learning offers: two German units with every step type, a path with both."""

import pytest
from django.apps import apps

from cms.learning.models import LearningCatalogPage, LearningPathPage, LearningUnitPage

pytestmark = pytest.mark.django_db

STEP_TYPES = {
    "text", "podcast_episode", "image", "document", "checklist", "practice_example",
    "reflection", "quiz",
}  # fmt: skip


def test_demo_has_two_german_units_with_every_step_type_and_a_path(demo_site, client):
    german = LearningUnitPage.objects.filter(locale__language_code="de").order_by("title")
    assert [(u.title, u.level_min.name) for u in german] == [
        ("KI im Kundenservice ausprobieren", "Fortgeschritten"),
        ("Social Media für den Betrieb: der erste Schritt", "Einstieg"),
    ]
    for unit in german:
        used = {block.block_type for step in unit.step_list for block in step.content}
        assert used >= STEP_TYPES
        if apps.is_installed("cms.videos"):
            from cms.videos.models import ExplainerVideoPage

            if ExplainerVideoPage.objects.live().filter(locale=unit.locale).exists():
                assert "video" in used
    path = LearningPathPage.objects.get(locale__language_code="de")
    assert {u.pk for u in path.get_units()} == {u.pk for u in german}
    catalogue = LearningCatalogPage.objects.get(locale__language_code="de")
    assert catalogue.show_in_menus
    home_html = client.get(demo_site.url).content.decode()
    assert catalogue.url in home_html  # main navigation and the home page's offers
    for page in [catalogue, path, *german]:
        assert client.get(page.url).status_code == 200
    for unit in german:
        for step in unit.step_list:
            response = client.get(unit.step_url(step.id))
            assert response.status_code == 200
            html = response.content.decode()
            kinds = {block.block_type for block in step.content}
            if "podcast_episode" in kinds:
                assert "data-player" in html  # the episode player (or its processing notice)
            if "video" in kinds:
                assert "Erklärvideo:" in html
    english = LearningPathPage.objects.get(locale__language_code="en")
    assert all(u.locale.language_code == "en" for u in english.get_units())
