"""The stages are real: raw → validated → derived in files, each stage reading the previous
one's output, and a stage re-runs only when what it depends on changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths, pipeline
from analysis.settings import GenderSettings, Settings


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "data" / "raw"
    shutil.copytree(paths.RAW, folder)
    return folder


def run(raw: Path, settings: Settings = Settings(), force: bool = False) -> list[str]:
    lines: list[str] = []
    pipeline.run(raw, settings, force=force, progress=lines.append)
    return lines


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}


def test_the_stage_folders_sit_beside_the_raw_folder(raw):
    stages = pipeline.Stages.of(raw)
    assert (stages.validated, stages.derived) == (raw.parent / "validated", raw.parent / "derived")
    other = pipeline.Stages.of(raw.parent / "nedlastet")
    assert other.derived == raw.parent / "nedlastet.kvalitet" / "derived"


def test_nothing_runs_again_when_nothing_changed(raw):
    first = run(raw)
    assert any(line.startswith("derived: gender") for line in first)
    stages = pipeline.Stages.of(raw)
    before = snapshot(stages.validated), snapshot(stages.derived)
    second = run(raw)
    assert second == [f"validated: up to date ({stages.validated})", f"derived: up to date ({stages.derived})"]
    assert (snapshot(stages.validated), snapshot(stages.derived)) == before, "no file was rewritten"


def test_a_changed_input_re_runs_only_the_tables_that_read_it(raw):
    run(raw)
    shot = raw / "shot_headline_figures_national.csv"
    text = shot.read_text(encoding="utf-8")
    shot.write_text(text + text.splitlines()[-1].replace("2022", "2010", 1) + "\n", encoding="utf-8")
    lines = run(raw)
    steps = [line for line in lines if line.startswith("derived: ") and line.endswith("…")]
    assert steps == ["derived: wellbeing …"], lines


def test_a_changed_setting_re_runs_the_tables_that_use_it(raw):
    run(raw)
    lines = run(raw, Settings(gender=GenderSettings(trend_window_years=3)))
    steps = [line for line in lines if line.startswith("derived: ") and line.endswith("…")]
    assert steps == ["derived: gender …"]
    assert lines[0].startswith("validated: up to date")


@pytest.mark.parametrize(
    ("shipped_line", "changed_line"),
    [
        ("chart_best = 5", "chart_best = 3"),
        # the policy is cited by name in the report's words; no derived number reads it
        (
            'policy = "NTNUs politikk for mangfold og likestilling 2018–2021"',
            'policy = "NTNUs handlingsplan for likestilling 2022–2025"',
        ),
        (
            'policy_en = "NTNU\'s policy for diversity and gender equality 2018–2021"',
            'policy_en = "NTNU\'s gender equality action plan 2022–2025"',
        ),
        ('policy_institution = "1150"', 'policy_institution = "1130"'),
    ],
    ids=["chart_best", "policy", "policy_en", "policy_institution"],
)
def test_a_setting_of_the_report_alone_rebuilds_the_report_and_re_runs_no_derived_step(
    raw, tmp_path, shipped_line, changed_line
):
    """[integration] chart_best says how many of the group's best the chart draws, not what any
    score is; [gender] policy, policy_en and policy_institution say which policy the report's
    words cite, not which unit is below the threshold. Changing one keeps every derived table (no
    step runs, no file is rewritten) and gives the report another fingerprint, so the report is
    built again. Before, the integration step ran again for chart_best (the step's fingerprint
    held the whole [integration] section), and the gender step for the policy's name."""
    from analysis.report.build import report_fingerprint
    from analysis.settings import load_settings

    config = tmp_path / "kvalitet.toml"
    shipped = paths.DEFAULT_CONFIG.read_text(encoding="utf-8")
    assert f"\n{shipped_line}\n" in shipped
    config.write_text(shipped, encoding="utf-8")
    before_settings = load_settings(config)
    run(raw, before_settings)
    stages = pipeline.Stages.of(raw)
    before = snapshot(stages.derived)
    report_before = report_fingerprint(stages, before_settings, {}, paths.NOTEBOOKS)

    config.write_text(shipped.replace(f"\n{shipped_line}\n", f"\n{changed_line}\n"), encoding="utf-8")
    changed = load_settings(config)
    assert changed != before_settings
    lines = run(raw, changed)
    assert lines == [f"validated: up to date ({stages.validated})", f"derived: up to date ({stages.derived})"]
    assert snapshot(stages.derived) == before, "no derived table was rewritten"
    assert report_fingerprint(stages, changed, {}, paths.NOTEBOOKS) != report_before, "the report is built again"


