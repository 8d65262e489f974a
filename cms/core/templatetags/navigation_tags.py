from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from wagtail.models import Page

from cms.core.navigation import menu_items, navigation_key, site_root

register = template.Library()


@register.simple_tag(takes_context=True)
def get_site_root(context):
    return site_root(context.get("request"))


@register.simple_tag(takes_context=True)
def get_menu_pages(context):
    """The menu as (title, url, path) items, cached until something is published."""
    return menu_items(context.get("request"))


@register.simple_tag(takes_context=True)
def get_navigation_key(context):
    """For ``{% cache %}`` of fragments that change only when the navigation does."""
    return navigation_key(context.get("request"))


@register.simple_tag
def page_alternates(page):
    """The live translations of ``page`` with their locales, in one query (hreflang)."""
    if not isinstance(page, Page):
        return []
    return list(page.get_translations().live().select_related("locale"))


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """One link per site language: the page's translation, else that language's home page."""
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    translations = {}
    if isinstance(page, Page):
        for translated in (
            page.get_translations(inclusive=True).live().public().select_related("locale")
        ):
            translations[translated.locale.language_code] = translated
    root = site_root(request)
    root_translations = {}
    if root is not None:
        for translated in root.get_translations(inclusive=True).live().select_related("locale"):
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


@register.filter
def in_site_language(value):
    """Text entered once for the whole site (site settings: funder, contact) is in the site's
    default language; on a page in another language it says so (``lang``), so screen
    readers pronounce it right. Empty text stays empty."""
    if not value:
        return value
    site_language = settings.LANGUAGE_CODE.split("-")[0]
    if (translation.get_language() or site_language).split("-")[0] == site_language:
        return value
    return format_html('<span lang="{}">{}</span>', site_language, value)


@register.filter
def site_text(site_settings, name):
    """A text of the site settings in the page's language: its translation (``<name>_en``)
    where an editor entered one, else the site-language text marked with ``lang``."""
    language = (translation.get_language() or "").split("-")[0]
    if language != settings.LANGUAGE_CODE.split("-")[0]:
        translated = getattr(site_settings, f"{name}_{language}", "")
        if translated:
            return translated
    return in_site_language(getattr(site_settings, name, ""))
