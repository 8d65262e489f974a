"""The Digital-Check in the static archive: the exported page holds the check's scoring
definition, which gives the live result page's scores, levels and recommendations; what needs
a server is said to be missing."""

import json
import posixpath
import random

import pytest
from bs4 import BeautifulSoup

from cms.archive.export import export_static_site
from cms.digitalcheck.definition import check_definition, evaluate
from cms.digitalcheck.submissions import start_submission, submit
from cms.digitalcheck.views import build_result_context
from tests.cms.digitalcheck.conftest import (  # noqa: F401 - shared fixtures
    catalogue,
    check_page,
    topics,
    units,
)
from tests.cms.learning.test_project_ended import end_project

pytestmark = pytest.mark.django_db


def archived(dest, url):
    return BeautifulSoup((dest / url.lstrip("/") / "index.html").read_text(), "html.parser")


def server_result(page, answers) -> dict:
    """What the live result page shows for ``answers``, from its own context."""
    submission = start_submission(page, learner=None)
    submission.answers = answers
    submission.save()
    submit(submission, page.locale)
    context = build_result_context(page, submission)
    return {
        "overall": context["result"].overall,
        "overall_level": context["overall_level"],
        "dimensions": [(d["title"], d["score"]) for d in context["dimensions"]],
        "topics": [
            (t["name"], t["implementation"], t["relevance"], t["gap"], t["level"])
            for t in context["topics"]
        ],
        "units": [(r.page.title, r.topics, r.level_name) for r in context["unit_recommendations"]],
        "paths": [(r.page.title, r.topics, r.level_name) for r in context["path_recommendations"]],
    }


def archive_result(definition, answers) -> dict:
    """The same, computed from the exported definition alone."""
    found = evaluate(definition, answers)
    labels = {str(value): label for value, label in definition["scales"]["rating"]["labels"]}
    return {
        "overall": found["overall"],
        "overall_level": found["overall_level"],
        "dimensions": [(d["title"], d["score"]) for d in found["dimensions"]],
        "topics": [
            (
                t["name"],
                labels.get(str(t["implementation"]), "–"),
                labels.get(str(t["relevance"]), "–"),
                t["gap"],
                t["level"],
            )
            for t in found["topics"]
        ],
        "units": [(r["title"], r["topics"], r["level_name"]) for r in found["units"]],
        "paths": [(r["title"], r["topics"], r["level_name"]) for r in found["paths"]],
    }


def answer_sample(snapshot, count, seed=21):
    """The extremes, then a seeded sample of every question and topic rating."""
    rng = random.Random(seed)  # noqa: S311 - test data
    questions = [q["id"] for d in snapshot["dimensions"] for q in d["questions"]]
    topic_ids = [t["id"] for t in snapshot["topics"]]

    def answers(pick_question, pick_rating):
        return {
            "questions": {q: pick_question() for q in questions},
            "topics": {
                t: {"implementation": pick_rating(), "relevance": pick_rating()} for t in topic_ids
            },
        }

    yield answers(lambda: 0, lambda: 1)
    yield answers(lambda: 5, lambda: 5)
    for _ in range(count):
        yield answers(lambda: rng.randint(0, 5), lambda: rng.randint(1, 5))


def test_exported_check_scores_like_the_server_and_offers_nothing_that_needs_one(
    check_page,  # noqa: F811 - the imported fixtures
    units,  # noqa: F811
    levels,
    tmp_path,
):
    dest = tmp_path / "archive"
    end_project()  # the usual case: the live site is read-only when it is archived
    export_static_site(dest)

    soup = archived(dest, check_page.url)
    data = json.loads(soup.find("script", id="archive-check-data").string)
    definition = data["definition"]
    # The page's definition is the server's, with links to the archive's copies.
    expected = check_definition(check_page)
    here = posixpath.dirname(check_page.url.lstrip("/") + "index.html")
    for exported, live in zip(
        definition["units"] + definition["paths"],
        expected["units"] + expected["paths"],
        strict=True,
    ):
        target = posixpath.normpath(posixpath.join(here, exported.pop("url")))
        assert target == live.pop("url").strip("/"), exported["title"]
        assert (dest / target / "index.html").is_file()
    assert definition == json.loads(json.dumps(expected))
    assert definition["scales"]["rating"]["labels"][-1] == [5, "trifft voll zu"]
    assert data["texts"]["score_of"] == "%(score)s von 100"
    assert data["texts"]["decimal_separator"] == ","

    # Every step of the live check in one form, with the live radio groups; no server form.
    form = soup.find("form", attrs={"data-archive-check": True})
    for dimension in definition["questionnaire"]["dimensions"]:
        for question in dimension["questions"]:
            group = form.find("fieldset", id=f"group-q-{question['id']}")
            assert group.legend.get_text(strip=True) == question["text"]
            assert [i["value"] for i in group.find_all("input")] == list("012345")
    for topic in definition["questionnaire"]["topics"]:
        assert len(form.find_all("input", attrs={"name": f"impl-{topic['id']}"})) == 5
    assert not form.select(".archive-note")
    assert form.find("button", type="submit").get_text(strip=True) == "Mein Ergebnis anzeigen"
    assert not soup.select(".project-ended-note")
    assert soup.find(
        "script", src=lambda src: src and src.endswith("static/archive/digitalcheck.js")
    )
    assert (dest / "static/archive/digitalcheck.js").is_file()
    for script in soup.find_all("script"):  # the CSP allows no inline code
        assert script.get("src") or script.get("type") in (
            "application/json",
            "application/ld+json",
        )
    main = " ".join(soup.find("main").get_text().split())
    assert "in Ihrem Browser ausgewertet" in main
    assert "nicht angeboten" in main  # account, private link, PDF, e-mail, reach figures
    assert "Meine Teilnahmebestätigungen" not in main
    privacy = soup.find("section", class_="privacy-note").get_text()
    assert "nur in diesem Browser" in privacy and "localStorage" in privacy
    assert soup.find("button", attrs={"data-archive-forget": True})
    note = " ".join(archived(dest, "/de/_archive/unavailable/").find("main").get_text().split())
    assert "Digital-Check funktioniert" in note

    # The definition gives what the live result page gives, for a sample covering every
    # maturity level, with and without recommendations.
    seen_levels, recommended = set(), set()
    for answers in answer_sample(definition["questionnaire"], 60):
        server = server_result(check_page, answers)
        assert archive_result(definition, answers) == server, answers
        seen_levels.add(server["overall_level"])
        recommended.add(bool(server["units"]))
    assert seen_levels == {level.name for level in levels}
    assert recommended == {True, False}
