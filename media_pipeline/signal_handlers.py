from django.db import transaction
from django.db.models.signals import post_delete

from . import services
from .models import MediaFile, MediaRendition


def delete_file_on_commit(sender, instance, **kwargs):
    # Only once the row is really gone: a rolled-back delete must not lose the file. Through
    # the storage API, never .path, so it works the same on S3.
    if instance.file:
        files = [(instance.file.storage, instance.file.name)]
        transaction.on_commit(lambda: services.delete_media_files(files), robust=True)


def register_signal_handlers():
    # Renditions are deleted by cascade along with their media file; each sends post_delete.
    for model in (MediaFile, MediaRendition):
        post_delete.connect(
            delete_file_on_commit, sender=model, dispatch_uid=f"delete_{model.__name__}_file"
        )
