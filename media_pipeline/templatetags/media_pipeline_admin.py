"""Display helpers for the Medien admin; the progress endpoint uses the same wording."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..models import RenditionStatus

register = template.Library()


@register.filter
def duration_display(seconds) -> str:
    """``mm:ss``, or ``h:mm:ss`` from one hour on; empty for an unknown duration."""
    if seconds is None:
        return ""
    total = round(float(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


@register.simple_tag
def rendition_status_text(rendition) -> str:
    """What the progress bar's text label says, e.g. “Processing · 42 % · 01:10 left”."""
    parts = [str(rendition.get_status_display())]
    if rendition.status == RenditionStatus.PROCESSING:
        parts.append(f"{rendition.progress} %")
        if rendition.eta_seconds is not None:
            parts.append(_("%(time)s left") % {"time": duration_display(rendition.eta_seconds)})
    return " · ".join(parts)


@register.filter
def decibels(value) -> str:
    return "" if value is None else number_format(value, 1)
