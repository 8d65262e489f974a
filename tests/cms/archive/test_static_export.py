import datetime as dt
import json
import re
import uuid

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import CommandError, call_command

from cms.archive.destinations import StorageDestination
from cms.archive.export import export_static_site
from media_pipeline.specs import PODCAST_MP3_SPEC

pytestmark = pytest.mark.django_db

BASE = "https://archiv.example.org/lernfunk"


def html(dest, path):
    return (dest / path / "index.html").read_text()


def test_export_holds_the_public_site_and_nothing_private(small_site, tmp_path, capsys):
    dest = tmp_path / "archive"
    first, second = small_site["episodes"]

    call_command("export_static_site", str(dest), "--base-url", BASE)

    unit = "de/lernangebote/social-media-fur-den-betrieb"
    for page in ("de", "en", "de/smarter-mittelstand", "de/smarter-mittelstand/erste-folge",
                 unit, "de/impressum"):  # fmt: skip
        assert (dest / page / "index.html").is_file(), page
    for name in ("sitemap.xml", "robots.txt", "404.html", "manifest.json", "index.html"):
        assert (dest / name).is_file(), name
    secret = small_site["secret_episode"]
    assert not (dest / "de/intern").exists()
    assert not (dest / "de/entwurf").exists()
    assert not (dest / "de/vorstand").exists()
    manifest = json.loads((dest / "manifest.json").read_text())
    imprint = html(dest, "de/impressum")
    assert imprint.count(f'href="{BASE}/de/_archive/unavailable/"') == 4  # closed pages, file
    public_document, private_document = small_site["documents"]
    assert f'href="{BASE}{public_document.url}"' in imprint
    assert (dest / public_document.url.lstrip("/")).read_bytes() == b"%PDF-1.4\n"
    assert not [path for path in manifest["files"] if "intern.pdf" in path]
    assert not (dest / "de/smarter-mittelstand/nur-fuer-mitglieder").exists()
    assert not [
        path
        for path in manifest["files"]
        if "originals" in path
        or "admin" in path
        or str(secret.guid) in path
        or f"renditions/{secret.audio_id}/" in path
    ]
    chapters = json.loads((dest / f"feeds/chapters/{first.guid}.json").read_text())
    assert chapters["chapters"][0]["title"] == "Begrüßung"
    assert "/de/intern/" not in (dest / "sitemap.xml").read_text()
    assert f"Sitemap: {BASE}/sitemap.xml" in (dest / "robots.txt").read_text()

    rendition = first.audio.renditions.get(spec=PODCAST_MP3_SPEC)
    mp3 = dest / f"podcast-audio/{first.guid}.mp3"
    assert mp3.read_bytes() == rendition.file.read()

    episode = html(dest, "de/smarter-mittelstand/erste-folge")
    assert f'href="{BASE}/de/smarter-mittelstand/"' in episode
    assert "testserver" not in episode, re.findall(r".{60}testserver.{40}", episode)

    feed = feedparser.parse((dest / f"feeds/podcast/{small_site['show'].pk}.xml").read_bytes())
    assert not feed.bozo
    assert [entry.id for entry in feed.entries] == [str(second.guid), str(first.guid)]
    assert feed.entries[1].enclosures[0].href == f"{BASE}/podcast-audio/{first.guid}.mp3"
    assert feed.feed.link == f"{BASE}/de/smarter-mittelstand/"

    capsys.readouterr()
    call_command("verify_static_site", str(dest), "--skip-browser")
    assert "1 feeds, 2 enclosures, " in capsys.readouterr().out

    (dest / "static/lernfunk/css/site.css").unlink()
    with pytest.raises(CommandError):
        call_command("verify_static_site", str(dest), "--skip-browser")
    assert "missing asset" in capsys.readouterr().err


