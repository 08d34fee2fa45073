"""A table kvalitet wrote (``flags|integration|survey|wellbeing --out``) and an adviser copied
back into the raw-data folder is said once to be kvalitet's own output, not raw data.

Before, a flags table for people (``Nivå;Institusjonskode;…``) was read as the seed's admission
table and refused with "unknown level" on each of its rows; an integration table was a seed
extract without its "Nivå"; Parquet outputs were respondent data without ``studprog_kod``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.charts.labels import confidence_levels
from analysis.cli import main
from analysis.settings import Settings
from tests.conftest import cli_in_process as cli

SEED = "seed_hovedopptak_andel_kvinner_2007_2018.csv"
INTEGRATION = "seed_studiebarometeret_2017_integrering.csv"
SHOT = "shot_headline_figures_national.csv"

#: Each command and a real raw file it reads (survey: synthetic respondents, made below).
INPUTS = {"flags": SEED, "integration": INTEGRATION, "wellbeing": SHOT, "survey": None}


@pytest.fixture(scope="module")
def outputs_state(tmp_path_factory) -> Path:
    """The private state folder of the runs that make ``outputs`` (their record of written
    files, which the test of a second run reads)."""
    return tmp_path_factory.mktemp("outputs-state") / "kvalitet"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, outputs_state) -> dict[tuple[str, str, str], list[Path]]:
    """(command, suffix, lang) -> the files ``kvalitet COMMAND --out x.SUFFIX --lang LANG`` wrote."""
    import contextlib
    import io

    folder = tmp_path_factory.mktemp("outputs")
    respondents = folder / "respondents.csv"
    quiet = io.StringIO()
    with contextlib.redirect_stderr(quiet), contextlib.redirect_stdout(quiet), pytest.MonkeyPatch.context() as env:
        env.setenv("KVALITET_STATE_DIR", str(outputs_state))
        assert (
            main(["synth", "--respondents", "120", "--programmes", "2", "--years", "2", "--out", str(respondents)]) == 0
        )
        made = {}
        for command, name in INPUTS.items():
            given = respondents if name is None else paths.RAW / name
            for suffix in (".csv", ".xlsx", ".parquet"):
                for lang in ("nb", "en") if suffix != ".parquet" else ("nb",):
                    out = folder / f"{command}_{lang}{suffix}"
                    before = set(folder.iterdir())
                    assert main([command, str(given), "--out", str(out), "--lang", lang]) == 0, quiet.getvalue()
                    made[(command, suffix, lang)] = sorted(set(folder.iterdir()) - before)
    return made


CASES = [
    (command, suffix, lang)
    for command in INPUTS
    for suffix in (".csv", ".xlsx", ".parquet")
    for lang in (("nb", "en") if suffix != ".parquet" else ("nb",))
]


@pytest.mark.parametrize(("command", "suffix", "lang"), CASES)
def test_an_output_copied_into_a_data_folder_is_said_to_be_one(outputs, tmp_path, capsys, command, suffix, lang):
    files = outputs[(command, suffix, lang)]
    # survey writes its items, indices and changes as three CSV or Parquet files
    assert len(files) == (3 if command == "survey" and suffix != ".xlsx" else 1)
    for written in files:
        said = _said_once(capsys, tmp_path, written)
        # the header's row in a table for people; a Parquet file has no rows to name
        row = "-" if suffix == ".parquet" else "1"
        assert said.startswith(f":{row}:-: "), said
        assert "kvalitet's own output" in said and "not raw data" in said, said
        assert f"that kvalitet {command} --out writes" in said, said


def test_a_sheet_given_with_sheet_is_the_one_named(outputs, capsys):
    """survey --out's workbook holds its items, indices and changes on three sheets; with
    ``--sheet Changes`` the problem named the sheet 'Items' and the table of results per item
    (a bad-input hunt, 2026-12-04), whatever sheet was asked for."""
    import openpyxl

    (written,) = outputs[("survey", ".xlsx", "en")]
    assert "Changes" in openpyxl.load_workbook(written, read_only=True).sheetnames
    rc, out, err = cli(capsys, "validate", "--sheet", "Changes", written)
    assert rc == 1
    (said,) = [line for line in (out + err).splitlines() if line.startswith(f"{written}:")]
    assert "kvalitet's own output (sheet 'Changes')" in said, said
    assert "the table of changes from the year before that kvalitet survey --out writes" in said, said
    assert "Items" not in said, said


def test_the_flags_table_in_the_real_raw_folder_is_one_problem_and_the_raw_files_still_read(outputs, raw_dir, capsys):
    """The case found: ``kvalitet flags data/raw --out flagg.csv`` copied into data/raw."""
    (written,) = outputs[("flags", ".csv", "nb")]
    copied = raw_dir / "flagg.csv"
    shutil.copy(written, copied)
    rc, out, err = cli(capsys, "validate", raw_dir)
    assert rc == 1
    assert "unknown level" not in out + err
    problems = [line for line in (out + err).splitlines() if line.startswith(f"{copied}:")]
    assert problems == [
        f"{copied}:1:-: 'Grunnlag for andel, Antall som trengs' — kvalitet's own output, not raw data: "
        "the table of gender flags that kvalitet flags --out writes "
        "(move it out of the data folder; kvalitet makes it again from the raw files)"
    ]
    # the 16 raw files read as before, each as its own kind
    assert out.count(": reads — ") == 16, out
    assert "1 of 17 files invalid" in out + err


def test_an_output_given_with_kind_is_still_said_to_be_one(outputs, capsys):
    (written,) = outputs[("integration", ".csv", "nb")]
    rc, out, err = cli(capsys, "validate", "--kind", "seed-integration", written)
    assert rc == 1
    assert "kvalitet's own output" in out + err and "required column is missing" not in out + err, out + err


def test_no_raw_file_is_taken_for_an_output():
    """Every real raw file (data/raw and its folders) and every test fixture is read as what it is."""
    from analysis.readers.detect import own_output

    files = [p for p in [*paths.RAW.rglob("*"), *(Path(__file__).parent / "fixtures").rglob("*")] if p.is_file()]
    assert len(files) > 20
    assert [str(own_output(p)) for p in files if own_output(p) is not None] == []


@pytest.fixture(scope="module")
def validated(tmp_path_factory) -> list[Path]:
    """Every Parquet file ``kvalitet ingest`` writes from the real raw folder."""
    import contextlib
    import io

    out = tmp_path_factory.mktemp("ingest") / "validated"
    quiet = io.StringIO()
    with contextlib.redirect_stderr(quiet), contextlib.redirect_stdout(quiet):
        assert main(["ingest", "--data", str(paths.RAW), "--out", str(out)]) == 0, quiet.getvalue()
    return sorted(out.glob("*.parquet"))


def _said_once(capsys, tmp_path, written: Path) -> str:
    """The one line ``kvalitet validate`` says of ``written`` copied alone into a data folder."""
    folder = tmp_path / written.stem
    folder.mkdir()
    copied = folder / written.name
    shutil.copy(written, copied)
    rc, out, err = cli(capsys, "validate", folder)
    assert rc == 1, out + err
    problems = [line for line in (out + err).splitlines() if line.startswith(f"{copied}:")]
    assert len(problems) == 1, out + err  # once, not "studprog_kod is missing" and more
    assert problems[0].endswith("(move it out of the data folder; kvalitet makes it again from the raw files)")
    return problems[0].removeprefix(str(copied))


def test_a_validated_table_of_ingest_copied_into_a_data_folder_is_said_to_be_one(validated, tmp_path, capsys):
    """data/validated/gender.parquet copied into data/raw was respondent data without
    studprog_kod, aar and item columns: three problems, none saying what the file is."""
    assert len(validated) >= 10  # (the real raw folder gives eleven datasets)
    for written in validated:
        said = _said_once(capsys, tmp_path, written)
        assert said == (
            ":-:-: 'source_file, source_row' — kvalitet's own output, not raw data: "
            "the validated table (data/validated) that kvalitet ingest writes "
            "(move it out of the data folder; kvalitet makes it again from the raw files)"
        ), (written.name, said)


@pytest.mark.parametrize(("year", "flagged"), [(2018, True), (2030, False)])
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_reports_workbook_and_follow_up_list_copied_into_a_data_folder_are_said_to_be_the_reports(
    outputs, tmp_path, capsys, lang, year, flagged
):
    """kvalitetsmelding.xlsx copied into data/raw was named by its integration sheet, 'the table
    of integration scores that kvalitet integration --out writes': a command the adviser never
    ran; tables/followup.csv was not known at all. Made as kvalitet report makes them, from the
    seed's flags (four units flagged in 2018; none in 2030: the list's header alone)."""
    from fractions import Fraction

    import pandas as pd

    from analysis.report.gender_section import followup_units
    from analysis.report.workbook import write_report_tables

    ((flags_file,), (integration_file,)) = (
        outputs[("flags", ".parquet", "nb")],
        outputs[("integration", ".parquet", "nb")],
    )
    flags, integration = pd.read_parquet(flags_file), pd.read_parquet(integration_file)
    followup = followup_units(flags, year, Fraction(2, 5))
    assert (len(followup) > 0) == flagged
    out = tmp_path / "report"
    (out / "tables").mkdir(parents=True)
    tables = {"followup": followup, "gender": flags, "integration": integration, "flags": flags}
    book, csvs = write_report_tables(
        tables,
        out,
        out / "tables",
        lang,
        threshold=Fraction(2, 5),
        levels=confidence_levels(Settings()),
        section_years={"followup": year},
        title="K",
    )
    for written in (book, out / "tables" / "followup.csv"):
        assert written in csvs or written == book
        said = _said_once(capsys, tmp_path, written)
        assert said.startswith(":1:-: "), said
        assert (
            "— kvalitet's own output" in said
            and "not raw data: the report's follow-up list (kvalitetsmelding.xlsx, first sheet; tables/followup.csv) "
            "that kvalitet report writes"
            in said
        ), said


@pytest.mark.parametrize(("command", "suffix", "lang"), CASES)
def test_every_table_kvalitet_writes_may_be_written_over_by_the_next_run(
    outputs, outputs_state, command, suffix, lang, monkeypatch
):
    """The other side of ``--out``'s care for the adviser's files (analysis.written): each file
    a command writes, in each format and language, is recorded as written, so a second run into
    it is not refused."""
    from analysis.commands.metric_output import foreign_file_problem

    monkeypatch.setenv("KVALITET_STATE_DIR", str(outputs_state))
    for written in outputs[(command, suffix, lang)]:
        assert foreign_file_problem([written], written) is None, written


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_outputs_at_another_confidence_level_say_it_and_are_still_said_to_be_outputs(tmp_path, capsys, lang):
    """flags and survey --out x.csv label their interval columns with the settings' confidence
    level ("90 % KI, nedre" at 0.9; it said "95 %" at every level), and survey's tables are known
    by that column: copied into a data folder they are still said to be kvalitet's own output."""
    config = tmp_path / "kvalitet.toml"
    settings = (paths.ROOT / "config" / "kvalitet.toml").read_text(encoding="utf-8")
    assert settings.count("confidence_level = 0.95") == 2  # [gender] and [survey]
    config.write_text(settings.replace("confidence_level = 0.95", "confidence_level = 0.9"), encoding="utf-8")
    respondents = tmp_path / "respondents.csv"
    assert (
        cli(capsys, "synth", "--respondents", "120", "--programmes", "2", "--years", "2", "--out", respondents)[0] == 0
    )
    lower = "90 % KI, nedre" if lang == "nb" else "90 % CI, lower"
    for command, given in (("flags", paths.RAW / SEED), ("survey", respondents)):
        out = tmp_path / f"{command}.csv"
        assert cli(capsys, command, given, "--out", out, "--lang", lang, "--config", config)[0] == 0
        written = sorted(tmp_path.glob(f"{command}*.csv"))
        for path in written:
            header = path.read_text(encoding="utf-8-sig").splitlines()[0]
            assert "95 %" not in header, header
        headers = [p.read_text(encoding="utf-8-sig").splitlines()[0] for p in written]
        assert any(lower in h for h in headers), headers
    for path in sorted(tmp_path.glob("survey*.csv")):
        if lower in path.read_text(encoding="utf-8-sig").splitlines()[0]:
            said = _said_once(capsys, tmp_path, path)
            assert "kvalitet's own output" in said and "that kvalitet survey --out writes" in said, said


