from django.urls import path, register_converter

from . import views


class EnclosureExtensionConverter:
    regex = "mp3|m4a"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(EnclosureExtensionConverter, "enclosure_ext")

urlpatterns = [
    path("feeds/podcast/<int:show_id>.xml", views.podcast_feed, name="podcast_feed"),
    path(
        "podcast-audio/<uuid:guid>.<enclosure_ext:extension>",
        views.episode_enclosure,
        name="episode_enclosure",
    ),
    path("feeds/chapters/<uuid:guid>.json", views.episode_chapters, name="episode_chapters"),
    path("feeds/transcripts/<uuid:guid>.vtt", views.episode_transcript, name="episode_transcript"),
    path("feeds/video/<int:index_id>.xml", views.video_feed, name="video_feed"),
    path("video-podcast/<uuid:guid>.mp4", views.video_enclosure, name="video_enclosure"),
]
