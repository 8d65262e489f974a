"""The Medien admin area and the media choosers, as Wagtail viewsets.

Pages pick media with the chooser widget (registered for every ForeignKey to MediaFile) or,
for one kind only, with ``audio_chooser_viewset.widget_class`` / ``video_chooser_viewset``;
StreamFields use ``blocks.MediaChooserBlock(kind=...)``.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from . import views
from .models import MediaFile, MediaKind


class MediaFileViewSet(ModelViewSet):
    model = MediaFile
    icon = "media"
    menu_label = _("Media")
    menu_order = 320
    add_to_admin_menu = True
    index_view_class = views.MediaFileIndexView
    inspect_view_class = views.MediaFileInspectView
    inspect_view_enabled = True
    delete_view_class = views.MediaFileDeleteView
    delete_template_name = views.MediaFileDeleteView.template_name
    copy_view_enabled = False
    form_fields = ["title"]
    list_filter = ["kind", "source_status"]
    search_fields = ["title"]
    search_backend_name = None

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            progress_url_name=self.get_url_name("progress"),
            original_url_name=self.get_url_name("original"),
            retry_url_name=self.get_url_name("retry"),
            caption_editor_url_name=self.get_url_name("caption_editor"),
            **kwargs,
        )

    @property
    def add_view(self):
        return self.construct_view(
            views.MediaUploadView, inspect_url_name=self.get_url_name("inspect")
        )

    @property
    def progress_view(self):
        return self.construct_view(views.RenditionProgressView)

    @property
    def original_view(self):
        return self.construct_view(views.OriginalDownloadView)

    @property
    def retry_view(self):
        return self.construct_view(
            views.RetryRenditionView, inspect_url_name=self.get_url_name("inspect")
        )

    @property
    def caption_editor_view(self):
        return self.construct_view(
            views.CaptionEditorView, inspect_url_name=self.get_url_name("inspect")
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("captions/<int:pk>/", self.caption_editor_view, name="caption_editor"),
            path("progress/", self.progress_view, name="progress"),
            path("retry/<int:rendition_pk>/", self.retry_view, name="retry"),
            path("original/<int:pk>/", self.original_view, name="original"),
        ]


class MediaFileChooserViewSet(ChooserViewSet):
    model = MediaFile
    icon = "media"
    kind = None
    choose_one_text = _("Choose a media file")
    choose_another_text = _("Choose another media file")
    edit_item_text = _("Edit media file")
    choose_view_class = views.MediaChooseView
    choose_results_view_class = views.MediaChooseResultsView

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(kind=self.kind, **kwargs)


media_file_viewset = MediaFileViewSet("media")
media_chooser_viewset = MediaFileChooserViewSet("media_chooser", url_prefix="media-chooser")
# Limited to one kind; not registered as the default ForeignKey widget.
audio_chooser_viewset = MediaFileChooserViewSet(
    "audio_chooser",
    url_prefix="audio-chooser",
    kind=MediaKind.AUDIO,
    register_widget=False,
    choose_one_text=_("Choose an audio file"),
    choose_another_text=_("Choose another audio file"),
)
video_chooser_viewset = MediaFileChooserViewSet(
    "video_chooser",
    url_prefix="video-chooser",
    kind=MediaKind.VIDEO,
    register_widget=False,
    choose_one_text=_("Choose a video"),
    choose_another_text=_("Choose another video"),
)
