"""Every reader on the real files in data/raw, against values read by hand from the files.

Each expected value has its derivation next to it: the line of the file it comes from (CSV:
header = line 1; DBH-API JSON: data row 1 = the first object after the status object).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.readers import read_path

T123_JSON = "dbh_api/dbh_api_t123_1150.json"
T210_JSON = "dbh_api/dbh_api_t210_1150.json"
T123_CSV = "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
T210_CSV = "dbh_t210_ntnu_fakultetskoder.csv"
NATIONAL = "dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
SAMORDNA = "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"
SEED_ADMISSION = "seed_hovedopptak_andel_kvinner_2007_2018.csv"
SEED_INTEGRATION = "seed_studiebarometeret_2017_integrering.csv"
SHOT = "shot_headline_figures_national.csv"
PORTAL_INDEX = "studiebarometeret_2025_portal_index_sample.csv"
PORTAL_ITEMS = "studiebarometeret_2025_portal_items_sample.csv"
PORTAL_HISTORY = "studiebarometeret_index_history_sample.csv"
PORTAL_FACTS = "studiebarometeret_2025_portal_dbh_facts_sample.csv"
VARIABLES = "studiebarometeret_variabler_2021_2025_fra_oslomet_maler.csv"

# The three suppressed rows named in data/raw/README.md and found by hand in the JSON:
# data rows 225 (271720/2022, totalt 11), 231 (271740/2025, totalt 9), 234 (271750/2021, totalt 6),
# each with "Antall kvinner": "0", "Antall menn": "0".
SUPPRESSED = {("271720", 2022, 11, 225), ("271740", 2025, 9, 231), ("271750", 2021, 6, 234)}
# The 7 rows with all three counts "0" (empty units): data rows 222, 223, 224 (271520/2021-2023),
# 230 (271740/2023), 235, 236 (271750/2022-2023), 258 (272425/2019).
EMPTY_UNITS = {
    ("271520", 2021),
    ("271520", 2022),
    ("271520", 2023),
    ("271740", 2023),
    ("271750", 2022),
    ("271750", 2023),
    ("272425", 2019),
}


def row(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    found = frame[mask]
    assert len(found) == 1, f"expected one row for {where}, found {len(found)}"
    return found.iloc[0]


# --- DBH table 123 -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def t123_json():
    from analysis import paths

    return read_path(paths.RAW / T123_JSON)


def test_t123_json_has_the_349_rows_its_status_announces(t123_json):
    # status object: "antall": 349, "tabell_id": 123
    assert t123_json.kind == "dbh-123-json"
    assert t123_json.dataset == "gender"
    assert t123_json.rows == 349


def test_t123_json_suppressed_cells_are_unknown_never_zero(t123_json):
    frame = t123_json.frame
    assert t123_json.suppressed == 3
    got = {(r.unit_code, int(r.year), int(r.total), int(r.source_row)) for r in frame[frame["suppressed"]].itertuples()}
    assert got == SUPPRESSED
    hidden = frame[frame["suppressed"]]
    assert hidden["women"].isna().all() and hidden["men"].isna().all()
    assert not (hidden["women"] == 0).fillna(False).any()


def test_t123_json_empty_units_are_kept_as_zero_not_suppressed(t123_json):
    frame = t123_json.frame
    empty = frame[frame["total"] == 0]
    assert {(r.unit_code, int(r.year)) for r in empty.itertuples()} == EMPTY_UNITS
    assert not empty["suppressed"].any()
    # the reader keeps DBH's figures as written (0); that 0 is 0 to 2 students, which the metric says
    assert (empty["women"] == 0).all() and (empty["men"] == 0).all()


def test_t123_json_a_known_row(t123_json):
    # data row 100: {"Årstall": "2020", "Avdelingskode": "220540", "Antall totalt": "196",
    #                "Antall kvinner": "82", "Antall menn": "114"}; faculty = first 3 digits = 220;
    # institution 1150 from the file name dbh_api_t123_1150.json.
    r = row(t123_json.frame, unit_code="220540", year=2020)
    assert (int(r.total), int(r.women), int(r.men)) == (196, 82, 114)
    assert r.source_row == 100
    assert r.faculty_code == "220"
    assert r.institution_code == "1150"
    assert r.level == "department" and r.measure == "registered"
    assert r.source_file == "dbh_api_t123_1150.json"


def test_t123_codes_keep_leading_zeros(t123_json):
    # data row 1: {"Årstall": "2019", "Avdelingskode": "000000", "Antall totalt": "121", ...}
    r = row(t123_json.frame, unit_code="000000", year=2019)
    assert r.faculty_code == "000"
    assert int(r.total) == 121 and int(r.women) == 81 and int(r.men) == 40
    assert t123_json.frame["unit_code"].str.fullmatch(r"\d{6}").all()


def test_t123_rows_per_year(t123_json):
    # counted in the JSON: 2019: 51, 2020: 50, 2021: 50, 2022: 51, 2023: 51, 2024: 48, 2025: 48
    counts = t123_json.frame["year"].value_counts().to_dict()
    assert counts == {2019: 51, 2020: 50, 2021: 50, 2022: 51, 2023: 51, 2024: 48, 2025: 48}


def test_t123_csv_copy_gives_the_same_values(t123_json, real_file):
    csv = read_path(real_file(T123_CSV))
    assert csv.kind == "dbh-123-csv"
    assert csv.rows == 349 and csv.suppressed == 3
    # the CSV has the JSON's rows in the same order, one line further down (header = line 1):
    # line 101 "1150,220540,220,2020,196,82,114" is JSON data row 100.
    r = row(csv.frame, unit_code="220540", year=2020)
    assert r.source_row == 101 and (int(r.total), int(r.women), int(r.men)) == (196, 82, 114)
    # line 226 "1150,271720,271,2022,11,0,0" is suppressed
    r = row(csv.frame, unit_code="271720", year=2022)
    assert r.suppressed and pd.isna(r.women) and r.source_row == 226
    cols = ["institution_code", "unit_code", "faculty_code", "year", "total", "women", "men", "suppressed"]
    pd.testing.assert_frame_equal(csv.frame[cols].reset_index(drop=True), t123_json.frame[cols].reset_index(drop=True))


# --- DBH table 210 -----------------------------------------------------------------------


def test_t210_json_rows_and_a_known_mapping(real_file):
    result = read_path(real_file(T210_JSON))
    assert result.kind == "dbh-210-json" and result.dataset == "faculties"
    assert result.rows == 371  # status "antall": 371
    frame = result.frame
    # data row 266: {"Institusjonskode": "1150", "Avdelingskode": "271720", "Fakultetskode": "271",
    #  "Fakultetsnavn": "Fakultet for ingeniørvitenskap", "Gyldig fra": "20021", "Gyldig til": "99999"}
    r = row(frame, department_code="271720")
    assert (r.faculty_code, r.faculty_name, r.valid_from, r.valid_to) == (
        "271",
        "Fakultet for ingeniørvitenskap",
        "20021",
        "99999",
    )
    assert r.source_row == 266
    # data row 1: 000000 -> 000 "NTNU (uspesifisert underenhet)", codes with leading zeros kept
    r = row(frame, department_code="000000")
    assert r.faculty_code == "000" and r.faculty_name == "NTNU (uspesifisert underenhet)"


def test_t210_csv_faculty_names(real_file):
    result = read_path(real_file(T210_CSV))
    assert result.kind == "dbh-210-csv"
    assert result.rows == 9  # 10 lines, header + 9 faculties
    # line 5: "1150,230,Fakultet for økonomi,ØK,99999" (Gyldig_til spelled with an underscore)
    r = row(result.frame, faculty_code="230")
    assert (r.faculty_name, r.faculty_short_name, r.valid_to) == ("Fakultet for økonomi", "ØK", "99999")
    assert r.source_row == 5
    # line 2: "1150,000,NTNU (uspesifisert underenhet),,99999": no short name is missing, not ""
    r = row(result.frame, faculty_code="000")
    assert pd.isna(r.faculty_short_name)


# --- Samordna opptak sample ----------------------------------------------------------------


def test_samordna_sample(real_file):
    result = read_path(real_file(SAMORDNA))
    assert result.kind == "samordna-sample" and result.dataset == "gender"
    # 86 lines = header + 85 rows; every row has forstevalgssokere_kvinner_pct
    assert result.rows == 85
    assert result.notes["programmes"] == 16
    frame = result.frame
    assert set(frame["measure"]) == {"first_choice_applicants"}
    # line 2: nmbu_bygg, 192759, 2021: forstevalgssokere 74, forstevalgssokere_kvinner_pct 27.0
    r = row(frame, unit_code="192759", year=2021)
    assert r.source_row == 2 and int(r.total) == 74 and r.share_women_given_pct == 27.0
    assert pd.isna(r.women) and pd.isna(r.men)  # only a share is given, never counts made up
    # line 8: ntnu_bygg_infrastruktur, 194759, 2021: 328 first-choice applicants, 37.8 % women
    r = row(frame, unit_code="194759", year=2021)
    assert r.source_row == 8 and int(r.total) == 328 and r.share_women_given_pct == 37.8
    assert r.institution_name == "Norges teknisk-naturvitenskapelige universitet"


# --- the seed's two tables -------------------------------------------------------------------


def test_seed_admission_table(real_file):
    result = read_path(real_file(SEED_ADMISSION))
    assert result.kind == "seed-admission" and result.dataset == "gender"
    assert result.rows == 20  # 5 programmes x 4 years
    frame = result.frame
    assert set(frame["measure"]) == {"admitted"}
    # line 2 "Kybernetikk;13 %;20 %;30 %;40 %": 2018 is exactly 40, not 39.99…
    r = row(frame, unit_code="Kybernetikk", year=2018)
    assert r.share_women_given_pct == 40.0 and r.source_row == 2
    # line 6 "Ada- siv.ing;11 %;25 %;29 %;33%": "33%" without a space is 33
    r = row(frame, unit_code="Ada- siv.ing", year=2018)
    assert r.share_women_given_pct == 33.0 and r.source_row == 6
    # line 5 "Komtek;25 %;56 %;43 %;39 %"
    assert row(frame, unit_code="Komtek", year=2016).share_women_given_pct == 56.0
    assert frame["total"].isna().all()  # the table gives shares only


def test_seed_integration_extract(real_file):
    result = read_path(real_file(SEED_INTEGRATION))
    assert result.kind == "seed-integration" and result.dataset == "integration_extract"
    assert result.rows == 10
    frame = result.frame
    # line 2 "Masterstudenter;NTNU;2,3;2,2"; the year 2017 is in the file name only
    r = row(frame, level="master", institution="NTNU")
    assert (r.academic, r.social, int(r.year), r.source_row) == (2.3, 2.2, 2017, 2)
    # line 7 "Bachelorstudenter;NTNU;2,4;2,5"
    r = row(frame, level="bachelor", institution="NTNU")
    assert (r.academic, r.social) == (2.4, 2.5)
    # line 5 "Masterstudenter;Steinerhøgskolen;5,0;5,0": 5 is the top of the scale, allowed
    assert row(frame, level="master", institution="Steinerhøgskolen").academic == 5.0
    assert frame["n"].isna().all()


# --- SHoT ----------------------------------------------------------------------------------


def test_shot_indicators(real_file):
    result = read_path(real_file(SHOT))
    assert result.kind == "shot-indicators" and result.dataset == "shot"
    assert result.rows == 29  # 30 lines
    frame = result.frame
    # lines 2 and 3: 2010 serious distress reported as 18 (SHoT 2022) and as 16 (SHoT 2018):
    # definitions drift, both are kept with their note
    wave = frame[(frame["year"] == 2010) & (frame["indicator"] == "alvorlige_psykiske_symptomplager")]
    assert sorted(wave["value_pct"]) == [16.0, 18.0]
    # line 27 "2023,naavaerende_psykisk_lidelse_CIDI,alle,33.9,…"
    r = row(frame, year=2023, indicator="naavaerende_psykisk_lidelse_CIDI")
    assert r.value_pct == 33.9 and r.source_row == 27
    # line 22 "2022,god_eller_svaert_god_livskvalitet,alle,42,,https…": empty note is missing
    assert pd.isna(row(frame, year=2022, indicator="god_eller_svaert_god_livskvalitet").definition_note)


# --- Studiebarometeret portal --------------------------------------------------------------


def test_portal_index_few_respondents_warning(real_file):
    result = read_path(real_file(PORTAL_INDEX))
    assert result.kind == "sb-portal-index"
    assert result.rows == 40  # 5 programmes x 8 indices
    frame = result.frame
    # lines 2-9: 1173_m-ba, n 13, 23.2 %, warning "NB: få svarende (…)"; every other row: empty
    nmbu = frame[frame["sb_id"] == "1173_m-ba"]
    assert len(nmbu) == 8 and nmbu["few_respondents_warning"].all()
    assert not frame.loc[frame["sb_id"] != "1173_m-ba", "few_respondents_warning"].any()
    r = row(frame, sb_id="1173_m-ba", dimension_key="undervisning")
    assert (int(r.respondents), r.response_rate_pct, r.value, r.field_average) == (13, 23.2, 3.8, 3.7)
    assert r.institution_code == "1173" and r.source_row == 2


def test_portal_items(real_file):
    result = read_path(real_file(PORTAL_ITEMS))
    assert result.kind == "sb-portal-items" and result.rows == 65
    # line 2: 2025,1173_m-ba,helhetsvurdering,"Jeg er, alt i alt, tilfreds …",4.4 (quoted comma)
    r = row(result.frame, sb_id="1173_m-ba", dimension_key="helhetsvurdering")
    assert r.item_text == "Jeg er, alt i alt, tilfreds med studieprogrammet jeg går på" and r.value == 4.4


def test_portal_history_withheld_year_is_missing(real_file):
    result = read_path(real_file(PORTAL_HISTORY))
    assert result.kind == "sb-portal-history"
    assert result.rows == 96  # 3 programmes x 4 years x 8 indices
    frame = result.frame
    # lines 82-89: "1150_maar-trondheim,2024,<index>," — withheld (too few answers), not 0
    arch = frame[(frame["sb_id"] == "1150_maar-trondheim") & (frame["survey_year"] == 2024)]
    assert len(arch) == 8 and arch["value"].isna().all()
    # line 18: "1173_m-ba,2024,undervisning,3.9"
    assert row(frame, sb_id="1173_m-ba", survey_year=2024, dimension_key="undervisning").value == 3.9


def test_portal_dbh_facts(real_file):
    result = read_path(real_file(PORTAL_FACTS))
    assert result.kind == "sb-portal-dbh-facts" and result.rows == 3
    frame = result.frame
    # line 2: 2025,1150_mttk-trondheim,…,113,44.8,705,27,73,…
    r = row(frame, sb_id="1150_mttk-trondheim")
    assert (int(r.respondents), r.response_rate_pct, int(r.students_total), r.share_women_pct, r.share_men_pct) == (
        113,
        44.8,
        705,
        27.0,
        73.0,
    )
    # line 4: Biologi has no DBH facts: missing, never 0
    r = row(frame, sb_id="1150_bbi-trondheim")
    assert pd.isna(r.students_total) and pd.isna(r.share_women_pct)


def test_survey_variables(real_file):
    result = read_path(real_file(VARIABLES))
    assert result.kind == "sb-variables" and result.rows == 338  # 339 lines
    frame = result.frame
    # line 2: 2021,Alt i alt tilfredshet,,…,overord_altialt_13,nei,…
    r = row(frame, year=2021, variable="overord_altialt_13")
    assert not r.is_index and r.source_row == 2
    # line 13: 2021,LÆRINGSUTBYTTE,…,INDEKS LÆRINGSUTBYTTE,indx_laerutb10,ja,…
    assert row(frame, year=2021, variable="indx_laerutb10").is_index


# --- the ingest's gender dataset ------------------------------------------------------------


def test_ingest_reads_the_dbh_json_and_its_csv_copy_once(raw_dir, tmp_path, capsys):
    """One ingest of the real folder (in-process: the same code as the console command)."""
    from analysis.cli import main

    out = tmp_path / "validated"
    rc = main(["ingest", "--data", str(raw_dir), "--out", str(out)])
    stdout, stderr = capsys.readouterr()
    assert rc == 0, stderr
    assert "Traceback" not in stdout + stderr
    # the note names the CSV copy and its 349 rows, read once
    assert f"note: {T123_CSV}:-:-: 349 — 349 rows repeat rows of a preferred file" in stdout
    gender = pd.read_parquet(out / "gender.parquet")
    ntnu = gender[gender["source_file"].isin([T123_JSON, T123_CSV])]
    # the JSON response is preferred; its 349 rows appear once, none from the CSV copy
    assert set(ntnu["source_kind"]) == {"dbh-123-json"} and len(ntnu) == 349
    # 349 DBH rows + 85 Samordna sample rows + 139 programme-years of the national Samordna
    # excerpt + 20 seed admission cells + the national export's
    # 25,443 rows: the national export splits semesters and student categories, the NTNU
    # response adds the categories of the autumn together: different measures, none dropped
    assert len(gender) == 349 + 85 + 139 + 20 + 25443
    key = (
        gender[["institution_code", "level", "unit_code", "year", "measure", "semester", "student_category"]]
        .astype("string")
        .fillna("")
    )
    assert not key.duplicated().any()
    # a suppressed cell survives the round trip through Parquet as missing, not 0
    r = ntnu[(ntnu["unit_code"] == "271720") & (ntnu["year"] == 2022)].iloc[0]
    assert r["suppressed"] and pd.isna(r["women"]) and r["suppression"] == "small_cell"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["datasets"]["gender"]["rows"] == 349 + 85 + 139 + 20 + 25443
    assert manifest["datasets"]["faculties"]["rows"] == 371 + 9  # table 210 rows + the 9 faculty names
    assert manifest["datasets"]["dbh_queries"]["rows"] == 1  # the national export's query, provenance
    inputs = {i["file"]: i for i in manifest["inputs"]}
    assert inputs[T123_JSON]["rows"] == 349 and inputs[T123_JSON]["suppressed"] == 3
    assert inputs[T123_CSV]["rows"] == 349  # read and checked, then left out as a copy
    assert inputs[NATIONAL]["rows"] == 25443 and inputs[NATIONAL]["suppressed"] == 1623
    assert "MANIFEST.json" not in inputs and len(inputs) == 16
