"""Pages of the public site (under the language prefix) for subscribers of private feeds."""

from django.urls import path

from . import views

urlpatterns = [
    path("personal-feed/<int:show_id>/", views.personal_feed, name="personal_feed"),
]
