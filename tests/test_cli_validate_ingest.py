"""``kvalitet validate`` and ``kvalitet ingest`` as an adviser uses them: exit codes, what is
printed, that validate never writes, and that ingest is all-or-nothing.

The tests call the CLI in-process (``analysis.cli.main``) because starting Python costs
seconds; tests/test_bad_inputs.py runs the real console entry point in a subprocess.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from conftest import tree_snapshot

from tests.conftest import cli_in_process as cli

T123_JSON = "dbh_api/dbh_api_t123_1150.json"
T123_CSV = "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
SEED = "seed_hovedopptak_andel_kvinner_2007_2018.csv"


def dbh_response(rows: list[dict], table: int = 123) -> str:
    """The exact real layout: status object first (integers, as DBH-API sends them), then one
    object per row with every value a string."""
    status = {
        "status": {
            "tabell_id": table,
            "api_versjon": 1,
            "leveransenr": 9100002,
            "leveringstid": "2026-10-02 08:15:00",
            "antall": len(rows),
            "returkode": 0,
            "melding": "Data levert (med skjerming for utvalgte rapporter).",
        }
    }
    return json.dumps([status, *rows], ensure_ascii=False)


def t123(year, dept, total, women, men, inst=None) -> dict:
    r = {"Institusjonskode": inst} if inst else {}
    r.update(
        {"Årstall": year, "Avdelingskode": dept, "Antall totalt": total, "Antall kvinner": women, "Antall menn": men}
    )
    return r


# --- validate ---------------------------------------------------------------------------


def test_validate_the_real_folder(raw_dir, capsys):
    before = tree_snapshot(raw_dir.parent)
    rc, out, err = cli(capsys, "validate", raw_dir)
    assert rc == 0, out + err
    lines = out.splitlines()
    # one line per data file; MANIFEST.json (provenance) and README.md are not data (the
    # national table-123 export and its query body are the 15th and 16th file)
    assert sum(": reads — " in line for line in lines) == 16
    national = raw_dir / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
    assert f"{national}: reads — dbh-123-csv, 25443 rows, 1623 suppressed cells" in lines
    assert f"{raw_dir / 'dbh_national' / 'dbh_t123_alle_institusjoner_query.json'}: reads — dbh-query, 1 row" in lines
    assert not any("MANIFEST.json" in line for line in lines)
    assert f"{raw_dir / T123_JSON}: reads — dbh-123-json, 349 rows, 3 suppressed cells" in lines
    assert f"{raw_dir / 'dbh_api/dbh_api_t210_1150.json'}: reads — dbh-210-json, 371 rows" in lines
    assert f"{raw_dir / SEED}: reads — seed-admission, 20 rows" in lines
    assert tree_snapshot(raw_dir.parent) == before  # validate writes nothing


def test_validate_exit_1_when_any_file_is_invalid_and_the_good_ones_are_still_listed(tmp_path, real_file, capsys):
    good = shutil.copy(real_file(SEED), tmp_path / SEED)
    bad = tmp_path / "opptak_feil.csv"
    bad.write_text("Studieprogram;2018\nKybernetikk;140 %\n", encoding="utf-8")
    before = tree_snapshot(tmp_path)
    rc, out, err = cli(capsys, "validate", good, bad)
    assert rc == 1
    assert f"{good}: reads — seed-admission, 20 rows" in out
    assert f"{bad}:2:2018: '140 %' — a percentage cannot be above 100 %" in out
    assert "1 of 2 files invalid" in err
    assert tree_snapshot(tmp_path) == before


def test_validate_a_folder_validates_the_files_in_it(tmp_path, real_file, capsys):
    (tmp_path / "sub").mkdir()
    shutil.copy(real_file(SEED), tmp_path / "sub" / SEED)
    shutil.copy(real_file("seed_studiebarometeret_2017_integrering.csv"), tmp_path)
    (tmp_path / "notater.md").write_text("not data", encoding="utf-8")
    rc, out, _ = cli(capsys, "validate", tmp_path)
    assert rc == 0
    assert len(out.splitlines()) == 2
    assert "seed-integration, 10 rows" in out and "seed-admission, 20 rows" in out


def test_validate_usage_errors_exit_2(capsys, real_file):
    assert cli(capsys, "validate")[0] == 2  # no PATH
    rc, _, err = cli(capsys, "validate", "--bogus", real_file(SEED))
    assert rc == 2 and "--bogus" in err
    rc, _, err = cli(capsys, "validate", "--kind", "dbh-999", real_file(SEED))
    assert rc == 2 and "invalid choice: 'dbh-999'" in err and "dbh-123-json" in err  # says what is allowed
    assert cli(capsys)[0] == 2  # no command at all


def test_validate_missing_file_is_invalid_not_a_crash(tmp_path, capsys):
    rc, out, _ = cli(capsys, "validate", tmp_path / "finnes_ikke.csv")
    assert rc == 1
    assert (
        f"{tmp_path / 'finnes_ikke.csv'}:-:-: '{tmp_path / 'finnes_ikke.csv'}' — file not found "
        f"(the folder {tmp_path} has no file finnes_ikke.csv)"
    ) in out


def test_a_file_not_found_names_the_path_looked_for_and_what_is_missing(tmp_path, capsys, monkeypatch):
    """ "file not found" showed "(empty)" as its value and said "check the path" of the path the
    line had named already: a relative path is looked for from the working directory, which the
    adviser may not know, and a typo in the name or a folder that is not there look alike."""
    (tmp_path / "rådata").mkdir()
    (tmp_path / "rådata" / "tabell_123.csv").write_text("x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    rc, out, _ = cli(capsys, "validate", "rådata/tabell_123.xlsx")
    assert rc == 1
    assert (
        f"rådata/tabell_123.xlsx:-:-: '{tmp_path / 'rådata' / 'tabell_123.xlsx'}' — file not found "
        f"(the folder {tmp_path / 'rådata'} has no file tabell_123.xlsx; did you mean tabell_123.csv?)"
    ) in out
    rc, out, _ = cli(capsys, "validate", "radata/2025/tabell_123.csv")
    assert rc == 1
    assert f"— file not found (the folder {tmp_path / 'radata'} does not exist: check the path)" in out
    rc, out, _ = cli(capsys, "validate", "rådata/tabell_123.csv/x.csv")  # a file where a folder belongs
    assert rc == 1
    assert f"— file not found ({tmp_path / 'rådata' / 'tabell_123.csv'} is a file, not a folder: check the path)" in out
    (tmp_path / "lenke.csv").symlink_to(tmp_path / "slettet.csv")
    rc, out, _ = cli(capsys, "validate", "lenke.csv")
    assert rc == 1
    assert (
        f"lenke.csv:-:-: '{tmp_path / 'lenke.csv'} → {tmp_path / 'slettet.csv'}' — file not found "
        "(it is a link to a file that is not there: give the file itself)"
    ) in out


def test_kind_override_reads_a_file_detection_cannot_place(tmp_path, capsys):
    # the first column is "Program", not "Studieprogram": not recognised from the header alone
    path = tmp_path / "andel_kvinner.csv"
    path.write_text("Program;2017;2018\nKybernetikk;30 %;40 %\n", encoding="utf-8")
    rc, out, _ = cli(capsys, "validate", path)
    assert rc == 1 and "not a table the product knows" in out and "--kind" in out
    assert "delete any title rows above the header" in out  # the other likely cause, as for xlsx
    rc, out, _ = cli(capsys, "validate", "--kind", "seed-admission", path)
    assert rc == 0 and f"{path}: reads — seed-admission, 2 rows" in out


SAMORDNA_SAMPLE = "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"


@pytest.mark.parametrize("kind", [None, "given"])
@pytest.mark.parametrize(
    "source, above, header_row, title_rows",
    [
        pytest.param(T123_CSV, "Tabell 1: Kjønnsfordeling 2024\n\n\n", 4, 1, id="title-and-blank-lines"),
        pytest.param(T123_CSV, ";;;;;;\n", 2, 1, id="a-line-of-separators"),
        pytest.param(SAMORDNA_SAMPLE, "Søkertall\nSamordna opptak, 2021–2026\n", 3, 2, id="two-title-rows"),
    ],
)
def test_a_title_row_above_a_known_header_names_the_row_the_header_is_on(
    tmp_path, real_file, capsys, source, above, header_row, title_rows, kind
):
    """A table with a title row above its header was 'not a table the product knows' with
    'give the kind with --kind', which pointed the wrong way (and with --kind: a line per row,
    'row has 7 fields, the header has 1', or 'required column is missing'). Detection looks
    at the lines below the first for a header it knows and names its row."""
    path = tmp_path / source
    first_rows = real_file(source).read_text(encoding="utf-8").splitlines()[:6]
    path.write_text(above + "\n".join(first_rows) + "\n", encoding="utf-8")
    given = ["--kind", "dbh-123-csv" if source == T123_CSV else "samordna-sample"] if kind else []
    rc, out, _ = cli(capsys, "validate", *given, path)
    title = above.splitlines()[0]
    rows = f"{title_rows} title row" + ("s" if title_rows > 1 else "")
    assert rc == 1
    assert out.splitlines() == [
        f"{path}:1:-: {title!r} — the header is on row {header_row}, below {rows} "
        "(delete the rows above the header and run again)"
    ]


def test_a_title_row_is_not_guessed_where_no_known_header_follows(tmp_path, capsys):
    """Only a header the product knows counts: a table it does not know keeps the message that
    names the header it does not know."""
    path = tmp_path / "tabell.csv"
    path.write_text("Tabell 1\nFag;Antall\nMatte;3\n", encoding="utf-8")
    rc, out, _ = cli(capsys, "validate", path)
    assert rc == 1 and f"{path}:-:-: 'Tabell 1' — not a table the product knows" in out


def test_blank_lines_above_the_header_are_skipped_whatever_the_separator(tmp_path, real_file, capsys):
    """A blank first line made the separator a comma (it was taken from the first line), so a
    semicolon-separated DBH table was one column wide and 'not a table the product knows';
    blank lines above the header are skipped, as blank lines anywhere are."""
    path = tmp_path / "t123.csv"
    table = real_file(T123_CSV).read_text(encoding="utf-8").splitlines()[:3]
    path.write_text("\n  \n" + "\n".join(row.replace(",", ";") for row in table) + "\n", encoding="utf-8")
    rc, out, _ = cli(capsys, "validate", path)
    assert rc == 0 and f"{path}: reads — dbh-123-csv, 2 rows" in out


def test_ingest_names_the_header_row_of_a_raw_file_with_a_title_row(raw_dir, tmp_path, run_cli):
    """In the raw folder the manifest's query names the file's kind, so it was read as DBH
    table 123 and refused row by row; ingest names the header's row and writes nothing."""
    path = raw_dir / T123_CSV
    path.write_text("Registrerte studenter NTNU\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "validated"
    rc, _, err = run_cli(["ingest", "--data", raw_dir, "--out", out])
    assert rc == 1
    assert err.splitlines() == [
        f"{path}:1:-: 'Registrerte studenter NTNU' — the header is on row 2, below 1 title row "
        "(delete the rows above the header and run again)",
        "kvalitet ingest: nothing was written",
    ]
    assert not out.exists()


@pytest.mark.parametrize(
    "file, kind, detected",
    [
        (T123_JSON, "dbh-210-json", "dbh-123-json"),  # the right format, the wrong table
        (T123_JSON, "dbh-123-csv", "dbh-123-json"),  # JSON given as CSV
        (SEED, "shot-indicators", "seed-admission"),
    ],
)
def test_a_wrong_kind_says_what_the_file_is(real_file, capsys, file, kind, detected):
    path = real_file(file)
    rc, out, _ = cli(capsys, "validate", "--kind", kind, path)
    assert rc == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{path}:-:-: '{kind}' — --kind {kind} does not fit this file: it reads as {detected}")
    assert f"--kind {detected}" in first


def test_validate_a_dbh_response_for_another_university(tmp_path, capsys):
    # University of Bergen (1120), not in the repository: same layout as NTNU's real response
    rows = [
        t123("2024", "000000", "57", "30", "27"),
        t123("2024", "110300", "1 203", "701", "502"),
        t123("2025", "110300", "1188", "690", "498"),
        t123("2025", "120510", "7", "0", "0"),
        t123("2025", "120520", "0", "0", "0"),
    ]
    path = tmp_path / "dbh_api_t123_1120.json"
    path.write_text(dbh_response(rows), encoding="utf-8")
    rc, out, _ = cli(capsys, "validate", path)
    assert rc == 0
    assert out.strip() == f"{path}: reads — dbh-123-json, 5 rows, 1 suppressed cell"


def test_validate_a_dbh_response_grouped_by_two_institutions(tmp_path, capsys):
    rows = [
        t123("2024", "000000", "40", "22", "18", inst="1120"),
        t123("2024", "000000", "75", "31", "44", inst="1110"),
        t123("2024", "210000", "812", "402", "410", inst="1110"),
        t123("2024", "210000", "9", "0", "0", inst="1120"),
    ]
    path = tmp_path / "dbh_api_t123_uib_uio.json"
    path.write_text(dbh_response(rows), encoding="utf-8")
    rc, out, _ = cli(capsys, "validate", path)
    assert rc == 0
    assert out.strip() == f"{path}: reads — dbh-123-json, 4 rows, 1 suppressed cell"
    # the same department code in two institutions is two units, not a duplicate
    rows.append(t123("2024", "000000", "41", "22", "19", inst="1120"))
    path.write_text(dbh_response(rows), encoding="utf-8")
    rc, out, _ = cli(capsys, "validate", path)
    assert rc == 1 and f"{path}:5:Antall totalt: 41 — same key (Institusjonskode=1120" in out


def test_validate_a_table_210_response_for_another_university(tmp_path, capsys):
    rows = [
        {
            "Institusjonskode": "1120",
            "Avdelingskode": "110300",
            "Fakultetskode": "110",
            "Fakultetsnavn": "Det humanistiske fakultet",
            "Gyldig fra": "20001",
            "Gyldig til": "99999",
        },
        {
            "Institusjonskode": "1120",
            "Avdelingskode": "120510",
            "Fakultetskode": "120",
            "Fakultetsnavn": "Det matematisk-naturvitenskapelige fakultet",
            "Gyldig fra": "11111",
            "Gyldig til": "99999",
        },
    ]
    path = tmp_path / "dbh_api_t210_1120.json"
    path.write_text(dbh_response(rows, table=210), encoding="utf-8")
    rc, out, _ = cli(capsys, "validate", path)
    assert rc == 0 and out.strip() == f"{path}: reads — dbh-210-json, 2 rows"


# --- ingest -------------------------------------------------------------------------------


def test_ingest_writes_parquet_and_a_manifest_then_replaces_it_atomically(tmp_path, real_file, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(real_file(SEED), raw)
    parent = tmp_path / "data"
    out = parent / "validated"
    rc, stdout, _ = cli(capsys, "ingest", "--data", raw, "--out", out)
    assert rc == 0
    assert sorted(p.name for p in out.iterdir()) == [".kvalitet-output.json", "gender.parquet", "manifest.json"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"][0]["file"] == SEED and manifest["inputs"][0]["rows"] == 20
    assert manifest["inputs"][0]["sha256"] == "c579d5948478c6f38910b8b6cbeccd03cec8d071c694861a2f6a2b5c8581ae1a"
    assert len(pd.read_parquet(out / "gender.parquet")) == 20
    # a second run with one more file replaces the whole folder and leaves nothing behind
    shutil.copy(real_file("seed_studiebarometeret_2017_integrering.csv"), raw)
    rc, _, _ = cli(capsys, "ingest", "--data", raw, "--out", out)
    assert rc == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".kvalitet-output.json",
        "gender.parquet",
        "integration_extract.parquet",
        "manifest.json",
    ]
    assert [p.name for p in parent.iterdir()] == ["validated"]


def test_ingest_refuses_a_csv_copy_that_disagrees_with_the_dbh_response(tmp_path, real_file, capsys):
    raw = tmp_path / "raw"
    (raw / "dbh_api").mkdir(parents=True)
    shutil.copy(real_file(T123_JSON), raw / "dbh_api")
    text = real_file(T123_CSV).read_text(encoding="utf-8")
    # line 101 "1150,220540,220,2020,196,82,114" (JSON data row 100) edited to 83 women, 113 men
    assert "1150,220540,220,2020,196,82,114\n" in text
    (raw / T123_CSV).write_text(
        text.replace("1150,220540,220,2020,196,82,114", "1150,220540,220,2020,196,83,113"), encoding="utf-8"
    )
    parent = tmp_path / "data"
    out = parent / "validated"
    out.mkdir(parents=True)
    (out / "gender.parquet").write_bytes(b"earlier")
    (out / ".kvalitet-output.json").write_text(  # an earlier output of kvalitet carries its marker
        '{"written_by": "kvalitet", "kind": "validated data", "files": ["gender.parquet"]}', encoding="utf-8"
    )
    before = tree_snapshot(out)
    rc, _, err = cli(capsys, "ingest", "--data", raw, "--out", out)
    assert rc == 1
    assert f"{T123_CSV}:101:Antall kvinner: 83 — the same unit and year" in err
    assert "dbh_api_t123_1150.json row 100 with 82" in err
    assert tree_snapshot(out) == before
    assert [p.name for p in parent.iterdir()] == ["validated"]


def test_ingest_usage_and_missing_folder(tmp_path, capsys):
    assert cli(capsys, "ingest", "--bogus")[0] == 2
    rc, _, err = cli(capsys, "ingest", "--data", tmp_path / "finnes_ikke", "--out", tmp_path / "out")
    assert rc == 1 and not (tmp_path / "out").exists()
    assert (
        f"'{tmp_path / 'finnes_ikke'}' — folder not found (the folder {tmp_path} has no folder finnes_ikke; "
        "give the folder that holds the raw files (like data/raw))"
    ) in err
    (tmp_path / "tom").mkdir()
    rc, _, err = cli(capsys, "ingest", "--data", tmp_path / "tom", "--out", tmp_path / "out")
    assert rc == 1 and "no data files in the folder" in err and not (tmp_path / "out").exists()


def test_the_folder_above_the_raw_folder_given_as_data_names_the_raw_folder(tmp_path, capsys):
    """``--data data`` for data/raw (``kvalitet fetch --data DIR`` writes to DIR/raw): read as
    raw data it gave a message for every Parquet file of its stage folders, none saying that."""
    from analysis import paths

    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    shutil.copy(paths.RAW / SEED, data / "raw")
    assert cli(capsys, "ingest", "--data", data / "raw")[0] == 0  # data/validated beside it
    before = tree_snapshot(tmp_path)
    for command in (["ingest", "--out", tmp_path / "out"], ["derive"]):
        rc, _, err = cli(capsys, *command, "--data", data)
        problems = [line for line in err.splitlines() if line.startswith(str(data))]
        assert rc == 1 and problems == [
            f"{data}:-:-: (empty) — is the folder above the raw-data folder raw/ (give --data {data / 'raw'})"
        ], err
    assert tree_snapshot(tmp_path) == before


def test_a_folder_holding_kvalitets_own_output_reads_the_raw_files_only(tmp_path, capsys):
    """``kvalitet flags data`` (or validate): the validated stage's Parquet files beside data/raw
    were read as data and each refused (exit 1); kvalitet's own output folder is noted, not read."""
    from analysis import paths

    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    shutil.copy(paths.RAW / SEED, data / "raw")
    assert cli(capsys, "ingest", "--data", data / "raw")[0] == 0  # data/validated, with its marker
    rc, out, err = cli(capsys, "validate", data)
    assert rc == 0 and f"{data / 'validated'}:-:-: (empty) — kvalitet's own output" in err, err
    assert out.count(": reads — ") == 1 and f"{data / 'raw' / SEED}: reads — seed-admission, 20 rows" in out
    assert cli(capsys, "flags", data)[0] == 0
