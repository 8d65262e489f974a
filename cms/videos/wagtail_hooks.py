from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import GlossaryTerm


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = _("Key terms")
    menu_order = 315
    add_to_admin_menu = True
    list_display = ["term", "short_definition", "linked_videos"]
    search_fields = ["term", "synonyms"]


register_snippet(GlossaryTermViewSet)
