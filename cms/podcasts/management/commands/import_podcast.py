"""``python manage.py import_podcast FEED_URL [--show PAGE_ID] [--dry-run]``: move a podcast in
from its feed on another host (see ``cms.podcasts.importing``)."""

from django.core.management.base import BaseCommand, CommandError

from cms.podcasts.importing import run_import
from cms.podcasts.models import ImportStatus, PodcastImport, PodcastShowPage


class Command(BaseCommand):
    help = (
        "Import a podcast with all its episodes from its feed on another host. Running it "
        "again adds only new episodes."
    )

    def add_arguments(self, parser):
        parser.add_argument("feed_url", help="the feed's address on the old host")
        parser.add_argument(
            "--show", type=int, metavar="PAGE_ID", help="import into this podcast page"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="only report what would be imported"
        )

    def handle(self, *args, feed_url, show=None, dry_run=False, **options):
        if show is not None and not PodcastShowPage.objects.filter(pk=show).exists():
            raise CommandError(f"There is no podcast page with id {show}.")
        record = PodcastImport(feed_url=feed_url, show_id=show, dry_run=dry_run)
        if not dry_run:
            record.save()  # the admin lists imports from the command line too
        run_import(record)
        for error in record.errors:
            self.stderr.write(f"{error['title']} ({error['guid']}): {error['message']}")
        if record.status == ImportStatus.FAILED:
            raise CommandError(record.message)
        self.stdout.write(record.message)
        if record.show_id and not dry_run:
            show_page = PodcastShowPage.objects.get(pk=record.show_id)
            self.stdout.write(
                f"Podcast page {show_page.pk}: {show_page.title}. Feed: {show_page.feed_url()}\n"
                "Last step on the old host: set <itunes:new-feed-url> to this feed and "
                "redirect the old feed address permanently (HTTP 301) to it."
            )