def test_forms_that_need_the_server_get_a_note_in_the_page_language(small_site, tmp_path):
    dest = tmp_path / "archive"
    export_static_site(dest)

    signup = html(dest, "de/lernangebote/signup")
    assert "archive-note" in signup
    assert "csrfmiddlewaretoken" not in signup
    assert 'method="post"' not in signup
    note = html(dest, "de/_archive/unavailable")
    assert '<html lang="de">' in note
    assert "Nicht im Archiv verfügbar" in note
    assert "Not available in the archive" in html(dest, "en/_archive/unavailable")
    # The header search leads to the archive's search page, relative to the page.
    assert 'action="../suche/"' in html(dest, "de/impressum")
    assert "data-suggest-url" not in html(dest, "de/impressum")


def test_search_index_holds_public_items_with_their_cues_and_nothing_private(
    indexed_site, tmp_path
):
    dest = tmp_path / "archive"
    export_static_site(dest)

    index = json.loads((dest / "de/suche/index.json").read_text())
    documents = {document["title"]: document for document in index["documents"]}
    episode = documents["Erste Folge"]
    assert index["kinds"][episode["kind"]] == "Folge"
    assert (dest / "de/suche" / episode["url"] / "index.html").resolve().is_file()
    assert [754, "Seit dem Frühjahr beantworten wir Anfragen per Messenger-Chat."] in (
        episode["cues"]
    )
    assert "Social Media für den Betrieb" in documents
    for hidden in ("Nur für Mitglieder", "Intern", "Vorstand", "Entwurf"):
        assert hidden not in documents
    assert "Mitglieder" not in (dest / "de/suche/index.json").read_text()
    for document in index["documents"]:
        assert (dest / "de/suche" / document["url"].split("#")[0]).resolve().is_dir()
    assert json.loads((dest / "en/search/index.json").read_text())["language"] == "en"

    page = BeautifulSoup(html(dest, "de/suche"), "html.parser")
    assert page.select_one("form.search-form")["action"] == "./"
    assert page.select_one("noscript p")["lang"] == "de"
    assert "braucht JavaScript" in page.select_one("noscript p").get_text()
    script = page.find("script", src=re.compile("archive/search"))
    assert (dest / "de/suche" / script["src"]).resolve().is_file()
    inline = page.find_all("script", src=False, type=lambda value: value != "application/ld+json")
    assert not inline


def test_incremental_export_writes_only_what_changed_and_removes_unpublished_pages(
    small_site, tmp_path, django_capture_on_commit_callbacks
):
    dest = tmp_path / "archive"
    export_static_site(dest)
    again = export_static_site(dest, incremental=True)
    assert again.written == []
    assert again.removed == []

    first, _second = small_site["episodes"]
    with django_capture_on_commit_callbacks(execute=True):  # the feed cache moves on commit
        first.title = "Erste Folge, überarbeitet"
        first.save_revision().publish()
        small_site["public"].unpublish()

    report = export_static_site(dest, incremental=True)

    assert "de/smarter-mittelstand/erste-folge/index.html" in report.written
    assert f"feeds/podcast/{small_site['show'].pk}.xml" in report.written
    assert "de/smarter-mittelstand/zweite-folge/index.html" in report.unchanged
    assert "de/lernangebote/social-media-fur-den-betrieb/index.html" in report.unchanged
    assert f"podcast-audio/{first.guid}.mp3" in report.unchanged
    assert set(report.written) <= {
        "de/smarter-mittelstand/erste-folge/index.html",
        f"feeds/chapters/{first.guid}.json",
        "de/smarter-mittelstand/index.html",
        f"feeds/podcast/{small_site['show'].pk}.xml",
        "sitemap.xml",
        "de/index.html",
        "de/suche/index.json",  # the new title
    }, report.written
    # The document was linked from the unpublished page only: no public page uses it now.
    public_document = small_site["documents"][0]
    assert report.removed == ["de/impressum/index.html", public_document.url.lstrip("/")]
    assert not (dest / "de/impressum").exists()
    assert "überarbeitet" in html(dest, "de/smarter-mittelstand/erste-folge")


