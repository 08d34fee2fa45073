"""Respondent-level Studiebarometeret reader: formats, 9999 and blanks, and bad inputs.

Every expected value is read off the small files written in each test.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pandera.pandas as pandera
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pandera.typing.pandas import Series

from analysis.errors import InputError
from analysis.metrics.survey_counts import read_survey_respondents
from schemas.studiebarometeret import ITEM_NAME, SurveyRespondents
from schemas.survey_layout import FIRST_YEAR, LAST_YEAR


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def problem_lines(err: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in err.value.problems]


# --- valid inputs -------------------------------------------------------------------------


def test_csv_with_bom_crlf_semicolons_9999_and_blank(tmp_path):
    path = write(
        tmp_path / "sb.csv",
        "\ufeffstudprog_kod;aar;underv_engasj_18;underv_formidl_18\r\n0123;2024;5;9999\r\n0123;2024;;3\r\n",
    )
    result = read_survey_respondents(path)
    frame = result.frame
    assert result.kind == "sb-respondents" and result.dataset == "survey_respondents"
    assert list(frame["studprog_kod"]) == ["0123", "0123"]  # leading zero kept
    # Int16: NOKUT's 9999 for "vet ikke" is kept, to be counted (it never enters a mean)
    assert frame["aar"].dtype == "Int16" and frame["underv_engasj_18"].dtype == "Int16"
    # line 2: 5 and "vet ikke" (9999 kept); line 3: blank -> missing and 3
    assert frame["underv_engasj_18"].tolist() == [5, pd.NA]
    assert frame["underv_formidl_18"].tolist() == [9999, 3]
    assert result.notes["dont_know"] == 1
    assert result.notes["dont_know_by_item"] == {"underv_engasj_18": 0, "underv_formidl_18": 1}
    assert result.notes["blank"] == 1
    SurveyRespondents.validate(frame)


def test_windows_1252_comma_csv_with_ignored_text_column(tmp_path):
    path = write(
        tmp_path / "sb.csv",
        "studprog_kod,aar,studieprogram_navn,overord_altialt_13\nØKAD,2023,Økonomi og administrasjon,4\n",
        encoding="cp1252",
    )
    result = read_survey_respondents(path)
    assert result.frame["studprog_kod"].tolist() == ["ØKAD"]
    assert result.frame["overord_altialt_13"].tolist() == [4]
    assert result.notes["ignored_columns"] == ["studieprogram_navn"]
    assert "studieprogram_navn" not in result.frame.columns


def test_unit_columns_are_passed_through_as_text(tmp_path):
    path = write(
        tmp_path / "sb.csv", "institusjonskode;fakultetskode;studprog_kod;aar;underv_engasj_18\n0232;010;X;2024;2\n"
    )
    frame = read_survey_respondents(path).frame
    assert frame["institusjonskode"].tolist() == ["0232"]
    assert frame["fakultetskode"].tolist() == ["010"]


def test_xlsx_numbers_text_and_blanks(tmp_path):
    path = tmp_path / "sb.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["studprog_kod", "aar", "underv_engasj_18", "underv_formidl_18"])
    sheet.append(["MTDT", 2024, 4, 9999])
    sheet.append(["MTDT", 2024, None, "3"])
    sheet.append(["MTDT", 2024.0, 5.0, 1])
    book.save(path)
    result = read_survey_respondents(path)
    assert result.notes["format"] == "xlsx"
    assert result.frame["underv_engasj_18"].tolist() == [4, pd.NA, 5]
    assert result.frame["underv_formidl_18"].tolist() == [9999, 3, 1]
    assert result.frame["aar"].tolist() == [2024, 2024, 2024]
    assert result.notes["dont_know"] == 1


def test_parquet_int_float_and_text_columns(tmp_path):
    path = tmp_path / "sb.parquet"
    pq.write_table(
        pa.table(
            {
                "studprog_kod": ["007", "007", "008"],
                "aar": pa.array([2022, 2022, 2023], pa.int16()),
                "underv_engasj_18": pa.array([1, None, 9999], pa.int16()),
                "underv_formidl_18": pa.array([2.0, float("nan"), 5.0]),
                "underv_pensum_18": ["3", "", "9999"],
            }
        ),
        path,
    )
    result = read_survey_respondents(path)
    frame = result.frame
    assert frame["studprog_kod"].tolist() == ["007", "007", "008"]
    assert frame["underv_engasj_18"].tolist() == [1, pd.NA, 9999]
    assert frame["underv_formidl_18"].tolist() == [2, pd.NA, 5]
    assert frame["underv_pensum_18"].tolist() == [3, pd.NA, 9999]
    assert result.notes["dont_know"] == 2


# --- bad inputs: each message names file, row, column and value ----------------------------


@pytest.mark.parametrize("value", ["6", "0", "3.5", "3,5", "-1"])
def test_csv_invalid_answer(tmp_path, value):
    path = write(tmp_path / "bad.csv", f"studprog_kod;aar;underv_engasj_18\nA;2024;4\nA;2024;{value}\n")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    # header = line 1, so the bad value is on line 3
    assert problem_lines(err) == [
        f"{path}:3:underv_engasj_18: '{value}' — not a valid answer "
        "(answers are 1–5, 9999 (vet ikke) or blank; check the export or the column)"
    ]


@pytest.mark.parametrize("value", ["Vet ikke", "Helt enig", "abc"])
def test_an_answer_s_label_is_named_as_a_label_with_how_to_export_the_codes(tmp_path, value):
    """A bad-input hunt (2026-12-04): a file exported with value labels (SPSS offers both) was
    "not a valid answer (answers are 1–5 …; check the export or the column)" for every cell;
    words are an answer's label, and the fix is the export's."""
    path = write(tmp_path / "bad.csv", f"studprog_kod;aar;underv_engasj_18\nA;2024;4\nA;2024;{value}\n")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    assert problem_lines(err) == [
        f"{path}:3:underv_engasj_18: '{value}' — not a valid answer: an answer's label, not its code "
        "(export the data with values, not value labels: 1–5, and 9999 for vet ikke)"
    ]


@pytest.mark.parametrize("value", ["NA", "nan", "#NULL!", "N/A"])
def test_a_mark_for_a_missing_answer_is_named_with_how_to_leave_it_blank(tmp_path, value):
    """A third reader (2026-12-04): R's NA and SPSS's #NULL! were named as an answer's label, with
    the advice to export values, not labels, which does not help: a missing answer is blank."""
    path = write(tmp_path / "bad.csv", f"studprog_kod;aar;underv_engasj_18\nA;2024;4\nA;2024;{value}\n")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    assert problem_lines(err) == [
        f"{path}:3:underv_engasj_18: '{value}' — not a valid answer: a mark for a missing answer "
        '(leave a missing answer blank: in R write.csv(…, na = ""); from SPSS export to CSV, not Excel)'
    ]


def test_a_whole_answer_with_a_decimal_comma_is_that_answer(tmp_path):
    """A bad-input hunt (2026-12-04): "4,0" (a Norwegian CSV's 4.0) was refused where "4.0" and a
    workbook's 4.0 read as 4; so are "9999,0" (vet ikke) and "4,0 " with a space."""
    path = write(
        tmp_path / "sb.csv", "studprog_kod;aar;underv_engasj_18\nA;2024;4,0\nA;2024;9999,0\nA;2024; 2,0 \nA;2024;4\n"
    )
    result = read_survey_respondents(path)
    assert result.frame["underv_engasj_18"].tolist() == [4, 9999, 2, 4]
    assert result.notes["dont_know"] == 1


def test_csv_missing_programme_key_value(tmp_path):
    path = write(tmp_path / "bad.csv", "studprog_kod;aar;underv_engasj_18\nA;2024;4\n;2024;4\n")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    [line] = problem_lines(err)
    assert line.startswith(f"{path}:3:studprog_kod: (empty) — the code is missing")


def test_csv_bad_year(tmp_path):
    path = write(tmp_path / "bad.csv", "studprog_kod;aar;underv_engasj_18\nA;20x4;4\n")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    [line] = problem_lines(err)
    assert line.startswith(f"{path}:2:aar: '20x4' — not a survey year")


@pytest.mark.parametrize("missing", ["studprog_kod", "aar"])
def test_missing_key_column(tmp_path, missing):
    columns = [c for c in ["studprog_kod", "aar"] if c != missing] + ["underv_engasj_18"]
    values = {"studprog_kod": "A", "aar": "2024", "underv_engasj_18": "4"}
    path = write(tmp_path / "bad.csv", ";".join(columns) + "\n" + ";".join(values[c] for c in columns) + "\n")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    [line] = problem_lines(err)
    assert line.startswith(f"{path}:1:{missing}: (empty) — required column is missing")


def test_no_item_columns(tmp_path):
    path = write(tmp_path / "bad.csv", "studprog_kod;aar;navn\nA;2024;x\n")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    assert "no item columns" in problem_lines(err)[0]


def test_all_problems_are_reported_not_the_first(tmp_path):
    path = write(tmp_path / "bad.csv", "studprog_kod;aar;underv_engasj_18;underv_aktiv_18\nA;2024;7;1\nA;2024;2;x\n")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    lines = problem_lines(err)
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:2:underv_engasj_18: '7'")
    assert lines[1].startswith(f"{path}:3:underv_aktiv_18: 'x'")


def test_xlsx_invalid_answer_names_the_spreadsheet_row(tmp_path):
    path = tmp_path / "bad.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["studprog_kod", "aar", "underv_engasj_18"])
    sheet.append(["A", 2024, 2])
    sheet.append(["A", 2024, 6])
    book.save(path)
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    [line] = problem_lines(err)
    assert line.startswith(f"{path}:3:underv_engasj_18: '6' — not a valid answer")


def test_parquet_invalid_answers_name_the_row(tmp_path):
    path = tmp_path / "bad.parquet"
    pq.write_table(
        pa.table(
            {
                "studprog_kod": ["A", "A", "A"],
                "aar": [2024, 2024, 2024],
                "underv_engasj_18": pa.array([1, 6, None], pa.int16()),
                "underv_aktiv_18": [1.0, 2.0, 3.5],
            }
        ),
        path,
    )
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    assert problem_lines(err) == [
        f"{path}:2:underv_engasj_18: 6 — not a valid answer "
        "(answers are 1–5, 9999 (vet ikke) or blank; check the export or the column)",
        f"{path}:3:underv_aktiv_18: 3.5 — not a valid answer "
        "(answers are 1–5, 9999 (vet ikke) or blank; check the export or the column)",
    ]


def test_parquet_missing_programme_key(tmp_path):
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"studprog_kod": ["A", None], "aar": [2024, 2024], "underv_engasj_18": [1, 2]}), path)
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    [line] = problem_lines(err)
    assert line.startswith(f"{path}:2:studprog_kod: (empty) — the code is missing")


