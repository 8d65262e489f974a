from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.reach.aggregate import fold


class Command(BaseCommand):
    help = "Fold raw reach events into daily figures now (the beat task does it hourly)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="recompute every day that still has raw events"
        )

    def handle(self, *args, **options):
        summary = fold(everything=options["all"])
        self.stdout.write(
            _("Folded from %(since)s: %(figures)d figures; %(deleted)d old raw events deleted.")
            % {
                "since": summary["since"].isoformat(),
                "figures": summary["figures"],
                "deleted": summary["deleted_raw_events"],
            }
        )
