"""HTTP side of feeds: the podcast RSS, enclosures, chapters and transcripts.

The feed is built once per change and cached: the cache key carries the current
``core.CacheGeneration`` (key ``podcasts``), which signal handlers move on every relevant
change, so a cached feed is never stale and a conditional GET that matches is answered from two
small cache reads without building XML.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_http_methods

from cms.core.media_serving import serve_local_file
from cms.core.models import CacheGeneration
from cms.core.responses import (
    compressed,
    if_none_match,
    language_neutral,
    public_text_response,
)
from cms.podcasts.enclosures import spec_for_extension
from cms.podcasts.models import PodcastEpisodePage, PodcastShowPage
from cms.reach.counting import record_enclosure_request, record_feed_fetch

from .models import PrivateFeedToken
from .podcast import InvalidFeedDataError, build_chapters_json, build_podcast_feed
from .podcastindex import InvalidPodcastTagError
from .private import (
    find_token,
    opens_private_content,
    record_fetch,
    renew_token,
    token_closed_paths,
)
from .selectors import (
    find_feed_episode,
    find_restricted_paths,
    get_feed_data,
    get_feed_show,
    get_video_feed_data,
    get_video_feed_index,
)
from .types import FeedChapter
from .video import build_video_feed

logger = logging.getLogger(__name__)

FEED_CONTENT_TYPE = "application/rss+xml; charset=utf-8"
CHAPTERS_CONTENT_TYPE = "application/json+chapters; charset=utf-8"
VTT_CONTENT_TYPE = "text/vtt; charset=utf-8"


def _cache():
    return caches[settings.FEED_CACHE_ALIAS]


def _base_url(show) -> str:
    site = show.get_site()
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL


@language_neutral
@compressed
@require_http_methods(["GET", "HEAD"])
def podcast_feed(request, show_id: int):
    record_feed_fetch(request, f"podcast:{show_id}")
    return _cached_feed(request, f"feeds:podcast:{show_id}", lambda: _build_feed(request, show_id))


@language_neutral
@compressed
@require_http_methods(["GET", "HEAD"])
def video_feed(request, index_id: int):
    """The video podcast of an explainer video index (“Kurz erklärt”)."""
    record_feed_fetch(request, f"video:{index_id}")
    return _cached_feed(
        request, f"feeds:video:{index_id}", lambda: _build_video_feed(request, index_id)
    )


def _cached_feed(request, prefix: str, build):
    """Serve the feed built by ``build() -> (meta, xml)`` from the cache, with 304s."""
    generation = CacheGeneration.current(CacheGeneration.PODCASTS)
    # The hubs are part of the bytes: a changed WEBSUB_HUBS must not meet feeds cached before.
    hubs = hashlib.sha256("\n".join(settings.WEBSUB_HUBS).encode()).hexdigest()[:8]
    meta_key = f"{prefix}:{generation}:{hubs}:meta"
    xml_key = f"{prefix}:{generation}:{hubs}:xml"
    cache = _cache()
    meta = cache.get(meta_key)
    if meta is None:
        meta, xml = build()
        cache.set_many({meta_key: meta, xml_key: xml}, settings.FEED_CACHE_TIMEOUT)
    else:
        xml = None

    if meta["status"] == 404:
        raise Http404
    if meta["status"] == 301:  # a translated show: its recordings are in the show's one feed
        return HttpResponsePermanentRedirect(meta["location"])
    if meta["status"] == 503:
        cache.delete(meta_key)
        response = HttpResponse(status=503)
        response["Retry-After"] = "300"
        return response
    # A moved feed answers 301 with the feed itself as the body (it names the new URL in
    # itunes:new-feed-url), never 304: a cached copy must not hide the redirect.
    moved = meta.get("location", "")
    if not moved and _not_modified(request, meta["etag"], meta["last_modified"]):
        response = HttpResponseNotModified()
    else:
        if xml is None:
            xml = cache.get(xml_key)
            if xml is None:  # evicted between the two reads
                meta, xml = build()
                cache.set_many({meta_key: meta, xml_key: xml}, settings.FEED_CACHE_TIMEOUT)
        body, encoding = _encoded_body(request, xml, xml_key)
        response = HttpResponse(body, content_type=FEED_CONTENT_TYPE, status=301 if moved else 200)
        if encoding:
            response["Content-Encoding"] = encoding
        if moved:
            response["Location"] = moved
    # The gzipped bytes are another representation: their tag is weak, as gzip_page makes it.
    gzipped = response.get("Content-Encoding") == "gzip" or _accepts_gzip(request)
    response["ETag"] = f"W/{meta['etag']}" if gzipped else meta["etag"]
    response["Last-Modified"] = http_date(meta["last_modified"])
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def _encoded_body(request, xml: bytes, xml_key: str) -> tuple[bytes, str]:
    """The feed's bytes for this client: gzipped once per feed generation and kept beside
    the XML, instead of compressing megabytes on every poll as ``gzip_page`` would (it also
    salts each copy with random bytes, so no two answers were the same bytes). Feeds hold no
    secrets, so BREACH's salt is not needed here. ``compressed`` leaves an encoded answer as
    it is and only adds ``Vary``."""
    if not _accepts_gzip(request):
        return xml, ""
    cache = _cache()
    gz_key = f"{xml_key}:gzip"
    body = cache.get(gz_key)
    if body is None:
        body = gzip.compress(xml, compresslevel=9, mtime=0)
        cache.set(gz_key, body, settings.FEED_CACHE_TIMEOUT)
    return body, "gzip"


def _build_feed(request, show_id: int) -> tuple[dict, bytes]:
    restricted = find_restricted_paths()
    show = get_feed_show(show_id, restricted)
    if show is None:
        return {"status": 404}, b""
    source = show.feed_page()
    if source.pk != show.pk:
        return {"status": 301, "location": source.feed_path()}, b""
    _site_id, root_url, _path = show.get_url_parts(request) or (None, "", "")
    base_url = root_url or _base_url(show)
    feed_show, feed_episodes = get_feed_data(
        show, base_url, request=request, restricted_paths=restricted
    )
    try:
        xml = build_podcast_feed(
            feed_show, feed_episodes, base_url, left_out=_log_left_out(f"show {show_id}")
        )
    except (InvalidFeedDataError, InvalidPodcastTagError):
        # e.g. the cover art was deleted: say "try later" (not cached) rather than a 500.
        logger.exception("podcast feed of show %s cannot be built", show_id)
        return {"status": 503}, b""
    meta = _feed_meta(xml, feed_show, feed_episodes)
    if show.new_feed_url:
        meta["location"] = show.new_feed_url
    return meta, xml


def _build_video_feed(request, index_id: int) -> tuple[dict, bytes]:
    restricted = find_restricted_paths()
    index = get_video_feed_index(index_id, restricted)
    if index is None:
        return {"status": 404}, b""
    source = index.feed_page()
    if source.pk != index.pk:
        return {"status": 301, "location": source.feed_path()}, b""
    _site_id, root_url, _path = index.get_url_parts(request) or (None, "", "")
    base_url = root_url or _base_url(index)
    feed_show, feed_episodes, captions = get_video_feed_data(
        index, base_url, request=request, restricted_paths=restricted
    )
    try:
        xml = build_video_feed(
            feed_show,
            feed_episodes,
            base_url,
            captions,
            left_out=_log_left_out(f"video index {index_id}"),
        )
    except (InvalidFeedDataError, InvalidPodcastTagError):
        # e.g. no square cover art yet: "try later" (not cached) rather than a 500.
        logger.exception("video feed of index %s cannot be built", index_id)
        return {"status": 503}, b""
    return _feed_meta(xml, feed_show, feed_episodes), xml


def _log_left_out(feed: str):
    """One broken item must not take a feed down for every subscriber: it is left out and
    logged; editors are kept from entering such data by the forms."""

    def left_out(what: str, error: ValueError) -> None:
        logger.warning("%s left out of the feed of %s: %s", what, feed, error)

    return left_out


def _feed_meta(xml: bytes, feed_show, feed_episodes) -> dict:
    """What is cached with a built feed: its ETag and the newest change of show or episodes."""
    updated = max([feed_show.updated, *(episode.updated for episode in feed_episodes)])
    return {
        "status": 200,
        "etag": f'"{hashlib.sha256(xml).hexdigest()[:32]}"',
        "last_modified": int(updated.timestamp()),
    }


@language_neutral
@require_http_methods(["GET", "HEAD"])
def video_enclosure(request, guid):
    """The stable enclosure URL of an explainer video: ``/video-podcast/<guid>.mp4``."""
    from cms.videos.models import ExplainerVideoPage
    from cms.videos.renditions import get_video_renditions

    video = (
        ExplainerVideoPage.objects.live()
        .public()
        .filter(guid=guid, first_published_at__lte=timezone.now())
        .select_related("video")
        .first()
    )
    rendition = get_video_renditions(video.video).feed_mp4 if video and video.video_id else None
    if rendition is None or not rendition.file:
        raise Http404
    return _counted(request, rendition, "video/mp4", kind="video", item_id=video.pk)


def _not_modified(request, etag: str, last_modified: int) -> bool:
    if "If-None-Match" in request.headers:
        tags = if_none_match(request)
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified <= since


def _published_episode(guid) -> PodcastEpisodePage:
    episode = (
        PodcastEpisodePage.objects.live()
        .public()
        .filter(guid=guid, first_published_at__lte=timezone.now())
        .select_related("audio")
        .first()
    )
    if episode is None:
        raise Http404
    return episode


@language_neutral
@require_http_methods(["GET", "HEAD"])
def episode_enclosure(request, guid, extension: str):
    """The stable enclosure URL of an episode: ``/podcast-audio/<guid>.mp3`` (or ``.m4a``).

    Local media is served here with Range/HEAD support; media on S3 or a CDN gets a 302 to
    the object's public URL, which keeps the file extension. Downloads are counted
    (``cms.reach``) for both.
    """
    return _serve_enclosure(request, _published_episode(guid), extension)


def _serve_enclosure(request, episode, extension: str, *, private: bool = False):
    spec = spec_for_extension(extension)
    rendition = episode.audio.find_rendition(spec) if spec and episode.audio_id else None
    if rendition is None or not rendition.file:
        raise Http404
    return _counted(
        request, rendition, rendition.mime_type or None, kind="audio", item_id=episode.pk,
        private=private,
    )  # fmt: skip


def _counted(request, rendition, content_type, *, kind: str, item_id: int, private=False):
    """Serve a rendition (locally, or a redirect to the bucket) and log the request for the
    IAB download count when it was answered with the media (200, 206 or the redirect)."""
    if settings.SERVE_MEDIA:
        path = Path(rendition.file.storage.path(rendition.file.name))
        response = serve_local_file(request, path, content_type=content_type)
    else:
        response = HttpResponseRedirect(rendition.file.url)
    if response.status_code in (200, 206, 302):
        record_enclosure_request(
            request,
            kind=kind,
            item_id=item_id,
            size=rendition.file_size,
            duration=rendition.duration,
            private=private,
        )
    return response


@language_neutral
@compressed
@require_http_methods(["GET", "HEAD"])
def episode_chapters(request, guid):
    body = _chapters_json(_published_episode(guid))
    return public_text_response(request, body, CHAPTERS_CONTENT_TYPE)


def _chapters_json(episode) -> bytes:
    chapters = [
        FeedChapter(
            start_seconds=chapter.start_seconds,
            title=chapter.title,
            url=chapter.url,
            img=chapter.image.file.url if chapter.image_id else "",
        )
        for chapter in episode.chapters.select_related("image")
    ]
    if not chapters:
        raise Http404
    return build_chapters_json(
        chapters,
        title=episode.title,
        podcast_name=episode.show.title if episode.show else "",
        base_url=_base_url(episode),
    )


@language_neutral
@compressed
@require_http_methods(["GET", "HEAD"])
def episode_transcript(request, guid):
    episode = _published_episode(guid)
    if not episode.transcript.strip():
        raise Http404
    return public_text_response(request, episode.transcript.encode(), VTT_CONTENT_TYPE)


# --- private feeds (feeds.private) ---------------------------------------------------------


def _private(response):
    """A personal answer: no shared cache may keep it, no search engine index it."""
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@language_neutral
@compressed
@require_http_methods(["GET", "HEAD"])
def private_podcast_feed(request, secret: str, show_id: int):
    """A subscriber's personal feed: the show with the restricted episodes their token opens.

    Built for every request (never in the shared feed cache, whose bytes carry no token);
    unknown, revoked or another show's token → 404.
    """
    token = find_token(secret)
    if token is None or token.show_id != show_id:
        raise Http404
    closed = token_closed_paths(token)
    show = get_feed_show(show_id, closed)
    if show is None:
        raise Http404
    _site_id, root_url, _path = show.get_url_parts(request) or (None, "", "")
    base_url = root_url or _base_url(show)
    feed_show, feed_episodes = get_feed_data(
        show, base_url, request=request, restricted_paths=closed, secret=secret
    )
    try:
        xml = build_podcast_feed(
            feed_show, feed_episodes, base_url, left_out=_log_left_out(f"private {show_id}")
        )
    except (InvalidFeedDataError, InvalidPodcastTagError):
        logger.exception("private feed of show %s cannot be built", show_id)
        response = HttpResponse(status=503)
        response["Retry-After"] = "300"
        return _private(response)
    if request.method == "GET":
        record_fetch(token)
    meta = _feed_meta(xml, feed_show, feed_episodes)
    if _not_modified(request, meta["etag"], meta["last_modified"]):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(xml, content_type=FEED_CONTENT_TYPE)
    response["ETag"] = meta["etag"]
    response["Last-Modified"] = http_date(meta["last_modified"])
    return _private(response)


def _private_episode(secret: str, guid):
    """The token's episode with this guid (public or restricted but open to the token)."""
    token = find_token(secret)
    if token is None:
        raise Http404
    closed = token_closed_paths(token)
    if get_feed_show(token.show_id, closed) is None:
        raise Http404
    episode = find_feed_episode(token.show, guid, closed)
    if episode is None:
        raise Http404
    return token, episode


