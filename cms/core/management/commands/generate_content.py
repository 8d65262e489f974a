"""Add realistic published content in bulk (see ``cms.core.generate``)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.core.generate import LARGE, GenerationError, generate_content


class Command(BaseCommand):
    help = (
        "Add published episodes, explainer videos, self-learning units, learning paths and "
        "key terms (numbers per language) to a site with the demo content."
    )

    def add_arguments(self, parser):
        for name in ("episodes", "videos", "units", "paths", "terms"):
            parser.add_argument(
                f"--{name}", type=int, default=0, help=f"{name} per language (L: {LARGE[name]})"
            )
        parser.add_argument(
            "--locales",
            default="de,en",
            help="Comma-separated languages; the first is the source, the others translations.",
        )
        parser.add_argument("--seed", type=int, default=0, help="Seed of the text generator.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Generate even where settings forbid demo content (production).",
        )

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED and not options["force"]:
            raise CommandError(
                "These are production settings: generated content would be published next to "
                "the real pages. Run with --force if you really mean it."
            )
        if any(options[name] < 0 for name in LARGE):
            raise CommandError("Numbers must not be negative.")
        locales = tuple(code.strip() for code in options["locales"].split(",") if code.strip())
        try:
            report = generate_content(
                episodes=options["episodes"],
                videos=options["videos"],
                units=options["units"],
                paths=options["paths"],
                terms=options["terms"],
                locales=locales,
                seed=options["seed"],
            )
        except GenerationError as error:
            raise CommandError(str(error)) from error
        for name, seconds in report.seconds.items():
            count = report.created.get(name, 0)
            self.stdout.write(f"{name}: {count} in {seconds:.1f} s")
        total = sum(report.seconds.values())
        self.stdout.write(self.style.SUCCESS(f"Generated in {total:.1f} s."))
