"""Reach and impact: raw events (short-lived, pseudonymous) and the daily figures folded from
them (kept). No row holds an IP address or a User-Agent: a listener is an HMAC of network,
User-Agent and item under a salt that rotates daily and lives only in the cache or under
``VAR_DIR`` (never in the database), so yesterday's hashes cannot be linked to anyone."""

from django.db import models
from django.utils.translation import gettext_lazy as _

REACH_PERMISSION = "reach.view_reach"


class MediaKind(models.TextChoices):
    AUDIO = "audio", _("podcast episode")
    VIDEO = "video", _("video podcast episode")


class EnclosureRequest(models.Model):
    """One GET of an enclosure that asked for more than a probe (IAB: raw request log)."""

    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=5, choices=MediaKind.choices)
    item_id = models.PositiveIntegerField(help_text="episode or video page id")
    private = models.BooleanField(default=False)
    listener = models.CharField(max_length=32, help_text="HMAC under today's salt")
    listener_prev = models.CharField(
        max_length=32, blank=True, help_text="HMAC under yesterday's salt (links the two days)"
    )
    first_byte = models.PositiveBigIntegerField()
    last_byte = models.PositiveBigIntegerField()
    threshold = models.PositiveBigIntegerField(help_text="bytes that make a download")
    app = models.CharField(max_length=100, blank=True)
    platform = models.CharField(max_length=100, blank=True)

    def __str__(self):
        return f"{self.kind}:{self.item_id} {self.first_byte}-{self.last_byte}"


class PlayEvent(models.Model):
    """A beacon from the video player: a play started or reached 25/50/75/100 %."""

    at = models.DateTimeField(db_index=True)
    video_id = models.PositiveIntegerField()
    viewer = models.CharField(max_length=32)
    milestone = models.PositiveSmallIntegerField()
    embed_domain = models.CharField(max_length=253, blank=True)

    def __str__(self):
        return f"video:{self.video_id} {self.milestone} %"


class FeedFetch(models.Model):
    """A feed fetch by an aggregator that reports its subscribers in its User-Agent."""

    at = models.DateTimeField(db_index=True)
    feed = models.CharField(max_length=40, help_text="podcast:<show id> or video:<index id>")
    app = models.CharField(max_length=100)
    subscribers = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.feed} {self.app}: {self.subscribers}"


class PageView(models.Model):
    """A GET of a public page by a non-bot (no cookie; the referring site's host only)."""

    at = models.DateTimeField(db_index=True)
    page_id = models.PositiveIntegerField()
    referrer = models.CharField(max_length=253, blank=True)
    language = models.CharField(max_length=10, blank=True)

    def __str__(self):
        return f"page:{self.page_id}"


class DailyFigure(models.Model):
    """One folded figure: e.g. 37 downloads of episode 12 on 3 March by Apple Podcasts."""

    day = models.DateField()
    metric = models.CharField(max_length=30)
    subject = models.CharField(max_length=40, blank=True, help_text="e.g. episode:12; '' = all")
    dimension = models.CharField(max_length=20, blank=True, help_text="app, platform, embed …")
    value = models.CharField(max_length=253, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        permissions = [("view_reach", "Can view reach and impact figures")]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "metric", "subject", "dimension", "value"],
                name="reach_daily_figure_unique",
            )
        ]
        indexes = [models.Index(fields=["metric", "day"])]

    def __str__(self):
        return (
            f"{self.day} {self.metric} {self.subject} {self.dimension}={self.value}: {self.count}"
        )


class FollowUpAnswerChoice(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NOT_YET = "not_yet", _("Not yet")
    NO = "no", _("No")


class FollowUp(models.Model):
    """That a learner has answered or declined the question about a completed unit or a
    submitted Digital-Check; it never holds the answer, so answers stay apart from identities."""

    learner = models.ForeignKey(
        "learning.Learner", on_delete=models.CASCADE, related_name="follow_ups"
    )
    unit = models.ForeignKey(
        "learning.LearningUnitPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    submission = models.ForeignKey(
        "digitalcheck.Submission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(help_text="answered or declined")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "unit"], name="reach_followup_unique"),
            models.UniqueConstraint(
                fields=["learner", "submission"], name="reach_followup_check_unique"
            ),
        ]

    def __str__(self):
        return f"follow-up {self.unit_id or self.submission_id}"


class FollowUpOptOut(models.Model):
    """A learner who declined the follow-up question for good."""

    learner = models.OneToOneField(
        "learning.Learner", on_delete=models.CASCADE, related_name="follow_up_opt_out"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"opt-out {self.learner_id}"


class FollowUpAnswer(models.Model):
    """An answer, without the learner: the unit or Digital-Check, the month and what they
    said."""

    unit = models.ForeignKey(
        "learning.LearningUnitPage", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    digital_check = models.ForeignKey(
        "digitalcheck.DigitalCheckPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.CharField(max_length=10, choices=FollowUpAnswerChoice.choices)
    text = models.TextField(max_length=2000, blank=True)
    answered_on = models.DateField(help_text="first day of the month (no exact time)")

    def __str__(self):
        return f"{self.answered_on:%Y-%m} {self.answer}"


class FollowUpMailConsent(models.Model):
    """An account holder who agreed to be asked the follow-up question by e-mail."""

    learner = models.OneToOneField(
        "learning.Learner", on_delete=models.CASCADE, related_name="follow_up_mail_consent"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"mail consent {self.learner_id}"


class FollowUpMail(models.Model):
    """That the follow-up question about one unit or Digital-Check was e-mailed (once)."""

    learner = models.ForeignKey(
        "learning.Learner", on_delete=models.CASCADE, related_name="follow_up_mails"
    )
    unit = models.ForeignKey(
        "learning.LearningUnitPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    submission = models.ForeignKey(
        "digitalcheck.Submission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "unit"], name="reach_followupmail_unit"),
            models.UniqueConstraint(
                fields=["learner", "submission"], name="reach_followupmail_check"
            ),
        ]

    def __str__(self):
        return f"follow-up mail {self.unit_id or self.submission_id}"


class FoldState(models.Model):
    """The last day the fold wrote (one row): the next fold starts the day before it."""

    folded_through = models.DateField()
    folded_at = models.DateTimeField()

    def __str__(self):
        return f"folded through {self.folded_through}"
