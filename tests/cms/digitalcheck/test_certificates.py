"""Participation certificates: only for completed units, verifiable, revocable, tagged PDF."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.digitalcheck.certificates import NotCompletedError, issue_certificate
from cms.digitalcheck.models import Certificate, CertificateStatus
from cms.learning.models import Learner, UnitProgress

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_user(client):
    user = get_user_model().objects.create_user("lea", "lea@example.org", "pw")
    client.force_login(user)
    return user


def complete(user, unit):
    learner = Learner.objects.get_or_create(user=user)[0]
    now = timezone.now()
    UnitProgress.objects.create(
        learner=learner, unit=unit, started_at=now, last_visited_at=now, completed_at=now
    )


def test_no_certificate_before_completion(learner_user, units):
    with pytest.raises(NotCompletedError):
        issue_certificate(learner_user, units["marketing_start"], "Lea Muster")


def test_signed_in_learner_gets_a_certificate_and_pdf(client, learner_user, units):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    page = client.get(reverse("certificates")).content.decode()
    assert unit.title in page
    response = client.post(
        reverse("certificate_issue", args=["unit", unit.pk]), {"name": "  Lea   Muster "}
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.name == "Lea Muster" and certificate.title == unit.title
    assert certificate.objectives == ["Ziele setzen"]
    assert len(certificate.code) >= 32
    pdf = client.get(reverse("certificate_pdf", args=[certificate.code]))
    assert pdf["Content-Type"] == "application/pdf"
    body = pdf.content
    assert b"/Lang (de)" in body and b"/StructTreeRoot" in body
    assert b"/Figure" in body and b"/H1" in body  # QR code with alt text, heading tagged


def test_a_unit_with_a_certificate_is_not_offered_a_second_one(client, learner_user, units):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    issue_url = reverse("certificate_issue", args=["unit", unit.pk])
    client.post(issue_url, {"name": "Lea Muster"})

    page = client.get(reverse("certificates")).content.decode()
    assert issue_url not in page
    assert "Sie haben für alles, was Sie bisher abgeschlossen haben" in page
    # A second request (a stale tab, a second name) gets the certificate that exists.
    response = client.post(issue_url, {"name": "Lea M."})
    assert Certificate.objects.count() == 1
    assert response.url.endswith(f"#certificate-{Certificate.objects.get().pk}")


def test_empty_name_is_refused_with_a_message(client, learner_user, units):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    response = client.post(reverse("certificate_issue", args=["unit", unit.pk]), {"name": "   "})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not Certificate.objects.exists()


def test_path_certificate_needs_every_unit(client, learner_user, units):
    path = units["start_path"]
    complete(learner_user, units["marketing_start"])
    with pytest.raises(NotCompletedError):
        issue_certificate(learner_user, path, "Lea")
    complete(learner_user, units["security_start"])
    certificate = issue_certificate(learner_user, path, "Lea")
    assert certificate.path_id == path.pk
    assert certificate.minutes == units["marketing_start"].total_minutes * 2


def test_verification_shows_what_the_certificate_says_and_no_more(client, learner_user, units):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    certificate = issue_certificate(learner_user, unit, "Lea Muster")
    client.logout()
    response = client.get(reverse("certificate_verify", args=[certificate.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lea Muster" in html and unit.title in html and "notice--success" in html
    assert "lea@example.org" not in html


def test_revoked_certificate_is_reported_as_revoked(client, learner_user, units):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    certificate = issue_certificate(learner_user, unit, "Lea Muster")
    certificate.status = CertificateStatus.REVOKED
    certificate.save()
    html = client.get(reverse("certificate_verify", args=[certificate.code])).content.decode()
    assert "notice--error" in html and "Lea Muster" not in html
    assert client.get(reverse("certificate_pdf", args=[certificate.code])).status_code == 404


def test_tampered_code_is_not_valid(client, learner_user, units):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    code = issue_certificate(learner_user, unit, "Lea Muster").code
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = client.get(reverse("certificate_verify", args=[tampered]))
    assert response.status_code == 404 and "Lea Muster" not in response.content.decode()


def test_someone_else_cannot_download_the_pdf(client, learner_user, units):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    code = issue_certificate(learner_user, unit, "Lea Muster").code
    other = get_user_model().objects.create_user("max", "max@example.org", "pw")
    client.force_login(other)
    assert client.get(reverse("certificate_pdf", args=[code])).status_code == 404


def test_editors_revoke_through_the_admin(client, learner_user, units):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    certificate = issue_certificate(learner_user, unit, "Lea Muster")
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(editor)
    edit_url = reverse("wagtailsnippets_digitalcheck_certificate:edit", args=[certificate.pk])
    response = client.post(edit_url, {"status": "revoked", "revocation_reason": "Irrtum"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED and certificate.name == "Lea Muster"


def test_certificate_pdf_renders_and_its_text_is_extractable(client, learner_user, units):
    """A reader (and a screen reader) gets the real words out of the PDF, umlauts included."""
    import pypdfium2

    unit = units["marketing_start"]
    complete(learner_user, unit)
    certificate = issue_certificate(learner_user, unit, "Jürgen Ößwald")
    body = client.get(reverse("certificate_pdf", args=[certificate.code])).content
    document = pypdfium2.PdfDocument(body)
    assert len(document) == 1
    text = document[0].get_textpage().get_text_range()
    assert "Jürgen Ößwald" in text and unit.title in text
    assert "Teilnahmebestätigung" in text
    assert reverse("certificate_verify", args=[certificate.code]) in text.replace("\r\n", "")
    image = document[0].render(scale=0.5).to_pil()
    assert image.width > 200 and image.getextrema() != ((255, 255), (255, 255), (255, 255))
    document.close()


def test_nobody_adds_certificates_by_hand_in_the_admin(client):
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(editor)
    response = client.get(reverse("wagtailsnippets_digitalcheck_certificate:add"))
    assert response.status_code in (302, 403)
    listing = client.get(reverse("wagtailsnippets_digitalcheck_certificate:list"))
    assert listing.status_code == 200
    assert reverse("wagtailsnippets_digitalcheck_certificate:add") not in listing.content.decode()


def test_my_progress_leads_to_the_certificates(client, learner_user, units, catalogue):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    html = client.get(catalogue.url + "my-progress/").content.decode()
    assert f'href="{reverse("certificates")}"' in html
    client.logout()
    assert (
        reverse("certificates") not in client.get(catalogue.url + "my-progress/").content.decode()
    )


def test_deleting_the_account_withdraws_its_certificates(client, learner_user, units, catalogue):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    certificate = issue_certificate(learner_user, unit, "Lea Muster")
    response = client.post(catalogue.url + "my-data/", {"confirm": "yes", "delete_account": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=learner_user.pk).exists()

    certificate.refresh_from_db()
    assert certificate.name == "" and not certificate.is_valid
    assert not Certificate.objects.filter(name="Lea Muster").exists()
    verification = client.get(reverse("certificate_verify", args=[certificate.code]))
    html = verification.content.decode()
    assert "Lea Muster" not in html and "notice--error" in html
    assert "withdrawn" in html or "zurückgezogen" in html
    assert client.get(reverse("certificate_pdf", args=[certificate.code])).status_code == 404


def test_a_certificate_without_owner_is_nobodys(client, learner_user, units):
    """A certificate whose account is gone (user NULL) never matches an anonymous visitor."""
    unit = units["marketing_start"]
    complete(learner_user, unit)
    certificate = issue_certificate(learner_user, unit, "Lea Muster")
    Certificate.objects.filter(pk=certificate.pk).update(user=None)
    client.logout()
    assert client.get(reverse("certificate_pdf", args=[certificate.code])).status_code == 404


def test_anonymous_visitor_cannot_download_the_pdf(client, learner_user, units):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    code = issue_certificate(learner_user, unit, "Lea Muster").code
    client.logout()
    assert client.get(reverse("certificate_pdf", args=[code])).status_code == 404


def test_my_data_lists_and_exports_the_certificates(client, learner_user, units, catalogue):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    certificate = issue_certificate(learner_user, unit, "Lea Muster")
    exported = client.get(catalogue.url + "my-data/export/").json()
    [entry] = exported["certificates"]
    assert entry["name"] == "Lea Muster" and entry["title"] == unit.title
    assert entry["code"] == certificate.code and entry["status"] == "valid"
    html = client.get(catalogue.url + "my-data/").content.decode()
    assert "Certificates: 1" in html or "Teilnahmebestätigungen: 1" in html


def test_withdrawal_leaves_no_name_in_the_admin_history(client, learner_user, units, catalogue):
    unit = units["marketing_start"]
    complete(learner_user, unit)
    certificate = issue_certificate(learner_user, unit, "Lea Muster")
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    editor_client = Client()
    editor_client.force_login(editor)
    edit_url = reverse("wagtailsnippets_digitalcheck_certificate:edit", args=[certificate.pk])
    editor_client.post(edit_url, {"status": "revoked", "revocation_reason": "Lea Muster: Irrtum"})
    assert "Lea Muster" in str(list(ModelLogEntry.objects.values("label", "data")))

    client.post(catalogue.url + "my-data/", {"confirm": "yes", "delete_account": "yes"})
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.WITHDRAWN
    assert certificate.revocation_reason == ""
    assert "Lea Muster" not in str(list(ModelLogEntry.objects.values("label", "data")))
    # Editors cannot bring a withdrawn certificate back.
    response = editor_client.post(edit_url, {"status": "valid", "revocation_reason": ""})
    assert response.status_code == 200  # the form again, with the error
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.WITHDRAWN
