"""``manage.py import_media`` as operators run it: a real subprocess on the configured
database, broker and storage (the harness is in workers.py)."""

import json
import time

import pytest
from django.utils import timezone

from cms.core.tasks import ping_queue
from media_pipeline.models import MediaFile, MediaRendition, RenditionStatus
from media_pipeline.specs import default_specs
from tests.media_pipeline import workers
from tests.media_pipeline.conftest import stored_originals
from tests.media_pipeline.factories import MediaRenditionFactory
from tests.media_pipeline.workers import Worker, run_import

process_env = workers.process_env

pytestmark = pytest.mark.django_db(transaction=True)

NO_WORKER = "No worker is consuming the media queue"


@pytest.fixture
def sine_wav(make_media):
    return make_media("sinus.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=2")


def last_json(result) -> dict:
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_same_file_again_names_the_existing_media_file(
    process_env,
    sine_wav,
    tmp_path,
):
    originals = stored_originals()  # a bucket is shared by the whole run
    first = run_import(process_env, sine_wav)
    assert first.returncode == 0, first.stderr
    existing = MediaFile.objects.get()
    stored = stored_originals()
    assert len(stored) == len(originals) + 1
    renditions = MediaRendition.objects.count()
    copy = tmp_path / "kopie.wav"
    copy.write_bytes(sine_wav.read_bytes())

    again = run_import(process_env, copy)
    as_json = run_import(process_env, copy, "--json")

    assert again.returncode == 0, again.stderr
    assert f"{copy}: already imported as media file {existing.pk}" in again.stdout
    assert as_json.returncode == 0, as_json.stderr
    report = last_json(as_json)
    assert report["id"] == report["duplicate_of"] == existing.pk
    assert len(report["renditions"]) == renditions
    assert list(MediaFile.objects.all()) == [existing]
    assert MediaRendition.objects.count() == renditions
    assert stored_originals() == stored  # nothing stored again


def test_a_new_file_is_listed_as_no_duplicate(process_env, sine_wav):
    result = run_import(process_env, sine_wav, "--json")

    assert result.returncode == 0, result.stderr
    assert last_json(result)["duplicate_of"] is None


def test_wait_without_a_media_worker_says_so_within_seconds(process_env, sine_wav):
    started = time.monotonic()
    result = run_import(process_env, sine_wav, "--wait", "--worker-timeout", "2")

    assert result.returncode != 0
    assert NO_WORKER in result.stderr
    assert "--inline" in result.stderr
    assert time.monotonic() - started < 30


def test_wait_does_not_give_up_while_the_media_worker_is_busy(
    process_env,
    sine_wav,
):
    MediaRenditionFactory(status=RenditionStatus.PROCESSING, heartbeat_at=timezone.now())

    result = run_import(process_env, sine_wav, "--wait", "--worker-timeout", "1", "--timeout", "2")

    assert NO_WORKER not in result.stderr
    assert "timed out waiting for renditions" in result.stderr
    assert result.returncode == 1


def test_inline_makes_every_rendition_before_exiting_and_a_later_worker_does_nothing(
    process_env,
    sine_wav,
    tmp_path,
):
    result = run_import(process_env, sine_wav, "--inline", "--json")

    assert result.returncode == 0, result.stderr
    report = last_json(result)
    media_file = MediaFile.objects.get()
    assert sorted(r["spec"] for r in report["renditions"]) == sorted(default_specs("audio"))
    assert {r["status"] for r in report["renditions"]} == {"ready"}
    made = {r.pk: (r.attempts, r.finished_at, r.file.name) for r in media_file.renditions.all()}
    assert all(attempts == 1 for attempts, _finished, _name in made.values())

    # The upload also handed the batch to the broker; a worker that starts later finds it
    # READY and changes nothing. Answering a ping sent after it means it got that far.
    worker = Worker(process_env, tmp_path / "worker.log")
    try:
        assert ping_queue("media", timeout=60) is not None, worker.log_path.read_text()
    finally:
        worker.stop()
    log = worker.log_path.read_text()
    assert "transcode_batch_task" in log and "succeeded" in log, log
    assert {
        r.pk: (r.attempts, r.finished_at, r.file.name) for r in media_file.renditions.all()
    } == made
