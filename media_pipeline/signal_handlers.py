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


def delete_rendition_files_on_commit(sender, instance, **kwargs):
    # A rendition may own more than its file: HLS playlists and segments, a WebVTT track.
    if instance.file:
        storage, name, spec = instance.file.storage, instance.file.name, instance.spec
        transaction.on_commit(
            lambda: services.delete_rendition_storage(storage, name, spec), robust=True
        )


def register_signal_handlers():
    # Renditions are deleted by cascade along with their media file; each sends post_delete.
    post_delete.connect(
        delete_file_on_commit, sender=MediaFile, dispatch_uid="delete_MediaFile_file"
    )
    post_delete.connect(
        delete_rendition_files_on_commit,
        sender=MediaRendition,
        dispatch_uid="delete_MediaRendition_file",
    )
