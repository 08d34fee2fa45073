"""A DBH count table with one of its columns deleted in Excel is still that table, and its
reader names the column missing (a bad-input hunt, 2026-12-03): the national 123 export has
name columns (``kodetekst: "J"``), so without its "Antall totalt" it matched table 457's
signature (Avdelingskode, Avdelingsnavn, Årstall) and without "Årstall" table 211's: it was read
as department or institution names, exit 0, every count unused. Table 379 without "Årstall"
likewise matched table 347's (Studieprogramkode).

Provenance: the real national export's first 20 lines (``dbh_national/…``), a column taken out;
379: the rows of the test fixture ``dbh_api_t379_kjonn_prioritet_konstruert.json`` as a CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis import paths
from analysis.cli import main

NATIONAL = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"


def without(header: list[str], rows: list[list[str]], column: str) -> str:
    k = header.index(column)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerows([r[:k] + r[k + 1 :] for r in [header, *rows]])
    return out.getvalue()


def missing(capsys, path: Path, column: str, has: list[str]) -> None:
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert rc == 1
    assert out.splitlines() == [
        f"{path}:1:{column}: (empty) — required column is missing (the header row has: {', '.join(has)}; add the "
        "column or check that this is the right kind of file)"
    ]


@pytest.mark.parametrize("column", ["Antall totalt", "Antall kvinner", "Årstall"])
def test_the_national_export_without_one_column_is_still_table_123(tmp_path, capsys, column):
    lines = NATIONAL.read_text(encoding="utf-8-sig").splitlines()[:20]
    header, *rows = csv.reader(lines, delimiter=";")
    assert header[4] == "Årstall" and header[-3:] == ["Antall totalt", "Antall kvinner", "Antall menn"]
    path = tmp_path / NATIONAL.name
    path.write_text(without(header, rows, column), encoding="utf-8")
    missing(capsys, path, column, [h for h in header if h != column])