def test_truncated_parquet_is_a_clear_error(tmp_path):
    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"studprog_kod": ["A"], "aar": [2024], "underv_engasj_18": [1]}), good)
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(good.read_bytes()[:40])
    with pytest.raises(InputError) as err:
        read_survey_respondents(bad)
    assert problem_lines(err)[0].startswith(f"{bad}:-:-:")


def test_many_invalid_cells_are_listed_up_to_a_limit(tmp_path):
    rows = "".join("A;2024;8\n" for _ in range(60))
    path = write(tmp_path / "bad.csv", "studprog_kod;aar;underv_engasj_18\n" + rows)
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    lines = problem_lines(err)
    assert len(lines) == 51  # 50 listed + the 51st, which counts the 9 below it
    assert ":52:underv_engasj_18: '8' — not a valid answer; 9 more rows in this column" in lines[-1]


def test_the_limit_is_per_column_across_parquet_row_groups(tmp_path):
    # 120 bad cells in row groups of 40: the column is counted a row group at a time, yet the
    # limit holds for the column: rows 1–50 listed, and one line for row 51 and the 69 below it
    path = tmp_path / "bad.parquet"
    table = pa.table(
        {"studprog_kod": ["A"] * 120, "aar": [2024] * 120, "underv_engasj_18": pa.array([8] * 120, pa.int16())}
    )
    pq.write_table(table, path, row_group_size=40)
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    lines = problem_lines(err)
    assert [line.split(":")[1] for line in lines] == [str(row) for row in range(1, 52)]
    assert all(
        line.endswith("not a valid answer (answers are 1–5, 9999 (vet ikke) or blank; check the export or the column)")
        for line in lines[:50]
    )
    # the 51st is named with its value, and the 69 below it counted
    assert lines[50].startswith(f"{path}:51:underv_engasj_18: 8 — not a valid answer; 69 more rows in this column")


