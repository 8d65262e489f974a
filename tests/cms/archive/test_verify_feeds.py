"""``verify_static_site`` on a small export whose feed has two episodes with audio: a missing
enclosure file and a feed whose guid or enclosure URL changed are named."""

import pytest

from cms.archive.export import export_static_site

from .conftest import copy_archive, rewrite_file
from .test_verify import run

pytestmark = pytest.mark.django_db


def test_a_missing_enclosure_and_a_changed_feed_are_named(small_site, tmp_path, capsys):
    dest = tmp_path / "archive"
    export_static_site(dest)
    first, second = small_site["episodes"]
    feed = f"feeds/podcast/{small_site['show'].pk}.xml"
    ok, counts, problems = run(dest, "--skip-browser", capsys=capsys)
    assert ok, problems
    assert counts["enclosures"] == "2"

    (dest / f"podcast-audio/{second.guid}.mp3").unlink()
    ok, _counts, problems = run(dest, "--skip-browser", capsys=capsys)
    assert not ok
    assert any(
        line.startswith(f"{feed}: enclosure ")
        and line.endswith(f"{second.guid}.mp3 answers Range with 404")
        for line in problems
    ), problems

    changed = copy_archive(dest, tmp_path / "changed")
    rewrite_file(
        changed,
        feed,
        lambda text: text.replace(
            f">{first.guid}<", ">6f1c0e52-0000-4000-8000-000000000000<"
        ).replace(f"podcast-audio/{first.guid}.mp3", "podcast-audio/elsewhere.mp3"),
    )
    ok, _counts, problems = run(changed, "--skip-browser", capsys=capsys)
    assert not ok
    assert f"{feed}: podcast:guid or item guids changed" in problems
    assert any(
        line.startswith(f"{feed}: enclosure ") and "elsewhere.mp3 answers Range with 404" in line
        for line in problems
    ), problems
