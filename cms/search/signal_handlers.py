"""The index follows publishing: every change is applied after its transaction commits, so
a rolled-back publish never reaches the index (and a failing index update never breaks a
publish: it is logged and repaired by ``rebuild_search_index``)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)


def _later(function, *args):
    def run():
        try:
            function(*args)
        except Exception:
            logger.exception("Updating the search index failed; run rebuild_search_index.")

    transaction.on_commit(run)


def _reindex_page(page_id):
    # Read again after the commit: the page may have changed or gone meanwhile.
    from . import indexing

    page = Page.objects.filter(pk=page_id).first()
    if page is not None:
        indexing.index_page(page)


def _reindex_subtree(page_id):
    from . import indexing

    page = Page.objects.filter(pk=page_id).first()
    if page is not None:
        indexing.index_subtree(page)


def _page_changed(sender, instance, **kwargs):
    # Also for unpublishing: Wagtail unpublishes descendants one by one, each with a signal.
    _later(_reindex_page, instance.pk)


def _page_moved(sender, instance, **kwargs):
    _later(_reindex_subtree, instance.pk)


def _subtree_changed(sender, instance, **kwargs):
    _later(_reindex_subtree, instance.page_id)


def _term_changed(sender, instance, **kwargs):
    from . import indexing

    _later(indexing.index_terms, instance.locale_id)


def register_signal_handlers():
    from cms.videos.models import GlossaryTerm

    page_published.connect(_page_changed, dispatch_uid="search-published")
    page_unpublished.connect(_page_changed, dispatch_uid="search-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="search-moved")
    post_save.connect(_subtree_changed, sender=PageViewRestriction, dispatch_uid="search-pvr")
    post_delete.connect(_subtree_changed, sender=PageViewRestriction, dispatch_uid="search-pvr-d")
    post_save.connect(_term_changed, sender=GlossaryTerm, dispatch_uid="search-term")
    post_delete.connect(_term_changed, sender=GlossaryTerm, dispatch_uid="search-term-d")