def test_the_hook_before_a_rebuild_runs_before_a_stage_is_rebuilt_and_only_then(raw):
    """The report build starts its browser from this hook: it must come before the stages'
    work when they are rebuilt (else the browser's start does not overlap them), and never when
    everything is up to date (an unchanged rebuild would start a browser for nothing)."""
    settings = Settings()

    def stages_run(**kwargs) -> list[str]:
        lines: list[str] = []
        pipeline.run(raw, settings, progress=lines.append, before_rebuild=lambda: lines.append("<hook>"), **kwargs)
        return lines

    first = stages_run()
    assert first[0] == "<hook>" and first[1].startswith("read "), first[:2]
    assert "<hook>" not in stages_run(), "up to date: no hook"
    forced = stages_run(force=True)
    assert forced[0] == "<hook>"
    # a changed setting: the validated stage is up to date, the derived one is rebuilt after the hook
    settings = Settings(gender=GenderSettings(trend_window_years=3))
    changed = stages_run()
    assert changed[0].startswith("validated: up to date")
    assert changed.index("<hook>") < changed.index("derived: gender …")


def test_force_runs_everything(raw):
    run(raw)
    lines = run(raw, force=True)
    assert not any("up to date" in line for line in lines)
    assert "derived: wellbeing …" in lines and "derived: gender …" in lines


def test_the_report_data_comes_from_the_derived_tables_not_the_raw_files(raw, monkeypatch):
    """Once the stages are up to date, the report reads no raw file: reading one fails here."""
    from analysis import ingest
    from analysis.report.data import load_report_data

    run(raw)

    def no_raw_reading(*args, **kwargs):
        raise AssertionError("a raw file was read")

    monkeypatch.setattr(ingest, "read_path", no_raw_reading)
    monkeypatch.setattr(ingest, "read_datasets", no_raw_reading)
    data = load_report_data(raw, None, "1150")
    derived = pd.read_parquet(pipeline.Stages.of(raw).derived / "gender_flags.parquet")
    assert len(data.flags) > 0
    assert set(data.flags["unit_code"]) <= set(derived["unit_code"])


def test_a_bad_raw_file_leaves_both_stages_as_they_were(raw):
    run(raw)
    stages = pipeline.Stages.of(raw)
    before = snapshot(stages.validated), snapshot(stages.derived)
    (raw / "ødelagt.csv").write_text(
        "Årstall;Avdelingskode;Antall totalt;Antall kvinner;Antall menn\n2020;12;x;1;1\n", encoding="utf-8"
    )
    from analysis.errors import InputError

    with pytest.raises(InputError):
        run(raw)
    assert (snapshot(stages.validated), snapshot(stages.derived)) == before


def test_hidden_folders_in_the_raw_folder_are_not_data(raw):
    """A killed fetch leaves its private staging folder (.kvalitet-fetch-*) in data/raw: it
    holds no data the stages may read."""
    from analysis.ingest import raw_files

    staging = raw / ".kvalitet-fetch-x1"
    staging.mkdir()
    (staging / "dbh_t123.json").write_text("[", encoding="utf-8")
    assert not any(".kvalitet-fetch" in str(p) for p in raw_files(raw))


def test_every_admission_number_reaches_the_validated_stage(raw):
    """Samordna's key figures give more than the gender table (applicants, places, qualified,
    offers with their measure): they are validated and kept as their own dataset."""
    run(raw)
    admissions = pd.read_parquet(pipeline.Stages.of(raw).validated / "admissions.parquet")
    assert {"applicants", "first_choice_applicants", "places", "qualified", "offers"} <= set(admissions["measure"])


