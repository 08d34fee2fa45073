"""Which of DBH's count tables a CSV export is, where its columns cannot tell (a bad-input hunt,
2026-12-05).

Tables 110 *Nye studenter*, 112 *Opptak*, 123 *Registrerte studenter* and 132 *Søknader* have
the same columns. A JSON response says its table in its status object, a download by
``kvalitet fetch`` in its query; a CSV saved from a download (by Excel, or written from R) says
neither, and was read as 123 without a word: new students counted as registered students, and
``--kind dbh-110-csv`` refused ("it reads as dbh-123-csv"). Now the file's name tells (its
number as a word of its own, or the table's name), ``--kind`` tells, and a file nothing tells of
is read as 123 with a warning that says so.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.readers import read_path
from analysis.readers.dbh_tables import COUNT_TABLE_UNKNOWN
from tests.conftest import cli_in_process as cli

T110 = Path(__file__).parent / "fixtures" / "dbh" / "dbh_api_t110_konstruert.json"
KEYS = ["year", "institution_code", "unit_code", "total", "women", "men", "suppressed"]


def excel_csv(path: Path) -> Path:
    """The table-110 response's rows as Norwegian Excel saves them: ';', BOM, CRLF."""
    rows = json.loads(T110.read_text(encoding="utf-8"))[1:]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(list(rows[0]))
    writer.writerows([list(row.values()) for row in rows])
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return path


def figures(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[KEYS].reset_index(drop=True)


@pytest.mark.parametrize(
    ("name", "table", "measure"),
    [
        ("Nye studenter 2025.csv", 110, "new_students"),
        ("dbh_t110_8241_2025.csv", 110, "new_students"),
        ("110_8241.csv", 110, "new_students"),
        ("dbh_t112_opptak_8241.csv", 112, "admissions"),
        ("Søknader 2025.csv", 132, "applications"),
        ("registrerte_studenter_8241.csv", 123, "registered"),
    ],
)
def test_a_count_table_csv_is_the_table_its_name_names(tmp_path, name, table, measure):
    read = read_path(excel_csv(tmp_path / name))
    assert read.kind == f"dbh-{table}-csv"
    assert set(read.frame["measure"]) == {measure}
    assert read.warnings == []
    # the figures are the response's, the same table read from its JSON
    pd.testing.assert_frame_equal(figures(read.frame), figures(read_path(T110).frame))


def test_a_csv_nothing_tells_of_is_read_as_123_and_says_so(tmp_path, capsys):
    path = excel_csv(tmp_path / "tabell.csv")
    read = read_path(path)
    assert read.kind == "dbh-123-csv" and set(read.frame["measure"]) == {"registered"}
    (warning,) = read.warnings
    assert warning.message.startswith(COUNT_TABLE_UNKNOWN)
    assert "110 (new students), 112 (admissions) and 132 (applications) have the same columns" in warning.message
    assert "(its name names none)" in warning.message
    assert "--kind dbh-110-csv" in warning.hint
    rc, out, _ = cli(capsys, "validate", path)
    assert rc == 0 and "warning: " in out and COUNT_TABLE_UNKNOWN in out


def test_kind_says_which_count_table_a_csv_is(tmp_path, capsys):
    """``--kind dbh-110-csv`` was refused: "does not fit this file: it reads as dbh-123-csv"."""
    path = excel_csv(tmp_path / "tabell.csv")
    rc, out, _ = cli(capsys, "validate", "--kind", "dbh-110-csv", path)
    assert rc == 0, out
    assert out.splitlines()[0] == f"{path}: reads — dbh-110-csv, 2 rows"
    read = read_path(path, kind="dbh-110-csv")
    assert set(read.frame["measure"]) == {"new_students"} and read.warnings == []


def test_a_name_of_two_tables_tells_none(tmp_path):
    read = read_path(excel_csv(tmp_path / "t110_mot_t123.csv"))
    assert read.kind == "dbh-123-csv"
    (warning,) = read.warnings
    assert "(its name names tables 110 and 123)" in warning.message


def test_the_real_exports_say_their_table_without_a_warning(real_file):
    for name in (
        "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv",
        "dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv",
    ):
        read = read_path(real_file(name))
        assert read.kind == "dbh-123-csv"
        assert not any(w.message.startswith(COUNT_TABLE_UNKNOWN) for w in read.warnings)


def test_a_json_response_without_its_status_line_is_told_by_its_name_too(tmp_path):
    rows = json.loads(T110.read_text(encoding="utf-8"))[1:]
    path = tmp_path / "nye_studenter_8241.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    read = read_path(path)
    assert read.kind == "dbh-110-json" and set(read.frame["measure"]) == {"new_students"}
    unnamed = tmp_path / "svar.json"
    unnamed.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    read = read_path(unnamed)
    assert read.kind == "dbh-123-json"
    assert [w.message.startswith(COUNT_TABLE_UNKNOWN) for w in read.warnings] == [True]
