from wagtail.snippets.models import register_snippet

from cms.core.snippet_listings import TranslatableSnippetViewSet

from .models import Person


class PersonViewSet(TranslatableSnippetViewSet):
    model = Person
    icon = "user"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "role", "organisation"]
    search_fields = ["name", "organisation"]


register_snippet(PersonViewSet)
