"""Wagtail admin: "Reichweite" (the dashboard) and the funder report, behind view_reach."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cms.core.admin_permissions import forbidden

from .models import REACH_PERMISSION, FoldState
from .report import MIN_GROUP, build_report, period_from, report_csv
from .report_pdf import generate_report_pdf, report_language

PERIOD_KINDS = ("month", "quarter", "year", "custom")


def _period(request):
    kind = request.GET.get("period", "month")
    if kind not in PERIOD_KINDS:
        kind = "month"
    today = timezone.localdate()
    try:
        period = period_from(kind, request.GET.get("start", ""), request.GET.get("end", ""), today)
        error = ""
    except ValueError as exc:
        kind, period, error = "month", period_from("month", "", "", today), str(exc)
    return kind, period, error


def _context(request, report, kind, error):
    query = urlencode(
        {"period": kind, "start": report["period"].start, "end": report["period"].end}
    )
    state = FoldState.objects.first()
    return {
        "report": report,
        "kind": kind,
        "kinds": [
            ("month", _("This month")),
            ("quarter", _("This quarter")),
            ("year", _("This year")),
            ("custom", _("Custom")),
        ],
        "error": error,
        "min_group": MIN_GROUP,
        "folded_at": state.folded_at if state else None,
        "csv_url": f"{reverse('reach_report')}?{query}&format=csv",
        "pdf_urls": [
            (f"{reverse('reach_report')}?{query}&format=pdf&language={code}", code, name)
            for code, name in (("de", "Deutsch"), ("en", "English"))
        ],
        "report_url": f"{reverse('reach_report')}?{query}",
    }


def dashboard_view(request):
    if not request.user.has_perm(REACH_PERMISSION):
        return forbidden(request)
    kind, period, error = _period(request)
    report = build_report(period)
    context = _context(request, report, kind, error)
    context.update(
        page_title=_("Reach and impact"), header_title=_("Reach and impact"), header_icon="view"
    )
    return TemplateResponse(request, "reach/admin/dashboard.html", context)


def report_view(request):
    """The funder report: a printable page, ``format=csv`` or ``format=pdf`` (tagged, in
    ``language`` de or en)."""
    if not request.user.has_perm(REACH_PERMISSION):
        return forbidden(request)
    kind, period, error = _period(request)
    name = f"reichweite-{period.start.isoformat()}-{period.end.isoformat()}"
    if request.GET.get("format") == "pdf":
        language = report_language(request.GET.get("language"))
        response = HttpResponse(
            generate_report_pdf(period, language), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-{language}.pdf"'
        return response
    report = build_report(period)
    if request.GET.get("format") == "csv":
        response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    return TemplateResponse(request, "reach/report.html", _context(request, report, kind, error))
