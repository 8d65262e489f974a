"""Participation certificates ("Teilnahmebestätigung"): who may get one, issuing, checking."""

from __future__ import annotations

from django.db import transaction
from django.utils.html import strip_tags

from cms.core.models import SiteSettings
from cms.learning.models import Learner, LearningPathPage, LearningUnitPage, UnitProgress
from cms.learning.selectors import path_units

from .models import Certificate, CertificateStatus

MAX_NAME_LENGTH = 150


class NotCompletedError(Exception):
    """The learner has not completed this unit or path."""


def completion_date(user, page):
    """When ``user`` completed the unit or path (a path: its last unit), or None."""
    learner = Learner.objects.filter(user=user).first() if user.is_authenticated else None
    if learner is None:
        return None
    units = [page] if isinstance(page, LearningUnitPage) else path_units(page)
    if not units:
        return None
    done = dict(
        UnitProgress.objects.filter(
            learner=learner, unit__in=units, completed_at__isnull=False
        ).values_list("unit_id", "completed_at")
    )
    if len(done) < len(units):
        return None
    return max(done.values())


def objectives_of(page) -> list[str]:
    """Learning objectives as plain lines (a path: its units' objectives)."""
    units = [page] if isinstance(page, LearningUnitPage) else path_units(page)
    lines = []
    for unit in units:
        html = str(unit.objectives).replace("</li>", "\n").replace("</p>", "\n")
        lines += [line.strip() for line in strip_tags(html).splitlines() if line.strip()]
    return lines


def minutes_of(page) -> int:
    if isinstance(page, LearningUnitPage):
        return page.total_minutes
    return sum(unit.total_minutes for unit in path_units(page))


@transaction.atomic
def issue_certificate(user, page, name: str, site=None) -> Certificate:
    """A certificate for ``user`` on completed ``page``; issuing again (a stale tab, another
    spelling of the name) returns the existing valid certificate instead of a second one. To
    change the name, an editor revokes the certificate; then a new one can be issued."""
    completed_at = completion_date(user, page)
    if completed_at is None:
        raise NotCompletedError
    kind = "unit" if isinstance(page, LearningUnitPage) else "path"
    existing = Certificate.objects.filter(
        user=user, status=CertificateStatus.VALID, **{kind: page}
    ).first()
    if existing:
        return existing
    site_settings = SiteSettings.for_site(site) if site else SiteSettings.objects.first()
    return Certificate.objects.create(
        user=user,
        name=name,
        title=page.title,
        objectives=objectives_of(page),
        minutes=minutes_of(page),
        completed_on=completed_at.date(),
        organisation_name=site_settings.organisation_name if site_settings else "",
        funding_notice=_funding_text(site_settings),
        **{kind: page},
    )


def _funding_text(site_settings) -> str:
    if site_settings is None:
        return ""
    parts = []
    if site_settings.funder_name:
        parts.append(site_settings.funder_name)
    if site_settings.funding_notice:
        parts.append(site_settings.funding_notice)
    return " – ".join(parts)


def find_certificate(code: str) -> Certificate | None:
    """The certificate with exactly this code (valid, revoked or withdrawn), else None."""
    if not code or len(code) > 64:
        return None
    return Certificate.objects.filter(code=code).first()


def find_own_valid_certificate(user, code: str) -> Certificate | None:
    """The valid certificate with this code if it belongs to the signed-in ``user``.

    Filtering by the account (never comparing ids in Python) means a certificate without
    owner matches no one, and an anonymous visitor gets nothing."""
    if user is None or not user.is_authenticated or not code or len(code) > 64:
        return None
    return Certificate.objects.filter(code=code, user=user, status=CertificateStatus.VALID).first()


@transaction.atomic
def withdraw_certificates_of(user) -> int:
    """The account is being deleted: its certificates stop being valid and forget who held
    them (name, owner, an editor's revocation note, the admin history's label); the public
    verification page then says they were withdrawn. Returns how many."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    certificates = list(Certificate.objects.select_for_update().filter(user=user))
    for certificate in certificates:
        certificate.user = None
        certificate.name = ""
        certificate.status = CertificateStatus.WITHDRAWN
        certificate.revocation_reason = ""
        certificate.save(update_fields=["user", "name", "status", "revocation_reason"])
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Certificate),
            object_id=str(certificate.pk),
        ).update(label=str(certificate), data={})
    return len(certificates)


def export_certificates(learner, user) -> list[dict]:
    """The account's certificates for "Meine Daten" (anonymous learners have none)."""
    if user is None:
        return []
    return [
        {
            "title": row.title,
            "name": row.name,
            "completed_on": row.completed_on.isoformat(),
            "minutes": row.minutes,
            "objectives": row.objectives,
            "organisation": row.organisation_name,
            "issued_at": row.issued_at.isoformat(),
            "status": row.status,
            "code": row.code,
        }
        for row in Certificate.objects.filter(user=user).order_by("issued_at")
    ]


def completed_pages_of(user):
    """(units, paths) the signed-in ``user`` has completed, for the certificates page."""
    learner = Learner.objects.filter(user=user).first()
    if learner is None:
        return [], []
    done_ids = set(
        UnitProgress.objects.filter(learner=learner, completed_at__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    units = list(LearningUnitPage.objects.live().filter(pk__in=done_ids).order_by("title"))
    paths = [
        path
        for path in LearningPathPage.objects.live()
        .filter(path_units__unit__in=done_ids)
        .distinct()
        if path_units(path) and all(unit.pk in done_ids for unit in path_units(path))
    ]
    return units, paths
