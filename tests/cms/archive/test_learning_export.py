"""Self-learning in the static archive: the exported step page carries its quiz as data
(scored in the browser) and no form that posts to a server."""

import json

import pytest
from bs4 import BeautifulSoup

from cms.archive.export import export_static_site
from cms.archive.learning import quiz_data
from cms.learning.quizzes import score_quiz
from tests.cms.learning.test_project_ended import end_project

pytestmark = pytest.mark.django_db


def test_exported_step_holds_its_quiz_as_data_and_no_server_form(small_site, tmp_path):
    dest = tmp_path / "archive"
    unit = small_site["unit"]
    quiz_step = unit.step_list[2]
    (quiz,) = quiz_step.quizzes.values()
    end_project()  # the usual case: the live site is read-only when it is archived

    export_static_site(dest)

    page = dest / unit.step_url(quiz_step.id).lstrip("/") / "index.html"
    soup = BeautifulSoup(page.read_text(), "html.parser")
    data = json.loads(soup.find("script", id="archive-learning-data").string)
    assert data["step"] == quiz_step.id
    assert data["quizzes"][quiz.id] == quiz_data(quiz)
    question = data["quizzes"][quiz.id]["questions"][0]
    wrong = [
        option["id"] for option in question["options"] if option["id"] not in question["correct"]
    ]
    # The data says what the server's scoring says.
    assert score_quiz(quiz, {question["id"]: question["correct"]}).passed
    assert not score_quiz(quiz, {question["id"]: wrong}).passed
    assert [o["feedback"] for o in question["options"]] == [
        "Eher nicht für Fachkräfte.",
        "Genau: dort sind Fachkräfte.",
    ]
    assert data["texts"]["passed"] == "Bestanden: %(score)s %% richtig."
    # Executable code only from files (the CSP allows no inline script).
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") in (
            "application/json",
            "application/ld+json",
        )
    assert soup.find("script", src=lambda src: src and src.endswith("static/archive/learning.js"))
    assert (dest / "static/archive/learning.js").is_file()
    form = soup.find("form", attrs={"data-archive-quiz": quiz.id})
    assert form.find("button", type="submit")
    for each in soup.find_all("form"):
        assert each.get("method") == "get"
        if each["action"].endswith("/suche/"):
            continue  # the header's search box: the archive's own search page
        assert "_archive/unavailable/" in each["action"]
    assert "csrfmiddlewaretoken" not in str(soup)
    assert not soup.select("[data-archive-learning] .archive-note")
    # The checklist step opens its forms again and offers "mark done" in the browser.
    checklist_page = dest / unit.step_url(unit.step_list[1].id).lstrip("/") / "index.html"
    checklist = BeautifulSoup(checklist_page.read_text(), "html.parser")
    assert checklist.find("form", attrs={"data-archive-checklist": True})
    assert checklist.find("form", attrs={"data-archive-reflection": True})
    assert checklist.find("form", attrs={"data-archive-done": True})
    assert not checklist.find(attrs={"readonly": True})
    # Without JavaScript nothing can be sent: every button of a learning form stays disabled
    # until the script runs (else answers and reflections would leave in the note page's
    # URL), and a note says why; the fields themselves are open.
    for page_soup in (soup, checklist):
        buttons = page_soup.select(
            "[data-archive-learning] form :is(button:not([type=button]), input[type=submit])"
        )
        assert buttons
        for button in buttons:
            assert button.has_attr("disabled") and button.has_attr("data-archive-submit")
        assert page_soup.select("[data-archive-learning] noscript")
        disabled = page_soup.select("[data-archive-learning] [disabled]")
        assert all(tag.has_attr("data-archive-submit") for tag in disabled)
    assert not checklist.select("[data-archive-learning] .project-ended-note")
    # The privacy notes say where the data stays.
    overview = (dest / unit.url.lstrip("/") / "index.html").read_text()
    assert "nur in diesem Browser" in overview
    assert "localStorage" in (dest / "de/_archive/unavailable/index.html").read_text()
