"""Chapter marks inside MP3 renditions (ID3 CHAP/CTOC), for apps that read them from the file.

Callers (the podcast pages) hand over plain chapter data; this module knows nothing of pages.
The rendition's file is replaced by a tagged copy under a new name (object stores do not
overwrite), its size updated, and ``tags_marker`` records what was written so that asking
again for the same chapters does nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.core.files import File
from django.db import transaction

from .id3 import Chapter, write_mp3_chapters
from .models import MediaRendition, RenditionStatus


def chapters_digest(chapters: Sequence[Chapter], title: str = "") -> str:
    payload = [title, [[c.start_seconds, c.title, c.url] for c in chapters]]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:16]


def tags_marker(rendition: MediaRendition, digest: str) -> str:
    """What ``tags_marker`` holds once ``digest`` is written into this very file: a re-render
    (new file, new size) no longer matches, so its chapters are written again."""
    return f"{digest}:{rendition.file.name}:{rendition.file_size}"


def needs_chapters(
    rendition: MediaRendition, chapters: Sequence[Chapter], title: str = ""
) -> bool:
    if rendition.status != RenditionStatus.READY or rendition.mime_type != "audio/mpeg":
        return False
    if not chapters and not rendition.tags_marker:
        return False  # a fresh rendering has no chapters to remove
    return rendition.tags_marker != tags_marker(rendition, chapters_digest(chapters, title))


def write_rendition_chapters(
    rendition_id: int, chapters: Sequence[Chapter], *, title: str = ""
) -> bool:
    """Write ``chapters`` into the READY MP3 rendition; return True if the file changed.

    Does nothing for renditions that are not READY MP3s or already carry these chapters.
    Raises TransientMediaError on storage trouble (retry) and ValueError for chapters outside
    the recording (the caller validated them against the source; nothing is changed).
    """
    rendition = MediaRendition.objects.get(pk=rendition_id)
    digest = chapters_digest(chapters, title)
    if not needs_chapters(rendition, chapters, title):
        return False
    old_name = rendition.file.name
    storage = rendition.file.storage
    with tempfile.TemporaryDirectory(prefix="lernfunk-tags-") as folder:
        local = Path(folder) / Path(old_name).name
        try:
            with storage.open(old_name, "rb") as source, local.open("wb") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
        except OSError as exc:
            from .services import TransientMediaError

            raise TransientMediaError(f"reading the rendition failed: {exc}") from exc
        write_mp3_chapters(local, chapters, duration=rendition.duration or 0, title=title)
        size = local.stat().st_size
        try:
            with local.open("rb") as handle:
                new_name = storage.save(old_name, File(handle))
        except OSError as exc:
            from .services import TransientMediaError

            raise TransientMediaError(f"saving the rendition failed: {exc}") from exc
    with transaction.atomic():
        current = MediaRendition.objects.select_for_update().get(pk=rendition_id)
        if current.file.name != old_name or current.status != RenditionStatus.READY:
            # Re-rendered meanwhile: the new file gets its own turn; drop our copy.
            storage.delete(new_name)
            return False
        current.file.name = new_name
        current.file_size = size
        current.tags_marker = tags_marker(current, digest)
        current.save(update_fields=["file", "file_size", "tags_marker", "updated_at"])
    if new_name != old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return True
