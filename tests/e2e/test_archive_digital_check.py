"""The Digital-Check in the static archive, served by a plain static server: answered with
the keyboard, scored in the browser, it shows the live site's result — scores, maturity
level, topics and recommendations — for the same answers; and the browser's scoring of the
exported definition is the server's for every combination of answers."""

import copy
import random

import pytest
from playwright.sync_api import expect

from cms.archive.export import export_static_site
from cms.archive.verify import serve_archive
from cms.digitalcheck.definition import check_definition, evaluate
from tests.cms.learning.test_project_ended import end_project
from tests.e2e.test_digital_check import check, choose, tab_to  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db(transaction=True)

REGIONS = ("Gesamtwert", "Werte je Dimension", "Themen: Reifegrad und Potenzial")


def words(text: str) -> str:
    return " ".join(text.split())


def shown_result(page) -> dict:
    """The result as a visitor reads it, section by section."""
    shown = {name: words(page.get_by_role("region", name=name).inner_text()) for name in REGIONS}
    recommended = page.get_by_role("region", name="Für Sie empfohlen")
    shown["recommended"] = words(recommended.inner_text())
    shown["links"] = recommended.get_by_role("link").all_inner_texts()
    return shown


def answer_live(page, check_page, answers):
    page.goto(check_page.url)
    page.get_by_role("button", name="Digital-Check starten").click()
    page.get_by_role("button", name="Weiter", exact=True).click()  # company details: optional
    for name, value in answers:
        if name.startswith("q-"):
            page.locator(f'input[name="{name}"][value="{value}"]').check()
            page.get_by_role("button", name="Weiter", exact=True).click()
    for name, value in answers:
        if not name.startswith("q-"):
            page.locator(f'input[name="{name}"][value="{value}"]').check()
    page.get_by_role("button", name="Mein Ergebnis anzeigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Ergebnis")


def tie_definition(definition):
    """A definition whose scores hit Python's rounding of exact halves (1.25 → 1.2), with more
    candidates than recommended and titles that only code-point order sorts as Python does."""
    synthetic = copy.deepcopy(definition)
    topic = synthetic["questionnaire"]["topics"][0]
    synthetic["questionnaire"]["dimensions"] = [
        {
            "id": "many",
            "title": "Sechzehn Fragen",
            "intro": "",
            "questions": [{"id": f"m{n}", "text": "?", "hint": ""} for n in range(16)],
        },
        {"id": "one", "title": "Eine Frage", "intro": "", "questions": [{"id": "o", "text": "?"}]},
    ]
    synthetic["questionnaire"]["topics"].append(dict(topic, id="second", name="Zweites Thema"))
    candidate = synthetic["units"][0]
    synthetic["units"] = [
        dict(candidate, key=f"unit:{n}", title=title, low=low, high=high)
        for n, (title, low, high) in enumerate(
            [("Ärger vermeiden", 0, 1), ("Zeit sparen", 0, 0), ("Abläufe", 1, 1), ("Ziele", 0, 1)]
        )
    ]
    synthetic["limits"] = {"units": 3, "paths": 1}
    return synthetic


