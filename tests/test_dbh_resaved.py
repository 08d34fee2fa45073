"""Real DBH files saved again the ways advisers do (a bad-input hunt, 2026-12-04)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.readers import read_path

T210_JSON = "dbh_api/dbh_api_t210_1150.json"


def test_table_210_saved_from_pandas_with_numbers_names_the_lost_zeros_as_the_count_tables_do(tmp_path, real_file):
    """Table 210 read into pandas and saved to Excel: the codes are numbers, 000000 and 000 are 0.
    Said as codes to keep as text, as in table 123, not "check the code in the source system"
    (DBH's code is right; the copy lost its zeros)."""
    rows = json.loads(real_file(T210_JSON).read_text(encoding="utf-8"))[1:]
    frame = pd.DataFrame(rows)
    assert (frame.loc[0, "Avdelingskode"], frame.loc[0, "Fakultetskode"]) == ("000000", "000")
    for column in frame.columns:
        if frame[column].str.fullmatch(r"\d+").all():
            frame[column] = frame[column].astype(int)
    path = tmp_path / "dbh_t210_1150.xlsx"
    frame.to_excel(path, index=False)
    with pytest.raises(InputError) as err:
        read_path(path)
    said = {(p.row, p.column, str(p.value)): (p.message, p.hint) for p in err.value.problems}
    assert said == {
        (2, "Avdelingskode", "0"): (
            "Avdelingskode must be six digits",
            "keep codes as text so leading zeros stay (000000)",
        ),
        (2, "Fakultetskode", "0"): (
            "Fakultetskode must be three digits",
            "keep codes as text so leading zeros stay (000)",
        ),
    }


NATIONAL = "dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"


def test_codes_whose_zeros_excel_shows_again_by_a_number_format_read_as_the_download(tmp_path, real_file):
    """A bad-input hunt (2026-12-05): the national export opened in Excel turns the codes into
    numbers (Institusjonskode 0211 → 211, Avdelingskode 000000 → 0); the adviser puts the zeros
    back with the custom format 0000 / 000000 (or Special › Postal code) and saves the workbook.
    Excel shows every code as downloaded, yet the reader saw the bare numbers and refused the
    file: "Avdelingskode: '0' — … codes with too few digits … the leading zeros were lost". Read
    as shown, the workbook gives the same rows as the first 300 lines of the download."""
    import csv

    import openpyxl

    lines = real_file(NATIONAL).read_text(encoding="utf-8").splitlines(keepends=True)[:301]
    downloaded = tmp_path / "dbh_t123_utdrag.csv"
    downloaded.write_text("".join(lines), encoding="utf-8")
    header, *rows = list(csv.reader(lines, delimiter=";"))
    assert {r[0] for r in rows} >= {"0211"} and any(r[2].startswith("0") for r in rows)  # zeros to lose
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    widths = {"Institusjonskode": 4, "Avdelingskode": 6}
    for number, row in enumerate(rows, start=2):
        sheet.append([int(v) if v.isdigit() else v for v in row])
        for column, name in enumerate(header, start=1):
            if name in widths:
                sheet.cell(number, column).number_format = "0" * widths[name]
    workbook = tmp_path / "dbh_t123_utdrag.xlsx"
    book.save(workbook)

    as_downloaded, as_saved = read_path(downloaded), read_path(workbook)
    assert as_saved.kind == "dbh-123-csv" and as_saved.rows == 300
    pd.testing.assert_frame_equal(
        as_saved.frame.drop(columns="source_file"), as_downloaded.frame.drop(columns="source_file")
    )


def test_validity_codes_written_from_a_float_column_read_as_the_download(tmp_path, real_file):
    """Table 210 through pandas and back: a blank in Gyldig til makes it a float column, written
    99999.0. It was "must be 5 digits (check the code in the source system)" on every row, of a
    code the source wrote right; a float's .0 is the whole number, as for years and counts."""
    name = "dbh_t210_ntnu_fakultetskoder.csv"
    plain = read_path(real_file(name)).frame
    frame = pd.read_csv(real_file(name), dtype={"Institusjonskode": str, "Fakultetskode": str})
    frame.loc[len(frame) - 1, "Gyldig_til"] = None  # one blank: the column is float64
    assert frame["Gyldig_til"].dtype == "float64"
    path = tmp_path / name
    frame.to_csv(path, index=False)
    assert "99999.0" in path.read_text(encoding="utf-8")
    read = read_path(path).frame
    expected = plain.copy()
    expected.loc[len(expected) - 1, "valid_to"] = read.loc[len(read) - 1, "valid_to"]  # the blank
    pd.testing.assert_frame_equal(read.drop(columns="source_file"), expected.drop(columns="source_file"))
    assert set(read["valid_to"].iloc[:-1]) == {"99999"}


def test_a_validity_code_of_another_form_is_named_as_such(tmp_path, real_file):
    name = "dbh_t210_ntnu_fakultetskoder.csv"
    text = real_file(name).read_text(encoding="utf-8").replace(",99999\n", ",9999\n", 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "Gyldig_til", "9999")
    assert problem.message.startswith("not a validity code: DBH writes five digits")