def test_two_runs_at_once_take_turns(raw):
    """Two reports started together on the same data: the second waits for the first and then
    finds the stages up to date (no half-replaced folder, no error)."""
    import subprocess
    import sys

    script = (
        "import sys; from analysis import pipeline; from analysis.settings import Settings; "
        "pipeline.run(sys.argv[1], Settings(), progress=lambda line: print(line, flush=True))"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(raw)], stdout=subprocess.PIPE, text=True, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], [o[1] for o in outputs]
    up_to_date = [o[0].splitlines() for o in outputs if "derived: up to date" in o[0]]
    assert len(up_to_date) == 1, "exactly one of the two did the work"
    assert pd.read_parquet(pipeline.Stages.of(raw).derived / "gender_flags.parquet").shape[0] > 0


def test_respondent_data_without_the_integration_items_skips_that_step_and_says_why(tmp_path):
    """Later survey years ask other questions: with no 2017 extract beside them, there is no
    integration score to compute. The step is skipped with the reason (which the report shows);
    the other tables are still made, and nothing fails."""
    from analysis.synth import generate_respondents, write_respondents

    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW / "dbh_api", raw / "dbh_api")
    # items of overall satisfaction and teaching only: none of the configured integration items
    write_respondents(generate_respondents(300, n_items=4, n_programmes=5, n_years=2, seed=2), raw / "sb.csv")
    settings = Settings()
    stages, tables, validated = pipeline.run_and_read(raw, settings)
    manifest = pipeline.read_manifest(stages.derived)
    assert manifest["steps"]["integration"]["tables"] == []
    reason = manifest["steps"]["integration"]["skipped"]
    assert (
        reason.startswith("integration: ") and "the respondent data has no column for these configured items" in reason
    )
    assert "integration" not in tables and {"gender_flags", "survey_items"} <= set(tables)
    assert reason in validated["notes"]


def test_the_portal_time_series_and_items_hide_what_the_index_view_hides(raw):
    """An attack found on the real embedded data: with a minimum above a programme's
    respondents (Arkitektur 2025: 27 answers, minimum 30) the index view hid its 2025 values,
    but the time series still drew them. Every derived portal table by programme and year
    now hides that programme's 2025 figures, and keeps the years the index view does not
    cover (their n is not known here)."""
    from analysis.settings import SurveySettings

    run(raw, Settings(survey=SurveySettings(min_n=30, warn_n=40)))
    derived = pipeline.read_derived(pipeline.Stages.of(raw))
    index = derived["portal_index"]
    hidden = index.loc[index["suppressed"], ["sb_id", "survey_year"]].drop_duplicates()
    assert ("1150_maar-trondheim", 2025) in set(map(tuple, hidden.itertuples(index=False)))
    for name in ("portal_history", "portal_items"):
        table = derived[name]
        arkitektur = table[table["sb_id"] == "1150_maar-trondheim"]
        year = arkitektur["survey_year"] == 2025
        assert year.any() and arkitektur.loc[year, "value"].isna().all(), name
        assert arkitektur.loc[year, "suppressed"].all(), name
        keyed = table.merge(hidden, on=["sb_id", "survey_year"])
        assert keyed["value"].isna().all(), name  # no hidden programme-year shows a value anywhere
    history = derived["portal_history"]
    earlier = history[(history["sb_id"] == "1150_maar-trondheim") & (history["survey_year"] < 2025)]
    assert earlier["value"].notna().any() and not earlier["suppressed"].any()


def test_a_year_the_portals_dbh_facts_give_too_few_respondents_is_hidden_in_its_time_series(raw):
    """An attack on the published tables (2026-12-04): the derived DBH facts give a programme's
    respondents by year, also for a year the index view does not cover. Arkitektur's facts for
    2023 say 3 respondents (below the minimum of 5, config/kvalitet.toml); the index view is of
    2025 only, so the time series showed its 2023 values (4.1, 4.2, …) beside the facts' 3 (and the report's
    chart drew them). A programme and year with fewer respondents than the minimum, known from
    either table, is hidden in the time series and the item view; its other years stay."""
    arkitektur_with_three_respondents(raw, 2023)
    run(raw)
    derived = pipeline.read_derived(pipeline.Stages.of(raw))
    published = derived["portal_dbh_facts"]
    assert published.loc[published["sb_id"] == "1150_maar-trondheim", "respondents"].tolist() == [3]
    history = derived["portal_history"]
    arkitektur = history[history["sb_id"] == "1150_maar-trondheim"]
    year = arkitektur["survey_year"] == 2023
    assert year.sum() == 8  # the sample's eight indices of 2023
    assert arkitektur.loc[year, "value"].isna().all() and arkitektur.loc[year, "suppressed"].all()
    # its other years, and 2023 of another programme, are as the portal published them
    assert arkitektur.loc[arkitektur["survey_year"] == 2022, "value"].notna().all()
    assert not history.loc[history["sb_id"] != "1150_maar-trondheim", "suppressed"].any()


