"""DBH's semester and student category read from their name columns (``Semesternavn``,
``Kategoritekst``) when the code column is not there, and checked against it when it is.

A bad-input hunt (2026-12-03): the national export without its ``Semester`` column, its
``Semesternavn`` still there, was refused with "the file has no Semester column".

Provenance: every file here is an extract of the real national export
``shared/data/raw/dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv``
(its header and its first lines, plus lines 539 and 546, whose Studentkategori is a lower-case
``s``), with a column taken out or one cell changed as each test says. Row numbers are the
extract's lines (line 1 the header). The expected codes are read by hand from the raw lines
quoted, or from the code column of the unchanged lines (not from the reader).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis import paths
from analysis.errors import InputError
from analysis.readers import read_path

NATIONAL = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"


def extract(tmp_path: Path, drop: tuple[str, ...] = (), change: dict[tuple[int, str], str] | None = None) -> Path:
    """The national export's header, lines 2–60, 539 and 546, without the columns ``drop``
    and with the cells ``change`` ((extract line, header) -> text) changed."""
    lines = NATIONAL.read_text(encoding="utf-8-sig").splitlines()
    records = list(csv.reader([*lines[:60], lines[538], lines[545]], delimiter=";"))
    header = records[0]
    for (line, column), text in (change or {}).items():
        records[line - 1][header.index(column)] = text
    kept = [i for i, h in enumerate(header) if h not in drop]
    assert len(kept) == len(header) - len(drop)
    path = tmp_path / NATIONAL.name
    path.write_text("\n".join(";".join(r[i] for i in kept) for r in records) + "\n", encoding="utf-8")
    return path


def raw_codes(column: str) -> list[str]:
    """The code column of the extract's rows, as the export writes them."""
    lines = NATIONAL.read_text(encoding="utf-8-sig").splitlines()
    records = list(csv.reader([*lines[:60], lines[538], lines[545]], delimiter=";"))
    return [r[records[0].index(column)] for r in records[1:]]


def test_without_the_semester_column_the_semester_is_read_from_its_name(tmp_path):
    result = read_path(extract(tmp_path, drop=("Semester",)))
    frame = result.frame.sort_values("source_row")
    # line 2: …;"1998";"1";"Vår";"S";"Studenter";"363";"227";"136" -> spring
    assert frame.iloc[0][["year", "semester", "total"]].tolist() == [1998, "spring", 363]
    words = {"1": "spring", "2": "summer", "3": "autumn"}
    assert frame["semester"].tolist() == [words[c] for c in raw_codes("Semester")]
    assert {"spring", "autumn"} <= set(frame["semester"])


def test_without_the_category_column_the_category_is_read_from_its_name(tmp_path):
    result = read_path(extract(tmp_path, drop=("Studentkategori",)))
    frame = result.frame.sort_values("source_row")
    # line 539 of the export (61 of the extract): "0214";…;"2000";"3";"Høst";"s";"Studenter";"207";… -> S
    assert frame.iloc[-2][["year", "semester", "student_category", "total"]].tolist() == [2000, "autumn", "S", 207]
    assert frame["student_category"].tolist() == [c.upper() for c in raw_codes("Studentkategori")]
    assert {"S", "P"} <= set(frame["student_category"])


def test_without_either_code_column_both_are_read_from_their_names(tmp_path):
    result = read_path(extract(tmp_path, drop=("Semester", "Studentkategori")))
    assert result.rows == 61
    frame = result.frame.sort_values("source_row")
    # line 3: …;"2010";"1";"Vår";"P";"Personer uten studierett";"6";"3";"3"
    assert frame.iloc[1][["year", "semester", "student_category", "total"]].tolist() == [2010, "spring", "P", 6]


def test_a_name_dbh_does_not_write_is_an_error_where_it_is_the_only_column(tmp_path):
    path = extract(
        tmp_path,
        drop=("Semester", "Studentkategori"),
        change={(2, "Semesternavn"): "Våren", (4, "Kategoritekst"): "Student"},
    )
    with pytest.raises(InputError) as err:
        read_path(path)
    assert [(p.row, p.column, p.value) for p in err.value.problems] == [
        (2, "Semesternavn", "Våren"),
        (4, "Kategoritekst", "Student"),
    ]
    semester, category = err.value.problems
    assert "Vår (1), Sommer (2), Høst (3)" in semester.message
    assert "Studenter (S), Personer uten studierett (P), Andre (A)" in category.message


