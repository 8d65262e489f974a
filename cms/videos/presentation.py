"""What a video page and its embed show: player sources, text tracks, linked text, JSON-LD."""

from __future__ import annotations

import base64
import json

from django.urls import reverse

from cms.podcasts.forms import format_clock
from cms.podcasts.presentation import iso_duration

from .glossary import build_term_linker, term_index
from .renditions import VideoRenditions, get_video_renditions


def player_context(page, request=None) -> dict:
    renditions = get_video_renditions(page.video if page.video_id else None)
    # Previews show the draft's captions, which the public track URL (live rows) does not.
    preview = getattr(request, "is_preview", False) or not page.live
    tracks = list(page.text_tracks.all())
    captions = [t for t in tracks if t.kind == "captions"]
    default = next((t for t in captions if t.language == page.language), None) or (
        captions[0] if captions else None
    )
    return {
        "video": renditions,
        "sources": _sources(renditions),
        "poster_url": _poster_url(page, renditions),
        # Served by the site, not read from storage: the player's script can fetch it
        # without CORS on an S3 bucket (views.thumbnails_track).
        "thumbnails_url": (
            reverse("video_thumbnails_track", args=[renditions.sprite.pk])
            if renditions.sprite
            else ""
        ),
        "tracks": [
            {
                "kind": track.kind,
                "language": track.language,
                "label": track.label,
                "url": _track_url(track, inline=preview),
                "default": track is default,
            }
            for track in tracks
            if track.webvtt.strip()
        ],
        "aspect_ratio": _aspect_ratio(page, renditions),
        "duration_clock": format_clock(page.duration) if page.duration else "",
    }


def video_page_context(page, request) -> dict:
    context = player_context(page, request)
    linker = build_term_linker(term_index(page.locale_id), _glossary_url(page, request))
    context.update(
        {
            "summary_html": linker.link_text(page.summary),
            "transcript_html": [
                linker.link_text(paragraph)
                for paragraph in page.transcript.split("\n\n")
                if paragraph.strip()
            ],
            "presenters": list(page.presenters.all()),
            "terms": chosen(page.key_term_links, "term"),
            "related_episodes": [
                e for e in chosen(page.related_episode_links, "episode") if e.live
            ],
            "related_units": [u for u in chosen(page.related_unit_links, "unit") if u.live],
            "oembed_url": request.build_absolute_uri(
                reverse("video_oembed") + "?" + _query(page.get_full_url(request))
            )
            if page.live
            else "",
            "embed_url": request.build_absolute_uri(page.embed_path()) if page.live else "",
            "json_ld": json_ld(page, request, context["video"], context["poster_url"]),
        }
    )
    return context


def chosen(links, field: str) -> list:
    """The items of an orderable chooser relation in the editor’s order (``Orderable`` sorts
    stored rows), in one query.

    Read through the child rows rather than the many-to-many field, so a preview shows the
    draft's choices (the rows are in memory then, not in the database)."""
    return [getattr(link, field) for link in links.select_related(field)]


def _track_url(track, *, inline: bool) -> str:
    if inline or not track.pk:
        encoded = base64.b64encode(track.webvtt.encode()).decode()
        return f"data:text/vtt;base64,{encoded}"
    return track.get_url()


def _query(url: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"url": url, "format": "json"})


def _sources(renditions: VideoRenditions) -> list[dict]:
    sources = []
    if renditions.hls is not None:
        # Safari and iOS play HLS themselves; other browsers skip this type and take an MP4.
        sources.append({"url": renditions.hls.url, "type": "application/vnd.apple.mpegurl"})
    for rendition in renditions.mp4:
        sources.append(
            {"url": rendition.url, "type": "video/mp4", "height": rendition.height or 0}
        )
    return sources


def _poster_url(page, renditions: VideoRenditions) -> str:
    if page.poster_image_id:
        return page.poster_image.get_rendition("width-1280|format-jpeg").url
    return renditions.poster.url if renditions.poster is not None else ""


def _aspect_ratio(page, renditions: VideoRenditions) -> dict:
    """Width and height for the <video> attributes, from which browsers take the box's
    aspect ratio before the metadata has loaded (no inline style: the CSP forbids it)."""
    largest = renditions.largest
    width = (largest.width if largest else None) or (page.video.width if page.video_id else None)
    height = (largest.height if largest else None) or (
        page.video.height if page.video_id else None
    )
    return {"width": width, "height": height} if width and height else {"width": 16, "height": 9}


def _glossary_url(page, request) -> str:
    from .models import GlossaryPage

    glossary = GlossaryPage.objects.live().filter(locale=page.locale).first()
    return glossary.get_url(request) if glossary else ""


def json_ld(page, request, renditions: VideoRenditions, poster_url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": page.title,
        "description": page.summary,
        "inLanguage": page.locale.language_code,
        "url": page.get_full_url(request),
    }
    if page.first_published_at:
        data["uploadDate"] = page.first_published_at.isoformat()
    if page.duration:
        data["duration"] = iso_duration(page.duration)
    if poster_url:
        data["thumbnailUrl"] = [request.build_absolute_uri(poster_url)]
    if renditions.largest is not None:
        data["contentUrl"] = request.build_absolute_uri(renditions.largest.url)
    if page.live:
        data["embedUrl"] = request.build_absolute_uri(page.embed_path())
    if page.transcript.strip():
        data["transcript"] = page.transcript
    presenters = list(page.presenters.all())
    if presenters:
        data["actor"] = [{"@type": "Person", "name": person.name} for person in presenters]
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
