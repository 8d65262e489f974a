"""Editors choose topics, levels, people and key terms of the page's own language."""

import re

from django.urls import reverse
from wagtail.models import Locale

from tests.cms.factories import (
    MaturityLevelFactory,
    PersonFactory,
    PodcastShowPageFactory,
    TopicFactory,
)
from tests.cms.learning.factories import make_catalogue, make_unit, step

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}


def translated(factory, german_fields, english_fields):
    german_locale = Locale.objects.get(language_code="de")
    english_locale = Locale.objects.get(language_code="en")
    german = factory(locale=german_locale, **german_fields)
    english = factory(
        locale=english_locale, translation_key=german.translation_key, **english_fields
    )
    return german, english


def edit_page(admin_client, page) -> str:
    return admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)), **GERMAN).text


def options(html, name) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_a_german_unit_offers_german_topics_people_and_levels(admin_client, home_pages):
    home, _english = home_pages
    german_topic, _ = translated(
        TopicFactory, {"name": "Künstliche Intelligenz"}, {"name": "Artificial intelligence"}
    )
    translated(PersonFactory, {"name": "Dr. Miriam Keller"}, {"name": "Dr. Miriam Keller"})
    level, _ = translated(MaturityLevelFactory, {"name": "Einstieg"}, {"name": "Getting started"})
    unit = make_unit(make_catalogue(home), [step("Eins")], level_min=level, topics=[german_topic])

    html = edit_page(admin_client, unit)

    assert options(html, "topics") == ["Künstliche Intelligenz"]
    assert options(html, "authors") == ["Dr. Miriam Keller"]
    assert re.search(
        r'"modalUrl": "/admin/snippets/choose/taxonomy/maturitylevel/\?locale=de"', html
    )


def test_an_old_choice_of_the_other_language_is_kept(admin_client, home_pages):
    home, _english = home_pages
    level = MaturityLevelFactory(locale=Locale.objects.get(language_code="de"))
    _, english_topic = translated(
        TopicFactory, {"name": "Künstliche Intelligenz"}, {"name": "Artificial intelligence"}
    )
    unit = make_unit(make_catalogue(home), [step("Eins")], level_min=level, topics=[english_topic])

    html = edit_page(admin_client, unit)

    assert sorted(options(html, "topics")) == ["Artificial intelligence", "Künstliche Intelligenz"]


def test_new_host_rows_choose_from_the_shows_language(admin_client, home_pages):
    home, _english = home_pages
    show = PodcastShowPageFactory(parent=home, locale=home.locale)

    html = edit_page(admin_client, show)

    # Rows added in the browser are made from the formset's empty form (a <template>).
    assert "/admin/snippets/choose/people/person/?locale=de" in html.replace("&quot;", '"')
    assert '/admin/snippets/choose/people/person/"' not in html.replace("&quot;", '"')
