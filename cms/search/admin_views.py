from __future__ import annotations

import datetime

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.core.admin_permissions import forbidden

from .models import SearchQueryCount
from .report import SHOW_MIN, monthly_report

REPORT_PERMISSION = "site_search.view_searchquerycount"


def search_report_view(request):
    if not request.user.has_perm(REPORT_PERMISSION):
        return forbidden(request)
    this_month = timezone.localdate().replace(day=1)
    months = sorted(
        set(SearchQueryCount.objects.values_list("month", flat=True)) | {this_month},
        reverse=True,
    )[:24]
    try:
        month = datetime.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        month = this_month
    language = request.GET.get("language", "")
    language = language if language in {"de", "en"} else ""
    return TemplateResponse(
        request,
        "search/admin/report.html",
        {
            "report": monthly_report(month, language or None),
            "months": months,
            "month": month,
            "language": language,
            "show_min": SHOW_MIN,
            "page_title": _("Search queries"),
            "header_title": _("Search queries"),
            "header_icon": "search",
        },
    )
