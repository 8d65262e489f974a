"""What the subscribe box on the show and episode pages offers: the feed address to copy,
buttons for the directories the editor linked, a podcast-app link and the feed as QR code."""

from __future__ import annotations

import segno
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import SubscribePlatform

BUTTON_PLATFORMS = (SubscribePlatform.APPLE, SubscribePlatform.SPOTIFY)


def subscribe_context(show, request) -> dict:
    feed_url = request.build_absolute_uri(show.feed_path())
    links = list(show.subscribe_links.all())
    return {
        "feed_url": feed_url,
        "buttons": [link for link in links if link.platform in BUTTON_PLATFORMS],
        "other_links": [link for link in links if link.platform not in BUTTON_PLATFORMS],
        "podcast_app_url": podcast_app_url(feed_url),
        "qr_svg": feed_qr_svg(feed_url),
    }


def podcast_app_url(feed_url: str) -> str:
    """The feed behind the ``podcast:`` scheme that Apple Podcasts, Overcast, Pocket Casts and
    AntennaPod register: ``podcast://example.org/feed/``."""
    return "podcast://" + feed_url.split("://", 1)[-1]


def feed_qr_svg(feed_url: str) -> str:
    """The feed address as an inline SVG QR code named by its ``<title>`` (no inline style:
    the site's Content-Security-Policy forbids it)."""
    svg = segno.make(feed_url, error="m").svg_inline(
        scale=4,
        border=2,
        dark="#1b1f24",
        light="#ffffff",
        omitsize=True,
        svgclass="subscribe-qr",
        title=_("QR code of the feed address %(url)s") % {"url": feed_url},
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 - segno escapes
