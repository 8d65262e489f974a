from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.core.media_serving import serve_media
from cms.core.sitemap import sitemap_view
from cms.core.views import favicon, healthz, web_manifest
from cms.learning.api import api as learning_api

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/", learning_api.urls),
    path("", include("feeds.urls")),
    path("", include("cms.videos.urls")),
    path("", include("cms.reach.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    # The view answers only while SERVE_MEDIA is on (local media); with S3 it is a 404.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.+)$", serve_media, name="serve_media")]

urlpatterns += i18n_patterns(
    path("manifest.webmanifest", web_manifest, name="web_manifest"),
    path("", include("cms.digitalcheck.urls")),
    path("", include("feeds.subscriber_urls")),
    path("", include("cms.search.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
