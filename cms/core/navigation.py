"""Header and footer: the same on every page of a language, so built once and cached.

Cache keys carry the navigation generation (``core.CacheGeneration`` under the key
``navigation``), moved on commit whenever a page is published, unpublished, moved or
deleted, or the site settings are saved. A counter in the database, not a cache delete,
so every web process (each with its own local-memory cache in the embedded default) sees
the change. A request reads the counter once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from wagtail.models import Site

from .locales import localized

_CACHE_TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str
    path: str  # the tree path, to mark the section of the current page
    search_description: str = ""


def site_root(request):
    """The site's home page in the active language, once per request."""
    if request is None:
        return None
    language = translation.get_language()
    roots = request.__dict__.setdefault("_lernfunk_site_roots", {})
    if language not in roots:
        site = Site.find_for_request(request)
        roots[language] = localized(site.root_page.specific) if site else None
    return roots[language]


def navigation_key(request) -> str:
    """Site, language and generation: what the header menu and the footer depend on."""
    from .models import CacheGeneration

    if request is None:
        return ""
    if not hasattr(request, "_lernfunk_navigation_generation"):
        request._lernfunk_navigation_generation = CacheGeneration.current(
            CacheGeneration.NAVIGATION
        )
    site = Site.find_for_request(request)
    generation = request._lernfunk_navigation_generation
    return f"{site.pk if site else 0}:{translation.get_language()}:{generation}"


def menu_items(request) -> list[MenuItem]:
    root = site_root(request)
    if root is None:
        return []
    key = f"menu:{navigation_key(request)}"
    items = cache.get(key)
    if items is None:
        items = [
            MenuItem(page.title, page.get_url(request), page.path, page.search_description)
            for page in root.get_children().live().public().in_menu()
        ]
        cache.set(key, items, _CACHE_TIMEOUT)
    return items


def _bump(**kwargs):
    from .models import CacheGeneration

    transaction.on_commit(lambda: CacheGeneration.bump(CacheGeneration.NAVIGATION))


def register_signal_handlers():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
    )

    from .models import SiteSettings

    page_published.connect(_bump, dispatch_uid="core-navigation-published")
    page_unpublished.connect(_bump, dispatch_uid="core-navigation-unpublished")
    page_slug_changed.connect(_bump, dispatch_uid="core-navigation-slug")
    post_page_move.connect(_bump, dispatch_uid="core-navigation-moved")
    post_delete.connect(_bump, sender=Page, dispatch_uid="core-navigation-deleted")
    post_save.connect(_bump, sender=SiteSettings, dispatch_uid="core-navigation-settings")
    post_save.connect(_bump, sender=Site, dispatch_uid="core-navigation-site")
