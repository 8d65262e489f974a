from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

# Translated paths: /de/suche/ and /en/search/ (inside i18n_patterns).
urlpatterns = [
    path(_("search/"), views.search, name="site_search"),
    path(_("search/suggestions/"), views.suggestions, name="site_search_suggestions"),
]
