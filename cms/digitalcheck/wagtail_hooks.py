from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.core.admin_permissions import PermissionMenuItem

from .admin_views import DASHBOARD_PERMISSION, needs_dashboard_view
from .models import Certificate


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [path("digital-check/needs/", needs_dashboard_view, name="digitalcheck_needs")]


@hooks.register("register_reports_menu_item")
def register_needs_menu_item():
    return PermissionMenuItem(
        _("Needs (Digital-Check)"),
        reverse("digitalcheck_needs"),
        name="digitalcheck-needs",
        icon_name="table",
        order=910,
        permission=DASHBOARD_PERMISSION,
    )


class IssuedOnlyPolicy(ModelPermissionPolicy):
    """Certificates are issued by the system when a learner completes something, never
    added by hand, not even by superusers."""

    def user_has_permission(self, user, action):
        return action not in ("add", "copy") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Certificate, IssuedOnlyPolicy(Certificate))


class CertificateViewSet(SnippetViewSet):
    """Editors look certificates up and revoke them."""

    model = Certificate
    copy_view_enabled = False
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 300
    add_to_admin_menu = False
    list_display = ["title", "name", "completed_on", "status"]
    list_filter = ["status"]
    search_fields = ["title", "name", "code"]
    inspect_view_enabled = True


register_snippet(CertificateViewSet)
