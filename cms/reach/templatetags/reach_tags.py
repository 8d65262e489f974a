from django import template
from django.conf import settings
from django.urls import reverse

from cms.core.project_state import project_ended
from cms.learning.learners import find_learner

from ..follow_up import find_due
from ..forms import FollowUpForm
from ..models import FollowUpMailConsent

register = template.Library()


@register.inclusion_tag("reach/follow_up_prompt.html", takes_context=True)
def follow_up_prompt(context):
    """The follow-up question, when one is due for the current learner (never once the
    project has ended: no answer could be stored)."""
    request = context.get("request")
    asking = request is not None and project_ended(request) is None
    due = find_due(find_learner(request)) if asking else None
    action = ""
    if due is not None and due.unit is not None:
        action = reverse("reach_follow_up", args=[due.unit.pk])
    elif due is not None:
        action = reverse("reach_follow_up_check", args=[due.submission.pk])
    return {
        "due": due,
        "action": action,
        "form": FollowUpForm() if due else None,
        "next": request.get_full_path() if request is not None else "/",
        "request": request,
    }


@register.inclusion_tag("reach/follow_up_mail_choice.html", takes_context=True)
def follow_up_mail_choice(context):
    """For account holders: agree to (or stop) the one follow-up e-mail."""
    request = context.get("request")
    user = getattr(request, "user", None)
    account = user is not None and user.is_authenticated and bool(user.email)
    account = account and project_ended(request) is None  # no consent can be stored
    learner = find_learner(request) if account else None
    return {
        "learner_is_account": account,
        "consented": learner is not None
        and FollowUpMailConsent.objects.filter(learner=learner).exists(),
        "follow_up_days": settings.REACH_FOLLOW_UP_DAYS,
        "next": request.get_full_path() if request is not None else "/",
        "request": request,
    }
