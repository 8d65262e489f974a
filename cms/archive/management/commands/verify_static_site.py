from django.core.management.base import BaseCommand, CommandError

from cms.archive.verify import verify_static_site


class Command(BaseCommand):
    help = (
        "Serve an exported archive on loopback with a plain static server and crawl it: "
        "links, assets, feeds (guids kept, parse with feedparser) and Range on enclosures."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="The folder export_static_site wrote.")

    def handle(self, *args, dest, **options):
        report = verify_static_site(dest)
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(f"{len(report.problems)} problems in {dest}")
