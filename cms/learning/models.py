"""Catalogue, self-learning units, learning paths, and what a learner has done in them.

Steps are a StreamField on the unit, not child pages: a step is a short slice of one unit,
edited, previewed, published and translated together with it; its block UUID is a stable
key for progress; and a unit page renders from one row without a tree query per step.
Paths reference units through an orderable relation, so a unit can stand alone and belong
to several paths. Learner data lives in plain models here, never on pages.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.core.page_forms import LocalePageForm
from cms.core.project_state import open_after_project_end

from .blocks import UnitStepsBlock
from .structure import build_steps, required_step_ids

SUMMARY_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class LearningFormat(models.TextChoices):
    TEXT = "text", _("Text")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")


class DurationBand(models.TextChoices):
    SHORT = "short", _("up to 15 minutes")
    MEDIUM = "medium", _("16 to 45 minutes")
    LONG = "long", _("more than 45 minutes")

    @classmethod
    def bounds(cls, band: str) -> tuple[int, int | None]:
        return {"short": (0, 15), "medium": (16, 45), "long": (46, None)}[band]


class LearningCatalogPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["learning.LearningUnitPage", "learning.LearningPathPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("learning catalogue")

    def get_units(self):
        return LearningUnitPage.objects.child_of(self).live().public()

    def get_paths(self):
        return LearningPathPage.objects.child_of(self).live().public()

    @path("")
    def catalogue(self, request):
        from .views import catalogue_view

        return catalogue_view(request, self)

    @path("paths/", name="paths")
    def paths(self, request):
        from .views import paths_view

        return paths_view(request, self)

    @path("my-progress/", name="my_progress")
    def my_progress(self, request):
        from .views import my_progress_view

        return my_progress_view(request, self)

    @path("my-data/", name="my_data")
    @open_after_project_end
    def my_data(self, request):
        from .views import my_data_view

        return my_data_view(request, self)

    @path("my-data/export/", name="my_data_export")
    @open_after_project_end
    def my_data_export(self, request):
        from .views import my_data_export_view

        return my_data_export_view(request, self)

    @path("signup/", name="signup")
    def signup(self, request):
        from .views import signup_view

        return signup_view(request, self)

    @path("signup/confirm/<str:uidb64>/<str:token>/", name="signup_confirm")
    def signup_confirm(self, request, uidb64, token):
        from .views import signup_confirm_view

        return signup_confirm_view(request, self, uidb64, token)

    @path("password-reset/", name="password_reset")
    @open_after_project_end
    def password_reset(self, request):
        from .views import password_reset_view

        return password_reset_view(request, self)

    @path("password-reset/<str:uidb64>/<str:token>/", name="password_reset_confirm")
    @open_after_project_end
    def password_reset_confirm(self, request, uidb64, token):
        from .views import password_reset_confirm_view

        return password_reset_confirm_view(request, self, uidb64, token)

    @path("login/", name="login")
    @open_after_project_end
    def login(self, request):
        from .views import login_view

        return login_view(request, self)

    @path("logout/", name="logout")
    @open_after_project_end
    def logout(self, request):
        from .views import logout_view

        return logout_view(request, self)


class LearningUnitPage(RoutablePageMixin, Page):
    teaser = models.TextField(_("teaser"), max_length=500)
    teaser_image = models.ForeignKey(
        "images.CustomImage",
        verbose_name=_("teaser image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown on the cards in the catalogue, in landscape format (3:2)."),
    )
    objectives = RichTextField(
        _("learning objectives"),
        features=SUMMARY_FEATURES,
        help_text=_("What learners can do afterwards, best as a short list."),
    )
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    estimated_minutes = models.PositiveIntegerField(
        _("estimated duration (minutes)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to add up the steps' times."),
    )
    level_min = models.ForeignKey(
        "taxonomy.MaturityLevel",
        verbose_name=_("from maturity level"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    level_max = models.ForeignKey(
        "taxonomy.MaturityLevel",
        verbose_name=_("up to maturity level"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    topics = ParentalManyToManyField("taxonomy.Topic", verbose_name=_("topics"), blank=True)
    authors = ParentalManyToManyField("people.Person", verbose_name=_("authors"), blank=True)
    steps = StreamField(UnitStepsBlock(), verbose_name=_("steps"))

    # Derived on save, for filters in one query.
    total_minutes = models.PositiveIntegerField(default=0, editable=False)
    formats = models.CharField(max_length=50, blank=True, editable=False)
    # The ids of the steps that count for completion, so lists of units show progress without
    # reading the steps (which would resolve every video, episode and image chooser in them).
    required_step_ids = models.JSONField(default=list, blank=True, editable=False)

    base_form_class = LocalePageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("teaser"),
        FieldPanel("teaser_image"),
        FieldPanel("objectives"),
        FieldPanel("target_group"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldRowPanel([FieldPanel("level_min"), FieldPanel("level_max")]),
                FieldPanel("topics"),
                FieldPanel("authors"),
            ],
            heading=_("Catalogue"),
        ),
        FieldPanel("steps"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("objectives"),
    ]
    parent_page_types = ["learning.LearningCatalogPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("self-learning unit")
        verbose_name_plural = _("self-learning units")

    def clean(self):
        super().clean()
        if (
            self.level_min_id
            and self.level_max_id
            and self.level_min.sort_order > self.level_max.sort_order
        ):
            raise ValidationError(
                {"level_max": _("The upper maturity level must not be below the lower one.")}
            )

    def save(self, *args, **kwargs):
        steps = build_steps(self.steps)
        self.total_minutes = self.estimated_minutes or sum(s.estimated_minutes for s in steps)
        formats = set().union(*(step.formats for step in steps)) if steps else set()
        self.formats = ",".join(f for f in LearningFormat.values if f in formats)
        self.required_step_ids = required_step_ids(self.steps.get_prep_value())
        super().save(*args, **kwargs)

    @cached_property
    def step_list(self):
        return build_steps(self.steps)

    def get_step(self, step_id) -> object | None:
        step_id = str(step_id)
        return next((step for step in self.step_list if step.id == step_id), None)

    @property
    def format_list(self) -> list[str]:
        return [f for f in self.formats.split(",") if f]

    def step_url(self, step_id) -> str:
        return self.url + self.reverse_subpage("step", args=[str(step_id)])

    @path("")
    def overview(self, request):
        from .views import unit_overview_view

        return unit_overview_view(request, self)

    @path("step/<uuid:step_id>/", name="step")
    def step(self, request, step_id):
        from .views import unit_step_view

        return unit_step_view(request, self, str(step_id))

    @path("step/<uuid:step_id>/viewed/", name="step_viewed")
    def step_viewed(self, request, step_id):
        from .views import step_viewed_view

        return step_viewed_view(request, self, str(step_id))

    @path("step/<uuid:step_id>/done/", name="step_done")
    def step_done(self, request, step_id):
        from .views import step_done_view

        return step_done_view(request, self, str(step_id))

    @path("step/<uuid:step_id>/quiz/<uuid:block_id>/", name="quiz")
    def quiz(self, request, step_id, block_id):
        from .views import quiz_view

        return quiz_view(request, self, str(step_id), str(block_id))

    @path("step/<uuid:step_id>/checklist/<uuid:block_id>/", name="checklist")
    def checklist(self, request, step_id, block_id):
        from .views import checklist_view

        return checklist_view(request, self, str(step_id), str(block_id))

    @path("step/<uuid:step_id>/reflection/<uuid:block_id>/", name="reflection")
    def reflection(self, request, step_id, block_id):
        from .views import reflection_view

        return reflection_view(request, self, str(step_id), str(block_id))


class LearningPathPage(Page):
    intro = RichTextField(_("introduction"), features=SUMMARY_FEATURES, blank=True)
    teaser_image = models.ForeignKey(
        "images.CustomImage",
        verbose_name=_("teaser image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown on the cards in the catalogue, in landscape format (3:2)."),
    )
    recommended_order = models.BooleanField(
        _("recommended order"),
        default=True,
        help_text=_("Suggest taking the units in the order listed."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("teaser_image"),
        FieldPanel("recommended_order"),
        InlinePanel("path_units", heading=_("Units"), label=_("Unit"), min_num=1),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["learning.LearningCatalogPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")

    def get_units(self):
        """The live units in the editor's order (one query)."""
        rows = self.path_units.select_related("unit").filter(unit__live=True)
        return [row.unit for row in rows]

    @property
    def total_minutes(self) -> int:
        return sum(unit.total_minutes for unit in self.get_units())

    def get_context(self, request, *args, **kwargs):
        from .views import path_context

        context = super().get_context(request, *args, **kwargs)
        context.update(path_context(request, self))
        return context


