"""Video pages change what the video podcast feed shows: move the feed generation."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from feeds.models import FeedGeneration


def _bump(**kwargs):
    transaction.on_commit(FeedGeneration.bump)


def register_signal_handlers():
    from .models import ExplainerVideoIndexPage, ExplainerVideoPage

    for model in (ExplainerVideoIndexPage, ExplainerVideoPage):
        name = model.__name__
        page_published.connect(_bump, sender=model, dispatch_uid=f"videos-feed-pub-{name}")
        page_unpublished.connect(_bump, sender=model, dispatch_uid=f"videos-feed-unpub-{name}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"videos-feed-del-{name}")
