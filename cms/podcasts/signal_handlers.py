"""Keep the chapters inside each episode's MP3 in step with the page (after publishing, and
after the MP3 was rendered again) and render cover art sizes ahead of the feed. Handlers
only enqueue work, on commit."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from wagtail.signals import page_published

from media_pipeline.id3 import Chapter
from media_pipeline.models import MediaRendition, RenditionStatus
from media_pipeline.signals import rendition_ready
from media_pipeline.tagging import needs_chapters

from .enclosures import enclosure_spec
from .models import PodcastEpisodePage, PodcastShowPage


def request_mp3_chapters(episode: PodcastEpisodePage) -> bool:
    """Enqueue writing the episode's chapters into its READY MP3 if they differ; True if so."""
    if not episode.audio_id:
        return False
    rendition = episode.audio.find_rendition(enclosure_spec())
    if rendition is None:
        return False
    chapters = [Chapter(c.start_seconds, c.title, c.url) for c in episode.chapters.all()]
    if not needs_chapters(rendition, chapters, episode.title):
        return False
    from media_pipeline.tasks import write_rendition_chapters_task

    payload = [[c.start_seconds, c.title, c.url] for c in chapters]
    transaction.on_commit(
        lambda: write_rendition_chapters_task.delay(rendition.pk, payload, episode.title)
    )
    return True


def _episode_published(sender, instance, **kwargs):
    request_mp3_chapters(instance)


def _rendition_saved(sender, instance, **kwargs):
    if instance.status != RenditionStatus.READY or instance.spec != enclosure_spec():
        return
    for episode in PodcastEpisodePage.objects.live().filter(audio_id=instance.media_file_id):
        request_mp3_chapters(episode)


def _show_published(sender, instance, **kwargs):
    if instance.artwork_id:
        from .tasks import generate_artwork_renditions_task

        image_id = instance.artwork_id
        transaction.on_commit(lambda: generate_artwork_renditions_task.delay(image_id))


def register_signal_handlers():
    page_published.connect(
        _show_published, sender=PodcastShowPage, dispatch_uid="podcasts-artwork-renditions"
    )
    page_published.connect(
        _episode_published, sender=PodcastEpisodePage, dispatch_uid="podcasts-mp3-chapters"
    )
    post_save.connect(
        _rendition_saved, sender=MediaRendition, dispatch_uid="podcasts-rendition-chapters"
    )
    rendition_ready.connect(
        _rendition_saved, sender=MediaRendition, dispatch_uid="podcasts-rendition-ready"
    )
