from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cms.core"
    label = "core"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import navigation, signal_handlers

        signal_handlers.register_signal_handlers()
        navigation.register_signal_handlers()
        name_admin_search_results()


def name_admin_search_results():
    """Wagtail 8's page search leaves ``verbose_name_plural`` unset, so its result count
    reads “1-2 von 2 None”. Name what it counts. (A class attribute of Wagtail's view: there
    is no setting or hook for it; replacing the view would mean re-routing its URLs.)"""
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.views.pages.search import SearchView

    if SearchView.verbose_name_plural is None:
        SearchView.verbose_name = _("page")
        SearchView.verbose_name_plural = _("pages")
