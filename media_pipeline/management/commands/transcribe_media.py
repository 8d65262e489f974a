from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from media_pipeline import asr, services
from media_pipeline.models import MediaFile, MediaRendition, RenditionStatus
from media_pipeline.specs import SPEECH_SPECS


class Command(BaseCommand):
    help = (
        "(Re)run speech recognition for selected media files: their draft captions and "
        "transcript are made again on the queue 'asr' (what an editor already reviewed into a "
        "page stays as it is). --check-model assembles and verifies the model only."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Media file ids")
        parser.add_argument("--all", action="store_true", help="Every audio and video file")
        parser.add_argument(
            "--missing", action="store_true", help="Only files without a draft (or failed)"
        )
        parser.add_argument(
            "--check-model", action="store_true", help="Assemble and verify the model, then stop"
        )

    def handle(self, *args, ids=(), all=False, missing=False, check_model=False, **options):
        self.stdout.write(asr.status())
        if not asr.enabled():
            raise CommandError("Speech recognition is off; nothing was requested.")
        if check_model:
            try:
                self.stdout.write(f"model ready: {asr.model_location()}")
            except asr.AsrModelError as exc:
                raise CommandError(f"{exc.message} ({exc.detail})") from None
            return
        if not ids and not all and not missing:
            raise CommandError("Name media file ids, or use --all or --missing.")
        files = MediaFile.objects.filter(source_status="ready")
        if ids:
            files = files.filter(pk__in=ids)
            unknown = sorted(set(ids) - set(files.values_list("pk", flat=True)))
            if unknown:
                raise CommandError(f"No checked media file with id {unknown}.")
        requested = 0
        for media_file in files.order_by("pk"):
            with transaction.atomic():
                rows = MediaRendition.objects.filter(media_file=media_file, spec__in=SPEECH_SPECS)
                if missing or not rows.exists():
                    # Missing, failed or stale drafts (and nothing else that is fine).
                    made = services.ensure_renditions(media_file)
                    requested += sum(1 for r in made if r.spec in SPEECH_SPECS)
                else:
                    for row in rows.exclude(status=RenditionStatus.PROCESSING):
                        requested += services.retry_rendition(row, force=True)
        self.stdout.write(f"{requested} speech draft(s) requested.")
