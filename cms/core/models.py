from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock
from .locales import localized


class HomePage(Page):
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("One or two sentences under the title.")
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_menu_pages(self):
        return self.get_children().live().public().in_menu().specific()


class StandardPage(Page):
    """Plain content: imprint, privacy notice, accessibility statement and the like."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["core.HomePage", "core.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class Conformance(models.TextChoices):
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class AssessmentMethod(models.TextChoices):
    SELF = "self", _("self-assessment")
    THIRD_PARTY = "third_party", _("third-party assessment")


class NonAccessibleContentBlock(blocks.StructBlock):
    content = blocks.CharBlock(
        label=_("content"), max_length=300, help_text=_("e.g. “Older PDF documents”")
    )
    reason = blocks.TextBlock(
        label=_("why it is not accessible"),
        help_text=_("The requirement it misses, and why (e.g. disproportionate burden)."),
    )
    alternative = blocks.TextBlock(
        label=_("accessible alternative"), required=False, help_text=_("How to get it anyway.")
    )

    class Meta:
        icon = "warning"
        label = _("Content that is not accessible")


class AccessibilityStatementPage(Page):
    """The accessibility statement as BITV 2.0 (§ 7) and the EU's model statement ask for it:
    conformance status, what is not accessible and why, how the statement was made, a
    feedback contact and the enforcement procedure. Fields rather than free text, so no part
    is forgotten and the wording of each part stays the same in both languages."""

    conformance = models.CharField(
        _("conformance status"),
        max_length=10,
        choices=Conformance.choices,
        default=Conformance.PARTIAL,
        help_text=_("Measured against BITV 2.0, i.e. EN 301 549 and WCAG 2.1 level AA."),
    )
    non_accessible = StreamField(
        [("item", NonAccessibleContentBlock())],
        verbose_name=_("content that is not accessible"),
        blank=True,
    )
    prepared_on = models.DateField(_("statement prepared on"))
    method = models.CharField(
        _("assessment method"),
        max_length=20,
        choices=AssessmentMethod.choices,
        default=AssessmentMethod.SELF,
    )
    method_detail = models.CharField(
        _("details of the assessment"),
        max_length=300,
        blank=True,
        help_text=_("e.g. “BITV-Test of all page types, automated checks with axe”"),
    )
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    feedback_email = models.EmailField(_("feedback e-mail"))
    feedback_phone = models.CharField(_("feedback phone"), max_length=50, blank=True)
    feedback_address = models.TextField(_("feedback postal address"), blank=True)
    enforcement_body = models.CharField(
        _("enforcement body"),
        max_length=300,
        default="Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz (BGG)",
        help_text=_(
            "Federal bodies: the Schlichtungsstelle nach § 16 BGG; bodies of a federal state "
            "name their state's enforcement or arbitration body."
        ),
    )
    enforcement_url = models.URLField(
        _("enforcement body link"), default="https://www.schlichtungsstelle-bgg.de/"
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("further information"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("conformance"), FieldPanel("non_accessible")],
            heading=_("Conformance"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("prepared_on"),
                FieldPanel("method"),
                FieldPanel("method_detail"),
                FieldPanel("reviewed_on"),
            ],
            heading=_("Preparation of this statement"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("feedback_email"),
                FieldPanel("feedback_phone"),
                FieldPanel("feedback_address"),
            ],
            heading=_("Feedback and contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("enforcement_body"), FieldPanel("enforcement_url")],
            heading=_("Enforcement procedure"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["core.HomePage", "core.StandardPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("accessibility statement")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    organisation_name = models.CharField(
        _("organisation name"),
        max_length=200,
        default="Mittelstand-Digital Zentrum",
        help_text=_("Shown in the header, footer and feeds."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    address = models.TextField(_("postal address"), blank=True)

    funder_name = models.CharField(
        _("funder"),
        max_length=200,
        blank=True,
        help_text=_("Shown as “Funded by …” in the footer of every page."),
    )
    funder_logo = models.ForeignKey(
        "images.CustomImage",
        verbose_name=_("funder logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    funder_url = models.URLField(_("funder link"), blank=True)
    funding_notice = models.TextField(
        _("funding notice"),
        blank=True,
        help_text=_("Additional wording the funder requires, e.g. the resolution of parliament."),
    )
    funder_name_en = models.CharField(
        _("funder (English)"),
        max_length=200,
        blank=True,
        help_text=_("Shown on English pages; if empty, they show the German name, marked German."),
    )
    funding_notice_en = models.TextField(
        _("funding notice (English)"),
        blank=True,
        help_text=_(
            "Shown on English pages; if empty, they show the German notice, marked German."
        ),
    )

    imprint_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("imprint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    project_ended_on = models.DateField(
        _("project ended on"),
        null=True,
        blank=True,
        help_text=_(
            "From this day on the public site is read-only: a banner on every page says the "
            "project has ended; nobody can sign up and no new learner data is stored. "
            "Learners can still export or delete their data. Leave empty while the project "
            "runs."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("address"),
            ],
            heading=_("Organisation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("funder_name"),
                FieldPanel("funder_logo"),
                FieldPanel("funder_url"),
                FieldPanel("funding_notice"),
                FieldPanel("funder_name_en"),
                FieldPanel("funding_notice_en"),
            ],
            heading=_("Funding"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("imprint_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            heading=_("Legal pages"),
        ),
        FieldPanel("project_ended_on", heading=_("Project ended")),
    ]

    class Meta:
        verbose_name = _("site settings")

    def legal_pages(self):
        """(label, page) for the footer, each in the active language where translated."""
        entries = [
            (_("Imprint"), self.imprint_page),
            (_("Privacy"), self.privacy_page),
            (_("Accessibility"), self.accessibility_page),
        ]
        return [(label, localized(page)) for label, page in entries if page is not None]


class CacheGeneration(models.Model):
    """A counter per cached artefact (podcast feeds, sitemap, glossary, navigation, the
    catalogue's lists) that moves
    whenever what it shows may have changed. Cache keys carry it, so a change made in any
    process (a worker finishing a rendition, an editor publishing) invalidates the cache of
    every web process whatever the cache backend (the embedded default's is per process): the
    counter lives in the shared database. Invalidation is deliberately coarse (one counter per
    artefact): rebuilding is cheap and no change can be missed by a too-narrow rule.
    """

    key = models.CharField(max_length=50, unique=True)
    value = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    PODCASTS = "podcasts"
    SITEMAP = "sitemap"
    GLOSSARY = "glossary"
    NAVIGATION = "navigation"
    CATALOGUE = "catalogue"

    class Meta:
        verbose_name = "cache generation"

    def __str__(self):
        return f"{self.key}: {self.value}"

    @classmethod
    def current(cls, key: str) -> str:
        """A token for cache keys; the time of the last change in it keeps a database restored
        from a backup (an older counter) from meeting cache entries of the newer one."""
        row = cls.objects.filter(key=key).values_list("value", "changed_at").first()
        return f"{row[0]}.{row[1].timestamp():.6f}" if row else "0"

    @classmethod
    def bump(cls, key: str) -> None:
        with transaction.atomic():
            if not cls.objects.filter(key=key).update(value=F("value") + 1):
                cls.objects.get_or_create(key=key, defaults={"value": 1})
