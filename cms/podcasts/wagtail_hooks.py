"""Admin hooks of the podcasts app."""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import PodcastFeedPage, is_local_address


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_a_local_feed_address(request, page):
    """A live show or video index whose site still has a local address (``localhost``):
    podcast apps cannot reach its feed, and its podcast:guid waits for the real address."""
    page = page.specific
    if not isinstance(page, PodcastFeedPage) or not page.live:
        return
    feed_url = page.feed_url()
    if is_local_address(feed_url):
        messages.warning(
            request,
            _(
                "The feed's address is %(url)s: podcast apps cannot reach it, and the show's "
                "podcast GUID is only fixed once the site has its real address. Enter it "
                "under Settings → Sites before you announce the show."
            )
            % {"url": feed_url},
        )


@hooks.register("register_admin_urls")
def register_import_urls():
    from django.urls import path

    from .import_views import import_detail_view, import_index_view

    return [
        path("podcast-imports/", import_index_view, name="podcast_imports"),
        path("podcast-imports/<int:import_id>/", import_detail_view, name="podcast_import"),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from cms.core.admin_permissions import PermissionMenuItem

    from .import_views import VIEW_PERMISSION

    return PermissionMenuItem(
        gettext_lazy("Podcast import"),
        reverse("podcast_imports"),
        name="podcast-imports",
        icon_name="download",
        order=350,
        permission=VIEW_PERMISSION,
    )
