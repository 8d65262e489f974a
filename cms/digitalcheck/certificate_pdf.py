"""The participation certificate as a tagged PDF with a QR code to its verification page."""

from __future__ import annotations

import io

import segno
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .pdf import ACCENT, LIGHT, MUTED, TaggedPDF


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def generate_certificate_pdf(certificate, verify_url: str, language: str = "de") -> bytes:
    with translation.override(language):
        title = _("Certificate of participation")
        pdf = TaggedPDF(lang=language, title=f"{title}: {certificate.title}")
        pdf.set_subject(certificate.title)
        pdf.set_author(certificate.organisation_name)
        pdf.add_page()
        with pdf.artifact():
            pdf.set_fill_color(*ACCENT)
            pdf.rect(0, 0, pdf.w, 9, style="F")
            pdf.set_fill_color(*LIGHT)
            pdf.rect(0, 9, pdf.w, 2.5, style="F")
        pdf.set_y(26)
        pdf.paragraph(certificate.organisation_name, size=12, style="B", color=ACCENT, align="C")
        pdf.ln(10)
        pdf.heading(title, 1, size=28, align="C", gap=8)
        pdf.paragraph(_("This confirms that"), size=12, align="C", color=MUTED)
        pdf.paragraph(certificate.name, size=22, style="B", align="C", gap=4)
        kind = _("the self-learning unit") if certificate.unit_id else _("the learning path")
        pdf.paragraph(
            _("has completed %(kind)s") % {"kind": kind}, size=12, align="C", color=MUTED
        )
        pdf.heading(certificate.title, 2, size=17, align="C", gap=4)
        hours = _("about %(minutes)s min.") % {"minutes": certificate.minutes}
        pdf.paragraph(
            _("on %(date)s · duration %(duration)s")
            % {"date": date_format(certificate.completed_on, "DATE_FORMAT"), "duration": hours},
            size=12,
            align="C",
            gap=8,
        )
        if certificate.objectives:
            pdf.set_x(pdf.l_margin)
            pdf.heading(_("Learning objectives"), 3)
            pdf.bullets(certificate.objectives)
        # Footer block: verification (QR code and link), then the funding notice.
        top = pdf.h - 86
        pdf.set_y(top)
        pdf.rule()
        qr_size = 32
        pdf.figure(
            qr_png(verify_url),
            alt=_("QR code linking to the verification page of this certificate"),
            x=pdf.w - pdf.r_margin - qr_size,
            y=top + 4,
            w=qr_size,
        )
        pdf.set_right_margin(pdf.r_margin + qr_size + 6)
        pdf.set_y(top + 5)
        pdf.paragraph(_("Check this certificate"), size=11, style="B")
        pdf.paragraph(
            _("Scan the QR code or open the address below to confirm it is genuine."),
            size=9.5,
            color=MUTED,
        )
        pdf.paragraph(verify_url, size=8.5, color=ACCENT)
        pdf.set_right_margin(20)
        pdf.set_y(top + 44)
        if certificate.funding_notice:
            pdf.paragraph(certificate.funding_notice, size=8.5, color=MUTED)
        pdf.paragraph(
            _("Issued on %(date)s.") % {"date": date_format(certificate.issued_at, "DATE_FORMAT")},
            size=8.5,
            color=MUTED,
        )
        return pdf.output_bytes()
