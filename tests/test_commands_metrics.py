"""The flags, integration and wellbeing commands: exit codes, atomic output, readable errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main

RAW = Path("/work/shared/data/raw")
SEED_ADMISSION = RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv"
SEED_INTEGRATION = RAW / "seed_studiebarometeret_2017_integrering.csv"
SHOT = RAW / "shot_headline_figures_national.csv"

pytestmark = pytest.mark.skipif(not RAW.exists(), reason="shared raw data not available")


def test_flags_writes_csv_and_prints_a_table(tmp_path, capsys):
    out = tmp_path / "flags.csv"
    assert main(["flags", str(SEED_ADMISSION), "--out", str(out)]) == 0
    # a table for people, for Norwegian Excel: ";" and decimal comma, headers and words in nb
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    # 5 programmes × 4 years; 2018 Kybernetikk (40 %) is ok ("innenfor"), at 40,0 %
    assert len(table) == 20
    # the LMU table names its programmes without a code: the name is the unit, the code empty
    row = table[(table["Enhet"] == "Kybernetikk") & (table["År"] == 2018)].iloc[0]
    assert row["Status"] == "innenfor" and row["Andel kvinner (%)"] == 40.0
    assert table["Kode"].isna().all()
    assert main(["flags", str(SEED_ADMISSION)]) == 0
    assert "Kybernetikk" in capsys.readouterr().out


def test_flags_threshold_option(tmp_path):
    out = tmp_path / "flags.parquet"
    # at 30 %: Kybernetikk 2017 (30 %) is not below 30 %
    assert main(["flags", str(SEED_ADMISSION), "--threshold", "30", "--out", str(out)]) == 0
    table = pd.read_parquet(out)
    assert table.loc[(table["unit_code"] == "Kybernetikk") & (table["year"] == 2017), "status"].item() == "ok"


def test_flags_help_names_the_threshold_setting_not_a_value_of_it(capsys):
    """The threshold is a setting (config/kvalitet.toml, --config): the help said "below the
    threshold (40 %)" and "default from the configuration: 40", the shipped value written a
    second time, which an adviser's file setting 35 made untrue."""
    texts = []
    for argv in (["--help"], ["flags", "--help"]):  # the list of commands, and the command's own
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 0
        # the help wraps its lines: compared as one line of words
        texts.append(" ".join(capsys.readouterr().out.split()))
    commands, flags = texts
    assert "below the threshold (setting gender.threshold_pct)" in commands
    assert "threshold in percent (default: the setting gender.threshold_pct of --config)" in flags
    assert "A share at the threshold exactly is not below it." in flags
    assert "40" not in flags and "(40" not in commands


def test_flags_faculty_level_on_dbh(tmp_path):
    out = tmp_path / "faculties.csv"
    assert main(["flags", str(RAW / "dbh_api"), "--level", "faculty", "--out", str(out)]) == 0
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig", dtype={"Kode": str})
    assert set(table["Nivå"]) == {"fakultet"}
    assert "Fakultet for ingeniørvitenskap" in set(table["Enhet"])


def test_wrong_kind_of_file_exits_1_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "flags.csv"
    assert main(["flags", str(SHOT), "--out", str(out)]) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "not a gender table" in err and str(SHOT) in err


def test_earlier_output_survives_a_failed_run(tmp_path):
    out = tmp_path / "flags.csv"
    assert main(["flags", str(SEED_ADMISSION), "--out", str(out)]) == 0  # an earlier run's table
    earlier = out.read_bytes()
    assert main(["flags", str(SEED_ADMISSION), str(tmp_path / "missing.csv"), "--out", str(out)]) == 1
    assert out.read_bytes() == earlier
    assert [p.name for p in tmp_path.iterdir()] == ["flags.csv"]  # no temporary file left


def test_unknown_output_format_is_a_usage_error(tmp_path):
    assert main(["flags", str(SEED_ADMISSION), "--out", str(tmp_path / "flags.txt")]) == 2


