"""Compile every .po file of the project to .mo without GNU gettext.

Django's ``compilemessages`` needs the ``msgfmt`` binary, which a fresh machine with only
Python may lack; polib writes the same .mo files in pure Python.
"""

import os
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's .po translation catalogues to .mo (pure Python)."

    def handle(self, *args, **options):
        roots = [Path(path) for path in settings.LOCALE_PATHS]
        roots += [Path(settings.BASE_DIR, app, "locale") for app in ("cms", "media_pipeline")]
        compiled = 0
        for root in roots:
            for po_path in sorted(root.glob("**/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                # Written beside and renamed: a process reading the catalogue meanwhile (a
                # second test run, a running server) never sees half a file.
                partial = mo_path.with_suffix(f".mo.{os.getpid()}")
                polib.pofile(str(po_path)).save_as_mofile(str(partial))
                os.replace(partial, mo_path)
                compiled += 1
                self.stdout.write(f"compiled {po_path.relative_to(settings.BASE_DIR)}")
        self.stdout.write(f"{compiled} catalogue(s) compiled.")
