from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cms.core.page_forms import LocalePageForm
from media_pipeline.subtitles import TextTrackError, load_text_track

MIN_ARTWORK_SIZE = 1400


class PodcastShowPageForm(LocalePageForm):
    def clean_artwork(self):
        artwork = self.cleaned_data.get("artwork")
        if artwork is None:
            return artwork
        if artwork.width != artwork.height:
            raise forms.ValidationError(
                _("The cover art must be square; this image is %(width)s × %(height)s pixels.")
                % {"width": artwork.width, "height": artwork.height}
            )
        if artwork.width < MIN_ARTWORK_SIZE:
            raise forms.ValidationError(
                _(
                    "The cover art is %(size)s × %(size)s pixels; podcast apps need at least "
                    "1400 × 1400 (3000 × 3000 is best)."
                )
                % {"size": artwork.width}
            )
        return artwork

    def clean(self):
        cleaned = super().clean()
        categories = [cleaned.get(f"category_{n}") for n in (1, 2, 3)]
        chosen = [c for c in categories if c]
        if len(set(chosen)) != len(chosen):
            self.add_error("category_2", _("Choose each category only once."))
        return cleaned


class PodcastEpisodePageForm(LocalePageForm):
    transcript_file = forms.FileField(
        label=_("Transcript file"),
        required=False,
        help_text=_("WebVTT (.vtt) or SRT (.srt). SRT is converted to WebVTT."),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,.srt,text/vtt"}),
    )

    def clean_transcript_file(self):
        upload = self.cleaned_data.get("transcript_file")
        if not upload:
            return None
        if upload.size > settings.TEXT_TRACK_MAX_BYTES:
            raise forms.ValidationError(
                _("The transcript file is larger than %(size)s MB.")
                % {"size": settings.TEXT_TRACK_MAX_BYTES // 1_000_000}
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        audio = cleaned.get("audio")
        duration = audio.duration if audio is not None else None
        self._clean_transcript(cleaned, duration)
        self._clean_chapters(duration)
        self._clean_numbers(cleaned)
        return cleaned

    def _clean_transcript(self, cleaned, duration):
        upload = cleaned.get("transcript_file")
        if upload:
            field, data, name = "transcript_file", upload.read(), upload.name
        elif cleaned.get("transcript", "").strip():
            field, data, name = "transcript", cleaned["transcript"].encode(), "transcript.vtt"
        else:
            return
        try:
            track = load_text_track(data, name, max_duration=duration)
        except TextTrackError as exc:
            self.add_error(field, [str(error) for error in exc.errors])
            return
        cleaned["transcript"] = track.to_webvtt()

    def _clean_chapters(self, duration):
        formset = self.formsets.get("chapters")
        if formset is None or not formset.is_valid():
            return
        previous = None
        for form in formset.ordered_forms if formset.can_order else formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("start") is None:
                continue
            seconds = data["start"].total_seconds()
            if seconds < 0:
                form.add_error("start", _("A chapter cannot start before the episode."))
            elif duration is not None and seconds >= duration:
                form.add_error(
                    "start",
                    _("The episode is only %(length)s long; this chapter starts after its end.")
                    % {"length": format_clock(duration)},
                )
            elif previous is not None and seconds <= previous:
                form.add_error(
                    "start", _("Chapters must be in order: each starts after the one above.")
                )
            previous = seconds

    def _clean_numbers(self, cleaned):
        show = self._show()
        if show is None or show.show_type != "serial":
            return
        for field in ("season_number", "episode_number"):
            if not cleaned.get(field):
                self.add_error(
                    field,
                    _("This podcast is serial: every episode needs a season and episode number."),
                )

    def _show(self):
        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        return parent.specific if parent is not None else None


def format_clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
