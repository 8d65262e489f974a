"""Which pages use a media file, found through the ForeignKeys that point at MediaFile.

The pipeline knows no page types: every ForeignKey from a Wagtail page model to
:class:`~media_pipeline.models.MediaFile` counts, whatever app declares it. Wagtail's
reference index is not used here because it is updated by a task after the commit; media
access and deletion must see the state of the database as it is now.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from .models import MediaFile


def _page_foreign_keys() -> list[tuple[type[Page], str]]:
    return [
        (relation.related_model, relation.field.name)
        for relation in MediaFile._meta.get_fields(include_hidden=True)
        if relation.one_to_many
        and not relation.concrete
        and issubclass(relation.related_model, Page)
    ]


def find_pages_using(media_file_id: int):
    """A ``Page`` queryset of every page whose row points at the media file.

    For a live page the row holds the published content, so a draft change that swaps the
    media is not counted until it is published. StreamField choosers are not looked at (no
    page type uses ``MediaChooserBlock`` today).
    """
    condition = Q(pk__in=[])
    for model, field_name in _page_foreign_keys():
        condition |= Q(pk__in=model.objects.filter(**{field_name: media_file_id}).values("pk"))
    return Page.objects.filter(condition)


def find_live_pages_using(media_file_id: int):
    """Pages using the media file that visitors can reach today: live and already published
    (view restrictions are not looked at; see ``cms.core.media_access``)."""
    return (
        find_pages_using(media_file_id)
        .live()
        .filter(first_published_at__lte=timezone.now())
        .order_by("path")
    )
