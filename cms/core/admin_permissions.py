"""Admin pages behind their own permission: a menu item only its holders see, and a real
403 for everyone else (Wagtail would turn ``PermissionDenied`` into a redirect to the
dashboard, which also hides the refusal from a CSV download)."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users holding ``permission`` (superusers hold all)."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


def forbidden(request):
    return TemplateResponse(
        request,
        "core/admin/forbidden.html",
        {"page_title": _("No access"), "header_title": _("No access"), "header_icon": "lock"},
        status=403,
    )
