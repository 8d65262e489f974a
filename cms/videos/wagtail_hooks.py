from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from cms.core.snippet_listings import TranslatableSnippetViewSet

from .forms import GERMAN_CAPTIONS_REQUIRED, NOT_PUBLISHED_SAVED_AS_DRAFT, publishing_actions
from .models import ExplainerVideoPage, GlossaryTerm


class GlossaryTermViewSet(TranslatableSnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = _("Key terms")
    menu_order = 315
    add_to_admin_menu = True
    list_display = ["term", "short_definition", "linked_videos"]
    search_fields = ["term", "synonyms"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                # linked_videos reads term.videos: one query for the whole page of terms,
                # of their titles only (not the videos' summaries and transcripts).
                Prefetch(
                    "videos", queryset=ExplainerVideoPage.objects.order_by("title").only("title")
                )
            )
        )


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


def _posts_german_captions(post, files) -> bool:
    """Whether the edit form's text tracks hold a German captions row with content (whether
    that content is valid is the form's business: an invalid track fails the form)."""
    try:
        rows = int(post.get("text_tracks-TOTAL_FORMS") or 0)
    except ValueError:
        return False
    for index in range(min(rows, 100)):
        prefix = f"text_tracks-{index}-"
        if post.get(f"{prefix}DELETE"):
            continue
        if post.get(f"{prefix}kind") != "captions" or post.get(f"{prefix}language") != "de":
            continue
        if (post.get(f"{prefix}webvtt") or "").strip() or files.get(f"{prefix}upload"):
            return True
    return False


def _save_as_draft_without_captions(request, page_class):
    """Publishing (or a step towards it) a video without German captions saves the draft and
    says why it was not published, instead of refusing the whole form.

    Wagtail's autosave stores the draft a moment after any refused form, so "The page could
    not be saved" above a header that says "Saved" was both false and confusing: the editor's
    work is kept as a draft, and the message says what is missing for publishing."""
    if request.method != "POST" or page_class is not ExplainerVideoPage:
        return None
    actions = publishing_actions(request.POST)
    if not actions or _posts_german_captions(request.POST, request.FILES):
        return None
    post = request.POST.copy()
    for key in actions:
        post.pop(key, None)
    request.POST = post
    messages.warning(request, str(NOT_PUBLISHED_SAVED_AS_DRAFT))
    return None


@hooks.register("before_create_page")
def save_new_video_without_captions_as_draft(request, parent_page, page_class):
    return _save_as_draft_without_captions(request, page_class)


@hooks.register("before_edit_page")
def save_edited_video_without_captions_as_draft(request, page):
    return _save_as_draft_without_captions(request, page.specific_class)