def test_explainer_videos_keep_their_player_captions_and_feed(publish_video, tmp_path, capsys):
    dest = tmp_path / "archive"
    video = publish_video(english=True)

    export_static_site(dest)

    page = BeautifulSoup(html(dest, "de/kurz-erklaert/was-ist-eine-cloud"), "html.parser")
    sources = [source["src"] for source in page.select("video source")]
    tracks = [track["src"] for track in page.select("video track")]
    assert sources and len(tracks) == 2
    folder = dest / "de/kurz-erklaert/was-ist-eine-cloud"
    for link in sources + tracks:
        assert (folder / link).resolve().is_file(), link
    assert "Was ist eine Cloud?" in (folder / tracks[0]).resolve().read_text()
    feed = feedparser.parse((dest / f"feeds/video/{video.get_parent().pk}.xml").read_bytes())
    assert feed.entries[0].enclosures[0].href.startswith("http://testserver/video-podcast/")
    call_command("verify_static_site", str(dest), "--skip-browser")
    assert "1 enclosures, " in capsys.readouterr().out


@pytest.mark.skipif(not settings.MEDIA_ON_S3, reason="needs the S3 settings (moto in CI)")
def test_export_to_a_bucket_goes_through_the_configured_storage(small_site):
    bucket = settings.S3_MEDIA_OPTIONS["bucket_name"]
    dest = f"s3://{bucket}/archive-test-{uuid.uuid4().hex}"
    first, _second = small_site["episodes"]

    export_static_site(dest, base_url=BASE)

    bucket_files = StorageDestination(dest)
    manifest = {"files": {}}
    try:
        manifest = json.loads(bucket_files.read_bytes("manifest.json"))
        assert "de/smarter-mittelstand/erste-folge/index.html" in manifest["files"]
        rendition = first.audio.renditions.get(spec=PODCAST_MP3_SPEC)
        audio = bucket_files.read_bytes(f"podcast-audio/{first.guid}.mp3")
        assert audio == rendition.file.read()
        assert export_static_site(dest, base_url=BASE, incremental=True).written == []
    finally:
        for path in [*manifest["files"], "manifest.json"]:
            bucket_files.delete(path)


def test_every_archived_page_says_when_it_was_archived(small_site, tmp_path):
    dest = tmp_path / "archive"
    first = dt.date(2026, 12, 7)
    export_static_site(dest, archived_on=first)

    for path in (
        "de/index.html",
        "en/index.html",
        "de/smarter-mittelstand/erste-folge/index.html",
    ):
        soup = BeautifulSoup((dest / path).read_text(), "html.parser")
        stamp = soup.find("footer").find(class_="archive-stamp")
        assert stamp.time["datetime"] == "2026-12-07", path
    german = BeautifulSoup((dest / "de/index.html").read_text(), "html.parser")
    assert german.find(class_="archive-stamp").get_text() == "Archiviert am 7. Dezember 2026"
    english = BeautifulSoup((dest / "en/index.html").read_text(), "html.parser")
    assert english.find(class_="archive-stamp").get_text() == "Archived on Dec. 7, 2026"

    # A later run keeps the date of pages whose content did not change, and writes nothing.
    again = export_static_site(dest, incremental=True, archived_on=dt.date(2027, 1, 15))
    assert again.written == []
    assert "2026-12-07" in (dest / "de/index.html").read_text()
    small_site["public"].title = "Impressum und Kontakt"
    small_site["public"].save_revision().publish()
    export_static_site(dest, incremental=True, archived_on=dt.date(2027, 1, 15))
    changed = BeautifulSoup((dest / "de/impressum/index.html").read_text(), "html.parser")
    assert changed.find(class_="archive-stamp").time["datetime"] == "2027-01-15"
    assert "2026-12-07" in (dest / "de/smarter-mittelstand/zweite-folge/index.html").read_text()
    # A page reused without rendering keeps its date in the manifest, for the run that
    # renders it again (a template change) with the same content.
    files = json.loads((dest / "manifest.json").read_text())["files"]
    assert files["de/smarter-mittelstand/zweite-folge/index.html"]["archived_on"] == "2026-12-07"
