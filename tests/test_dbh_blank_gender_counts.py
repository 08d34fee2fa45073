"""An empty ``Antall kvinner``/``Antall menn`` beside ``Antall totalt`` (a JSON ``null`` or
``""``, a CSV's empty field) is not DBH's mark of a hidden cell: every real DBH export at hand
writes that as 0 in both beside the total. It is refused with one message in the JSON and the
CSV reader, naming file, row, column and value, with a hint that keeps the total (before: the
JSON said "download the table again", the CSV "fill in the value or remove the row", which
loses the total)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.readers import read_path

T123_JSON = "dbh_api/dbh_api_t123_1150.json"
NATIONAL = "dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"


def refused(path) -> list:
    with pytest.raises(InputError) as err:
        read_path(path)
    return err.value.problems


def real_json_with_first_row(tmp_path, real_file, **cells):
    doc = json.loads(real_file(T123_JSON).read_text(encoding="utf-8"))
    doc[1].update(cells)
    path = tmp_path / "dbh_api_t123_1150.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path, doc[1]["Antall totalt"]


def real_csv_with_second_line(tmp_path, real_file, women, men):
    lines = real_file(NATIONAL).read_text(encoding="utf-8").splitlines()[:20]
    cells = lines[1].split(";")
    assert cells[10:] == ['"227"', '"136"']  # Antall kvinner, Antall menn of line 2
    lines[1] = ";".join([*cells[:10], women, men])
    path = tmp_path / "dbh_t123_utdrag.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, cells[9].strip('"')


def said(problems) -> set:
    return {(p.row, p.column, p.value or None, p.message, p.hint) for p in problems}


@pytest.mark.parametrize("blank", [None, ""])
def test_json_and_csv_say_an_empty_gender_count_alike(tmp_path, real_file, blank):
    json_path, json_total = real_json_with_first_row(
        tmp_path, real_file, **{"Antall kvinner": blank, "Antall menn": blank}
    )
    csv_path, csv_total = real_csv_with_second_line(tmp_path, real_file, '""' if blank == "" else "", "")
    from_json, from_csv = refused(json_path), refused(csv_path)
    assert [(p.row, p.column) for p in from_json] == [(1, "Antall kvinner"), (1, "Antall menn")]
    assert [(p.row, p.column) for p in from_csv] == [(2, "Antall kvinner"), (2, "Antall menn")]
    assert {p.file for p in from_json} == {str(json_path)}
    # one message: the same words but for the row and the total of each file
    as_json = {(c, v, m.replace(json_total, "T"), h.replace(json_total, "T")) for _, c, v, m, h in said(from_json)}
    as_csv = {(c, v, m.replace(csv_total, "T"), h.replace(csv_total, "T")) for _, c, v, m, h in said(from_csv)}
    assert as_json == as_csv
    for p in from_json + from_csv:
        assert p.value in (None, "")
        assert "beside the total" in p.message
        assert "remove the row" not in p.hint  # the total is kept
        assert "write 0 in both Antall kvinner and Antall menn" in p.hint


def test_the_hint_reads_the_row_as_hidden_with_its_total(tmp_path, real_file):
    """What the hint says to do gives what it promises: the row suppressed, its total kept."""
    path, total = real_json_with_first_row(tmp_path, real_file, **{"Antall kvinner": "0", "Antall menn": "0"})
    frame = read_path(path).frame
    row = frame.loc[frame["source_row"] == 1].iloc[0]
    assert (row["total"], bool(row["suppressed"])) == (int(total), True)
    assert row["women"] is pd.NA and row["men"] is pd.NA


def test_only_one_gender_empty_is_said_on_that_cell(tmp_path, real_file):
    path, total = real_json_with_first_row(tmp_path, real_file, **{"Antall menn": None})
    (problem,) = refused(path)
    assert (problem.row, problem.column, problem.value or None) == (1, "Antall menn", None)
    assert problem.message.startswith(f"value is missing beside the total of {total} (Antall totalt):")


def test_an_empty_gender_count_is_said_in_the_same_run_as_the_other_null_cells(tmp_path, real_file):
    """One run shows every problem: a null Årstall in one record and a null Antall kvinner in
    another are both said (before: the gender count only once the year was mended, as it was
    left to the count table's reader, which runs after the null cells are refused)."""
    doc = json.loads(real_file(T123_JSON).read_text(encoding="utf-8"))
    doc[1]["Årstall"] = None
    doc[2]["Antall kvinner"] = None
    path = tmp_path / "dbh_api_t123_1150.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    problems = refused(path)
    assert [(p.row, p.column) for p in problems] == [(1, "Årstall"), (2, "Antall kvinner")]
    assert problems[1].message.startswith(
        f"value is missing beside the total of {doc[2]['Antall totalt']} (Antall totalt):"
    )


def test_an_empty_gender_count_is_said_by_what_the_total_beside_it_is(tmp_path, real_file):
    """The message read "beside the total abc" where the total was no count, and promised "the
    row is then read as hidden, its total kept" beside a total of 0, where 0 in both is an empty
    unit, not a hidden cell (a second reader, 2026-12-04). Each total now gets its own words, and
    doing what the hint says gives what it promises."""
    # a count above 0 (with a thousands space): named as the count it is, and kept
    path, _ = real_json_with_first_row(tmp_path, real_file, **{"Antall kvinner": None, "Antall totalt": "1 234"})
    (p,) = refused(path)
    assert p.message.startswith("value is missing beside the total of 1234 (Antall totalt): ")
    assert p.hint.endswith(
        "write 0 in both Antall kvinner and Antall menn: the row is then read as hidden, its total of 1234 kept"
    )
    path, _ = real_json_with_first_row(
        tmp_path, real_file, **{"Antall kvinner": "0", "Antall menn": "0", "Antall totalt": "1 234"}
    )
    row = read_path(path).frame.query("source_row == 1").iloc[0]
    assert (row["total"], bool(row["suppressed"])) == (1234, True)

    # a total of 0: both counts are 0, nothing is hidden
    path, _ = real_json_with_first_row(tmp_path, real_file, **{"Antall kvinner": None, "Antall totalt": "0"})
    (p,) = refused(path)
    assert p.message.startswith("value is missing beside the total of 0 (Antall totalt): a unit without students has 0")
    assert "hidden" not in p.hint and "kept" not in p.hint
    assert p.hint == "write 0 in the empty cell, or download the table again"
    path, _ = real_json_with_first_row(
        tmp_path, real_file, **{"Antall kvinner": "0", "Antall menn": "0", "Antall totalt": "0"}
    )
    row = read_path(path).frame.query("source_row == 1").iloc[0]
    assert (row["total"], bool(row["suppressed"])) == (0, False)  # an empty unit, as the hint says

    # a total that is no count: no "beside the total abc", no total to keep; the parser's reason
    for given, why in (("abc", "not a number"), ("-5", "a count cannot be negative")):
        path, _ = real_json_with_first_row(tmp_path, real_file, **{"Antall kvinner": None, "Antall totalt": given})
        (p,) = refused(path)
        assert p.message == (
            f"value is missing, and the total beside it (Antall totalt '{given}') is not a count either ({why}): "
            "the row has no figure to read"
        )
        assert "kept" not in p.hint and p.hint.startswith("download the table again")
