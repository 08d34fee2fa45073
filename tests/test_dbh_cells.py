"""DBH count tables cell by cell (``analysis.readers.dbh``, issue 13): what a masked row is,
why it is masked, when women + men is worth a warning, and what each row is a count of.

Every file is written by hand here in the shape DBH-API returns it (``hentCSVTabellData``:
semicolon-separated, Norwegian header; ``hentJSONTabellData``: a status object, then rows of
strings). The expected values follow from the rules in the module's docstring:

* kvinner = menn = 0 with totalt > 0 is masked: women and men unknown, never 0;
* a masked row with at least ``NO_SPLIT_MIN_TOTAL`` (200) students is ``no_gender_split``, a
  smaller one ``small_cell``; a row that is not masked has no reason;
* women + men ≠ total is read as given with a warning, unless a gender exceeds the total (that
  is an error of the row, not a warning).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.readers import read_path
from analysis.readers.dbh import NO_SPLIT_MIN_TOTAL, masked_cells

HEADER = "Årstall;Avdelingskode;Antall totalt;Antall kvinner;Antall menn\n"


def csv(tmp_path: Path, lines: list[str], header: str = HEADER, name: str = "t123.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def response(tmp_path: Path, table: int, rows: list[dict], name: str = "dbh_api_t1150.json") -> Path:
    status = {
        "status": {
            "tabell_id": table,
            "api_versjon": 1,
            "antall": len(rows),
            "returkode": 0,
            "melding": "Data levert.",
        }
    }
    path = tmp_path / name
    path.write_text(json.dumps([status, *rows], ensure_ascii=False), encoding="utf-8")
    return path


def by_unit(result) -> dict[str, dict]:
    return {r["unit_code"]: r for r in result.frame.to_dict("records")}


def known(value) -> int | None:
    return None if pd.isna(value) else int(value)


# --- masked rows: unknown, never zero, and why ------------------------------------------------


def test_the_size_of_a_masked_row_says_why_it_is_masked():
    assert NO_SPLIT_MIN_TOTAL == 200  # derived from the national export (module docstring)


@pytest.mark.parametrize(
    ("total", "reason"),
    [
        ("1", "small_cell"),
        ("3", "small_cell"),
        ("199", "small_cell"),
        ("200", "no_gender_split"),
        ("9266", "no_gender_split"),
    ],
)
def test_a_masked_row_is_unknown_with_its_reason(tmp_path, total, reason):
    # kvinner = menn = 0 with a total: both genders unknown; 199 is below 200, 200 is not
    result = read_path(csv(tmp_path, [f"2019;194000;{total};0;0"]))
    (row,) = result.frame.to_dict("records")
    assert bool(row["suppressed"])
    assert pd.isna(row["women"]) and pd.isna(row["men"])
    assert int(row["total"]) == int(total)
    assert row["suppression"] == reason
    assert result.suppressed == 1 and result.warnings == []


def test_rows_that_are_not_masked_keep_their_counts_and_have_no_reason(tmp_path):
    # a real zero of one gender (0 + 12, 250 + 0), and an empty unit (0, 0, 0): all known
    result = read_path(
        csv(tmp_path, ["2019;194000;12;0;12", "2019;194100;250;250;0", "2019;194200;0;0;0", "2019;194300;7;3;4"])
    )
    rows = by_unit(result)
    assert {u: (known(r["total"]), known(r["women"]), known(r["men"])) for u, r in rows.items()} == {
        "194000": (12, 0, 12),
        "194100": (250, 250, 0),
        "194200": (0, 0, 0),
        "194300": (7, 3, 4),
    }
    assert not any(r["suppressed"] for r in rows.values())
    assert all(pd.isna(r["suppression"]) for r in rows.values())
    assert result.suppressed == 0 and result.warnings == []


def test_masked_and_known_rows_side_by_side(tmp_path):
    # one file: a small cell (11), a unit without a split (1 203), a known row, an empty unit
    result = read_path(
        csv(tmp_path, ["2020;271720;11;0;0", "2020;110300;1203;0;0", "2020;000000;57;30;27", "2020;120510;0;0;0"])
    )
    rows = by_unit(result)
    assert {
        u: (bool(r["suppressed"]), None if pd.isna(r["suppression"]) else r["suppression"]) for u, r in rows.items()
    } == {
        "271720": (True, "small_cell"),
        "110300": (True, "no_gender_split"),
        "000000": (False, None),
        "120510": (False, None),
    }
    assert (known(rows["000000"]["women"]), known(rows["000000"]["men"])) == (30, 27)
    assert known(rows["110300"]["women"]) is None and known(rows["271720"]["men"]) is None
    assert result.suppressed == 2


def test_a_masked_row_in_a_json_response_of_another_count_table(tmp_path):
    # table 110 (new students): the same mask, the measure named by the table
    rows = [
        {"Årstall": "2024", "Avdelingskode": "194000", "Antall totalt": "5", "Antall kvinner": "0", "Antall menn": "0"},
        {
            "Årstall": "2024",
            "Avdelingskode": "194100",
            "Antall totalt": "320",
            "Antall kvinner": "0",
            "Antall menn": "0",
        },
        {"Årstall": "2024", "Avdelingskode": "194200", "Antall totalt": "9", "Antall kvinner": "4", "Antall menn": "5"},
    ]
    result = read_path(response(tmp_path, 110, rows))
    assert result.kind == "dbh-110-json"
    got = by_unit(result)
    assert {u: r["suppression"] if r["suppressed"] else None for u, r in got.items()} == {
        "194000": "small_cell",
        "194100": "no_gender_split",
        "194200": None,
    }
    assert {r["measure"] for r in got.values()} == {"new_students"}
    # table 110 has no student categories: none is named, not even "unstated"
    assert all(pd.isna(r["student_category"]) for r in got.values())


@pytest.mark.parametrize(
    ("table", "measure"), [(110, "new_students"), (112, "admissions"), (123, "registered"), (132, "applications")]
)
def test_each_count_table_counts_its_own_measure(tmp_path, table, measure):
    rows = [
        {"Årstall": "2024", "Avdelingskode": "194000", "Antall totalt": "9", "Antall kvinner": "4", "Antall menn": "5"}
    ]
    result = read_path(response(tmp_path, table, rows))
    (row,) = result.frame.to_dict("records")
    assert (result.kind, row["measure"]) == (f"dbh-{table}-json", measure)
    # only table 123 has student categories; a file without the column and without a known
    # query does not say which it counts
    if table == 123:
        assert row["student_category"] == "unstated"
    else:
        assert pd.isna(row["student_category"])
    assert row["semester"] == "unstated"


# --- women + men and the total ---------------------------------------------------------------


def test_women_and_men_that_do_not_add_up_are_read_as_given_with_a_warning(tmp_path):
    # line 2: 5 + 6 = 11 ≠ 12: a warning on line 2 naming both columns; line 3 adds up
    result = read_path(csv(tmp_path, ["2019;194000;12;5;6", "2019;194100;12;5;7"]))
    rows = by_unit(result)
    assert (known(rows["194000"]["women"]), known(rows["194000"]["men"]), known(rows["194000"]["total"])) == (5, 6, 12)
    (warning,) = [w for w in result.warnings if w.row == 2]
    assert (warning.column, warning.value) == ("Antall kvinner+Antall menn", "5+6")
    assert "women + men is not the total 12" in warning.message
    assert {w.row for w in result.warnings} == {2}


def test_a_gender_above_the_total_is_an_error_not_a_warning(tmp_path):
    # 14 women of 12: the row is wrong, not merely unbalanced; 15 men of 12 alike
    with pytest.raises(InputError) as err:
        read_path(csv(tmp_path, ["2019;194000;12;14;0", "2019;194100;12;0;15", "2019;194200;12;5;7"]))
    messages = {(p.row, p.message) for p in err.value.problems}
    assert (2, "more women than the total") in messages
    assert (3, "more men than the total") in messages
    assert not any("is not the total" in p.message for p in err.value.problems)


def test_women_exactly_the_total_and_men_exactly_the_total(tmp_path):
    # 12 + 0 = 12 and 0 + 12 = 12: no warning, no error (the edges of ≤ total)
    result = read_path(csv(tmp_path, ["2019;194000;12;12;0", "2019;194100;12;0;12"]))
    assert result.warnings == [] and result.suppressed == 0


def test_a_mismatch_inside_the_total_on_both_sides(tmp_path):
    # 3 + 4 = 7 < 12 and 10 + 10 = 20 > 12 with each gender ≤ 12: both are warnings
    result = read_path(csv(tmp_path, ["2019;194000;12;3;4", "2019;194100;12;10;10"]))
    assert sorted((w.row, w.value) for w in result.warnings) == [(2, "3+4"), (3, "10+10")]


# --- what a row is a count of: the unit, its level and its faculty ---------------------------


def test_a_department_table(tmp_path):
    result = read_path(csv(tmp_path, ["2019;194000;12;5;7"]))
    (row,) = result.frame.to_dict("records")
    assert (row["level"], row["unit_code"], row["department_code"], row["faculty_code"]) == (
        "department",
        "194000",
        "194000",
        "194",
    )
    assert pd.isna(row["unit_name"]) and pd.isna(row["department_name"])  # no name columns
    assert row["source_row"] == 2 and row["year"] == 2019


def test_a_programme_table_with_its_department(tmp_path):
    header = "Årstall;Avdelingskode;Studieprogramkode;Studieprogramnavn;Avdelingsnavn;Antall totalt;Antall kvinner;Antall menn\n"
    result = read_path(
        csv(tmp_path, ["2019;194000;MTDT;Datateknologi;Institutt for datateknologi;12;5;7"], header=header)
    )
    (row,) = result.frame.to_dict("records")
    assert (row["level"], row["unit_code"], row["unit_name"]) == ("programme", "MTDT", "Datateknologi")
    assert (row["department_code"], row["department_name"], row["faculty_code"]) == (
        "194000",
        "Institutt for datateknologi",
        "194",
    )


def test_a_programme_table_without_departments_has_no_faculty(tmp_path):
    header = "Årstall;Studieprogramkode;Antall totalt;Antall kvinner;Antall menn\n"
    result = read_path(csv(tmp_path, ["2019;MTDT;12;5;7", "2019;MLREAL;250;0;0"], header=header))
    rows = by_unit(result)
    assert {r["level"] for r in rows.values()} == {"programme"}
    assert all(pd.isna(r["faculty_code"]) and pd.isna(r["department_code"]) for r in rows.values())
    assert rows["MLREAL"]["suppression"] == "no_gender_split"


def test_department_names_are_the_unit_names_of_a_department_table(tmp_path):
    header = "Årstall;Avdelingskode;Avdelingsnavn;Antall totalt;Antall kvinner;Antall menn\n"
    result = read_path(csv(tmp_path, ["2019;194000;Fakultet for IE;12;5;7"], header=header))
    (row,) = result.frame.to_dict("records")
    assert (row["unit_name"], row["department_name"]) == ("Fakultet for IE", "Fakultet for IE")


def test_a_table_with_neither_departments_nor_programmes_is_refused(tmp_path):
    header = "Årstall;Institusjonskode;Antall totalt;Antall kvinner;Antall menn\n"
    with pytest.raises(InputError) as err:
        read_path(csv(tmp_path, ["2019;1150;12;5;7"], header=header))
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.message) == (1, "Avdelingskode", "required column is missing")


def test_semesters_and_categories_split_a_unit_into_several_measures(tmp_path):
    # the same department and year in spring and autumn, and in category S and P (lower case
    # as some institutions write it): four observations, none a duplicate of another
    header = "Årstall;Avdelingskode;Semester;Studentkategori;Antall totalt;Antall kvinner;Antall menn\n"
    result = read_path(
        csv(
            tmp_path,
            ["2019;194000;1;S;12;5;7", "2019;194000;3;S;14;6;8", "2019;194000;3;p;4;0;0", "2019;194000;1;P;2;1;1"],
            header=header,
        )
    )
    frame = result.frame
    assert result.rows == 4 and result.warnings == []
    got = {
        (r.semester, r.student_category): (int(r.total), r.suppression if r.suppressed else None)
        for r in frame.itertuples()
    }
    assert got == {
        ("spring", "S"): (12, None),
        ("autumn", "S"): (14, None),
        ("autumn", "P"): (4, "small_cell"),
        ("spring", "P"): (2, None),
    }


def test_an_unknown_semester_or_category_is_named(tmp_path):
    header = "Årstall;Avdelingskode;Semester;Studentkategori;Antall totalt;Antall kvinner;Antall menn\n"
    with pytest.raises(InputError) as err:
        read_path(csv(tmp_path, ["2019;194000;4;S;12;5;7", "2019;194000;1;X;12;5;7"], header=header))
    got = {(p.row, p.column, p.value) for p in err.value.problems}
    assert got == {(2, "Semester", "4"), (3, "Studentkategori", "X")}


def test_the_institution_comes_from_the_column_else_the_file_name(tmp_path):
    header = "Institusjonskode;Årstall;Avdelingskode;Antall totalt;Antall kvinner;Antall menn\n"
    result = read_path(csv(tmp_path, ["1120;2019;194000;12;5;7"], header=header, name="dbh_t123_1150.csv"))
    assert result.frame["institution_code"].tolist() == ["1120"]
    result = read_path(csv(tmp_path, ["2019;194000;12;5;7"], name="dbh_t123_1150.csv"))
    assert result.frame["institution_code"].tolist() == ["1150"]


def test_a_programme_table_without_departments_with_a_repeated_row(tmp_path):
    # line 3 repeats line 2 exactly: read once with a warning, and the two programmes kept
    # (the faculty, unknown without departments, must follow the rows kept: this crashed with
    # "array length 2 does not match index length 3")
    header = "Årstall;Studieprogramkode;Antall totalt;Antall kvinner;Antall menn\n"
    result = read_path(csv(tmp_path, ["2019;MTDT;12;5;7", "2019;MTDT;12;5;7", "2019;MLREAL;20;10;10"], header=header))
    assert result.rows == 2
    rows = by_unit(result)
    assert {u: (r["source_row"], known(r["total"])) for u, r in rows.items()} == {"MTDT": (2, 12), "MLREAL": (4, 20)}
    assert all(pd.isna(r["faculty_code"]) for r in rows.values())
    (warning,) = result.warnings
    assert warning.row == 3 and "repeats row 2 exactly" in warning.message


# --- the classification itself, on hand-made columns (analysis.readers.dbh.masked_cells) --------


def _counts(*values) -> pd.Series:
    # a frame's rows after duplicates were dropped: the index need not be 0, 1, 2 …
    return pd.Series(pd.array(list(values), dtype="Int64"), index=[10 * i + 3 for i in range(len(values))])


def test_masked_cells_by_hand():
    # rows: masked small (7, 0, 0); masked no split (200, 0, 0); just below (199, 0, 0);
    # empty unit (0, 0, 0); known (12, 5, 7); mismatch (12, 5, 6); one gender exactly the total
    # with the other above 0 (12, 12, 3) and (12, 3, 12): each within the total, so warnings
    total = _counts(7, 200, 199, 0, 12, 12, 12, 12)
    women = _counts(0, 0, 0, 0, 5, 5, 12, 3)
    men = _counts(0, 0, 0, 0, 7, 6, 3, 12)
    cells = masked_cells(total, women, men)
    assert cells.suppressed.tolist() == [True, True, True, False, False, False, False, False]
    assert cells.suppressed.dtype == bool
    assert [None if pd.isna(v) else v for v in cells.suppression] == [
        "small_cell",
        "no_gender_split",
        "small_cell",
        None,
        None,
        None,
        None,
        None,
    ]
    assert cells.suppression.dtype == "str"
    assert [None if pd.isna(v) else int(v) for v in cells.women] == [None, None, None, 0, 5, 5, 12, 3]
    assert [None if pd.isna(v) else int(v) for v in cells.men] == [None, None, None, 0, 7, 6, 3, 12]
    assert cells.mismatch.tolist() == [False, False, False, False, False, True, True, True]
    for series in (cells.women, cells.men, cells.suppressed, cells.suppression, cells.mismatch):
        assert series.index.tolist() == total.index.tolist()


def test_a_gender_above_the_total_is_no_mismatch_warning():
    # 14 women of 12 and 15 men of 12: errors of the row (the contract says so), not warnings
    cells = masked_cells(_counts(12, 12), _counts(14, 0), _counts(0, 15))
    assert cells.mismatch.tolist() == [False, False]
    assert not cells.suppressed.any()


def test_a_missing_count_decides_nothing():
    # a missing total with 0 + 0, a missing woman count with men 0 of 5, a missing total with
    # 3 + 4: none is masked and none is a mismatch (nothing is known to be wrong)
    total = _counts(None, 5, None)
    women = _counts(0, None, 3)
    men = _counts(0, 0, 4)
    cells = masked_cells(total, women, men)
    assert cells.suppressed.tolist() == [False, False, False]
    assert cells.suppression.isna().all()
    assert cells.mismatch.tolist() == [False, False, False]
    assert [None if pd.isna(v) else int(v) for v in cells.women] == [0, None, 3]
