"""Incremental export: pages whose content and dependencies are unchanged are reused from the
previous run without being rendered (``report.rendered`` / ``report.reused``, also printed by
the command), and whatever a change can reach is rendered again."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Site

from cms.archive.export import export_static_site
from cms.archive.reuse import code_fingerprint
from cms.core.models import SiteSettings
from tests.cms.videos.conftest import glossary  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db

FIRST = "/de/smarter-mittelstand/erste-folge/"
SECOND = "/de/smarter-mittelstand/zweite-folge/"
SHOW = "/de/smarter-mittelstand/"
UNIT = "/de/lernangebote/social-media-fur-den-betrieb/"


def rendered_pages(report) -> set[str]:
    """The pages a run rendered, but the language homes and search pages (always rendered:
    the note page is made from the home, the search page gets the index)."""
    return {url for url in report.rendered if url.endswith("/")} - {
        "/de/",
        "/en/",
        "/de/suche/",
        "/en/search/",
    }


@pytest.fixture
def exported(small_site, tmp_path):
    dest = tmp_path / "archive"
    first = export_static_site(dest)
    assert first.reused == []
    assert {FIRST, SECOND, SHOW, UNIT} <= set(first.rendered)
    return dest


def test_nothing_changed_renders_no_page_and_writes_nothing(exported):
    mtimes = {path: path.stat().st_mtime_ns for path in exported.rglob("*") if path.is_file()}

    report = export_static_site(exported, incremental=True)

    assert rendered_pages(report) == set()
    assert {FIRST, SECOND, SHOW, UNIT} <= set(report.reused)
    assert report.written == []
    assert report.removed == []
    # Files (but the manifest) are left untouched.
    for path, mtime in mtimes.items():
        if path.name != "manifest.json":
            assert path.stat().st_mtime_ns == mtime, path
    # Without --incremental every page is rendered, as before.
    assert export_static_site(exported).reused == []


def test_one_episode_changed_renders_it_and_what_lists_it_only(
    small_site, exported, django_capture_on_commit_callbacks
):
    first, second = small_site["episodes"]
    second_file = exported / SECOND.lstrip("/") / "index.html"
    second_mtime = second_file.stat().st_mtime_ns
    with django_capture_on_commit_callbacks(execute=True):  # the feed cache moves on commit
        first.title = "Erste Folge, überarbeitet"
        first.save_revision().publish()

    output = io.StringIO()
    call_command("export_static_site", str(exported), "--incremental", stdout=output)
    manifest = json.loads((exported / "manifest.json").read_text())

    report = export_static_site(exported, incremental=True)  # and once more: all reused
    assert rendered_pages(report) == set()
    assert report.written == []

    rendered, reused = _stats(output.getvalue())
    assert rendered >= 4 and reused >= 2
    pages = {entry["url"]: entry for entry in manifest["files"].values() if "url" in entry}
    assert FIRST in pages and SECOND in pages
    assert "überarbeitet" in (exported / FIRST.lstrip("/") / "index.html").read_text()
    assert "überarbeitet" in (exported / SHOW.lstrip("/") / "index.html").read_text()
    feed = (exported / f"feeds/podcast/{small_site['show'].pk}.xml").read_text()
    assert "überarbeitet" in feed
    assert "überarbeitet" in (exported / "de/suche/index.json").read_text()
    assert second_file.stat().st_mtime_ns == second_mtime


def test_one_episode_changed_reuses_unrelated_pages(
    small_site, exported, django_capture_on_commit_callbacks
):
    first, _second = small_site["episodes"]
    with django_capture_on_commit_callbacks(execute=True):
        first.title = "Erste Folge, überarbeitet"
        first.save_revision().publish()

    report = export_static_site(exported, incremental=True)

    assert {FIRST, SHOW, f"/feeds/podcast/{small_site['show'].pk}.xml"} <= set(report.rendered)
    assert {SECOND, UNIT, "/de/impressum/"} <= set(report.reused)
    assert SECOND not in report.rendered
    assert "de/smarter-mittelstand/erste-folge/index.html" in report.written
    assert "de/smarter-mittelstand/zweite-folge/index.html" in report.unchanged
    assert "de/suche/index.json" in report.written


def test_a_change_to_the_navigation_renders_every_page(
    small_site, exported, django_capture_on_commit_callbacks
):
    show = small_site["show"]
    show.title = "Smarter Mittelstand – der Podcast"
    show.show_in_menus = True  # into the main navigation
    with django_capture_on_commit_callbacks(execute=True):  # the menu cache moves on commit
        show.save_revision().publish()

    report = export_static_site(exported, incremental=True)

    assert report.reused == []
    assert {FIRST, SECOND, UNIT, "/de/impressum/"} <= set(report.rendered)
    assert "der Podcast" in (exported / UNIT.lstrip("/") / "index.html").read_text()


def test_a_change_to_the_site_settings_renders_every_page(small_site, exported):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.organisation_name = "Zentrum Kommunikation im Archiv"
    site_settings.save()

    report = export_static_site(exported, incremental=True)

    assert report.reused == []
    assert {FIRST, SECOND, UNIT} <= set(report.rendered)
    assert (
        "Zentrum Kommunikation im Archiv"
        in (exported / SECOND.lstrip("/") / "index.html").read_text()
    )


def test_a_template_change_renders_every_page(small_site, exported, settings, tmp_path):
    templates = tmp_path / "templates"
    base = Path(settings.BASE_DIR) / "templates" / "base.html"
    (templates).mkdir()
    changed = base.read_text().replace("</body>", '<p class="marker">Neue Vorlage</p></body>')
    (templates / "base.html").write_text(changed)
    engine = {**settings.TEMPLATES[0], "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]

    report = export_static_site(exported, incremental=True)

    assert report.reused == []
    assert "Neue Vorlage" in (exported / SECOND.lstrip("/") / "index.html").read_text()


def test_a_static_file_change_changes_the_code_fingerprint(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "extra.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static]
    before = code_fingerprint()
    (static / "extra.css").write_text("body { color: navy; }")
    assert code_fingerprint() != before


def test_unpublished_episode_is_removed_and_the_pages_linking_to_it_are_rendered(
    small_site, exported
):
    first, _second = small_site["episodes"]
    first.unpublish()

    report = export_static_site(exported, incremental=True)

    assert "de/smarter-mittelstand/erste-folge/index.html" in report.removed
    assert not (exported / FIRST.lstrip("/")).exists()
    assert SHOW in report.rendered
    assert "Erste Folge" not in (exported / SHOW.lstrip("/") / "index.html").read_text()
    assert UNIT in report.reused


def _stats(output: str) -> tuple[int, int]:
    line = next(line for line in output.splitlines() if line.startswith("export_static_site"))
    tail = line.split("rendered ", 1)[1]
    rendered, reused = tail.split(" URLs, reused ")
    return int(rendered), int(reused)


def test_the_glossary_is_rendered_again_when_a_video_names_one_of_its_terms(
    glossary,  # noqa: F811 - imported fixture
    publish_video,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    from cms.videos.models import GlossaryTerm, VideoKeyTerm

    dest = tmp_path / "archive"
    video = publish_video()
    export_static_site(dest)
    assert export_static_site(dest, incremental=True).written == []

    # The glossary lists its terms' videos, which are not below it ("API": the first letter,
    # which the archived glossary shows).
    video.key_term_links.add(VideoKeyTerm(term=GlossaryTerm.objects.get(slug="api")))
    with django_capture_on_commit_callbacks(execute=True):  # the term fragments' generation
        video.save_revision().publish()
    report = export_static_site(dest, incremental=True)

    assert "/de/kurz-erklaert/begriffe/" in report.rendered
    glossary_html = (dest / "de/kurz-erklaert/begriffe/index.html").read_text()
    assert "Was ist eine Cloud?" in glossary_html
