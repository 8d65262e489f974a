from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.paginator import WagtailPaginator
from wagtail.models import Locale, Page

from cms.core.admin_permissions import forbidden

from .models import LearningUnitPage
from .report import build_unit_report, report_csv

REPORT_PERMISSION = "learning.view_learning_report"
UNITS_PER_PAGE = 50


def unit_report_view(request, page_id):
    if not request.user.has_perm(REPORT_PERMISSION):
        return forbidden(request)
    unit = get_object_or_404(LearningUnitPage, pk=page_id)
    report = build_unit_report(unit)
    if request.GET.get("format") == "csv":
        response = HttpResponse(report_csv(unit, report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="lernbericht-{unit.slug}.csv"'
        return response
    return TemplateResponse(
        request,
        "learning/admin/unit_report.html",
        {
            "unit": unit,
            "report": report,
            "page_title": _("Learning report: %(title)s") % {"title": unit.title},
            "header_title": _("Learning report"),
            "header_icon": "table",
            "csv_url": reverse("learning_unit_report", args=[unit.pk]) + "?format=csv",
        },
    )


def unit_report_index_view(request):
    if not request.user.has_perm(REPORT_PERMISSION):
        return forbidden(request)
    # A row is a title, a language and a link: read just those (not 50 page objects), and
    # build the links from the index's own address instead of reversing one per row. The
    # rows are read from the page table alone, by content type (indexed), not joined with
    # the units' table: at a thousand units the join was most of the page's time.
    units = (
        Page.objects.filter(content_type=ContentType.objects.get_for_model(LearningUnitPage))
        .order_by("title", "pk")
        .values("pk", "title", "locale_id")
    )
    paginator = WagtailPaginator(units, UNITS_PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    index_url = reverse("learning_unit_reports")
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    for unit in page.object_list:
        unit["report_url"] = f"{index_url}{unit['pk']}/"
        unit["language"] = languages.get(unit["locale_id"], "")
    return TemplateResponse(
        request,
        "learning/admin/report_index.html",
        {
            "units": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "page_title": _("Learning reports"),
            "header_title": _("Learning reports"),
            "header_icon": "table",
        },
    )
