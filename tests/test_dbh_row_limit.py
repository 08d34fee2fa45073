"""A DBH file that fills its query's row limit (``begrensning``) may have been cut there: refused
when an adviser's own download is read, by the rule ``kvalitet fetch`` keeps
(:func:`analysis.fetch.dbh.fills_row_limit`). Before, only ``fetch`` refused it: a JSON whose
status ``antall`` equals the rows delivered, or a CSV (no status at all), was read whole
without a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.fetch import dbh as fetch
from analysis.readers import read_path

T123_JSON = "dbh_api/dbh_api_t123_1150.json"
NATIONAL = "dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"


def with_query(folder, name, limit):
    """The provenance manifest of the raw folder ``folder``: ``name`` was asked for with at most
    ``limit`` rows (HK-dir's national query otherwise, as in data/raw/MANIFEST.json)."""
    query = {
        "tabell_id": 123,
        "api_versjon": 1,
        "statuslinje": "J",
        "begrensning": str(limit),
        "groupBy": ["Institusjonskode", "Avdelingskode", "Årstall", "Semester", "Studentkategori"],
    }
    (folder / "MANIFEST.json").write_text(json.dumps({"files": [{"file": name, "query": query}]}), encoding="utf-8")


def test_a_json_response_that_fills_its_row_limit_is_refused(tmp_path, real_file):
    path = tmp_path / "dbh_api_t123_1150.json"
    path.write_bytes(real_file(T123_JSON).read_bytes())  # 349 rows, status antall 349
    with_query(tmp_path, path.name, 349)
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (str(path), 349, "status.antall", 349)
    assert "row limit (begrensning) of 349" in problem.message and "rows may be missing" in problem.message


def test_a_json_response_below_its_row_limit_is_read(tmp_path, real_file):
    path = tmp_path / "dbh_api_t123_1150.json"
    path.write_bytes(real_file(T123_JSON).read_bytes())
    with_query(tmp_path, path.name, 350)
    assert len(read_path(path).frame) == 349


def test_a_csv_export_that_fills_its_row_limit_is_refused(tmp_path, real_file):
    # the national export's first 1000 rows, as a query with "begrensning": "1000" returns them
    lines = real_file(NATIONAL).read_text(encoding="utf-8").splitlines()[:1001]
    path = tmp_path / "dbh_t123_alle.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with_query(tmp_path, path.name, 1000)
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (1001, None, 1000)  # its last line
    with_query(tmp_path, path.name, 1001)
    assert len(read_path(path).frame) == 1000


def test_fetch_keeps_the_same_rule_with_the_query_it_sends():
    body = fetch.query_body(123, group_by=["Årstall"])
    assert fetch.row_limit(body) == fetch.ROW_LIMIT == int(body["begrensning"])
    assert fetch.fills_row_limit(fetch.ROW_LIMIT, body) == fetch.ROW_LIMIT
    assert fetch.fills_row_limit(fetch.ROW_LIMIT - 1, body) is None
    small = {**body, "begrensning": "2"}
    query = fetch.Query(123, small, "t123.json", "registered students")
    content = json.dumps([{"status": {"tabell_id": 123, "antall": 2, "returkode": 0}}, {"a": "1"}, {"a": "2"}])
    with pytest.raises(fetch.FetchError) as err:
        fetch.check_json(query, content.encode())
    assert "fills the row limit of 2" in err.value.problem.message


def test_a_total_record_added_below_a_json_response_is_not_counted_as_a_row_of_it(tmp_path, real_file):
    """Rows are counted as the CSV reader counts them: without a total row added by hand. A
    response without a status line of 348 records, below its limit of 349, with a "Totalt"
    record added, was refused as filling its limit (at the total record), and the adviser sent
    to download it again in parts; it is the total row."""
    rows = json.loads(real_file(T123_JSON).read_text(encoding="utf-8"))[1:349]
    total = {
        **rows[0],
        "Avdelingskode": "Totalt",
        "Antall totalt": "999",
        "Antall kvinner": "500",
        "Antall menn": "499",
    }
    path = tmp_path / "dbh_api_t123_1150.json"
    path.write_text(json.dumps([*rows, total], ensure_ascii=False), encoding="utf-8")
    with_query(tmp_path, path.name, 349)
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (349, "Avdelingskode", "Totalt")
    assert problem.message.startswith("a total row")


def test_a_csv_export_that_fills_its_row_limit_is_named_at_its_last_row_of_data(tmp_path, real_file):
    """The national export's first 1000 rows (a query's limit of 1000) and a total row added below
    them: the file is named at line 1001, its last row of data, not at the total row."""
    lines = real_file(NATIONAL).read_text(encoding="utf-8").splitlines()[:1001]
    total = ['"Totalt"', *['""'] * 8, '"99999"', '"1"', '"2"']
    path = tmp_path / "dbh_t123_alle.csv"
    path.write_text("\n".join([*lines, ";".join(total)]) + "\n", encoding="utf-8")
    with_query(tmp_path, path.name, 1000)
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (1001, None, 1000)
    assert "row limit (begrensning) of 1000" in problem.message


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_a_limit_no_answer_can_fill_is_no_limit(tmp_path, real_file, limit):
    """A begrensning of 0 or below cannot have cut an answer of 349 rows: DBH did not stop there.
    Such a query's limit is not known (1,000,000, as without one); before, every file of it was
    refused as filling "its query's row limit (begrensning) of 0"."""
    path = tmp_path / "dbh_api_t123_1150.json"
    path.write_bytes(real_file(T123_JSON).read_bytes())
    with_query(tmp_path, path.name, limit)
    assert len(read_path(path).frame) == 349
    assert fetch.row_limit({"begrensning": limit}) == fetch.ROW_LIMIT


def test_a_limit_that_is_not_a_number_is_not_named_as_the_querys():
    """A begrensning that is no whole number ("alle") gives no limit of the query's own: a file of
    1,000,000 rows is said to fill DBH-API's limit, not "its query's row limit (begrensning)"."""
    from analysis.readers.dbh import _row_limit_problem

    problem = _row_limit_problem(Path("t123.csv"), list(range(2, fetch.ROW_LIMIT + 2)), None, {"begrensning": "alle"})
    assert problem is not None
    assert "1000000, the row limit kvalitet fetch and HK-dir's national export ask DBH-API for" in problem.message
    assert "begrensning) of" not in problem.message


def test_rows_that_are_not_json_objects_past_the_limit_are_counted_on_the_next_ones_line(tmp_path, real_file):
    """25 data rows written as arrays (a response re-saved by a tool that dropped the keys): 20
    listed and the 21st counting the 4 below it, as every reader's line past its limit; the rows
    past the 20th were left out without a word."""
    from analysis.readers.dbh import MAX_ROWS_LISTED

    status, *rows = json.loads(real_file("dbh_api/dbh_api_t123_1150.json").read_text(encoding="utf-8"))
    edited = [list(row.values()) if i < 25 else row for i, row in enumerate(rows)]
    path = tmp_path / "dbh_api_t123_1150.json"
    path.write_text(json.dumps([status, *edited], ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path)
    problems = err.value.problems
    assert [p.row for p in problems] == list(range(1, MAX_ROWS_LISTED + 2))
    assert problems[-1].value == edited[MAX_ROWS_LISTED]
    assert problems[-1].message == (
        f"a data row must be a JSON object; {25 - MAX_ROWS_LISTED - 1} more rows that are not JSON objects are not listed"
    )
