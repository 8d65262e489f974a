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


def image_key_parts(image) -> tuple:
    """What a rendered image tag shows of ``image``, for the key of a cached fragment: its
    file (a new upload is a new name, and Wagtail drops its renditions) and crop."""
    if image is None:
        return (None,)
    return (
        image.pk,
        image.file.name,
        image.file_hash,
        image.width,
        image.height,
        image.focal_point_x,
        image.focal_point_y,
        image.focal_point_width,
        image.focal_point_height,
    )


def prefetch_renditions(images, specs: tuple[str, ...]) -> None:
    """The renditions of ``specs`` for already loaded ``images`` (``None`` skipped), in one
    query: for the fragments a listing renders, not those it finds in the cache."""
    from django.db.models import prefetch_related_objects

    from .models import CustomImage

    images = [image for image in images if image is not None]
    if not images:
        return
    renditions = CustomImage.get_rendition_model().objects.filter(filter_spec__in=specs)
    prefetch_related_objects(
        images, Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions")
    )
