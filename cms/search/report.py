"""“Suchanfragen”: what visitors look for, counted per month without anything personal.

Only the query itself is counted — no IP address, session, user or time beyond the month.
A query's text is stored only once it has been asked ``STORE_MIN`` times in a month; until
then only a keyed hash (HMAC with the secret key) identifies it, so a query asked once or
twice, which could name a person or a company, never appears in the database in clear. The
report lists only queries asked at least ``SHOW_MIN`` times (the project's rule: no groups
smaller than five).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import SearchQueryCount

STORE_MIN = 3
SHOW_MIN = 5


def digest(query: str) -> str:
    key = f"site-search-report:{settings.SECRET_KEY}".encode()
    return hmac.new(key, query.encode(), hashlib.sha256).hexdigest()


def normalise(query: str) -> str:
    return " ".join(query.casefold().split())[:200]


def record_query(query: str, language: str, *, found: bool) -> None:
    if not settings.SEARCH_QUERY_REPORT:
        return
    from django.utils import timezone

    text = normalise(query)
    month = timezone.localdate().replace(day=1)
    key = {"month": month, "language": language, "digest": digest(text)}
    increments = {"count": F("count") + 1}
    if not found:
        increments["without_results"] = F("without_results") + 1
    if not SearchQueryCount.objects.filter(**key).update(**increments):
        try:
            with transaction.atomic():
                SearchQueryCount.objects.create(**key, count=1, without_results=0 if found else 1)
        except IntegrityError:  # a concurrent first asking
            SearchQueryCount.objects.filter(**key).update(**increments)
    SearchQueryCount.objects.filter(**key, count__gte=STORE_MIN, query="").update(query=text)


def monthly_report(month, language: str | None = None) -> dict:
    rows = SearchQueryCount.objects.filter(month=month, count__gte=SHOW_MIN).exclude(query="")
    if language:
        rows = rows.filter(language=language)
    return {
        "top": list(rows.order_by("-count", "query")[:50]),
        "without_results": list(
            rows.filter(without_results__gte=SHOW_MIN).order_by("-without_results", "query")[:50]
        ),
    }
