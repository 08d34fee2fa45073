"""Excel's AutoSum across every numeric column below a table fills its years and codes with their
sums too (a bad-input hunt, 2026-12-03): below DBH's table 123 the sum row's Årstall was
705666, and the row was refused cell by cell ("not a year"), below the Samordna sample as
"value is missing" on its names, "not a year" on aar and "above 100 %" on the summed share. It
is named as a sum row, with the columns that hold sums where keys would be. A real row is never
one: its year or code is not the sum of its column above it.

Provenance: the real files of ``data/raw`` named below, with one line added as an adviser's
AutoSum leaves it; each sum is computed here from the real file's own column with plain Python
(``sum`` of the column's whole numbers, as Excel's SUM passes over text), not by the reader.
"""

from __future__ import annotations

import csv

import pytest

from tests.conftest import cli_in_process

T123_CSV = "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
SAMPLE = "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"
SHOT = "shot_headline_figures_national.csv"
TOTAL = "(delete it: the product adds up the rows itself)"


def validate(capsys, path) -> tuple[int, list[str]]:
    rc, out, _ = cli_in_process(capsys, "validate", path)
    return rc, out.splitlines()


def autosum(rows: list[list[str]], columns: list[str], header: list[str]) -> list[str]:
    """The row Excel's AutoSum writes below ``columns``: each the sum of the column's numbers,
    every other cell empty. Whole numbers stay whole; decimals are written with one decimal."""
    out = []
    for k, name in enumerate(header):
        if name not in columns:
            out.append("")
            continue
        total = sum(float(r[k]) for r in rows if r[k].strip())
        out.append(str(int(total)) if total == int(total) else f"{total:.1f}")
    return out


def with_line(tmp_path, real_file, name: str, line: list[str]):
    source = real_file(name)
    path = tmp_path / name
    path.write_text(source.read_text(encoding="utf-8") + ",".join(line) + "\n", encoding="utf-8")
    return path


def test_an_autosum_of_every_column_of_dbh_123_is_named_as_a_sum(tmp_path, real_file, capsys):
    with real_file(T123_CSV).open(encoding="utf-8", newline="") as fh:
        header, *rows = csv.reader(fh)
    assert len(rows) == 349  # the added line is line 351
    line = autosum(rows, header, header)  # every column of 123 is a number
    assert line[3] == "705666"  # 349 years, 2019–2025: no year
    path = with_line(tmp_path, real_file, T123_CSV, line)
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [
        f"{path}:351:-: '{', '.join(line)}' — a total row below the table: it has figures but no key, only the sums "
        f"of Institusjonskode, Avdelingskode, Fakultetskode, Årstall (a sum, as Excel's AutoSum adds) {TOTAL}"
    ]


def test_an_autosum_of_every_numeric_column_of_the_samordna_sample_is_named_as_a_sum(tmp_path, real_file, capsys):
    with real_file(SAMPLE).open(encoding="utf-8", newline="") as fh:
        header, *rows = csv.reader(fh)
    assert len(rows) == 85  # the added line is line 87
    numeric = ["studiekode", "aar", *header[8:]]  # the code, the year and the eight figures
    line = autosum(rows, numeric, header)
    path = with_line(tmp_path, real_file, SAMPLE, line)
    rc, out = validate(capsys, path)
    assert rc == 1
    filled = ", ".join(c for c in line if c)
    if len(filled) > 60:  # (a value is shown cut to 60 characters)
        filled = filled[:59] + "…"
    assert out == [
        f"{path}:87:-: '{filled}' — a total row below the table: it has figures but no key, only the sums of "
        f"studiekode, aar (a sum, as Excel's AutoSum adds) {TOTAL}"
    ]


def test_an_autosum_of_shots_year_and_share_is_named_as_a_sum(tmp_path, real_file, capsys):
    with real_file(SHOT).open(encoding="utf-8", newline="") as fh:
        header, *rows = csv.reader(fh)
    assert len(rows) == 29  # the added line is line 31
    line = autosum(rows, ["aar", "verdi_pct"], header)
    path = with_line(tmp_path, real_file, SHOT, line)
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [
        f"{path}:31:-: '{line[0]}, {line[3]}' — a total row below the table: it has figures but no key, only the "
        f"sums of aar (a sum, as Excel's AutoSum adds) {TOTAL}"
    ]


