"""A DBH table downloaded from DBH's web statistics (dbh.hkdir.no, "Statistikk") or laid out in
an Excel pivot table: the years across the columns, a block of title and header rows above the
figures, "Sum" rows and columns. Such a file was refused as "not a table the product knows (a
title row above the header?)", which sent the adviser deleting rows of a table that would still
not read. It is said to be a pivot layout, at the row of years, with the download that is read
(the DBH-API's flat table, ``kvalitet fetch``).

Not read: the web pages' layout is documented nowhere the product can check (DOMAIN.md and the
raw README describe the API's flat CSV and JSON only), and a guess could read a "Sum" as a unit.
The pivots below are built from the real NTNU table 123 in data/raw.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from conftest import tree_snapshot

from analysis.errors import InputError
from analysis.readers import read_path

T123_CSV = "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
MEASURES = ["Antall totalt", "Antall kvinner", "Antall menn"]


def _pivot_rows(real: Path, repeat_years: bool) -> tuple[list[list[str]], list[str]]:
    """The real table pivoted: a title block of two rows, a row of years (over each year's three
    measures: written over each, or over the first only as a merged header is exported), a row
    of measures, a row per department with a "Sum" column, and a "Sum" row. Also its years."""
    with real.open(encoding="utf-8") as fh:
        flat = list(csv.DictReader(fh))
    years = sorted({r["Årstall"] for r in flat})
    by = {(r["Avdelingskode"], r["Årstall"]): r for r in flat}
    over = [y if repeat_years or k == 0 else "" for y in years for k in range(len(MEASURES))]
    rows = [
        ["Registrerte studenter"],
        ["Institusjon: NTNU, Semester: Høst"],
        ["Avdelingskode", *over, "Sum"],
        ["", *(m for _ in years for m in MEASURES), ""],
    ]
    for code in sorted({r["Avdelingskode"] for r in flat}):
        cells = [by[(code, y)][m] if (code, y) in by else "" for y in years for m in MEASURES]
        rows.append([code, *cells, str(sum(int(by[(code, y)]["Antall totalt"]) for y in years if (code, y) in by))])
    rows.append(["Sum", *[""] * (len(years) * len(MEASURES) + 1)])
    return rows, years


@pytest.mark.parametrize("titled", [True, False])
@pytest.mark.parametrize("repeat_years", [True, False])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_pivot_of_dbh_web_statistics_is_named_as_such(tmp_path, real_file, suffix, repeat_years, titled):
    rows, years = _pivot_rows(real_file(T123_CSV), repeat_years)
    rows = rows if titled else rows[2:]  # without its title block: the years' and measures' rows
    path = tmp_path / f"registrerte_studenter{suffix}"
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=";").writerows(rows)
    else:
        book = openpyxl.Workbook()
        for row in rows:  # a year as the number a workbook holds
            book.active.append([int(c) if c in years else c for c in row])
        book.save(path)
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    years_row = 1 + next(i for i, row in enumerate(rows) if years[0] in row)
    assert problem.row == years_row
    assert problem.message.startswith(f"a pivot layout, with the years across the columns ({', '.join(years[:3])}, …)")
    assert "kvalitet fetch --institution CODE" in problem.hint


def test_the_command_says_it_without_a_traceback_and_writes_nothing(tmp_path, real_file, run_cli):
    rows, _ = _pivot_rows(real_file(T123_CSV), repeat_years=False)
    path = tmp_path / "in" / "t123.csv"
    path.parent.mkdir()
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    before = tree_snapshot(tmp_path)
    rc, out, err = run_cli(["flags", path, "--out", tmp_path / "flags.csv"])
    assert rc == 1
    assert "Traceback" not in out + err and out == ""
    assert f"{path}:3:-:" in err and "a pivot layout" in err
    assert tree_snapshot(tmp_path) == before


def test_a_table_with_one_year_cell_in_a_column_is_no_pivot(tmp_path):
    """One year right of the first column (a title's "2024" cell) is not years across the columns."""
    path = tmp_path / "notes.csv"
    path.write_text("Notat;2024\nhva;hvor\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path)
    assert "pivot" not in str(err.value)


def test_a_table_of_one_header_row_with_years_across_is_not_called_a_pivot(tmp_path):
    """The seed's own layout (Studieprogram;2007;2016;2017;2018, figures below) has the years
    across the columns in a header of one row: read by its kind, not sent to DBH's downloads
    (with its first column renamed it is no known table, and the message says to give --kind)."""
    path = tmp_path / "andel_kvinner.csv"
    path.write_text("Program;2017;2018\nKybernetikk;30 %;40 %\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path)
    assert "pivot" not in str(err.value) and "--kind" in str(err.value)


SAMORDNA_NATIONAL = "samordna_national/so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json"


def test_samordnas_key_figures_with_a_title_and_a_renamed_column_are_no_pivot(tmp_path, real_file):
    """Samordna's key figures have the years across the columns in a header of one row: with a
    title row above and "Studie- kode" renamed, the file was called a pivot of DBH's web
    statistics. The title is named (the renamed column is said once the title is gone)."""
    import json

    records = json.loads(real_file(SAMORDNA_NATIONAL).read_text(encoding="utf-8"))
    header = list(records[0])
    path = tmp_path / "sokertall.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(["Søkertall 2026"])
        out.writerow(["Kode" if h == "Studie- kode" else h for h in header])
        out.writerows([record.get(h, "") for h in header] for record in records)
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.value) == (1, "Søkertall 2026")
    assert problem.message == "the header is on row 2, below 1 title row"


SEED_ADMISSION = "seed_hovedopptak_andel_kvinner_2007_2018.csv"


@pytest.mark.parametrize(
    "edit",
    [
        lambda lines: ["Andel kvinner i hovedopptaket", lines[0].replace("Studieprogram", "Program"), *lines[1:]],
        lambda lines: [lines[0].replace("Studieprogram", "Program"), "Kybernetikk;-;-;-;-", *lines[1:]],
        lambda lines: [lines[0].replace("Studieprogram", "Program"), "Kybernetikk;;;;", *lines[1:]],
    ],
    ids=["a title row above", "a first row of suppressed cells", "a first row of blanks"],
)
def test_the_seeds_one_row_year_header_renamed_is_no_pivot(tmp_path, real_file, edit):
    """The real seed table (Samordna's shares, years across one header row) with its first column
    renamed, under a title row or above a row without figures, was sent to DBH's downloads as a
    pivot of the web statistics: a title above a row of years, or a row below it without digits
    ('-', blanks), is no pivot's header block (that has a year over each measure, a row of
    measures in words, or a Sum column). Said as before: no table the product knows."""
    lines = real_file(SEED_ADMISSION).read_text(encoding="utf-8").splitlines()
    path = tmp_path / "andel_kvinner.csv"
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path)
    assert "pivot" not in str(err.value) and "not a table the product knows" in str(err.value)