def test_a_year_the_portals_dbh_facts_give_too_few_respondents_is_hidden_in_the_index_view_too(raw):
    """The index view is one of the views of a programme and year: where the DBH facts give
    Arkitektur 3 respondents in 2025 (below the minimum of 5, config/kvalitet.toml), its 2025
    point is hidden in the time series and the item view, and so its 2025 values (the same
    answers: 3.9, 4.1, 4.0, … in both samples) are hidden in the index view too, else the
    index view shows what the time series hides."""
    arkitektur_with_three_respondents(raw, 2025)
    run(raw)
    derived = pipeline.read_derived(pipeline.Stages.of(raw))
    history = derived["portal_history"]
    point = history[(history["sb_id"] == "1150_maar-trondheim") & (history["survey_year"] == 2025)]
    assert len(point) and point["value"].isna().all()
    index = derived["portal_index"]
    arkitektur = index[(index["sb_id"] == "1150_maar-trondheim") & (index["survey_year"] == 2025)]
    assert len(arkitektur) and arkitektur["value"].isna().all() and arkitektur["suppressed"].all()
    # another programme of the same year is as the portal published it
    biologi = index[index["sb_id"] == "1150_bbi-trondheim"]
    assert biologi["value"].notna().any() and not biologi["suppressed"].any()


def test_what_the_survey_and_integration_steps_could_not_use_reaches_the_report(tmp_path):
    """A configured index item the respondent data lacks (a typo: underv_engasj_19 for _18) and
    a comparison-group member that is in no row were printed by ``kvalitet survey`` and
    ``kvalitet integration``, but the derived stage dropped them: the report built from the same
    data and settings said nothing, and its index was quietly over one item fewer. The notes
    are kept with the step in the stage's manifest, so the report has them whether the step ran
    now or in an earlier run."""
    from analysis.settings import load_settings
    from analysis.synth import generate_respondents, write_respondents

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(paths.RAW / "seed_studiebarometeret_2017_integrering.csv", raw)
    # items overord_altialt_13, underv_engasj_18, underv_formidl_18, underv_pensum_18
    write_respondents(generate_respondents(300, n_items=4, n_programmes=5, n_years=2, seed=2), raw / "sb.csv")
    config = tmp_path / "kvalitet.toml"
    config.write_text(
        '[survey.indices]\nundervisning = ["underv_engasj_19", "underv_formidl_18"]\n'
        '[integration]\ncomparison_group = ["NTNUU"]\n',
        encoding="utf-8",
    )
    settings = load_settings(config)
    lines: list[str] = []
    pipeline.run(raw, settings, progress=lines.append)
    survey_note = (
        f"survey: {config}: survey.indices.undervisning: underv_engasj_19 is not an item column of the data; "
        "missing for every respondent, it counts toward survey.index_max_missing (did you mean underv_engasj_18?)"
    )
    group_note = (
        f"integration: {config}: integration.comparison_group: 'NTNUU' is no institution or unit of the data; "
        "not in the ranking (did you mean NTNU?)"
    )
    assert f"  note: {survey_note}" in lines and f"  note: {group_note}" in lines, lines
    # the stage's manifest, the report, its workbook and notebook 01 name the settings file as they
    # name data files: by its name, not the adviser's folder it sits in (the terminal keeps the
    # path, above)
    named = [note.replace(f"{config}:", "kvalitet.toml:") for note in (survey_note, group_note)]
    assert named[0].startswith("survey: kvalitet.toml: survey.indices.undervisning: ")
    for _ in range(2):  # as made, and again when the stages are found up to date
        stages, _tables, validated = pipeline.run_and_read(raw, settings)
        assert set(named) <= set(validated["notes"])
    manifest = pipeline.read_manifest(stages.derived)
    assert manifest["steps"]["survey"]["notes"] == [named[0]]
    from analysis.report.data import load_report_data
    from analysis.report.notebook import all_warnings

    data = load_report_data(raw, None, "1150", settings=settings, allow_empty=True)
    assert set(named) <= set(data.warnings) and set(named) <= set(all_warnings(data))
    assert not [w for w in all_warnings(data) if str(tmp_path) in w]


