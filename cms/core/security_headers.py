"""The Content-Security-Policy per area: the strict site policy, the admin's own under /admin/.

Both are settings (CONTENT_SECURITY_POLICY, ADMIN_CONTENT_SECURITY_POLICY); a view may still
adjust its policy with django-csp's decorators (the video embed allows any frame ancestor).
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts
