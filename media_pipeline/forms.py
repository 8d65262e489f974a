from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm, SearchFilterMixin

from .models import MediaKind


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts one or more files and cleans to a list of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class MediaUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Audio or video files"),
        required=False,
        # Empty files reach the pipeline, which rejects them with its own message.
        allow_empty_file=True,
        help_text=_("You can select several files at once."),
        widget=MultipleFileInput(attrs={"accept": "audio/*,video/*"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("Only used when uploading a single file; defaults to the file name."),
    )


class MediaChooserFilterForm(SearchFilterMixin, BaseFilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *MediaKind.choices],
        required=False,
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )

    def filter(self, objects):
        # Before the search: a search backend returns results, not a filterable queryset.
        if kind := self.cleaned_data.get("kind"):
            objects = objects.filter(kind=kind)
        return super().filter(objects)
