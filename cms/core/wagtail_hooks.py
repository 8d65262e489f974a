from wagtail import hooks

from .project_state import refuse_page_write
from .rich_text import BatchedPageLinkHandler

hooks.register("before_serve_page", refuse_page_write)


# order=100: after Wagtail's own registration of the "page" link type, which it replaces.
@hooks.register("register_rich_text_features", order=100)
def register_batched_page_links(features):
    features.register_link_type(BatchedPageLinkHandler)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def say_where_an_abandoned_draft_went(request, page):
    """An abandoned autosaved draft gave its slug to this page (``page_forms``): say so."""
    from .page_forms import say_freed_slug

    say_freed_slug(request, page)
