"""Public, cacheable responses shared by the feed endpoints, media and the video pages."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.views.decorators.gzip import gzip_page


def language_neutral(view):
    """Mark the view's responses as the same bytes in every language (feeds, media, text
    tracks): ``locales.LanguageNeutralMiddleware`` then keeps ``LocaleMiddleware``'s
    ``Vary: Accept-Language`` and ``Content-Language`` off them, which would make a CDN keep
    one copy per listener language."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.language_neutral = True
        return response

    return wrapped


def compressed(view):
    """Django's ``gzip_page``, plus ``Vary: Accept-Encoding`` on the short answers it leaves
    alone (a 304), so a cache revalidates each encoding on its own. ``gzip_page`` turns the
    ETag weak (``W/"…"``); the conditional checks here accept weak tags."""
    gzipped = gzip_page(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = gzipped(request, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Encoding",))
        return response

    return wrapped


def if_none_match(request) -> set[str]:
    """The entity tags of ``If-None-Match`` without their weak prefix (RFC 9110 compares
    them weakly, and gzip makes ours weak)."""
    header = request.headers.get("If-None-Match", "")
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def public_text_response(request, body: bytes, content_type: str) -> HttpResponse:
    """``body`` with an ETag of its content (a matching ``If-None-Match`` gets a 304), five
    minutes of public caching and CORS open: web players on partner sites and podcast apps in
    browsers fetch chapters, transcripts and text tracks from other origins."""
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    tags = if_none_match(request)
    if etag in tags or "*" in tags:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
