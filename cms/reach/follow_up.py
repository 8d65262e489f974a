"""The impact follow-up: some days (REACH_FOLLOW_UP_DAYS) after a learner completed a unit,
their next visit to the learning pages asks one question. Answering or declining closes it;
"do not ask again" closes it for good. The answer is stored without the learner."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cms.learning.models import UnitProgress

from .models import FollowUp, FollowUpAnswer, FollowUpOptOut


def due_unit(learner, now: dt.datetime | None = None):
    """The unit this learner should be asked about now, or None."""
    if learner is None or FollowUpOptOut.objects.filter(learner=learner).exists():
        return None
    now = now or timezone.now()
    asked = FollowUp.objects.filter(learner=learner).values("unit_id")
    progress = (
        UnitProgress.objects.filter(
            learner=learner,
            completed_at__lte=now - dt.timedelta(days=settings.REACH_FOLLOW_UP_DAYS),
        )
        .exclude(unit_id__in=asked)
        .select_related("unit")
        .order_by("completed_at")
        .first()
    )
    return progress.unit if progress and progress.unit.live else None


@transaction.atomic
def answer(learner, unit, choice: str, text: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    _, created = FollowUp.objects.get_or_create(
        learner=learner, unit=unit, defaults={"done_at": now}
    )
    if created:  # one answer per learner and unit, however often the form is sent
        FollowUpAnswer.objects.create(
            unit=unit, answer=choice, text=text.strip(), answered_on=now.date().replace(day=1)
        )


def decline(learner, unit, *, for_good: bool, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    FollowUp.objects.get_or_create(learner=learner, unit=unit, defaults={"done_at": now})
    if for_good:
        FollowUpOptOut.objects.get_or_create(learner=learner)
