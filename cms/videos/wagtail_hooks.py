from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import GERMAN_CAPTIONS_REQUIRED
from .models import ExplainerVideoPage, GlossaryTerm


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = _("Key terms")
    menu_order = 315
    add_to_admin_menu = True
    list_display = ["term", "short_definition", "linked_videos"]
    search_fields = ["term", "synonyms"]


register_snippet(GlossaryTermViewSet)


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_without_german_captions(request, action_type, objects, action):
    """The bulk "Publish" of the page listing publishes latest revisions without the edit form,
    so the form's captions rule is checked here too, including draft descendants when the
    editor asked to publish those. Nothing is published if one video lacks German captions."""
    if action_type != "publish":
        return None
    pages = list(objects)
    form = getattr(action, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in objects:
            pages += list(page.get_descendants().not_live())
    lacking = []
    for page in pages:
        if page.specific_class is not ExplainerVideoPage:
            continue
        latest = page.specific.get_latest_revision_as_object()
        if not latest.has_german_captions():
            lacking.append(latest.title)
    if not lacking:
        return None
    messages.error(
        request,
        _("Not published: %(titles)s. %(reason)s")
        % {
            "titles": ", ".join(lacking),
            "reason": GERMAN_CAPTIONS_REQUIRED,
        },
    )
    return redirect(action.next_url)
