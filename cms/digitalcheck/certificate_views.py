"""Certificates for signed-in learners, and the public verification page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.learning.models import LearningPathPage, LearningUnitPage

from .certificate_pdf import generate_certificate_pdf
from .certificates import (
    MAX_NAME_LENGTH,
    NotCompletedError,
    completed_pages_of,
    find_certificate,
    find_own_valid_certificate,
    issue_certificate,
)
from .models import Certificate, CertificateStatus

PAGE_MODELS = {"unit": LearningUnitPage, "path": LearningPathPage}


class CertificateNameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Your name as it should appear on the certificate"),
        max_length=MAX_NAME_LENGTH,
        error_messages={"required": gettext_lazy("Please enter your name.")},
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def _login_url(request) -> str | None:
    from cms.learning.models import LearningCatalogPage

    catalogue = LearningCatalogPage.objects.live().first()
    if catalogue is None:
        return None
    return catalogue.url + catalogue.reverse_subpage("login") + "?next=" + request.path


def _offers(user):
    """Completed units and paths without a valid certificate, and the user's certificates:
    what already has one is not offered again."""
    units, paths = completed_pages_of(user)
    issued = list(Certificate.objects.filter(user=user))
    valid = {
        (certificate.unit_id, certificate.path_id)
        for certificate in issued
        if certificate.status == CertificateStatus.VALID
    }
    return {
        "units": [unit for unit in units if (unit.pk, None) not in valid],
        "paths": [path for path in paths if (None, path.pk) not in valid],
        "issued": issued,
    }


def certificates_view(request):
    if not request.user.is_authenticated:
        return TemplateResponse(
            request, "digitalcheck/certificates.html", {"login_url": _login_url(request)}
        )
    context = {
        **_offers(request.user),
        "form": CertificateNameForm(initial={"name": request.user.get_full_name()}),
    }
    return _private(TemplateResponse(request, "digitalcheck/certificates.html", context))


def issue_view(request, kind: str, page_id: int):
    if kind not in PAGE_MODELS:
        raise Http404
    page = get_object_or_404(PAGE_MODELS[kind].objects.live(), pk=page_id)
    if request.method != "POST" or not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("certificates"))
    form = CertificateNameForm(request.POST)
    if not form.is_valid():
        context = {**_offers(request.user), "form": form, "failed_page": page}
        return _private(
            TemplateResponse(request, "digitalcheck/certificates.html", context, status=400)
        )
    try:
        certificate = issue_certificate(
            request.user, page, form.cleaned_data["name"], site=Site.find_for_request(request)
        )
    except NotCompletedError:
        messages.error(request, _("You can get a certificate once you have completed this."))
        return HttpResponseRedirect(reverse("certificates"))
    messages.success(request, _("Your certificate is ready."))
    return HttpResponseRedirect(reverse("certificates") + f"#certificate-{certificate.pk}")


def certificate_pdf_view(request, code: str):
    """Only for the signed-in holder; everyone else gets the same 404 as for no certificate."""
    certificate = find_own_valid_certificate(request.user, code)
    if certificate is None:
        raise Http404(_("There is no certificate at this address."))
    verify_url = request.build_absolute_uri(reverse("certificate_verify", args=[code]))
    pdf = generate_certificate_pdf(certificate, verify_url, language=get_language() or "de")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="teilnahmebestaetigung.pdf"'
    return _private(response)


def verify_view(request, code: str):
    """Public: confirms a certificate and shows exactly what it says, nothing more."""
    certificate = find_certificate(code)
    response = TemplateResponse(
        request,
        "digitalcheck/certificate_verify.html",
        {"certificate": certificate},
        status=200 if certificate is not None else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
