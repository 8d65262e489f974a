"""What the episode page shows: the player's sources, chapters, transcript and JSON-LD."""

from __future__ import annotations

import json
from decimal import Decimal
from itertools import groupby

from media_pipeline.models import RenditionStatus
from media_pipeline.subtitles import TextTrackError, load_text_track

from .enclosures import enclosure_spec, spec_for_extension
from .forms import format_clock
from .subscribe import subscribe_context


def episode_context(episode, request) -> dict:
    audio = _audio_state(episode)
    chapters = [
        {
            "start": chapter.start_seconds,
            "clock": format_clock(chapter.start_seconds),
            "title": chapter.title,
            "url": chapter.url,
        }
        for chapter in episode.chapters.all()
    ]
    show = episode.show
    spoken = show.spoken_language if show is not None else ""
    return {
        # Set when the recording (and its transcript) is in another language than the page.
        "spoken_language": spoken if spoken != episode.locale.language_code[:2] else "",
        **(subscribe_context(show, request) if show is not None else {}),
        "cover": show.get_cover() if show is not None else None,
        "share_url": request.build_absolute_uri(episode.get_url(request)) if episode.live else "",
        "audio": audio,
        "chapters": chapters,
        "transcript_paragraphs": transcript_paragraphs(episode.transcript),
        "persons": list(episode.persons.select_related("person__photo")),
        "json_ld": _json_ld(episode, request, audio, spoken or episode.locale.language_code),
        "playback_rates": [Decimal(rate) for rate in PLAYBACK_RATES],
    }


def _audio_state(episode) -> dict:
    """The sources to play, or why there are none yet (shown instead of a broken player)."""
    if not episode.audio_id:
        return {"state": "missing"}
    renditions = {r.spec: r for r in episode.audio.renditions.all()}
    mp3 = renditions.get(enclosure_spec())
    if mp3 is None or mp3.status != RenditionStatus.READY:
        failed = mp3 is not None and mp3.status == RenditionStatus.FAILED
        return {
            "state": "failed" if failed else "processing",
            "progress": mp3.progress if mp3 else 0,
        }
    sources = [{"url": _play_url(episode, mp3, "mp3"), "type": mp3.mime_type}]
    aac = renditions.get(spec_for_extension("m4a") or "")
    if aac is not None and aac.status == RenditionStatus.READY:
        sources.insert(0, {"url": _play_url(episode, aac, "m4a"), "type": aac.mime_type})
    return {
        "state": "ready",
        "sources": sources,
        "download_url": _play_url(episode, mp3, "mp3"),
        "size": mp3.file_size,
        "duration": mp3.duration,
        "clock": format_clock(mp3.duration or 0),
    }


def _play_url(episode, rendition, extension: str) -> str:
    # Before first publication (preview) there is no GUID and so no stable URL yet.
    return episode.enclosure_path(extension) if episode.guid and episode.live else rendition.url


def transcript_paragraphs(webvtt: str) -> list[dict]:
    """Cues grouped into paragraphs by speaker, each cue kept for highlighting and seeking."""
    if not webvtt.strip():
        return []
    try:
        cues = load_text_track(webvtt.encode(), "transcript.vtt").cues
    except TextTrackError:
        return []
    paragraphs = []
    for speaker, group in groupby(cues, key=lambda cue: cue.speaker):
        group = list(group)
        paragraphs.append(
            {
                "speaker": speaker,
                "start": group[0].start,
                "clock": format_clock(group[0].start),
                "cues": [
                    {"start": cue.start, "end": cue.end, "text": cue.plain_text} for cue in group
                ],
            }
        )
    return paragraphs


def _json_ld(episode, request, audio, language: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "PodcastEpisode",
        "name": episode.title,
        "description": episode.summary,
        "url": episode.get_full_url(request),
        "inLanguage": language,  # of the recording
    }
    if episode.first_published_at:
        data["datePublished"] = episode.first_published_at.date().isoformat()
    if episode.episode_number:
        data["episodeNumber"] = episode.episode_number
    show = episode.show
    if show is not None:
        data["partOfSeries"] = {
            "@type": "PodcastSeries",
            "name": show.title,
            "url": show.get_full_url(request),
        }
    if audio.get("state") == "ready":
        duration = iso_duration(audio["duration"] or 0)
        data["duration"] = duration
        data["associatedMedia"] = {
            "@type": "MediaObject",
            "contentUrl": request.build_absolute_uri(audio["download_url"]),
            "encodingFormat": "audio/mpeg",
            "duration": duration,
        }
    if episode.transcript.strip() and episode.guid:
        data["transcript"] = request.build_absolute_uri(episode.transcript_path())
    people = list(episode.persons.select_related("person"))
    if people:
        data["actor"] = [{"@type": "Person", "name": row.person.name} for row in people]
    # Escape "<" so the JSON can never close the script element.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration as schema.org expects it: ``PT1H15M3S``."""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


PLAYBACK_RATES = ("0.75", "1", "1.25", "1.5", "1.75", "2")
