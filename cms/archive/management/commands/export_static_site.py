from django.core.management.base import BaseCommand, CommandError

from cms.archive.export import export_static_site


class Command(BaseCommand):
    help = (
        "Export every live public page in every language, the feeds, the media and documents "
        "public pages use, sitemap.xml, robots.txt and the 404 page as static files into DEST."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "dest",
            help="A local folder (created if missing), or s3://bucket/prefix through the "
            "configured S3 settings.",
        )
        parser.add_argument(
            "--base-url",
            help="The archive's address (https://archiv.example.org/lernfunk): links become "
            "absolute under it. Without it pages link relatively, and feeds and the sitemap "
            "name the site's current address.",
        )
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="Reuse the previous run's files whose page and what it depends on are "
            "unchanged (see manifest.json), without rendering them, and skip re-reading media "
            "whose stored file is unchanged since the last run.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; write nothing."
        )

    def handle(self, *args, dest, base_url, incremental, dry_run, verbosity, **options):
        if base_url and not base_url.startswith(("http://", "https://")):
            raise CommandError("--base-url must start with http:// or https://")
        log = self.stdout.write if verbosity > 1 else None
        try:
            report = export_static_site(
                dest, base_url=base_url, incremental=incremental, dry_run=dry_run, log=log
            )
        except ValueError as error:  # an unusable destination
            raise CommandError(str(error)) from error
        if verbosity > 1:
            for path in report.written:
                self.stdout.write(f"wrote {path}")
            for path in report.removed:
                self.stdout.write(f"removed {path}")
            for url, reason in sorted(report.left_out.items()):
                self.stdout.write(f"left out {url}: {reason}")
        verb = "would write" if dry_run else "wrote"
        self.stdout.write(
            f"export_static_site: {report.total} files, {verb} {len(report.written)}, "
            f"{len(report.unchanged)} unchanged, {len(report.removed)} removed, "
            f"{len(report.left_out)} URLs left out, {len(report.errors)} errors; "
            f"rendered {len(report.rendered)} URLs, reused {len(report.reused)}"
        )
        if report.errors:
            raise CommandError("pages failed to render: " + "; ".join(report.errors[:10]))
