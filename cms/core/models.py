from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock


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
        return [(label, page.localized) for label, page in entries if page is not None]
