"""A column the reader does not read is a warning naming it in the Studiebarometeret portal
readers, the SHoT reader, the seed integration reader and the NOKUT variable-list reader too, as
in the DBH and Samordna readers (tests/test_unread_columns_other_readers.py): they passed an
adviser's helper column over without a word, and in a workbook said nothing of the values Excel
made something else of in it. Columns their format has and the product passes over for a stated
reason stay quiet: the portal's other DBH facts (full-time share, credits, language), the
variable list's ``ingress`` and ``kildefil``; so do optional columns read when present (the
integration extract's ``År`` and ``Antall svar``).

Each test copies a real file from data/raw and adds a column "Kommentar" with a note on the
first data row: exactly one warning, naming the file, the column and its first value."""

from __future__ import annotations

import csv
import datetime
import re
from pathlib import Path

import openpyxl
import pytest

from analysis.cli import main
from analysis.readers import read_path

UNREAD = "a column the product does not read: its values are not used"
HINT = "delete the column if you added it"
NOTE = "sjekk tallene"

#: the real file of each reader, its separator and its kind
REAL = {
    "portal-index": ("studiebarometeret_2025_portal_index_sample.csv", ",", "sb-portal-index"),
    "portal-items": ("studiebarometeret_2025_portal_items_sample.csv", ",", "sb-portal-items"),
    "portal-history": ("studiebarometeret_index_history_sample.csv", ",", "sb-portal-history"),
    "portal-dbh-facts": ("studiebarometeret_2025_portal_dbh_facts_sample.csv", ",", "sb-portal-dbh-facts"),
    "shot": ("shot_headline_figures_national.csv", ",", "shot-indicators"),
    "seed-integration": ("seed_studiebarometeret_2017_integrering.csv", ";", "seed-integration"),
    "sb-variables": ("studiebarometeret_variabler_2021_2025_fra_oslomet_maler.csv", ",", "sb-variables"),
}


def real_rows(real_file, reader: str) -> list[list[str]]:
    name, separator, _ = REAL[reader]
    with real_file(name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=separator))


def with_kommentar(rows: list[list[str]]) -> list[list[str]]:
    """``rows`` (header first) with a last column "Kommentar": the note on the first data row,
    the other cells empty, as an adviser types one."""
    return [rows[0] + ["Kommentar"], rows[1] + [NOTE], *(r + [""] for r in rows[2:])]


def write_csv(rows: list[list[str]], path: Path, separator: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=separator, lineterminator="\n").writerows(rows)
    return path


def warnings_of(path: Path) -> list[tuple]:
    return [(w.file, w.row, w.column, w.value, w.message, w.hint) for w in read_path(path).warnings]


@pytest.mark.parametrize("reader", list(REAL))
def test_an_added_column_is_a_warning_naming_file_and_column(real_file, tmp_path, reader):
    name, separator, _ = REAL[reader]
    # the real file alone: no warning (its format's columns not read are passed over for a reason)
    assert warnings_of(real_file(name)) == []
    path = write_csv(with_kommentar(real_rows(real_file, reader)), tmp_path / name, separator)
    assert warnings_of(path) == [(str(path), None, "Kommentar", NOTE, UNREAD, HINT)]


def test_validate_and_ingest_show_the_warning_as_for_a_dbh_file(real_file, tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    name, separator, _ = REAL["shot"]
    path = write_csv(with_kommentar(real_rows(real_file, "shot")), raw / name, separator)
    line = f"  warning: {path}:-:Kommentar: '{NOTE}' — {UNREAD} ({HINT})"

    assert main(["validate", str(path)]) == 0
    out, _ = capsys.readouterr()
    # by hand: the real SHoT table has 29 rows (30 lines, the header first)
    assert out.splitlines()[:2] == [f"{path}: reads — shot-indicators, 29 rows, 1 warning", line]

    assert main(["ingest", "--data", str(raw), "--out", str(tmp_path / "out")]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[:2] == [f"read {name}: shot-indicators, 29 rows", line]


def test_the_integration_extracts_optional_columns_are_read_not_named(real_file, tmp_path):
    """År and Antall svar may be left out of the extract; present, they are read, not unread."""
    name, separator, _ = REAL["seed-integration"]
    rows = real_rows(real_file, "seed-integration")
    given = [rows[0] + ["År", "Antall svar"], *(r + ["2017", "40"] for r in rows[1:])]
    path = write_csv(with_kommentar(given), tmp_path / name, separator)
    assert warnings_of(path) == [(str(path), None, "Kommentar", NOTE, UNREAD, HINT)]
    assert set(read_path(path).frame["n"]) == {40}


def as_excel_opens_it(text: str) -> object:
    """A CSV cell as Excel with English settings stores it: whole and decimal numbers as
    numbers, the rest as text."""
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text)
    return text


@pytest.mark.parametrize("reader", list(REAL))
def test_a_date_excel_made_in_the_added_column_is_named_in_the_warning(real_file, tmp_path, reader):
    """The workbook an adviser saves, with a note on the first data row and on the third a
    "21.8" Norwegian Excel made 21 August: not refused (the column is not read), and said."""
    rows = with_kommentar(real_rows(real_file, reader))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for r in rows[1:]:
        sheet.append([as_excel_opens_it(v) for v in r])
    sheet.cell(row=4, column=len(rows[0]), value=datetime.datetime(2026, 8, 21))  # the third data row
    path = tmp_path / (Path(REAL[reader][0]).stem + ".xlsx")
    book.save(path)

    # by hand, as xlsx.py words a column where one cell is a date and the others text
    excel = (
        "1 cell of this column is a date in Excel, the others not: Excel turned what was typed or opened into a "
        "date (a code 1-2 into 2 January; with Norwegian settings 21.8 into 21 August)"
    )
    assert warnings_of(path) == [(str(path), None, "Kommentar", NOTE, f"{UNREAD}; {excel}", HINT)]
    assert read_path(path).kind == REAL[reader][2]
