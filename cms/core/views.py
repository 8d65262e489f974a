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
