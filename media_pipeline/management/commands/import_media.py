import json
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from cms.core.tasks import ping_queue
from media_pipeline import faults, services, uploads
from media_pipeline.exceptions import (
    DuplicateMediaError,
    MediaRejectedError,
    TranscodeError,
    TransientMediaError,
)
from media_pipeline.models import MediaFile, MediaRendition, RenditionStatus
from media_pipeline.roles import sprite_track_name

FINAL = {RenditionStatus.READY, RenditionStatus.FAILED}
NO_WORKER = (
    "No worker is consuming the media queue; start one (celery -A cms worker -Q media) "
    "or use --inline."
)
# --inline retries a batch that hit a passing database or storage problem this often.
INLINE_TRIES = 3


class Command(BaseCommand):
    help = (
        "Import media files and request their default renditions; with --wait a worker makes "
        "them while the command waits, with --inline this process makes them. A file imported "
        "before (same content) is reported as that media file, not stored again. Exit status "
        "1 if a file was refused, a rendition failed or no worker consumes the media queue."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--title", help="Title (default: the file name)")
        parser.add_argument("--wait", action="store_true", help="Wait for all renditions")
        parser.add_argument(
            "--inline",
            action="store_true",
            help="Make all renditions in this process, no worker needed (implies --wait)",
        )
        parser.add_argument("--timeout", type=float, default=3600, help="Seconds to wait")
        parser.add_argument(
            "--worker-timeout",
            type=float,
            default=5,
            help="With --wait: seconds a worker on the media queue has to answer a ping",
        )
        parser.add_argument("--json", action="store_true", help="One JSON object per file")

    def handle(
        self,
        *args,
        paths,
        title=None,
        wait=False,
        inline=False,
        timeout=3600,
        worker_timeout=5,
        json=False,
        **options,
    ):
        failed = False
        imported = []  # (media file, id of the media file it duplicates or None)
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                with path.open("rb") as handle:
                    media_file = uploads.create_media_file(
                        File(handle, name=path.name), title=title or path.stem
                    )
            except DuplicateMediaError as exc:
                imported.append((exc.existing, exc.existing.pk))
                if not json:
                    self.stdout.write(f"{path}: already imported as media file {exc.existing.pk}")
                continue
            except MediaRejectedError as exc:
                failed = True
                self.stderr.write(f"{path}: {exc.message}")
                continue
            imported.append((media_file, None))
            if not json:
                self.stdout.write(f"{path}: imported as media file {media_file.pk}")
        media_files = list({media_file.pk: media_file for media_file, _ in imported}.values())
        deadline = time.monotonic() + timeout
        if inline:
            failed |= not self._make_inline(media_files)
        if (wait or inline) and not _all_final(media_files):
            if not inline:
                self._check_media_worker(worker_timeout)
            failed |= not self._wait(media_files, deadline)
        for media_file, duplicate_of in imported:
            report = describe(media_file, duplicate_of=duplicate_of)
            failed |= any(r["status"] == RenditionStatus.FAILED for r in report["renditions"])
            if json:
                self.stdout.write(_dumps(report))
            else:
                for rendition in report["renditions"]:
                    self.stdout.write(
                        f"  {rendition['spec']}: {rendition['status']} {rendition['error']}"
                    )
        if failed:
            sys.exit(1)

    def _make_inline(self, media_files) -> bool:
        """Run every PENDING batch in this process; False if one could not be made for a
        reason other than its input (the input's failures are in the report). A batch a
        worker took first is left to it (and waited for)."""
        made = True
        pending = (
            MediaRendition.objects.filter(
                media_file__in=media_files, status=RenditionStatus.PENDING
            )
            .values_list("media_file_id", "batch")
            .distinct()
        )
        for media_file_id, batch in sorted(set(pending)):
            for number in range(1, INLINE_TRIES + 1):
                try:
                    services.run_batch(media_file_id, batch)
                except TranscodeError:
                    pass  # recorded as FAILED, with the editor's message, by the attempt
                except TransientMediaError as exc:
                    if number < INLINE_TRIES:
                        time.sleep(2**number)
                        continue
                    made = False
                    self.stderr.write(f"media file {media_file_id}, {batch}: {exc}")
                    row = MediaRendition.objects.filter(
                        media_file_id=media_file_id, batch=batch
                    ).first()
                    services.mark_rendition_failed(row.pk, *faults.final_message(exc))
                break
        return made

    def _check_media_worker(self, timeout: float) -> None:
        if ping_queue("media", timeout) is not None:
            return
        # One worker busy with a long transcode answers only when it is done.
        alive = timezone.now() - timedelta(seconds=settings.MEDIA_HEARTBEAT_TIMEOUT)
        if MediaRendition.objects.filter(
            status=RenditionStatus.PROCESSING, heartbeat_at__gte=alive
        ).exists():
            self.stderr.write("the media worker is busy converting; waiting for it")
            return
        raise CommandError(NO_WORKER)

    def _wait(self, media_files, deadline: float) -> bool:
        while not _all_final(media_files):
            if time.monotonic() > deadline:
                self.stderr.write("timed out waiting for renditions")
                return False
            time.sleep(0.5)
        return True


def _all_final(media_files) -> bool:
    ids = [m.pk for m in media_files]
    renditions = MediaFile.objects.filter(pk__in=ids).values_list("renditions__status")
    return all(status in FINAL for (status,) in renditions if status)


def describe(media_file: MediaFile, *, duplicate_of: int | None = None) -> dict:
    media_file = MediaFile.objects.prefetch_renditions().get(pk=media_file.pk)
    with translation.override("de"):
        renditions = [
            {
                "spec": r.spec,
                "status": r.status,
                "mime_type": r.mime_type or None,
                "size": r.file_size,
                "duration": r.duration,
                "width": r.width,
                "height": r.height,
                "loudness_lufs": r.loudness_lufs,
                "true_peak_dbtp": r.true_peak_dbtp,
                "storage_name": r.file.name or None,
                "url": r.file.url if r.file else None,
                "error": r.error,
                "warning": r.warning,
                **_track(r),
            }
            for r in media_file.renditions.all()
        ]
    return {
        "id": media_file.pk,
        "duplicate_of": duplicate_of,
        "title": media_file.title,
        "kind": media_file.kind,
        "duration": media_file.duration,
        "width": media_file.width,
        "height": media_file.height,
        "renditions": renditions,
    }


def _track(rendition) -> dict:
    """A sprite's WebVTT thumbnails track, stored next to it."""
    if not rendition.file or not rendition.spec.startswith("sprite|"):
        return {}
    name = sprite_track_name(rendition)
    return {"track_storage_name": name, "track_url": rendition.file.storage.url(name)}


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
