"""``sitemap.xml``: every live public page of the site in every language, with ``hreflang``
alternates between translations, built in a fixed number of queries and cached until a
page is published, unpublished, moved or deleted, or a view restriction or site changes.

Wagtail's own sitemap lists the descendants of the site's root page, which is the German
home page: the English tree (a sibling of it, Wagtail's locale mechanism) was missing.

A large site gets a sitemap index instead (``SITEMAP_SECTION_SIZE`` URLs per section,
``sitemap.xml?p=2`` and so on, as Django's sitemap framework names them), so no response
grows with the amount of content and a section is built from one slice of the pages.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from wagtail.models import Page, Site

from .models import CacheGeneration

CACHE_TIMEOUT = 24 * 60 * 60
SITEMAP_SECTION_SIZE = 1000
INDEX_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)
HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def invalidate_sitemap() -> None:
    """Move the sitemap's generation after the current transaction commits."""
    transaction.on_commit(lambda: CacheGeneration.bump(CacheGeneration.SITEMAP))


def sitemap_view(request):
    site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
    section = request.GET.get("p")
    if section is not None and not (section.isdigit() and int(section) >= 1):
        raise Http404
    generation = CacheGeneration.current(CacheGeneration.SITEMAP)
    key = f"sitemap:{site.pk}:{section or 'root'}:{generation}"
    cache = caches[settings.FEED_CACHE_ALIAS]
    body = cache.get(key)
    if body is None:
        body = build_sitemap(site, request, section=int(section) if section else None)
        if body is None:
            raise Http404
        cache.set(key, body, CACHE_TIMEOUT)
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def sitemap_pages(site: Site):
    """The live pages below the site's root page and its translations that anyone may view
    (``public()`` leaves out pages under a view restriction), locale joined, StreamFields
    deferred: two queries whatever the number of pages."""
    roots = Page.objects.filter(translation_key=site.root_page.translation_key).values_list(
        "path", flat=True
    )
    within = Q()
    for path in roots:
        within |= Q(path__startswith=path)
    return (
        Page.objects.filter(within)
        .live()
        .public()
        .select_related("locale")
        .defer_streamfields()
        .order_by("path")
    )


def build_sitemap(site: Site, request=None, section: int | None = None) -> bytes | None:
    """The whole ``urlset`` of a small site; for a large one the index (``section`` None) or
    one section (1-based; None when there is no such section)."""
    pages = sitemap_pages(site)
    total = pages.count()
    size = SITEMAP_SECTION_SIZE
    if section is None and total > size:
        base = (
            request.build_absolute_uri(request.path) if request else site.root_url + "/sitemap.xml"
        )
        parts = [INDEX_HEADER]
        for number in range(1, (total + size - 1) // size + 1):
            parts.append(f"<sitemap><loc>{_text(base)}?p={number}</loc></sitemap>\n")
        parts.append("</sitemapindex>\n")
        return "".join(parts).encode()
    if section is not None:
        if section > max(1, (total + size - 1) // size):
            return None
        pages = pages[(section - 1) * size : section * size]
    pages = list(pages)
    # The translations of this slice's pages (they may lie in other sections): one query.
    keys = {page.translation_key for page in pages}
    translations = (
        sitemap_pages(site).filter(translation_key__in=keys) if section is not None else pages
    )
    groups: dict = {}
    for page in translations:
        url = page.get_full_url(request)
        if url:
            groups.setdefault(page.translation_key, []).append((page.locale.language_code, url))
    entries = []
    for page in pages:
        url = page.get_full_url(request)
        if url:
            entries.append((page, url))
    default_language = settings.LANGUAGE_CODE.split("-")[0]
    parts = [HEADER]
    for page, url in entries:
        lastmod = page.last_published_at or page.latest_revision_created_at
        parts.append(f"<url><loc>{_text(url)}</loc>")
        if lastmod:
            parts.append(f"<lastmod>{lastmod.date().isoformat()}</lastmod>")
        translations = sorted(groups[page.translation_key])
        if len(translations) > 1:
            for language, href in translations:
                parts.append(_alternate(language, href))
            default = dict(translations).get(default_language, translations[0][1])
            parts.append(_alternate("x-default", default))
        parts.append("</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts).encode()


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _alternate(language: str, href: str) -> str:
    return f'<xhtml:link rel="alternate" hreflang={quoteattr(language)} href={quoteattr(href)}/>'
