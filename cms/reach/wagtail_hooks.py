from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.core.admin_permissions import PermissionMenuItem

from .admin_views import dashboard_view, report_view
from .counting import record_page_view
from .models import REACH_PERMISSION


@hooks.register("register_admin_urls")
def register_reach_urls():
    return [
        path("reach/", dashboard_view, name="reach_dashboard"),
        path("reach/report/", report_view, name="reach_report"),
    ]


@hooks.register("register_admin_menu_item")
def register_reach_menu_item():
    return PermissionMenuItem(
        _("Reach"),
        reverse("reach_dashboard"),
        name="reach",
        icon_name="view",
        order=850,
        permission=REACH_PERMISSION,
    )


@hooks.register("before_serve_page")
def count_page_view(page, request, serve_args, serve_kwargs):
    """Views per page without cookies; returns nothing, so the page is served as usual."""
    record_page_view(request, page)
