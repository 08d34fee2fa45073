"""Respondent files with and without unit columns, through the stages.

NOKUT's and the institutions' exports differ by year: one file has ``institusjonskode`` and
``fakultetskode``, another has not. ``kvalitet survey a b`` counts file by file (the files
without ``institusjonskode`` are counted apart, in no institution, and a note says why); the validated stage put both files in
one frame without saying which row came from which, and the derived survey step, counting that
frame as one file, refused every row of the second as "(respondents):450:institusjonskode:
(empty) — the code is missing": a file and row the adviser cannot open, and nothing written.
The integration scores (the derived step, ``kvalitet integration a b``) refused alike.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import pipeline
from analysis.errors import InputError
from analysis.settings import IntegrationSettings, Settings, load_settings
from analysis.synth import generate_respondents, write_respondents

ITEMS = 6  # overord_altialt_13, underv_engasj_18, underv_formidl_18, underv_pensum_18, underv_aktiv_18, …
ANSWERS = {"1", "2", "3", "4", "5"}  # a blank and 9999 ("vet ikke") are no answer
WITHOUT_CODES_NOTE = (
    "survey: institusjonskode is a column of some of the files, not of every one: the respondents of the files of "
    "2025 without it are in no institution"
)


@pytest.fixture
def raw(tmp_path, request) -> Path:
    """a2024.csv with institusjonskode and fakultetskode, b2025.csv without (the lead's
    reproduction: both of survey year 2025, as synth makes them); b2025.csv with them too when
    the test is given ``True``."""
    raw = tmp_path / "raw"
    write_respondents(generate_respondents(400, n_items=ITEMS, n_programmes=5, n_years=1, seed=3), raw / "a2024.csv")
    codes = getattr(request, "param", False)
    write_respondents(
        generate_respondents(400, n_items=ITEMS, n_programmes=5, n_years=1, seed=4, unit_codes=codes),
        raw / "b2025.csv",
    )
    return raw


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def _same(derived: pd.DataFrame, counted: pd.DataFrame) -> None:
    """The same rows and values (the derived table went through Parquet: an all-missing code
    column comes back as text, not as a category without categories)."""
    pd.testing.assert_frame_equal(
        derived.astype(object).where(derived.notna(), None),
        counted.astype(object).where(counted.notna(), None),
    )


def test_the_derived_survey_tables_of_files_with_and_without_unit_columns_are_kvalitet_surveys(raw):
    from analysis.metrics.survey_tables import survey_aggregates
    from analysis.readers.survey_raw import open_survey_respondents

    settings = load_settings()
    lines: list[str] = []
    stages = pipeline.run(raw, settings, progress=lines.append)
    derived = pipeline.read_derived(stages)
    counted = survey_aggregates(
        [open_survey_respondents(raw / "a2024.csv"), open_survey_respondents(raw / "b2025.csv")], settings=settings
    )
    for name in ("items", "indices", "changes"):
        _same(derived[f"survey_{name}"], getattr(counted, name))
    notes = pipeline.read_manifest(stages.derived)["steps"]["survey"]["notes"]
    assert any(note.startswith(WITHOUT_CODES_NOTE) for note in notes), notes
    # by hand: a2024.csv's programmes are its institution's (with its faculties and itself),
    # b2025.csv's, without unit codes, programmes of no institution, keyed by code alone and
    # apart from a's of the same code (000000 of both is two programmes); n the answers 1–5
    items = derived["survey_items"]
    coded = items["institution_code"].notna()
    assert set(items.loc[coded, "level"].astype(str)) == {"programme", "faculty", "institution"}
    assert set(items.loc[~coded, "level"].astype(str)) == {"programme"}
    answers = [
        (r.get("institusjonskode"), r["studprog_kod"])
        for f in ("a2024.csv", "b2025.csv")
        for r in _rows(raw / f)
        if r["overord_altialt_13"] in ANSWERS
    ]
    programmes = items[
        (items["item"].astype(str) == "overord_altialt_13") & (items["level"].astype(str) == "programme")
    ]
    overall = {
        (None if pd.isna(i) else str(i), str(code)): n
        for i, code, n in zip(programmes["institution_code"], programmes["unit_code"], programmes["n"])
    }
    by_hand = pd.Series(answers).value_counts().to_dict()
    assert overall == by_hand
    assert {code for i, code in overall if i is None} & {code for i, code in overall if i is not None}


@pytest.mark.parametrize("raw", [False, True], ids=["b without unit codes", "both with"], indirect=True)
def test_a_problem_the_derived_survey_step_finds_names_the_file_and_its_own_row(raw):
    """A respondent of b2025.csv with its programme code gone from the validated frame: named
    by its file in the raw folder and its line there (header line 1; its tenth respondent is
    line 11), not as "(respondents):411" (the frame's 410th row, numbered as a CSV's)."""
    settings = Settings()
    stages = pipeline.run(raw, settings, progress=lambda line: None)
    validated = stages.validated / "survey_respondents.parquet"
    frame = pd.read_parquet(validated)
    frame.loc[400 + 9, "studprog_kod"] = ""  # the files in name order: a2024.csv's 400 respondents first
    frame.to_parquet(validated, index=False)
    with pytest.raises(InputError) as raised:
        pipeline.derive_stage(
            stages,
            pipeline.read_manifest(stages.validated),
            settings,
            code=pipeline.code_fingerprint(),
            force=True,
            progress=lambda line: None,
        )
    said = [str(p) for p in raised.value.problems]
    assert said == [
        f"{raw / 'b2025.csv'}:11:studprog_kod: (empty) — the code is missing (every respondent needs a programme "
        "key and a year; fill it in or remove the row)"
    ]


INTEGRATION = Settings(
    integration=IntegrationSettings(scores={"academic": ("underv_engasj_18",), "social": ("underv_formidl_18",)})
)


def test_integration_scores_of_files_with_and_without_institution_codes_are_keyed_as_the_survey_tables(
    raw, tmp_path, capsys
):
    """``kvalitet integration a b`` refused the second file's every row; now a programme is
    keyed as the survey tables key it: a file without institusjonskode's by its code alone, in
    no institution, apart from the other file's programme of the same code."""
    from tests.conftest import cli_in_process

    config = tmp_path / "kvalitet.toml"
    config.write_text(
        '[integration.scores]\nacademic = ["underv_engasj_18"]\nsocial = ["underv_formidl_18"]\n', encoding="utf-8"
    )
    out = tmp_path / "scores.parquet"
    rc, _out, err = cli_in_process(
        capsys, "integration", raw / "a2024.csv", raw / "b2025.csv", "--config", config, "--out", out
    )
    assert rc == 0, err
    scores = pd.read_parquet(out)
    assert scores["institution"].isna().sum() == len({r["studprog_kod"] for r in _rows(raw / "b2025.csv")})
    rows = [r for f in ("a2024.csv", "b2025.csv") for r in _rows(raw / f)]
    for _, programme in scores.iterrows():
        code, institution = programme["unit_code"], programme["institution"]
        institution = None if pd.isna(institution) else institution
        mine = [r for r in rows if (r.get("institusjonskode"), r["studprog_kod"]) == (institution, code)]
        academic = [int(r["underv_engasj_18"]) for r in mine if r["underv_engasj_18"] in ANSWERS]
        social = [int(r["underv_formidl_18"]) for r in mine if r["underv_formidl_18"] in ANSWERS]
        assert programme["n"] == min(len(academic), len(social)), code
        if not programme["suppressed"]:
            assert programme["academic"] == pytest.approx(sum(academic) / len(academic)), code
            assert programme["social"] == pytest.approx(sum(social) / len(social)), code
    assert len(scores) == len({(r.get("institusjonskode"), r["studprog_kod"]) for r in rows})


