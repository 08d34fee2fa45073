"""Samordna opptak's national søkertall table, read as downloaded (JSON) and as an adviser saves
it from Excel (CSV), against values read by hand from the raw records.

Record numbers count the JSON records from 1 (data/raw/README.md says which ones the excerpt
holds). The excerpt has 24 programmes with six records each, always in the order Alle søkere,
Førstevalgssøkere, Studieplasser, Førstevalgssøkere (kvinner), Antall kvalifiserte, Antall
tilbud: programme k (1-based) has records 6k-5 … 6k. Programmes 1-9 are Ansgar høyskole
(255480, 255536, 255714, 255752, 255777, 255792, 255903, 255195, 255202), 10-24 are NTNU
(194109, 194123, 194127, 194129, 194136, 194149, 194160, 194170, 194174, 194179, 194184, 194200,
194205, 194210, 194220). In the CSV copy the row is the record number + 1 (header = line 1).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import tree_snapshot

from analysis import paths
from analysis.errors import InputError
from analysis.readers import detect_kind, institution_names, read_path
from tests.conftest import cli_in_process as cli

NATIONAL = paths.RAW / "samordna_national" / "so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json"
EXCEL_CSV = Path(__file__).parent / "fixtures" / "samordna_national_utdrag_excel.csv"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def national():
    return read_path(NATIONAL)


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return json.loads(NATIONAL.read_text(encoding="utf-8"))


def one(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    found = frame[mask]
    assert len(found) == 1, f"expected one row for {where}, found {len(found)}"
    return found.iloc[0]


def write_json(path: Path, recs: list[dict]) -> Path:
    path.write_text(json.dumps(recs, ensure_ascii=False), encoding="utf-8")
    return path


# --- the excerpt as downloaded --------------------------------------------------------------


def test_the_json_is_detected_as_samordna_key_figures_not_refused_as_dbh():
    assert detect_kind(NATIONAL) == "samordna-keyfigures"
    assert detect_kind(EXCEL_CSV) == "samordna-keyfigures"


def test_the_excerpt_read_as_downloaded(national):
    assert national.kind == "samordna-keyfigures" and national.dataset == "gender"
    frame = national.frame
    # one gender row per programme-year with a share: 7 Ansgar programmes x 6 years, 255195 from
    # 2023 (4 years), 255202 from 2024 (3 years), 15 NTNU programmes x 6 years
    assert len(frame) == 7 * 6 + 4 + 3 + 15 * 6 == 139
    assert set(frame["measure"]) == {"first_choice_applicants"} and set(frame["level"]) == {"programme"}
    # record 4 (255480 "Førstevalgssøkere (kvinner)", "2021": "28,6 %") with record 2
    # ("Førstevalgssøkere", "2021": "7"): 28.6 % of 7 first-choice applicants; no counts made up
    r = one(frame, unit_code="255480", year=2021)
    assert (r.share_women_given_pct, int(r.total), r.source_row) == (28.6, 7, 4)
    assert pd.isna(r.women) and pd.isna(r.men)
    assert (r.unit_name, r.institution_name) == ("Teologi, bachelor", "Ansgar høyskole")
    # record 46 (255195, "2025": "0,0 %") with record 44 ("2025": "5"): 0 %, a real zero
    r = one(frame, unit_code="255195", year=2025)
    assert (r.share_women_given_pct, int(r.total), r.source_row) == (0.0, 5, 46)
    # records 43-48 have "2021": null and "2022": null: not offered, no row (never 0)
    assert not ((frame["unit_code"] == "255195") & frame["year"].isin([2021, 2022])).any()
    # record 136 (194210, programme 23: "(kvinner)", "2025": "44,0 %") with record 134 ("2025": "25")
    r = one(frame, unit_code="194210", year=2025)
    assert (r.share_women_given_pct, int(r.total), r.source_row) == (44.0, 25, 136)


def test_every_number_keeps_its_measure(national):
    figures = national.also["admissions"]
    # record 37 (255903 "Alle søkere", "2021": "1 468", a no-break space inside)
    r = one(figures, programme_code="255903", year=2021, key_figure="Alle søkere")
    assert (r.measure, r.unit, r.value, r.source_row, r.women) == ("applicants", "count", 1468.0, 37, False)
    # the six labels of programme 10 (194109, records 55-60), 2021 column
    expected = {  # label: (measure, unit, value in record 55+i, women)
        "Alle søkere": ("applicants", "count", 39.0, False),
        "Førstevalgssøkere": ("first_choice_applicants", "count", 23.0, False),
        "Studieplasser": ("places", "count", 15.0, False),
        "Førstevalgssøkere (kvinner)": ("first_choice_applicants", "percent", 17.4, True),
        "Antall kvalifiserte": ("qualified", "count", 20.0, False),
        "Antall tilbud": ("offers", "count", 16.0, False),
    }
    for i, (label, (measure, unit, value, women)) in enumerate(expected.items()):
        r = one(figures, programme_code="194109", year=2021, key_figure=label)
        assert (r.measure, r.unit, r.value, bool(r.women), r.source_row) == (measure, unit, value, women, 55 + i)
    # every label the file uses, and nothing else
    assert dict(zip(figures["key_figure"], figures["measure"])) == {k: m for k, (m, *_) in expected.items()}
    # record 139 (194220 "Alle søkere", "2021": "1 896"); record 143 ("Antall kvalifiserte", "2026": "1 353")
    assert one(figures, programme_code="194220", year=2021, key_figure="Alle søkere").value == 1896
    assert one(figures, programme_code="194220", year=2026, key_figure="Antall kvalifiserte").value == 1353
    # "places" is a number with its measure, not a gender measure
    assert "places" not in set(national.frame["measure"])


def test_nulls_and_na_are_counted_never_zero(national):
    figures, notes = national.also["admissions"], national.notes
    # 144 records x 6 years; null: 255195 2021-2022 (6 records x 2) + 255202 2021-2023 (6 x 3);
    # "NA": record 60 (194109 "Antall tilbud") in 2024
    assert (notes["records"], notes["cells"], notes["not_offered"], notes["not_available"]) == (144, 864, 30, 1)
    assert notes["key_figures"] == len(figures) == 864 - 30 - 1
    assert not (
        (figures["programme_code"] == "194109") & (figures["year"] == 2024) & (figures["measure"] == "offers")
    ).any()
    [warning] = [w for w in national.warnings if w.value == "NA"]
    assert (warning.row, warning.column) == (60, "2024") and "not available" in warning.message
    assert len(national.warnings) == 1  # both institutions have a DBH code


def test_institution_codes_come_from_dbh_names(national):
    # data/reference/dbh_institusjonsnavn.csv, from DBH's export: "Ansgar høyskole;8232;2004;2022",
    # "Norges teknisk-naturvitenskapelige universitet;1150;1997;2022"
    codes = national.frame.groupby("institution_name")["institution_code"].unique().to_dict()
    assert {k: list(v) for k, v in codes.items()} == {
        "Ansgar høyskole": ["8232"],
        "Norges teknisk-naturvitenskapelige universitet": ["1150"],
    }


# --- JSON and the Excel CSV copy --------------------------------------------------------------


def test_the_excel_csv_copy_gives_the_same_validated_frame(national, tmp_path):
    text = EXCEL_CSV.read_bytes().decode("utf-8-sig")
    assert text.startswith("Institusjon;Studie- kode;Studienavn;Studie- sted;Utdannings- type;Nøkkeltall;2021;")
    cp1252 = tmp_path / "sokertall_windows.csv"
    cp1252.write_bytes(text.encode("cp1252"))  # Excel's "CSV (semikolonseparert)" on Windows
    for copy in (EXCEL_CSV, cp1252):
        result = read_path(copy)
        assert result.kind == "samordna-keyfigures"
        for a, b in ((national.frame, result.frame), (national.also["admissions"], result.also["admissions"])):
            # the same numbers; the row is the CSV line = the record number + 1
            assert (b["source_row"] == a["source_row"] + 1).all()
            pd.testing.assert_frame_equal(
                a.drop(columns=["source_file", "source_row"]), b.drop(columns=["source_file", "source_row"])
            )
        assert [(w.row, w.column, w.value) for w in result.warnings] == [(61, "2024", "NA")]


def test_plain_spaces_and_numbers_without_separators_read_the_same(national, tmp_path, records):
    plain = [
        {k: (v.replace(NBSP, " ") if isinstance(v, str) and k.isdigit() else v) for k, v in r.items()} for r in records
    ]
    result = read_path(write_json(tmp_path / "plain.json", plain))
    pd.testing.assert_frame_equal(result.frame.drop(columns="source_file"), national.frame.drop(columns="source_file"))
    bare = [
        {k: (v.replace(NBSP, "") if isinstance(v, str) and k.isdigit() and "%" not in v else v) for k, v in r.items()}
        for r in records
    ]
    figures = read_path(write_json(tmp_path / "bare.json", bare)).also["admissions"]
    assert one(figures, programme_code="255903", year=2021, key_figure="Alle søkere").value == 1468


# --- the missing total row (issue 10: a silent file drop) -------------------------------------


def without_first_choice_total(records: list[dict]) -> list[dict]:
    """The excerpt without record 44 (255195 "Førstevalgssøkere"): record 46, the "(kvinner)" row,
    becomes record 45."""
    assert (records[43]["Studie- kode"], records[43]["Nøkkeltall"]) == ("255195", "Førstevalgssøkere")
    return records[:43] + records[44:]


MISSING = "no 'Førstevalgssøkere' row for programme 255195 (Ansgar høyskole)"


def test_a_women_row_without_its_total_is_an_error_naming_file_row_and_what_to_do(tmp_path, records):
    path = write_json(tmp_path / "uten_total.json", without_first_choice_total(records))
    with pytest.raises(InputError) as err:
        read_path(path)
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), 45, "Nøkkeltall")
    assert problem.value == "Førstevalgssøkere (kvinner)" and MISSING in problem.message
    assert "export the table again" in problem.hint


def test_validate_and_ingest_both_report_the_missing_total_and_write_nothing(tmp_path, records, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_json(raw / "uten_total.json", without_first_choice_total(records))
    # the same table saved from Excel: line 46 is the "(kvinner)" row
    lines = EXCEL_CSV.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    assert lines[44].split(";")[1:6:4] == ["255195", "Førstevalgssøkere"]
    (raw / "uten_total.csv").write_text("".join(lines[:44] + lines[45:]), encoding="utf-8-sig")
    rc, out, err = cli(capsys, "validate", raw)
    assert rc == 1
    assert f"{raw / 'uten_total.json'}:45:Nøkkeltall: 'Førstevalgssøkere (kvinner)' — {MISSING}" in out
    assert f"{raw / 'uten_total.csv'}:46:Nøkkeltall: 'Førstevalgssøkere (kvinner)' — {MISSING}" in out
    assert "unexpected error" not in out + err and "2 of 2 files invalid" in err
    out_dir = tmp_path / "validated"
    rc, out, err = cli(capsys, "ingest", "--data", raw, "--out", out_dir)
    assert rc == 1 and MISSING in out + err and "nothing was written" in err
    assert not out_dir.exists()
    # with an earlier good output in place, it is left exactly as it was
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(NATIONAL, good / NATIONAL.name)
    assert cli(capsys, "ingest", "--data", good, "--out", out_dir)[0] == 0
    before = tree_snapshot(out_dir)
    assert cli(capsys, "ingest", "--data", raw, "--out", out_dir)[0] == 1
    assert tree_snapshot(out_dir) == before


def test_the_issue_10_file_with_only_a_women_row_is_reported_by_validate_and_ingest(tmp_path, capsys):
    # the case the issue reports: one programme complete, another with only its "(kvinner)" row
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "so.csv").write_text(
        "Institusjon;Studiekode;Studienavn;Studiested;Utdanningstype;Nøkkeltall;2024;2025\n"
        "NTNU;194759;Bygg;Trondheim;Master;Førstevalgssøkere;100;120\n"
        "NTNU;194759;Bygg;Trondheim;Master;Førstevalgssøkere (kvinner);34,1 %;35,0 %\n"
        "NTNU;194760;Data;Trondheim;Master;Førstevalgssøkere (kvinner);34;35\n",
        encoding="utf-8",
    )
    rc, out, err = cli(capsys, "validate", raw / "so.csv")
    assert rc == 1 and f"{raw / 'so.csv'}:4:Nøkkeltall:" in out and "programme 194760" in out
    assert "IndexError" not in out + err
    rc, out, err = cli(capsys, "ingest", "--data", raw, "--out", tmp_path / "validated")
    assert rc == 1 and "programme 194760" in out + err and not (tmp_path / "validated").exists()


def test_a_count_of_women_in_a_year_without_a_total_is_an_error_a_share_stands_alone(tmp_path):
    head = "Institusjon;Studiekode;Studienavn;Studiested;Utdanningstype;Nøkkeltall;2024;2025\n"
    path = tmp_path / "so.csv"
    path.write_text(
        head + "NTNU;194759;Bygg;;;Tilbud;336;NA\nNTNU;194759;Bygg;;;Tilbud (kvinner);120;130\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        read_path(path)
    assert [(p.row, p.column, p.value) for p in err.value.problems] == [(3, "2025", "130")]
    path.write_text(
        head + "NTNU;194759;Bygg;;;Førstevalgssøkere;318;NA\n"
        "NTNU;194759;Bygg;;;Førstevalgssøkere (kvinner);34,1 %;35,0 %\n",
        encoding="utf-8",
    )
    frame = read_path(path).frame.set_index("year")
    assert frame.loc[2025, "share_women_given_pct"] == 35.0 and pd.isna(frame.loc[2025, "total"])


# --- the share that looks like a fraction (issue 10) ---------------------------------------------


def test_a_share_that_looks_like_a_fraction_is_a_warning_naming_the_cell(tmp_path, records):
    edited = [dict(r) for r in records]
    assert edited[3]["2021"] == f"28,6{NBSP}%"  # record 4, 255480 "(kvinner)"
    edited[3]["2021"] = "0.13"
    edited[3]["2022"] = "40"  # a whole percent without the sign: 40 %, no warning
    result = read_path(write_json(tmp_path / "brok.json", edited))
    [warning] = [w for w in result.warnings if w.value == "0.13"]
    assert (warning.row, warning.column) == (4, "2021") and "looks like a fraction" in warning.message
    assert "13 %" in warning.hint
    frame = result.frame.set_index(["unit_code", "year"])
    assert frame.loc[("255480", 2021), "share_women_given_pct"] == 0.13  # as written, with the warning
    assert frame.loc[("255480", 2022), "share_women_given_pct"] == 40.0
    # the real "0,0 %" of record 46 is no fraction
    assert not any(w.row == 46 for w in result.warnings)


def test_the_sample_warns_about_a_fraction_too(tmp_path, real_file):
    sample = real_file("samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv")
    lines = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    # line 2: nmbu_bygg 2021, forstevalgssokere_kvinner_pct 27.0
    assert ",27.0," in lines[1]
    lines[1] = lines[1].replace(",27.0,", ",0.27,")
    path = tmp_path / "sample.csv"
    path.write_text("".join(lines), encoding="utf-8")
    [warning] = read_path(path).warnings
    assert (warning.row, warning.column, warning.value) == (2, "forstevalgssokere_kvinner_pct", "0.27")


# --- flags per programme ---------------------------------------------------------------------

# By hand from the "(kvinner)" records: a programme-year is ok when both genders have at least
# 40 %, i.e. the share of women is between 40,0 % and 60,0 % inclusive. These 27 are; the other
# 112 of the 139 are flagged.
OK = {
    ("255480", 2022),  # 55,6 %
    ("255536", 2022),
    ("255536", 2023),
    ("255536", 2024),
    ("255536", 2025),  # 50,0 45,0 53,8 42,9
    ("255777", 2021),
    ("255777", 2024),  # 55,6 50,0
    ("255792", 2021),
    ("255792", 2022),  # 53,8 42,9
    ("255195", 2023),
    ("255195", 2024),
    ("255195", 2026),  # 50,0 42,9 50,0
    ("194136", 2023),  # 59,2
    ("194160", 2023),
    ("194160", 2025),  # 41,4 45,7
    ("194170", 2021),
    ("194170", 2022),
    ("194170", 2023),
    ("194170", 2024),
    ("194170", 2026),
    ("194174", 2026),  # 60,0 % women: men exactly 40 %, not below 40 %
    ("194179", 2024),
    ("194179", 2025),  # 41,3 48,6
    ("194205", 2022),
    ("194205", 2023),  # 40,7 44,4
    ("194210", 2024),
    ("194210", 2025),  # 53,6 44,0
}


def test_flags_on_the_excerpt_per_programme_with_the_measure(tmp_path, capsys):
    out = tmp_path / "flags.parquet"  # the machine format: every column, exact values
    rc, stdout, stderr = cli(capsys, "flags", NATIONAL, "--out", out)
    assert rc == 0, stdout + stderr
    assert "(112 flagged, 27 ok, 0 unknown)" in stdout + stderr
    flags = pd.read_parquet(out)
    assert len(flags) == 139
    assert set(flags["measure"]) == {"first_choice_applicants"} and set(flags["level"]) == {"programme"}
    ok = {(r.unit_code, r.year) for r in flags.itertuples() if r.status == "ok"}
    assert ok == OK
    assert set(flags["status"]) == {"ok", "flagged"}
    # 194174 2026 (record 106: "60,0 %"): exactly 40 % men is not below 40 %
    r = one(flags, unit_code="194174", year=2026)
    assert (r.status, r.underrepresented, r.underrepresented_share) == ("ok", "men", 0.4)
    # 194123 2021 (record 64: "87,5 %"): men are the under-represented gender, 12.5 %
    r = one(flags, unit_code="194123", year=2021)
    assert (r.status, r.underrepresented, r.underrepresented_share, r.total) == ("flagged", "men", 0.125, 56)


def test_forty_percent_women_exactly_is_not_flagged(tmp_path, records, capsys):
    edited = [dict(r) for r in records]
    # record 112 (194179 "(kvinner)"): 2026 "39,3 %" -> "40,0 %"; 2021 "30,7 %" -> "39,9 %"
    assert edited[111]["Studie- kode"] == "194179" and edited[111]["2026"] == f"39,3{NBSP}%"
    edited[111]["2026"], edited[111]["2021"] = f"40,0{NBSP}%", f"39,9{NBSP}%"
    out = tmp_path / "flags.parquet"
    assert cli(capsys, "flags", write_json(tmp_path / "forty.json", edited), "--out", out)[0] == 0
    flags = pd.read_parquet(out)
    r = one(flags, unit_code="194179", year=2026)
    assert (r.status, r.underrepresented, r.underrepresented_share) == ("ok", "women", 0.4)
    assert one(flags, unit_code="194179", year=2021).status == "flagged"


# --- hostile or broken JSON -------------------------------------------------------------------


def test_broken_json_says_where(tmp_path):
    text = NATIONAL.read_text(encoding="utf-8")
    cut = tmp_path / "avkuttet.json"
    cut.write_text(text[: text.index('"Studie- kode": "255536"')], encoding="utf-8")  # inside record 7
    assert detect_kind(cut) == "samordna-keyfigures"
    with pytest.raises(InputError) as err:
        read_path(cut)
    [problem] = err.value.problems
    assert problem.row == 7 and "truncated" in problem.message and "søkertall" in problem.hint


def test_a_duplicate_key_and_an_incomplete_record_are_errors(tmp_path, records):
    text = json.dumps(records, ensure_ascii=False)
    # record 1 says "2021" twice; record 2 has no "2026"
    first = text.index('"2021": "28"')
    text = text[:first] + '"2021": "28", "2021": "29"' + text[first + len('"2021": "28"') :]
    second = text.index(', "2026": "9"}')
    text = text[:second] + text[second + len(', "2026": "9"') :]
    path = tmp_path / "rar.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path)
    shown = [(p.row, p.column) for p in err.value.problems]
    assert shown == [(1, "2021"), (2, "2026")]
    assert "twice" in err.value.problems[0].message and "incomplete record" in err.value.problems[1].message


def test_problems_of_the_records_past_the_limit_are_counted_on_the_next_ones_line(tmp_path, records):
    """25 records with a number where Samordna writes text: 20 listed, and the 21st named by its
    record, field and value, counting the 4 below it, as every reader's line past its limit is
    (analysis.errors.listed_past_the_limit). It said "25 more problems like the ones above"
    without a row or field, its value the count."""
    from analysis.readers.samordna import MAX_LISTED

    edited = [dict(r) for r in records]
    numbers = [n for n, r in enumerate(edited, start=1) if r["2021"] not in ("", "NA", None)][:25]
    for number in numbers:
        edited[number - 1]["2021"] = {"tall": edited[number - 1]["2021"]}  # an object, not text
    with pytest.raises(InputError) as err:
        read_path(write_json(tmp_path / "objekter.json", edited))
    problems = err.value.problems
    assert [(p.row, p.column) for p in problems] == [(n, "2021") for n in numbers[: MAX_LISTED + 1]]
    last = problems[-1]
    assert last.value == json.dumps(edited[numbers[MAX_LISTED] - 1]["2021"], ensure_ascii=False)
    assert last.message == (
        f"expected text, a number or null; {len(numbers) - MAX_LISTED - 1} more problems in the records are not listed"
    )
    assert all(p.message == "expected text, a number or null" for p in problems[:-1])


def test_more_women_than_the_total_past_the_limit_are_counted_not_dropped(tmp_path, records):
    """A count of women above its total in more than 20 cells: 20 listed and the 21st counting
    the rest. The cells past the 20th were left out without a word."""
    from analysis.readers.samordna import MAX_LISTED

    edited = [dict(r) for r in records]
    over = []  # (record, year) in file order
    for number, record in enumerate(edited, start=1):
        if record["Nøkkeltall"] != "Førstevalgssøkere (kvinner)":
            continue
        for year in ("2021", "2022", "2023", "2024", "2025", "2026"):
            if record[year] not in ("", "NA", None):
                record[year] = "99999"  # no programme has this many first-choice applicants
                over.append((number, year))
    with pytest.raises(InputError) as err:
        read_path(write_json(tmp_path / "for_mange_kvinner.json", edited))
    said = [p for p in err.value.problems if p.message.startswith("more women than the total")]
    assert [(p.row, p.column) for p in said] == over[: MAX_LISTED + 1]
    assert said[-1].message.endswith(
        f"; {len(over) - MAX_LISTED - 1} more cells with more women than the total are not listed"
    )


def test_an_unknown_key_figure_is_an_error_never_skipped(tmp_path, records):
    edited = [dict(r) for r in records]
    edited[5]["Nøkkeltall"] = "Ja-svar"  # record 6
    with pytest.raises(InputError) as err:
        read_path(write_json(tmp_path / "ukjent.json", edited))
    [problem] = err.value.problems
    assert (problem.row, problem.column, problem.value) == (6, "Nøkkeltall", "Ja-svar")
    assert problem.message == "unknown key figure" and "Antall tilbud" in problem.hint


# --- institution names -> DBH codes -----------------------------------------------------------


def test_names_match_ignoring_the_dash_and_an_unknown_name_stays_a_name(tmp_path, records):
    edited = [dict(r) for r in records]
    for r in edited[:54]:
        r["Institusjon"] = "UiT Norges arktiske universitet"  # DBH: "Universitetet i Tromsø - Norges …"
    for r in edited[54:]:
        r["Institusjon"] = "OsloMet - storbyuniversitetet"  # DBH writes an en dash
    result = read_path(write_json(tmp_path / "navn.json", edited))
    codes = result.frame.groupby("institution_name")["institution_code"].first()
    assert codes["OsloMet - storbyuniversitetet"] == "1175"
    assert pd.isna(codes["UiT Norges arktiske universitet"])
    [warning] = [w for w in result.warnings if w.column == "Institusjon"]
    assert warning.row == 1 and "no DBH institution code" in warning.message


def test_a_name_dbh_used_for_two_institutions_takes_the_latest_code():
    # dbh_institusjonsnavn.csv: "Samisk høgskole;0217;1995;2022" and "Samisk høgskole;5204;1993;1994"
    names = pd.Series(["Samisk høgskole", "SAMISK  HØGSKOLE"])
    codes, warnings = institution_names.institution_codes(Path("x.csv"), names, [2, 3], "Institusjon")
    assert codes.tolist() == ["0217", "0217"] and warnings == []


DBH_NATIONAL = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"


@pytest.mark.skipif(not DBH_NATIONAL.exists(), reason="the national DBH export arrives in data/raw with issue 9 part 6")
def test_the_name_table_is_generated_from_the_dbh_export_unchanged(tmp_path):
    out = tmp_path / "names.csv"
    institution_names.institution_names_from_dbh(DBH_NATIONAL).to_csv(out, sep=";", index=False, lineterminator="\n")
    assert out.read_bytes() == institution_names.INSTITUTION_NAMES.read_bytes()


# --- a national-size file ----------------------------------------------------------------------


def test_a_national_size_file_is_read_whole(tmp_path, records):
    # the whole national file is 3,168,128 characters; 66 copies of the excerpt's 144 records,
    # each copy with its own programme codes, make a file of that size. Every row is read (how
    # long it takes is a benchmark's question, not a test's: a timed assert fails on a busy machine)
    copies = []
    for n in range(66):
        for r in records:
            copies.append({**r, "Studie- kode": f"{n:02d}{r['Studie- kode'][2:]}"})
    path = write_json(tmp_path / "nasjonal.json", copies)
    assert path.stat().st_size > 3_000_000
    result = read_path(path)
    assert result.rows == 66 * 139 and len(result.also["admissions"]) == 66 * 833


@pytest.mark.parametrize("header", ["2024/2025", "2025 (foreløpig)", "2025*", "H2025", "År 2025", "2025.0"])
def test_a_year_column_named_by_more_than_its_year_is_refused_not_left_out(tmp_path, records, header):
    """A year column was read only when its header was the year alone: "2024/2025" made the 2025
    figures vanish (115 rows of 139, exit 0). Now it is an error naming the column."""
    renamed = [{(header if key == "2025" else key): value for key, value in r.items()} for r in records]
    assert any(header in r for r in renamed)
    path = write_json(tmp_path / "omdopt.json", renamed)
    with pytest.raises(InputError) as err:
        read_path(path)
    problem = err.value.problems[0]
    assert (problem.row, problem.column) == (1, header)
    assert "not by the year alone" in problem.message and "four-digit year" in problem.hint


def test_the_key_figures_saved_as_a_workbook_give_the_same_frame(national, records, tmp_path):
    """A bad-input hunt: the key figures saved from Excel as .xlsx were refused as "not a text
    file … Excel files must end in .xlsx" (they did). Every other kind reads a workbook."""
    xlsx = tmp_path / "sokertall.xlsx"
    pd.DataFrame(records).to_excel(xlsx, index=False)
    result = read_path(xlsx)
    assert result.kind == national.kind
    # the shares are text cells ("34,1 %", as the JSON has them): written with the decimals the
    # JSON's are, one each (a number cell's are those its format shows: samordna._decimals)
    assert set(result.frame["share_women_given_decimals"].dropna()) == {1}
    columns = [c for c in national.frame.columns if c not in ("source_file", "source_row")]
    pd.testing.assert_frame_equal(result.frame[columns], national.frame[columns])


