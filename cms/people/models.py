from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin
from wagtail.search import index


class Person(TranslatableMixin, index.Indexed, models.Model):
    """A host, guest, presenter or author."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"), max_length=200, blank=True, help_text=_("e.g. “Referentin für IT-Sicherheit”")
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "images.CustomImage",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = RichTextField(_("biography"), blank=True, features=["bold", "italic", "link"])
    link = models.URLField(_("link"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("link"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("organisation"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name
