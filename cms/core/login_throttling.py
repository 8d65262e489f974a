"""Password guessing is throttled by django-axes, configured for privacy (settings.AXES_*).

Failures are counted in the cache per user name (casefolded, stored only as part of a hashed
cache key) and expire after the cool-off: no IP address, no browser string and no log row is
ever stored. A user name with too many failures is locked for everyone, whatever the right
password, until the cool-off has passed; a failure during the lock extends it.

Login forms show the lock where the user is: they mix in :class:`LockoutMessageMixin`, and
:func:`lockout_response` keeps that re-rendered form as the answer (status 429) instead of
axes' bare page.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import ngettext


def lockout_message() -> str:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return ngettext(
        "Too many failed logins for this account. Please wait %(minutes)s minute and try again.",
        "Too many failed logins for this account. Please wait %(minutes)s minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


class LockoutMessageMixin:
    """For ``AuthenticationForm`` subclasses: a locked account gets its own message, not
    "wrong password" (which would invite more guessing)."""

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return forms.ValidationError(lockout_message(), code="locked_out")
        return super().get_invalid_login_error()


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page as the view rendered it, as 429."""
    if original_response is not None and original_response.status_code == 200:
        original_response.status_code = 429
        return original_response
    return HttpResponse(lockout_message(), status=429, content_type="text/plain; charset=utf-8")


def no_client_ip(request) -> None:
    """AXES_CLIENT_IP_CALLABLE: locks go by user name, so the address is never read."""
    return None


def login_username(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: "Admin" and "admin " count against the same lock."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username")
    if username is None:
        return None
    return str(username).strip().casefold()
