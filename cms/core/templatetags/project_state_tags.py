from django import template

from cms.core.project_state import project_ended

register = template.Library()


@register.simple_tag(takes_context=True)
def project_ended_on(context):
    """The date the project ended while "project ended" mode is on, else None."""
    request = context.get("request")
    return project_ended(request) if request is not None else None
