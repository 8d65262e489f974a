"""Rich-text page links expanded in batches.

Wagtail's handler loads each linked page as its specific class and resolves its translation
with queries of its own (``page.localized`` looks the active locale up every time), so a text
with many links — or the podcast feed, which expands the show notes of a thousand episodes at
once — costs queries per link. This handler loads all linked pages in one query, compares
locales by language code, and fetches the translations it needs in one more query only when
a link points into another language. The HTML is the same as Wagtail's.

Our page types do not override ``get_url_parts``, so the generic page's URL is the page's
URL; a page type that does (a routable index with a custom root, say) would need
``.specific()`` here again.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler


class BatchedPageLinkHandler(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Page | None]:
        ids = [str(attrs.get("id")) for attrs in attrs_list]
        pages = Page.objects.filter(id__in=[i for i in ids if i.isdigit()])
        by_id = {str(page.pk): page for page in pages.select_related("locale")}
        return [by_id.get(i) for i in ids]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        pages = cls.get_many(attrs_list)
        language = _active_language()
        foreign = {
            page.translation_key
            for page in pages
            if page is not None and language and page.locale.language_code != language
        }
        translations = {}
        if foreign:
            translated = Page.objects.live().filter(
                translation_key__in=foreign, locale__language_code=language
            )
            translations = {page.translation_key: page for page in translated}
        urls: dict[int, str] = {}
        tags = []
        for page in pages:
            if page is None:
                tags.append("<a>")
                continue
            if page.pk not in urls:
                target = translations.get(page.translation_key, page)
                urls[page.pk] = escape(target.url or "")
            tags.append(f'<a href="{urls[page.pk]}">')
        return tags


def _active_language() -> str | None:
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return None
