"""``kvalitet flags`` on screen names the institution of each row where the table holds more than
one: in a national DBH export every institution has a department "000000" (its unspecified
sub-unit) and faculty codes repeat from institution to institution, so without it two rows of
one code, one name pattern and one year could not be told apart.

Provenance: rows of the real national export of DBH table 123 (data/raw/dbh_national, every
institution, HK-dir's grouping), the header and the rows of two institutions' unspecified
sub-units in 1996 copied as they are; one institution's rows alone for the single-institution case.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.conftest import RAW, cli_in_process

NATIONAL = RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"


def _rows_of(institutions: set[str], year: str) -> str:
    lines = NATIONAL.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    kept = [
        r
        for r in rows
        if r.split(";")[0].strip('"') in institutions
        and r.split(";")[2] == '"000000"'
        and r.split(";")[4] == f'"{year}"'
        and r.split(";")[5] == '"3"'
        and r.split(";")[7] == '"S"'
    ]
    return "\n".join([header, *kept]) + "\n"


def test_two_institutions_rows_of_one_department_code_say_whose_they_are(tmp_path: Path, capsys) -> None:
    path = tmp_path / "t123.csv"
    path.write_text(_rows_of({"0211", "0213"}, "1996"), encoding="utf-8")
    rc, out, err = cli_in_process(capsys, "flags", path)
    assert rc == 0, err
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["level", "institution", "unit"]
    # one row each, told apart by the institution's code (no table 211 here: no short names)
    assert sorted(r.split()[1] for r in rows if r.split()[0] == "department") == ["0211", "0213"]
    assert all(r.split()[2] == "000000" for r in rows if r.split()[0] == "department")


def test_one_institution_needs_no_column_of_its_own(tmp_path: Path, capsys) -> None:
    path = tmp_path / "t123.csv"
    path.write_text(_rows_of({"0211"}, "1996"), encoding="utf-8")
    rc, out, err = cli_in_process(capsys, "flags", path)
    assert rc == 0, err
    assert out.splitlines()[0].split()[:2] == ["level", "unit"]


def test_a_folder_with_the_export_s_query_body_says_the_one_file_it_skipped_in_the_singular(tmp_path, capsys) -> None:
    # the national export's folder as HK-dir's export comes: the table and its query body
    (tmp_path / "t123.csv").write_text(_rows_of({"0211"}, "1996"), encoding="utf-8")
    query = RAW / "dbh_national" / "dbh_t123_alle_institusjoner_query.json"
    (tmp_path / query.name).write_bytes(query.read_bytes())
    rc, _, err = cli_in_process(capsys, "flags", tmp_path)
    assert rc == 0, err
    assert "skipped 1 file that is not a gender table" in err and "1 files" not in err


def test_every_column_of_the_flags_as_a_table_for_people_has_a_header_in_its_language(tmp_path: Path, capsys) -> None:
    """``kvalitet flags --out FILE.csv`` writes headers in ``--lang``: a column of the flags the
    labels do not know kept its machine name ("categories_disagree" in a Norwegian table). Every
    column of the flags contract, as a table for people, has a header the labels give in each
    language (the institutions merged in at a break are worded in the break's column)."""
    from analysis.charts.labels import LABELS
    from analysis.report.tables import WORDED_WITH, generic_columns
    from schemas.flags import GenderFlags

    columns = list(GenderFlags.to_schema().columns)
    shown = generic_columns(pd.DataFrame(columns=columns), "flags")
    assert [c.header for c in shown if c.header not in LABELS] == []
    assert {c.source for c in shown} == set(columns) - set(WORDED_WITH)
    # the real command, on rows of the national export: no machine name among its headers
    path = tmp_path / "t123.csv"
    path.write_text(_rows_of({"0211", "0213"}, "1996"), encoding="utf-8")
    out = tmp_path / "flags.csv"
    rc, _out, err = cli_in_process(capsys, "flags", path, "--out", out, "--lang", "nb")
    assert rc == 0, err
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert [h for h in header if h in columns] == []
