"""Self-learning units in Chromium: an anonymous learner works through a unit with mouse and
with keyboard only, answers a quiz wrongly then rightly, leaves, and resumes; axe checks."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from cms.learning.models import PathUnit
from tests.cms.factories import MaturityLevelFactory, TopicFactory
from tests.cms.learning.factories import (
    checklist,
    make_catalogue,
    make_path,
    make_unit,
    quiz,
    reflection,
    step,
    text,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def learning(home_pages, live_server, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    home, english_home = home_pages
    level = MaturityLevelFactory(name="Einstieg", slug="einstieg")
    topic = TopicFactory(name="Social Media", slug="social-media")
    catalogue = make_catalogue(home, show_in_menus=True)
    unit = make_unit(
        catalogue,
        [
            step("Worum es geht", [text("<p>Social Media im Betrieb.</p>")]),
            step("Ihre Checkliste", [checklist(), reflection()], completion="marked_done"),
            step("Wissen prüfen", [quiz()], completion="quiz_passed"),
            step("Zum Schluss", [text("<p>Geschafft.</p>")]),
        ],
        level_min=level,
        topics=[topic],
        slug="social-media",
    )
    path = make_path(catalogue, [unit], slug="digital-starten")
    english = Locale.objects.get(language_code="en")
    pages = {"de": {"catalogue": catalogue, "unit": unit, "path": path}}
    en_catalogue = catalogue.copy_for_translation(english)
    en_catalogue.title = "Learning offers"
    en_catalogue.save_revision().publish()
    en_unit = unit.copy_for_translation(english)
    en_unit.title = "Social media for your business"
    en_unit.save_revision().publish()
    en_path = path.copy_for_translation(english)
    en_path.title = "Getting started"
    en_path.path_units = [PathUnit(unit=en_unit)]
    en_path.save_revision().publish()
    pages["en"] = {"catalogue": en_catalogue, "unit": en_unit, "path": en_path}
    return pages


def quiz_answers(unit):
    question = next(iter(unit.step_list[2].quizzes.values())).questions[0]
    right = next(o for o in question.options if o.correct)
    wrong = next(o for o in question.options if not o.correct)
    return right, wrong


def test_learner_completes_steps_answers_quiz_and_resumes(page, learning):
    unit = learning["de"]["unit"]
    page.goto(unit.url)
    page.get_by_role("link", name="Mit dem ersten Schritt beginnen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Worum es geht")
    page.get_by_role("link", name=re.compile("Weiter: Ihre Checkliste")).click()

    page.get_by_label("Ziel festlegen").check()
    expect(page.get_by_role("status").filter(has_text="Gespeichert")).to_be_visible()
    page.get_by_label("Was nehmen Sie mit?").fill("Einen Kanal pflegen")
    page.get_by_role("button", name="Antwort speichern").click()
    expect(page.get_by_label("Was nehmen Sie mit?")).to_have_value("Einen Kanal pflegen")
    expect(page.get_by_label("Ziel festlegen")).to_be_checked()  # saved through the API
    page.get_by_role("button", name="Diesen Schritt als erledigt markieren").click()
    expect(page.get_by_text("Dieser Schritt ist erledigt.")).to_be_visible()

    page.get_by_role("link", name=re.compile("Weiter: Wissen prüfen")).click()
    page.get_by_label("TikTok-Tänze").check()
    page.get_by_role("button", name="Antworten prüfen").click()
    expect(page.get_by_text("Eher nicht für Fachkräfte.")).to_be_visible()
    expect(page.get_by_text("Nicht ganz.")).to_be_visible()
    page.get_by_label("LinkedIn").check()
    page.get_by_role("button", name="Antworten erneut prüfen").click()
    expect(page.get_by_text("Genau: dort sind Fachkräfte.")).to_be_visible()
    expect(page.get_by_text("Weil es so ist.")).to_be_visible()  # the explanation
    expect(page.locator("[data-quiz-result]")).to_contain_text("Bestanden")

    page.goto("/de/")  # leave …
    page.goto(learning["de"]["catalogue"].url)  # … and come back later
    resume = page.get_by_role("link", name=re.compile("weiter mit „Wissen prüfen“"))
    resume.click()
    expect(page).to_have_url(re.compile(unit.step_list[2].id))
    expect(page.locator("[data-quiz-result]")).to_contain_text("Bestanden")
    page.goto(unit.url)
    expect(page.get_by_role("link", name="Weiter mit „Wissen prüfen“")).to_be_visible()
    page.goto(learning["de"]["catalogue"].url + "my-progress/")
    expect(page.get_by_role("main")).to_contain_text(unit.title)


def tab_to(page, locator, limit=80):
    """Press Tab until ``locator`` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"could not reach {locator} with the Tab key")


