"""Excel input loses nothing silently (analysis/readers/xlsx.py): every row whatever the stored
dimension, the one sheet with data (hidden sheets skipped with a note, several sheets: ask for
--sheet), formulas without a saved value named by their cell. Workbooks are built here."""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main
from analysis.errors import InputError
from analysis.metrics.survey_counts import read_survey_respondents
from analysis.readers import read_path
from analysis.readers.xlsx import first_rows, read_sheet, sheet_headers

HEADER = ["studprog_kod", "aar", "underv_engasj_18"]


def respondents(n: int, programme: str = "MTDT") -> list[list]:
    """``n`` respondents answering 1–5 in turn (the expected mean is known by hand)."""
    return [[programme, 2024, i % 5 + 1] for i in range(n)]


def workbook(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    book.save(path)
    return path


def with_stale_dimension(path: Path, ref: str) -> Path:
    """Rewrite every sheet's ``<dimension ref=…>`` inside the zip, as a careless writer leaves it."""
    stale = path.with_name("stale-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stale, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data)
                assert count == 1
            dst.writestr(item, data)
    return stale


def test_every_row_is_read_whatever_the_stored_dimension(tmp_path, capsys):
    path = with_stale_dimension(workbook(tmp_path / "svar.xlsx", {"Svar": [HEADER] + respondents(20)}), "A1:C6")
    # the trap is real: a streaming reader that trusts the dimension sees 5 of the 20 respondents
    naive = openpyxl.load_workbook(path, read_only=True)
    assert len(list(naive.worksheets[0].iter_rows(min_row=2, values_only=True))) == 5
    naive.close()
    frame = read_survey_respondents(path).frame
    assert len(frame) == 20
    assert frame["underv_engasj_18"].astype(float).mean() == 3.0  # 1..5 four times
    assert main(["validate", str(path)]) == 0
    assert f"{path}: reads — sb-respondents, 20 rows" in capsys.readouterr().out


def test_a_hidden_first_sheet_is_skipped_with_a_note(tmp_path, capsys):
    path = workbook(
        tmp_path / "svar.xlsx",
        {"Gammel": [HEADER] + respondents(3, "GAMMEL"), "Svar": [HEADER] + respondents(7)},
        hidden=("Gammel",),
    )
    result = read_survey_respondents(path)
    assert set(result.frame["studprog_kod"]) == {"MTDT"} and len(result.frame) == 7
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:-:-: 'Gammel' — hidden sheet with 4 rows skipped (give --sheet 'Gammel' to read it instead)" in out
    # asked for by name, the hidden sheet is read
    assert main(["validate", str(path), "--sheet", "Gammel"]) == 0
    assert f"{path}: reads — sb-respondents, 3 rows" in capsys.readouterr().out


def test_several_sheets_with_data_ask_which_one(tmp_path, capsys):
    path = workbook(
        tmp_path / "svar.xlsx", {"2023": [HEADER] + respondents(4), "2024": [HEADER] + respondents(9), "Tom": []}
    )
    with pytest.raises(InputError) as err:
        read_sheet(path)
    assert str(err.value) == (
        f"{path}:-:-: \"'2023' (5 rows), '2024' (10 rows)\" — several sheets hold data and it "
        "is not clear which one to read (give --sheet NAME with one of these sheets)"
    )
    for command in (["validate", str(path)], ["survey", str(path)], ["integration", str(path)]):
        assert main(command) == 1
        captured = capsys.readouterr()
        assert "several sheets hold data" in captured.out + captured.err, command
    assert main(["validate", str(path), "--sheet", "2024"]) == 0
    assert f"{path}: reads — sb-respondents, 9 rows" in capsys.readouterr().out
    assert main(["survey", str(path), "--sheet", "2024"]) == 0
    capsys.readouterr()
    assert main(["validate", str(path), "--sheet", "2025"]) == 1
    assert (
        "'2025' — the workbook has no sheet of that name; its sheets are '2023', '2024', 'Tom' "
        "(give --sheet with one of these names)"
    ) in capsys.readouterr().out


def test_a_formula_without_a_saved_value_is_an_error_naming_the_cell(tmp_path):
    rows = [HEADER] + respondents(4)
    rows[3][2] = "=AVERAGE(C2:C3)"  # openpyxl writes the formula and no saved value, like many tools
    path = workbook(tmp_path / "svar.xlsx", {"Svar": rows})
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (4, "underv_engasj_18", "=AVERAGE(C2:C3)")
    assert "cell C4 of sheet 'Svar' is a formula without a saved value" in problem.message


def test_a_formula_with_a_saved_value_reads_as_its_value(tmp_path):
    import xlsxwriter

    path = tmp_path / "svar.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Svar")
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, ["MTDT", 2024, 2])
    ws.write_row(2, 0, ["MTDT", 2024])
    ws.write_formula(2, 2, "=C2+2", None, 4)  # the saved value Excel would store
    book.close()
    frame = read_survey_respondents(path).frame
    assert frame["underv_engasj_18"].tolist() == [2, 4]


