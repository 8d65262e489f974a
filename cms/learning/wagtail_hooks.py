from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from cms.core.admin_permissions import PermissionMenuItem

from .admin_views import REPORT_PERMISSION, unit_report_index_view, unit_report_view
from .models import LearningUnitPage


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("learning/reports/", unit_report_index_view, name="learning_unit_reports"),
        path("learning/reports/<int:page_id>/", unit_report_view, name="learning_unit_report"),
    ]


@hooks.register("register_reports_menu_item")
def register_learning_reports_menu_item():
    return PermissionMenuItem(
        _("Learning units"),
        reverse("learning_unit_reports"),
        name="learning-reports",
        icon_name="table",
        order=900,
        permission=REPORT_PERMISSION,
    )


@hooks.register("register_page_listing_more_buttons")
def learning_report_button(page, user, next_url=None):
    if user.has_perm(REPORT_PERMISSION) and isinstance(page.specific_deferred, LearningUnitPage):
        yield Button(
            _("Learning report"),
            reverse("learning_unit_report", args=[page.pk]),
            priority=70,
            icon_name="table",
        )
