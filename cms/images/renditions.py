"""The image renditions the public templates ask for, named once so that listings can
prefetch exactly those (``prefetch_image``) and cards cost no query per image.

A template's ``srcset_image`` spec and the tuple here must name the same sizes:
``width-{400,800}`` is ``CARD_SPECS``.
"""

from __future__ import annotations

from django.db.models import Prefetch

CARD_SPECS = ("width-400", "width-800")  # teasers and posters on cards (cropped to 3:2 in CSS)
COVER_THUMBNAIL_SPECS = ("width-96", "width-192")  # square show covers beside an episode card
COVER_SPECS = ("width-320", "width-640")  # the show cover in a page header


def prefetch_image(field: str, specs: tuple[str, ...]) -> Prefetch:
    """A ``Prefetch`` of the image behind the foreign key ``field`` with its renditions of
    ``specs``: two queries for a whole listing, none when the renditions are rendered."""
    from .models import CustomImage

    return Prefetch(field, queryset=CustomImage.objects.prefetch_renditions(*specs))
