"""The Digital-Check in Chromium: keyboard only from start to recommendations, into a
recommended unit; axe on the check and result pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.cms.digitalcheck.factories import dimension, make_check, topic_pair
from tests.cms.factories import MaturityLevelFactory, TopicFactory
from tests.cms.learning.factories import make_catalogue, make_unit, step, text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def check(home_pages, live_server, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    home, _english = home_pages
    beginner = MaturityLevelFactory(name="Einstieg", slug="einstieg", sort_order=0)
    advanced = MaturityLevelFactory(name="Fortgeschritten", slug="fortgeschritten", sort_order=1)
    marketing = TopicFactory(name="Online-Marketing", slug="online-marketing")
    catalogue = make_catalogue(home, show_in_menus=True)
    unit = make_unit(
        catalogue,
        [step("Worum es geht", [text("<p>Sichtbar werden.</p>")])],
        level_min=beginner,
        topics=[marketing],
        title="Sichtbar werden: der erste Schritt",
        slug="sichtbar-werden",
    )
    make_unit(catalogue, [step()], level_min=advanced, topics=[marketing],
              title="Marketing für Fortgeschrittene", slug="marketing-weiter")  # fmt: skip
    page = make_check(
        home,
        [
            dimension("Digitale Geschäftsstrategie", ["Wir haben einen Plan."]),
            dimension("Automatisierung und KI", ["Abläufe sind automatisiert."]),
        ],
        [topic_pair(marketing)],
        show_in_menus=True,
    )
    return {"page": page, "unit": unit}


def tab_to(page, locator, limit=80):
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"could not reach {locator} with the Tab key")


def choose(page, group_name, steps_right):
    """Tab into a radio group, select the first option with Space, then move with arrows."""
    tab_to(page, page.locator(f'input[name="{group_name}"]').first)
    page.keyboard.press("Space")
    for _ in range(steps_right):
        page.keyboard.press("ArrowRight")


def test_keyboard_only_check_recommends_a_unit_that_can_be_started(page, check, assert_accessible):
    check_page, unit = check["page"], check["unit"]
    page.goto(check_page.url)
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Digital-Check starten"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Über Ihren Betrieb")
    tab_to(page, page.get_by_label("Branche"))
    page.keyboard.press("ArrowDown")  # first real choice in the select
    tab_to(page, page.get_by_role("button", name="Weiter", exact=True))
    page.keyboard.press("Enter")

    # Submitting a step unanswered announces the error and keeps the user on the step.
    expect(page.get_by_role("heading", level=1)).to_have_text("Digitale Geschäftsstrategie")
    tab_to(page, page.get_by_role("button", name="Weiter", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Wir haben einen Plan.")
    assert_accessible(page)

    for title in ("Digitale Geschäftsstrategie", "Automatisierung und KI"):
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        name = page.locator('input[name^="q-"]').first.get_attribute("name")
        choose(page, name, 3)  # 0 → 3
        expect(page.locator(f'input[name="{name}"][value="3"]')).to_be_checked()
        tab_to(page, page.get_by_role("button", name="Weiter", exact=True))
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Themen: Bedeutung und Umsetzung")
    assert_accessible(page)
    implementation = page.locator('input[name^="impl-"]').first.get_attribute("name")
    relevance = page.locator('input[name^="rel-"]').first.get_attribute("name")
    choose(page, implementation, 0)  # "trifft nicht zu"
    choose(page, relevance, 4)  # "trifft voll zu"
    tab_to(page, page.get_by_role("button", name="Mein Ergebnis anzeigen"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Ergebnis")
    # Both dimensions 3 of 5 → 60; overall 60.
    expect(page.locator(".check-score")).to_contain_text(re.compile(r"60(,0)? von 100"))
    expect(page.get_by_role("img", name=re.compile("Werte je Dimension"))).to_be_visible()
    recommendations = page.get_by_role("region", name="Für Sie empfohlen")
    link = recommendations.get_by_role("link", name=unit.title)
    expect(link).to_be_visible()
    expect(
        recommendations.get_by_role("link", name="Marketing für Fortgeschrittene")
    ).to_have_count(0)
    assert_accessible(page)

    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(unit.title)
    start = page.get_by_role("link", name=re.compile("Mit dem ersten Schritt beginnen"))
    tab_to(page, start)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Worum es geht")


def test_pause_and_continue_in_the_browser(page, check):
    check_page = check["page"]
    page.goto(check_page.url)
    page.get_by_role("button", name="Digital-Check starten").click()
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.get_by_role("radio", name=re.compile("^3 – ")).check()
    page.get_by_role("button", name="Speichern und später weitermachen").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Antworten sind gespeichert")
    page.get_by_role("button", name="Weiter, wo ich aufgehört habe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Digitale Geschäftsstrategie")
    expect(page.get_by_role("radio", name=re.compile("^3 – "))).to_be_checked()


def test_signed_in_learner_creates_a_certificate_and_anyone_can_verify_it(
    page, check, assert_accessible
):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cms.learning.models import Learner, UnitProgress

    unit = check["unit"]
    user = get_user_model().objects.create_user("lea@example.org", "lea@example.org", "Geh-123!")
    now = timezone.now()
    UnitProgress.objects.create(
        learner=Learner.objects.create(user=user),
        unit=unit,
        started_at=now,
        last_visited_at=now,
        completed_at=now,
    )
    catalogue = unit.get_parent().specific
    page.goto(catalogue.url + "login/?next=/de/certificates/")
    page.get_by_label("E-Mail-Adresse").fill("lea@example.org")
    page.get_by_label("Passwort").fill("Geh-123!")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Teilnahmebestätigungen")
    assert_accessible(page)
    page.get_by_label("Ihr Name, wie er auf der Bestätigung stehen soll").fill("Lea Muster")
    page.get_by_role("button", name=re.compile("Bestätigung erstellen")).click()
    expect(page.get_by_role("status")).to_contain_text("fertig")
    verify = page.get_by_role("link", name=re.compile("Prüfseite"))
    href = verify.get_attribute("href")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("PDF herunterladen")).click()
    assert download.value.suggested_filename == "teilnahmebestaetigung.pdf"

    page.context.clear_cookies()
    page.goto(href)
    expect(page.get_by_role("status")).to_contain_text("echt")
    expect(page.get_by_text("Lea Muster")).to_be_visible()
    assert_accessible(page)
