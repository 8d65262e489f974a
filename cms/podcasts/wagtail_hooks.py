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
