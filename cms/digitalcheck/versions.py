"""Freezing questionnaires: a published Digital-Check gets an immutable JSON snapshot."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from .models import DigitalCheckPage, QuestionnaireVersion


def build_snapshot(page: DigitalCheckPage) -> dict:
    """The questionnaire as data: dimensions with questions, and topic pairs (pure)."""
    dimensions = []
    for block in page.dimensions:
        if block.block_type != "dimension":
            continue
        value = block.value
        dimensions.append(
            {
                "id": block.id,
                "title": value["title"],
                "intro": value["intro"] or "",
                "questions": [
                    {"id": str(item.id), "text": item.value["text"], "hint": item.value["hint"]}
                    for item in value["questions"].bound_blocks
                ],
            }
        )
    topics = []
    for block in page.topic_pairs:
        topic = block.value["topic"]
        if topic is None:
            continue
        topics.append(
            {
                "id": block.id,
                "topic_id": topic.pk,
                "topic_key": str(topic.translation_key),
                "name": topic.name,
                "implementation": block.value["implementation"],
                "relevance": block.value["relevance"],
            }
        )
    return {"dimensions": dimensions, "topics": topics}


def _hash(snapshot: dict) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def ensure_current_version(page: DigitalCheckPage) -> QuestionnaireVersion:
    """The version matching the page's live questionnaire, created if it changed.

    Publishing unchanged content (or publishing twice) adds no version; an old version is
    never modified, so submissions that answered it keep their meaning.
    """
    snapshot = build_snapshot(page)
    content_hash = _hash(snapshot)
    # Lock the page row so two concurrent publishes cannot both add number n + 1.
    DigitalCheckPage.objects.select_for_update().filter(pk=page.pk).first()
    latest = page.versions.order_by("-number").first()
    if latest is not None and latest.content_hash == content_hash:
        return latest
    return QuestionnaireVersion.objects.create(
        page=page,
        number=(latest.number + 1) if latest else 1,
        snapshot=snapshot,
        content_hash=content_hash,
    )
