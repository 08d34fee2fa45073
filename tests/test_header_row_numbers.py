"""The row a message names is the row the adviser sees: the line in a text editor (1-based,
counting every physical line, blank lines above the header included; a row whose quoted cell
spans lines is named by the line it starts on) or the row number in Excel. A known defect
(2026-12-03): with blank lines above the header, problems of the header itself (a column
twice, a column missing, no data rows) named row 1, a line that holds nothing.

Every expected row below is counted by hand from the file the test writes.
"""

from __future__ import annotations

import openpyxl
import pytest

from analysis.cli import main
from analysis.errors import InputError
from analysis.readers import read_path

HEADER = "Institusjonskode,Avdelingskode,Fakultetskode,Årstall,Antall totalt,Antall kvinner,Antall menn"


def problems_of(path, kind=None):
    with pytest.raises(InputError) as err:
        read_path(path, kind)
    return err.value.problems


def test_a_column_twice_is_named_on_the_header_line_below_blank_lines(tmp_path):
    path = tmp_path / "dbh.csv"
    # lines 1 and 2 blank, the header on line 3
    path.write_text("\n\n" + HEADER + ",Antall menn\n1150,000000,000,2019,121,81,40,40\n", encoding="utf-8")
    found = [p for p in problems_of(path, "dbh-123-csv") if p.message == "the column name appears twice"]
    assert [(p.row, p.column) for p in found] == [(3, "Antall menn")]


def test_a_missing_column_is_named_on_the_header_line_below_blank_lines(tmp_path, capsys):
    path = tmp_path / "dbh.csv"
    header = HEADER.rsplit(",", 1)[0]  # no "Antall menn"
    # lines 1–3 blank, the header on line 4
    path.write_text("\n\n\n" + header + "\n1150,000000,000,2019,121,81\n", encoding="utf-8")
    found = [p for p in problems_of(path, "dbh-123-csv") if p.message == "required column is missing"]
    assert [(p.row, p.column) for p in found] == [(4, "Antall menn")]
    assert main(["validate", "--kind", "dbh-123-csv", str(path)]) == 1
    assert f"{path}:4:Antall menn:" in capsys.readouterr().out


def test_a_header_without_rows_is_named_on_its_line(tmp_path):
    path = tmp_path / "dbh.csv"
    path.write_text("\r\n\r\n" + HEADER + "\r\n", encoding="utf-8")  # the header on line 3
    (problem,) = problems_of(path, "dbh-123-csv")
    assert problem.message == "the file has a header row but no data rows"
    assert problem.row == 3


@pytest.mark.parametrize(
    ("kind", "text", "line", "column"),
    [
        # the seed's admission table: a column that is no year, header on line 2
        ("seed-admission", "\nStudieprogram;2007;Merknad\nKybernetikk;13 %;x\n", 2, "Merknad"),
        # respondent data without its programme key, header on line 3
        ("sb-respondents", "\n\naar,underv_engasj_18\n2024,4\n", 3, "studprog_kod"),
        # Samordna's key figures without a year column, header on line 2
        (
            "samordna-keyfigures",
            "\nInstitusjon;Studie- kode;Studienavn;Studiested;Utdanningstype;Nøkkeltall\nNTNU;1;X;T;M;Alle søkere\n",
            2,
            None,
        ),
    ],
)
def test_other_readers_name_the_header_line_below_blank_lines(tmp_path, kind, text, line, column):
    path = tmp_path / "fil.csv"
    path.write_text(text, encoding="utf-8")
    problems = problems_of(path, kind)
    assert [(p.row, p.column) for p in problems] == [(line, column)]


def workbook(path, header, rows, first_row):
    """A one-sheet workbook with ``header`` in row ``first_row`` (the rows above it empty)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Data"
    for r, values in enumerate([header, *rows], start=first_row):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    book.save(path)
    return path


def test_a_workbooks_missing_column_is_named_on_its_header_row(tmp_path):
    # rows 1 and 2 empty, the header in row 3 without "Antall menn", data in row 4
    header = HEADER.split(",")[:-1]
    path = workbook(tmp_path / "dbh.xlsx", header, [[1150, "000000", "000", 2019, 121, 81]], first_row=3)
    found = [p for p in problems_of(path, "dbh-123-csv") if p.message == "required column is missing"]
    assert [(p.row, p.column) for p in found] == [(3, "Antall menn")]


def test_a_workbook_with_a_column_twice_is_refused_by_name_not_a_crash(tmp_path, capsys):
    """A bad-input hunt (2026-12-03): a DBH table saved from Excel with "Antall menn" twice
    was 'could not be read: unexpected error … Buffer has wrong number of dimensions'; a CSV
    with the same header was named. Rows 1–2 empty, the header in row 3."""
    header = [*HEADER.split(","), "Antall menn"]
    path = workbook(tmp_path / "dbh.xlsx", header, [[1150, "000000", "000", 2019, 121, 81, 40, 40]], first_row=3)
    problems = problems_of(path)
    assert [(p.row, p.column, p.message) for p in problems] == [(3, "Antall menn", "the column name appears twice")]
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:3:Antall menn: 'Antall menn' — the column name appears twice" in out
    assert "unexpected error" not in out


def test_two_columns_named_alike_but_for_case_or_spaces_are_refused(tmp_path):
    """ "Antall menn" and "antall  menn" are one column to the reader: the last one was read (99)
    and the first was called "a column the product does not read" (a second reader). Which
    holds the figures cannot be told: refused, on the header's line (2: one blank line above)."""
    path = tmp_path / "dbh.csv"
    path.write_text("\n" + HEADER + ",antall  menn\n1150,000000,000,2019,121,81,40,99\n", encoding="utf-8")
    (problem,) = problems_of(path, "dbh-123-csv")
    assert (problem.row, problem.column, problem.value) == (2, "antall  menn", "antall  menn")
    assert "named as 'Antall menn' is, but for case, spaces or underscores" in problem.message


def test_two_columns_without_a_name_are_two_columns_not_one_name_twice(tmp_path, capsys):
    """Two empty header cells were "(empty) — the column name appears twice" in a CSV, and a
    workbook named them "(column N)": a CSV now names them so too, and reads the table (the
    unnamed columns, 3 and 6 counted by hand, are columns the product does not read)."""
    path = tmp_path / "dbh.csv"
    path.write_text(
        "Institusjonskode,Avdelingskode,,Fakultetskode,Årstall,,Antall totalt,Antall kvinner,Antall menn\n"
        "1150,000000,,000,2019,x,121,81,40\n",
        encoding="utf-8",
    )
    result = read_path(path, "dbh-123-csv")
    assert len(result.frame) == 1
    assert main(["validate", "--kind", "dbh-123-csv", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:-:(column 3):" in out and f"{path}:-:(column 6):" in out
    assert "appears twice" not in out
