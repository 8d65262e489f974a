"""Serving local media files with byte ranges, as podcast apps and browsers expect.

Django's ``static.serve`` answers neither ``Range`` nor conditional requests properly; podcast
clients (Apple Podcasts in particular) refuse enclosures without ``206 Partial Content``.
Used whenever media lives on the local disk (the embedded default); with S3, the object store
or CDN serves media itself. ``serve_media`` answers only what ``media_access`` allows (404
otherwise: originals, documents, renditions of unpublished or private pages).
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils._os import safe_join
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_http_methods

from .media_access import MediaAccess, get_media_access, normalise_media_name
from .responses import language_neutral

CHUNK_SIZE = 64 * 1024

# Explicit, so answers do not depend on the host's /etc/mime.types.
MEDIA_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
}

_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
# Byte positions longer than this are past the end of any file and are not parsed: int() of
# a few thousand digits is slow and, past 4300 digits, raises ValueError.
_MAX_POSITION_DIGITS = 18
_BEYOND_ANY_FILE = 10**_MAX_POSITION_DIGITS


def guess_content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return MEDIA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """Return (first, last) inclusive for a single satisfiable byte range.

    None means "no usable Range header, send everything" (absent, malformed or several ranges,
    which RFC 9110 allows a server to ignore); False means unsatisfiable (answer 416).
    """
    match = _RANGE_RE.match(header.strip()) if header else None
    if not match:
        return None
    start, end = match.groups()
    if start == "" and end == "":
        return None
    if start == "":  # suffix range: the last N bytes
        length = _position(end)
        if length == 0:
            return False
        return max(size - length, 0), size - 1
    first = _position(start)
    if first >= size:
        return False
    last = _position(end) if end else size - 1
    if last < first:
        return None
    return first, min(last, size - 1)


def _position(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= _MAX_POSITION_DIGITS else _BEYOND_ANY_FILE


def _read(path: Path, first: int, length: int):
    with path.open("rb") as handle:
        handle.seek(first)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


@language_neutral
@require_http_methods(["GET", "HEAD"])
def serve_media(request, path: str):
    if not settings.SERVE_MEDIA:
        raise Http404
    name = normalise_media_name(path)
    access = get_media_access(request, name) if name else MediaAccess.DENIED
    if access is MediaAccess.DENIED:
        raise Http404
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, name))
    except (SuspiciousFileOperation, ValueError):
        raise Http404 from None
    return serve_local_file(request, full_path, private=access is MediaAccess.PRIVATE)


def serve_local_file(
    request, full_path: Path, content_type: str | None = None, *, private: bool = False
):
    """Answer GET/HEAD for one local file with Range, If-Range and conditional requests.

    ``private`` marks the answer as meant for this visitor only (no shared caches)."""
    if not full_path.is_file():
        raise Http404

    stat = full_path.stat()
    size = stat.st_size
    etag = f'"{stat.st_mtime_ns:x}-{size:x}"'
    last_modified = http_date(stat.st_mtime)
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": last_modified,
        "Cache-Control": (
            f"{'private' if private else 'public'}, "
            f"max-age={getattr(settings, 'MEDIA_CACHE_SECONDS', 3600)}"
        ),
    }

    if _not_modified(request, etag, stat.st_mtime):
        response = HttpResponseNotModified()
        for key, value in headers.items():
            response[key] = value
        return response

    byte_range = None
    if _if_range_matches(request, etag, stat.st_mtime):
        byte_range = parse_range(request.headers.get("Range", ""), size)
    if byte_range is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response

    first, last = byte_range if byte_range else (0, size - 1)
    length = max(last - first + 1, 0)
    body = iter(()) if request.method == "HEAD" else _read(full_path, first, length)
    response = StreamingHttpResponse(
        body,
        status=206 if byte_range else 200,
        content_type=content_type or guess_content_type(full_path.name),
    )
    response["Content-Length"] = str(length)
    if byte_range:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    for key, value in headers.items():
        response[key] = value
    return response


def _not_modified(request, etag: str, mtime: float) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in {tag.strip() for tag in if_none_match.split(",")} or if_none_match == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(mtime) <= since


def _if_range_matches(request, etag: str, mtime: float) -> bool:
    if_range = request.headers.get("If-Range")
    if not if_range:
        return True
    if if_range.startswith(('"', "W/")):
        return if_range == etag
    since = parse_http_date_safe(if_range)
    return since is not None and int(mtime) <= since
