import json

from django.core.management.base import BaseCommand, CommandError

from cms.archive.verify import verify_static_site


class Command(BaseCommand):
    help = (
        "Serve an exported archive on loopback with a plain static server and crawl it: "
        "links, assets, feeds (the live feed's checks, feedparser and podcastparser, guids "
        "kept), Range on enclosures and, in the system Chromium, search and axe."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="The folder export_static_site wrote.")
        parser.add_argument(
            "--skip-browser",
            action="store_true",
            help="Leave out the search and axe checks (they need Playwright and Chromium).",
        )
        parser.add_argument("--chromium", help="The Chromium binary (default: the system's).")
        parser.add_argument(
            "--relevance-set",
            help=(
                "'demo' for the demo site's relevance set, or a JSON file "
                '{"de": [["query", ["expected title", ...]], ...], ...}; '
                "default: every item of the archive's search index is found by its title."
            ),
        )

    def handle(self, *args, dest, skip_browser, chromium, relevance_set, **options):
        report = verify_static_site(
            dest,
            skip_browser=skip_browser,
            chromium=chromium,
            relevance_set=load_relevance_set(relevance_set),
        )
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError(f"{len(report.problems)} problems in {dest}")


def load_relevance_set(name: str | None) -> dict | None:
    if not name:
        return None
    if name == "demo":
        from cms.search.relevance import ARCHIVE_DEMO_RELEVANCE_SET

        return ARCHIVE_DEMO_RELEVANCE_SET
    with open(name, encoding="utf-8") as file:
        return {
            language: [(query, set(titles)) for query, titles in cases]
            for language, cases in json.load(file).items()
        }