def test_integration_and_wellbeing(tmp_path):
    out = tmp_path / "integration.csv"
    assert main(["integration", str(SEED_INTEGRATION), "--out", str(out)]) == 0
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    ntnu = table[(table["Enhet"] == "NTNU") & (table["Studienivå"] == "master")].iloc[0]
    # 2.25 − 5.00: the sign says "below"
    assert ntnu["Plass"] == 5 and ntnu["Avstand til beste"] == pytest.approx(-2.75)
    out = tmp_path / "wellbeing.parquet"
    assert main(["wellbeing", str(SHOT), "--out", str(out)]) == 0
    assert len(pd.read_parquet(out)) == 29


def test_a_settings_file_given_by_name_must_exist(tmp_path, capsys):
    """``--config`` with a mistyped name is a usage error naming the file, not the defaults."""
    missing = tmp_path / "kvalitet-typo.toml"
    assert main(["flags", str(paths.RAW), "--config", str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err


@pytest.mark.parametrize(
    "lang, sheet, headers",
    [
        ("nb", "flags", ["Nivå", "Institusjonskode", "Institusjon", "Institusjon (kort)"]),
        ("en", "flags", ["Level", "Institution code", "Institution", "Institution (short)"]),
    ],
)
def test_flags_out_xlsx_is_a_workbook_for_people(tmp_path, lang, sheet, headers):
    import openpyxl

    out = tmp_path / "flags.xlsx"
    assert main(["flags", str(RAW / "dbh_api"), "--out", str(out), "--lang", lang]) == 0
    book = openpyxl.load_workbook(out)
    ws = book.worksheets[0]
    assert [c.value for c in ws[1]][:4] == headers
    header = [c.value for c in ws[1]]
    code_column = header.index({"nb": "Kode", "en": "Code"}[lang])
    codes = [r[code_column] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert "000000" in codes, "codes stay text with their zeros"
    levels = {r[0] for r in ws.iter_rows(min_row=2, max_col=1, values_only=True)}
    # DBH's department level: departments, and (000000, 271000 …) units that are no department
    assert levels == ({"institutt", "instituttnivå"} if lang == "nb" else {"department", "department level"})


def test_integration_and_survey_out_xlsx(tmp_path):
    import openpyxl

    from analysis.synth import generate_respondents, write_respondents

    out = tmp_path / "integration.xlsx"
    assert main(["integration", str(SEED_INTEGRATION), "--out", str(out)]) == 0
    ws = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    assert {"Avstand til beste", "Avstand til medianen", "Sammenligningsgruppe"} <= set(header)
    respondents = tmp_path / "sb.csv"
    write_respondents(generate_respondents(300, n_items=4, n_programmes=5, n_years=2, seed=1), respondents)
    book = tmp_path / "survey.xlsx"
    assert main(["survey", str(respondents), "--out", str(book)]) == 0
    assert openpyxl.load_workbook(book).sheetnames == ["Spørsmål", "Indekser", "Endringer"]


def test_survey_says_in_words_which_rollups_a_unit_column_in_some_files_only_leaves_out(tmp_path, capsys):
    """Two deliveries, the second without fakultetskode and institusjonskode: no faculty or
    institution results for its year (its respondents are in no institution, and a faculty's
    would leave out some); the first year keeps its own. Said in words, naming the year, not as
    the metric's internal keys and a Python list ("unit_columns_not_in_every_file: [...]")."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.synth import generate_respondents

    table = generate_respondents(400, n_items=3, n_programmes=4, n_years=2, seed=5)
    years = table.column("aar").to_numpy()
    pq.write_table(table.filter(pa.array(years == years.min())), tmp_path / "a.parquet")
    second = table.filter(pa.array(years != years.min()))
    pq.write_table(second.drop_columns(["fakultetskode", "institusjonskode"]), tmp_path / "b.parquet")
    out = tmp_path / "s.csv"
    assert main(["survey", str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet"), "--out", str(out)]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if "note:" in line]
    assert not [line for line in notes if "_" in line.split("note:")[1].split(":")[0]], notes
    said = [line.split("note: ", 1)[1] for line in notes]
    assert any(
        line.startswith(
            "institusjonskode is a column of some of the files, not of every one: the respondents of the "
            f"files of {years.max()} without it are in no institution: no institution results for them"
        )
        for line in said
    ), notes
    assert any(
        line.startswith(
            f"fakultetskode is not a column of every file of {years.max()} without institusjonskode: no "
            f"faculty results for their respondents in {years.max()},"
        )
        for line in said
    ), notes
    table = pd.read_csv(out, sep=";")
    assert set(table.loc[table["År"] == years.max(), "Nivå"]) == {"studieprogram"}
    assert set(table.loc[table["År"] == years.min(), "Nivå"]) == {"studieprogram", "fakultet", "institusjon"}


def test_survey_says_in_words_that_a_file_without_institusjonskode_is_counted_apart(tmp_path, capsys):
    """A year in two files, fakultetskode in both, institusjonskode in one only: the second
    file's respondents are in no institution, counted apart (a faculty code is a faculty only
    within its institution): the first file keeps its institution and faculties, the second
    has programmes and faculties of no institution, as in a run of it alone; the note says so
    and for which year. Before, the year had programmes only."""
    import pyarrow.parquet as pq

    from analysis.synth import generate_respondents

    table = generate_respondents(400, n_items=15, n_programmes=4, n_years=1, seed=6)
    year = table.column("aar").to_numpy()[0]
    half = table.num_rows // 2
    pq.write_table(table.slice(0, half), tmp_path / "a.parquet")
    pq.write_table(table.slice(half).drop_columns(["institusjonskode"]), tmp_path / "b.parquet")
    out = tmp_path / "s.csv"
    assert main(["survey", str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet"), "--out", str(out)]) == 0
    notes = [line.split("note: ", 1)[1] for line in capsys.readouterr().err.splitlines() if "note:" in line]
    expected = (
        "institusjonskode is a column of some of the files, not of every one: the respondents of the files of "
        f"{year} without it are in no institution"
    )
    assert any(n.startswith(expected) and n.endswith(f"(give every file of {year} the column)") for n in notes), notes
    assert not [n for n in notes if n.startswith("fakultetskode")], notes
    rows = pd.read_csv(out, sep=";", dtype=str)
    assert set(rows["Nivå"]) == {"studieprogram", "fakultet", "institusjon"}
    assert set(rows.loc[rows["Institusjonskode"].isna(), "Nivå"]) == {"studieprogram", "fakultet"}


def test_survey_says_which_index_changed_items_between_two_years_and_shows_no_change_for_it(tmp_path, capsys):
    """The 2024 delivery without underv_aktiv_18 (a question new in 2025): "undervisning" is over
    three items in 2024 and four in 2025. The note names the index, the item and both years, and
    the changes table has no change for that index (another index, asked alike, keeps its)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.synth import generate_respondents

    table = generate_respondents(3000, n_items=20, n_programmes=3, n_years=2, seed=8)
    years = table.column("aar").to_numpy()
    first, last = int(years.min()), int(years.max())
    pq.write_table(table.filter(pa.array(years == first)).drop_columns(["underv_aktiv_18"]), tmp_path / "a.parquet")
    pq.write_table(table.filter(pa.array(years == last)), tmp_path / "b.parquet")
    out = tmp_path / "s.parquet"
    assert main(["survey", str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet"), "--out", str(out)]) == 0
    notes = [line.split("note: ", 1)[1] for line in capsys.readouterr().err.splitlines() if "note:" in line]
    [said] = [n for n in notes if "survey.indices.undervisning:" in n]
    assert f"its items differ between {first} and {last} at institution " in said
    assert f"(underv_aktiv_18 answered in {last}, not in {first})" in said
    changes = pd.read_parquet(tmp_path / "s_changes.parquet")
    index = changes[changes["kind"] == "index"]
    assert index.loc[index["name"] == "undervisning", "change"].isna().all()
    assert index.loc[index["name"] == "undervisning", "definition_changed"].all()
    assert index.loc[index["name"] == "tilbakemeldinger", "change"].notna().any()
    assert not index.loc[index["name"] == "tilbakemeldinger", "definition_changed"].any()
    # in a table for people the column says why the change is missing, under its label
    csv = tmp_path / "s.csv"
    assert main(["survey", str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet"), "--out", str(csv)]) == 0
    written = pd.read_csv(tmp_path / "s_changes.csv", sep=";")
    assert "Definisjon endret" in written.columns


def test_one_change_of_an_index_s_items_at_several_institutions_is_one_note():
    """NOKUT dropping a question is one change: a run of several institutions says it once,
    naming them, not once per institution (a second reader, 2026-12-04); another change (an
    institution that added the item) is its own line."""
    from analysis.metrics.survey_notes import note_lines

    a, b = "underv_engasj_18", "underv_formidl_18"
    dropped, added = ((a, b), (a,)), ((a,), (a, b))
    notes = {
        "index_items_changed": {
            "u": [
                ("1110", 2024, dropped[0], 2025, dropped[1]),
                ("1150", 2024, dropped[0], 2025, dropped[1]),
                ("1160", 2024, added[0], 2025, added[1]),
            ]
        }
    }
    lines = note_lines(notes, "k.toml")
    assert len(lines) == 2
    assert lines[0].startswith(
        "k.toml: survey.indices.u: its items differ between 2024 and 2025 at institutions 1110 and 1150 "
        f"({b} answered in 2024, not in 2025)"
    )
    assert f"at institution 1160 ({b} answered in 2025, not in 2024)" in lines[1]


def test_a_survey_note_without_words_is_not_published_as_its_value(tmp_path):
    """The survey's notes reach the report (its notes from reading the data) in the words
    ``note_lines`` has for them; a note without words was printed as ``key: value``, and the
    notes hold a file's counts of "vet ikke" item by item (``reading``): for a file of one
    respondent, which question that respondent answered "vet ikke"."""
    from analysis.metrics.survey_notes import note_lines
    from analysis.metrics.survey_tables import survey_aggregates
    from analysis.readers.survey_raw import open_survey_respondents
    from analysis.settings import SurveySettings

    one = tmp_path / "sb_respondenter_a271.csv"
    one.write_text(
        "institusjonskode;fakultetskode;studprog_kod;aar;overord_altialt_13;tilbveil_konstru_13\n"
        "1150;271;A271;2025;4;9999\n",
        encoding="utf-8",
    )
    notes = survey_aggregates(open_survey_respondents(one), settings=SurveySettings()).notes
    counted = notes["reading"][0]["dont_know_by_item"]
    assert counted == {"overord_altialt_13": 0, "tilbveil_konstru_13": 1}, counted  # the respondent's "vet ikke"
    # the same counts under a key the words do not know (a note added, or renamed, later)
    notes["files"] = notes.pop("reading")
    lines = note_lines(notes, "k.toml")
    assert not [line for line in lines if "dont_know" in line or "tilbveil_konstru_13" in line], lines


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_wellbeing_out_csv_names_every_column_in_the_readers_language(tmp_path, lang):
    """Every header of ``kvalitet wellbeing --out FILE.csv`` is a word for people, never the
    program's column name (``previous_remark``, the source's remark on the previous wave, came
    out as it is)."""
    from schemas.wellbeing import WellbeingIndicators

    out = tmp_path / "wellbeing.csv"
    assert main(["wellbeing", str(SHOT), "--out", str(out), "--lang", lang]) == 0
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert not set(header) & set(WellbeingIndicators.to_schema().columns)
