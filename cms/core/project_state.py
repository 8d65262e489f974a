"""“Project ended” mode: the live site turns read-only before it is switched off.

The rule, in one place: from the date in ``SiteSettings.project_ended_on`` on (that day
included; empty means the project is running) the public site

- shows a banner on every page saying so (``templates/includes/project_ended_banner.html``);
- refuses every request that would write (any method but GET, HEAD, OPTIONS, TRACE) with a
  polite 403 page, or a JSON ``detail`` under ``/api/`` — no sign-up, no new account, no
  learner progress, quiz answer, checklist, reflection, Digital-Check submission,
  certificate, follow-up answer or private feed token is stored;
- sends no more follow-up e-mails (they ask for an answer that could not be stored);
- stops writing on reading, too: views ask ``project_ended(request)`` before they record a
  visit, and ``find_learner`` stops moving ``last_seen_at``, so anonymous learners expire on
  their usual day.

What keeps working is marked with ``@open_after_project_end``: existing learners export and
delete their data (“Meine Daten”), log in and out and reset their password to get there,
and the video player's beacon keeps counting aggregate milestones (no personal data). The
Wagtail admin is not touched: editors keep working until the switch.

A date in the future announces nothing yet; the mode starts on that day by itself.
"""

from __future__ import annotations

import datetime

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# Wagtail's own views for reading private pages: a password or a login, nothing stored.
WAGTAIL_OPEN_URL_NAMES = frozenset({"wagtailcore_authenticate_with_password", "wagtailcore_login"})

_UNSET = object()


def open_after_project_end(view):
    """Mark a view (a function, or a routable page's route method) as one that keeps
    accepting writes in "project ended" mode. Returns the view itself."""
    view.open_after_project_end = True
    return view


def project_ended(request) -> datetime.date | None:
    """The date the project ended if "project ended" mode is on for the request's site,
    else None. Looked up once per request; never raises for a request without a site."""
    cached = getattr(request, "_project_ended_on", _UNSET)
    if cached is not _UNSET:
        return cached
    from wagtail.models import Site

    from .models import SiteSettings

    ended_on = None
    if Site.find_for_request(request) is not None:  # none for e.g. a health check by IP
        # for_request: the same cached row the templates' ``settings`` read, no new query.
        ended_on = _in_force(SiteSettings.for_request(request).project_ended_on)
    request._project_ended_on = ended_on
    return ended_on


def project_ended_on_default_site() -> datetime.date | None:
    """``project_ended`` for work without a request (the follow-up e-mails)."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return _ended_on(site) if site is not None else None


def _ended_on(site) -> datetime.date | None:
    from .models import SiteSettings

    return _in_force(SiteSettings.for_site(site).project_ended_on)


def _in_force(ended_on: datetime.date | None) -> datetime.date | None:
    return ended_on if ended_on is not None and ended_on <= timezone.localdate() else None


def refuse_write(request):
    """The answer to a write while the mode is on: 403, with the note as a page or JSON."""
    ended_on = project_ended(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": read_only_note()}, status=403)
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return TemplateResponse(
        request,
        "core/project_ended.html",
        {"project_ended_on": ended_on, "back_url": back},
        status=403,
    )


def read_only_note() -> str:
    return _(
        "The project has ended: this site keeps its content available but stores no new "
        "data. Existing learners can still export or delete their data."
    )


def _is_open(view) -> bool:
    return getattr(view, "open_after_project_end", False)


class ProjectEndedMiddleware:
    """Refuses writes to plain Django views; writes to Wagtail pages are decided by the
    ``before_serve_page`` hook (``refuse_page_write``), which sees the routable subpage view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or _is_open(view_func):
            return None
        if getattr(request.resolver_match, "url_name", "") in WAGTAIL_OPEN_URL_NAMES:
            return None
        if _is_wagtail_serve(view_func) or _is_admin(request):
            return None
        if project_ended(request) is None:
            return None
        return refuse_write(request)


def refuse_page_write(page, request, serve_args, serve_kwargs):
    """``before_serve_page`` hook: a write to a page (or a routable page's subpage view
    not marked ``open_after_project_end``) is refused while the mode is on."""
    if request.method in SAFE_METHODS:
        return None
    view = serve_args[0] if serve_args else None
    if view is not None and _is_open(view):
        return None
    if project_ended(request) is None:
        return None
    return refuse_write(request)


def _is_wagtail_serve(view_func) -> bool:
    from wagtail.views import serve

    return view_func is serve


def _is_admin(request) -> bool:
    return request.path.startswith(reverse("wagtailadmin_home"))
