def move_follow_ups_with_merged_learner(sender, source, target, **kwargs):
    """An anonymous learner logs in: questions they answered or declined stay closed, and
    "never ask me again" stays in force, for the account."""
    from .models import FollowUp, FollowUpOptOut

    for row in FollowUp.objects.filter(learner=source):
        FollowUp.objects.get_or_create(
            learner=target,
            unit=row.unit,
            submission=row.submission,
            defaults={"done_at": row.done_at},
        )
    if FollowUpOptOut.objects.filter(learner=source).exists():
        FollowUpOptOut.objects.get_or_create(learner=target)


def export_follow_ups(learner, user) -> dict:
    """For "Meine Daten": what the follow-up stores about a learner (answers themselves are
    stored without the learner, so they cannot be found here)."""
    from .models import FollowUp, FollowUpMail, FollowUpMailConsent, FollowUpOptOut

    if learner is None:
        return {}

    def item(row):
        page = row.unit if row.unit_id else (row.submission.version.page if row.submission_id
                                             else None)  # fmt: skip
        return page.title if page is not None else ""

    done = FollowUp.objects.filter(learner=learner).select_related(
        "unit", "submission__version__page"
    )
    mails = FollowUpMail.objects.filter(learner=learner).select_related(
        "unit", "submission__version__page"
    )
    return {
        "asked_by_email": FollowUpMailConsent.objects.filter(learner=learner).exists(),
        "never_ask_again": FollowUpOptOut.objects.filter(learner=learner).exists(),
        "answered_or_declined": [
            {"about": item(row), "at": row.done_at.isoformat()} for row in done
        ],
        "emails_sent": [{"about": item(row), "at": row.sent_at.isoformat()} for row in mails],
    }


def register_signal_handlers():
    from cms.learning.selectors import register_export_section
    from cms.learning.signals import learner_merged

    learner_merged.connect(move_follow_ups_with_merged_learner, dispatch_uid="reach_merge")
    register_export_section("follow_up", export_follow_ups)
