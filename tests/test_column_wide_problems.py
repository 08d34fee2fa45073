"""A problem a whole column has is said once for the column, with how many cells have it and
the first: a year column of dates, a code column whose leading zeros Excel took away. Before,
each was one line per row (349 for NTNU's table 123, 7 810 for the national DBH export), and
a different problem in the same column was lost among them; it is still said on its own line.

The files are the real ones in data/raw, changed here as Excel or an adviser changes them; the
expected counts are counted from the file in the test, not taken from the reader.
"""

from __future__ import annotations

import csv
import datetime

import openpyxl
import pytest

from analysis import paths
from analysis.errors import InputError
from analysis.parsing import ParseError, parse_year
from analysis.readers import read_path

T123 = paths.RAW / "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
NATIONAL = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"


def t123_rows() -> list[list[str]]:
    return list(csv.reader(T123.open(encoding="utf-8-sig")))


def write_csv(path, rows, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


def problems_of(path):
    with pytest.raises(InputError) as err:
        read_path(path)
    return err.value.problems


def test_a_year_column_of_typed_dates_is_said_once_and_a_wrong_year_on_its_own(tmp_path):
    rows = t123_rows()
    year = rows[0].index("Årstall")
    for r in rows[1:]:
        r[year] = f"01.01.{r[year]}"  # the year typed as a date, as an adviser does
    rows[5][year] = "20x9"  # line 6: a year that is no date either
    path = write_csv(tmp_path / "t123.csv", rows)

    problems = problems_of(path)
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "Årstall", "01.01.2019"), (6, "Årstall", "20x9")]
    dates, other = problems
    # every data row but line 6 (the header is line 1)
    assert dates.message.startswith(f"{len(rows) - 2} cells of this column are dates, not years")
    assert "write the year alone" in dates.hint and "=ÅR" in dates.hint
    assert other.message == "not a year"


def test_a_csv_saved_with_its_years_in_a_date_format_names_them_as_years(tmp_path):
    """Excel with a date format on the years writes 2019 as day 2019 of its calendar, counted
    from 30.12.1899: 11.07.1905."""
    rows = t123_rows()
    year = rows[0].index("Årstall")
    for r in rows[1:]:
        shown = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(r[year]))
        r[year] = shown.strftime("%d.%m.%Y")
    assert rows[1][year] == "11.07.1905"
    path = write_csv(tmp_path / "t123.csv", rows)

    (problem,) = problems_of(path)
    assert (problem.row, problem.column, problem.value) == (2, "Årstall", "11.07.1905")
    assert problem.message.startswith(f"{len(rows) - 1} cells of this column are years shown as dates")
    assert "format the column as Number" in problem.hint


def test_a_csv_saved_by_english_excel_with_its_years_as_dates_is_one_line(tmp_path):
    """English Excel writes day 2019 month first, 7/11/1905 (11 July): read day first it is
    7 November 1905, day 2138, no year; every cell is a year shown as a date, said once.
    Before: 101 cells 'dates, not years' (day and month both 12 or less, read day first) and
    248 'years shown as dates' (read month first, the day above 12)."""
    rows = t123_rows()
    year = rows[0].index("Årstall")
    for r in rows[1:]:
        shown = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(r[year]))
        r[year] = f"{shown.month}/{shown.day}/{shown.year}"
    assert rows[1][year] == "7/11/1905"
    path = write_csv(tmp_path / "t123.csv", rows)

    (problem,) = problems_of(path)
    assert (problem.row, problem.column, problem.value) == (2, "Årstall", "7/11/1905")
    assert problem.message.startswith(f"{len(rows) - 1} cells of this column are years shown as dates")


def test_one_year_shown_as_an_english_date_is_said_with_its_year(tmp_path):
    rows = t123_rows()
    year = rows[0].index("Årstall")
    rows[3][year] = "7/12/1905"  # 12 July 1905 is Excel's day 2020 (7 December 1905 is 2167)
    (problem,) = problems_of(write_csv(tmp_path / "t123.csv", rows))
    assert (problem.row, problem.value) == (4, "7/12/1905")
    assert problem.message.startswith("the year 2020 shown as a date")
    assert "1905" not in problem.hint


def test_a_date_that_is_a_year_either_way_names_both_years(tmp_path):
    """English Excel shows 2016 as 7/8/1905 (8 July 1905, Excel's day 2016); read day first it
    is 7 August 1905, 30 days later: 2046. Both are years of the range, so both are named (a
    second reader, 2026-12-04: 'the year 2046 shown as a date' for a column of 2016)."""
    rows = t123_rows()
    year = rows[0].index("Årstall")
    rows[3][year] = "7/8/1905"
    (problem,) = problems_of(write_csv(tmp_path / "t123.csv", rows))
    assert (problem.row, problem.value) == (4, "7/8/1905")
    assert problem.message.startswith("the year 2046 or 2016 shown as a date")


def test_a_date_whose_year_is_out_of_range_is_not_advised_as_the_year():
    """01.01.1950 is no year shown as a date (day 18264) and 1950 is outside 1990–2100:
    'write the year alone: 1950' would advise a year the reader refuses."""
    with pytest.raises(ParseError) as err:
        parse_year("01.01.1950")
    assert err.value.message == "a date, not a year"
    assert "1950" not in err.value.hint


def test_one_date_in_a_year_column_is_said_with_its_year(tmp_path):
    rows = t123_rows()
    year = rows[0].index("Årstall")
    rows[3][year] = "01.01.2024"
    (problem,) = problems_of(write_csv(tmp_path / "t123.csv", rows))
    assert (problem.row, problem.value, problem.message) == (4, "01.01.2024", "a date, not a year")
    assert problem.hint == "write the year alone: 2024"


