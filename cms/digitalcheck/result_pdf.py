"""The Digital-Check result as an accessible PDF."""

from __future__ import annotations

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cms.core.models import SiteSettings

from .pdf import MUTED, TaggedPDF


def _number(value) -> str:
    if value is None:
        return "–"
    text = f"{value:g}"
    return text.replace(".", ",") if translation.get_language() == "de" else text


def generate_result_pdf(page, context: dict, url: str, request=None) -> bytes:
    site_settings = SiteSettings.for_request(request) if request else None
    language = page.locale.language_code
    with translation.override(language):
        pdf = TaggedPDF(lang=language, title=f"{page.title}: {_('Your result')}")
        pdf.add_page()
        if site_settings:
            pdf.paragraph(site_settings.organisation_name, size=10, color=MUTED)
        pdf.heading(f"{page.title}: {_('Your result')}", 1)
        submission = context["submission"]
        pdf.paragraph(
            _("Answered on %(date)s (questionnaire version %(number)s).")
            % {
                "date": date_format(submission.submitted_at, "DATE_FORMAT"),
                "number": submission.version.number,
            },
            color=MUTED,
        )
        pdf.rule()
        pdf.heading(_("Overall score"), 2)
        overall = context["result"].overall
        pdf.paragraph(_("%(score)s of 100") % {"score": _number(overall)}, size=18, style="B")
        pdf.bar((overall or 0) / 100, width=170)
        if context["overall_level"]:
            pdf.paragraph(
                _("This puts you at the maturity level “%(level)s”.")
                % {"level": context["overall_level"]}
            )
        pdf.heading(_("Scores per dimension"), 2)
        for dimension in context["dimensions"]:
            line = f"{dimension['title']}: {_number(dimension['score'])} / 100"
            if dimension["change"] is not None:
                line += (
                    " (" + _("change: %(change)s") % {"change": f"{dimension['change']:+g}"} + ")"
                )
            pdf.paragraph(line, gap=0.5)
            pdf.bar((dimension["score"] or 0) / 100, width=170, height=3)
        if context["topics"]:
            pdf.heading(_("Topics: maturity level and potential"), 2)
            for topic in context["topics"]:
                pdf.paragraph(
                    _("%(topic)s – potential (gap) %(gap)s, maturity level %(level)s")
                    % {
                        "topic": topic["name"],
                        "gap": topic["gap"],
                        "level": topic["level"] or "–",
                    },
                    gap=0.8,
                )
        recommendations = context["unit_recommendations"] + context["path_recommendations"]
        if recommendations:
            pdf.heading(_("Recommended for you"), 2)
            pdf.bullets([rec.page.title for rec in recommendations])
        pdf.ln(2)
        pdf.paragraph(_("Your private link to this result:") + " " + url, size=9, color=MUTED)
        return pdf.output_bytes()
