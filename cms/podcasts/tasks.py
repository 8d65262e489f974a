from celery import shared_task


@shared_task(name="podcasts.generate_artwork_renditions_task", ignore_result=True)
def generate_artwork_renditions_task(image_id: int) -> None:
    """Render the cover art sizes the feed and podcast apps use, ahead of the first request."""
    from cms.images.models import CustomImage

    from .models import ARTWORK_SPECS

    image = CustomImage.objects.filter(pk=image_id).first()
    if image is not None:
        image.get_renditions(*ARTWORK_SPECS)
