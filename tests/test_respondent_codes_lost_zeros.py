"""A respondent file whose DBH institution or faculty codes lost their leading zeros (a CSV
opened and saved again in Excel turns ``040`` into ``40``) is refused, naming the cell.

Read as text, ``40`` was a faculty apart from ``040``: the same respondents delivered twice, once
as exported and once saved again from Excel, were not recognised as the same (their faculty
differed) and the institution's n doubled (a bad-input hunt, 2026-12-03: 213 → 426); and a
faculty written ``040`` one year and ``40`` the next lost its year-on-year changes without a
word.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import tree_snapshot

from analysis.cli import main
from analysis.errors import InputError
from analysis.metrics.survey_counts import read_survey_respondents

HEADER = "institusjonskode;fakultetskode;studprog_kod;aar;overord_altialt_13;underv_engasj_18\r\n"
#: six respondents of one programme of faculty 040, as NOKUT's delivery writes them
ROWS = [("MTDT", 2025, a, b) for a, b in [(4, 3), (5, 4), (3, 3), (4, 5), (2, 9999), (4, 4)]]


def _csv(path: Path, institution: str, faculty: str) -> Path:
    lines = [f"{institution};{faculty};{p};{y};{a};{b}\r\n" for p, y, a, b in ROWS]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def test_a_faculty_code_without_its_leading_zero_is_refused_naming_the_cell(tmp_path):
    path = _csv(tmp_path / "sb_2025.csv", "1150", "40")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    # the code once, at its first row, with the count of the column's rows that have it (lines
    # 2–7: six); no line without a row or value; nothing about the answers
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "fakultetskode", "40")
    assert "leading zeros are lost (040?)" in problem.message
    assert problem.message.endswith(f"; {len(ROWS)} rows of this column have it")
    assert "write 040" in problem.hint


def test_an_institution_code_of_three_digits_is_refused(tmp_path):
    path = _csv(tmp_path / "sb_2025.csv", "211", "040")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    (first,) = [p for p in err.value.problems if p.row is not None]
    assert (first.row, first.column, first.value) == (2, "institusjonskode", "211")
    assert "(0211?)" in first.message


def test_codes_written_in_full_and_codes_that_are_not_digits_are_read(tmp_path):
    full = read_survey_respondents(_csv(tmp_path / "a.csv", "0211", "040")).frame
    assert full["institusjonskode"].tolist() == ["0211"] * 6
    assert full["fakultetskode"].tolist() == ["040"] * 6
    # a code that is not a DBH number is not judged by its length
    other = read_survey_respondents(_csv(tmp_path / "b.csv", "1150", "IE")).frame
    assert other["fakultetskode"].tolist() == ["IE"] * 6


def test_a_parquet_number_column_with_a_short_faculty_code_is_refused(tmp_path):
    path = tmp_path / "sb.parquet"
    pq.write_table(
        pa.table(
            {
                "institusjonskode": pa.array([1150, 1150], pa.int64()),
                "fakultetskode": pa.array([40, 271], pa.int64()),
                "studprog_kod": ["A", "B"],
                "aar": [2025, 2025],
                "overord_altialt_13": pa.array([4, 3], pa.int16()),
            }
        ),
        path,
    )
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    assert [(p.row, p.column, p.value) for p in err.value.problems] == [(1, "fakultetskode", "40")]


def test_the_same_respondents_saved_again_from_excel_are_not_counted_twice(tmp_path, capsys):
    """The delivery and its copy saved from Excel (faculty 40): before, the copy's respondents
    were a faculty of their own and the institution had n 12 (6 + 6) for overord_altialt_13;
    now the run stops on the copy's codes and writes nothing."""
    data = tmp_path / "sb"
    data.mkdir()
    _csv(data / "sb_2025.csv", "1150", "040")
    _csv(data / "sb_2025 - Kopi.csv", "1150", "40")
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.txt").write_text("an earlier result", encoding="utf-8")
    before = tree_snapshot(out)
    assert main(["survey", str(data), "--out", str(out / "survey.csv")]) == 1
    err = capsys.readouterr().err
    assert "sb_2025 - Kopi.csv:2:fakultetskode: '40'" in err
    assert "Traceback" not in err
    assert tree_snapshot(out) == before


