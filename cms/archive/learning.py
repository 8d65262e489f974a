"""Self-learning in the static archive: units keep working without a server.

The exporter fetches a unit's overview and step pages as an anonymous visitor, like every
other page. Before their links are followed, :func:`prepare_learning_page` adapts them:

* the data a browser needs is written into the page as JSON
  (``<script type="application/json" id="archive-learning-data">``, not executable, so the
  Content-Security-Policy is untouched): the unit's steps with their completion rules, every
  quiz of the step as the server scores it (built from the same ``structure.Quiz`` that
  ``quizzes.score_quiz`` uses: options, which are correct, per-option feedback, pass mark)
  and the texts the live site shows, translated with the live site's own message ids;
* ``static/archive/learning.js`` scores quizzes in the browser with the server's rule and
  keeps progress, "continue where I left off", checklist ticks and reflections in the
  browser's ``localStorage`` — nothing is sent anywhere;
* forms that only stored something on the server (save my progress) go; forms that the
  project-ended mode had closed (quiz, checklist, reflection, mark done) are opened again,
  because in the archive they store nothing on a server;
* the unit's privacy note says where the data is kept now.

Links and form actions are rewritten afterwards like on every page: no form posts to a
server (without JavaScript a form leads to the note page). :func:`finish_learning_page`
then removes the generic "forms do not work here" note from the forms that do work.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from cms.learning.structure import Quiz, Step

from .pages import dump_json, live_pages_by_path

SCRIPT_PATH = "archive/learning.js"
DATA_ID = "archive-learning-data"
PAGE_CLASSES = ("template-learning-unit", "template-learning-step")
STEP_URL = re.compile(r"step/([0-9a-f-]{36})/")


def quiz_data(quiz: Quiz) -> dict:
    """What the browser needs to score ``quiz`` exactly as ``quizzes.score_quiz`` does: a
    question is right when exactly its correct options were chosen; the score is the
    rounded percentage of right questions; passed when the score reaches the pass mark."""
    return {
        "id": quiz.id,
        "pass_threshold": quiz.pass_threshold,
        "questions": [
            {
                "id": question.id,
                "multiple": question.is_multiple,
                "correct": sorted(question.correct_ids),
                "explanation": question.explanation,
                "options": [
                    {"id": option.id, "text": option.text, "feedback": option.feedback}
                    for option in question.options
                ],
            }
            for question in quiz.questions
        ],
    }


def step_data(step: Step) -> dict:
    return {
        "id": step.id,
        "title": step.title,
        "optional": step.optional,
        "completion": step.completion,
        "minimum_seconds": step.minimum_seconds,
    }


def texts() -> dict[str, str]:
    """The live site's texts (same message ids, so the same translations), with
    ``%(name)s`` placeholders that the script fills in."""
    return {
        "passed": _("Passed: %(score)s %% correct."),
        "failed": _("Not passed yet: %(score)s %% correct."),
        "try_again": _("Read the feedback and try again."),
        "message_passed": _("Passed with %(score)s %% correct."),
        "message_failed": _("%(score)s %% correct; %(needed)s %% are needed to pass."),
        "right": _("Right."),
        "wrong": _("Not quite."),
        "on_answer": _("On “%(answer)s”:"),
        "explanation": _("Explanation:"),
        "check_again": _("Check answers again"),
        "step_done": _("This step is done."),
        "saved": _("Saved."),
        "reflection_saved": _("Your answer is saved. Only you can see it."),
        "done": _("done"),
        "started": _("started"),
        "completed_unit": _("You have completed this unit"),
        "continue_heading": _("Continue where I left off"),
        "continue_with": _("Continue with “%(step)s”"),
        "steps_done": _("%(done)s of %(total)s steps done."),
        "forgotten": _("This browser no longer keeps anything of this unit."),
    }


def browser_privacy_text() -> str:
    return _(
        "In this archive nothing you do is sent anywhere. Your progress, checklist ticks, "
        "reflections and quiz answers are kept only in this browser (its local storage, "
        "“localStorage”) so that you can continue where you left off. Other people and other "
        "browsers cannot see them. Deleting this website's data in the browser, or the "
        "button below, removes them."
    )


def prepare_learning_page(exporter, resource) -> None:
    """Adapt a unit's overview or step page (see the module docstring); other pages are
    left alone."""
    if not resource.is_html or resource.body is None:
        return
    if not any(name.encode() in resource.body for name in PAGE_CLASSES):
        return
    soup = BeautifulSoup(resource.body, "html.parser")
    classes = (soup.body.get("class") or []) if soup.body else []
    if not any(name in classes for name in PAGE_CLASSES):
        return
    path = resource.url.split("?", 1)[0]
    found = STEP_URL.search(path)
    unit_path = path[: found.start()] if found else path
    from cms.learning.models import LearningUnitPage

    unit = live_pages_by_path(exporter, LearningUnitPage).get(unit_path)
    if unit is None:
        return
    step = unit.get_step(found.group(1)) if found else None
    if found and step is None:
        return
    language = resource.language or settings.LANGUAGE_CODE
    with translation.override(language):
        data = {
            "unit": str(unit.pk),
            "step": step.id if step else None,
            "steps": [step_data(each) for each in unit.step_list],
            "quizzes": {
                key: quiz_data(quiz) for key, quiz in (step.quizzes if step else {}).items()
            },
            "texts": texts(),
        }
        if step is not None:
            _open_step(soup, step)
        _rewrite_privacy_note(soup)
    script = soup.new_tag("script", attrs={"type": "application/json", "id": DATA_ID})
    script.string = dump_json(data)
    loader = soup.new_tag("script", attrs={"src": settings.STATIC_URL + SCRIPT_PATH, "defer": ""})
    soup.head.append(script)
    soup.head.append(loader)
    resource.body = str(soup).encode()


def _open_step(soup, step: Step) -> None:
    article = soup.find(attrs={"data-learning-step": True})
    if article is None:
        return
    article["data-archive-learning"] = ""
    for note in article.select(".project-ended-note"):
        note.decompose()
    for tag in article.select("[disabled]"):
        del tag["disabled"]
    for tag in article.select("textarea[readonly]"):
        del tag["readonly"]
    status = article.find(id="step-status")
    if status is not None:
        for form in status.find_all("form"):
            if "/viewed/" in form.get("action", ""):
                form.decompose()  # "save my progress": the browser keeps it anyway
        done = status.find("form", action=lambda action: action and "/done/" in action)
        if step.completion == "marked_done" and done is None:
            done = soup.new_tag("form", attrs={"method": "post", "action": "done/"})
            button = soup.new_tag("button", attrs={"type": "submit", "class": "button"})
            button.string = _("Mark this step as done")
            done.append(button)
            status.append(done)
        if done is not None:
            done["data-archive-done"] = ""
        shown = soup.new_tag("p", attrs={"data-archive-step-done": "", "hidden": ""})
        strong = soup.new_tag("strong")
        strong.string = _("This step is done.")
        shown.append(strong)
        status.append(shown)
    for quiz_id, quiz in step.quizzes.items():
        section = article.find(id=f"quiz-{quiz_id}")
        form = section.find("form") if section else None
        if form is None:
            continue
        form["data-archive-quiz"] = quiz_id
        hint = section.find("p", class_="hint")
        if hint is not None:  # the archive counts no attempts
            hint.string = _("You pass with %(threshold)s %% correct answers.") % {
                "threshold": quiz.pass_threshold
            }
        for notice in form.find_all("p", class_="notice"):
            notice.decompose()
        if form.find("button", attrs={"type": "submit"}) is None:
            paragraph = soup.new_tag("p")
            button = soup.new_tag("button", attrs={"type": "submit", "class": "button"})
            button.string = _("Check answers")
            paragraph.append(button)
            form.append(paragraph)
        messages = soup.new_tag(
            "div",
            attrs={
                "class": "learning-messages",
                "role": "status",
                "aria-live": "polite",
                "data-archive-quiz-message": "",
            },
        )
        form.insert_before(messages)
    for checklist_id in step.checklists:
        section = article.find(id=f"checklist-{checklist_id}")
        form = section.find("form") if section else None
        if form is None:
            continue
        form["data-archive-checklist"] = checklist_id
        for button in form.find_all(attrs={"data-checklist-save": True}):
            button.decompose()  # ticks are kept at once
    for reflection_id in step.reflections:
        section = article.find(id=f"reflection-{reflection_id}")
        form = section.find("form") if section else None
        if form is None:
            continue
        form["data-archive-reflection"] = reflection_id
        if form.find("button", attrs={"type": "submit"}) is None:
            paragraph = soup.new_tag("p")
            button = soup.new_tag(
                "button", attrs={"type": "submit", "class": "button button--secondary"}
            )
            button.string = _("Save answer")
            paragraph.append(button)
            form.append(paragraph)
        status = soup.new_tag(
            "p", attrs={"class": "hint", "role": "status", "data-archive-reflection-status": ""}
        )
        form.append(status)


def _rewrite_privacy_note(soup) -> None:
    note = soup.find("aside", class_="privacy-note")
    if note is None:
        return
    for paragraph in note.find_all("p"):
        paragraph.decompose()
    text = soup.new_tag("p", attrs={"data-archive-privacy": ""})
    text.string = browser_privacy_text()
    note.append(text)
    paragraph = soup.new_tag("p")
    button = soup.new_tag(
        "button",
        attrs={"type": "button", "class": "button button--secondary", "data-archive-forget": ""},
    )
    button.string = _("Delete what this browser keeps of this unit")
    paragraph.append(button)
    note.append(paragraph)
    status = soup.new_tag(
        "p", attrs={"class": "hint", "role": "status", "data-archive-forget-status": ""}
    )
    note.append(status)


def finish_learning_page(soup, resource, note_path: str) -> None:
    """After the generic rewriting: the learning forms that work in the browser lose the
    "does not work here" note; the note page says where learning progress is kept."""
    language = resource.language or settings.LANGUAGE_CODE
    for form in soup.select("[data-archive-learning] form"):
        for note in form.find_all(class_="archive-note"):
            note.decompose()
        # Without JavaScript a form would lead to the note page with the answers and
        # reflections in its address (and in the web server's log): its buttons stay disabled
        # until learning.js takes the form over.
        for button in form.select("button, input[type=submit]"):
            if button.get("type", "submit") == "submit":
                button["disabled"] = ""
                button["data-archive-submit"] = ""
        with translation.override(language):
            text = _(
                "Answers are checked and kept in your browser, which needs JavaScript. "
                "Nothing is sent anywhere."
            )
        noscript = soup.new_tag("noscript")
        paragraph = soup.new_tag("p", attrs={"class": "notice", "lang": language})
        paragraph.string = text
        noscript.append(paragraph)
        form.insert(0, noscript)
    if resource.url.endswith(note_path):
        main = soup.find("main")
        container = main.find("div") if main else None
        if container is not None:
            with translation.override(language):
                paragraph = soup.new_tag("p", attrs={"data-archive-privacy": ""})
                paragraph.string = _(
                    "Self-learning units still work: quizzes are scored in your browser, and "
                    "your progress, checklist ticks and reflections are kept only in this "
                    "browser's local storage (“localStorage”). Nothing is sent anywhere."
                )
            container.find("p").insert_after(paragraph)
