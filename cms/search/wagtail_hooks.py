from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.core.admin_permissions import PermissionMenuItem

from .admin_views import REPORT_PERMISSION, search_report_view


@hooks.register("register_admin_urls")
def register_search_report_url():
    return [path("search/queries/", search_report_view, name="site_search_report")]


@hooks.register("register_reports_menu_item")
def register_search_report_menu_item():
    return PermissionMenuItem(
        _("Search queries"),
        reverse("site_search_report"),
        name="search-queries",
        icon_name="search",
        order=950,
        permission=REPORT_PERMISSION,
    )