@pytest.mark.parametrize("written_as", ["\n", "_x000A_", "_x000B_"])
def test_an_output_workbook_with_a_header_wrapped_in_excel_is_said_to_be_one(outputs, tmp_path, capsys, written_as):
    """The flags workbook with its header "Antall som trengs" wrapped onto two lines, as Excel
    stores it (Alt+Enter: the line break as it is), and as Excel's escape of a line break in its
    XML (``_x000A_``; Word's Shift+Enter pasted, ``_x000B_``): the sheet's first row was read
    without the escapes decoded, and a line break in a header did not compare as a space, so
    the table was read as the seed's integration extract ("required column is empty")."""
    import zipfile

    import openpyxl

    (written,) = outputs[("flags", ".xlsx", "nb")]
    book = openpyxl.load_workbook(written)
    (cell,) = [c for c in book.worksheets[0][1] if c.value == "Antall som trengs"]
    cell.value = "Antall som\ntrengs"
    wrapped = tmp_path / "flagg.xlsx"
    book.save(wrapped)
    if written_as != "\n":  # the line break as its escape in the sheet's XML
        with zipfile.ZipFile(wrapped) as z:
            members = {name: z.read(name) for name in z.namelist()}
        (holder,) = [name for name, data in members.items() if b"Antall som\ntrengs" in data]
        members[holder] = members[holder].replace(b"Antall som\ntrengs", f"Antall som{written_as}trengs".encode())
        with zipfile.ZipFile(wrapped, "w") as z:
            for name, data in members.items():
                z.writestr(name, data)
    said = _said_once(capsys, tmp_path, wrapped)
    assert said.startswith(":1:-: 'Grunnlag for andel, Antall som"), said
    assert "kvalitet's own output, not raw data: the table of gender flags that kvalitet flags --out writes" in said
