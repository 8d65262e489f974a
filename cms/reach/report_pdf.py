"""The funder report as a tagged PDF (PDF/UA-1), rendered by WeasyPrint from an HTML template
that reads the same figures as the dashboard, the CSV and the JSON (``report.build_report``).

Headings, tables (caption, header cells, rows) and lists become the structure tree; the
template's ``<html lang>`` becomes the document language and its ``<title>`` the title shown
by readers. No resource is fetched while rendering."""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .models import FoldState
from .report import MIN_GROUP, Period, build_report

REPORT_LANGUAGES = ("de", "en")

# WeasyPrint reports each rendering step, fontTools each font subset, at INFO: noise.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


class ReportLanguageError(ValueError):
    pass


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the report fetches nothing: {url}")


def generate_report_pdf(period: Period, language: str) -> bytes:
    """The report for ``period`` in ``language`` (de or en) as PDF bytes.

    Raises ``ReportLanguageError`` for any other language. Suppression is the report's: a
    group under ``MIN_GROUP`` never reaches the template."""
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    if language not in REPORT_LANGUAGES:
        raise ReportLanguageError(language)
    state = FoldState.objects.first()
    with translation.override(language):
        report = build_report(period)
        html = render_to_string(
            "reach/report_pdf.html",
            {
                "report": report,
                "language": language,
                "min_group": MIN_GROUP,
                "folded_at": state.folded_at if state else None,
                "site_name": settings.WAGTAIL_SITE_NAME,
            },
        )
    document = HTML(string=html, url_fetcher=_refuse_fetch)
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def report_language(requested: str | None) -> str:
    """``requested`` if a report can be written in it, else the site's default language."""
    if requested in REPORT_LANGUAGES:
        return requested
    default = translation.get_language() or settings.LANGUAGE_CODE
    return default[:2] if default[:2] in REPORT_LANGUAGES else "de"
