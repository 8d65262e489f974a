from django.contrib.auth.signals import user_logged_in
from wagtail.signals import page_published


def freeze_questionnaire(sender, instance, **kwargs):
    from .versions import ensure_current_version

    ensure_current_version(instance.specific)


def follow_learner_into_account(sender, request, user, **kwargs):
    """An anonymous learner's checks move with them into their account.

    cms.learning merges the anonymous learner into the account's learner and deletes it,
    which only unlinks our submissions (SET_NULL); the cookie token still names them.
    """
    from cms.learning.learners import COOKIE_NAME, hash_token
    from cms.learning.models import Learner

    from .models import Submission

    if request is None:
        return
    token = request.COOKIES.get(COOKIE_NAME, "")
    if not token:
        return
    account = Learner.objects.get_or_create(user=user)[0]
    Submission.objects.filter(learner_token_hash=hash_token(token)).update(
        learner=account, learner_token_hash=""
    )


def move_checks_with_merged_learner(sender, source, target, **kwargs):
    """cms.learning merges an anonymous learner into an account: their checks go along."""
    from .models import Submission

    Submission.objects.filter(learner=source).update(learner=target, learner_token_hash="")


def anonymise_checks_of_deleted_learner(sender, instance, **kwargs):
    """ "Meine Daten löschen" and the retention purge delete a learner: their checks stay
    in the needs dashboard's aggregates, but nothing links them to anyone any more — the
    learner and cookie-hash links are cut and the private result link stops working."""
    from django.db.models import Q

    from .models import Submission, new_token

    links = Q(learner=instance)
    if instance.token_hash:
        links |= Q(learner_token_hash=instance.token_hash)
    for pk in Submission.objects.filter(links).values_list("pk", flat=True):
        Submission.objects.filter(pk=pk).update(
            learner=None, learner_token_hash="", token=new_token()
        )


def withdraw_certificates_of_deleted_account(sender, instance, **kwargs):
    """Deleting an account (by its holder on "Meine Daten" or in the admin) withdraws its
    certificates and erases the name on them, in the same transaction."""
    from .certificates import withdraw_certificates_of

    withdraw_certificates_of(instance)


def export_checks(learner, user) -> list[dict]:
    """The learner's Digital-Check submissions for "Meine Daten"."""
    from .models import Submission

    if learner is None:
        return []

    def when(value):
        return value.isoformat() if value else None

    return [
        {
            "questionnaire": str(row.version.page.title),
            "version": row.version.number,
            "status": row.status,
            "started_at": when(row.started_at),
            "submitted_at": when(row.submitted_at),
            "sector": row.sector,
            "size_band": row.size_band,
            "region": row.region,
            "answers": row.answers,
            "scores": row.scores,
        }
        for row in Submission.objects.filter(learner=learner)
        .select_related("version__page")
        .order_by("started_at")
    ]


def register_signal_handlers():
    from django.conf import settings
    from django.db.models.signals import pre_delete

    from cms.learning.models import Learner
    from cms.learning.selectors import register_export_section
    from cms.learning.signals import learner_merged

    from .certificates import export_certificates
    from .models import DigitalCheckPage

    learner_merged.connect(move_checks_with_merged_learner, dispatch_uid="digitalcheck_merge")
    pre_delete.connect(
        anonymise_checks_of_deleted_learner, sender=Learner, dispatch_uid="digitalcheck_forget"
    )
    pre_delete.connect(
        withdraw_certificates_of_deleted_account,
        sender=settings.AUTH_USER_MODEL,
        dispatch_uid="digitalcheck_withdraw_certificates",
    )
    register_export_section("digital_checks", export_checks)
    register_export_section("certificates", export_certificates)

    page_published.connect(
        freeze_questionnaire, sender=DigitalCheckPage, dispatch_uid="digitalcheck_freeze"
    )
    user_logged_in.connect(follow_learner_into_account, dispatch_uid="digitalcheck_follow_learner")
