from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin
from wagtail.search import index

# podcast:person allows 1–128 characters; a longer name would be left out of the feeds.
PODCAST_NAME_MAX_CHARS = 128


class Person(TranslatableMixin, index.Indexed, models.Model):
    """A host, guest, presenter or author."""

    name = models.CharField(
        _("name"),
        max_length=200,
        validators=[
            MaxLengthValidator(
                PODCAST_NAME_MAX_CHARS,
                message=_(
                    "Podcast apps accept names of at most %(limit_value)d characters; "
                    "this one has %(show_value)d."
                ),
            )
        ],
    )
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
