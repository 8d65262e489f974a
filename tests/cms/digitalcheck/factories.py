"""Build Digital-Check pages with raw StreamField data (block ids chosen by the test)."""

from __future__ import annotations

import uuid

from cms.digitalcheck.models import DigitalCheckPage


def new_id() -> str:
    return str(uuid.uuid4())


def dimension(title, questions):
    return {
        "type": "dimension",
        "id": new_id(),
        "value": {
            "title": title,
            "intro": "",
            "questions": [
                {"type": "item", "id": new_id(), "value": {"text": text, "hint": ""}}
                for text in questions
            ],
        },
    }


def topic_pair(topic, implementation=None, relevance=None):
    return {
        "type": "topic",
        "id": new_id(),
        "value": {
            "topic": topic.pk,
            "implementation": implementation or f"Wir setzen {topic.name} um.",
            "relevance": relevance or f"{topic.name} ist für uns wichtig.",
        },
    }


def make_check(home, dimensions, pairs=(), **fields) -> DigitalCheckPage:
    fields.setdefault("title", "Digital-Check")
    fields.setdefault("slug", "digital-check")
    page = DigitalCheckPage(
        locale=home.locale, dimensions=dimensions, topic_pairs=list(pairs), **fields
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def snapshot_ids(page):
    """(question ids per dimension, topic pair ids) of the page's current version."""
    snapshot = page.get_current_version().snapshot
    questions = [[q["id"] for q in d["questions"]] for d in snapshot["dimensions"]]
    return questions, [t["id"] for t in snapshot["topics"]]
