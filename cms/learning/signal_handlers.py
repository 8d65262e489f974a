from django.contrib.auth.signals import user_logged_in


def merge_anonymous_progress(sender, request, user, **kwargs):
    """Logging in (or signing up, which logs in) keeps what the visitor learnt anonymously."""
    from .learners import anonymous_learner_from_cookie
    from .progress import attach_to_account

    if request is None:
        return
    attach_to_account(anonymous_learner_from_cookie(request), user)
    request._learner_merged = True
    if hasattr(request, "_learner"):
        del request._learner


def register_signal_handlers():
    user_logged_in.connect(merge_anonymous_progress, dispatch_uid="learning_merge_progress")
