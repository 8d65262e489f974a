"""Personal feed tokens for shows (or episodes) restricted to groups, and their day counters.

The feed cache counter lives in ``core.CacheGeneration``; these tables hold only what a
private feed needs. A token's secret is never stored: only its SHA-256, so a database dump or
backup yields no working feed URL (see ``feeds.private``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _


class PrivateFeedToken(models.Model):
    show = models.ForeignKey(
        "podcasts.PodcastShowPage",
        verbose_name=_("show"),
        on_delete=models.CASCADE,
        related_name="private_feed_tokens",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="private_feed_tokens",
        help_text=_("The feed works only while this user may see the restricted episodes."),
    )
    label = models.CharField(
        _("label"),
        max_length=200,
        blank=True,
        help_text=_("Who gets this feed, e.g. the partner network's name."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_on = models.DateField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("private feed")
        verbose_name_plural = _("private feeds")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        who = self.label or (self.user.get_username() if self.user_id else "")
        return f"{self.show.title}: {who}" if who else self.show.title

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def status_display(self) -> str:
        if self.revoked_at is None:
            return _("active")
        return _("revoked on %(date)s") % {"date": formats.date_format(self.revoked_at.date())}


class PrivateFeedFetch(models.Model):
    """How often a token's feed and its episodes were fetched on one day; nothing about who
    (no addresses, no user agents)."""

    token = models.ForeignKey(PrivateFeedToken, on_delete=models.CASCADE, related_name="fetches")
    day = models.DateField()
    feed_fetches = models.PositiveIntegerField(default=0)
    media_fetches = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # One row per token and day: concurrent first fetches meet in get_or_create.
            models.UniqueConstraint(fields=["token", "day"], name="private_feed_fetch_day")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.day}: {self.feed_fetches}/{self.media_fetches}"