def test_a_workbook_with_dates_in_its_year_column_is_said_once(tmp_path):
    """Real dates (1 January of each year, not a year given a date format) in a workbook's year
    column are read as '2019-01-01 00:00:00'."""
    rows = t123_rows()
    year = rows[0].index("Årstall")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for r in rows[1:]:
        sheet.append([int(v) if i != year else datetime.datetime(int(v), 1, 1) for i, v in enumerate(r)])
    path = tmp_path / "t123.xlsx"
    book.save(path)

    (problem,) = problems_of(path)
    assert (problem.row, problem.column) == (2, "Årstall")
    assert str(problem.value).startswith("2019-01-01")
    assert problem.message.startswith(f"{len(rows) - 1} cells of this column are dates, not years")


@pytest.fixture(scope="module")
def national_rows() -> list[list[str]]:
    return list(csv.reader(NATIONAL.open(encoding="utf-8-sig"), delimiter=";"))


def test_the_national_export_saved_again_from_excel_is_said_once_per_code_column(tmp_path, national_rows):
    """Excel reads the codes as numbers and writes them without their leading zeros; a code of
    another kind (five digits, letters) in the same column is still named, cell by cell."""
    header, data = national_rows[0], [list(r) for r in national_rows[1:]]
    institution, department = header.index("Institusjonskode"), header.index("Avdelingskode")
    with_zero = [n for n, r in enumerate(data, start=2) if r[institution].startswith("0")]
    department_zero = [n for n, r in enumerate(data, start=2) if r[department].startswith("0")]
    first = data[with_zero[0] - 2][institution]
    for r in data:
        r[institution] = str(int(r[institution]))
        r[department] = str(int(r[department]))
    # two codes that are wrong in another way, in rows whose code had no leading zero
    other = [n for n, r in enumerate(data, start=2) if n not in with_zero][:2]
    data[other[0] - 2][institution] = "12345"
    data[other[1] - 2][institution] = "11A0"
    path = write_csv(tmp_path / "dbh_123.csv", [header, *data], ";")

    problems = problems_of(path)
    said = [(p.row, p.column, p.value) for p in problems]
    # the lost zeros once per column at their first row, the other codes each at theirs
    assert sorted(said) == sorted(
        [
            (with_zero[0], "Institusjonskode", first.lstrip("0")),
            (other[0], "Institusjonskode", "12345"),
            (other[1], "Institusjonskode", "11A0"),
            (department_zero[0], "Avdelingskode", "0"),
        ]
    )
    zeros = next(p for p in problems if p.row == with_zero[0] and p.column == "Institusjonskode")
    assert zeros.message.startswith(f"{len(with_zero)} cells of this column are codes with too few digits")
    assert "Institusjonskode must be four digits" in zeros.message
    assert f"({first}?)" in zeros.message
    assert "download the file again" in zeros.hint and "Text" in zeros.hint
    departments = next(p for p in problems if p.column == "Avdelingskode")
    assert departments.message.startswith(f"{len(department_zero)} cells of this column are codes with too few")
    assert [p.message for p in problems if p.value in ("12345", "11A0")] == ["Institusjonskode must be four digits"] * 2
    assert len(problems) == 4


def test_a_short_code_no_other_row_has_is_named_on_its_own_not_as_lost_zeros(tmp_path, national_rows):
    """A department code missing a digit (410000 typed 41000) in a row of an institution whose
    code lost its zero: before, it was counted among the department codes that lost their zeros
    (2 757 for 2 756) and never named. A lost zero shows in other rows (every 000000 is 0); a
    typo only in its own."""
    header, data = national_rows[0], [list(r) for r in national_rows[1:]]
    institution, department = header.index("Institusjonskode"), header.index("Avdelingskode")
    department_zero = [n for n, r in enumerate(data, start=2) if r[department].startswith("0")]
    # a row whose institution code has a leading zero and whose department code has none
    typo = next(
        n
        for n, r in enumerate(data, start=2)
        if r[institution].startswith("0") and not r[department].startswith("0") and len(r[department]) == 6
    )
    for r in data:
        r[institution] = str(int(r[institution]))
        r[department] = str(int(r[department]))
    short = data[typo - 2][department][:5]
    assert all(r[department] != short and r[department] != short.zfill(6) for r in data)
    data[typo - 2][department] = short
    path = write_csv(tmp_path / "dbh_123.csv", [header, *data], ";")

    departments = [p for p in problems_of(path) if p.column == "Avdelingskode"]
    assert sorted((p.row, p.value) for p in departments) == sorted([(department_zero[0], "0"), (typo, short)])
    zeros = next(p for p in departments if p.row == department_zero[0])
    assert zeros.message.startswith(f"{len(department_zero)} cells of this column are codes with too few digits")
    alone = next(p for p in departments if p.row == typo)
    assert alone.message == "Avdelingskode must be six digits"


def test_one_short_code_alone_in_its_column_is_not_called_lost_zeros(tmp_path):
    """NTNU's table 123 has one institution code, 1150, in every row: one 115 among them is a
    digit missing, not a code whose zeros Excel took (1150 has none)."""
    rows = t123_rows()
    code = rows[0].index("Institusjonskode")
    rows[3][code] = "115"
    (problem,) = problems_of(write_csv(tmp_path / "t123.csv", rows))
    assert (problem.row, problem.value, problem.message) == (4, "115", "Institusjonskode must be four digits")
