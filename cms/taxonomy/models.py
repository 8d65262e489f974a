from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index


class Topic(TranslatableMixin, index.Indexed, models.Model):
    """A subject area (Thema) shared by episodes, videos and learning units."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=("slug", "locale"), name="unique_topic_slug_per_locale")
        ]

    def __str__(self):
        return self.name


class MaturityLevel(TranslatableMixin, Orderable):
    """A digital maturity level (Reifegrad); editors order them from beginner upwards."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Who this level is for, in one or two sentences."),
    )

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("maturity level")
        verbose_name_plural = _("maturity levels")
        ordering = ["sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=("slug", "locale"), name="unique_maturity_level_slug_per_locale"
            )
        ]

    def __str__(self):
        return self.name