def test_files_frames_put_together_with_a_plain_concat_are_counted_as_put_together_by_the_stage(raw):
    """A second reader (2026-12-04): two files' frames joined with ``pd.concat`` (as a notebook
    would) have ``source_file`` as text, not a category, and ``integration_scores`` refused every
    row of them ("source_file … has the wrong type"); the contract coerces it, so the scores are
    those of the same frames joined as the validated stage joins them."""
    from analysis.metrics.integration import integration_scores
    from analysis.readers import read_path
    from analysis.readers.survey_raw import respondents_together

    frames = [read_path(raw / name).frame for name in ("a2024.csv", "b2025.csv")]
    plain = integration_scores(None, pd.concat(frames, ignore_index=True), settings=INTEGRATION)
    staged = integration_scores(None, respondents_together(frames), settings=INTEGRATION)
    pd.testing.assert_frame_equal(plain, staged)
    assert len(plain) == len(
        {(r.get("institusjonskode"), r["studprog_kod"]) for f in ("a2024.csv", "b2025.csv") for r in _rows(raw / f)}
    )


def test_the_integration_step_of_the_stages_takes_files_with_and_without_institution_codes(raw):
    """The derived integration step counted the frame of both files as one, and refused it; a
    programme it hides is one the survey step hides (the same keys), and with a comparison
    group the programmes without an institution are said to be out of the ranking."""
    from dataclasses import replace

    settings = replace(INTEGRATION, integration=replace(INTEGRATION.integration, comparison_group=("1110",)))
    lines: list[str] = []
    stages = pipeline.run(raw, settings, progress=lines.append)
    derived = pipeline.read_derived(stages)
    scores = derived["integration"]
    assert len(scores) == 10 and scores["institution"].isna().sum() == 5
    items = derived["survey_items"]
    hidden = items[
        items["suppressed"]
        & items["item"].astype(str).isin(["underv_engasj_18", "underv_formidl_18"])
        & (items["level"].astype(str) == "programme")
    ]

    def keys(institution: pd.Series, code: pd.Series) -> set:
        return {(None if pd.isna(i) else str(i), str(c)) for i, c in zip(institution, code)}

    suppressed = scores[scores["suppressed"]]
    assert keys(hidden["institution_code"], hidden["unit_code"]) <= keys(
        suppressed["institution"], suppressed["unit_code"]
    )
    notes = pipeline.read_manifest(stages.derived)["steps"]["integration"].get("notes", [])
    assert any("5 study programmes of 2025 without an institution code" in note for note in notes), notes


