from django import template

from cms.learning.learners import find_learner

from ..follow_up import due_unit
from ..forms import FollowUpForm

register = template.Library()


@register.inclusion_tag("reach/follow_up_prompt.html", takes_context=True)
def follow_up_prompt(context):
    """The follow-up question, when one is due for the current learner."""
    request = context.get("request")
    unit = due_unit(find_learner(request)) if request is not None else None
    return {
        "unit": unit,
        "form": FollowUpForm() if unit else None,
        "next": request.get_full_path() if request is not None else "/",
        "request": request,
    }