def test_the_rows_past_the_limit_are_named_by_their_value_not_as_empty(tmp_path):
    """A bad-input hunt (2026-12-05): respondent data exported with value labels ("Vet ikke"
    where NOKUT's code is 9999) in 60 rows of a column: the line for the rows past the 50 listed
    named row 51 with the value (empty), a blank, which is a valid answer, where the cell holds
    'Vet ikke', and told to check the column instead of the export's labels."""
    rows = "".join(f"0123;2024;{'Vet ikke' if k < 60 else 4}\n" for k in range(70))
    path = write(tmp_path / "sb.csv", "studprog_kod;aar;underv_engasj_18\n" + rows, encoding="cp1252")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    lines = problem_lines(err)
    label = "not a valid answer: an answer's label, not its code"
    hint = "(export the data with values, not value labels: 1–5, and 9999 for vet ikke)"
    assert len(lines) == 51 and all(f"'Vet ikke' — {label} {hint}" in line for line in lines[:50])
    assert lines[50] == (
        f"{path}:52:underv_engasj_18: 'Vet ikke' — {label}; 9 more rows in this column with invalid answers "
        f"are not listed {hint}"
    )


def test_one_row_past_the_limit_is_counted_as_one_row(tmp_path):
    """Second reading of the line past the 50 listed: with 52 invalid cells the 51st is named
    and one row below it is not listed; the line said "1 more rows ... are not listed"."""
    rows = "".join(f"A;2024;{8 if k < 52 else 4}\n" for k in range(60))
    path = write(tmp_path / "bad.csv", "studprog_kod;aar;underv_engasj_18\n" + rows)
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    lines = problem_lines(err)
    assert len(lines) == 51
    # rows 2–51 listed, row 52 named with its value, row 53 (the 52nd invalid cell) counted
    assert lines[-1].startswith(
        f"{path}:52:underv_engasj_18: '8' — not a valid answer; 1 more row in this column with invalid answers "
        "is not listed (is this the right column? "
    )


