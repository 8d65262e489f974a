"""Public endpoints of explainer videos: text tracks, the embeddable player and oEmbed.

The embed page is made to be framed by any site: its CSP (the site's) has ``frame-ancestors *``, no
``X-Frame-Options``, and sets no cookies (it renders no CSRF token and never touches the
session), so partner sites need no cookie banner for it.
"""

from __future__ import annotations

import hashlib
import math
from functools import wraps
from urllib.parse import urlsplit

from csp.decorators import csp_replace
from django.core.cache import cache
from django.http import (
    Http404,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from cms.core.media_access import MediaAccess, get_media_access
from cms.core.responses import compressed, language_neutral, public_text_response

from .models import ExplainerVideoPage, TrackKind, VideoTextTrack
from .presentation import player_context
from .renditions import ready_sprite, sprite_track_text

VTT_CONTENT_TYPE = "text/vtt; charset=utf-8"
OEMBED_DEFAULT_WIDTH = 640
OEMBED_MIN_WIDTH = 200
THUMBNAILS_CACHE_SECONDS = 24 * 3600  # keyed by the stored render: a re-render has a new key


def without_language_redirect(view):
    """Answer 404 as 404, never as a redirect to ``/de/…``.

    ``LocaleMiddleware`` retries a 404 under a language prefix, and Wagtail's catch-all
    route makes every such path look valid; oEmbed consumers and players want the 404
    itself. A request whose urlconf has no ``i18n_patterns`` is left alone by the
    middleware; these views' own urlconf is such a one (it is only read for that check).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.urlconf = "cms.videos.urls"
        return view(request, *args, **kwargs)

    return wrapper


def _published_video(page_id: int) -> ExplainerVideoPage:
    page = (
        ExplainerVideoPage.objects.live()
        .public()
        .filter(pk=page_id)
        .select_related("video", "locale")
        .first()
    )
    if page is None:
        raise Http404
    return page


@without_language_redirect
@language_neutral
@compressed
@require_http_methods(["GET", "HEAD"])
def text_track(request, page_id: int, kind: str, language: str):
    if kind not in TrackKind.values:
        raise Http404
    page = _published_video(page_id)
    track = VideoTextTrack.objects.filter(page=page, kind=kind, language=language).first()
    if track is None or not track.webvtt.strip():
        raise Http404
    return public_text_response(request, track.webvtt.encode(), VTT_CONTENT_TYPE)


@without_language_redirect
@language_neutral
@compressed
@require_http_methods(["GET", "HEAD"])
def thumbnails_track(request, rendition_id: int):
    """The WebVTT thumbnails track of a video's scrubbing sprite, cues pointing at the sprite.

    The track is read from storage once per stored file and cached; the sprite image itself
    stays in storage (a CSS background needs no CORS, a script's ``fetch`` does)."""
    sprite = ready_sprite(rendition_id)
    # The cues name the sprite's URL and with it the folder of all the video's renditions.
    access = get_media_access(request, sprite.file.name) if sprite else MediaAccess.DENIED
    if access is MediaAccess.DENIED:
        raise Http404
    stored = f"{sprite.file.name}|{sprite.finished_at}|{sprite.source_hash}"
    key = f"videos:thumbnails:{sprite.pk}:{hashlib.sha256(stored.encode()).hexdigest()}"
    text = cache.get(key)
    if text is None:
        try:
            text = sprite_track_text(sprite)
        except OSError as exc:  # the track file is missing: nothing to serve
            raise Http404 from exc
        cache.set(key, text, THUMBNAILS_CACHE_SECONDS)
    response = public_text_response(request, text.encode(), VTT_CONTENT_TYPE)
    if access is MediaAccess.PRIVATE:
        response["Cache-Control"] = "private, max-age=300"
    return response


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@without_language_redirect
@require_http_methods(["GET", "HEAD"])
def embed(request, page_id: int):
    page = _published_video(page_id)
    with translation.override(page.language):
        context = {"page": page, **player_context(page, request)}
        context["page_url"] = page.get_full_url(request)
        response = render(request, "videos/embed.html", context)
    response["Cache-Control"] = "public, max-age=300"
    return response


@without_language_redirect
@require_http_methods(["GET", "HEAD"])
def oembed(request):
    """oEmbed 1.0 for video pages: ``/oembed/?url=<video page>&format=json``.

    Answers 404 for URLs that are not a published video page of one of our sites, 501 for any
    format but JSON (as the spec asks), 400 for unusable max sizes.
    """
    response_format = request.GET.get("format", "json")
    if response_format != "json":
        return HttpResponse(status=501)
    page = _page_for_url(request.GET.get("url", ""))
    if page is None:
        raise Http404
    try:
        max_width = _positive_int(request.GET.get("maxwidth"))
        max_height = _positive_int(request.GET.get("maxheight"))
    except ValueError:
        return HttpResponse(status=400)
    width, height = _embed_size(page, max_width, max_height)
    embed_url = request.build_absolute_uri(page.embed_path())
    context = player_context(page, request)
    data = {
        "version": "1.0",
        "type": "video",
        "title": page.title,
        "provider_name": _provider_name(page),
        "provider_url": request.build_absolute_uri("/"),
        "width": width,
        "height": height,
        "html": (
            f'<iframe src="{embed_url}" width="{width}" height="{height}" '
            f'title="{_attr(page.title)}" frameborder="0" allow="fullscreen; picture-in-picture" '
            "allowfullscreen></iframe>"
        ),
    }
    if page.presenters.exists():
        data["author_name"] = ", ".join(p.name for p in page.presenters.all())
    if context["poster_url"]:
        data["thumbnail_url"] = request.build_absolute_uri(context["poster_url"])
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page_for_url(url: str) -> ExplainerVideoPage | None:
    """The published video page at ``url`` on one of our sites (language prefix allowed)."""
    from django.conf import settings

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    path = parts.path if parts.path.endswith("/") else f"{parts.path}/"
    pages = ExplainerVideoPage.objects.live().public()
    for code, _name in settings.LANGUAGES:
        if path.startswith(f"/{code}/"):
            path = path.removeprefix(f"/{code}")
            pages = pages.filter(locale__language_code=code)
            break
    roots = [
        site.root_page.url_path
        for site in Site.objects.filter(hostname=parts.hostname).select_related("root_page")
    ]
    candidates = [f"{root}{path.lstrip('/')}" for root in roots]
    page = pages.filter(url_path__in=candidates).first()
    return _published_video(page.pk) if page else None


def _positive_int(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def _embed_size(page, max_width: int | None, max_height: int | None) -> tuple[int, int]:
    ratio = _ratio(page)
    width = min(OEMBED_DEFAULT_WIDTH, max_width) if max_width else OEMBED_DEFAULT_WIDTH
    height = math.floor(width / ratio)
    if max_height and height > max_height:
        height = max_height
        width = math.floor(height * ratio)
    return max(width, 1), max(height, 1)


def _ratio(page) -> float:
    video = page.video
    if video is not None and video.width and video.height:
        return video.width / video.height
    return 16 / 9


def _provider_name(page) -> str:
    from cms.core.models import SiteSettings

    site = page.get_site()
    settings = SiteSettings.for_site(site) if site else None
    return getattr(settings, "organisation_name", "") or (site.site_name if site else "")


def _attr(value: str) -> str:
    from django.utils.html import escape

    return escape(value)