def test_check_in_the_archive_shows_the_live_result_for_the_same_answers(
    page,
    check,  # noqa: F811 - the imported fixture
    tmp_path,
    assert_accessible,
):
    check_page, unit = check["page"], check["unit"]
    snapshot = check_page.get_current_version().snapshot
    (first, second) = [d["questions"][0]["id"] for d in snapshot["dimensions"]]
    (topic,) = [t["id"] for t in snapshot["topics"]]
    # Strategy 3 of 5, automation 4 of 5; marketing not done (1) but fully relevant (5).
    answers = [(f"q-{first}", 3), (f"q-{second}", 4), (f"impl-{topic}", 1), (f"rel-{topic}", 5)]
    answer_live(page, check_page, answers)
    live = shown_result(page)
    assert "70,0 von 100" in live["Gesamtwert"]
    assert "Reifegradstufe „Fortgeschritten“" in live["Gesamtwert"]
    assert live["links"] == [unit.title]

    end_project()  # the live site is read-only when it is archived
    dest = tmp_path / "archive"
    export_static_site(dest)
    server = serve_archive(dest)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page.goto(base + check_page.url)
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.get_by_role("main")).to_contain_text("nicht angeboten")
        assert_accessible(page)

        # Unanswered questions are named, as on the live site.
        tab_to(page, page.get_by_role("button", name="Mein Ergebnis anzeigen"))
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_contain_text(
            "Einige Fragen sind noch nicht beantwortet"
        )
        expect(page.get_by_role("alert")).to_be_focused()

        # Keyboard only: Space picks the lowest option, arrows move on (0 → value, 1 → value).
        for name, value in answers:
            choose(page, name, value - (0 if name.startswith("q-") else 1))
            expect(page.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()
        tab_to(page, page.get_by_role("button", name="Mein Ergebnis anzeigen"))
        page.keyboard.press("Enter")

        heading = page.get_by_role("heading", name="Ihr Ergebnis")
        expect(heading).to_be_focused()
        expect(page.get_by_role("status").filter(has_text="70,0 von 100")).to_be_attached()
        assert shown_result(page) == live
        assert_accessible(page)

        # The answers stay in this browser only; the recommended unit is the archived one.
        page.reload()
        for name, value in answers:
            expect(page.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()
        page.get_by_role("button", name="Mein Ergebnis anzeigen").click()
        page.get_by_role("region", name="Für Sie empfohlen").get_by_role(
            "link", name=unit.title
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(unit.title)
        assert page.url.startswith(base)

        # One scoring definition: the browser scores every combination as the server does,
        # and Python's rounding of exact halves and sorting of titles in a harder definition.
        page.goto(base + check_page.url)
        definition = check_definition(check_page)
        cases = [
            {
                "questions": {first: a, second: b},
                "topics": {topic: {"implementation": i, "relevance": r}},
            }
            for a in range(6)
            for b in range(6)
            for i in range(1, 6)
            for r in range(1, 6)
        ]
        synthetic = tie_definition(definition)
        rng = random.Random(21)  # noqa: S311 - test data
        zeros = {f"m{n}": 0 for n in range(16)}
        tie = {"questions": zeros | {"m0": 2, "o": 0}, "topics": {}}
        assert evaluate(synthetic, tie)["overall"] == 1.2  # (2.5 + 0) / 2 = 1.25
        assert (
            evaluate(synthetic, {"questions": zeros | {"m0": 1}})["dimensions"][0]["score"] == 1.2
        )
        synthetic_cases = [tie, {"questions": zeros | {"m0": 1}}]
        for _ in range(300):
            synthetic_cases.append(
                {
                    "questions": {f"m{n}": rng.randint(0, 5) for n in range(rng.randint(0, 16))}
                    | {"o": rng.randint(0, 5)},
                    "topics": {
                        t: {"implementation": rng.randint(1, 5), "relevance": rng.randint(1, 5)}
                        for t in (topic, "second")
                    },
                }
            )
        for each, each_cases in ((definition, cases), (synthetic, synthetic_cases)):
            browser = page.evaluate(
                "([definition, cases]) => cases.map("
                "(answers) => window.lernfunkArchiveEvaluateCheck(definition, answers))",
                [each, each_cases],
            )
            assert len(browser) == len(each_cases)
            for answers, found in zip(each_cases, browser, strict=True):
                assert found == evaluate(each, answers), answers
    finally:
        server.shutdown()


def test_deleting_the_answers_leaves_nothing_of_this_check_in_the_browser(
    page,
    browser,
    check,  # noqa: F811 - the imported fixture
    tmp_path,
):
    """The privacy section promises that its button removes the answers this browser keeps:
    also those of an earlier questionnaire version of the same check (an archive updated
    after a new version), and nothing of the result or of the error summary stays behind
    for a screen reader. Other checks' answers stay."""
    check_page = check["page"]
    snapshot = check_page.get_current_version().snapshot
    (first, second) = [d["questions"][0]["id"] for d in snapshot["dimensions"]]
    (topic,) = [t["id"] for t in snapshot["topics"]]
    answers = [(f"q-{first}", 3), (f"q-{second}", 4), (f"impl-{topic}", 1), (f"rel-{topic}", 5)]
    end_project()
    dest = tmp_path / "archive"
    export_static_site(dest)
    server = serve_archive(dest)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page.goto(base + check_page.url)
        definition = check_definition(check_page)
        this = f"lernfunk-archive:check:{check_page.pk}:"
        older = f"{this}{definition['version'] - 1 or 99}"
        other = f"lernfunk-archive:check:{check_page.pk + 1000}:1"
        page.evaluate(
            "([older, other]) => { localStorage.setItem(older, '{}');"
            " localStorage.setItem(other, '{}'); }",
            [older, other],
        )
        page.get_by_role("button", name="Mein Ergebnis anzeigen").click()
        expect(page.get_by_role("alert")).to_be_focused()
        for name, value in answers:
            page.locator(f'input[name="{name}"][value="{value}"]').check()
        page.get_by_role("button", name="Mein Ergebnis anzeigen").click()
        expect(page.get_by_role("heading", name="Ihr Ergebnis")).to_be_focused()
        status = page.locator("[data-archive-check-status]")
        expect(status).to_contain_text("70,0 von 100")

        page.get_by_role("button", name="Antworten löschen, die dieser Browser aufbewahrt").click()
        expect(page.locator("[data-archive-forget-status]")).not_to_be_empty()
        kept = page.evaluate("() => Object.keys(localStorage)")
        assert [key for key in kept if key.startswith(this)] == []
        assert other in kept
        expect(status).to_be_empty()
        expect(page.get_by_role("heading", name="Ihr Ergebnis")).to_be_hidden()
        expect(page.locator("input[type=radio]:checked")).to_have_count(0)

        # Deleted while unanswered questions are marked: the fresh form has no error marks.
        page.get_by_role("button", name="Mein Ergebnis anzeigen").click()
        expect(page.locator("[aria-invalid]")).not_to_have_count(0)
        page.get_by_role("button", name="Antworten löschen, die dieser Browser aufbewahrt").click()
        expect(page.locator("[aria-invalid]")).to_have_count(0)
        expect(page.locator("[data-archive-check-errors]")).to_be_hidden()

        # Without JavaScript nothing is scored, and nothing answered leaves the browser either
        # (the form's action is the note page: the answers would go to the server in its URL).
        context = browser.new_context(java_script_enabled=False)
        try:
            offline = context.new_page()
            offline.goto(base + check_page.url)
            assert "erlauben Sie JavaScript" in offline.locator("main").inner_text()
            offline.locator(f'input[name="{answers[0][0]}"][value="3"]').check()
            offline.get_by_role("button", name="Mein Ergebnis anzeigen").click(force=True)
            assert offline.url == base + check_page.url
            offline.locator(f'input[name="{answers[0][0]}"]').first.press("Enter")
            assert offline.url == base + check_page.url
        finally:
            context.close()
    finally:
        server.shutdown()
