"""WebSub publishing: tell the hubs in ``WEBSUB_HUBS`` that a feed has changed.

A ping is what the WebSub recommendation (and PubSubHubbub before it) has publishers send: a
form-encoded POST of ``hub.mode=publish`` and ``hub.url=<the feed's absolute URL>``. The hub
then fetches the feed itself and pushes it to its subscribers, so podcast apps that subscribe
through a hub see a new episode within seconds instead of at their next poll.

Pings are sent by ``feeds.tasks.ping_websub_hub_task``, one task per hub and feed, enqueued
on commit by the signal handlers through ``request_websub_ping``. Without hubs configured
nothing is enqueued.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import logging
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

logger = logging.getLogger(__name__)

PING_TIMEOUT = 10  # seconds for connecting and for the hub's answer
USER_AGENT = "Lernfunk (WebSub publisher)"
# Answers after which the same ping may well succeed later; other 4xx are the hub's final no.
TRANSIENT_STATUSES = frozenset({408, 425, 429})
# A hub's Retry-After is honoured up to this many seconds (a longer one is read as this).
RETRY_AFTER_MAX = 6 * 60 * 60


class HubPingError(Exception):
    """A hub did not accept a ping."""

    def __init__(self, hub_url: str, detail: str):
        # Both as args: Celery pickles the error of a retry, and unpickling calls cls(*args).
        super().__init__(hub_url, detail)
        self.hub_url = hub_url
        self.detail = detail

    def __str__(self):
        return f"{self.hub_url}: {self.detail}"


class TransientHubError(HubPingError):
    """The hub could not be reached, timed out, failed (5xx) or asked to slow down (429):
    the same ping may succeed later. ``retry_after`` is the wait in seconds the hub asked
    for in its ``Retry-After`` header, or None."""

    def __init__(self, hub_url: str, detail: str, retry_after: float | None = None):
        Exception.__init__(self, hub_url, detail, retry_after)
        self.hub_url = hub_url
        self.detail = detail
        self.retry_after = retry_after


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay-seconds or an HTTP date, RFC 9110
    10.2.3), at least 1 and at most ``RETRY_AFTER_MAX``; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # RFC 850/asctime forms: the standard says GMT
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 1.0), float(RETRY_AFTER_MAX))


class HubRefusedError(HubPingError):
    """The hub refused the ping for good (4xx other than 408/425/429, or a redirect)."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would follow a 301/302 to a POST with a GET without the form: the ping would be
    # lost silently. A hub that moved must be configured under its new URL.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def ping_hub(hub_url: str, feed_url: str, *, timeout: float = PING_TIMEOUT) -> int:
    """POST ``hub.mode=publish`` and ``hub.url=feed_url`` to ``hub_url``; return the 2xx status.

    Raises ``TransientHubError`` for connection errors, timeouts, answers that are not HTTP,
    5xx, 408, 425 and 429 (with the hub's ``Retry-After``, if it sent one), and
    ``HubRefusedError`` for any other answer. Never follows redirects, never retries itself.
    """
    if urlsplit(hub_url).scheme not in ("http", "https"):
        raise HubRefusedError(hub_url, "not an http(s) URL")
    body = urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode("ascii")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        hub_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": USER_AGENT,
        },
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        with error:
            detail = f"HTTP {error.code} {error.reason}"
            retry_after = parse_retry_after(error.headers.get("Retry-After"))
        if error.code >= 500 or error.code in TRANSIENT_STATUSES:
            raise TransientHubError(hub_url, detail, retry_after) from error
        raise HubRefusedError(hub_url, detail) from error
    except (OSError, http.client.HTTPException) as error:  # refused, reset, DNS, timeout, garbage
        reason = getattr(error, "reason", error)
        raise TransientHubError(hub_url, f"{type(reason).__name__}: {reason}") from error


def find_feed_url(page) -> str:
    """The absolute URL of the feed a change of ``page`` shows in, or "" if it shows in none.

    A show or video index (``PodcastFeedPage``) is in its own feed, an episode or explainer
    video (``FeedItemPage``) in its parent's; a translation offers the feed of the page in the
    default language (``feed_page()``). The host comes from the page's Site; a page outside
    every Site has no absolute feed URL and gives "".
    """
    from cms.podcasts.models import FeedItemPage, PodcastFeedPage

    page = page.specific
    if isinstance(page, FeedItemPage):
        try:
            parent = page.get_parent()
        except ObjectDoesNotExist:  # deleted together with its show
            return ""
        page = parent.specific if parent is not None else None
    if not isinstance(page, PodcastFeedPage):
        return ""
    url = page.feed_page().feed_url()
    return url if urlsplit(url).scheme in ("http", "https") else ""


def request_websub_ping(page) -> None:
    """On commit, enqueue a ping of every configured hub for the feed ``page`` is in.

    Does nothing without ``WEBSUB_HUBS`` or for a page in no feed. Pings leave after
    ``WEBSUB_PING_DELAY`` seconds, and further changes of the same feed within that time
    enqueue nothing more: the ping already on its way covers them (the hub fetches the feed
    when it arrives). Never raises: a broken broker or page is logged, the publish goes on.
    """
    if not settings.WEBSUB_HUBS:
        return
    try:
        feed_url = find_feed_url(page)
    except Exception:  # noqa: BLE001 - a ping is never worth failing a publish
        logger.exception("no WebSub ping for page %s", page.pk)
        return
    if feed_url:
        # robust: a broker that is down is logged instead of raising into the request.
        transaction.on_commit(lambda: _enqueue_pings(feed_url), robust=True)


def _enqueue_pings(feed_url: str) -> None:
    from .tasks import ping_websub_hub_task

    delay = settings.WEBSUB_PING_DELAY
    key = f"websub:ping:{hashlib.sha256(feed_url.encode()).hexdigest()[:32]}"
    if delay > 0 and not cache.add(key, 1, delay):
        return
    for hub_url in settings.WEBSUB_HUBS:
        ping_websub_hub_task.apply_async((hub_url, feed_url), countdown=delay)
