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
    from django.conf import settings
    from django.utils import translation
    from wagtail.users.models import UserProfile

    from .importing import run_import
    from .models import ImportStatus, PodcastImport

    # A RUNNING record is one whose worker died (the message came back, acks_late): the
    # import is idempotent by guid, so it simply runs again and adds what is missing.
    record = (
        PodcastImport.objects.filter(
            pk=import_id, status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]
        )
        .select_related("started_by")
        .first()
    )
    if record is None:
        return
    # Messages and errors are kept in the language of the editor who started the import.
    language = settings.LANGUAGE_CODE
    if record.started_by is not None:
        language = UserProfile.get_for_user(record.started_by).get_preferred_language()
    with translation.override(language):
        run_import(record)
