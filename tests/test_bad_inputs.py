"""Bad input files, each refused with a message that names the file, the row as the person sees
it (CSV: line number, header = line 1; DBH-API JSON: data-row number, 1 = first row after the
status object), the column and the value, and nothing is written.

Every case is checked three ways: the reader raises InputError with that problem;
``kvalitet validate`` exits 1, prints it and writes nothing; ``kvalitet ingest`` on a raw
folder holding the bad file exits 1 and leaves an earlier output byte-identical with no
temporary folders next to it. The CLI runs in-process here for speed; one test at the end
runs the real console entry point in a subprocess on all bad files at once.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import tree_snapshot

from analysis.cli import main
from analysis.errors import InputError
from analysis.readers import read_path

DBH_HEADER = "Årstall;Avdelingskode;Antall totalt;Antall kvinner;Antall menn\n"
SEED_HEADER = "Studieprogram;2007;2016;2017;2018\n"
INTEGRATION_HEADER = (
    "Nivå;Institusjon;God faglig integrering norske og intern.;God sosial integrering norske og intern.\n"
)
INDEX_HEADER = (
    "survey_year,sb_id,institusjonskode,programnavn,nivaa,respondents,response_rate_pct,"
    "dimension_key,dimension_label_portal,value,field_average,field_average_label,warning\n"
)
INDEX_ROW = (
    "2025,1150_mttk-trondheim,1150,Kybernetikk og robotikk,Master,113,44.8,undervisning,"
    "Undervisning,{value},3.7,Av alle Elektro,\n"
)
SHOT_HEADER = "aar,indikator,gruppe,verdi_pct,definisjon_merknad,kilde_url\n"
KF_HEADER = "Institusjon;Studie- kode;Studienavn;Studiested;Utdanningstype;Nøkkeltall;2023;2024\n"
KF = "NTNU;194759;Bygg og infrastruktur;Trondheim;Master;"
SAMPLE_HEADER = (
    "entry_id,institusjon,studiekode,studiested,type,programnavn_beskrivende,programnavn_verifisert,"
    "aar,alle_sokere,forstevalgssokere,studieplasser,forstevalgssokere_kvinner_pct,"
    "antall_kvalifiserte,antall_tilbud,poenggrense_forstegangsvitnemal,poenggrense_ordinaer\n"
)
SAMPLE_ROW = (
    "ntnu_x,NTNU,194759,Trondheim,master,Bygg (master 5 år),ja,{year},1601,{first},215,{pct},1314,336,52.5,54.1\n"
)


def dbh_rows() -> list[dict]:
    # three hand-made rows in the real layout, every value a string
    return [
        {
            "Årstall": "2023",
            "Avdelingskode": "000000",
            "Antall totalt": "57",
            "Antall kvinner": "30",
            "Antall menn": "27",
        },
        {
            "Årstall": "2023",
            "Avdelingskode": "110300",
            "Antall totalt": "1203",
            "Antall kvinner": "701",
            "Antall menn": "502",
        },
        {
            "Årstall": "2024",
            "Avdelingskode": "110300",
            "Antall totalt": "1188",
            "Antall kvinner": "690",
            "Antall menn": "498",
        },
    ]


def dbh_json(
    rows: list | None = None,
    antall: int | None = None,
    returkode: int = 0,
    melding: str = "Data levert.",
    table: int = 123,
) -> str:
    rows = dbh_rows() if rows is None else rows
    status = {
        "tabell_id": table,
        "api_versjon": 1,
        "leveransenr": 1,
        "leveringstid": "2026-10-01 09:00:00",
        "antall": len(rows) if antall is None else antall,
        "returkode": returkode,
        "melding": melding,
    }
    return json.dumps([{"status": status}, *rows], ensure_ascii=False)


def with_cell(row: int, column: str, value, rows: list | None = None) -> list[dict]:
    rows = dbh_rows() if rows is None else rows
    rows[row - 1][column] = value
    return rows


def truncated_json() -> str:
    text = dbh_json()
    # cut inside data row 2's "Antall kvinner" value "701": a download that stopped early
    return text[: text.index('"Antall kvinner": "701') + len('"Antall kvinner": "7')]


def broken_json() -> str:
    # data row 3 has a number glued to a word: not valid JSON, and not truncated
    return dbh_json().replace('"Antall menn": "498"', '"Antall menn": 498x')


def missing_column() -> list[dict]:
    rows = dbh_rows()
    for r in rows:
        del r["Antall menn"]
    return rows


def duplicate_key() -> list[dict]:
    # data row 4 repeats data row 1's key (2023, 000000) with another total
    rows = dbh_rows()
    rows.append(dict(rows[0], **{"Antall totalt": "58", "Antall menn": "28"}))
    return rows


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    content: bytes | str
    row: int | None  # as printed: None -> "-"
    column: str | None
    value: str  # the value as printed, e.g. "'tolv'" or "10"
    message: str  # a phrase of the message


CASES = [
    # --- whole files ----------------------------------------------------------------------
    Case("empty-json", "dbh_api_t123_1120.json", "", None, None, "(empty)", "the file is empty"),
    Case("empty-csv", "dbh_t123.csv", "", None, None, "(empty)", "the file is empty"),
    Case("whitespace-only", "dbh_t123.csv", " \r\n\r\n  \n", None, None, "(empty)", "no content"),
    Case(
        "binary",
        "dbh_t123.csv",
        b"\x00\x01\x02\x03\xd0\xcf\x11\xe0 old excel",
        None,
        None,
        "'00 01 02 03 d0 cf 11 e0'",
        "not a text file",
    ),
    Case(
        "xlsx-named-csv",
        "dbh_t123.csv",
        b"PK\x03\x04\x14\x00\x06\x00 [Content_Types].xml",
        None,
        None,
        "'.csv'",
        "the content is a xlsx file but the name ends in .csv",
    ),
    Case(
        "parquet-named-json",
        "dbh_api_t123_1120.json",
        b"PAR1\x15\x04\x15 parquet pages",
        None,
        None,
        "'.json'",
        "the content is a parquet file",
    ),
    Case("header-only", "dbh_t123.csv", DBH_HEADER, 1, None, "'Årstall;Avdelingskode", "no data rows"),
    Case(
        "unknown-header",
        "tabell.csv",
        "Fag;Antall\nMatte;3\n",
        None,
        None,
        "'Fag, Antall'",
        "not a table the product knows",
    ),
    Case(
        "mojibake",
        "dbh_t123.csv",
        ("Ã…rstall;Avdelingskode;Antall totalt;Antall kvinner;Antall menn\n2019;000000;1;1;0\n"),
        None,
        None,
        "Ã…rstall",
        "garbled",
    ),
    Case(
        "undefined-cp1252-byte",
        "dbh_t123.csv",
        DBH_HEADER.encode("cp1252") + b"2019;00\x81000;1;1;0\n",
        None,
        None,
        "00",
        "neither UTF-8 nor Windows-1252",
    ),
    Case(
        "bom-but-not-utf8",
        "dbh_t123.csv",
        b"\xef\xbb\xbf" + (DBH_HEADER + "2019;000000;1;1;0\n").encode("cp1252"),
        None,
        None,
        "rstall",
        "says it is UTF-8",
    ),
    # --- DBH-API JSON ---------------------------------------------------------------------
    Case(
        "truncated-json",
        "dbh_api_t123_1120.json",
        truncated_json(),
        2,
        "Antall kvinner",
        "Antall kvinner",
        "ends too early",
    ),
    Case("broken-json", "dbh_api_t123_1120.json", broken_json(), 3, "Antall menn", "498x", "not valid JSON"),
    Case(
        "returkode",
        "dbh_api_t123_1120.json",
        dbh_json([], returkode=3, melding="Ugyldig tabell_id"),
        None,
        "status.returkode",
        "3",
        "DBH-API reports an error: Ugyldig tabell_id",
    ),
    Case(
        "error-melding",
        "dbh_api_t123_1120.json",
        dbh_json(melding="Feil: ukjent variabel Kjønn"),
        None,
        "status.melding",
        "'Feil: ukjent variabel Kjønn'",
        "DBH-API reports an error",
    ),
    Case(
        "antall-mismatch",
        "dbh_api_t123_1120.json",
        dbh_json(antall=10),
        None,
        "status.antall",
        "10",
        "the status says 10 rows but the file has 3",
    ),
    Case("no-data-rows", "dbh_api_t123_1120.json", dbh_json([]), None, "status.antall", "0", "no data rows"),
    Case(
        "women-over-total-json",
        "dbh_api_t123_1120.json",
        dbh_json(with_cell(2, "Antall kvinner", "1500")),
        2,
        "Antall totalt/Antall kvinner",
        "'1203/1500'",
        "more women than the total",
    ),
    Case(
        "negative-json",
        "dbh_api_t123_1120.json",
        dbh_json(with_cell(3, "Antall menn", "-5")),
        3,
        "Antall menn",
        "'-5'",
        "cannot be negative",
    ),
    Case(
        "non-numeric-json",
        "dbh_api_t123_1120.json",
        dbh_json(with_cell(1, "Antall totalt", "tolv")),
        1,
        "Antall totalt",
        "'tolv'",
        "not a number",
    ),
    Case(
        "fraction-count-json",
        "dbh_api_t123_1120.json",
        dbh_json(with_cell(1, "Antall totalt", "57.5")),
        1,
        "Antall totalt",
        "'57.5'",
        "whole number",
    ),
    Case(
        "bad-year-json",
        "dbh_api_t123_1120.json",
        dbh_json(with_cell(2, "Årstall", "20x3")),
        2,
        "Årstall",
        "'20x3'",
        "not a year",
    ),
    Case(
        "year-out-of-range",
        "dbh_api_t123_1120.json",
        dbh_json(with_cell(2, "Årstall", "1023")),
        2,
        "Årstall",
        "'1023'",
        "year outside",
    ),
    Case(
        "code-lost-zeros",
        "dbh_api_t123_1120.json",
        dbh_json(with_cell(1, "Avdelingskode", "0")),
        1,
        "Avdelingskode",
        "'0'",
        "six digits",
    ),
    Case(
        "null-value",
        "dbh_api_t123_1120.json",
        dbh_json(with_cell(3, "Antall totalt", None)),
        3,
        "Antall totalt",
        "(empty)",
        "value is missing",
    ),
    Case(
        "missing-column-json",
        "dbh_api_t123_1120.json",
        dbh_json(missing_column()),
        1,
        "Antall menn",
        "(empty)",
        "required column is missing",
    ),
    Case(
        "duplicate-key-json",
        "dbh_api_t123_1120.json",
        dbh_json(duplicate_key()),
        4,
        "Antall totalt",
        "58",
        "as row 1 but a different value (57)",
    ),
    Case(
        "table-not-read",
        "dbh_api_t999_1120.json",
        dbh_json(table=999),
        None,
        None,
        "999",
        "a table the product does not read",
    ),
    Case(
        "json-not-dbh",
        "oversikt.json",
        json.dumps({"programmer": [1, 2]}),
        None,
        None,
        "'programmer'",
        "neither a DBH-API table response nor Samordna",
    ),
    Case(
        "count-too-large",
        "dbh_api_t123_1120.json",
        dbh_json(with_cell(1, "Antall totalt", "99999999999999999999")),
        1,
        "Antall totalt",
        "'99999999999999999999'",
        "too large",
    ),
    Case(
        "fullwidth-digits",
        "dbh_api_t123_1120.json",
        dbh_json(with_cell(1, "Antall totalt", "５７")),
        1,
        "Antall totalt",
        "'５７'",
        "not a number",
    ),
    # --- DBH CSV --------------------------------------------------------------------------
    Case(
        "ragged-row",
        "dbh_t123.csv",
        DBH_HEADER + "2019;000000;12;5;7\n2020;000000;12;5\n",
        3,
        None,
        "'2020;000000;12;5'",
        "row has 4 fields, the header has 5",
    ),
    Case(
        "unclosed-quote",
        "dbh_t123.csv",
        DBH_HEADER + '2019;000000;12;5;7\n2020;"000000;12;5;7\n',
        3,
        None,
        "'2020;\"000000;12;5;7'",
        "quote opened on this line is never closed",
    ),
    Case(
        "women-over-total-csv",
        "dbh_t123.csv",
        DBH_HEADER + "2019;000000;12;5;7\n2020;000000;10;12;0\n",
        3,
        "Antall totalt/Antall kvinner",
        "'10/12'",
        "more women than the total",
    ),
    Case(
        # a download cut inside its last number ("…;26;41" → "…;26;4"): without the final line
        # break a row whose women + men is not the total is not read as given, but refused
        "cut-in-last-row",
        "dbh_t123.csv",
        DBH_HEADER + "2019;000000;12;5;7\n2020;000000;67;26;4",
        3,
        "Antall kvinner+Antall menn",
        "'26+4'",
        "the file looks cut short in its last row",
    ),
    Case(
        "missing-column-csv",
        "dbh_t123.csv",
        "Årstall;Avdelingskode;Antall totalt;Antall kvinner\n2019;000000;12;5\n",
        1,
        "Antall menn",
        "(empty)",
        "required column is missing",
    ),
    Case(
        "empty-count-csv",
        "dbh_t123.csv",
        DBH_HEADER + "2019;000000;12;;7\n",
        2,
        "Antall kvinner",
        "(empty)",
        "value is missing",
    ),
    Case(
        "institution-code",
        "dbh_t123.csv",
        "Institusjonskode;" + DBH_HEADER + "115;2019;000000;12;5;7\n",
        2,
        "Institusjonskode",
        "'115'",
        "four digits",
    ),
    Case(
        "duplicate-column",
        "dbh_t123.csv",
        DBH_HEADER.replace("Antall menn", "Antall kvinner") + "2019;000000;12;5;7\n",
        1,
        "Antall kvinner",
        "'Antall kvinner'",
        "appears twice",
    ),
    Case(
        "faculty-code",
        "fakultetskoder.csv",
        "Institusjonskode,Fakultetskode,Fakultetsnavn\n1150,21,SU\n",
        2,
        "Fakultetskode",
        "'21'",
        # said as for DBH's other codes (dbh_code_problems), not the contract's wording
        "Fakultetskode must be three digits",
    ),
    # --- the seed's tables ----------------------------------------------------------------
    Case(
        "share-over-100",
        "opptak.csv",
        SEED_HEADER + "Kybernetikk;13 %;120 %;30 %;40 %\n",
        2,
        "2016",
        "'120 %'",
        "above 100 %",
    ),
    Case(
        "negative-share",
        "opptak.csv",
        SEED_HEADER + "Kybernetikk;13 %;-2 %;30 %;40 %\n",
        2,
        "2016",
        "'-2 %'",
        "cannot be negative",
    ),
    Case(
        "bad-year-header",
        "opptak.csv",
        "Studieprogram;2007;20016\nKybernetikk;13 %;20 %\n",
        1,
        "20016",
        "'20016'",
        "every column must be a year",
    ),
    Case(
        "duplicate-programme",
        "opptak.csv",
        SEED_HEADER + "Kybernetikk;13 %;20 %;30 %;40 %\nElsys;10 %;21 %;24 %;25 %\nKybernetikk;13 %;20 %;31 %;40 %\n",
        4,
        "2017",
        "31.0",
        "as row 2 but a different value (30.0)",
    ),
    Case(
        "missing-programme",
        "opptak.csv",
        SEED_HEADER + ";13 %;20 %;30 %;40 %\n",
        2,
        "Studieprogram",
        "(empty)",
        "programme name is missing",
    ),
    Case(
        "score-6-extract",
        "integrering_2017.csv",
        INTEGRATION_HEADER + "Masterstudenter;NTNU;6,0;2,2\n",
        2,
        "God faglig integrering norske og intern.",
        "'6,0'",
        "between 1 and 5",
    ),
    Case(
        "total-row-extract",
        "integrering_2017.csv",
        INTEGRATION_HEADER + "Bachelorstudenter;NTNU;2,5;2,4\nBachelorstudenter;Totalt;3,5;3,2\n",
        3,
        "Institusjon",
        "'Totalt'",
        "a total row below the table",
    ),
    Case(
        "unknown-level",
        "integrering_2017.csv",
        INTEGRATION_HEADER + "PhD;NTNU;2,0;2,2\n",
        2,
        "Nivå",
        "'PhD'",
        "unknown level",
    ),
    Case(
        "no-survey-year",
        "integrering.csv",
        INTEGRATION_HEADER + "Masterstudenter;NTNU;2,3;2,2\n",
        1,
        "År",
        "(empty)",
        "survey year is not given",
    ),
    # --- Studiebarometeret portal, SHoT, variables -----------------------------------------
    Case(
        "score-6-portal",
        "portal_index.csv",
        INDEX_HEADER + INDEX_ROW.format(value="6"),
        2,
        "value",
        "'6'",
        "between 1 and 5",
    ),
    Case(
        "missing-programme-key",
        "portal_index.csv",
        INDEX_HEADER + INDEX_ROW.format(value="3.5").replace("1150_mttk-trondheim", ""),
        2,
        "sb_id",
        "(empty)",
        "value is missing",
    ),
    Case(
        "response-rate-over-100",
        "portal_index.csv",
        INDEX_HEADER + INDEX_ROW.format(value="3.5").replace("44.8", "144.8"),
        2,
        "response_rate_pct",
        "'144.8'",
        "above 100 %",
    ),
    Case(
        "history-duplicate",
        "historikk.csv",
        "sb_id,survey_year,dimension_key,value\n"
        "x,2022,undervisning,3.5\nx,2023,undervisning,3.1\nx,2022,undervisning,3.6\n",
        4,
        "value",
        "3.6",
        "as row 2 but a different value (3.5)",
    ),
    Case(
        "shot-not-a-percent",
        "shot.csv",
        SHOT_HEADER + "2018,ensomhet,alle,ti,,\n",
        2,
        "verdi_pct",
        "'ti'",
        "not a percentage",
    ),
    Case(
        "shot-wave-too-early",
        "shot.csv",
        SHOT_HEADER + "2005,ensomhet,alle,10,,\n",
        2,
        "aar",
        "2005",
        "must be at least 2010",
    ),
    Case(
        "variables-yes-no",
        "variabler.csv",
        "aar,blokk,ingress,sporsmalstekst,variabel,er_indeks,kildefil\n"
        "2021,B,,Spørsmål,underv_engasj_18,kanskje,f.xlsx\n",
        2,
        "er_indeks",
        "'kanskje'",
        "expected ja or nei",
    ),
    # --- Samordna opptak ------------------------------------------------------------------
    Case(
        "keyfigure-unknown",
        "so.csv",
        KF_HEADER + KF + "Søkere;1 468;1 500\n" + KF + "Venteliste;12;3\n",
        3,
        "Nøkkeltall",
        "'Venteliste'",
        "unknown key figure",
    ),
    Case(
        "keyfigure-women-over-total",
        "so.csv",
        KF_HEADER + KF + "Tilbud;336;350\n" + KF + "Tilbud (kvinner);120;351\n",
        3,
        "2024",
        "351",
        "more women than the total (350 on line 2)",
    ),
    Case(
        "keyfigure-duplicate",
        "so.csv",
        KF_HEADER + KF + "Søkere;1 468;1 500\n" + KF + "Søkere;1 468;1 600\n",
        3,
        "2024",
        "1600",
        "as row 2 but a different value (1500",
    ),
    Case(
        "keyfigure-share-over-100",
        "so.csv",
        KF_HEADER + KF + "Førstevalgssøkere;318;340\n" + KF + "Førstevalgssøkere (kvinner);134,1 %;35,0 %\n",
        3,
        "2023",
        "'134,1 %'",
        "above 100 %",
    ),
    Case(
        "keyfigure-non-numeric",
        "so.csv",
        KF_HEADER + KF + "Søkere;1 468;ca. 1500\n",
        2,
        "2024",
        "'ca. 1500'",
        "not a number",
    ),
    Case(
        "sample-share-over-100",
        "so_sample.csv",
        SAMPLE_HEADER + SAMPLE_ROW.format(year=2021, first=328, pct="137.8"),
        2,
        "forstevalgssokere_kvinner_pct",
        "'137.8'",
        "above 100 %",
    ),
    Case(
        "sample-bad-year",
        "so_sample.csv",
        SAMPLE_HEADER + SAMPLE_ROW.format(year="2O21", first=328, pct="37.8"),
        2,
        "aar",
        "'2O21'",
        "not a year",
    ),
]


def shown(case: Case, path: Path) -> str:
    row = "-" if case.row is None else str(case.row)
    col = case.column or "-"
    return f"{path}:{row}:{col}: "


def write_case(case: Case, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / case.name
    data = case.content.encode("utf-8") if isinstance(case.content, str) else case.content
    path.write_bytes(data)
    return path


def matching_line(output: str, case: Case, path: Path) -> str:
    lines = [line for line in output.splitlines() if line.startswith(shown(case, path))]
    assert lines, f"no line starting {shown(case, path)!r} in:\n{output}"
    line = next((x for x in lines if case.message in x), lines[0])
    return line


def test_the_readers_refuse_at_least_20_different_bad_inputs_for_20_different_reasons(tmp_path):
    """Counted on what the readers answer, not on the length of this file's list: every case is
    refused, no two cases are the same file, and the refusals name at least 20 different
    problems."""
    assert len({c.id for c in CASES}) == len(CASES)
    assert len({(c.name, c.content) for c in CASES}) == len(CASES)
    reasons = set()
    for case in CASES:
        with pytest.raises(InputError) as err:
            read_path(write_case(case, tmp_path / case.id))
        reasons |= {case.message for p in err.value.problems if case.message in p.message}
    assert len(reasons) >= 20, sorted(reasons)


@pytest.fixture(scope="module")
def earlier_output(tmp_path_factory) -> Path:
    """A good earlier ingest output, made once, to be copied into each test."""
    raw = tmp_path_factory.mktemp("good_raw")
    from analysis import paths

    shutil.copy(paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv", raw)
    shutil.copy(paths.RAW / "seed_studiebarometeret_2017_integrering.csv", raw)
    out = tmp_path_factory.mktemp("earlier") / "validated"
    assert main(["ingest", "--data", str(raw), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_reader_names_file_row_column_and_value(case, tmp_path):
    path = write_case(case, tmp_path)
    with pytest.raises(InputError) as err:
        read_path(path)
    problems = [p for p in err.value.problems if case.message in p.message]
    assert problems, [str(p) for p in err.value.problems]
    p = problems[0]
    assert p.file == str(path)
    assert p.row == case.row
    assert p.column == case.column
    assert case.value in str(p)
    assert p.hint.strip()  # every problem says what to do


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_validate_exits_1_prints_the_problem_and_writes_nothing(case, tmp_path, capsys):
    folder = tmp_path / "in"
    path = write_case(case, folder)
    before = tree_snapshot(tmp_path)
    rc = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert rc == 1
    assert "Traceback" not in out + err
    line = matching_line(out, case, path)
    assert case.value in line and case.message in line
    assert "—" in line and line.rstrip().endswith(")")  # "— what is wrong (what to do)"
    assert tree_snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_ingest_refuses_and_keeps_the_earlier_output(case, tmp_path, earlier_output, capsys):
    from analysis import paths

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv", raw)  # a good file too
    bad = write_case(case, raw)
    parent = tmp_path / "data"
    out = parent / "validated"
    shutil.copytree(earlier_output, out)
    before = tree_snapshot(out)
    rc = main(["ingest", "--data", str(raw), "--out", str(out)])
    stdout, stderr = capsys.readouterr()
    assert rc == 1
    assert "Traceback" not in stdout + stderr
    assert case.value in matching_line(stderr, case, bad)
    assert "nothing was written" in stderr
    assert tree_snapshot(out) == before
    assert [p.name for p in parent.iterdir()] == ["validated"]  # no temporary folders left


def test_every_bad_file_at_once_through_the_console_command(tmp_path, run_cli, capsys):
    """The real entry point in a subprocess: all problems of all files in one run, exit 1, the
    earlier output untouched, never a traceback. (validate runs in-process: the subprocess
    start-up alone costs seconds.)"""
    raw = tmp_path / "raw"
    folders = {}
    for i, case in enumerate(CASES):
        folder = raw / f"{i:02d}"
        folders[case.id] = write_case(case, folder)
    parent = tmp_path / "data"
    out = parent / "validated"
    out.mkdir(parents=True)
    (out / "gender.parquet").write_bytes(b"earlier output")
    (out / "manifest.json").write_text('{"stage": "validated"}\n', encoding="utf-8")
    # an earlier output of kvalitet carries its marker (manifest.json alone proves nothing)
    (out / ".kvalitet-output.json").write_text(
        '{"written_by": "kvalitet", "kind": "validated data", "files": ["gender.parquet", "manifest.json"]}\n',
        encoding="utf-8",
    )
    before = tree_snapshot(out)

    rc, stdout, stderr = run_cli(["ingest", "--data", raw, "--out", out])
    assert rc == 1
    assert "Traceback" not in stdout + stderr
    for case in CASES:
        assert shown(case, folders[case.id]) in stderr, case.id
    assert tree_snapshot(out) == before
    assert [p.name for p in parent.iterdir()] == ["validated"]

    rc = main(["validate", str(raw)])
    stdout, stderr = capsys.readouterr()
    assert rc == 1
    assert "Traceback" not in stdout + stderr
    for case in CASES:
        assert shown(case, folders[case.id]) in stdout, case.id
    assert f"{len(CASES)} of {len(CASES)} files invalid" in stderr


def gender_row(suppressed: bool, reason: str | None):
    """One faculty row of gender observations as a reader gives it (dbh.csv row 3): 1 woman and
    3 men of 4, or women and men unknown where ``suppressed``, with ``reason``."""
    import pandas as pd

    return pd.DataFrame(
        {
            "source_file": "dbh.csv",
            "source_row": pd.array([3], dtype="Int64"),
            "source_kind": ["dbh-csv"],
            "level": ["faculty"],
            "unit_code": ["120"],
            "faculty_code": ["120"],
            "year": pd.array([2020], dtype="Int64"),
            "measure": ["registered"],
            "total": pd.array([4], dtype="Int64"),
            "women": pd.array([None if suppressed else 1], dtype="Int64"),
            "men": pd.array([None if suppressed else 3], dtype="Int64"),
            "share_women_given_pct": pd.array([None], dtype="Float64"),
            "suppressed": [suppressed],
            "suppression": pd.array([reason], dtype="object"),
        }
    )


def test_a_suppressed_gender_row_must_say_why():
    """A suppressed row's reason decides how its unknown share is worded (a small cell, or no
    gender split given); a reader that leaves it out is refused, as one that gives a reason to a
    row that is not suppressed."""

    from analysis.errors import InputError, validate_frame
    from schemas.gender import GenderObservations

    what = (
        " — a suppressed row without its reason, or a reason on a row that is not suppressed"
        " (this is a bug in the reader; please report it)"
    )
    for suppressed, reason, cell in [
        (True, None, "suppressed: True"),  # an empty cell is left out of the named columns
        (False, "small_cell", "suppressed/suppression: 'False/small_cell'"),
    ]:
        with pytest.raises(InputError) as err:
            validate_frame(gender_row(suppressed, reason), GenderObservations, "(test)")
        assert [str(p) for p in err.value.problems] == [f"dbh.csv:3:{cell}{what}"]
    for suppressed, reason in [(True, "small_cell"), (True, "no_gender_split"), (False, None)]:
        assert len(validate_frame(gender_row(suppressed, reason), GenderObservations, "(test)")) == 1


def test_a_row_check_on_empty_cells_is_still_reported_with_its_row():
    """pandera leaves the empty columns of a failing row check out of its failure list; the row
    must still come out as a problem (it once came out as no problem at all, and a command then
    failed with an IndexError or, in ingest, dropped the file)."""
    import pandas as pd

    from analysis.errors import InputError, validate_frame
    from schemas.gender import GenderObservations

    row = {
        "source_file": "opptak.csv",
        "source_row": pd.array([7], dtype="Int64"),
        "source_kind": ["seed-admission"],
        "institution_code": [None],
        "institution_name": [None],
        "level": ["programme"],
        "unit_code": ["P"],
        "unit_name": [None],
        "faculty_code": [None],
        "year": pd.array([2020], dtype="Int64"),
        "measure": ["offers"],
        "total": pd.array([None], dtype="Int64"),
        "women": pd.array([None], dtype="Int64"),
        "men": pd.array([None], dtype="Int64"),
        "share_women_given_pct": pd.array([None], dtype="Float64"),
        "suppressed": [False],
    }
    with pytest.raises(InputError) as err:
        validate_frame(pd.DataFrame(row), GenderObservations, "(test)")
    assert [str(p) for p in err.value.problems] == [
        "opptak.csv:7:total: (empty) — neither counts nor a share (give counts (total, women, men) or a share of women)"
    ]


def test_a_frame_without_a_required_column_names_that_column_only():
    """A frame built by hand without ``source_file`` and ``source_row`` is refused for those two
    columns, in the words of a missing column; the frame-wide checks, which could not run on the
    incomplete frame, add no false problem (they once added "suppressed: (empty) — a suppressed
    row without its reason" and "total: (empty) — neither counts nor a share" to a row with
    counts and nothing suppressed)."""
    import pandas as pd

    from analysis.errors import InputError, validate_frame
    from schemas.gender import GenderObservations

    # without its source columns, and without the two columns the model would add as missing
    frame = gender_row(False, None).drop(columns=["source_file", "source_row", "share_women_given_pct", "suppression"])
    what = ": (empty) — required column is missing (add the column or check that this is the right kind of file)"
    with pytest.raises(InputError) as err:
        validate_frame(frame, GenderObservations, "(test)")
    assert [str(p) for p in err.value.problems] == [f"(test):1:source_file{what}", f"(test):1:source_row{what}"]
    # with the two columns the same frame passes: the problems were the columns, nothing else
    complete = frame.assign(source_file="dbh.csv", source_row=pd.array([3], dtype="Int64"))
    assert len(validate_frame(complete, GenderObservations, "(test)")) == 1


SEED = "seed_hovedopptak_andel_kvinner_2007_2018.csv"


def test_a_file_that_cannot_be_read_is_named_by_every_command_that_reads_it(tmp_path, real_file, run_cli):
    """A data file without read permission: ingest, derive and report say what validate says,
    naming the file, not "unexpected error" (the stages take every file's checksum before
    reading it) nor the report's --out (which is writable)."""
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(real_file(SEED), raw)
    (raw / SEED).chmod(0o000)
    expected = f"{raw / SEED}:-:-: (empty) — cannot be read (no permission) (check the file's permissions)"
    for args in (
        ["validate", raw / SEED],
        ["ingest", "--data", raw, "--out", tmp_path / "validated"],
        ["derive", "--data", raw],
        ["report", "--no-static", "--data", raw, "--out", tmp_path / "report"],
    ):
        rc, stdout, stderr = run_cli(args, permissions=True)
        assert rc == 1, (args, stdout, stderr)
        assert expected in stdout + stderr, (args, stdout, stderr)
        assert "unexpected error" not in stderr and "could not write" not in stderr, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # nothing written