def test_a_count_saved_by_excel_in_english_is_refused_as_grouped_not_as_a_fraction(tmp_path, records):
    """A bad-input hunt (2026-12-03): the excerpt saved from an English-language Excel writes
    Ansgar's Psykologi (255903, record 37) "Alle søkere" 1 468 as "1,468" and a share as
    "17.4%". It was refused as "a count must be a whole number", which 1468 is to the adviser.
    It is refused still (1,468 is 1.468 to a Norwegian reader: not guessed), as what it is."""
    header = list(records[0])
    lines = [",".join(header)]
    for record in records[36:42]:  # programme 7, records 37-42 (255903)
        cells = []
        for key in header:
            value = record[key] or ""
            if key.isdigit():  # English number format: "," groups thousands, "." is the decimal
                value = value.replace(NBSP + "%", "%").replace(",", ".").replace(NBSP, ",")
            cells.append(f'"{value}"' if "," in value else value)
        lines.append(",".join(cells))
    path = tmp_path / "so_sokertall.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert lines[1].startswith(
        'Ansgar høyskole,255903,"Psykologi, bachelor",Kristiansand,Samfunnsfag,Alle søkere,"1,468"'
    )
    with pytest.raises(InputError) as err:
        read_path(path)
    first = err.value.problems[0]
    assert (first.row, first.column, first.value) == (2, "2021", "1,468")
    assert first.message == (
        "a ',' or '.' between groups of three digits: a thousands separator or a decimal point? not read as either"
    )