class _StricterContract(SurveyRespondents):
    """Answers 1–4 only: a check the reader's classification does not make."""

    items: Series[pd.Int16Dtype] = pandera.Field(
        alias=ITEM_NAME.pattern, regex=True, nullable=True, in_range={"min_value": 1, "max_value": 4}
    )


def test_the_frame_is_checked_against_its_contract_and_names_the_row(tmp_path, monkeypatch):
    """A contract stricter than the reader's own check: the frame fails it, and the problem
    names the row as the file shows it."""
    import schemas.studiebarometeret

    monkeypatch.setattr(schemas.studiebarometeret, "SurveyRespondents", _StricterContract)
    path = write(tmp_path / "x.csv", "studprog_kod;aar;underv_engasj_18\nA;2024;1\nA;2024;5\n")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    [line] = problem_lines(err)
    assert line.startswith(f"{path}:3:underv_engasj_18: 5")


def test_file_without_respondents_is_refused(tmp_path):
    path = write(tmp_path / "empty.csv", "studprog_kod;aar;underv_engasj_18\n")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    assert problem_lines(err)[0].startswith(f"{path}:1:-:")
    assert "no data rows" in problem_lines(err)[0]
    empty = tmp_path / "empty.parquet"
    pq.write_table(
        pa.table(
            {
                "studprog_kod": pa.array([], pa.string()),
                "aar": pa.array([], pa.int16()),
                "underv_engasj_18": pa.array([], pa.int16()),
            }
        ),
        empty,
    )
    with pytest.raises(InputError) as err:
        read_survey_respondents(empty)
    assert "no respondent rows" in problem_lines(err)[0]


