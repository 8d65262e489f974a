"""Fetch the current OPAWG user-agent lists into VAR_DIR/reach/user-agents/ (they win over the
vendored copies). Each list is checked before it replaces the old one."""

import json
import re
import urllib.request

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.reach.user_agents import SOURCE_PATHS, SOURCE_URL, refreshed_dir, reload_lists


class Command(BaseCommand):
    help = "Refresh the OPAWG user-agent lists (bots, apps, platforms) from GitHub."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="another mirror of the repository")

    def handle(self, *args, **options):
        folder = refreshed_dir()
        folder.mkdir(parents=True, exist_ok=True)
        base = options["base_url"].rstrip("/")
        for name, path in SOURCE_PATHS.items():
            url = f"{base}/{path}" if base else SOURCE_URL.format(path=path)
            if not url.startswith(("https://", "http://")):
                raise CommandError(_("Only http(s) addresses can be fetched."))
            try:
                with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
                    data = json.loads(response.read())
                entries = [
                    {"name": e["name"], "pattern": e["pattern"], "category": e.get("category", "")}
                    for e in data["entries"]
                ]
                for entry in entries:
                    re.compile(entry["pattern"])
            except (OSError, ValueError, KeyError, TypeError, re.error) as error:
                raise CommandError(
                    _("The list %(name)s could not be fetched: %(error)s")
                    % {"name": name, "error": error}
                ) from error
            target = folder / f"{name}.json"
            partial = target.with_suffix(".tmp")
            partial.write_text(json.dumps({"entries": entries}, ensure_ascii=False))
            partial.replace(target)
            self.stdout.write(
                _("%(name)s: %(count)d patterns") % {"name": name, "count": len(entries)}
            )
        reload_lists()
