from celery import shared_task


@shared_task(name="podcasts.generate_artwork_renditions_task", ignore_result=True)
def generate_artwork_renditions_task(image_id: int) -> None:
    """Render the cover art sizes the feed and podcast apps use, ahead of the first request."""
    from cms.images.models import CustomImage

    from .models import ARTWORK_SPECS

    image = CustomImage.objects.filter(pk=image_id).first()
    if image is not None:
        image.get_renditions(*ARTWORK_SPECS)


@shared_task(name="podcasts.import_podcast_task", ignore_result=True)
def import_podcast_task(import_id: int) -> None:
    """Run a podcast import an editor started in the admin (progress is kept on the row)."""
    from .importing import run_import
    from .models import ImportStatus, PodcastImport

    record = PodcastImport.objects.filter(pk=import_id, status=ImportStatus.PENDING).first()
    if record is not None:
        run_import(record)
