from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.core.page_forms import LocalePageForm
from cms.podcasts.forms import PodcastShowPageForm
from media_pipeline.subtitles import (
    TextTrack,
    TextTrackError,
    cues_to_paragraphs,
    format_timestamp,
    load_text_track,
)

OVERLAP = _(
    "Line %(line)s: this caption starts at %(start)s, before the previous one ends "
    "(%(end)s); captions must not overlap."
)
GERMAN_CAPTIONS_REQUIRED = _(
    "A video can only be published with German captions (BITV 2.0). Add a text track of "
    "kind “Captions” in German, or save the page as a draft."
)
NOT_PUBLISHED_SAVED_AS_DRAFT = _(
    "Saved as a draft, not published: a video can only be published with German captions "
    "(BITV 2.0). Add a text track of kind “Captions” in German, then publish."
)
TRACK_TWICE = _("There is already a track of this kind in this language.")


class ExplainerVideoIndexPageForm(LocalePageForm):
    clean_artwork = PodcastShowPageForm.clean_artwork


class TextTrackForm(WagtailAdminModelForm):
    """A captions row: the uploaded file replaces the WebVTT text once validated."""

    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("WebVTT (.vtt) or SRT (.srt). SRT is converted to WebVTT."),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,.srt,text/vtt"}),
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload and upload.size > settings.TEXT_TRACK_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": settings.TEXT_TRACK_MAX_BYTES // 1_000_000}
            )
        return upload or None


class ExplainerVideoPageForm(LocalePageForm):
    def clean(self):
        cleaned = super().clean()
        video = cleaned.get("video")
        duration = video.duration if video is not None else None
        tracks = self._clean_text_tracks(duration)
        if not (cleaned.get("transcript") or "").strip():
            german = tracks.get(("captions", "de"))
            if german is not None:
                cleaned["transcript"] = transcript_from_track(german)
                self.instance.transcript = cleaned["transcript"]
        if self._asks_to_publish() and ("captions", "de") not in tracks:
            self.add_error(None, GERMAN_CAPTIONS_REQUIRED)
        return cleaned

    def _asks_to_publish(self) -> bool:
        return bool(publishing_actions(self.data))

    def _clean_text_tracks(self, duration) -> dict[tuple[str, str], TextTrack]:
        """Validate every row; return the valid tracks by (kind, language)."""
        formset = self.formsets.get("text_tracks")
        if formset is None:
            return {}
        formset.is_valid()
        tracks: dict[tuple[str, str], TextTrack] = {}
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            upload = data.get("upload")
            if upload:
                field, raw, name = "upload", upload.read(), upload.name
            elif (data.get("webvtt") or "").strip():
                field, raw, name = "webvtt", data["webvtt"].encode(), "captions.vtt"
            else:
                if form.has_changed():
                    form.add_error("upload", _("Upload a WebVTT or SRT file."))
                continue
            try:
                track = load_text_track(raw, name, max_duration=duration)
            except TextTrackError as exc:
                form.add_error(field, [str(error) for error in exc.errors])
                continue
            overlaps = find_overlaps(raw, track)
            if overlaps:
                form.add_error(field, overlaps)
                continue
            key = (data.get("kind"), data.get("language"))
            if key in tracks:
                form.add_error("language", TRACK_TWICE)
                continue
            tracks[key] = track
            data["webvtt"] = form.instance.webvtt = track.to_webvtt()
        return tracks


def publishing_actions(data) -> list[str]:
    """The POST keys that publish, or take a step towards it: publishing, submitting to (or
    restarting) a moderation workflow, or approving in one — an approval publishes what was
    submitted."""
    keys = [
        key
        for key in ("action-publish", "action-submit", "action-restart-workflow")
        if data.get(key)
    ]
    if data.get("action-workflow-action") and data.get("workflow-action-name") == "approve":
        keys += ["action-workflow-action", "workflow-action-name"]
    return keys


def find_overlaps(raw: bytes, track: TextTrack) -> list[str]:
    """Messages for captions that start before the previous one ends, by line of the file.

    The parser only accepts tracks whose every timing line became a cue, so the n-th line
    with an arrow is the n-th cue's timing line.
    """
    text = raw.decode(track.encoding, errors="replace").lstrip("\ufeff")
    timing_lines = [
        number for number, line in enumerate(text.splitlines(), start=1) if "-->" in line
    ]
    messages = []
    for index in range(1, len(track.cues)):
        previous, cue = track.cues[index - 1], track.cues[index]
        if cue.start < previous.end:
            line = timing_lines[index] if index < len(timing_lines) else index + 1
            messages.append(
                str(OVERLAP)
                % {
                    "line": line,
                    "start": format_timestamp(cue.start),
                    "end": format_timestamp(previous.end),
                }
            )
    return messages


def transcript_from_track(track: TextTrack) -> str:
    """Readable paragraphs (“Speaker: text”) separated by blank lines."""
    paragraphs = []
    for paragraph in cues_to_paragraphs(track.cues):
        prefix = f"{paragraph.speaker}: " if paragraph.speaker else ""
        paragraphs.append(prefix + paragraph.text)
    return "\n\n".join(paragraphs)
