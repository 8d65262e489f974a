"""Drafts of speech recognition and their review.

A draft is the READY ``captions|asr`` / ``transcript|asr`` rendition of a media file, stored
under ``media/drafts/`` (never public, never served). Pages, feeds, the search and the
captions-required rule read only the page's own fields (a video's text tracks, an episode's
transcript), so a draft reaches none of them. It does so only when an editor reviews it:
``mark_reviewed`` copies the (possibly corrected) WebVTT into the page as a **new revision**
(published at once if the page is live, so its history keeps the version before).
"""

from __future__ import annotations

from django.db import transaction

from .models import MediaRendition, RenditionStatus
from .specs import SPEECH_JSON_SPEC, SPEECH_VTT_SPEC
from .subtitles import TextTrackError, load_text_track


def speech_draft(media_file, spec: str = SPEECH_VTT_SPEC) -> MediaRendition | None:
    """The READY draft of the media file (captions by default), or None."""
    return MediaRendition.objects.filter(
        media_file=media_file, spec=spec, status=RenditionStatus.READY
    ).first()


# A condition per word: a long passage pasted into the search would make SQLite's expression
# tree too deep (a server error) and PostgreSQL scan every draft once per word.
MAX_QUERY_WORDS = 32


def query_words(query: str) -> list[str]:
    """The different words of ``query`` (compared case-insensitively), at most
    ``MAX_QUERY_WORDS`` of them, in the order given."""
    words = {}
    for word in query.split():
        words.setdefault(word.lower(), word)
    return list(words.values())[:MAX_QUERY_WORDS]


def find_drafts_with(query: str):
    """READY draft captions whose words contain every word of ``query`` (case-insensitive as
    the database's ``icontains``; its first ``MAX_QUERY_WORDS`` different words), for the
    editors' search of the Medien listing."""
    rows = MediaRendition.objects.filter(spec=SPEECH_VTT_SPEC, status=RenditionStatus.READY)
    for word in query_words(query):
        rows = rows.filter(text__icontains=word)
    return rows


def draft_excerpts(media_file_ids, query: str, width: int = 80) -> dict[int, str]:
    """{media file id: the draft's words around the first word of ``query`` found}, for the
    files among ``media_file_ids`` whose draft contains every word of it."""
    rows = find_drafts_with(query).filter(media_file_id__in=list(media_file_ids))
    words = [word.lower() for word in query_words(query)]
    excerpts = {}
    for media_file_id, text in rows.values_list("media_file_id", "text"):
        folded = text.lower()  # as long as text (casefold() would make "ß" two letters)
        found = min((i for i in (folded.find(w) for w in words) if i >= 0), default=0)
        start, end = max(found - width, 0), min(found + width, len(text))
        # Whole words only: start after a space, end before one.
        space = text.find(" ", start, found)
        if start > 0 and space >= 0:
            start = space + 1
        space = text.rfind(" ", found, end)
        if end < len(text) and space > found:
            end = space
        excerpt = text[start:end].strip()
        excerpts[media_file_id] = (
            f"{'…' if start > 0 else ''}{excerpt}{'…' if end < len(text) else ''}"
        )
    return excerpts


def draft_text(rendition: MediaRendition) -> str:
    with rendition.file.open("rb") as handle:
        return handle.read().decode("utf-8")


def draft_webvtt(media_file) -> str:
    """The draft captions as WebVTT without the draft label (the NOTE block); "" if none."""
    rendition = speech_draft(media_file)
    if rendition is None:
        return ""
    # Written back without its NOTE block: the label is for the draft only.
    return load_text_track(draft_text(rendition).encode("utf-8")).to_webvtt()


def draft_transcript_json(media_file) -> str:
    rendition = speech_draft(media_file, SPEECH_JSON_SPEC)
    return draft_text(rendition) if rendition else ""


def page_captions(page) -> str:
    """The captions ``mark_reviewed`` would replace on the page, as WebVTT ("" if none): an
    explainer video's captions track in the page's language, a podcast episode's
    transcript."""
    page = page.specific
    if hasattr(page, "text_tracks"):
        from cms.videos.models import TrackKind

        language = page.locale.language_code.split("-")[0]
        for track in page.text_tracks.all():
            if track.kind == TrackKind.CAPTIONS and track.language == language:
                return track.webvtt
        return ""
    return getattr(page, "transcript", "") or ""


@transaction.atomic
def mark_reviewed(page, *, webvtt: str | None = None, user=None):
    """An editor has reviewed the draft (``webvtt``: their corrected text, else the draft as
    it is): it becomes the page's captions (explainer video: the text track of the page's
    language) or transcript (podcast episode) in a new revision, published if the page is
    live. Returns the revision. Raises ValueError when there is nothing to use, TextTrackError
    when the text is not valid WebVTT or SRT."""
    page = page.specific
    media_file = getattr(page, "video", None) or getattr(page, "audio", None)
    if webvtt is None:
        webvtt = draft_webvtt(media_file) if media_file is not None else ""
    if not webvtt.strip():
        raise ValueError("no draft to review")
    track = load_text_track(webvtt.encode("utf-8"), max_duration=latest_end(media_file))
    text = track.to_webvtt()
    if hasattr(page, "text_tracks"):
        language = page.locale.language_code.split("-")[0]
        from cms.videos.models import TrackKind, VideoTextTrack

        tracks = list(page.text_tracks.all())
        existing = [t for t in tracks if t.kind == TrackKind.CAPTIONS and t.language == language]
        if existing:
            existing[0].webvtt = text
        else:
            tracks.append(VideoTextTrack(kind=TrackKind.CAPTIONS, language=language, webvtt=text))
        # Assigned as a whole: a changed row from .all() alone would not reach the revision.
        page.text_tracks = tracks
        if not page.transcript.strip():
            from cms.videos.forms import transcript_from_track

            page.transcript = transcript_from_track(track)
    else:
        page.transcript = text
    revision = page.save_revision(user=user, log_action=True)
    if page.live:
        revision.publish(user=user)
    return revision


def latest_end(media_file) -> float | None:
    """The latest time (seconds) a cue may end at: the recording's duration and a little
    slack, None when the duration is not known."""
    # A little slack: the last cue may be held to its minimum time after the last word.
    return (media_file.duration + 1.0) if media_file is not None and media_file.duration else None


__all__ = [
    "TextTrackError",
    "draft_excerpts",
    "draft_webvtt",
    "find_drafts_with",
    "latest_end",
    "mark_reviewed",
    "page_captions",
    "speech_draft",
]
