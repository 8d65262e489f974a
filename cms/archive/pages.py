"""Helpers the archive's page adapters (``learning``, ``digitalcheck``) share."""

from __future__ import annotations

import json


def live_pages_by_path(exporter, model) -> dict:
    """Live public pages of ``model`` by their URL path, built once per export."""
    cache = exporter.__dict__.setdefault("_archive_pages_by_model", {})
    if model not in cache:
        pages = {}
        for page in model.objects.live().public().specific():
            parts = page.get_url_parts()
            if parts:
                pages[parts[2]] = page
        cache[model] = pages
    return cache[model]


def dump_json(data) -> str:
    """JSON that is safe inside ``<script>`` (no ``<``, ``>`` or ``&``)."""
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
