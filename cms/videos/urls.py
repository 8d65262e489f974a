from django.urls import path

from . import views

urlpatterns = [
    path("embed/video/<int:page_id>/", views.embed, name="video_embed"),
    path("oembed/", views.oembed, name="video_oembed"),
    path(
        "videos/<int:page_id>/tracks/<slug:kind>-<slug:language>.vtt",
        views.text_track,
        name="video_text_track",
    ),
    path(
        "videos/thumbnails/<int:rendition_id>.vtt",
        views.thumbnails_track,
        name="video_thumbnails_track",
    ),
]
