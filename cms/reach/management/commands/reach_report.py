import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.reach.report import Period, build_report, json_totals, report_csv
from cms.reach.report_pdf import REPORT_LANGUAGES, generate_report_pdf


class Command(BaseCommand):
    help = "Reach figures of a period (up to the last fold) as JSON, CSV or a tagged PDF."

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="YYYY-MM-DD (inclusive)")
        parser.add_argument("--format", choices=["json", "csv", "pdf"], default="json")
        parser.add_argument(
            "--language", choices=REPORT_LANGUAGES, default="de", help="language of the PDF"
        )
        parser.add_argument("--output", default="", help="file to write (default: stdout)")

    def handle(self, *args, **options):
        try:
            period = Period(
                dt.date.fromisoformat(options["start"]), dt.date.fromisoformat(options["end"])
            )
        except ValueError as error:
            raise CommandError(_("Enter the start and end as dates (YYYY-MM-DD).")) from error
        if period.end < period.start:
            raise CommandError(_("The end must not be before the start."))
        if options["format"] == "pdf":
            body = generate_report_pdf(period, options["language"])
            if options["output"]:
                with open(options["output"], "wb") as handle:
                    handle.write(body)
            else:
                sys.stdout.buffer.write(body)
            return
        report = build_report(period)
        if options["format"] == "csv":
            text = report_csv(report)
        else:
            text = json.dumps(json_totals(report), indent=2) + "\n"
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