def test_keyboard_only_learner(page, learning):
    unit = learning["de"]["unit"]
    page.goto(unit.url)
    tab_to(page, page.get_by_role("link", name="Mit dem ersten Schritt beginnen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Worum es geht")
    tab_to(page, page.get_by_role("link", name=re.compile("Weiter: Ihre Checkliste")))
    page.keyboard.press("Enter")

    tab_to(page, page.get_by_label("Ziel festlegen"))
    page.keyboard.press("Space")
    expect(page.get_by_label("Ziel festlegen")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Diesen Schritt als erledigt markieren"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Dieser Schritt ist erledigt.")).to_be_visible()
    tab_to(page, page.get_by_role("link", name=re.compile("Weiter: Wissen prüfen")))
    page.keyboard.press("Enter")

    right, wrong = quiz_answers(unit)
    options = {o.text: page.get_by_label(o.text) for o in (right, wrong)}
    tab_to(page, page.locator("input[type=radio]").first)
    page.keyboard.press("Space")  # the first option: the wrong one
    expect(options[wrong.text]).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Antworten prüfen"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Eher nicht für Fachkräfte.")).to_be_visible()
    tab_to(page, options[wrong.text])  # the chosen radio is the group's tab stop
    page.keyboard.press("ArrowDown")
    expect(options[right.text]).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Antworten erneut prüfen"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Genau: dort sind Fachkräfte.")).to_be_visible()

    page.goto(learning["de"]["catalogue"].url)
    tab_to(page, page.get_by_role("link", name=re.compile("weiter mit „Wissen prüfen“")))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(unit.step_list[2].id))


@pytest.mark.embedded_only  # axe on rendered pages
@pytest.mark.parametrize("language", ["de", "en"])
def test_learning_pages_are_accessible(page, learning, assert_accessible, language):
    pages = learning[language]
    unit = pages["unit"]
    # A returning learner, so progress, resume and feedback are part of what is checked.
    page.goto(unit.step_url(unit.step_list[0].id))
    page.goto(unit.step_url(unit.step_list[2].id))
    page.locator("input[type=radio]").first.check()
    page.locator(".quiz button[type=submit]").click()
    expect(page.locator("[data-question-feedback]")).to_be_visible()
    assert_accessible(page)
    for url in (
        pages["catalogue"].url,
        pages["catalogue"].url + "?level=einstieg",
        unit.url,
        unit.step_url(unit.step_list[1].id),
        pages["path"].url,
        pages["catalogue"].url + "paths/",
        pages["catalogue"].url + "my-progress/",
        pages["catalogue"].url + "my-data/",
        pages["catalogue"].url + "login/",
        pages["catalogue"].url + "signup/",
    ):
        page.goto(url)
        expect(page.get_by_role("main")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page)


def test_everything_works_with_javascript_off(browser, live_server, learning):
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        unit = learning["de"]["unit"]
        page.goto(unit.step_url(unit.step_list[1].id))
        page.get_by_label("Kanal wählen").check()
        page.get_by_role("button", name="Checkliste speichern").click()
        expect(page.get_by_text("Checkliste gespeichert.")).to_be_visible()
        expect(page.get_by_label("Kanal wählen")).to_be_checked()
        page.get_by_role("button", name="Diesen Schritt als erledigt markieren").click()
        expect(page.get_by_text("Dieser Schritt ist erledigt.")).to_be_visible()
        page.get_by_role("link", name=re.compile("Weiter: Wissen prüfen")).click()
        page.get_by_label("LinkedIn").check()
        page.get_by_role("button", name="Antworten prüfen").click()
        expect(page.get_by_text("Genau: dort sind Fachkräfte.")).to_be_visible()
        page.goto(learning["de"]["catalogue"].url + "my-progress/")
        expect(page.get_by_role("main")).to_contain_text("2 von 4 Schritten erledigt")
    finally:
        context.close()


def test_project_ended_banner_and_notes_are_accessible(page, learning, assert_accessible):
    """“Project ended” mode: the banner in both languages and the read-only step and
    sign-up pages pass axe; the checklist can no longer be ticked."""
    from wagtail.models import Site

    from cms.core.models import SiteSettings

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.project_ended_on = "2026-02-28"
    settings.save()
    for language, heading in (
        ("de", "Das Projekt wurde am 28. Februar 2026 beendet."),
        ("en", "The project ended on Feb. 28, 2026."),
    ):
        pages = learning[language]
        unit = pages["unit"]
        for url in (unit.step_url(unit.step_list[1].id), pages["catalogue"].url + "signup/"):
            page.goto(url)
            banner = page.get_by_role("status").filter(has=page.get_by_role("heading"))
            expect(banner.get_by_role("heading", name=heading)).to_be_visible()
            expect(page.locator("html")).to_have_attribute("lang", language)
            assert_accessible(page)
    page.goto(learning["de"]["unit"].step_url(learning["de"]["unit"].step_list[1].id))
    expect(page.locator(".checklist input[type=checkbox]").first).to_be_disabled()
