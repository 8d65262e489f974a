"""The Digital-Check: questionnaire page, frozen questionnaire versions, submissions and
participation certificates.

The page is what editors edit; a ``QuestionnaireVersion`` is a JSON snapshot taken on
publish, and every ``Submission`` points at the version it answered. Editing the page never
changes old results, because scoring reads only the snapshot.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page

from .blocks import DimensionsBlock, TopicPairsBlock


def new_token() -> str:
    return secrets.token_urlsafe(24)


class DigitalCheckPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    privacy_note = models.TextField(
        _("privacy note"),
        blank=True,
        help_text=_("Shown next to the optional company details."),
    )
    dimensions = StreamField(DimensionsBlock(), verbose_name=_("dimensions"))
    topic_pairs = StreamField(TopicPairsBlock(), verbose_name=_("topics"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("privacy_note"),
        MultiFieldPanel(
            [FieldPanel("dimensions"), FieldPanel("topic_pairs")],
            heading=_("Questionnaire"),
            help_text=_(
                "Publishing a changed questionnaire starts a new version; results already "
                "given keep the version they answered."
            ),
        ),
    ]
    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Digital-Check")

    def get_current_version(self):
        return self.versions.order_by("-number").first()

    @path("")
    def start(self, request):
        from .views import start_view

        return start_view(request, self)

    @path("answer/<int:step>/", name="answer")
    def answer(self, request, step):
        from .views import answer_view

        return answer_view(request, self, step)

    @path("result/<str:token>/", name="result")
    def result(self, request, token):
        from .views import result_view

        return result_view(request, self, token)

    @path("result/<str:token>/pdf/", name="result_pdf")
    def result_pdf(self, request, token):
        from .views import result_pdf_view

        return result_pdf_view(request, self, token)

    @path("retake/<str:token>/", name="retake")
    def retake(self, request, token):
        from .views import retake_view

        return retake_view(request, self, token)


class QuestionnaireVersion(models.Model):
    page = models.ForeignKey(DigitalCheckPage, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField(help_text="dimensions, questions and topics as published")
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire version")
        ordering = ["page", "number"]
        constraints = [
            models.UniqueConstraint(fields=("page", "number"), name="unique_version_number")
        ]

    def __str__(self):
        return _("Version %(number)s") % {"number": self.number}

    @property
    def question_count(self) -> int:
        return sum(len(d["questions"]) for d in self.snapshot.get("dimensions", []))


class Sector(models.TextChoices):
    CRAFT = "craft", _("Craft trades")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    TRADE = "trade", _("Retail and wholesale")
    SERVICES = "services", _("Services")
    HEALTH = "health", _("Health and social care")
    OTHER = "other", _("Other sector")


class SizeBand(models.TextChoices):
    MICRO = "micro", _("1 to 9 employees")
    SMALL = "small", _("10 to 49 employees")
    MEDIUM = "medium", _("50 to 249 employees")
    LARGE = "large", _("250 employees or more")


class Region(models.TextChoices):
    NORTH = "north", _("North Germany")
    EAST = "east", _("East Germany")
    SOUTH = "south", _("South Germany")
    WEST = "west", _("West Germany")
    ABROAD = "abroad", _("Outside Germany")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Submission(models.Model):
    """One run through the check. Holds no names or e-mails: context fields are bands.

    ``learner`` links a draft to whoever may continue it; deleting the learner's data keeps
    the anonymous answers for the aggregate but cuts the link. ``learner_token_hash`` lets
    an anonymous submission follow its learner into an account (see signal_handlers).
    """

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="submissions"
    )
    learner = models.ForeignKey(
        "learning.Learner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digital_checks",
    )
    learner_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    current_step = models.PositiveSmallIntegerField(default=0)
    answers = models.JSONField(default=dict)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    size_band = models.CharField(
        pgettext_lazy("size of the responding business", "company size"),
        max_length=20,
        choices=SizeBand.choices,
        blank=True,
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    recommended_unit_ids = models.JSONField(default=list, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("Digital-Check submission")
        indexes = [models.Index(fields=("learner", "status"))]
        permissions = [("view_needs_dashboard", _("Can view the needs dashboard"))]

    def __str__(self):
        return f"submission {self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.status == SubmissionStatus.SUBMITTED


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    WITHDRAWN = "withdrawn", _("Withdrawn (account deleted)")


class Certificate(models.Model):
    """A participation certificate ("Teilnahmebestätigung") for a completed unit or path.

    Everything printed on it is copied here when it is issued, so the verification page
    shows what the certificate says even if the unit changes later. When the holder deletes
    their account it is withdrawn: the name is erased and only the withdrawal is confirmed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    unit = models.ForeignKey(
        "learning.LearningUnitPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    path = models.ForeignKey(
        "learning.LearningPathPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    code = models.CharField(_("verification code"), max_length=64, unique=True, default=new_token)
    name = models.CharField(_("name as entered"), max_length=150)
    title = models.CharField(_("unit or learning path"), max_length=255)
    objectives = models.JSONField(_("learning objectives"), default=list)
    minutes = models.PositiveIntegerField(_("duration (minutes)"))
    completed_on = models.DateField(_("completed on"))
    organisation_name = models.CharField(_("centre"), max_length=200)
    funding_notice = models.TextField(_("funding notice"), blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    revocation_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    panels = [FieldPanel("status"), FieldPanel("revocation_reason")]

    class Meta:
        verbose_name = _("participation certificate")
        verbose_name_plural = _("participation certificates")
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.title} – {self.name}"

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID

    def clean(self):
        """Editors revoke; only deleting the holder's account withdraws, for good."""
        super().clean()
        stored = Certificate.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored == CertificateStatus.WITHDRAWN and self.status != stored:
            raise ValidationError(
                {
                    "status": _(
                        "This certificate was withdrawn with its holder's account; it stays so."
                    )
                }
            )
        if stored != CertificateStatus.WITHDRAWN and self.status == CertificateStatus.WITHDRAWN:
            raise ValidationError(
                {
                    "status": _(
                        "Only deleting the holder's account withdraws a certificate; "
                        "revoke it instead."
                    )
                }
            )
