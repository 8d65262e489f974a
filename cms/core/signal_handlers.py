"""Invalidate cached artefacts built from the page tree (``sitemap.xml``)."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .sitemap import invalidate_sitemap


def _sitemap_changed(**kwargs):
    invalidate_sitemap()


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate_sitemap()


def register_signal_handlers():
    page_published.connect(_sitemap_changed, dispatch_uid="sitemap-published")
    page_unpublished.connect(_sitemap_changed, dispatch_uid="sitemap-unpublished")
    post_page_move.connect(_sitemap_changed, dispatch_uid="sitemap-moved")
    # Sent once per class of a deleted page's hierarchy: filtered to pages, bumped once.
    post_delete.connect(_page_deleted, dispatch_uid="sitemap-deleted")
    for model in (PageViewRestriction, Site):
        post_save.connect(_sitemap_changed, sender=model, dispatch_uid=f"sitemap-{model.__name__}")
        post_delete.connect(
            _sitemap_changed, sender=model, dispatch_uid=f"sitemap-del-{model.__name__}"
        )