def test_whole_numbers_written_as_floats_are_answers(tmp_path):
    """A column with blanks saved from pandas or R is a float column: 3 is written "3.0" and
    9999 "9999.0". Those are the answers 3 and "vet ikke"; "3.5" stays invalid."""
    path = write(tmp_path / "floats.csv", "studprog_kod;aar;underv_engasj_18\nA;2024;3.0\nA;2024;9999.0\nA;2024;\n")
    result = read_survey_respondents(path)
    assert result.frame["underv_engasj_18"].tolist() == [3, 9999, pd.NA]
    assert result.notes["dont_know"] == 1
    bad = write(tmp_path / "half.csv", "studprog_kod;aar;underv_engasj_18\nA;2024;3.5\n")
    with pytest.raises(InputError):
        read_survey_respondents(bad)


def test_an_item_column_with_capitals_is_refused_not_left_out(tmp_path, capsys):
    """A bad-input hunt: "Underv_Engasj_18" (a header tidied in Excel) was not an item, so it
    was left out of the counts and of its index, with only a note. Now it is an error naming it."""
    from analysis.cli import main

    data = tmp_path / "sb.csv"
    data.write_text(
        "studprog_kod;aar;Underv_Engasj_18;underv_formidl_18\n" + "".join(f"A;2024;{v};{v}\n" for v in range(1, 6)),
        encoding="utf-8",
    )
    assert main(["survey", str(data), "--out", str(tmp_path / "s.csv")]) == 1
    err = capsys.readouterr().err
    assert f"{data}:1:Underv_Engasj_18: 'Underv_Engasj_18' — an item column with capitals" in err
    assert "rename the column underv_engasj_18" in err
    assert not (tmp_path / "s.csv").exists()


def test_the_key_column_line_past_the_limit_names_its_row_and_value(tmp_path):
    """The key columns' summary line said ``FILE:-:aar: (empty) — 60 rows in all whose year in
    this column cannot be read`` after the 50 listed: no row, and (empty) for a cell that holds
    a value. As the answers' line: row 52 named with its value, the 9 below it counted."""
    rows = "".join(f"A;{'19' if k < 60 else 2024};4\n" for k in range(70))
    path = write(tmp_path / "sb.csv", "studprog_kod;aar;underv_engasj_18\n" + rows)
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    lines = problem_lines(err)
    assert [line.split(":")[1] for line in lines] == [str(row) for row in range(2, 53)]
    assert "(empty)" not in "\n".join(lines)
    assert lines[-1].startswith(
        f"{path}:52:aar: '19' — not a survey year ({FIRST_YEAR}–{LAST_YEAR}); 9 more rows whose year in this column cannot be read "
        "are not listed"
    )


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_an_item_named_with_a_four_digit_year_is_refused_not_left_out(tmp_path, suffix):
    """A new year's delivery (or a header tidied by hand) naming an item underv_engasj_2025: not
    NOKUT's name (two digits), so the column was passed over as a background variable, and the
    file read as valid without the item and its index (a bad-input hunt, 2026-12-05)."""
    if suffix == "csv":
        path = write(tmp_path / "sb.csv", "studprog_kod;aar;underv_engasj_2025;overord_altialt_13\nA;2025;4;5\n")
    else:
        path = tmp_path / "sb.parquet"
        pq.write_table(
            pa.table({"studprog_kod": ["A"], "aar": [2025], "underv_engasj_2025": [4], "overord_altialt_13": [5]}), path
        )
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (1, "underv_engasj_2025", "underv_engasj_2025")
    assert "four-digit year" in problem.message and "it would not be counted" in problem.message


