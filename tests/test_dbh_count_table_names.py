"""Which of DBH's count tables a CSV export is, where its columns cannot tell (a bad-input hunt,
2026-12-05).

Tables 110 *Nye studenter*, 112 *Opptak*, 123 *Registrerte studenter* and 132 *Søknader* have
the same columns. A JSON response says its table in its status object, a download by
``kvalitet fetch`` in its query; a CSV saved from a download (by Excel, or written from R) says
neither, and was read as 123 without a word: new students counted as registered students, and
``--kind dbh-110-csv`` refused ("it reads as dbh-123-csv"). Now the file's name tells (its
number as a word of its own, or the table's name), ``--kind`` tells, a ``Studentkategori`` column
tells (123 alone of the four has it), and a file nothing tells of is refused, saying what to do:
read as 123 with a warning, exit 0, the report would have published new students as registered
students (a second reading, 2026-12-05).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import InputError
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


def test_a_csv_nothing_tells_of_is_refused_saying_what_to_do(tmp_path, capsys):
    path = excel_csv(tmp_path / "tabell.csv")
    with pytest.raises(InputError) as raised:
        read_path(path)
    (problem,) = raised.value.problems
    assert problem.message.startswith(COUNT_TABLE_UNKNOWN)
    assert "123 (registered students) and 132 (applications) have the same columns" in problem.message
    assert "(its name names none)" in problem.message
    assert "--kind dbh-123-csv (or dbh-110-csv" in problem.hint
    rc, out, err = cli(capsys, "validate", path)
    assert rc == 1
    assert out.splitlines()[0] == f"{path}:-:-: 'tabell.csv' — {problem.message} ({problem.hint})"
    assert err.splitlines() == ["1 of 1 files invalid"]
    # and no gender table is written from it
    rc, out, err = cli(capsys, "flags", path, "--out", tmp_path / "flags.csv")
    assert rc == 1 and COUNT_TABLE_UNKNOWN in out + err and not (tmp_path / "flags.csv").exists()


def test_a_studentkategori_column_says_123_whatever_the_name(tmp_path):
    """Of 110, 112, 123 and 132 only 123 is grouped by Studentkategori (DBH's catalogue, bulk
    table 001, as the national export of 123 is): a file with it is 123, and a name of another
    beside it is a contradiction, refused."""
    rows = json.loads(T110.read_text(encoding="utf-8"))[1:]
    with_category = [{**row, "Studentkategori": "S"} for row in rows]
    frame = pd.DataFrame(with_category)
    unnamed = tmp_path / "tabell.csv"
    frame.to_csv(unnamed, sep=";", index=False)
    read = read_path(unnamed)
    assert read.kind == "dbh-123-csv" and read.warnings == []
    named = tmp_path / "nye_studenter.csv"
    frame.to_csv(named, sep=";", index=False)
    with pytest.raises(InputError) as raised:
        read_path(named)
    (problem,) = raised.value.problems
    assert problem.message == (
        f"{COUNT_TABLE_UNKNOWN}: its name names table 110, but it has the column Studentkategori, "
        "which of them only 123 (registered students) has"
    )
    assert read_path(named, kind="dbh-123-csv").kind == "dbh-123-csv"


def test_kind_says_which_count_table_a_csv_is(tmp_path, capsys):
    """``--kind dbh-110-csv`` was refused: "does not fit this file: it reads as dbh-123-csv"."""
    path = excel_csv(tmp_path / "tabell.csv")
    rc, out, _ = cli(capsys, "validate", "--kind", "dbh-110-csv", path)
    assert rc == 0, out
    assert out.splitlines()[0] == f"{path}: reads — dbh-110-csv, 2 rows"
    read = read_path(path, kind="dbh-110-csv")
    assert set(read.frame["measure"]) == {"new_students"} and read.warnings == []


def test_a_name_of_two_tables_tells_none(tmp_path):
    with pytest.raises(InputError) as raised:
        read_path(excel_csv(tmp_path / "t110_mot_t123.csv"))
    (problem,) = raised.value.problems
    assert "(its name names tables 110 and 123)" in problem.message


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
    with pytest.raises(InputError) as raised:
        read_path(unnamed)
    assert [p.message.startswith(COUNT_TABLE_UNKNOWN) for p in raised.value.problems] == [True]
    assert "--kind dbh-123-json (or dbh-110-json" in raised.value.problems[0].hint
    # --kind tells a JSON response's table too (it was refused: "it reads as dbh-123-json")
    read = read_path(unnamed, kind="dbh-110-json")
    assert read.kind == "dbh-110-json" and set(read.frame["measure"]) == {"new_students"} and read.warnings == []
