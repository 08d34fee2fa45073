"""Rows and columns hidden in Excel (a filter, or hidden by hand) are read like the others, and
the person is told: an adviser who filtered a DBH table down to one faculty and saved it saw 38
rows in Excel, and the product read 349 without a word (a bad-input hunt, 2026-12-03)."""

from __future__ import annotations

import openpyxl
import pytest

from analysis.cli import main
from analysis.readers import read_path
from analysis.readers import xlsx as xlsx_reader

HEADER = ["Institusjonskode", "Avdelingskode", "Årstall", "Antall totalt", "Antall kvinner", "Antall menn"]
ROWS = [
    ["1150", "271720", "2024", 120, 30, 90],
    ["1150", "194650", "2024", 200, 150, 50],
    ["1150", "271720", "2025", 130, 40, 90],
    ["1150", "194650", "2025", 210, 160, 50],
]


def _book(path, hidden_rows=(), hidden_column=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tabell"
    sheet.append(HEADER + (["Merknad"] if hidden_column else []))
    for row in ROWS:
        sheet.append(row + (["x"] if hidden_column else []))
    sheet.auto_filter.ref = "A1:F5"
    for number in hidden_rows:
        sheet.row_dimensions[number].hidden = True
    if hidden_column:
        sheet.column_dimensions[hidden_column].hidden = True
    book.save(path)
    return path


def test_rows_hidden_by_a_filter_are_read_and_named(tmp_path, capsys):
    # rows 3 and 5 (faculty 194) filtered out, as Excel saves a filter on Avdelingskode
    path = _book(tmp_path / "dbh_t123_1150.xlsx", hidden_rows=(3, 5))
    result = read_path(path)
    assert len(result.frame) == 4  # every row, as before
    (note,) = [w for w in result.warnings if "hidden in Excel" in w.message]
    assert (note.row, note.value) == (3, "2 rows")
    assert note.message.startswith("2 rows of sheet 'Tabell' are hidden in Excel")
    assert main(["validate", str(path)]) == 0
    assert "2 rows of sheet 'Tabell' are hidden in Excel" in capsys.readouterr().out


def test_a_hidden_column_with_data_is_named(tmp_path):
    path = _book(tmp_path / "dbh_t123_1150.xlsx", hidden_column="G")
    (note,) = [w for w in read_path(path).warnings if "hidden in Excel" in w.message]
    assert note.column == "Merknad"
    assert note.message.startswith("column G of sheet 'Tabell' is hidden in Excel and holds data")


def test_a_workbook_without_hidden_rows_has_no_note(tmp_path):
    assert not [w for w in read_path(_book(tmp_path / "t123.xlsx")).warnings if "hidden" in w.message]


@pytest.mark.parametrize("block", [7, 16, 64])
def test_row_tags_cut_by_a_block_boundary_are_found(tmp_path, monkeypatch, block):
    path = _book(tmp_path / "t.xlsx", hidden_rows=(2, 4, 5), hidden_column="C")
    monkeypatch.setattr(xlsx_reader, "_BLOCK", block)
    rows, columns = xlsx_reader._hidden(path, "xl/worksheets/sheet1.xml")
    assert rows == {2, 4, 5} and columns == {3}