@pytest.mark.parametrize("name", ["kull_2019", "Kull_2019", "opptak_2024", "studiestart_kull_2011", "fodt_aar_1999"])
def test_a_background_column_ending_in_a_year_is_passed_over_not_refused(tmp_path, name):
    """Every item of NOKUT's variable list (2021–2025) is a block and a question before its year
    (underv_engasj_18); an institution's own column of a word and a year (kull_2019), or one
    whose year is before the survey's first (2013), is no item named with a four-digit year: the
    file was refused for it ("an item column named with a four-digit year")."""
    path = write(tmp_path / "sb.csv", f"studprog_kod;aar;{name};overord_altialt_13\nA;2025;x;5\nA;2025;y;3\n")
    read = read_survey_respondents(path)
    assert list(read.frame["overord_altialt_13"]) == [5, 3]
    assert name not in read.frame.columns


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_column_named_as_an_item_with_a_year_before_the_survey_is_named_in_the_note(tmp_path, run_cli, fmt):
    """NOKUT's item laerutb_teori_13 named with a year of four digits before the survey's first
    (2013), laerutb_teori_2012, was passed over as background without a word: the adviser who
    meant a question did not learn it was not read. Still not read (nor refused: a background
    column may be named so), and named in the survey's note; a word and a year (kull_2019) is
    not."""
    header = ["studprog_kod", "aar", "laerutb_teori_2012", "Studiestart_kull_2011", "kull_2019", "laerutb_teori_13"]
    rows = [["MTDT", 2025, answer, 2011, 2019, answer] for answer in (1, 2, 3, 4, 5, 4, 3)]
    if fmt == "csv":  # as Norwegian Excel saves it
        path = tmp_path / "sb.csv"
        lines = [";".join(map(str, row)) for row in [header, *rows]]
        path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    else:
        path = tmp_path / "sb.xlsx"
        book = openpyxl.Workbook()
        for row in [header, *rows]:
            book.active.append(row)
        book.save(path)
    read = read_survey_respondents(path)
    assert list(read.frame["laerutb_teori_13"]) == [1, 2, 3, 4, 5, 4, 3]
    assert not {"laerutb_teori_2012", "Studiestart_kull_2011", "kull_2019"} & set(read.frame.columns)
    rc, out, err = run_cli(["survey", path, "--out", tmp_path / "ut.csv"])
    assert rc == 0, err
    notes = [line for line in err.splitlines() if "named as NOKUT names a question" in line]
    assert notes == [
        "kvalitet survey: note: Studiestart_kull_2011 and laerutb_teori_2012: named as NOKUT names a question, but "
        "with a year before the survey's first (2013): not read as items (a question: rename the column by NOKUT's "
        "variable name, as the survey's variable list writes it; a background column of your own: nothing to do)"
    ]
    written = pd.read_csv(tmp_path / "ut.csv", sep=";", encoding="utf-8-sig")
    assert list(written["Variabel"]) == ["laerutb_teori_13"]


@pytest.mark.parametrize("name", ["miljo_sosial_2013", "tilbveil_konstru_2016", "ki_bruk_omfang_2025"])
def test_an_item_of_a_block_and_a_question_with_a_four_digit_year_is_refused(tmp_path, name):
    """The other side: an item's name as NOKUT writes it, its year of four digits."""
    path = write(tmp_path / "sb.csv", f"studprog_kod;aar;{name};overord_altialt_13\nA;2025;4;5\n")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (1, name, name)
    two_digits = f"{name[:-5]}_{name[-2:]}"
    assert f"(as {two_digits} would); it would not be counted" in problem.message
    assert problem.hint.endswith(
        f"a background column of your own, not a question: a name that does not end in {name[-5:]}"
    )


