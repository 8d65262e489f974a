import logging

from django.db import connection
from django.http import JsonResponse
from django.template.loader import render_to_string
from wagtail.models import Site

logger = logging.getLogger(__name__)


def healthz(request):
    """Readiness for load balancers: the database answers and pages render.

    Rendering a template with ``{% static %}`` and the default site's home page catches what
    breaks every page while the process itself runs: a missing static manifest (no
    ``collectstatic``), broken templates, a missing root page. 503 with a one-word reason;
    the details go to the log.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("healthz: the database does not answer")
        return JsonResponse({"status": "error", "check": "database"}, status=503)
    try:
        render_to_string("core/healthz.html", request=request)
        site = Site.find_for_request(request)
        if site is not None:
            site.root_page.specific.serve(request).render()
    except Exception:
        logger.exception("healthz: pages do not render")
        return JsonResponse({"status": "error", "check": "pages"}, status=503)
    return JsonResponse({"status": "ok"})


ICONS = "lernfunk/icons"
FAVICON = f"{ICONS}/favicon.ico"
THEME_COLOUR = "#0b5394"


def favicon(request):
    """``/favicon.ico``, which browsers and feed readers ask for whatever the page links."""
    from django.contrib.staticfiles import finders
    from django.http import FileResponse, Http404

    path = finders.find(FAVICON)
    if path is None:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115, PTH123
    response["Cache-Control"] = "public, max-age=86400"
    return response


def web_manifest(request):
    """The web app manifest in the request's language: name, start page, icons, colours."""
    from django.templatetags.static import static
    from django.utils.translation import get_language

    from cms.core.models import SiteSettings

    site = Site.find_for_request(request)
    settings = SiteSettings.for_request(request) if site else None
    name = (settings.organisation_name if settings else "") or "Lernfunk"
    start = site.root_page.localized.url if site else "/"
    data = {
        "name": name,
        "short_name": site.site_name if site and site.site_name else "Lernfunk",
        "lang": get_language(),
        "start_url": start,
        "scope": "/",
        "display": "minimal-ui",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static(f"{ICONS}/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static(f"{ICONS}/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static(f"{ICONS}/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response
