from __future__ import annotations

import html

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.core.pagination import paginate

from .models import Kind
from .query import build_hits, clean_query, did_you_mean, query_stems, ranked_ids
from .report import record_query

RESULTS_PER_PAGE = 10
SUGGESTIONS = 6


def _language() -> str:
    return (get_language() or "de").split("-")[0]


def _filter_choices(language: str) -> dict:
    from cms.taxonomy.models import MaturityLevel, Topic

    return {
        "kinds": Kind.choices,
        "topics": Topic.objects.filter(locale__language_code=language).order_by("name"),
        "levels": MaturityLevel.objects.filter(locale__language_code=language).order_by(
            "sort_order"
        ),
    }


def _starting_points(language: str) -> list:
    """The catalogue, the glossary and the Digital-Check of the language, when public."""
    from cms.digitalcheck.models import DigitalCheckPage
    from cms.learning.models import LearningCatalogPage
    from cms.videos.models import GlossaryPage

    pages = []
    for model in (LearningCatalogPage, GlossaryPage, DigitalCheckPage):
        page = (
            model.objects.live()
            .public()
            .filter(locale__language_code=language)
            .order_by("path")
            .first()
        )
        if page is not None:
            pages.append(page)
    return pages


@require_http_methods(["GET", "HEAD"])
def search(request):
    language = _language()
    query = clean_query(request.GET.get("q", ""))
    kinds = [kind for kind in request.GET.getlist("kind") if kind in Kind.values]
    topic = request.GET.get("topic", "")[:100]
    level = request.GET.get("level", "")[:100]
    context = {
        "query": query,
        "selected_kinds": kinds,
        "selected_topic": topic,
        "selected_level": level,
        "message": "",
        "hits": [],
        "page_obj": None,
        "searched": False,
        "suggestion": "",
        **_filter_choices(language),
    }
    if "q" in request.GET and not query:
        context["message"] = _("Please enter a word to search for.")
    elif query and not query_stems(query, language):
        context["message"] = _(
            "Your search has no word we could look for. Please use letters or numbers."
        )
    elif query:
        ids = ranked_ids(query, language, kinds=kinds, topic=topic, level=level)
        page_obj = paginate(request, ids, RESULTS_PER_PAGE)
        context["page_obj"] = page_obj
        context["searched"] = True
        context["hits"] = build_hits(list(page_obj.object_list), query, language)
        context["suggestion"] = did_you_mean(query, language)
        if "page" not in request.GET and not (kinds or topic or level):
            record_query(query, language, found=bool(ids))
    if not context["hits"]:
        context["starting_points"] = _starting_points(language)
    response = render(request, "search/results.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "HEAD"])
def suggestions(request):
    """JSON for the header's autocomplete: the best few hits, with the minute for a match in
    a transcript or caption. An empty or unusable query gives an empty list."""
    language = _language()
    query = clean_query(request.GET.get("q", ""))
    items = []
    if len(query) >= 2 and query_stems(query, language):
        ids = ranked_ids(query, language)[:SUGGESTIONS]
        kinds = dict(Kind.choices)
        for hit in build_hits(ids, query, language):
            items.append(
                {
                    "title": hit.document.title,
                    "kind": str(kinds[hit.document.kind]),
                    "url": hit.url,
                    "time": hit.clock,
                    "text": html.unescape(strip_tags(hit.snippet)) if hit.clock else "",
                }
            )
    response = JsonResponse({"query": query, "suggestions": items})
    response["X-Robots-Tag"] = "noindex"
    return response
