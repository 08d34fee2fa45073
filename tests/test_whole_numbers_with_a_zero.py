"""A whole number written with one decimal zero (``2025.0``, ``113.0``, ``113,0``) is that number,
for years and counts in every reader: the real files as pandas or R write them when a column
has a blank somewhere (a float column), or a Norwegian CSV with one decimal.

They were refused: "2025.0 — not a year (write the year with four digits)" and "113.0 — a
count must be a whole number", though 113.0 is one, on every row (a real-file hunt, 2026-12-04:
the portal's index table with a programme lacking its response rate, saved from pandas), while
the respondent reader read the same 2025.0 as 2025 and 4.0 as the answer 4. ``1.000`` is still
refused: it may be a thousand with a thousands separator.

Real rows: ``data/raw``, as its README gives them; expected values from the files' own lines.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.errors import InputError
from analysis.metrics.survey_counts import read_survey_respondents
from analysis.parsing import ParseError, parse_count, parse_year
from analysis.readers import read_path

PORTAL_INDEX = paths.RAW / "studiebarometeret_2025_portal_index_sample.csv"
T123_CSV = paths.RAW / "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
SAMORDNA_JSON = paths.RAW / "samordna_national" / "so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json"


def as_floats(source: Path, target: Path, columns: tuple[str, ...]) -> Path:
    """``source`` with the whole numbers of ``columns`` written as a float column's (2025.0)."""
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with target.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]))
        out.writeheader()
        for row in rows:
            out.writerow({k: f"{v}.0" if k in columns and v.isdigit() else v for k, v in row.items()})
    return target


def without_source(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in ("source_file", "source_row") if c in frame])


@pytest.mark.parametrize(("text", "number"), [("2025.0", 2025), ("2025,0", 2025), (" 2025.0 ", 2025), ("2025", 2025)])
def test_a_year_with_a_decimal_zero_is_the_year(text, number):
    assert parse_year(text) == number


@pytest.mark.parametrize(
    ("text", "number"), [("113.0", 113), ("113,0", 113), ("113.00", 113), ("0.0", 0), ("1 468", 1468)]
)
def test_a_count_with_a_decimal_zero_is_the_count(text, number):
    assert parse_count(text) == number


@pytest.mark.parametrize("text", ["1.000", "1,000", "113.5", "113.01", "2025.5"])
def test_a_thousands_separator_or_a_decimal_is_still_refused(text):
    with pytest.raises(ParseError):
        parse_count(text)


def test_the_portal_index_saved_from_pandas_reads_as_the_portal_index(tmp_path):
    floats = as_floats(PORTAL_INDEX, tmp_path / PORTAL_INDEX.name, ("survey_year", "respondents"))
    with floats.open(encoding="utf-8") as f:
        assert f.readlines()[1].startswith("2025.0,1173_m-ba,1173,")  # as pandas writes it
    result = read_path(floats)
    pd.testing.assert_frame_equal(without_source(result.frame), without_source(read_path(PORTAL_INDEX).frame))
    # line 2: NMBU's Byggeteknikk og arkitektur, 13 respondents (the "få svarende" case)
    first = result.frame.iloc[0]
    assert (first["survey_year"], first["respondents"]) == (2025, 13)


def test_dbh_table_123_saved_from_pandas_keeps_its_counts_and_suppressed_cells(tmp_path):
    # both away from data/raw, whose manifest gives the original its semester
    (tmp_path / "a").mkdir()
    original = Path(shutil.copy(T123_CSV, tmp_path / "a" / T123_CSV.name))
    floats = as_floats(
        T123_CSV, tmp_path / T123_CSV.name, ("Årstall", "Antall totalt", "Antall kvinner", "Antall menn")
    )
    frame = read_path(floats).frame
    pd.testing.assert_frame_equal(without_source(frame), without_source(read_path(original).frame))
    # README: 3 suppressed rows; 271720 in 2022 has 11 students, women and men unknown
    assert int(frame["suppressed"].sum()) == 3
    row = frame[(frame["unit_code"] == "271720") & (frame["year"] == 2022)].iloc[0]
    assert (row["total"], pd.isna(row["women"]), pd.isna(row["men"])) == (11, True, True)


