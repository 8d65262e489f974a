"""A public, cacheable text response shared by the feed endpoints and the video pages."""

from __future__ import annotations

import hashlib

from django.http import HttpResponse, HttpResponseNotModified


def public_text_response(request, body: bytes, content_type: str) -> HttpResponse:
    """``body`` with an ETag of its content (a matching ``If-None-Match`` gets a 304), five
    minutes of public caching and CORS open: web players on partner sites and podcast apps in
    browsers fetch chapters, transcripts and text tracks from other origins."""
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    if etag in {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
