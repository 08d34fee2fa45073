"""A column of a DBH count table that the reader does not read is a warning naming it, not
passed over without a word (a bad-input hunt, 2026-12-03: a "Sum" column an adviser added was
ignored silently). The columns passed over for a reason stay quiet: ``Fakultetskode`` (the
first three digits of ``Avdelingskode``) and the names of codes (``…navn``, ``…tekst``)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.cli import main
from analysis.readers import read_path

T123_CSV = "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
NATIONAL = "dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
HINT = "(delete the column if you added it; if it is a grouping of the table, download the table without it)"


def with_sum_column(real_file, path):
    """The real NTNU export with a "Sum" column after the counts, holding each row's total."""
    header, *rows = real_file(T123_CSV).read_text(encoding="utf-8").splitlines()
    assert header == "Institusjonskode,Avdelingskode,Fakultetskode,Årstall,Antall totalt,Antall kvinner,Antall menn"
    assert rows[0] == "1150,000000,000,2019,121,81,40"
    lines = [f"{header},Sum", *(f"{r},{r.split(',')[4]}" for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_added_sum_column_is_a_warning_naming_it(tmp_path, real_file, capsys):
    path = with_sum_column(real_file, tmp_path / T123_CSV)
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert rc == 0, out + err
    # by hand: the first row's total is 121; the real file alone has 349 rows, 3 masked cells
    assert out.splitlines() == [
        f"{path}: reads — dbh-123-csv, 349 rows, 3 suppressed cells, 1 warning",
        f"  warning: {path}:-:Sum: '121' — a column the product does not read: its values are not used {HINT}",
    ]


def test_an_added_column_in_a_workbook_is_named_too(tmp_path, real_file):
    csv = with_sum_column(real_file, tmp_path / "t123.csv")
    book = tmp_path / "t123.xlsx"
    pd.read_csv(csv, dtype=str).to_excel(book, index=False)
    result = read_path(book)
    assert [(w.row, w.column, w.message) for w in result.warnings] == [
        (None, "Sum", "a column the product does not read: its values are not used")
    ]


def test_the_columns_passed_over_for_a_reason_stay_quiet(real_file):
    # Fakultetskode in the NTNU export; Semesternavn and Kategoritekst in the national one
    assert read_path(real_file(T123_CSV)).warnings == []
    assert read_path(real_file(NATIONAL)).warnings == []


@pytest.mark.parametrize("header", ["Avdelings navn", "Avdelings\nnavn", "Avdelings_navn"])
def test_a_name_column_named_but_for_a_space_or_line_break_is_a_warning_saying_the_name_to_give_it(
    tmp_path, real_file, header
):
    """The national export's "Avdelingsnavn" (read as the departments' names) renamed as Excel's
    wrapped header or a typed space writes it: it was passed over as the name of a code (its
    name ends in "navn") without a word, the departments left without names (a helper's note,
    2026-12-05). Now a warning naming the column, its first value and the name to give it."""
    real = pd.read_csv(real_file(NATIONAL), sep=";", dtype=str, keep_default_na=False, nrows=200)
    assert real.columns[3] == "Avdelingsnavn"
    path = tmp_path / "t123.csv"
    real.rename(columns={"Avdelingsnavn": header}).to_csv(path, sep=";", index=False)
    result = read_path(path)
    assert [(w.row, w.column, w.value, w.message, w.hint) for w in result.warnings] == [
        (
            None,
            header,
            real.loc[0, "Avdelingsnavn"],
            "a column the product does not read: its values are not used: it is named as 'Avdelingsnavn' is, but "
            "for a space or line break inside the name",
            "rename the column 'Avdelingsnavn' to have it read",
        )
    ]
