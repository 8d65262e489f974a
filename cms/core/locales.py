"""The active locale, looked up once per request instead of at every ``Locale.get_active()``.

Wagtail's ``Locale.get_active()`` queries the database on every call, and a public page calls
it from the catalogue filters, the names of topics and levels, the header, the language
switcher and the footer. ``RequestLocaleMiddleware`` opens a memo for the request;
``active_locale()`` fills it once per language. Outside a request it is plain
``Locale.get_active()``.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.utils import translation
from wagtail.models import DraftStateMixin, Locale

_memo: ContextVar[dict | None] = ContextVar("lernfunk_active_locales", default=None)


def active_locale() -> Locale:
    memo = _memo.get()
    if memo is None:
        return Locale.get_active()
    language = translation.get_language()
    if language not in memo:
        memo[language] = Locale.get_active()
    return memo[language]


def localized(instance):
    """``instance.localized`` with the request's memoised locale (one query, not two)."""
    locale = active_locale()
    if instance.locale_id == locale.pk:
        return instance
    translated = instance.get_translation_or_none(locale)
    if translated is None or (isinstance(translated, DraftStateMixin) and not translated.live):
        return instance
    return translated


class RequestLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


class LanguageNeutralMiddleware:
    """Takes ``Vary: Accept-Language`` and ``Content-Language`` off responses marked with
    ``responses.language_neutral``. Listed just before ``LocaleMiddleware``, so it sees the
    response after that middleware added them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "language_neutral", False):
            if response.has_header("Vary"):
                kept = [
                    value.strip()
                    for value in response["Vary"].split(",")
                    if value.strip() and value.strip().lower() != "accept-language"
                ]
                if kept:
                    response["Vary"] = ", ".join(kept)
                else:
                    del response["Vary"]
            if response.has_header("Content-Language"):
                del response["Content-Language"]
        return response
