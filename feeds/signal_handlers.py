"""Move the feed generation whenever something a feed shows may have changed.

After commit, so that a feed built in between never caches the old data under the new
generation.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.core.models import CacheGeneration
from media_pipeline.signals import rendition_ready


def _bump(**kwargs):
    transaction.on_commit(lambda: CacheGeneration.bump(CacheGeneration.PODCASTS))


def register_signal_handlers():
    from cms.people.models import Person
    from cms.podcasts.models import PodcastEpisodePage, PodcastShowPage
    from media_pipeline.models import MediaFile, MediaRendition

    for model in (PodcastShowPage, PodcastEpisodePage):
        page_published.connect(_bump, sender=model, dispatch_uid=f"feeds-pub-{model.__name__}")
        page_unpublished.connect(_bump, sender=model, dispatch_uid=f"feeds-unpub-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"feeds-del-{model.__name__}")
    post_page_move.connect(_bump, dispatch_uid="feeds-move")
    rendition_ready.connect(_bump, sender=MediaRendition, dispatch_uid="feeds-rendition-ready")
    for model in (MediaRendition, MediaFile, Person, PageViewRestriction, Site):
        post_save.connect(_bump, sender=model, dispatch_uid=f"feeds-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"feeds-delete-{model.__name__}")
