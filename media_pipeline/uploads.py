"""Uploads: a file becomes a MediaFile (probed, hashed, stored) and its renditions are requested.

Everything here runs in the web process (or ``import_media``) before any worker is involved,
so every refusal reaches the editor at once with a message in their language.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from .exceptions import DuplicateMediaError, MediaRejectedError
from .models import MediaFile, MediaKind, SourceStatus
from .probe import MediaInfo, probe_media
from .services import ensure_renditions

CHUNK = 1024 * 1024


def create_media_file(uploaded, *, title: str, user=None) -> MediaFile:
    """Probe an upload, store it and request its default renditions (enqueued on commit).

    ``uploaded`` is a Django File (an UploadedFile or an open local file); it is copied in
    chunks, never read whole into memory. Raises MediaRejectedError, with a message for the
    editor, for anything that is not acceptable media, and its DuplicateMediaError for a file
    uploaded before (same SHA-256; ``.existing`` is that media file); nothing is stored then.
    """
    with tempfile.TemporaryDirectory(prefix="lernfunk-upload-") as folder:
        local = Path(folder) / "upload"
        digest = hashlib.sha256()
        size = 0
        with local.open("wb") as handle:
            for chunk in uploaded.chunks(CHUNK):
                size += len(chunk)
                if size > settings.MEDIA_MAX_UPLOAD_SIZE:
                    raise MediaRejectedError(
                        _("The file is larger than the allowed %(size)s MB.")
                        % {"size": settings.MEDIA_MAX_UPLOAD_SIZE // 1_000_000}
                    )
                digest.update(chunk)
                handle.write(chunk)
        _refuse_duplicate(digest.hexdigest())
        info = probe_media(local)
        media_file = MediaFile(
            title=title or Path(uploaded.name).stem,
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            file_size=size,
            file_hash=digest.hexdigest(),
        )
        apply_probe(media_file, info)
        with local.open("rb") as handle:
            media_file.file.save(_safe_name(uploaded.name, info), File(handle), save=False)
    with transaction.atomic():
        try:
            # Again: the same file, uploaded twice at once, may have been saved meanwhile.
            _refuse_duplicate(media_file.file_hash)
        except DuplicateMediaError:
            media_file.file.delete(save=False)
            raise
        media_file.save()
        ensure_renditions(media_file)
    return media_file


def find_duplicate(file_hash: str) -> MediaFile | None:
    """The media file first uploaded with this SHA-256, if any."""
    return MediaFile.objects.filter(file_hash=file_hash).order_by("pk").first()


def _refuse_duplicate(file_hash: str) -> None:
    existing = find_duplicate(file_hash)
    if existing is not None:
        raise DuplicateMediaError(
            _("This file has already been uploaded as “%(title)s”.") % {"title": existing.title},
            existing,
        )


def apply_probe(media_file: MediaFile, info: MediaInfo) -> None:
    media_file.kind = MediaKind.VIDEO if info.kind == "video" else MediaKind.AUDIO
    media_file.duration = info.duration
    media_file.width, media_file.height = info.display_size or (None, None)
    media_file.probe_data = info.raw
    media_file.source_status = SourceStatus.READY
    media_file.source_error = ""


def _safe_name(name: str, info: MediaInfo) -> str:
    stem = Path(name).stem[:80] or "media"
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem).strip("-") or "media"
    extension = {
        "mp3": "mp3", "aac": "aac", "wav": "wav", "flac": "flac", "ogg": "ogg",
        "aiff": "aiff", "mov": "mp4", "matroska": "mkv", "avi": "avi",
    }[info.demuxer]  # fmt: skip
    return f"{stem}.{extension}"
