from wagtail import hooks

from .viewsets import (
    audio_chooser_viewset,
    media_chooser_viewset,
    media_file_viewset,
    video_chooser_viewset,
)


@hooks.register("register_admin_viewset")
def register_media_viewsets():
    return [
        media_file_viewset,
        media_chooser_viewset,
        audio_chooser_viewset,
        video_chooser_viewset,
    ]
