"""A row below (or inside) a DBH table that is not one of its rows is named as what it is: a
total row, a source note, the header of a second export pasted in (a bad-input hunt,
2026-12-03: they were refused as "value is missing", "not a year" or "row has 3 fields")."""

from __future__ import annotations

import pytest

from analysis.cli import main

T123_CSV = "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
TOTAL = "(delete it: the product adds up the rows itself)"


def validate(capsys, path) -> tuple[int, list[str]]:
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return rc, out.splitlines()


def real_lines(real_file) -> list[str]:
    lines = real_file(T123_CSV).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 350  # the header and 349 rows: a line added below is line 351
    return lines


@pytest.mark.parametrize(
    ("added", "expected"),
    [
        ("Totalt,,,,26000,13000,13000", f"351:-: 'Totalt' — a total row below the table {TOTAL}"),
        ("Sum,,,,,,", f"351:-: 'Sum' — a total row below the table {TOTAL}"),
        ("I alt;;;;26000;;", f"351:-: 'I alt;;;;26000;;' — a total row below the table {TOTAL}"),
        (
            # a note with commas in it is not a row of 3 fields
            "Kilde: DBH, Registrerte studenter, hentet 2025-10-01",
            "351:-: 'Kilde: DBH, Registrerte studenter, hentet 2025-10-01' — a note below the table (delete it)",
        ),
    ],
)
def test_a_row_below_the_table_is_named(tmp_path, real_file, capsys, added, expected):
    path = tmp_path / T123_CSV
    path.write_text("\n".join([*real_lines(real_file), added]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:{expected}"]


def test_the_header_again_mid_file_is_named(tmp_path, real_file, capsys):
    lines = real_lines(real_file)
    # line 42 is the header of a second export pasted after line 41 (its rows follow it)
    path = tmp_path / T123_CSV
    path.write_text("\n".join([*lines[:41], lines[0], *lines[41:]]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [
        f"{path}:42:-: 'Institusjonskode' — the header again in the table (two exports pasted together? keep "
        "one header, and each row once)"
    ]


def test_a_total_row_and_a_bad_cell_are_both_named(tmp_path, real_file, capsys):
    lines = real_lines(real_file)
    assert lines[1] == "1150,000000,000,2019,121,81,40"
    lines[1] = "1150,000000,000,2019,121,81,4O"  # a letter O for a zero
    path = tmp_path / T123_CSV
    path.write_text("\n".join([*lines, "Totalt,,,,,,"]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out[0].startswith(f"{path}:2:Antall menn: '4O' — ")
    assert out[-1] == f"{path}:351:-: 'Totalt' — a total row below the table {TOTAL}"
