from wagtail import hooks

from .rich_text import BatchedPageLinkHandler


# order=100: after Wagtail's own registration of the "page" link type, which it replaces.
@hooks.register("register_rich_text_features", order=100)
def register_batched_page_links(features):
    features.register_link_type(BatchedPageLinkHandler)