@language_neutral
@require_http_methods(["GET", "HEAD"])
def private_episode_enclosure(request, secret: str, guid, extension: str):
    """An episode's audio through a personal token: counted once per download (a GET from the
    first byte, not every Range request a player makes)."""
    token, episode = _private_episode(secret, guid)
    response = _serve_enclosure(request, episode, extension, private=True)
    if request.method == "GET" and request.headers.get("Range", "bytes=0-").startswith("bytes=0-"):
        record_fetch(token, media=True)
    return _private(response)


@language_neutral
@compressed
@require_http_methods(["GET", "HEAD"])
def private_episode_chapters(request, secret: str, guid):
    _token, episode = _private_episode(secret, guid)
    return _private(public_text_response(request, _chapters_json(episode), CHAPTERS_CONTENT_TYPE))


@language_neutral
@compressed
@require_http_methods(["GET", "HEAD"])
def private_episode_transcript(request, secret: str, guid):
    _token, episode = _private_episode(secret, guid)
    if not episode.transcript.strip():
        raise Http404
    return _private(public_text_response(request, episode.transcript.encode(), VTT_CONTENT_TYPE))


@require_http_methods(["GET", "POST"])
def personal_feed(request, show_id: int):
    """“Your personal feed”: a logged-in subscriber who may see the show's restricted
    episodes gets (or renews) their feed URL here. It is shown once, right after creation;
    only its hash is kept. Others are sent to the login page (anonymous) or refused (403)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailcore_login"))
    show = get_object_or_404(PodcastShowPage.objects.live(), pk=show_id)
    if not opens_private_content(show, request.user):
        raise PermissionDenied
    secret = ""
    if request.method == "POST":
        _token, secret = renew_token(show, request.user)
    active = PrivateFeedToken.objects.filter(
        show=show, user=request.user, revoked_at__isnull=True
    ).first()
    feed_url = (
        request.build_absolute_uri(reverse("private_podcast_feed", args=[secret, show.pk]))
        if secret
        else ""
    )
    response = TemplateResponse(
        request,
        "feeds/personal_feed.html",
        {"show": show, "token": active, "feed_url": feed_url},
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