class PathUnit(Orderable):
    path = ParentalKey(LearningPathPage, on_delete=models.CASCADE, related_name="path_units")
    unit = models.ForeignKey(
        LearningUnitPage,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="in_paths",
    )

    panels = [FieldPanel("unit")]

    class Meta(Orderable.Meta):
        verbose_name = _("unit in path")
        constraints = [
            models.UniqueConstraint(fields=("path", "unit"), name="unique_unit_per_path")
        ]


# --- learner data --------------------------------------------------------------------------


class Learner(models.Model):
    """Whoever learns: anonymous (cookie token) or an account; never both for long.

    The cookie holds a random token; only its SHA-256 is stored, so a database copy does not
    let anyone act as a learner.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="learner",
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("learner")

    def __str__(self):
        return f"learner {self.pk}"


class StepStatus(models.TextChoices):
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")


class UnitProgress(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(LearningUnitPage, on_delete=models.CASCADE, related_name="+")
    last_step_id = models.CharField(max_length=36, blank=True)
    started_at = models.DateTimeField()
    last_visited_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("learner", "unit"), name="unique_unit_progress")
        ]
        permissions = [("view_learning_report", _("Can view the learning reports"))]

    def __str__(self):
        return f"unit {self.unit_id} of learner {self.learner_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class StepProgress(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="steps")
    unit = models.ForeignKey(LearningUnitPage, on_delete=models.CASCADE, related_name="+")
    step_id = models.CharField(max_length=36)
    status = models.CharField(max_length=10, choices=StepStatus.choices, default="started")
    seconds_spent = models.PositiveIntegerField(default=0)
    marked_done = models.BooleanField(default=False)
    first_viewed_at = models.DateTimeField()
    last_viewed_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("learner", "unit", "step_id"), name="unique_step_progress"
            )
        ]

    def __str__(self):
        return f"step {self.step_id} of learner {self.learner_id}"


class QuizAttempt(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="quiz_attempts")
    unit = models.ForeignKey(LearningUnitPage, on_delete=models.CASCADE, related_name="+")
    step_id = models.CharField(max_length=36)
    quiz_id = models.CharField(max_length=36)
    answers = models.JSONField(help_text="question id → chosen option ids")
    results = models.JSONField(help_text="question id → answered correctly")
    score = models.PositiveSmallIntegerField(help_text="percent of questions correct")
    passed = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=("learner", "unit", "quiz_id"))]

    def __str__(self):
        return f"quiz {self.quiz_id} attempt of learner {self.learner_id}"


class ChecklistItemState(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="checklist_items")
    unit = models.ForeignKey(LearningUnitPage, on_delete=models.CASCADE, related_name="+")
    step_id = models.CharField(max_length=36)
    checklist_id = models.CharField(max_length=36)
    item_id = models.CharField(max_length=36)
    checked = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("learner", "unit", "checklist_id", "item_id"),
                name="unique_checklist_item_state",
            )
        ]

    def __str__(self):
        return f"checklist item {self.item_id} of learner {self.learner_id}"


class ReflectionAnswer(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="reflections")
    unit = models.ForeignKey(LearningUnitPage, on_delete=models.CASCADE, related_name="+")
    step_id = models.CharField(max_length=36)
    reflection_id = models.CharField(max_length=36)
    text = models.TextField(max_length=10_000)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("learner", "unit", "reflection_id"), name="unique_reflection_answer"
            )
        ]

    def __str__(self):
        return f"reflection {self.reflection_id} of learner {self.learner_id}"
