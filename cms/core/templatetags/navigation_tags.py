from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Page, Site

register = template.Library()


def _site_root(request):
    site = Site.find_for_request(request) if request else None
    return site.root_page.specific.localized if site else None


@register.simple_tag(takes_context=True)
def get_site_root(context):
    return _site_root(context.get("request"))


@register.simple_tag(takes_context=True)
def get_menu_pages(context):
    root = _site_root(context.get("request"))
    if root is None:
        return Page.objects.none()
    return root.get_children().live().public().in_menu()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """One link per site language: the page's translation, else that language's home page."""
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    translations = {}
    if isinstance(page, Page):
        for translated in page.get_translations(inclusive=True).live().public():
            translations[translated.locale.language_code] = translated
    root = _site_root(request)
    root_translations = {}
    if root is not None:
        for translated in root.get_translations(inclusive=True).live():
            root_translations[translated.locale.language_code] = translated

    links = []
    for code, name in settings.LANGUAGES:
        target = translations.get(code) or root_translations.get(code)
        url = target.get_url(request) if target else f"/{code}/"
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "is_current": code == current,
                "is_fallback": code not in translations,
            }
        )
    return {"links": links, "current": current}


@register.filter
def is_section_of(menu_page, page):
    """True when ``page`` is ``menu_page`` or lies below it (for aria-current in menus)."""
    return isinstance(page, Page) and page.path.startswith(menu_page.path)
