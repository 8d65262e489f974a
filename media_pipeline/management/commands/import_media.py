import json
import sys
import time
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from media_pipeline import uploads
from media_pipeline.exceptions import MediaRejectedError
from media_pipeline.models import MediaFile, RenditionStatus
from media_pipeline.video import sprite_track_name

FINAL = {RenditionStatus.READY, RenditionStatus.FAILED}


class Command(BaseCommand):
    help = (
        "Import media files, request their default renditions and optionally wait for them. "
        "Exit status 1 if a file was refused or a rendition failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--title", help="Title (default: the file name)")
        parser.add_argument("--wait", action="store_true", help="Wait for all renditions")
        parser.add_argument("--timeout", type=float, default=3600, help="Seconds to wait")
        parser.add_argument("--json", action="store_true", help="One JSON object per file")

    def handle(self, *args, paths, title=None, wait=False, timeout=3600, json=False, **options):
        failed = False
        imported = []
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                with path.open("rb") as handle:
                    media_file = uploads.create_media_file(
                        File(handle, name=path.name), title=title or path.stem
                    )
            except MediaRejectedError as exc:
                failed = True
                self.stderr.write(f"{path}: {exc.message}")
                continue
            imported.append(media_file)
            if not json:
                self.stdout.write(f"{path}: imported as media file {media_file.pk}")
        if wait:
            deadline = time.monotonic() + timeout
            while not self._all_final(imported):
                if time.monotonic() > deadline:
                    self.stderr.write("timed out waiting for renditions")
                    failed = True
                    break
                time.sleep(0.5)
        for media_file in imported:
            report = describe(media_file)
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

    def _all_final(self, media_files):
        ids = [m.pk for m in media_files]
        renditions = MediaFile.objects.filter(pk__in=ids).values_list("renditions__status")
        return all(status in FINAL for (status,) in renditions if status)


def describe(media_file: MediaFile) -> dict:
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
                **_track(r),
            }
            for r in media_file.renditions.all()
        ]
    return {
        "id": media_file.pk,
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
