"""Video pages change what the video podcast feed shows: move the feed generation. Key terms
change the cached glossary index (``glossary.term_index``): move the glossary generation."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from cms.core.models import CacheGeneration


def _bump(**kwargs):
    transaction.on_commit(lambda: CacheGeneration.bump(CacheGeneration.PODCASTS))


def _bump_glossary(**kwargs):

    transaction.on_commit(lambda: CacheGeneration.bump(CacheGeneration.GLOSSARY))


def register_signal_handlers():
    from .models import ExplainerVideoIndexPage, ExplainerVideoPage, GlossaryTerm

    post_save.connect(_bump_glossary, sender=GlossaryTerm, dispatch_uid="videos-glossary-save")
    post_delete.connect(_bump_glossary, sender=GlossaryTerm, dispatch_uid="videos-glossary-del")

    for model in (ExplainerVideoIndexPage, ExplainerVideoPage):
        name = model.__name__
        page_published.connect(_bump, sender=model, dispatch_uid=f"videos-feed-pub-{name}")
        page_unpublished.connect(_bump, sender=model, dispatch_uid=f"videos-feed-unpub-{name}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"videos-feed-del-{name}")