@pytest.mark.parametrize("mode", [0o000, 0o444], ids=["no-permission", "names-only"])
def test_a_data_folder_that_cannot_be_read_is_an_error_not_skipped(tmp_path, real_file, run_cli, mode):
    """A sub-folder of the data (or the data folder itself) that cannot be opened: every command
    that reads the folder names it and stops; its files are never left out without a word."""
    raw = tmp_path / "raw"
    (raw / "dbh").mkdir(parents=True)
    shutil.copy(real_file(SEED), raw)
    shutil.copy(real_file("dbh_api/dbh_api_t123_1150.json"), raw / "dbh")
    (raw / ".staging").mkdir()  # a hidden folder is the tools' own, not read: no problem either
    (raw / ".staging").chmod(0o000)
    for folder in (raw / "dbh", raw):
        folder.chmod(mode)
        expected = f"{folder}:-:-: (empty) — cannot be read (no permission) (check the folder's permissions)"
        try:
            for args in (
                ["validate", raw],
                ["ingest", "--data", raw, "--out", tmp_path / "validated"],
                ["flags", raw, "--out", tmp_path / "flags.csv"],
            ):
                rc, stdout, stderr = run_cli(args, permissions=True)
                assert rc == 1, (args, stdout, stderr)
                assert stderr.splitlines()[0] == expected, (args, stderr)
                assert ".staging" not in stdout + stderr and "Traceback" not in stderr
        finally:
            folder.chmod(0o755)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]  # nothing written
