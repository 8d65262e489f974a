from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from media_pipeline import services
from media_pipeline.models import MediaFile, MediaRendition
from media_pipeline.specs import SPEECH_SPECS, default_specs


class Command(BaseCommand):
    help = (
        "Request renditions that are missing, failed or stale (source replaced, default "
        "specs or an output-changing setting changed) and send every waiting batch to the "
        "workers again; --all re-renders everything."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Re-render every rendition")
        parser.add_argument("--failed", action="store_true", help="Only retry failed ones")

    def handle(self, *args, all=False, failed=False, **options):
        requested = 0
        for media_file in MediaFile.objects.prefetch_renditions().iterator(chunk_size=100):
            with transaction.atomic():
                if all:
                    for rendition in media_file.renditions.all():
                        requested += services.retry_rendition(rendition, force=True)
                elif failed:
                    for rendition in media_file.renditions.filter(status="failed"):
                        requested += services.retry_rendition(rendition)
                else:
                    requested += len(services.ensure_renditions(media_file))
        # Waiting batches whose message may be lost (a broker restarted without persistence):
        # sending them again is harmless, a worker claims each batch once.
        resent = len(services.resend_lost_batches(timezone.now()))
        obsolete = 0
        for kind in ("audio", "video"):
            obsolete += (
                MediaRendition.objects.filter(media_file__kind=kind)
                .exclude(spec__in=(*default_specs(kind), *SPEECH_SPECS))
                .count()
            )
        self.stdout.write(f"{requested} rendition(s) requested.")
        if resent:
            self.stdout.write(f"{resent} waiting rendition(s) sent to the workers again.")
        if obsolete:
            self.stdout.write(
                f"{obsolete} rendition(s) use specs that are no longer defaults (kept)."
            )