@pytest.mark.parametrize(
    ("added", "expected"),
    [
        # a real row (line 350: 1150,274330,274,2025,67,26,41) with its year mistyped: a row of the
        # table with a bad year, not a sum, though every cell is a number and no name is filled
        ("1150,274330,274,20255,67,26,41", "Årstall: '20255' — not a year"),
        # the sums of the counts and of Årstall, but a real institution code: a row of the table,
        # its cells named one by one
        ("1150,,,705666,306352,158964,147362", "Årstall: '705666' — not a year"),
    ],
)
def test_a_row_with_a_real_key_is_never_a_sum(tmp_path, real_file, capsys, added, expected):
    path = with_line(tmp_path, real_file, T123_CSV, added.split(","))
    rc, out = validate(capsys, path)
    assert rc == 1
    # the row's problems in the file's column order (an empty Avdelingskode before the year)
    assert any(line.startswith(f"{path}:351:{expected}") for line in out)
    assert all(line.startswith(f"{path}:351:") for line in out[:-1])
    assert not any("total row" in line for line in out)


def test_a_cell_of_thousands_of_digits_below_a_table_is_named_not_a_crash(tmp_path, real_file, capsys):
    """A second reader, 2026-12-03: the sum-row rule turned a key cell of 5 000 digits into a
    number, which Python refuses past 4 300 digits: "could not be read: unexpected error". Such a
    cell is no sum; the row is named cell by cell, as before the rule."""
    lines = real_file("studiebarometeret_index_history_sample.csv").read_text(encoding="utf-8").splitlines()[:6]
    header = lines[0].split(",")
    row = ["" for _ in header]
    row[header.index("survey_year")] = "9" * 5000
    row[header.index("value")] = "4.1"
    path = tmp_path / "historikk.csv"
    path.write_text("\n".join([*lines, ",".join(row)]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert not [line for line in out if "unexpected error" in line]
    assert [line for line in out if line.startswith(f"{path}:7:survey_year: ") and "not a year" in line]


def test_an_autosum_of_every_column_above_dbh_123_is_named_as_a_sum(tmp_path, real_file, capsys):
    """AutoSum above the table (the total first, as some DBH web exports and Excel layouts put
    it; a bad-input hunt, 2026-12-04): the sums right under the header were refused cell by cell
    ("Årstall: '705666' — not a year"), though the same row below the table was named as a sum.
    One rule for both places: a sum of the rows below it is a sum as much as of those above."""
    source = real_file(T123_CSV).read_text(encoding="utf-8").splitlines()
    header, *rows = csv.reader(source)
    assert len(rows) == 349  # the added line is line 2, right under the header
    line = autosum(rows, header, header)
    path = tmp_path / T123_CSV
    path.write_text("\n".join([source[0], ",".join(line), *source[1:]]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [
        f"{path}:2:-: '{', '.join(line)}' — a total row above the table: it has figures but no key, only the sums "
        f"of Institusjonskode, Avdelingskode, Fakultetskode, Årstall (a sum, as Excel's AutoSum adds) {TOTAL}"
    ]


def test_an_autosum_both_above_and_below_dbh_123_names_both_as_sums(tmp_path, real_file, capsys):
    """AutoSum right under the header and again below the table (a bad-input hunt, 2026-12-04):
    each sum row was summed with the other, its year no sum of the rows beside it, and both
    were refused as "Årstall: '705666' — not a year". Each is named as a sum, where it is."""
    source = real_file(T123_CSV).read_text(encoding="utf-8").splitlines()
    header, *rows = csv.reader(source)
    line = autosum(rows, header, header)
    path = tmp_path / T123_CSV
    path.write_text("\n".join([source[0], ",".join(line), *source[1:], ",".join(line)]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    sums = "only the sums of Institusjonskode, Avdelingskode, Fakultetskode, Årstall (a sum, as Excel's AutoSum adds)"
    # line 2 under the header; the 349 rows on lines 3–351; the second sum on line 352
    assert out == [
        f"{path}:2:-: '{', '.join(line)}' — a total row above the table: it has figures but no key, {sums} {TOTAL}",
        f"{path}:352:-: '{', '.join(line)}' — a total row below the table: it has figures but no key, {sums} {TOTAL}",
    ]


def test_an_autosum_both_above_and_below_a_workbook_names_both_as_sums(tmp_path, real_file, capsys):
    """The same in a workbook of the Samordna sample (its code, year and figures summed, its
    names empty, as the CSV test above), rows as Excel numbers them."""
    import openpyxl

    with real_file(SAMPLE).open(encoding="utf-8", newline="") as fh:
        header, *rows = csv.reader(fh)
    numeric = ["studiekode", "aar", *header[8:]]
    line = autosum(rows, numeric, header)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for values in [line, *rows, line]:
        sheet.append([v if k not in numeric or not v else float(v) for k, v in zip(header, values)])
    path = tmp_path / "samordna.xlsx"
    book.save(path)
    rc, out = validate(capsys, path)
    assert rc == 1
    # row 2 under the header; the 85 rows on 3–87; the second sum on row 88
    assert [o.split(" — ")[0].split(":")[1] for o in out] == ["2", "88"]
    assert "a total row above the table: it has figures but no key, only the sums of studiekode, aar" in out[0]
    assert "a total row below the table: it has figures but no key, only the sums of studiekode, aar" in out[1]