@pytest.mark.parametrize(
    ("header", "rows", "passed_over", "kept", "note"),
    [
        # NOKUT's time use (tidsbruk_*_14, hours a week: OsloMet's code sums them as hours) and
        # campus attendance (campus_oppmote_25, days a week; the variable list's block CAMPUS, with
        # its recoding campus_oppmote_25_omkoda): 15 hours refused the whole file as "not a valid
        # answer"; the items beside them are counted as before
        pytest.param(
            "studprog_kod;aar;tidsbruk_egeninns_14;campus_oppmote_25;campus_oppmote_25_omkoda;overord_altialt_13",
            ["A;2025;15;0;1;5", "A;2025;20;6;3;3", "A;2025;;;;9999"],
            {"tidsbruk_egeninns_14", "campus_oppmote_25"},
            {"overord_altialt_13": [5, 3, 9999]},
            "note: campus_oppmote_25, campus_oppmote_25_omkoda and tidsbruk_egeninns_14: NOKUT's questions of "
            "attendance on campus (days a week); time use (hours a week), not answered on the 1–5 scale: not counted "
            "as items (nothing to do)",
            id="hours or days",
        ),
        # the variable list 2021–2025 (2023–): why the student chose the place and the programme on
        # 1–3 ("[1 (Ikke viktig) - 2 (Litt viktig) - 3 (Viktig)]", studsted_*_23, studprog_*_23), use
        # of AI on 1–4 (bruker_ki_23), and what AI is used for, ticked or not ("Flere svar mulig.
        # (Andel avkrysset …)", ki_gentekst_23 …) were read as items on the 1–5 scale: a "mean" of
        # 1–3, or of ticks, beside the scores; opplaer_ki_24 and ki_retningslinjer_25 ("I hvilken
        # grad …", 1–5) stay items, as the programme key studprog_kod stays the key
        pytest.param(
            "studprog_kod;aar;studprog_fagint_23;studsted_by_23;bruker_ki_23;ki_gentekst_23;opplaer_ki_24;"
            "ki_retningslinjer_25",
            ["A;2025;3;1;4;1;5;4", "A;2025;2;3;1;0;2;9999"],
            {"studprog_fagint_23", "studsted_by_23", "bruker_ki_23", "ki_gentekst_23"},
            {"opplaer_ki_24": [5, 2], "ki_retningslinjer_25": [4, 9999]},
            "note: bruker_ki_23, ki_gentekst_23, studprog_fagint_23 and studsted_by_23: NOKUT's questions of use of "
            "artificial intelligence (1–4: not … often); what artificial intelligence is used for (ticked or not); why "
            "this programme (1–3: not, a little, important); why this place of study (1–3: not, a little, important), "
            "not answered on the 1–5 scale: not counted as items (nothing to do)",
            id="another scale",
        ),
    ],
)
def test_nokuts_questions_not_on_the_1_to_5_scale_are_not_items_and_said_so(
    tmp_path, run_cli, header, rows, passed_over, kept, note
):
    """NOKUT's questions named as items but not answered on the 1–5 scale
    (schemas.survey_layout.NOT_ON_THE_SCALE_QUESTIONS, one list) are passed over and named in the
    survey's note with what they are answered in; the items beside them are read as before."""
    path = write(tmp_path / "sb.csv", "\n".join([header, *rows]) + "\n")
    read = read_survey_respondents(path)
    assert passed_over.isdisjoint(read.frame.columns)
    assert {column: list(read.frame[column]) for column in kept} == kept
    rc, out, err = run_cli(["survey", path, "--out", tmp_path / "ut.csv"])
    assert rc == 0, err
    assert note in err


def test_background_columns_and_nokut_indices_are_still_passed_over(tmp_path):
    path = write(tmp_path / "sb.csv", "studprog_kod;aar;kjonn;indeks_underv_2025;overord_altialt_13\nA;2025;K;4,2;5\n")
    assert list(read_survey_respondents(path).frame["overord_altialt_13"]) == [5]
