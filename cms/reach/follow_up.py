"""The impact follow-up: some days (REACH_FOLLOW_UP_DAYS) after a learner completed a unit or
submitted a Digital-Check, their next visit to the learning or check pages asks one question;
account holders who opted in are also asked once by e-mail. Answering or declining closes it;
"do not ask again" closes it for good (visits and e-mails). The answer is stored without the
learner."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cms.core.project_state import project_ended_on_default_site
from cms.digitalcheck.models import Submission, SubmissionStatus
from cms.learning.models import LearningUnitPage, UnitProgress

from .models import FollowUp, FollowUpAnswer, FollowUpMail, FollowUpMailConsent, FollowUpOptOut

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueFollowUp:
    """What a learner is to be asked about: a completed unit or a submitted Digital-Check."""

    completed_at: dt.datetime
    unit: LearningUnitPage | None = None
    submission: Submission | None = None

    @property
    def page(self):
        """The page the question is about (and shown on)."""
        return self.unit if self.unit is not None else self.submission.version.page

    @property
    def keys(self) -> dict:
        return {"unit": self.unit} if self.unit is not None else {"submission": self.submission}


def find_due(learner, now: dt.datetime | None = None, *, unmailed: bool = False):
    """The earliest unit or Digital-Check this learner should be asked about now, or None.
    ``unmailed``: only what has not been e-mailed about yet."""
    if learner is None or FollowUpOptOut.objects.filter(learner=learner).exists():
        return None
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.REACH_FOLLOW_UP_DAYS)
    done = FollowUp.objects.filter(learner=learner)
    progress = UnitProgress.objects.filter(
        learner=learner, completed_at__lte=cutoff, unit__live=True
    ).exclude(unit_id__in=done.exclude(unit=None).values("unit_id"))
    checks = Submission.objects.filter(
        learner=learner,
        status=SubmissionStatus.SUBMITTED,
        submitted_at__lte=cutoff,
        version__page__live=True,
    ).exclude(pk__in=done.exclude(submission=None).values("submission_id"))
    if unmailed:
        mailed = FollowUpMail.objects.filter(learner=learner)
        progress = progress.exclude(unit_id__in=mailed.exclude(unit=None).values("unit_id"))
        checks = checks.exclude(pk__in=mailed.exclude(submission=None).values("submission_id"))
    unit = progress.select_related("unit").order_by("completed_at").first()
    check = checks.select_related("version__page").order_by("submitted_at").first()
    candidates = []
    if unit is not None:
        candidates.append(DueFollowUp(unit.completed_at, unit=unit.unit))
    if check is not None:
        candidates.append(DueFollowUp(check.submitted_at, submission=check))
    return min(candidates, key=lambda due: due.completed_at, default=None)


@transaction.atomic
def answer(learner, choice: str, text: str, *, unit=None, submission=None, now=None) -> None:
    now = now or timezone.now()
    keys = {"unit": unit} if unit is not None else {"submission": submission}
    _, created = FollowUp.objects.get_or_create(learner=learner, **keys, defaults={"done_at": now})
    if created:  # one answer per learner and item, however often the form is sent
        FollowUpAnswer.objects.create(
            unit=unit,
            digital_check=submission.version.page if submission is not None else None,
            answer=choice,
            text=text.strip(),
            answered_on=now.date().replace(day=1),
        )


def decline(learner, *, for_good: bool, unit=None, submission=None, now=None) -> None:
    now = now or timezone.now()
    keys = {"unit": unit} if unit is not None else {"submission": submission}
    FollowUp.objects.get_or_create(learner=learner, **keys, defaults={"done_at": now})
    if for_good:
        FollowUpOptOut.objects.get_or_create(learner=learner)


def set_mail_consent(learner, consent: bool) -> None:
    if consent:
        FollowUpMailConsent.objects.get_or_create(learner=learner)
    else:
        FollowUpMailConsent.objects.filter(learner=learner).delete()


def send_follow_up_mails(now: dt.datetime | None = None) -> int:
    """E-mail each opted-in account holder about the earliest item due and not yet mailed
    (at most one e-mail per learner and run, one per item ever). Returns the number sent.
    A failed send is rolled back with its record, so the next run tries again."""
    if project_ended_on_default_site():
        return 0  # the answer could not be stored any more
    now = now or timezone.now()
    consents = (
        FollowUpMailConsent.objects.filter(learner__user__is_active=True)
        .exclude(learner__user__email="")
        .exclude(learner__follow_up_opt_out__isnull=False)
        .select_related("learner__user")
    )
    sent = 0
    for consent in consents.iterator():
        learner = consent.learner
        due = find_due(learner, now, unmailed=True)
        if due is None:
            continue
        try:
            with transaction.atomic():
                _, created = FollowUpMail.objects.get_or_create(
                    learner=learner, **due.keys, defaults={"sent_at": now}
                )
                if created:
                    _send(learner.user.email, due)
                    sent += 1
        except OSError:  # the mail server is away: this learner is tried again next run
            logger.warning("Follow-up e-mail to learner %s failed", learner.pk, exc_info=True)
    return sent


def _send(address: str, due: DueFollowUp) -> None:
    page = due.page
    with translation.override(page.locale.language_code):
        context = {
            "title": page.title,
            "url": f"{page.full_url}#follow-up",
            "kind": "unit" if due.unit is not None else "check",
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = render_to_string("reach/emails/follow_up_subject.txt", context).strip()
        body = render_to_string("reach/emails/follow_up.txt", context)
    send_mail(subject, body, None, [address])
