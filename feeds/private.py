"""Private feeds: personal feed URLs for shows or episodes restricted to groups.

Restriction is Wagtail's own page privacy: a ``PageViewRestriction`` of type "groups" (or
"login") on the show, on a page above it or on single episodes. A token opens what its
subscriber could open on the site: a token with a user passes the restrictions that user
passes (and stops working when the user is deactivated); a token without a user, made by an
editor for a partner network, passes every group and login restriction of its show. Shared
password restrictions are never passed — a password is not a person.

The secret is random and shown once, as API keys are; only its SHA-256 is stored and looked
up, so comparing is a database lookup of a hash (no timing side channel on the secret) and a
leaked database or backup opens no feed. A secret derived from ``SECRET_KEY`` could be shown
again, but would tie every subscription to that key's rotation; "revoke and renew" gives a
subscriber a new URL instead.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db.models import F
from django.utils import timezone
from wagtail.models import PageViewRestriction

from .models import PrivateFeedFetch, PrivateFeedToken

TOKEN_BYTES = 24
PASSABLE = (PageViewRestriction.GROUPS, PageViewRestriction.LOGIN)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def generate_secret() -> tuple[str, str]:
    """A new random secret and the hash that is stored of it."""
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    return secret, hash_secret(secret)


def create_token(show, *, user=None, label: str = "") -> tuple[PrivateFeedToken, str]:
    """Create a token for ``show``; returns it with its secret, which is not stored."""
    secret, token_hash = generate_secret()
    token = PrivateFeedToken.objects.create(
        show=show, user=user, label=label, token_hash=token_hash
    )
    return token, secret


def revoke_token(token: PrivateFeedToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def renew_token(show, user) -> tuple[PrivateFeedToken, str]:
    """Revoke the user's tokens of ``show`` and create a new one (self-service)."""
    for token in PrivateFeedToken.objects.filter(show=show, user=user, revoked_at__isnull=True):
        revoke_token(token)
    return create_token(show, user=user)


def find_token(secret: str) -> PrivateFeedToken | None:
    """The active token with this secret whose subscriber (if any) is still active."""
    if not secret or len(secret) > 100:
        return None
    token = (
        PrivateFeedToken.objects.filter(token_hash=hash_secret(secret), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or (token.user_id and not token.user.is_active):
        return None
    return token


def _relevant(restriction, show) -> bool:
    path = restriction.page.path
    return show.path.startswith(path) or path.startswith(show.path)


def _passes(restriction, user) -> bool:
    if restriction.restriction_type not in PASSABLE:
        return False
    if user is None:  # an editor's token for a partner network
        return True
    if restriction.restriction_type == PageViewRestriction.LOGIN or user.is_superuser:
        return True
    return bool({g.pk for g in restriction.groups.all()} & _group_ids(user))


def _group_ids(user) -> set[int]:
    if not hasattr(user, "_private_feed_groups"):
        user._private_feed_groups = set(user.groups.values_list("pk", flat=True))
    return user._private_feed_groups


def _restrictions(show):
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    return [r for r in restrictions if _relevant(r, show)]


def closed_paths(show, user=None) -> list[str]:
    """Tree paths in and around ``show`` that stay closed for ``user`` (None: an editor's
    token): what ``feeds.selectors`` leaves out of the private feed."""
    return [r.page.path for r in _restrictions(show) if not _passes(r, user)]


def opens_private_content(show, user=None) -> bool:
    """Whether the show has restricted content this subscriber may see, and the show itself
    is open to them: the condition for a personal feed."""
    restrictions = _restrictions(show)
    passed = [r for r in restrictions if _passes(r, user)]
    closed_above = [
        r for r in restrictions if not _passes(r, user) and show.path.startswith(r.page.path)
    ]
    return bool(passed) and not closed_above


def token_closed_paths(token: PrivateFeedToken) -> list[str]:
    return closed_paths(token.show, token.user)


def record_fetch(token: PrivateFeedToken, *, media: bool = False) -> None:
    """Count one fetch of the token's feed (or of an episode's media) for today."""
    today = timezone.localdate()
    row, _created = PrivateFeedFetch.objects.get_or_create(token=token, day=today)
    field = "media_fetches" if media else "feed_fetches"
    PrivateFeedFetch.objects.filter(pk=row.pk).update(**{field: F(field) + 1})
    if token.last_used_on != today:
        PrivateFeedToken.objects.filter(pk=token.pk).update(last_used_on=today)
        token.last_used_on = today
