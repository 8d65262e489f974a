"""The content generator builds a large centre's site fast; small numbers here."""

import io
import os
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Locale, Page

from cms.core.generate import generate_content
from cms.learning.models import LearningPathPage, LearningUnitPage
from cms.podcasts.models import PodcastEpisodePage, PodcastShowPage
from cms.videos.models import ExplainerVideoPage, GlossaryTerm
from media_pipeline.models import RenditionStatus

ROOT = Path(__file__).resolve().parents[3]
MODELS = (PodcastEpisodePage, ExplainerVideoPage, LearningUnitPage, LearningPathPage)


def _generated(model, language):
    return model.objects.filter(locale__language_code=language, title__regex=r"^\w[\w ]* \d+: ")


def test_generated_pages_are_live_translated_and_render(demo_site, client, admin_user):
    before = {model: model.objects.count() for model in MODELS}
    report = generate_content(episodes=3, videos=2, units=2, paths=1, terms=4)

    assert report.created == {
        "shared media": 0, "key terms": 8, "episodes": 6, "videos": 4, "units": 4, "paths": 2,
    }  # fmt: skip
    # The tree is consistent (paths, depths, child counts), as after add_child.
    assert not any(Page.find_problems())
    for model, per_language in zip(MODELS, (3, 2, 2, 1), strict=True):
        assert model.objects.count() == before[model] + 2 * per_language
        german = list(_generated(model, "de"))
        english = list(_generated(model, "en"))
        assert len(german) == len(english) == per_language
        assert {p.translation_key for p in german} == {p.translation_key for p in english}
        for page in german + english:
            assert page.live and page.live_revision_id == page.latest_revision_id
            # Editing starts from the stored revision, child rows included.
            assert page.get_latest_revision_as_object().title == page.title
            response = client.get(page.url)
            assert response.status_code == 200, page.url

    episode = _generated(PodcastEpisodePage, "en").first()
    assert episode.chapters.count() == 4 and episode.persons.exists()
    assert len(episode.transcript) > 25_000 and episode.transcript.startswith("WEBVTT")
    assert len(episode.show_notes) > 1_500
    assert set(episode.audio.renditions.values_list("status", flat=True)) == {
        RenditionStatus.READY
    }
    revision = episode.get_latest_revision_as_object()
    assert revision.chapters.count() == 4
    # Many pages share a few media files.
    assert PodcastEpisodePage.objects.values("audio").distinct().count() <= 5

    video = _generated(ExplainerVideoPage, "de").first()
    assert video.text_tracks.filter(language="de").exists()
    assert video.glossary_terms.count() == 3
    assert set(video.video.renditions.values_list("status", flat=True)) == {RenditionStatus.READY}

    unit = _generated(LearningUnitPage, "de").first()
    assert len(unit.step_list) == 5 and unit.total_minutes == 35
    # What the catalogue's statuses count, stored as save() would.
    assert unit.required_step_ids == [s.id for s in unit.step_list if not s.optional]
    assert client.get(unit.step_url(unit.step_list[1].id)).status_code == 200
    english_unit = unit.get_translation(Locale.objects.get(language_code="en"))
    # Same block ids in both languages (they key learners' progress); media of its language.
    assert [s.id for s in english_unit.step_list] == [s.id for s in unit.step_list]
    assert english_unit.formats == "text,video,audio"

    assert GlossaryTerm.objects.filter(locale__language_code="en").count() >= 4

    for show in PodcastShowPage.objects.live():
        # A translated show offers the one feed of the show (the recordings are the same).
        language = show.feed_page().locale.language_code
        assert language == "de"
        feed = feedparser.parse(b"".join(client.get(show.feed_path())))
        assert not feed.bozo
        titles = {entry.title for entry in feed.entries}
        assert {e.title for e in _generated(PodcastEpisodePage, language)} <= titles

    client.force_login(admin_user)
    assert client.get(f"/admin/pages/{episode.pk}/edit/").status_code == 200
    found = client.get("/admin/pages/search/", {"q": episode.title.split(": ")[1]})
    assert episode.title in found.content.decode()


def test_generator_needs_the_demo_content(db):
    with pytest.raises(CommandError, match="load_demo_content"):
        call_command("generate_content", "--episodes", "1", stdout=io.StringIO())


def test_generator_refuses_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="x" * 40,
        ALLOWED_HOSTS="lernfunk.example.org",
        LERNFUNK_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "generate_content", "--episodes", "1", "--skip-checks"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "production" in result.stderr and "--force" in result.stderr
