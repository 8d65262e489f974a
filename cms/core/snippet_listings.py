"""Snippet listings whose cost does not grow with the rows shown.

``wagtail.contrib.simple_translation`` adds a "Translate" item to every row of a translatable
snippet's listing after asking the database, per row and twice, whether a locale is left to
translate into. ``TranslatableSnippetViewSet`` gets that answer with the rows instead (one
``EXISTS`` column in the listing's own query) and its index view uses it in place of that one
hook; every other listing hook runs as in Wagtail.
"""

from django.contrib.admin.utils import quote
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets.button import BaseButton, Button, ButtonWithDropdown
from wagtail.contrib.simple_translation import wagtail_hooks as simple_translation_hooks
from wagtail.models import Locale
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet


def with_translation_state(queryset):
    """``queryset`` with ``has_untranslated_locale``: a locale has no translation of the row."""
    translations = queryset.model.objects.filter(
        translation_key=OuterRef(OuterRef("translation_key"))
    ).values("locale_id")
    return queryset.annotate(
        has_untranslated_locale=Exists(Locale.objects.exclude(id__in=translations))
    )


def translate_button(snippet, user, next_url=None):
    """simple_translation's "Translate" item, from the annotation instead of a query."""
    if getattr(snippet, "has_untranslated_locale", False) and user.has_perm(
        "simple_translation.submit_translation"
    ):
        meta = type(snippet)._meta
        url = reverse(
            "simple_translation:submit_snippet_translation",
            args=[meta.app_label, meta.model_name, quote(snippet.pk)],
        )
        yield MenuItem(_("Translate"), url, icon_name="globe", priority=100)


class TranslatableSnippetIndexView(IndexView):
    def get_list_buttons(self, instance):
        # Wagtail's IndexView.get_list_buttons, with simple_translation's per-row hook
        # replaced by translate_button (Wagtail offers no way to swap a single hook).
        next_url = self.request.path
        buttons = self.get_list_more_buttons(instance)
        for hook in hooks.get_hooks("register_snippet_listing_buttons"):
            if hook is simple_translation_hooks.register_snippet_listing_buttons:
                hook = translate_button  # noqa: PLW2901
            buttons.extend(hook(instance, self.request.user, next_url))
        list_buttons, more_buttons = [], []
        for button in buttons:
            if isinstance(button, BaseButton) and not button.allow_in_dropdown:
                list_buttons.append(button)
            elif isinstance(button, MenuItem):
                if button.is_shown(self.request.user):
                    more_buttons.append(Button.from_menu_item(button))
            elif button.show:
                more_buttons.append(button)
        for hook in hooks.get_hooks("construct_snippet_listing_buttons"):
            hook(more_buttons, instance, self.request.user)
        if more_buttons:
            list_buttons.append(
                ButtonWithDropdown(
                    buttons=more_buttons,
                    icon_name="dots-horizontal",
                    attrs={
                        "aria-label": _("More options for '%(title)s'") % {"title": str(instance)}
                    },
                )
            )
        return list_buttons


class TranslatableSnippetViewSet(SnippetViewSet):
    """A snippet viewset for a ``TranslatableMixin`` model, listed without per-row queries."""

    index_view_class = TranslatableSnippetIndexView

    def get_queryset(self, request):
        return with_translation_state(self.model.objects.all())
