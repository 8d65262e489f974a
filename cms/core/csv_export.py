"""CSV for spreadsheets: editor-controlled text never arrives as a formula.

Spreadsheet programs evaluate a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and
some a leading tab or carriage return) as a formula, so a page title such as
``=HYPERLINK(...)`` would become a live link in the funder's Excel. Following OWASP
("CSV Injection"), such text is prefixed with a single quote, which spreadsheets show as
text. Numbers (``int``/``float``, or a string that is just a decimal number such as
``-2.5``) stay numbers.
"""

from __future__ import annotations

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralise_cell(value):
    """``value`` as it may safely stand in a CSV cell; never changes numbers."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeCSVWriter:
    """``csv.writer`` whose rows pass through :func:`neutralise_cell`."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([neutralise_cell(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
