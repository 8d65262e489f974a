"""Build learning pages with StreamField steps in raw form (ids chosen by the test)."""

from __future__ import annotations

import uuid

from cms.learning.models import LearningCatalogPage, LearningPathPage, LearningUnitPage, PathUnit


def new_id() -> str:
    return str(uuid.uuid4())


def items(values):
    return [{"type": "item", "value": value, "id": new_id()} for value in values]


def text(html="<p>Ein kurzer Text.</p>"):
    return {"type": "text", "value": html, "id": new_id()}


def checklist(entries=("Ziel festlegen", "Kanal wählen")):
    return {
        "type": "checklist",
        "id": new_id(),
        "value": {"title": "Checkliste", "intro": "", "items": items(entries)},
    }


def reflection(question="Was nehmen Sie mit?"):
    return {"type": "reflection", "id": new_id(), "value": {"question": question, "hint": ""}}


def question(text_, options, kind="single", explanation="Weil es so ist."):
    """options: [(text, correct, feedback)]"""
    return {
        "question": text_,
        "kind": kind,
        "explanation": explanation,
        "options": items([{"text": t, "correct": c, "feedback": f} for t, c, f in options]),
    }


def quiz(questions=None, pass_threshold=100, max_attempts=0):
    questions = questions or [
        question(
            "Welcher Kanal passt zu Fachkräften?",
            [
                ("TikTok-Tänze", False, "Eher nicht für Fachkräfte."),
                ("LinkedIn", True, "Genau: dort sind Fachkräfte."),
            ],
        )
    ]
    return {
        "type": "quiz",
        "id": new_id(),
        "value": {
            "title": "Kurzes Quiz",
            "questions": items(questions),
            "pass_threshold": pass_threshold,
            "max_attempts": max_attempts,
        },
    }


def step(title="Schritt", content=None, completion="viewed", minutes=5, seconds=None,
         optional=False):  # fmt: skip
    return {
        "type": "step",
        "id": new_id(),
        "value": {
            "title": title,
            "estimated_minutes": minutes,
            "completion": completion,
            "minimum_seconds": seconds,
            "optional": optional,
            "content": content or [text()],
        },
    }


def make_catalogue(home, **fields) -> LearningCatalogPage:
    fields.setdefault("title", "Lernangebote")
    fields.setdefault("slug", "lernangebote")
    catalogue = home.add_child(instance=LearningCatalogPage(locale=home.locale, **fields))
    catalogue.save_revision().publish()
    return catalogue


def make_unit(catalogue, steps, level_min, level_max=None, topics=(), **fields):
    fields.setdefault("title", "Social Media für den Betrieb")
    fields.setdefault("teaser", "Der erste Schritt.")
    fields.setdefault("objectives", "<ul><li>Ziele setzen</li></ul>")
    unit = LearningUnitPage(
        locale=catalogue.locale,
        steps=steps,
        level_min=level_min,
        level_max=level_max or level_min,
        **fields,
    )
    catalogue.add_child(instance=unit)
    unit.topics.set(topics)
    unit.save_revision().publish()
    unit.refresh_from_db()
    return unit


def make_path(catalogue, units, **fields) -> LearningPathPage:
    fields.setdefault("title", "Digital starten")
    path = LearningPathPage(locale=catalogue.locale, **fields)
    path.path_units = [PathUnit(unit=unit) for unit in units]
    catalogue.add_child(instance=path)
    path.save_revision().publish()
    return path
