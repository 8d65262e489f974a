"""Which stored files may be fetched by their media URL, and by whom.

Deny by default. Names are relative to the media storage:

- ``images/``, ``original_images/``: Wagtail images, public by design (feeds and pages link
  to them).
- ``media/renditions/<media file id>/…``: renditions, HLS playlists and segments. Served
  while a page using the media file is live, already published and viewable by the request
  (no view restriction, or one the request passes), and to admin users (page previews).
- ``media/originals/`` (uploads), ``documents/`` (Wagtail's serve view enforces collection
  privacy) and everything else: never.

On the embedded default ``serve_media`` asks :func:`get_media_access`. With S3 the bucket
serves media itself; ``scripts/create_bucket.py`` makes only ``S3_PUBLIC_PREFIXES`` public
(renditions there are public under unguessable names: every attempt writes into a folder
named after a random token).

This module imports nothing from Django apps at import time, so the bucket script can use it.
"""

from __future__ import annotations

import enum
import posixpath
import re

RENDITIONS_PREFIX = "media/renditions/"
PUBLIC_PREFIXES = ("images/", "original_images/")
S3_PUBLIC_PREFIXES = (*PUBLIC_PREFIXES, RENDITIONS_PREFIX)

_RENDITION_NAME = re.compile(rf"^{re.escape(RENDITIONS_PREFIX)}(\d+)/.")


class MediaAccess(enum.Enum):
    DENIED = "denied"
    PUBLIC = "public"  # anyone; shared caches may keep it
    PRIVATE = "private"  # this request only (a view restriction it passed, or an editor)


def normalise_media_name(path: str) -> str | None:
    """The storage name a URL path stands for, or None when it is not a plain name inside
    the media root (``..``, absolute paths, empty)."""
    name = posixpath.normpath(path.replace("\\", "/"))
    if name.startswith(("/", "../")) or name in {".", ".."}:
        return None
    return name


def get_media_access(request, name: str) -> MediaAccess:
    """How ``name`` (normalised, see :func:`normalise_media_name`) may be served to
    ``request``. Never raises for unknown names: they are DENIED."""
    if name.startswith(PUBLIC_PREFIXES):
        return MediaAccess.PUBLIC
    match = _RENDITION_NAME.match(name)
    if match:
        return _rendition_access(request, int(match.group(1)))
    return MediaAccess.DENIED


def may_view_page(request, page) -> bool:
    """Whether ``request`` may see ``page`` as a visitor: live, already published, and every
    view restriction on it or an ancestor passed. Players of embedded pages ask this before
    they hand out rendition URLs."""
    from django.utils import timezone

    if not page.live or not page.first_published_at or page.first_published_at > timezone.now():
        return False
    restrictions = page.get_view_restrictions()
    if restrictions and request is None:
        return False
    return all(restriction.accept_request(request) for restriction in restrictions)


def _rendition_access(request, media_file_id: int) -> MediaAccess:
    from media_pipeline.usage import find_live_pages_using

    access = MediaAccess.DENIED
    for page in find_live_pages_using(media_file_id):
        restrictions = page.get_view_restrictions()
        if not restrictions:
            return MediaAccess.PUBLIC
        if all(restriction.accept_request(request) for restriction in restrictions):
            access = MediaAccess.PRIVATE
    if access is MediaAccess.DENIED and _is_editor(request):
        return MediaAccess.PRIVATE
    return access


def _is_editor(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))