def test_the_survey_step_s_file_list_keeps_a_file_without_institution_codes_without_a_code(raw):
    """b2025.csv has no ``institusjonskode``: its rows in the list of each year's respondent
    files have the code missing, as the contract says — not the text "nan" (a code no
    institution has, which the report then took for an institution's)."""
    stages = pipeline.run(raw, load_settings(), progress=lambda line: None)
    files = pd.read_parquet(stages.derived / "survey_files.parquet")
    by_file = {row.source_file: row.institution_code for row in files.itertuples()}
    assert set(by_file) == {"a2024.csv", "b2025.csv"}  # named relative to the raw folder
    assert pd.isna(by_file["b2025.csv"])
    assert not pd.isna(by_file["a2024.csv"])
    from schemas.survey_results import SurveyFiles

    SurveyFiles.validate(files, lazy=True)


def test_the_report_holds_the_survey_file_list_to_its_contract_as_it_reads_it(raw):
    """A derived ``survey_files.parquet`` that breaks its contract (a file named twice for one
    year) stops the report with a problem naming the table, not a wrong date in a source line."""
    from analysis.report.data import load_report_data

    settings = load_settings()
    stages = pipeline.run(raw, settings, progress=lambda line: None)
    table = stages.derived / "survey_files.parquet"
    files = pd.read_parquet(table)
    pd.concat([files, files.iloc[:1]], ignore_index=True).to_parquet(table, index=False)
    with pytest.raises(InputError) as err:
        load_report_data(raw, None, "1150", settings=settings, allow_empty=True)
    assert "survey_files.parquet" in str(err.value)
    # the table is the stage's, not the adviser's data: no "remove the duplicates" in it
    from analysis.errors import STAGE_TABLE_HINT

    assert all(problem.hint == STAGE_TABLE_HINT for problem in err.value.problems), err.value
    assert "--force" in STAGE_TABLE_HINT


def test_a_derived_step_called_without_the_raw_folder_is_stopped_not_given_one(raw):
    """The survey and integration steps name a problem's file by the raw folder they are given
    (``pipeline.as_found``). With a default of None, a caller that forgot it got the files named
    relative to a folder never said — a problem naming ``a2024.csv`` where no such file is —
    and nothing stopped it. Every step takes the folder, or None said outright."""
    import inspect

    for function in pipeline.STEPS.values():
        raw_folder = inspect.signature(function).parameters["raw"]
        assert raw_folder.default is inspect.Parameter.empty, function.__name__
    stages = pipeline.run(raw, load_settings(), progress=lambda line: None)
    respondents = pd.read_parquet(stages.validated / "survey_respondents.parquet")
    with pytest.raises(TypeError):
        pipeline._survey({"survey_respondents": respondents}, load_settings())  # type: ignore[call-arg]
    made = pipeline._survey({"survey_respondents": respondents}, load_settings(), None)
    assert set(made.tables["survey_files"]["source_file"]) == {"a2024.csv", "b2025.csv"}


def test_a_report_shows_its_institutions_own_rows_in_a_year_beside_files_without_institusjonskode(tmp_path):
    """1150's 2025 file (fakultetskode) beside files without institusjonskode of 2024 and 2025
    (fakultetskode too, the same faculty codes): the survey tables count the latter apart, so
    2025 has 1150's faculty 210 and another 210 of no institution, and the report's index table
    refused the two (a traceback). The report shows 1150's own rows in 2025, and the rows of no
    institution in 2024, a year it has none of its own (as before: they stand in for its)."""

    from analysis.report.data import load_report_data
    from analysis.report.survey_section import survey_index_rows

    raw = own_year_beside_files_of_no_institution(tmp_path, 2025, years=2)
    data = load_report_data(raw, None, "1150")
    derived = pipeline.read_derived(pipeline.run(raw, load_settings(), progress=lambda line: None))
    indices = derived["survey_indices"]
    faculties = indices[(indices["level"].astype(str) == "faculty") & (indices["year"] == 2025)]
    assert faculties["institution_code"].isna().any() and faculties["institution_code"].notna().any()
    for table in (data.survey, data.survey_indices, data.survey_changes):
        # (a missing code is no match: .all() passed over the rows of no institution, and so took
        # their change from 2024, of a year 1150 has its own, for one of 1150's)
        code = table["institution_code"].astype("string").fillna("")
        assert (code[table["year"] == 2025] == "1150").all()
        assert (code[table["year"] == 2024] == "").all()
    assert (data.survey["year"] == 2025).any() and (data.survey_indices["year"] == 2025).any()
    assert (data.survey_indices["year"] == 2024).any()
    rows = survey_index_rows(data, 2025)
    own = faculties[faculties["institution_code"].astype("string") == "1150"]
    by_hand = own.astype({"unit_code": str, "index_name": str}).set_index(["unit_code", "index_name"])["n"]
    got = rows[rows["level"] == "faculty"].set_index(["unit_code", "index_name"])["n"]
    shown = got.notna()  # (a hidden cell's n is emptied in the report)
    assert shown.any() and (got[shown] == by_hand.reindex(got.index)[shown]).all()


