"""A column the reader does not read is a warning naming it in every DBH and Samordna reader,
as it already was in the DBH count tables (tests/test_dbh_unread_columns.py): table 210, the
programme tables 379/347/457/211, and both Samordna layouts passed an added column over without
a word (a bad-input hunt, 2026-12-03). Columns passed over for a stated reason stay quiet: in a
DBH row table (347, 457, 211, 210) DBH's own columns that describe the row (the real 347 rows
have 20 of them), in the Samordna sample its source's ``entry_id`` and ``programnavn_verifisert``.

Each test adds one column to a real file (or a fixture built in its format) and expects exactly
one warning: the added column, its first value, and no other column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.readers import read_path

FIXTURES = Path(__file__).parent / "fixtures"
UNREAD = "a column the product does not read: its values are not used"
ADDED = "delete the column if you added it"
GROUPING = "delete the column if you added it; if it is a grouping of the table, download the table without it"
FILTER = (
    "a column of one value in every row, read as a filter of the download: the counts are of those "
    "rows only, and the measure says so"
)
FILTER_HINT = "if it is not a filter of the download (a note you added), delete the column"


def with_column_in_json(source: Path, target: Path, value: str = "lagt til", every_other: str | None = None) -> Path:
    """``source`` (a JSON list of records, a DBH status object first or not) with a column
    "Merknad" added to every data record: ``value``, or ``every_other`` in every second one."""
    data = json.loads(source.read_text(encoding="utf-8"))
    records = [record for record in data if set(record) != {"status"}]
    for i, record in enumerate(records):
        record["Merknad"] = every_other if every_other is not None and i % 2 else value
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return target


def with_column_in_csv(
    source: Path, target: Path, separator: str, value: str = "lagt til", every_other: str | None = None
) -> Path:
    """``source`` with a last column "Merknad" holding ``value`` on every row (``every_other``
    on every second row)."""
    text = source.read_text(encoding="utf-8-sig")
    header, *rows = text.splitlines()
    cells = [every_other if every_other is not None and i % 2 else value for i in range(len(rows))]
    lines = [f"{header}{separator}Merknad", *(f"{r}{separator}{c}" for r, c in zip(rows, cells, strict=True))]
    target.write_text("\n".join(lines) + "\n")
    return target


def unread(path: Path) -> list[tuple]:
    return [(w.row, w.column, w.value, w.message, w.hint) for w in read_path(path).warnings if w.message == UNREAD]


def test_table_210_names_an_added_column_through_validate(tmp_path, real_file, capsys):
    path = with_column_in_csv(real_file("dbh_t210_ntnu_fakultetskoder.csv"), tmp_path / "t210.csv", ",")
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert rc == 0, out + err
    # by hand: the real file has 9 faculties; the added column's first value is "lagt til"
    assert f"  warning: {path}:-:Merknad: 'lagt til' — {UNREAD} ({ADDED})" in out.splitlines()
    assert "9 rows, 1 warning" in out and "1 warnings" not in out


@pytest.mark.parametrize(
    "fixture",
    [
        "dbh/dbh_api_t347_utdrag_8241_1173_2025.json",  # real rows, every column of the table
        "dbh/dbh_api_t457_konstruert.json",
        "dbh/dbh_api_t211_konstruert.json",
    ],
)
def test_a_row_table_names_an_added_column_and_not_its_own(tmp_path, fixture):
    path = with_column_in_json(FIXTURES / fixture, tmp_path / Path(fixture).name)
    assert unread(path) == [(None, "Merknad", "lagt til", UNREAD, ADDED)]


def as_filter(path: Path) -> tuple[list[tuple], set]:
    """The warnings of a column read as a filter of the download, and the measure filters of the
    gender observations (a count table's column of one value: tests/test_measure_filter.py)."""
    result = read_path(path)
    said = [(w.row, w.column, w.value, w.message, w.hint) for w in result.warnings if w.message == FILTER]
    return said, set(result.frame["measure_filter"])


def test_table_379_names_an_added_column_as_a_possible_grouping(tmp_path):
    # real rows of BI's table 379; a column 379 does not read may split its rows (two values)
    source = FIXTURES / "dbh/dbh_api_t379_8241_totaler.json"
    path = with_column_in_json(source, tmp_path / "t379_8241.json", every_other="sjekk")
    assert unread(path) == [(None, "Merknad", "lagt til", UNREAD, GROUPING)]
    # one value in every row: read as the download's filter, and said as that
    path = with_column_in_json(source, tmp_path / "t379_8241_one.json")
    assert as_filter(path) == ([(None, "Merknad", "lagt til", FILTER, FILTER_HINT)], {"Merknad lagt til"})
    assert unread(path) == []


def test_samordna_keyfigures_json_names_an_added_field(tmp_path, real_file):
    source = real_file("samordna_national/so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json")
    path = with_column_in_json(source, tmp_path / "sokertall.json", every_other="sjekk")
    assert unread(path) == [(None, "Merknad", "lagt til", UNREAD, ADDED)]
    path = with_column_in_json(source, tmp_path / "sokertall_one.json")
    assert as_filter(path) == ([(None, "Merknad", "lagt til", FILTER, FILTER_HINT)], {"Merknad lagt til"})


def test_samordna_keyfigures_saved_from_excel_names_an_added_column(tmp_path):
    source = FIXTURES / "samordna_national_utdrag_excel.csv"
    path = with_column_in_csv(source, tmp_path / "sokertall.csv", ";", every_other="sjekk")
    assert unread(path) == [(None, "Merknad", "lagt til", UNREAD, ADDED)]
    path = with_column_in_csv(source, tmp_path / "sokertall_one.csv", ";")
    assert as_filter(path) == ([(None, "Merknad", "lagt til", FILTER, FILTER_HINT)], {"Merknad lagt til"})


def test_samordna_sample_names_an_added_column_and_not_its_sources_own(tmp_path, real_file):
    source = real_file("samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv")
    path = with_column_in_csv(source, tmp_path / "sample.csv", ",", value="sjekk")
    assert unread(path) == [(None, "Merknad", "sjekk", UNREAD, ADDED)]