def arkitektur_with_three_respondents(raw: Path, year: int) -> None:
    """The portal's DBH facts of ``raw`` with a line giving Arkitektur 3 respondents in ``year``."""
    facts = raw / "studiebarometeret_2025_portal_dbh_facts_sample.csv"
    with facts.open("a", encoding="utf-8") as out:
        out.write(f"{year},1150_maar-trondheim,Arkitektur (master 5 år),3,12.0,,,,,,\n")


def test_a_settings_file_renamed_with_its_content_unchanged_is_named_anew_in_the_derived_stage(tmp_path):
    """The derived stage names the settings file in its manifest and in its steps' notes
    ("survey: a.toml: survey.indices.…"). Renamed to b.toml, content unchanged, the stage was
    up to date and went on saying a.toml — a file that is no longer there — to the report."""
    from analysis.settings import load_settings
    from analysis.synth import generate_respondents, write_respondents

    raw = tmp_path / "raw"
    raw.mkdir()
    write_respondents(generate_respondents(200, n_items=4, n_programmes=3, n_years=1, seed=2), raw / "sb.csv")
    old = tmp_path / "a.toml"
    old.write_text('[survey.indices]\nundervisning = ["underv_engasj_19", "underv_formidl_18"]\n', encoding="utf-8")
    stages = pipeline.run(raw, load_settings(old), progress=lambda line: None)
    (note,) = pipeline.read_manifest(stages.derived)["steps"]["survey"]["notes"]
    assert note.startswith("survey: a.toml: survey.indices.undervisning: ")
    new = old.rename(tmp_path / "b.toml")
    stages, _tables, validated = pipeline.run_and_read(raw, load_settings(new))
    manifest = pipeline.read_manifest(stages.derived)
    assert manifest["settings"]["file"] == "b.toml"
    assert manifest["steps"]["survey"]["notes"] == [note.replace("a.toml:", "b.toml:", 1)]
    assert not [n for n in validated["notes"] if "a.toml" in n]


def test_the_derived_manifest_says_what_its_steps_used_after_a_setting_of_the_report_alone_changed(raw, tmp_path):
    """A setting only the report reads (``chart_best``) re-runs no derived step, so the stage's
    manifest is kept: it named the settings file's sha256 from before, not the file's. The kept
    manifest says what a rebuild from scratch with the changed file says; a setting that decides
    numbers (the threshold) is recorded by the steps that use it, and by no other."""
    from analysis.settings import load_settings

    config = tmp_path / "kvalitet.toml"
    shipped = paths.DEFAULT_CONFIG.read_text(encoding="utf-8")
    config.write_text(shipped, encoding="utf-8")
    run(raw, load_settings(config))
    stages = pipeline.Stages.of(raw)
    first = pipeline.read_manifest(stages.derived)

    assert "\nchart_best = 5\n" in shipped
    config.write_text(shipped.replace("\nchart_best = 5\n", "\nchart_best = 3\n"), encoding="utf-8")
    assert run(raw, load_settings(config))[-1] == f"derived: up to date ({stages.derived})"
    kept = pipeline.read_manifest(stages.derived)
    run(raw, load_settings(config), force=True)
    assert kept == pipeline.read_manifest(stages.derived)

    assert "\nthreshold_pct = 40\n" in shipped
    config.write_text(shipped.replace("\nthreshold_pct = 40\n", "\nthreshold_pct = 37.5\n"), encoding="utf-8")
    run(raw, load_settings(config))
    changed = pipeline.read_manifest(stages.derived)
    used = {name: step.get("settings") for name, step in changed["steps"].items()}
    assert used == {name: step.get("settings") for name, step in first["steps"].items()} | {"gender": used["gender"]}
    assert used["gender"] != first["steps"]["gender"].get("settings")
