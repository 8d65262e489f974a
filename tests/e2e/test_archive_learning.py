"""A self-learning unit in the static archive, served by a plain static server: the quiz is
scored in the browser with the live site's feedback texts, and progress stays in the
browser (localStorage) across reloads."""

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from playwright.sync_api import expect

from cms.archive.export import export_static_site
from cms.archive.learning import quiz_data
from cms.archive.verify import serve_archive
from cms.learning.quizzes import score_quiz
from cms.learning.structure import Option, Question, Quiz
from tests.e2e.test_learning import learning, quiz_answers  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db(transaction=True)


def words(text: str) -> str:
    return " ".join(text.split())


def live_quiz_texts(client: Client, unit, step, answer) -> dict:
    """What the live site shows after ``answer`` is sent to the quiz of ``step``."""
    (quiz_id,) = step.quizzes
    (question,) = step.quizzes[quiz_id].questions
    action = unit.url + unit.reverse_subpage("quiz", args=[step.id, quiz_id])
    response = client.post(action, {f"q-{question.id}": answer.id}, follow=True)
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        "result": words(soup.select_one("[data-quiz-result]").get_text()),
        "feedback": [words(p.get_text()) for p in soup.select("[data-question-feedback] p")],
        "message": words(soup.select_one(".learning-messages").get_text()),
    }


def archive_quiz_texts(page) -> dict:
    return {
        "result": words(page.locator("[data-quiz-result]").inner_text()),
        "feedback": [
            words(t) for t in page.locator("[data-question-feedback] p").all_inner_texts()
        ],
        "message": words(page.locator("[data-archive-quiz-message]").inner_text()),
    }


def scoring_cases():
    """Eight questions (12.5 % each: Python rounds halves to even) and a multiple choice."""
    questions = tuple(
        Question(
            id=f"q{number}",
            text="?",
            kind="multiple" if number == 0 else "single",
            options=(
                Option(id=f"q{number}a", text="a", correct=True, feedback=""),
                Option(id=f"q{number}b", text="b", correct=number == 0, feedback=""),
                Option(id=f"q{number}c", text="c", correct=False, feedback=""),
            ),
            explanation="",
        )
        for number in range(8)
    )
    quiz = Quiz(id="quiz", title="Quiz", questions=questions, pass_threshold=63, max_attempts=0)
    cases = []
    for right in range(9):
        answers = {f"q{n}": [f"q{n}a"] if n >= right else [f"q{n}c"] for n in range(8)}
        cases.append(answers)
    cases.append({"q0": ["q0a", "q0b"]})
    cases.append({"q0": ["q0b", "q0a"], "q1": ["q1a"]})
    return quiz, cases


def test_unit_in_the_archive_scores_quiz_and_keeps_progress_in_the_browser(
    page,
    learning,  # noqa: F811 - the imported fixture
    tmp_path,
    assert_accessible,
):
    unit = learning["de"]["unit"]
    steps = unit.step_list
    dest = tmp_path / "archive"
    export_static_site(dest)
    right, wrong = quiz_answers(unit)
    live = Client()
    expected = [live_quiz_texts(live, unit, steps[2], answer) for answer in (wrong, right)]
    assert expected[0]["result"].startswith("Noch nicht bestanden: 0 % richtig.")

    server = serve_archive(dest)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"

        page.goto(base + unit.step_url(steps[1].id))
        page.get_by_label("Ziel festlegen").check()
        expect(page.get_by_role("status").filter(has_text="Gespeichert")).to_be_visible()
        page.reload()
        expect(page.get_by_label("Ziel festlegen")).to_be_checked()
        expect(page.get_by_label("Kanal wählen")).not_to_be_checked()

        page.get_by_role("link", name=re.compile("Weiter: Wissen prüfen")).click()
        page.get_by_label(wrong.text).check()
        page.get_by_role("button", name="Antworten prüfen").click()
        expect(page.locator("[data-quiz-result]")).to_be_visible()
        assert archive_quiz_texts(page) == expected[0]
        page.get_by_label(right.text).check()
        page.get_by_role("button", name="Antworten erneut prüfen").click()
        expect(page.locator("[data-quiz-result]")).to_contain_text("Bestanden")
        assert archive_quiz_texts(page) == expected[1]
        assert_accessible(page)

        page.goto(base + unit.url)
        resume = page.get_by_role("link", name="Weiter mit „Zum Schluss“")
        expect(resume).to_have_attribute("href", re.compile(f"step/{steps[3].id}/$"))
        step_list = page.get_by_role("navigation", name="Schritte")
        expect(step_list.get_by_role("listitem").nth(2)).to_contain_text("erledigt")
        expect(page.get_by_role("main")).to_contain_text("nur in diesem Browser")
        assert_accessible(page)
        resume.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Zum Schluss")

        # One scoring definition: the browser's score of the exported data is the server's.
        quiz, cases = scoring_cases()
        for answers in cases:
            server_result = score_quiz(quiz, answers)
            browser_result = page.evaluate(
                "([quiz, answers]) => window.lernfunkArchiveScoreQuiz(quiz, answers)",
                [quiz_data(quiz), answers],
            )
            assert browser_result == {
                "results": server_result.results,
                "score": server_result.score,
                "passed": server_result.passed,
            }, answers
    finally:
        server.shutdown()
