import pytest
from django.utils import translation
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.pages import PageLinkHandler

from cms.core.rich_text import BatchedPageLinkHandler
from tests.cms.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked_pages(home_pages):
    german_home, english_home = home_pages
    translated = StandardPageFactory(parent=german_home, slug="leitfaden", title="Leitfaden")
    english = translated.copy_for_translation(english_home.locale)
    english.title = "Guide"
    english.save_revision().publish()
    german_only = StandardPageFactory(parent=german_home, slug="nur-deutsch")
    return translated, german_only


@pytest.mark.parametrize("language", ["de", "en"])
def test_links_match_wagtails_own_handler(linked_pages, language):
    translated, german_only = linked_pages
    attrs = [{"id": str(translated.pk)}, {"id": str(german_only.pk)}, {"id": "999999"}]
    with translation.override(language):
        assert BatchedPageLinkHandler.expand_db_attributes_many(
            attrs
        ) == PageLinkHandler.expand_db_attributes_many(attrs)


def test_link_points_to_the_translation_in_the_active_language(linked_pages):
    translated, _german_only = linked_pages
    html = f'<p><a linktype="page" id="{translated.pk}">Leitfaden</a></p>'
    with translation.override("en"):
        assert 'href="/en/leitfaden/"' in expand_db_html(html)
    with translation.override("de"):
        assert 'href="/de/leitfaden/"' in expand_db_html(html)


def test_many_links_take_a_fixed_number_of_queries(linked_pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    translated, german_only = linked_pages

    def queries_for(copies: int) -> int:
        pages = [translated, german_only] * copies
        html = "".join(f'<a linktype="page" id="{page.pk}">x</a>' for page in pages)
        with translation.override("en"), CaptureQueriesContext(connection) as queries:
            expand_db_html(html)
        return len(queries)

    queries_for(1)  # warm the site root paths cache
    assert queries_for(1) == queries_for(30) <= 2