TOTAL_HINT = "(delete it: the product adds up the rows itself)"


@pytest.mark.parametrize(
    ("added", "shown"),
    [
        # an adviser's sum of the excerpt's "Alle søkere" under the table, label in column A
        (f"Totalt;;;;;Alle søkere;9{NBSP}999;;;;;", "Totalt"),
        ("Sum NTNU;;;;;;;;;;;", "Sum NTNU"),
    ],
)
def test_a_total_row_below_the_key_figures_is_named(tmp_path, capsys, added, shown):
    """A bad-input hunt (2026-12-03): a total row typed below Samordna's key figures (saved from
    Excel: tests/fixtures/samordna_national_utdrag_excel.csv, 144 records on lines 2-145) was
    "Studie- kode: value is missing" and "Studienavn: value is missing"; DBH's tables said what
    it is. Now Samordna's do too."""
    text = EXCEL_CSV.read_text(encoding="utf-8-sig")
    path = tmp_path / "so_sokertall.csv"
    path.write_text(text + added + "\r\n", encoding="utf-8-sig")
    rc, out, _ = cli(capsys, "validate", path)
    assert rc == 1
    assert out.splitlines()[0] == f"{path}:146:Institusjon: '{shown}' — a total row below the table {TOTAL_HINT}"


def test_a_total_row_below_the_programme_sample_is_named(tmp_path, capsys):
    """The same for the shared programme sample (data/raw/samordna_opptak_sokertall_sample_…
    csv: the header and 85 rows; the total row is line 87)."""
    source = paths.RAW / "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"
    path = tmp_path / source.name
    path.write_text(source.read_text(encoding="utf-8") + "Totalt,,,,,,,,,,,,,,,\r\n", encoding="utf-8")
    rc, out, _ = cli(capsys, "validate", path)
    assert rc == 1
    assert out.splitlines()[0] == f"{path}:87:entry_id: 'Totalt' — a total row below the table {TOTAL_HINT}"