def test_a_faculty_written_two_ways_in_two_years_is_refused(tmp_path, capsys):
    """2024 as exported (040), 2025 saved from Excel (40): before, two faculties and no
    change from 2024 to 2025 for the faculty or its programme, without a word."""
    data = tmp_path / "sb"
    data.mkdir()
    _csv(data / "sb_2025.csv", "1150", "40")
    earlier = [(p, 2024, a, b) for p, _, a, b in ROWS]
    lines = [f"1150;040;{p};{y};{a};{b}\r\n" for p, y, a, b in earlier]
    (data / "sb_2024.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    assert main(["survey", str(data), "--out", str(tmp_path / "survey.csv")]) == 1
    assert "sb_2025.csv:2:fakultetskode: '40'" in capsys.readouterr().err
    assert not (tmp_path / "survey.csv").exists()


def test_a_programme_code_written_two_ways_in_two_years_is_refused(tmp_path, capsys):
    """Programme 001001 in 2024 and 1001 in 2025 (the 2025 file saved again from Excel): before,
    two programmes, and the programme's change from 2024 to 2025 was not in the changes table,
    without a word. Programme codes have no fixed width: the two spellings of one number in one
    institution are the error."""
    data = tmp_path / "sb"
    data.mkdir()
    for year, code in ((2024, "001001"), (2025, "1001")):
        lines = [f"1150;040;{code};{year};{a};{b}\r\n" for _, _, a, b in ROWS]
        (data / f"sb_{year}.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    out = tmp_path / "survey.csv"
    assert main(["survey", str(data), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{data / 'sb_2025.csv'}:-:studprog_kod: '1001' — the same programme code as 001001 in {data / 'sb_2024.csv'}"
    ) in err
    assert "(001001?)" in err
    assert not out.exists()


def test_validate_refuses_a_programme_code_written_two_ways_in_two_files_as_survey_does(tmp_path, capsys):
    """The two files of the test above, given to validate: it said "all 2 files valid, each on
    its own and with one another" while survey and ingest refused them (a bad-input hunt,
    2026-12-04: the 2025 respondents saved again as .xlsx, codes turned into numbers)."""
    data = tmp_path / "sb"
    data.mkdir()
    for year, code in ((2024, "001001"), (2025, "1001")):
        lines = [f"1150;040;{code};{year};{a};{b}\r\n" for _, _, a, b in ROWS]
        (data / f"sb_{year}.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    assert main(["validate", str(data / "sb_2024.csv"), str(data / "sb_2025.csv")]) == 1
    captured = capsys.readouterr()
    assert (
        f"{data / 'sb_2025.csv'}:-:studprog_kod: '1001' — the same programme code as 001001 in {data / 'sb_2024.csv'}"
    ) in captured.out
    assert "1 of 2 files invalid" in captured.err
    assert "Traceback" not in captured.out + captured.err


def test_the_same_number_in_two_institutions_or_codes_that_differ_are_two_programmes(tmp_path):
    """0232 of one institution and 232 of another are not compared; 1001 and 1002 differ."""
    data = tmp_path / "sb"
    data.mkdir()
    for name, institution, code in (("a", "1150", "0232"), ("b", "1110", "232"), ("c", "1150", "1002")):
        lines = [f"{institution};040;{code};2025;{a};{b}\r\n" for _, _, a, b in ROWS]
        (data / f"{name}.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    assert main(["survey", str(data), "--out", str(tmp_path / "survey.csv")]) == 0


def test_a_short_faculty_code_no_other_row_has_is_a_mistyped_code_not_lost_zeros(tmp_path):
    """Six respondents of faculty 410 and one whose faculty is typed 41 (a digit missing), no
    041 anywhere: nothing shows that Excel took a zero (a lost zero shows in other rows: every
    respondent of the faculty has it), so the cell is named as a wrong code, as DBH's readers
    name a short code no other row has. Before, it was called lost zeros (041?), which sends
    the adviser to look for the wrong fault."""
    path = _csv(tmp_path / "sb_2025.csv", "1150", "410")
    with path.open("a", encoding="utf-8") as fh:
        fh.write("1150;41;MTDT;2025;4;4\r\n")  # line 8: header 1, the six respondents 2–7
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    (problem,) = [p for p in err.value.problems if p.row is not None]
    assert (problem.row, problem.column, problem.value) == (8, "fakultetskode", "41")
    assert "leading zeros" not in problem.message and "(041?)" not in problem.message
    assert "3 digits" in problem.message


def test_a_short_faculty_code_whose_padded_form_other_rows_have_is_lost_zeros(tmp_path):
    """Respondents of faculty 041, one of them written 41: the code with its zero put back is
    in the other rows, so the zero was lost."""
    path = _csv(tmp_path / "sb_2025.csv", "1150", "041")
    with path.open("a", encoding="utf-8") as fh:
        fh.write("1150;41;MTDT;2025;4;4\r\n")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    (problem,) = [p for p in err.value.problems if p.row is not None]
    assert (problem.row, problem.column, problem.value) == (8, "fakultetskode", "41")
    assert "leading zeros are lost (041?)" in problem.message


@pytest.mark.parametrize(
    ("rows_of", "lost"),
    [
        ({"41": 1, "410": 6}, set()),  # a digit missing: no 041 anywhere
        ({"41": 1, "041": 6}, {"41"}),  # the padded code in other rows
        ({"41": 2}, {"41"}),  # the same short code in two rows
        ({"41": 1}, set()),  # alone in its column
        ({"IE": 3, "0410": 1, "": 2}, set()),  # not digits, not short, empty
    ],
)
def test_one_rule_for_lost_zeros_in_dbh_tables_and_respondent_files(rows_of, lost):
    """The rule both DBH's readers and the respondent files use (width 3, a faculty code)."""
    from analysis.parsing import lost_zeros

    assert lost_zeros(rows_of, 3) == lost


def test_a_programme_code_in_other_letter_case_in_two_years_is_refused(tmp_path, capsys):
    """Programme MTDT in 2024 as NOKUT delivers it, mtdt in 2025 (an export tool lower-cased
    it): before (a bad-input hunt, 2026-12-04), two programmes and no change from 2024 to 2025
    for the programme, without a word. survey and validate refuse it alike."""
    data = tmp_path / "sb"
    data.mkdir()
    for year, code in ((2024, "MTDT"), (2025, "mtdt")):
        lines = [f"1150;040;{code};{year};{a};{b}\r\n" for _, _, a, b in ROWS]
        (data / f"sb_{year}.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    expected = (
        f"{data / 'sb_2025.csv'}:-:studprog_kod: 'mtdt' — the same programme code as MTDT in {data / 'sb_2024.csv'}, "
        "written in other letter case: it would count as two programmes, and its changes from year to year would "
        "be lost (DBH writes programme codes in capitals (MTDT): write the code so in every file"
    )
    out = tmp_path / "survey.csv"
    assert main(["survey", str(data), "--out", str(out)]) == 1
    assert expected in capsys.readouterr().err
    assert not out.exists()
    assert main(["validate", str(data / "sb_2024.csv"), str(data / "sb_2025.csv")]) == 1
    assert expected in capsys.readouterr().out


def test_validate_with_kind_refuses_a_programme_code_in_other_letter_case_as_without(tmp_path, capsys):
    """The two files of the test above, given to validate as sb-respondents: with --kind the
    check across files was skipped, and validate said "all 2 files valid" (exit 0) where
    without --kind it refused them (a second reader, 2026-12-04)."""
    data = tmp_path / "sb"
    data.mkdir()
    for year, code in ((2024, "MTDT"), (2025, "mtdt")):
        lines = [f"1150;040;{code};{year};{a};{b}\r\n" for _, _, a, b in ROWS]
        (data / f"sb_{year}.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    files = [str(data / "sb_2024.csv"), str(data / "sb_2025.csv")]
    expected = (
        f"{data / 'sb_2025.csv'}:-:studprog_kod: 'mtdt' — the same programme code as MTDT in {data / 'sb_2024.csv'}, "
        "written in other letter case"
    )
    assert main(["validate", *files, "--kind", "sb-respondents"]) == 1
    out, err = capsys.readouterr()
    assert expected in out, out
    assert "1 of 2 files invalid" in err
    # and the files as one would count them are still valid with --kind
    (data / "sb_2025.csv").write_text((data / "sb_2025.csv").read_text(encoding="utf-8").replace("mtdt", "MTDT"))
    assert main(["validate", *files, "--kind", "sb-respondents"]) == 0
    capsys.readouterr()


def test_a_mistyped_code_is_said_to_be_in_no_other_row_of_its_file(tmp_path, capsys):
    """Lost zeros are decided per file: faculty 041 in a.csv does not make b.csv's 41 (typed
    among b's 410) a lost zero, and the words say so: "no other row of this file has 041" (they
    said "no other row has 041", though a.csv's six rows have it)."""
    data = tmp_path / "sb"
    data.mkdir()
    _csv(data / "a.csv", "1150", "041")
    b = _csv(data / "b.csv", "1150", "410")
    with b.open("a", encoding="utf-8") as fh:
        fh.write("1150;41;MTDT;2025;4;4\r\n")  # line 8: header 1, the six respondents 2–7
    assert main(["survey", str(data), "--out", str(tmp_path / "survey.csv")]) == 1
    err = capsys.readouterr().err
    assert (
        f"{b}:8:fakultetskode: '41' — a DBH code of 3 digits written with 2, and no other row of this file has 041: "
        "the code is mistyped"
    ) in err, err


# --- codes as a program writes a float column: 1150.0 ----------------------------------------
#
# A respondent file saved from pandas or R whose code columns had a blank somewhere: the columns
# are floats, and the CSV has 1150.0 and 271.0 (and 40.0 for faculty 040). A Parquet file of the
# same floats was read as 1150 and 271 (and 40 refused); the CSV's text was a unit of its own
# (a real-file hunt, 2026-12-04: 1150.0 and 271.0 beside 1150 and 271 were a second institution
# and faculty, each with the same n, without a word).


def _pandas_csv(path: Path, institution: str, faculty: str) -> Path:
    """The six respondents as pandas writes them: comma-separated, codes from a float column."""
    lines = [f"{institution},{faculty},{p},{y},{a},{b}\n" for p, y, a, b in ROWS]
    path.write_text(HEADER.replace(";", ",").replace("\r\n", "\n") + "".join(lines), encoding="utf-8")
    return path


def test_codes_written_from_a_float_column_are_the_codes(tmp_path):
    frame = read_survey_respondents(_pandas_csv(tmp_path / "sb_2025.csv", "1150.0", "271.0")).frame
    assert frame["institusjonskode"].tolist() == ["1150"] * 6
    assert frame["fakultetskode"].tolist() == ["271"] * 6


def test_a_faculty_from_a_float_column_that_lost_its_zero_is_refused(tmp_path):
    with pytest.raises(InputError) as err:
        read_survey_respondents(_pandas_csv(tmp_path / "sb_2025.csv", "1150.0", "40.0"))
    (first,) = [p for p in err.value.problems if p.row is not None]
    assert (first.row, first.column) == (2, "fakultetskode")
    assert "leading zeros are lost (040?)" in first.message


def test_one_year_from_a_float_column_and_one_as_delivered_are_one_institution(tmp_path, capsys):
    # 2024 as NOKUT delivers it, 2025 saved from pandas: one institution, one faculty, and the
    # institution's n for overord_altialt_13 is the six answers of each year (4, 5, 3, 4, 2, 4)
    data = tmp_path / "sb"
    data.mkdir()
    lines = [f"1150;271;{p};2024;{a};{b}\r\n" for p, _, a, b in ROWS]
    (data / "sb_2024.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    _pandas_csv(data / "sb_2025.csv", "1150.0", "271.0")
    out = tmp_path / "survey.csv"
    assert main(["survey", str(data), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert {(r["Institusjonskode"], r["Fakultetskode"]) for r in rows} == {("1150", ""), ("1150", "271")}
    institution = [r for r in rows if r["Nivå"] == "institusjon" and r["Variabel"] == "overord_altialt_13"]
    assert [(r["År"], r["Antall svar"]) for r in institution] == [("2024", "6"), ("2025", "6")]


def test_codes_written_with_three_decimal_zeros_are_the_codes_not_a_unit_of_their_own(tmp_path):
    # a code column given three decimals (Excel's Number format with 3 decimals, SPSS F8.3) writes
    # 1150.000: it is institution 1150, as 1150.0 is, not a unit "1150.000" beside 1150 (the year
    # column of the same file already read 2025.000 as 2025)
    frame = read_survey_respondents(_pandas_csv(tmp_path / "sb_2025.csv", "1150.000", "271.000")).frame
    assert frame["institusjonskode"].tolist() == ["1150"] * 6
    assert frame["fakultetskode"].tolist() == ["271"] * 6
