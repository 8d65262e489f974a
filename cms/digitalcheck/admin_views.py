from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dashboard import GROUPINGS, MIN_GROUP_SIZE, DashboardFilters, build_dashboard, dashboard_csv
from .models import QuestionnaireVersion


class DashboardFilterForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    end = forms.DateField(label=gettext_lazy("Until"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    version = forms.ModelChoiceField(
        label=gettext_lazy("Questionnaire version"),
        queryset=QuestionnaireVersion.objects.select_related("page").order_by("page", "-number"),
        required=False,
        empty_label=gettext_lazy("All versions"),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start of the period must not be after its end."))
        return data


def needs_dashboard_view(request):
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET or None)
    filters = DashboardFilters()
    if form.is_bound and form.is_valid():
        filters = DashboardFilters(**form.cleaned_data)
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
