"""Paginated public listings: Django's Paginator, tolerant of whatever ``?page=`` says."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def paginate(request, items, per_page: int) -> Page:
    """The requested page of ``items``: a page number that is not a number gives the first
    page and one past the end the last, so a stale or edited link never fails. The page
    carries ``elided_range`` (numbers, with ``…`` gaps) for ``includes/pagination.html``."""
    paginator = Paginator(items, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page.elided_range = list(
        paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page
