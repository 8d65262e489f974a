"""Page rules, and the unit, step, path and catalogue pages as a visitor sees them."""

import pytest

from cms.core.models import HomePage, StandardPage
from cms.learning.models import LearningCatalogPage, LearningPathPage, LearningUnitPage
from cms.podcasts.models import PodcastShowPage

from .factories import make_path

pytestmark = pytest.mark.django_db


def allowed_parents(model):
    return set(model.allowed_parent_page_models())


def test_catalogue_lives_under_the_home_page_only():
    assert allowed_parents(LearningCatalogPage) == {HomePage}
    assert LearningCatalogPage.can_create_at(HomePage()) is True
    assert set(LearningCatalogPage.allowed_subpage_models()) == {
        LearningUnitPage,
        LearningPathPage,
    }


def test_units_and_paths_live_in_the_catalogue_and_have_no_children():
    for model in (LearningUnitPage, LearningPathPage):
        assert allowed_parents(model) == {LearningCatalogPage}
        assert model.allowed_subpage_models() == []
        assert not model.can_create_at(HomePage())
        assert not model.can_create_at(StandardPage())
        assert not model.can_create_at(PodcastShowPage())


def test_only_one_catalogue_per_home_page(catalogue):
    home = catalogue.get_parent().specific
    assert not LearningCatalogPage.can_create_at(home)


def test_unit_duration_adds_up_steps_unless_the_editor_sets_it(unit):
    assert unit.total_minutes == 20
    unit.estimated_minutes = 30
    unit.save()
    assert unit.total_minutes == 30


def test_unit_formats_follow_its_content(unit):
    assert unit.format_list == ["text"]


def test_path_rolls_up_the_duration_of_its_units(catalogue, unit):
    path = make_path(catalogue, [unit])
    assert path.total_minutes == unit.total_minutes


def test_unit_overview_lists_steps_and_offers_to_start(client, unit):
    response = client.get(unit.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Worum es geht" in html and "Wissen prüfen" in html
    first = unit.step_list[0]
    assert unit.step_url(first.id) in html


def test_step_page_renders_every_interactive_block(client, unit):
    response = client.get(unit.step_url(unit.step_list[1].id))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ziel festlegen" in html
    assert "Was nehmen Sie mit?" in html
    response = client.get(unit.step_url(unit.step_list[2].id))
    assert "Welcher Kanal passt zu Fachkräften?" in response.content.decode()


def test_unknown_step_is_a_404(client, unit):
    response = client.get(unit.url + "step/00000000-0000-4000-8000-000000000000/")
    assert response.status_code == 404


def test_path_page_lists_its_units_in_order(client, catalogue, unit):
    path = make_path(catalogue, [unit])
    response = client.get(path.url)
    assert response.status_code == 200
    assert unit.title in response.content.decode()


def test_editors_can_open_the_admin_forms(client, catalogue, unit):
    from django.contrib.auth import get_user_model

    from .factories import make_path

    path = make_path(catalogue, [unit])
    admin = get_user_model().objects.create_superuser("redaktion", "r@example.org", "pw")
    client.force_login(admin)
    for url in (
        f"/admin/pages/{unit.pk}/edit/",
        f"/admin/pages/{path.pk}/edit/",
        f"/admin/pages/{catalogue.pk}/edit/",
        f"/admin/pages/add/learning/learningunitpage/{catalogue.pk}/",
        f"/admin/pages/{catalogue.pk}/",  # the listing with the "Learning report" button
    ):
        assert client.get(url).status_code == 200, url
    listing = client.get(f"/admin/pages/{catalogue.pk}/").content.decode()
    assert f"/admin/learning/reports/{unit.pk}/" in listing


def test_step_rules_are_validated_for_editors():
    from django.core.exceptions import ValidationError

    from cms.learning.blocks import QuestionBlock, StepBlock

    from .factories import question, step

    block = StepBlock()
    no_quiz = step("Quiz fehlt", completion="quiz_passed")["value"]
    with pytest.raises(ValidationError):
        block.clean(block.to_python(no_quiz))
    no_time = step("Zeit fehlt", completion="time_spent")["value"]
    with pytest.raises(ValidationError):
        block.clean(block.to_python(no_time))
    two_right = question("?", [("A", True, ""), ("B", True, "")], kind="single")
    with pytest.raises(ValidationError):
        QuestionBlock().clean(QuestionBlock().to_python(two_right))
    none_right = question("?", [("A", False, ""), ("B", False, "")], kind="multiple")
    with pytest.raises(ValidationError):
        QuestionBlock().clean(QuestionBlock().to_python(none_right))


def test_level_range_must_not_be_upside_down(unit, levels):
    from django.core.exceptions import ValidationError

    unit.level_min, unit.level_max = levels[2], levels[0]
    with pytest.raises(ValidationError):
        unit.full_clean()


def test_a_timed_step_says_how_long_it_takes(client, unit):
    html = client.get(unit.step_url(unit.step_list[3].id), HTTP_ACCEPT_LANGUAGE="de").text

    assert "Dieser Schritt gilt nach 1 Minute als erledigt." in " ".join(html.split())


def test_durations_in_words():
    from django.utils import translation

    from cms.learning.templatetags.learning_tags import duration_in_words

    with translation.override("de"):
        assert duration_in_words(90) == "1 Minute 30 Sekunden"
        assert duration_in_words(120) == "2 Minuten"
        assert duration_in_words(45) == "45 Sekunden"
    with translation.override("en"):
        assert duration_in_words(61) == "1 minute 1 second"