def test_samordnas_key_figures_saved_from_pandas_read_as_the_download(tmp_path):
    records = json.loads(SAMORDNA_JSON.read_text(encoding="utf-8"))
    header = list(records[0])
    years = [h for h in header if h.isdigit()]
    target = tmp_path / "so_sokertall.csv"
    with target.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        for record in records:
            out.writerow(
                f"{v}.0" if k in years and v is not None and v.isdigit() else ("" if v is None else v)
                for k, v in record.items()
            )
    frame = read_path(target).frame
    pd.testing.assert_frame_equal(without_source(frame), without_source(read_path(SAMORDNA_JSON).frame))
    # Ansgar høyskole, Teologi (255480), 2021: 7 first-choice applicants, 28,6 % of them women
    row = frame[(frame["unit_code"] == "255480") & (frame["year"] == 2021)].iloc[0]
    assert (row["total"], row["share_women_given_pct"]) == (7, 28.6)


def test_a_share_of_women_with_a_decimal_zero_stays_a_share(tmp_path):
    """A '(kvinner)' row of 28,0 and 30,0 is shares written with one decimal, not 28 and 30 women."""
    path = tmp_path / "so.csv"
    path.write_text(
        "Institusjon;Studie- kode;Studienavn;Studie- sted;Utdannings- type;Nøkkeltall;2024;2025\n"
        "Ansgar høyskole;255480;Teologi, bachelor;Kristiansand;Historiefag;Førstevalgssøkere;50;40\n"
        "Ansgar høyskole;255480;Teologi, bachelor;Kristiansand;Historiefag;Førstevalgssøkere (kvinner);28,0;30,0\n",
        encoding="utf-8",
    )
    try:
        frame = read_path(path).frame
    except InputError as err:  # pragma: no cover - shown on failure
        raise AssertionError(str(err)) from None
    assert frame.sort_values("year")["share_women_given_pct"].tolist() == [28.0, 30.0]
    assert frame["women"].isna().all()


def test_respondents_exported_from_spss_with_two_decimals_are_their_answers(tmp_path):
    """SPSS writes a numeric variable in its default format F8.2: 4.00 for the answer 4, 9999.00
    for "vet ikke", 2025.00 for the year, 1150.00 for the institution. Every answer was "not a
    valid answer"; the file as exported with whole numbers is the same respondents."""
    header = "institusjonskode,fakultetskode,studprog_kod,aar,overord_altialt_13,underv_engasj_18\n"
    answers = [(4, 3), (5, 4), (3, 3), (4, 5), (2, 9999), (4, 4)]
    plain = tmp_path / "sb_2025.csv"
    plain.write_text(header + "".join(f"1150,271,MTDT,2025,{a},{b}\n" for a, b in answers), encoding="utf-8")
    spss = tmp_path / "sb_2025_spss.csv"
    spss.write_text(header + "".join(f"1150.00,271,MTDT,2025.00,{a}.00,{b}.00\n" for a, b in answers), encoding="utf-8")
    read = read_survey_respondents(spss).frame
    pd.testing.assert_frame_equal(without_source(read), without_source(read_survey_respondents(plain).frame))
    # as written: 9999.00 is 9999, "vet ikke" (kept as its code, never a score)
    assert read["overord_altialt_13"].tolist() == [4, 5, 3, 4, 2, 4]
    assert read["underv_engasj_18"].tolist() == [3, 4, 3, 5, 9999, 4]
    assert read["institusjonskode"].unique().tolist() == ["1150"]


@pytest.mark.parametrize(("text", "number"), [("1150.000", 1150), ("2025.000", 2025), ("0.000", 0)])
def test_more_decimal_zeros_after_a_number_no_thousands_separator_could_give_are_the_number(text, number):
    # 1150.000 has four digits before the point: no thousands separator; "1.000" stays refused
    assert parse_count(text) == number
