from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Person


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "role", "organisation"]
    search_fields = ["name", "organisation"]


register_snippet(PersonViewSet)