def test_a_broken_workbook_is_a_clear_error(tmp_path, capsys):
    good = workbook(tmp_path / "svar.xlsx", {"Svar": [HEADER] + respondents(3)})
    broken = tmp_path / "broken.xlsx"
    shutil.copy(good, broken)
    data = bytearray(broken.read_bytes())
    broken.write_bytes(bytes(data[: len(data) // 2]))  # a truncated download
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "cannot be read as an Excel workbook" in out and "Traceback" not in out


def test_a_dbh_table_saved_from_excel_is_read_as_the_same_table(tmp_path):
    """Advisers open DBH's CSV in Excel and save it as .xlsx: the same rows, the same flags.
    (Codes stay text in the workbook; a code Excel turned into a number is an error naming it.)"""
    source = paths.RAW / "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
    rows = list(csv.reader(source.open(encoding="utf-8-sig")))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    for r in rows:
        sheet.append([int(v) if v.isdigit() and not v.startswith("0") and len(v) < 5 else v for v in r])
    notes = book.create_sheet("Notater")
    notes.append(["Merknad"])
    notes.append(["lastet ned 2025"])
    xlsx = tmp_path / "t123.xlsx"
    book.save(xlsx)
    from_csv, from_xlsx = tmp_path / "a.parquet", tmp_path / "b.parquet"
    assert main(["flags", str(source), "--out", str(from_csv)]) == 0
    assert main(["flags", "--sheet", "Data", str(xlsx), "--out", str(from_xlsx)]) == 0
    # the CSV's semester and category come from its query in data/raw/MANIFEST.json; the copy
    # saved elsewhere has none, so it says "unstated" rather than guess
    version = ["source_file", "semester", "student_category"]
    a = pd.read_parquet(from_csv)
    b = pd.read_parquet(from_xlsx)
    assert len(a) == len(rows) - 1
    assert set(b["semester"]) == {"unstated"}
    pd.testing.assert_frame_equal(a.drop(columns=version), b.drop(columns=version))


def test_a_share_shown_as_a_percentage_reads_as_the_percentage_a_person_sees(tmp_path):
    """Excel stores "13 %" as 0.13 with a percent format: read as 13 %, as it is shown (read as
    the number stored it was 0.13 %, and every programme was flagged). A "%" the format writes as
    text ("0\" %\"") does not multiply; the digits are kept exactly (0.13 is 13, not 13.000…2)."""
    source = paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv"
    rows = list(csv.reader(source.open(encoding="utf-8-sig"), delimiter=";"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for r in rows[1:]:
        sheet.append([r[0], *(int(v.rstrip(" %")) / 100 for v in r[1:])])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = "0%"
    # the last row: a format with the percent sign as text, and one with decimals
    sheet.append(["Med tekst", 13, 20, 30, 0.4])
    last = sheet[sheet.max_row]
    for cell in last[1:4]:
        cell.number_format = '0" %"'
    last[4].number_format = "0.00%"
    xlsx = tmp_path / "opptak.xlsx"
    book.save(xlsx)
    assert read_sheet(xlsx).rows[0] == ("Kybernetikk", "13 %", "20 %", "30 %", "40 %")
    # 0.4 in the format 0.00 % is shown "40,00 %": read with the two decimals its format shows
    assert read_sheet(xlsx).rows[-1] == ("Med tekst", 13, 20, 30, "40.00 %")
    from_csv, from_xlsx = tmp_path / "a.parquet", tmp_path / "b.parquet"
    source_rows = tmp_path / "kilde.csv"
    source_rows.write_text(source.read_text(encoding="utf-8") + "Med tekst;13 %;20 %;30 %;40 %\n", encoding="utf-8")
    assert main(["flags", str(source_rows), "--out", str(from_csv)]) == 0
    assert main(["flags", str(xlsx), "--out", str(from_xlsx)]) == 0
    a, b = pd.read_parquet(from_csv), pd.read_parquet(from_xlsx)
    kybernetikk = b[(b["unit_code"] == "Kybernetikk") & (b["year"] == 2018)].iloc[0]
    assert kybernetikk["share_women"] == 0.4 and kybernetikk["status"] == "ok", "40 % exactly is not below 40 %"
    columns = ["unit_code", "year", "share_women", "status"]
    pd.testing.assert_frame_equal(a[columns], b[columns])


def test_a_workbook_of_no_known_table_is_named_as_such_not_as_survey_data(tmp_path):
    """A bad-input hunt: a DBH table saved with a column renamed was refused as respondent data
    ("studprog_kod is missing"). Its count columns make it DBH's table 123, whose reader names
    the column missing (tests/test_deleted_column.py); respondent workbooks read as before."""
    source = paths.RAW / "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
    rows = list(csv.reader(source.open(encoding="utf-8-sig")))
    renamed = [["Institusjonskode", "Avdelingskode", "Fakultetskode", "År", *rows[0][4:]], *rows[1:]]
    with pytest.raises(InputError) as err:
        read_path(workbook(tmp_path / "t123.xlsx", {"Data": renamed}))
    (problem,) = err.value.problems
    assert (problem.column, problem.message) == ("Årstall", "required column is missing")
    survey = workbook(tmp_path / "svar.xlsx", {"Svar": [HEADER, *respondents(6)]})
    assert len(read_survey_respondents(survey).frame) == 6


@pytest.mark.parametrize("kind", [None, "dbh-123-csv"])
def test_a_title_row_above_a_workbooks_header_names_the_header_row(tmp_path, kind):
    """A bad-input hunt (2026-12-03): a DBH table saved from Excel with a title typed above it
    (and an empty row between) was "header not recognised" with no row; with --kind it gave one
    "row has 12 fields, the header has 1" per row of the table (25,443 for the national export).
    It is now said as for a CSV: the title's row, and the row the header is on.

    The table is the first rows of NTNU (1150) in the national table-123 export
    (data/raw/dbh_national/, ihrke/norgeibalanse @ 99c77870, data/dbh_123.csv), counts as
    numbers as Excel keeps them."""
    source = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
    with source.open(encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter=";")
        header = next(reader)
        ntnu = [r[:9] + [int(v) for v in r[9:]] for r in reader if r[0] == "1150"][:5]
    path = workbook(tmp_path / "t123.xlsx", {"Ark1": [["Registrerte studenter – NTNU"], [], header, *ntnu]})
    with pytest.raises(InputError) as err:
        read_path(path, kind)
    assert [(p.row, p.value, p.message) for p in err.value.problems] == [
        (1, "Registrerte studenter – NTNU", "the header is on row 3, below 1 title row")
    ]


DBH_T123 = paths.RAW / "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"


def dbh_rows() -> list[list]:
    """DBH table 123 as an adviser saves it from Excel (counts as numbers, codes as text)."""
    rows = list(csv.reader(DBH_T123.open(encoding="utf-8-sig")))
    return [r[:3] + [int(v) if v.isdigit() else v for v in r[3:]] for r in rows]


def test_a_hidden_sheet_of_a_dbh_table_is_skipped_with_a_note_too(tmp_path, capsys):
    """Not only respondent files: every reader of a table passes the note on (a hidden sheet
    holding a year's rows would otherwise leave that year out without a word)."""
    rows = dbh_rows()
    path = workbook(
        tmp_path / "t123.xlsx",
        {"Data": [r for r in rows if r[3] != 2025], "2025": [rows[0]] + [r for r in rows if r[3] == 2025]},
        hidden=("2025",),
    )
    note = f"{path}:-:-: '2025' — hidden sheet with 49 rows skipped (give --sheet '2025' to read it instead)"
    assert read_path(path).warnings[0] == read_sheet(path).notes[0]
    assert main(["validate", str(path)]) == 0
    assert f"  warning: {note}" in capsys.readouterr().out
    assert main(["flags", str(path), "--out", str(tmp_path / "flags.csv")]) == 0
    assert note in capsys.readouterr().err


def test_a_value_in_a_column_without_a_header_is_an_error_as_in_csv(tmp_path):
    """A note typed beside the table (column I, the header ends at G) is not dropped, in any kind
    of table: the same error as the CSV copy, naming the cell and its value. Empty cells beyond
    the header, as Excel often keeps them (formatted, or emptied), are no problem."""
    rows = dbh_rows()
    rows[4] = rows[4] + [None, "NB: 2023-tallet er feil"]
    path = workbook(tmp_path / "t123.xlsx", {"Data": rows})
    with pytest.raises(InputError) as err:
        read_path(path)
    assert [str(p) for p in err.value.problems] == [
        f"{path}:5:I: 'NB: 2023-tallet er feil' — row has 9 fields, the header has 7 "
        "(give the column a header, or move the value into the table)"
    ]
    rows[4] = rows[4][:7] + [None, "  ", ""]
    rows[6] = rows[6] + [None]
    assert read_path(workbook(tmp_path / "blank_t123.xlsx", {"Data": rows})).rows == len(rows) - 1
    answers = [HEADER, *respondents(6)]
    answers[3] = [*answers[3], "kommentar"]
    with pytest.raises(InputError, match="row has 4 fields, the header has 3"):
        read_survey_respondents(workbook(tmp_path / "svar.xlsx", {"Svar": answers}))


def test_a_column_without_a_header_in_a_workbook_is_said_in_a_few_lines_not_one_per_row(tmp_path):
    """A bad-input hunt (2026-12-03): an adviser's share column (women / total) typed beside
    DBH's table 123 without a header gave one "row has 8 fields, the header has 7" per row of
    the workbook (a CSV lists 20 and counts the rest). The table is the first 30 rows of
    data/raw/dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv."""
    from analysis.readers.table_shape import MAX_RAGGED_LISTED

    rows = dbh_rows()
    data = [[*r, round(r[5] / r[4], 3) if r[4] else None] for r in rows[1:31]]
    path = workbook(tmp_path / "t123.xlsx", {"Ark1": [rows[0], *data]})
    with pytest.raises(InputError) as err:
        read_path(path)
    problems = err.value.problems
    assert MAX_RAGGED_LISTED == 20
    # rows 2–21 listed one by one (the header is row 1), then row 22 with its own value, and
    # the other 9 counted on its line (it said "(empty)" there, where the cell holds a share)
    assert [p.row for p in problems] == list(range(2, 23))
    assert problems[0].message == "row has 8 fields, the header has 7"
    assert problems[-1].value == data[20][-1] is not None
    assert problems[-1].message == (
        "row has 8 fields, the header has 7; 9 more rows whose fields do not match the header are not listed"
    )


def test_formatted_empty_columns_right_of_a_workbooks_table_are_not_data(tmp_path):
    """A bad-input hunt (2026-12-03): two columns right of DBH's table, formatted in Excel but
    empty and without a header, were warned about as "(column 13)" and "(column 14)", columns
    the product does not read; a CSV's empty last columns (Excel's trailing separator) are
    passed over as not data, and now a workbook's are too. The table is the first NTNU (1150)
    rows of the national table-123 export (data/raw/dbh_national/, ihrke/norgeibalanse @
    99c77870)."""
    from openpyxl.styles import Font

    source = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
    with source.open(encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter=";")
        header = next(reader)
        ntnu = [r[:9] + [int(v) for v in r[9:]] for r in reader if r[0] == "1150"][:5]
    path = workbook(tmp_path / "t123.xlsx", {"Ark1": [header, *ntnu]})
    book = openpyxl.load_workbook(path)
    for row in book.active.iter_rows(min_row=1, max_row=6, min_col=13, max_col=14):
        for cell in row:
            cell.font = Font(bold=True)  # formatted, never filled
    book.save(path)
    assert openpyxl.load_workbook(path, read_only=True).active.max_column == 14
    result = read_path(path)
    assert result.warnings == []
    # the counts are the file's, row by row
    assert result.frame["total"].tolist() == [r[9] for r in ntnu]


@pytest.mark.parametrize(
    ("command", "given"),
    [
        (["validate"], ["seed_hovedopptak_andel_kvinner_2007_2018.csv"]),
        (["flags"], ["seed_hovedopptak_andel_kvinner_2007_2018.csv"]),
        (["integration"], ["seed_studiebarometeret_2017_integrering.csv"]),
        (["wellbeing"], ["shot_headline_figures_national.csv"]),
        (["survey"], ["seed_hovedopptak_andel_kvinner_2007_2018.csv"]),
        (["validate"], ["dbh_api/dbh_api_t123_1150.json", "dbh_t210_ntnu_fakultetskoder.csv"]),
    ],
)
def test_sheet_without_any_workbook_among_the_inputs_is_a_usage_error(capsys, command, given):
    """--sheet given with only CSV and JSON files was ignored without a word (exit 0): the
    person believed a worksheet was chosen."""
    files = [str(paths.RAW / name) for name in given]
    assert main([*command, *files, "--sheet", "Ark1"]) == 2
    captured = capsys.readouterr()
    read = "the file read is not" if len(files) == 1 else f"none of the {len(files)} files read is"
    assert captured.err == (
        f"kvalitet {command[0]}: --sheet Ark1 chooses a worksheet of an Excel workbook, but {read} one "
        "(CSV, JSON or Parquet); leave --sheet out, or give the workbook\n"
    )
    assert captured.out == ""


def test_sheet_without_any_workbook_in_the_raw_folder_is_a_usage_error(tmp_path, capsys):
    """ingest and report read the raw folder (--data): none of its files is a workbook."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv", raw)
    assert main(["ingest", "--data", str(raw), "--sheet", "Ark1"]) == 2
    assert "--sheet Ark1 chooses a worksheet of an Excel workbook, but the file read is not one" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "validated").exists()  # nothing read, nothing written
    report = tmp_path / "rapport"
    assert main(["report", "--data", str(raw), "--out", str(report), "--no-static", "--sheet", "Ark1"]) == 2
    assert "kvalitet report: --sheet Ark1 chooses a worksheet" in capsys.readouterr().err
    assert not report.exists()


def test_sheet_with_one_workbook_among_csv_files_is_used(tmp_path, capsys):
    path = workbook(tmp_path / "svar.xlsx", {"2023": [HEADER, *respondents(4)], "2024": [HEADER, *respondents(9)]})
    seed = paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv"
    assert main(["validate", str(seed), str(path), "--sheet", "2024"]) == 0
    assert f"{path}: reads — sb-respondents, 9 rows" in capsys.readouterr().out


def test_sheet_beside_a_folder_that_cannot_be_read_leaves_the_folder_to_its_own_message(tmp_path, capsys, monkeypatch):
    """A folder the walk cannot read is named by the command as without --sheet (file, what to
    do, exit 1); looking for a workbook in it gave "unexpected error: InputError" and a crash log
    (a second reader, patching os.access as the tests run as root)."""
    import os

    raw = tmp_path / "raw"
    (raw / "låst").mkdir(parents=True)
    shutil.copy(paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv", raw)
    locked = str(raw / "låst")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: os.fspath(p) != locked and real_access(p, mode, **kw))
    assert main(["ingest", "--data", str(raw), "--sheet", "Ark1"]) == 1
    err = capsys.readouterr().err
    assert "unexpected error" not in err and f"{locked}:" in err, err
    assert not (tmp_path / "validated").exists()


def _dbh_workbook(path, merge: str | None, title: str | None = None):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.merge_cells("A1:G1")
    ws.append(
        [
            "Institusjonskode",
            "Avdelingskode",
            "Fakultetskode",
            "Årstall",
            "Antall totalt",
            "Antall kvinner",
            "Antall menn",
        ]
    )
    for code in ("271100", "271200", "271300"):
        ws.append(["1150", code, "271", 2024, 100, 40, 60])
    if merge:
        ws.merge_cells(merge)  # (openpyxl empties the other cells of the merge, as Excel keeps them)
    wb.save(path)


def test_cells_merged_over_the_tables_rows_are_named_as_merged(tmp_path):
    """A faculty code merged over its departments' rows shows "271" on rows 3 and 4 in Excel,
    but only C2 holds it: the rows below read as empty. Named as merged, at the first cell that
    shows the value without holding it (C3, counted by hand: header row 1, data rows 2–4)."""
    from analysis.readers import read_path

    path = tmp_path / "dbh.xlsx"
    _dbh_workbook(path, "C2:C4")
    with pytest.raises(InputError) as err:
        read_path(path, "dbh-123-csv")
    merged = [p for p in err.value.problems if "merged" in p.message]
    assert [(p.row, p.column, p.value) for p in merged] == [(3, "Fakultetskode", "271")]
    assert "cells C2:C4 are merged in Excel: only C2 holds the value" in merged[0].message


def test_merged_empty_cells_right_of_the_table_are_no_problem(tmp_path):
    """Empty cells merged right of the table (I2:J4, the header ends at G) are not its data."""
    from analysis.readers import read_path

    path = tmp_path / "dbh.xlsx"
    _dbh_workbook(path, "I2:J4")
    assert len(read_path(path, "dbh-123-csv").frame) == 3


def _wrapped_interrupt(*args, **kwargs):
    """A Ctrl-C or a kill that lands while a class is built during a first import (openpyxl,
    lxml, et_xmlfile load lazily inside openpyxl's reading): Python 3.11 raises it as a
    RuntimeError caused by the interrupt."""

    class Field:
        def __set_name__(self, owner, name):
            raise KeyboardInterrupt

    type("Cell", (), {"value": Field()})


@pytest.mark.parametrize(
    ("where", "read"),
    [
        ("openpyxl.load_workbook", read_sheet),  # opening the workbook
        ("analysis.readers.xlsx._sheet_rows", read_sheet),  # counting the rows of each sheet
        ("analysis.readers.xlsx._shown_rows", read_sheet),  # reading the chosen sheet
        ("analysis.readers.xlsx._shown_rows", lambda path: first_rows(path, 2)),  # a header under a title
        ("analysis.readers.xlsx._rows", sheet_headers),  # the first row of every sheet
        ("analysis.readers.xlsx._column_letter", read_sheet),  # naming a formula cell without a saved value
    ],
    ids=["open", "choose", "read_sheet", "first_rows", "sheet_headers", "formulas"],
)
def test_an_interrupt_wrapped_while_a_workbook_is_read_is_passed_on_not_taken_for_a_broken_file(
    where, read, tmp_path, monkeypatch
):
    """Every place that takes any failure of openpyxl for a broken workbook passes a wrapped
    interrupt on: it was 'cannot be read as an Excel workbook (RuntimeError: …)', a problem of
    the file, and the kill did not stop the run."""
    rows = [HEADER] + respondents(3)
    rows[3][2] = "=AVERAGE(C2:C3)"  # a formula without a saved value: the formula check runs
    path = workbook(tmp_path / "svar.xlsx", {"Svar": rows})
    monkeypatch.setattr(where, _wrapped_interrupt)
    with pytest.raises(RuntimeError) as raised:
        read(path)
    assert isinstance(raised.value.__cause__, KeyboardInterrupt)


def test_an_interrupt_wrapped_while_a_workbook_is_opened_ends_validate_as_interrupted(tmp_path, monkeypatch, capsys):
    path = workbook(tmp_path / "svar.xlsx", {"Svar": [HEADER] + respondents(3)})
    monkeypatch.setattr("openpyxl.load_workbook", _wrapped_interrupt)
    assert main(["validate", str(path)]) == 130
    captured = capsys.readouterr()
    assert "cannot be read as an Excel workbook" not in captured.out + captured.err
    assert "interrupted" in captured.err


def _real_rows(name: str) -> list[list[str]]:
    with (paths.RAW / name).open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_sheet_picks_the_sheet_of_the_workbook_with_several_and_the_others_are_read_as_they_are(tmp_path, capsys):
    """README: --sheet picks the worksheet of Excel files that have several. A folder with NTNU's
    table 123 saved as a workbook with a sheet of notes, beside SHoT's figures in a workbook of
    one sheet: with --sheet Data the second was refused ("no sheet of that name"), and without it
    the first, so the two could not be read in one run (a real-file hunt, 2026-12-04)."""
    data = tmp_path / "data"
    data.mkdir()
    dbh = _real_rows("dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv")
    workbook(
        data / "dbh_t123_1150.xlsx",
        {"Data": dbh, "Om tabellen": [["Kilde: DBH, HK-dir, tabell 123"], ["Små tall er skjermet"]]},
    )
    workbook(data / "shot.xlsx", {"Ark1": _real_rows("shot_headline_figures_national.csv")})
    assert main(["validate", str(data), "--sheet", "Data"]) == 0
    out = capsys.readouterr().out
    # 349 rows, 3 suppressed (data/raw/README.md); SHoT's 29 lines
    assert f"{data / 'dbh_t123_1150.xlsx'}: reads — dbh-123-csv, 349 rows, 3 suppressed cells" in out, out
    assert f"{data / 'shot.xlsx'}: reads — shot-indicators, 29 rows" in out, out
    # a workbook with several sheets of data and none of that name is still asked about
    workbook(data / "svar.xlsx", {"2023": [HEADER] + respondents(4), "2024": [HEADER] + respondents(9)})
    assert main(["validate", str(data), "--sheet", "Data"]) == 1
    assert "'Data' — the workbook has no sheet of that name; its sheets are '2023', '2024'" in capsys.readouterr().out


def test_merged_cells_are_listed_by_row_and_column_not_in_the_workbooks_merge_order(tmp_path):
    """The workbook keeps its merges in the order they were made (``<mergeCells>``): a merge made
    last of rows high up was listed after one further down. Listed by position, as every other
    problem of a file: row, then column."""
    import zipfile

    from analysis.readers import read_path

    path = tmp_path / "dbh.xlsx"
    _dbh_workbook(path, "D3:D4")  # Årstall over rows 3–4, merged first
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("B2:B3")  # Avdelingskode over rows 2–3, merged after
    wb.save(path)
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.index('ref="D3:D4"') < sheet.index('ref="B2:B3"')  # the merge order in the file
    with pytest.raises(InputError) as err:
        read_path(path, "dbh-123-csv")
    merged = [(p.row, p.column) for p in err.value.problems if "merged" in p.message]
    # B2:B3 is named at B3 (row 3), D3:D4 at D4 (row 4)
    assert merged == [(3, "Avdelingskode"), (4, "Årstall")]


@pytest.mark.parametrize("note", ["Små celler er skjermet, se dbh.no", "Kilde: DBH, hentet 22.09.2026"])
def test_a_note_merged_across_its_row_below_the_table_is_a_note(tmp_path, capsys, note):
    """A note below DBH table 123 merged across the table's width (A352:G352, as an adviser lays
    a note out in Excel) was "cells A352:G352 are merged in Excel … (unmerge the cells and write
    the value into every cell …)": a note written into every cell is not what is meant. It is
    said as a note below the table, as the same note unmerged is."""
    rows = dbh_rows()
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    at = len(rows) + 2  # a blank row between the table and its note
    sheet.cell(at, 1, note)
    sheet.merge_cells(start_row=at, start_column=1, end_row=at, end_column=len(rows[0]))
    path = tmp_path / "dbh_t123.xlsx"
    book.save(path)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if line.startswith(str(path))] == [
        f"{path}:{at}:-: '{note}' — a note below the table (delete it)"
    ]