def test_cells_past_the_limit_are_counted_in_one_line_named_by_its_row(tmp_path, records):
    """15 counts and 10 shares that are not numbers: 20 listed in file order (counts and shares
    alike) and the 21st named by its record and value, counting the 4 below it. It listed all 25
    (20 of each kind at most) and then said "25 more cells that are not numbers" without a row,
    its value the count (a bad-input hunt, 2026-12-05)."""
    from analysis.readers.samordna import MAX_LISTED

    edited = [dict(r) for r in records]
    share = "Førstevalgssøkere (kvinner)"
    counts_left, shares_left = 15, 10
    broken = []  # (record number, kind) in file order
    for number, record in enumerate(edited, start=1):
        if record["2024"] in ("", "NA"):
            continue
        if record["Nøkkeltall"] == share and shares_left:
            record["2024"], shares_left = "x %", shares_left - 1
        elif record["Nøkkeltall"] != share and counts_left:
            record["2024"], counts_left = "x", counts_left - 1
        else:
            continue
        broken.append(number)
    path = tmp_path / "sokertall.json"
    path.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(path)
    cells = [p for p in err.value.problems if p.column == "2024"]
    assert [p.row for p in cells] == broken[: MAX_LISTED + 1]
    assert "(empty)" not in "\n".join(map(str, cells))
    more = len(broken) - MAX_LISTED - 1
    assert cells[-1].message.endswith(f"; {more} more cells that are not numbers are not listed")
    assert cells[-1].value in ("x", "x %")
