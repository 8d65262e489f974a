"""The page form every page with topics, levels, people or key terms uses.

Topics, maturity levels, people and key terms are translatable snippets: each exists once per
language, often under the same name ("Dr. Miriam Keller" twice). Wagtail's plain select lists
and snippet choosers offer every language's copies, so a German episode could name the English
copy of its guest. ``LocalePageForm`` limits such choices to the page's own locale: select
lists show only that locale's entries (plus whatever the page already has, so an old choice
is never lost on save), and snippet choosers open filtered to that locale (the chooser's own
locale filter, which the editor can still change). Inline rows (a show's hosts, an episode's
persons, a video's key terms) are limited the same way, including rows added in the browser.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.models import Page, TranslatableMixin


def _translatable_snippet(field) -> bool:
    queryset = getattr(field, "queryset", None)
    if queryset is None:
        return False
    model = queryset.model
    return issubclass(model, TranslatableMixin) and not issubclass(model, Page)


def _keep_ids(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, (str, int)) or hasattr(value, "pk"):
        value = [value]
    return [getattr(item, "pk", item) for item in value if item not in (None, "")]


def _chooser_url_with_locale(widget, language_code: str):
    plain = widget.get_chooser_modal_url

    def get_chooser_modal_url():
        url = plain()
        return f"{url}{'&' if '?' in url else '?'}locale={language_code}"

    return get_chooser_modal_url


def limit_to_locale(fields, initial, locale) -> None:
    """Limit the translatable-snippet fields among ``fields`` to ``locale`` in place."""
    for name, field in fields.items():
        if not _translatable_snippet(field):
            continue
        keep = _keep_ids(initial.get(name)) if initial else []
        field.queryset = field.queryset.filter(Q(locale_id=locale.pk) | Q(pk__in=keep))
        if isinstance(field.widget, BaseChooser):
            field.widget.get_chooser_modal_url = _chooser_url_with_locale(
                field.widget, locale.language_code
            )


class LocalePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = getattr(self.instance, "locale", None) if self.instance.locale_id else None
        if locale is None:
            return
        limit_to_locale(self.fields, self.initial, locale)
        for formset in self.formsets.values():
            # Rows added in the browser are copies of ``empty_form``, made from the formset's
            # form class: give this formset a class of its own with limited base fields (a
            # subclass, so the shared class stays as it is for other requests).
            row_class = type(formset.form.__name__, (formset.form,), {})
            row_class.base_fields = copy.deepcopy(formset.form.base_fields)
            limit_to_locale(row_class.base_fields, None, locale)
            formset.form = row_class
            for form in formset.forms:
                limit_to_locale(form.fields, form.initial, locale)

    # --- slugs held by abandoned drafts ---------------------------------------------------
    # Wagtail's autosave creates a page as soon as an editor types into a "new page" form; a
    # form left alone leaves that draft behind, and its slug then blocks the page the editor
    # really makes ("The slug 'neue-folge' is already in use"). A draft that was never
    # published, is in no workflow and was made by the same editor does not own its public
    # address: it gives the slug up (it becomes "<slug>-entwurf-<id>") and the editor is told
    # where it is. Other people's drafts and anything ever published keep their slugs.

    def clean(self):
        slug = self.cleaned_data.get("slug")  # Wagtail's clean drops it when it clashes
        cleaned = super().clean()
        self._abandoned_draft = None
        if not slug or "slug" not in self.errors or self.parent_page is None:
            return cleaned
        draft = self._own_unpublished_sibling(slug)
        if draft is not None:
            self._abandoned_draft = draft
            del self.errors["slug"]
            cleaned["slug"] = slug
        return cleaned

    def _own_unpublished_sibling(self, slug):
        user = getattr(self, "for_user", None)
        if user is None or not user.is_authenticated:
            return None
        siblings = self.parent_page.get_children().filter(slug=slug)
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        candidates = list(siblings[:2])
        if len(candidates) != 1:
            return None
        draft = candidates[0]
        if draft.live or draft.first_published_at is not None or draft.owner_id != user.pk:
            return None
        if draft.workflow_states.filter(status="in_progress").exists():
            return None
        return draft

    def save(self, commit=True):
        draft = getattr(self, "_abandoned_draft", None)
        if draft is not None:
            self._free_slug(draft)
        return super().save(commit=commit)

    def _free_slug(self, draft) -> None:
        """Move the abandoned draft (and its latest revision, which autosave keeps editing)
        to a slug of its own; tell the editor where it went."""
        new_slug = f"{draft.slug}-entwurf-{draft.pk}"[:255]
        draft.slug = new_slug
        draft.set_url_path(draft.get_parent())
        draft.save(update_fields=["slug", "url_path"], clean=False)
        revision = draft.latest_revision
        if revision is not None and isinstance(revision.content, dict):
            revision.content["slug"] = new_slug
            revision.save(update_fields=["content"])
        # Said by the after_create_page/after_edit_page hooks (cms.core.wagtail_hooks),
        # which get this instance and the request the form does not have.
        self.instance._freed_slug_of = (draft.get_admin_display_title(), new_slug)


FREED_SLUG_MESSAGE = _(
    "Your unpublished draft “%(title)s” had this short URL; it keeps its content under "
    "“%(slug)s”. You find it among the pages of this section."
)


def say_freed_slug(request, page) -> None:
    freed = getattr(page, "_freed_slug_of", None)
    if freed is not None:
        # str() now, in the admin language (messages are stored after the view ends).
        messages.info(request, str(FREED_SLUG_MESSAGE) % {"title": freed[0], "slug": freed[1]})
