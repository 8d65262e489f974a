"""Who is learning: the account's learner, or an anonymous one from a first-party cookie.

The cookie holds a random opaque token (HttpOnly, SameSite=Lax, Secure where the session
cookie is); the database keeps only its SHA-256. Nothing identifies the person.

Nothing is stored and no cookie is set before the visitor's first write (progress, quiz,
checklist, reflection, Digital-Check): reading calls ``find_learner``, writing
``ensure_learner``. ``LearnerCookieMiddleware`` sets the cookie of a new learner and renews
it whenever the learner's ``last_seen_at`` moves, so the cookie expires exactly when the
daily purge would delete the learner (``LEARNING_ANONYMOUS_RETENTION_DAYS`` unused).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from cms.core.project_state import project_ended

from .models import Learner


def __getattr__(name: str):
    # COOKIE_NAME follows settings.LEARNING_COOKIE_NAME (``__Host-…`` in production).
    if name == "COOKIE_NAME":
        return settings.LEARNING_COOKIE_NAME
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_TOUCH_AFTER = timedelta(hours=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_learner(request) -> Learner | None:
    """The current learner, or None if this visitor has no learning data yet.

    Never creates anything; an anonymous learner found by cookie gets the cookie renewed
    (at most hourly, with ``last_seen_at``) — except in "project ended" mode, which writes
    nothing, so the learner expires on its usual day."""
    if hasattr(request, "_learner"):
        return request._learner
    learner = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        learner = Learner.objects.filter(user=user).first()
        if learner is not None and not project_ended(request):
            _touch(learner)
    else:
        token = request.COOKIES.get(settings.LEARNING_COOKIE_NAME, "")
        if 20 <= len(token) <= 100:
            learner = Learner.objects.filter(token_hash=hash_token(token), user=None).first()
        if learner is not None and not project_ended(request) and _touch(learner):
            request._learner_cookie_token = token
    request._learner = learner
    return learner


def ensure_learner(request) -> Learner:
    """The current learner, created on first use (call it only to write learner data)."""
    learner = find_learner(request)
    if learner is not None:
        return learner
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        learner = Learner.objects.get_or_create(user=user)[0]
    else:
        token = secrets.token_urlsafe(32)
        learner = Learner.objects.create(token_hash=hash_token(token))
        request._learner_cookie_token = token
    request._learner = learner
    return learner


def remember_learner(request, response):
    """Set (or renew) the cookie of a learner created or seen in this request; pass the
    response through."""
    token = getattr(request, "_learner_cookie_token", None)
    if token:
        response.set_cookie(
            settings.LEARNING_COOKIE_NAME,
            token,
            max_age=settings.LEARNING_ANONYMOUS_RETENTION_DAYS * 24 * 60 * 60,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def forget_learner(request, response):
    request._learner = None
    request._learner_cookie_token = None
    response.delete_cookie(settings.LEARNING_COOKIE_NAME, samesite="Lax")
    return response


class LearnerCookieMiddleware:
    """Puts the learner cookie on the response wherever the learner was created or seen,
    so no view has to remember to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return remember_learner(request, self.get_response(request))


def anonymous_learner_from_cookie(request) -> Learner | None:
    token = request.COOKIES.get(settings.LEARNING_COOKIE_NAME, "")
    if not token:
        return None
    return Learner.objects.filter(token_hash=hash_token(token), user=None).first()


def _touch(learner: Learner) -> bool:
    """Move ``last_seen_at`` (the purge's clock) if it is older than an hour; say whether."""
    now = timezone.now()
    if now - learner.last_seen_at <= _TOUCH_AFTER:
        return False
    Learner.objects.filter(pk=learner.pk).update(last_seen_at=now)
    learner.last_seen_at = now
    return True
