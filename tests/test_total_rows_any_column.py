"""A total or average row ("Sum", "Totalt", "Total", "I alt", "Snitt", "Gjennomsnitt") is said once,
as what it is, at the cell that says it (file, row, column, value) with what to do, in every reader
of table rows: a respondent file, a Samordna file, a DBH table; wherever the word stands in the
row, not only in its first filled cell. Never read as data, never dropped without a word.

Before (a helper's check, 2026-12-04): a respondent file's "Totalt" row was refused cell by cell
("the code is missing", "not a valid answer" for each summed item), a Parquet file's "Totalt"
programme was counted as one more programme, a DBH row "1150,Totalt,…" was "Avdelingskode must be
six digits", and Samordna's "Gjennomsnitt" in its Nøkkeltall column an "unknown key figure".

Provenance: the DBH file is the real table-123 export (data/raw, 349 rows, header on line 1: an
added row is line 351); the Samordna file is the test fixture of the national key figures as
Excel saves them (144 records on lines 2-145: an added row is line 146); the respondent files
are written here, three respondents each (lines 2-4: an added row is line 5, Parquet row 4).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import cli_in_process

TOTAL = "(delete it: the product adds up the rows itself)"
T123_CSV = "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
KEY_FIGURES = Path(__file__).parent / "fixtures" / "samordna_national_utdrag_excel.csv"
RESPONDENTS = [
    "institusjonskode;studprog_kod;aar;underv_engasj_18;miljo_sosial_13",
    "1150;MTDT;2024;4;5",
    "1150;MTDT;2024;3;9999",
    "1150;MTDT;2024;5;2",
]


def validate(capsys, path: Path) -> tuple[int, list[str]]:
    rc, out, _ = cli_in_process(capsys, "validate", path)
    return rc, out.splitlines()


def test_a_dbh_total_row_beside_its_institution_code_is_named_at_its_word(tmp_path, real_file, capsys):
    # a DBH web export's subtotal: the institution's code, "Totalt" where the department's code is
    lines = real_file(T123_CSV).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 350
    path = tmp_path / T123_CSV
    path.write_text("\n".join([*lines, "1150,Totalt,,2019,1000,500,500"]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:351:Avdelingskode: 'Totalt' — a total row below the table {TOTAL}"]


@pytest.mark.parametrize(
    ("row", "column", "word", "what"),
    [
        # the programme's keys filled, the average in the Nøkkeltall column
        (
            "Ansgar høyskole;255480;Teologi, bachelor;Kristiansand;Historiefag;Gjennomsnitt;28;31;31;54;33;30",
            "Nøkkeltall",
            "Gjennomsnitt",
            "an average row",
        ),
        # the institution filled, the total in the programme's name
        (";;I alt;;;Alle søkere;28;31;31;54;33;30", "Studienavn", "I alt", "a total row"),
    ],
)
def test_a_samordna_total_or_average_row_is_named_at_its_word(tmp_path, capsys, row, column, word, what):
    path = tmp_path / KEY_FIGURES.name
    path.write_bytes(KEY_FIGURES.read_bytes() + row.encode("utf-8") + b"\r\n")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:146:{column}: '{word}' — {what} below the table {TOTAL}"]


@pytest.mark.parametrize(
    ("row", "column", "word", "what"),
    [
        # the items summed under the answers: 4 + 3 + 5 = 12, 5 + 2 = 7
        ("Totalt;;;12;7", "institusjonskode", "Totalt", "a total row"),
        ("1150;Sum;2024;12;7", "studprog_kod", "Sum", "a total row"),
        # (4 + 3 + 5) / 3 = 4, (5 + 2) / 2 = 3,5; the word where the first item is
        (";;;Snitt;3,5", "underv_engasj_18", "Snitt", "an average row"),
        ("1150;MTDT;Gjennomsnitt;4;3,5", "aar", "Gjennomsnitt", "an average row"),
    ],
)
def test_a_total_row_of_a_respondent_csv_is_one_problem_not_one_per_cell(tmp_path, capsys, row, column, word, what):
    path = tmp_path / "sb_2024.csv"
    path.write_text("\n".join([*RESPONDENTS, row]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:5:{column}: '{word}' — {what} below the table {TOTAL}"]


def test_a_total_row_of_a_respondent_workbook_is_named_by_its_spreadsheet_row(tmp_path, capsys):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in RESPONDENTS:
        sheet.append([int(c) if c.isdigit() else c for c in line.split(";")])
    sheet.append(["I alt", None, None, 12, 7])
    path = tmp_path / "sb_2024.xlsx"
    book.save(path)
    rc, out = validate(capsys, path)
    assert rc == 1
    assert f"{path}:5:institusjonskode: 'I alt' — a total row below the table {TOTAL}" in out
    assert not [line for line in out if "not a valid answer" in line or "code is missing" in line]


def test_a_total_row_of_a_respondent_parquet_file_is_no_programme(tmp_path, capsys):
    # before: "Totalt" was read as one more programme, and the file valid
    table = pa.table(
        {
            "institusjonskode": ["1150", "1150", "1150", "1150"],
            "studprog_kod": ["MTDT", "MTDT", "MTDT", "Totalt"],
            "aar": pa.array([2024, 2024, 2024, 2024], pa.int16()),
            # the row's summed answer (4 + 3 + 5 = 12) is no answer: not named apart from its row
            "underv_engasj_18": pa.array([4, 3, 5, 12], pa.int16()),
        }
    )
    path = tmp_path / "sb_2024.parquet"
    pq.write_table(table, path)
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:4:studprog_kod: 'Totalt' — a total row below the table {TOTAL}"]


@pytest.mark.parametrize("code", ["SUM4015", "TOTALT2", "ALTI"])
def test_a_code_that_begins_like_a_total_word_is_read(tmp_path, capsys, code):
    # a code is a word run on with its digits: not a total word on its own
    path = tmp_path / "sb_2024.csv"
    path.write_text("\n".join([*RESPONDENTS, f"1150;{code};2024;4;5"]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert (rc, out) == (0, [f"{path}: reads — sb-respondents, 4 rows"])


def test_a_total_row_among_a_samordna_json_s_records_is_named(tmp_path, capsys):
    """The national key figures as downloaded (data/raw/samordna_national, 144 records) with an
    adviser's total added as record 145: before, "Studie- kode: value is missing" and
    "Studienavn: value is missing"."""
    from analysis import paths

    source = paths.RAW / "samordna_national" / "so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json"
    records = json.loads(source.read_text(encoding="utf-8"))
    assert len(records) == 144
    total = {key: "" for key in records[0]} | {"Institusjon": "Totalt", "Nøkkeltall": "Alle søkere", "2021": "9999"}
    path = tmp_path / source.name
    path.write_text(json.dumps([*records, total], ensure_ascii=False), encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:145:Institusjon: 'Totalt' — a total row below the table {TOTAL}"]


def test_a_total_row_among_a_dbh_json_s_records_is_named(tmp_path, capsys):
    """The real DBH-API response for table 123 (data/raw/dbh_api, a status object and 349
    records) with a total record added as record 350 (the status's count raised with it): before,
    "Avdelingskode must be six digits"."""
    path = dbh_json_with_record(tmp_path, {"Årstall": "2019", "Avdelingskode": "Totalt"})
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:350:Avdelingskode: 'Totalt' — a total row below the table {TOTAL}"]


def test_a_total_record_of_a_dbh_json_whose_other_key_is_null_is_named_at_its_word(tmp_path, capsys):
    """As above, the total's word in Årstall and its Avdelingskode null, as a CSV's total row
    "Totalt,,…" leaves it empty (and as that row is said): before, "Avdelingskode: value is
    missing", the _rows_frame check refusing the file before the total rows were looked for."""
    path = dbh_json_with_record(tmp_path, {"Årstall": "Totalt", "Avdelingskode": None})
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:350:Årstall: 'Totalt' — a total row below the table {TOTAL}"]


def dbh_json_with_record(tmp_path, keys: dict) -> Path:
    """The real DBH-API response for table 123 (a status object and 349 records) with one record
    added as record 350 (``keys`` and counts of 1000 = 500 + 500), the status's count raised."""
    from analysis import paths

    response = json.loads((paths.RAW / "dbh_api" / "dbh_api_t123_1150.json").read_text(encoding="utf-8"))
    assert response[0]["status"]["antall"] == 349 == len(response) - 1
    response[0]["status"]["antall"] = 350
    response.append(keys | {"Antall totalt": "1000", "Antall kvinner": "500", "Antall menn": "500"})
    path = tmp_path / "dbh_api_t123_1150.json"
    path.write_text(json.dumps(response, ensure_ascii=False), encoding="utf-8")
    return path


# The per-value look of _total_in (base._may_say_total) may pass a row over only where neither
# test of total_cell could hold: every cell the word-alone test finds, the wider test finds too.
# Checked on the words and on text around them, so that widening the word-alone test (or
# narrowing the wider one) fails here, not silently in a reader.
_CELL_PARTS = [
    "Totalt",
    "totalt",
    "Sum",
    "SUM",
    "I alt",
    "Snitt",
    "Gjennomsnitt",
    "Totalsum",
    "Grand total",
    "Alle",
    "all",
    "Total",
    " ",
    ":",
    ";",
    "-",
    "2019",
    "NTNU",
    "(alle)",
    "x",
    "4015",
    "…",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_CELL_PARTS), min_size=1, max_size=4).map("".join) | st.text(max_size=12))
def test_the_quick_look_at_a_cell_never_passes_over_a_total_word(cell: str) -> None:
    from analysis.readers import base

    if base.total_cell(cell.strip()) or base.total_cell(cell.strip(), names_the_row=True):
        assert base._may_say_total(cell)
