from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.core.admin_permissions import forbidden

from .dashboard import (
    GROUPINGS,
    MIN_GROUP_SIZE,
    DashboardFilters,
    build_dashboard,
    dashboard_csv,
    submitted_quarters,
)
from .models import QuestionnaireVersion

DASHBOARD_PERMISSION = "digitalcheck.view_needs_dashboard"


def period_choices() -> list[tuple[str, str]]:
    """All periods, then each quarter with submissions, newest first. Only whole quarters:
    free date ranges, or months next to their quarter, would allow differencing."""
    choices = [("", _("All periods"))]
    for quarter in reversed(submitted_quarters()):
        year, number = quarter.split("-Q")
        choices.append(
            (quarter, _("Quarter %(number)s/%(year)s") % {"number": number, "year": year})
        )
    return choices


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    version = forms.ModelChoiceField(
        label=gettext_lazy("Questionnaire version"),
        queryset=QuestionnaireVersion.objects.select_related("page").order_by("page", "-number"),
        required=False,
        empty_label=gettext_lazy("All versions"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices()


def needs_dashboard_view(request):
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        return forbidden(request)
    form = DashboardFilterForm(request.GET or None)
    filters = DashboardFilters()
    if form.is_bound and form.is_valid():
        filters = DashboardFilters(
            period=form.cleaned_data["period"] or "", version=form.cleaned_data["version"]
        )
    dashboard = build_dashboard(filters)
    if request.GET.get("format") == "csv":
        response = HttpResponse(dashboard_csv(dashboard), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="bedarfe.csv"'
        return response
    query = request.GET.copy()
    query["format"] = "csv"
    group_labels = {
        "sector": _("By sector"),
        "size_band": _("By company size"),
        "region": _("By region"),
    }
    return TemplateResponse(
        request,
        "digitalcheck/admin/needs_dashboard.html",
        {
            "form": form,
            "dashboard": dashboard,
            "groups": [(group_labels[name], dashboard.groups[name]) for name, _c in GROUPINGS],
            "min_group_size": MIN_GROUP_SIZE,
            "csv_url": "?" + query.urlencode(),
            "page_title": _("Needs"),
            "header_title": _("Needs (Digital-Check)"),
            "header_icon": "table",
        },
    )
