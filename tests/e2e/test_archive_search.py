"""The static archive's search, in the browser, from files on a plain static server."""

import pytest

from cms.archive.export import export_static_site
from cms.archive.verify import serve_archive
from cms.search.indexing import rebuild
from tests.cms.podcasts.conftest import publish_episode, show  # noqa: F401 - shared fixtures
from tests.cms.search.conftest import TRANSCRIPT

pytestmark = pytest.mark.django_db


def test_archive_search_finds_an_episode_and_the_second_of_its_transcript(
    browser,
    publish_episode,  # noqa: F811 - imported fixture
    tmp_path,
    assert_accessible,
):
    publish_episode(title="Kundenservice im Betrieb", slug="kundenservice", transcript=TRANSCRIPT)
    rebuild()
    export_static_site(tmp_path / "archive")
    server = serve_archive(tmp_path / "archive")
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    context = browser.new_context(locale="de-DE")
    errors = []
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{origin}/de/smarter-mittelstand/kundenservice/")
        page.locator("#site-search-input").fill("fruhjahr messenger")
        page.keyboard.press("Enter")

        page.wait_for_url("**/de/suche/?q=fruhjahr+messenger")
        heading = page.locator("#results-heading")
        assert heading.text_content() == "1 Ergebnis für „fruhjahr messenger“"
        assert heading.get_attribute("aria-live") == "polite"
        hit = page.locator(".search-hit")
        assert hit.locator(".search-hit__kind").text_content() == "Folge"
        assert hit.locator("mark").all_text_contents() == ["Frühjahr", "Messenger"]
        time = hit.locator("a.search-hit__time")
        assert time.locator("time").text_content() == "12:34"
        assert page.locator("#search-query").input_value() == "fruhjahr messenger"
        assert_accessible(page)

        time.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/de/smarter-mittelstand/kundenservice/?t=754")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert not errors
