from django import forms
from django.utils.functional import cached_property
from wagtail.blocks import ChooserBlock

from .models import MediaKind, SourceStatus


class MediaChooserBlock(ChooserBlock):
    """Choose an audio or video file; ``kind="audio"`` (or ``"video"``) limits both the
    chooser and what validates. The value is the MediaFile; its renditions may still be
    processing, so templates use ``find_rendition`` and show a placeholder meanwhile."""

    def __init__(self, kind=None, **kwargs):
        if kind is not None and kind not in MediaKind.values:
            raise ValueError(f"MediaChooserBlock kind must be one of {MediaKind.values}")
        self.kind = kind
        super().__init__(**kwargs)

    @cached_property
    def target_model(self):
        from .models import MediaFile

        return MediaFile

    @cached_property
    def widget(self):
        from .viewsets import audio_chooser_viewset, media_chooser_viewset, video_chooser_viewset

        viewset = {
            MediaKind.AUDIO: audio_chooser_viewset,
            MediaKind.VIDEO: video_chooser_viewset,
        }.get(self.kind, media_chooser_viewset)
        return viewset.widget_class()

    @cached_property
    def field(self):
        media_files = self.model_class.objects.filter(source_status=SourceStatus.READY)
        if self.kind:
            media_files = media_files.filter(kind=self.kind)
        return forms.ModelChoiceField(
            queryset=media_files,
            widget=self.widget,
            required=self._required,
            validators=self._validators,
            help_text=self._help_text,
        )

    class Meta:
        icon = "media"