def test_a_missing_name_without_its_code_column_is_a_missing_value(tmp_path):
    path = extract(tmp_path, drop=("Semester",), change={(5, "Semesternavn"): ""})
    with pytest.raises(InputError) as err:
        read_path(path)
    assert [(p.row, p.column, p.message) for p in err.value.problems] == [(5, "Semesternavn", "value is missing")]
    assert "no Semester column" in err.value.problems[0].hint


def test_a_name_that_is_not_its_codes_name_is_an_error(tmp_path):
    # line 2 has Semester 1 (Vår) and Studentkategori S (Studenter); line 61 (export line 539)
    # has the lower-case s, whose name Studenter agrees
    path = extract(tmp_path, change={(2, "Semesternavn"): "Høst", (3, "Kategoritekst"): "Studenter"})
    with pytest.raises(InputError) as err:
        read_path(path)
    assert [(p.row, p.column, p.value) for p in err.value.problems] == [
        (2, "Semesternavn", "Høst"),
        (3, "Kategoritekst", "Studenter"),
    ]
    assert "Semester is 1, whose name is Vår" in err.value.problems[0].message
    assert "Studentkategori is P, whose name is Personer uten studierett" in err.value.problems[1].message


def test_a_name_in_another_case_is_the_same_name(tmp_path):
    """A second reader (2026-12-03): "høst" (and "STUDENTER ") were refused as "not one of DBH's
    names", beside a code column that was right and without one."""
    change = {(2, "Semesternavn"): "vår", (3, "Kategoritekst"): " personer uten studierett", (4, "Semesternavn"): "VÅR"}
    for drop in ((), ("Semester", "Studentkategori")):
        frame = read_path(extract(tmp_path, drop=drop, change=change)).frame.sort_values("source_row")
        # lines 2–4 of the export: Semester 1, 1, 1 and Studentkategori S, P, S (raw_codes)
        assert frame.iloc[:3]["semester"].tolist() == ["spring"] * 3, drop
        assert frame.iloc[:3]["student_category"].tolist() == [c.upper() for c in raw_codes("Studentkategori")[:3]]


def test_beside_its_code_column_a_name_dbh_does_not_write_reads_the_code(tmp_path):
    """The code column is read as it was before the names were (a second reader, 2026-12-03:
    "Student" beside a right "S" refused a file that had been read). Only a DBH name that is
    another code's is an error there (the test above)."""
    frame = read_path(extract(tmp_path, change={(2, "Kategoritekst"): "Student"})).frame.sort_values("source_row")
    assert frame.iloc[0]["student_category"] == raw_codes("Studentkategori")[0].upper()


def words_in_the_semester_column() -> dict[tuple[int, str], str]:
    """Each extract line's ``Semester`` cell replaced by that line's own ``Semesternavn`` (the
    words DBH writes: ``Vår``, ``Høst``), as an export that wrote the names in the code column."""
    return {(line, "Semester"): name for line, name in enumerate(raw_codes("Semesternavn"), start=2)}


@pytest.mark.parametrize("drop", [(), ("Semesternavn",)])
def test_dbhs_semester_names_in_the_semester_column_are_read_as_their_codes(tmp_path, drop):
    """A bad-input hunt (2026-12-04): an export whose ``Semester`` holds "Vår"/"Høst" was refused
    with "Semester must be 1 (vår), 2 (sommer) or 3 (høst)"."""
    frame = read_path(extract(tmp_path, drop=drop, change=words_in_the_semester_column())).frame
    frame = frame.sort_values("source_row")
    # line 2: …;"1998";"1";"Vår";… -> spring; the others by the export's own codes
    assert frame.iloc[0][["year", "semester", "total"]].tolist() == [1998, "spring", 363]
    words = {"1": "spring", "2": "summer", "3": "autumn"}
    assert frame["semester"].tolist() == [words[c] for c in raw_codes("Semester")]
    assert {"spring", "autumn"} <= set(frame["semester"])


def test_in_the_semester_column_a_word_dbh_does_not_write_is_still_an_error(tmp_path):
    change = {
        **words_in_the_semester_column(),
        (2, "Semester"): "Våren",
        (3, "Semester"): "4",
        (4, "Semester"): " høst",
    }
    with pytest.raises(InputError) as err:
        read_path(extract(tmp_path, drop=("Semesternavn",), change=change))
    assert [(p.row, p.column, p.value) for p in err.value.problems] == [(2, "Semester", "Våren"), (3, "Semester", "4")]
    assert "Semester must be 1 (vår), 2 (sommer) or 3 (høst)" in err.value.problems[0].message
