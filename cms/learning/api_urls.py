"""A URLconf holding only the API; see ``api._answer_without_locale_redirect`` for why."""

from django.urls import path

from .api import api

urlpatterns = [path("api/", api.urls)]
