"""Cached HTML fragments of listing cards, addressed by what they show.

A listing page (24 unit cards, a few path cards) spends most of its time rendering cards:
template includes, translated labels and the teaser image's ``srcset`` per card. A card's
HTML only changes when what it shows changes, so ``cached_fragments`` renders each item's
fragment once and keeps it in the cache under a digest of

- everything the fragment shows (``key_parts`` of the item: title, teaser, address, image
  file and focal point, names of levels and topics, …, read with the listing's rows),
- the template's source (a deployment that changes the card template changes every key),
- the active language (the labels are translated).

No invalidation is needed: publishing a new title, a new teaser image, moving a page or
renaming a topic gives the item another key, in every process, as soon as the listing reads
the new row. Old entries simply expire. A learner's own state (progress) is never part of a
fragment: templates render it beside the cached HTML.

All fragments of a listing are read in one cache round trip (``get_many``); only the missing
ones are rendered, after ``prepare_missing`` fetched what only rendering needs (e.g. image
renditions), and stored with one ``set_many``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

from django.core.cache import cache
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

FRAGMENT_TIMEOUT = 24 * 60 * 60

_template_digests: dict[str, str] = {}


def _template_digest(template_name: str) -> str:
    if template_name not in _template_digests:
        source = get_template(template_name).template.source
        _template_digests[template_name] = hashlib.sha256(source.encode()).hexdigest()[:12]
    return _template_digests[template_name]


def fragment_key(template_name: str, parts: Iterable) -> str:
    digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()
    language = translation.get_language() or ""
    return f"fragment:{template_name}:{_template_digest(template_name)}:{language}:{digest}"


def cached_fragments(
    items: Sequence,
    template_name: str,
    key_parts: Callable[[object], Iterable],
    context_of: Callable[[object], dict],
    prepare_missing: Callable[[list], None] | None = None,
    personal: Callable[[object], bool] | None = None,
) -> list[SafeString]:
    """The HTML of ``template_name`` for each of ``items``, in order, from the cache where it
    holds the fragment already. ``key_parts(item)`` must name everything the fragment shows
    (plain values: strings, numbers, dates); ``context_of(item)`` is its template context.
    Items for which ``personal(item)`` is true (a learner's progress shows on them) are
    rendered on every request and never stored."""
    if not items:
        return []
    keys = [
        None if personal and personal(item) else fragment_key(template_name, key_parts(item))
        for item in items
    ]
    found = cache.get_many([key for key in keys if key is not None])
    missing = [
        item for item, key in zip(items, keys, strict=True) if key is None or key not in found
    ]
    html = []
    if missing and prepare_missing is not None:
        prepare_missing(missing)
    template = get_template(template_name) if missing else None
    stored = {}
    for item, key in zip(items, keys, strict=True):
        if key is not None and key in found:
            fragment = found[key]
        elif key is not None and key in stored:
            fragment = stored[key]
        else:
            fragment = template.render(context_of(item))
            if key is not None:
                stored[key] = fragment
        html.append(mark_safe(fragment))  # noqa: S308 -- rendered by our own templates
    if stored:
        cache.set_many(stored, FRAGMENT_TIMEOUT)
    return html
