from django.urls import path, register_converter

from . import views


class EnclosureExtensionConverter:
    regex = "mp3|m4a"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class FeedTokenConverter:
    """A private feed token as ``secrets.token_urlsafe`` writes it."""

    regex = "[A-Za-z0-9_-]{16,100}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(EnclosureExtensionConverter, "enclosure_ext")
register_converter(FeedTokenConverter, "feed_token")

urlpatterns = [
    path("feeds/podcast/<int:show_id>.xml", views.podcast_feed, name="podcast_feed"),
    path(
        "podcast-audio/<uuid:guid>.<enclosure_ext:extension>",
        views.episode_enclosure,
        name="episode_enclosure",
    ),
    path("feeds/chapters/<uuid:guid>.json", views.episode_chapters, name="episode_chapters"),
    path("feeds/transcripts/<uuid:guid>.vtt", views.episode_transcript, name="episode_transcript"),
    path(
        "feeds/private/<feed_token:secret>/podcast/<int:show_id>.xml",
        views.private_podcast_feed,
        name="private_podcast_feed",
    ),
    path(
        "podcast-audio/private/<feed_token:secret>/<uuid:guid>.<enclosure_ext:extension>",
        views.private_episode_enclosure,
        name="private_episode_enclosure",
    ),
    path(
        "feeds/private/<feed_token:secret>/chapters/<uuid:guid>.json",
        views.private_episode_chapters,
        name="private_episode_chapters",
    ),
    path(
        "feeds/private/<feed_token:secret>/transcripts/<uuid:guid>.vtt",
        views.private_episode_transcript,
        name="private_episode_transcript",
    ),
    path("feeds/video/<int:index_id>.xml", views.video_feed, name="video_feed"),
    path("video-podcast/<uuid:guid>.mp4", views.video_enclosure, name="video_enclosure"),
]
