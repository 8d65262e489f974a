"""``verify_static_site`` on the exported demo (once for the module) and on copies of an
export broken in one way each: the command names what broke and exits non-zero.

The browser checks (search, axe) share one Chromium for the module; without Chromium they are
skipped, unless REQUIRE_BROWSER=1."""

import json
import os
import re

import pytest
from django.core.management import CommandError, call_command

from cms.archive.browser_checks import _launched, find_chromium
from cms.archive.verify import verify_static_site
from cms.search.relevance import EPISODE_JOINERY

from .conftest import copy_archive, rewrite_file

# The verifier reads exported files: the services change nothing it checks (the export on
# PostgreSQL + S3 is tested in test_static_export.py).
pytestmark = [pytest.mark.django_db, pytest.mark.embedded_only]

REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER", "") not in {"", "0", "false"}
needs_browser = pytest.mark.skipif(
    find_chromium() is None and not REQUIRE_BROWSER,
    reason="no Chromium found (Debian package 'chromium' or CHROMIUM_PATH)",
)
SUMMARY = re.compile(
    r"verify_static_site: (?P<pages>\d+) pages, (?P<links>\d+) links, (?P<assets>\d+) assets, "
    r"(?P<feeds>\d+) feeds, (?P<enclosures>\d+) enclosures, (?P<search>\d+) search queries, "
    r"(?P<axe>\d+) axe pages(?P<note> \([^)]*\))?: (?P<outcome>.*)"
)


def run(*args, capsys):
    """The command's exit (True: zero), summary counts and problem lines."""
    capsys.readouterr()
    try:
        call_command("verify_static_site", *map(str, args))
        ok = True
    except CommandError:
        ok = False
    out, err = capsys.readouterr()
    summary = SUMMARY.search(out)
    assert summary, out
    return ok, summary.groupdict(), err.splitlines()


@pytest.fixture
def browser():
    # Function scope: Playwright's event loop must be gone before the next test's database
    # work (Django refuses ORM calls while it runs).
    chromium = find_chromium()
    if chromium is None:
        pytest.fail("REQUIRE_BROWSER is set but no Chromium was found")
    with _launched(chromium) as launched:
        yield launched


@pytest.mark.browser
@needs_browser
def test_the_exported_demo_passes_every_check(shared_demo_archive, capsys):
    ok, counts, problems = run(shared_demo_archive, "--relevance-set", "demo", capsys=capsys)

    assert ok, problems
    assert counts["outcome"] == "OK"
    assert counts["note"] is None
    assert int(counts["pages"]) > 60
    assert int(counts["links"]) > 100
    assert int(counts["assets"]) > 100
    assert counts["feeds"] == "2"
    assert int(counts["search"]) >= 35
    # One page per page type and language: home, show, episode, unit, step, search, …
    assert int(counts["axe"]) >= 20


def test_without_chromium_the_browser_checks_fail_unless_skipped(shared_demo_archive, capsys):
    ok, counts, problems = run(
        shared_demo_archive, "--chromium", "/nonexistent/chromium", capsys=capsys
    )
    assert not ok
    assert counts["axe"] == "0"
    assert any("no Chromium at /nonexistent/chromium" in line for line in problems), problems

    ok, counts, problems = run(shared_demo_archive, "--skip-browser", capsys=capsys)
    assert ok, problems
    assert counts["note"] == " (browser checks skipped)"


@pytest.mark.browser
@needs_browser
def test_search_and_axe_failures_are_named_with_their_url(shared_demo_archive, browser, tmp_path):
    dest = copy_archive(shared_demo_archive, tmp_path / "archive")

    def without_joinery(text):
        index = json.loads(text)
        index["documents"] = [d for d in index["documents"] if d["title"] != EPISODE_JOINERY]
        return json.dumps(index)

    rewrite_file(dest, "de/suche/index.json", without_joinery)
    rewrite_file(
        dest,
        "de/index.html",
        lambda text: text.replace(
            "</main>", '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main>', 1
        ),
    )
    rewrite_file(
        dest,
        "en/index.html",
        lambda text: text.replace(
            "</main>",
            '<p style="color:#aaa;background:#fff;font-size:12px">Barely legible</p></main>',
            1,
        ),
    )

    report = verify_static_site(
        dest,
        browser=browser,
        relevance_set={"de": [("Tischlerei", {EPISODE_JOINERY})], "en": []},
    )

    assert not report.ok
    assert report.search_queries == 1
    problems = "\n".join(report.problems)
    assert re.search(r"/de/suche/\?q=Tischlerei: none of \['Die Tischlerei", problems), problems
    assert re.search(r"/de/: axe critical image-alt \(template-home, de\)", problems), problems
    assert re.search(r"/en/: axe serious color-contrast \(template-home, en\)", problems)
    # Nothing else: the German home page may be named twice, as the archive's root leads there.
    assert all(
        re.search(r"q=Tischlerei|image-alt|color-contrast", problem) for problem in report.problems
    ), problems


def test_every_letter_of_the_glossary_is_in_the_archive(shared_demo_archive):
    """The glossary shows one letter at a time (``?letter=c``): each letter's page is archived
    and its link leads there, so no term is left behind on the live site."""
    from bs4 import BeautifulSoup

    glossaries = [
        path
        for path in shared_demo_archive.glob("*/**/index.html")
        if "_q" not in path.parts
        and BeautifulSoup(path.read_text(), "html.parser").select("nav.letter-nav")
    ]
    assert glossaries, "the demo has a glossary in each language"
    for glossary in glossaries:
        soup = BeautifulSoup(glossary.read_text(), "html.parser")
        letters = soup.select("nav.letter-nav a")
        assert len(letters) > 1, glossary
        for link in letters:
            target = (glossary.parent / link["href"]).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), (glossary, link["href"])
            shown = BeautifulSoup(target.read_text(), "html.parser").select("h2.glossary-letter")
            assert [h.get_text(strip=True) for h in shown] == [link.get_text(strip=True)]
