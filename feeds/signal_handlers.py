"""Move the feed generation whenever something a feed shows may have changed, and ping the
WebSub hubs (``WEBSUB_HUBS``) of the feeds that publishing, unpublishing, moving or deleting a
show, video index, episode or explainer video, or a READY rendition of their media, changed.

After commit, so that a feed built in between never caches the old data under the new
generation, and a hub never fetches the feed before the change is visible.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.core.models import CacheGeneration
from media_pipeline.signals import rendition_ready

from .websub import request_websub_ping


def _bump(**kwargs):
    transaction.on_commit(lambda: CacheGeneration.bump(CacheGeneration.PODCASTS))


def _ping_page(sender, instance, **kwargs):
    request_websub_ping(instance)


def _ping_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    # A moved item leaves one feed and joins another; a moved show may change host.
    for page in (instance, parent_page_before, parent_page_after):
        request_websub_ping(page)


def _ping_rendition_ready(sender, instance, **kwargs):
    from cms.podcasts.models import PodcastEpisodePage
    from cms.videos.models import ExplainerVideoPage

    if not settings.WEBSUB_HUBS:
        return
    media_file_id = instance.media_file_id
    pages = [
        *PodcastEpisodePage.objects.live().filter(audio_id=media_file_id),
        *ExplainerVideoPage.objects.live().filter(video_id=media_file_id),
    ]
    for page in pages:
        request_websub_ping(page)


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
    register_websub_handlers()


def register_websub_handlers():
    from cms.podcasts.models import PodcastEpisodePage, PodcastShowPage
    from cms.videos.models import ExplainerVideoIndexPage, ExplainerVideoPage
    from media_pipeline.models import MediaRendition

    models = (PodcastShowPage, PodcastEpisodePage, ExplainerVideoIndexPage, ExplainerVideoPage)
    for model in models:
        name = model.__name__
        page_published.connect(_ping_page, sender=model, dispatch_uid=f"websub-pub-{name}")
        page_unpublished.connect(_ping_page, sender=model, dispatch_uid=f"websub-unpub-{name}")
        post_delete.connect(_ping_page, sender=model, dispatch_uid=f"websub-del-{name}")
    post_page_move.connect(_ping_moved, dispatch_uid="websub-move")
    rendition_ready.connect(
        _ping_rendition_ready, sender=MediaRendition, dispatch_uid="websub-rendition-ready"
    )