def test_a_report_shows_no_change_of_the_rows_of_no_institution_from_or_in_a_year_of_its_own(tmp_path):
    """1150's 2024 file beside files without institusjonskode of 2023, 2024 and 2025 (the same
    faculty codes): the rows of no institution stand in for 1150's in 2023 and 2025 only. Their
    changes were chosen apart, by the years of 1150's own rows in the changes table (none: 1150
    has one year), so the 2024 index table gave 1150's faculty 210 the change of the faculty 210
    of no institution from 2023 (their 2024 mean less their 2023 mean, shown beside 1150's 2024
    mean, hidden or not), and the 2025 table a change from their 2024, where the report shows
    1150's own. A change is of two years: it stands in only where neither is a year of 1150's;
    the note under a table without changes says why, not that the data has no results from the
    year before."""

    from analysis.report.data import load_report_data
    from analysis.report.survey_section import respondent_survey_blocks, survey_index_rows

    raw = own_year_beside_files_of_no_institution(tmp_path, 2024, years=3)
    derived = pipeline.read_derived(pipeline.run(raw, load_settings(), progress=lambda line: None))
    changes = derived["survey_changes"]
    changes = changes[
        (changes["institution_code"].astype("string") == "1150").fillna(False)
        & (changes["kind"].astype(str) == "index")
        & (changes["level"].astype(str) == "faculty")
    ]
    # (the rows of no institution have changes of their own in 2024 and 2025, faculty 210's too)
    every = derived["survey_changes"]
    assert (every["institution_code"].isna() & (every["level"].astype(str) == "faculty")).any()
    for year in (2024, 2025):
        data = load_report_data(raw, year, "1150")
        shown = data.survey_changes
        code = shown["institution_code"].astype("string")
        assert not (code.isna() & (shown["year"].eq(2024) | shown["previous_year"].eq(2024))).any()
        rows = survey_index_rows(data, year)
        rows = rows[rows["level"] == "faculty"].set_index(["unit_code", "index_name"])
        assert len(rows)
        # 1150's own change of the year where it has one (its derived row), else none
        own = changes[changes["year"] == year].astype({"unit_code": str, "name": str})
        by_hand = own.set_index(["unit_code", "name"])["change"].reindex(rows.index)
        pd.testing.assert_series_equal(
            rows["change"].astype("Float64"), by_hand.astype("Float64"), check_names=False, check_index=True
        )
        # the note under the table: 2023's results are in the data (of no institution), and 2024's
        # (1150's) too, so "the data has no results from …" would be untrue in either year
        notes = [b["text"] for b in respondent_survey_blocks(data, "en")[0] if b.get("kind") == "paragraph"]
        assert not [n for n in notes if "has no results from" in n]
        assert [n for n in notes if f"results of {year - 1} and {year} are not counted from the same" in n]


def own_year_beside_files_of_no_institution(tmp_path: Path, own_year: int, *, years: int) -> Path:
    """A data folder of NTNU's DBH tables, 1150's respondent file of ``own_year`` (a.csv) and a
    file without institusjonskode of ``years`` years up to 2025 (b.csv), NTNU's faculty codes in
    both."""
    import pyarrow as pa

    from analysis import paths

    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW / "dbh_api", raw / "dbh_api")
    for seed, name in ((3, "a.csv"), (4, "b.csv")):
        frame = generate_respondents(1500, n_items=ITEMS, n_programmes=40, n_years=years, seed=seed).to_pandas()
        frame["fakultetskode"] = frame["fakultetskode"].map(lambda code: f"2{code[1]}0")  # (NTNU's 210 …)
        if name == "a.csv":
            frame = frame[frame["aar"] == own_year].assign(institusjonskode="1150")
        else:
            frame = frame.drop(columns="institusjonskode")
        write_respondents(pa.Table.from_pandas(frame, preserve_index=False), raw / name)
    return raw
