"""NOKUT's portal extract and NOKUT's respondent-level file of the same programme and year in one
data folder: the report showed both, the portal's index view per programme and the respondent
tables' cells, each protected apart (an attack on one report folder, 2026-12-05). Now one source
per institution × year: where the respondent files cover it, the portal's rows of it are in no
table (:func:`analysis.disclosure.portal_set_aside`).

The data folder the product ships holds the portal extract (``studiebarometeret_2025_portal_*``);
an adviser who adds NOKUT's raw files gets a report with both views of the same answers.
"""

from __future__ import annotations

import shutil

import pandas as pd

from analysis import paths

UNDERVISNING = ("underv_engasj_18", "underv_formidl_18", "underv_pensum_18", "underv_aktiv_18")
PORTAL = "studiebarometeret_2025_portal_index_sample.csv"


def respondents() -> pd.DataFrame:
    """Programme MAAR of NTNU (the portal's ``1150_maar-trondheim``), 2025: six respondents,
    two of whom answered two of undervisning's four items only (more than ``index_max_missing``
    = 1 missing: no index value), so its undervisning index is of four; and a programme of 20."""
    rows = []
    for programme, n, skipping in (("MAAR", 6, 2), ("MTBYGG", 20, 0)):
        for k in range(n):
            answers = {item: 1 + (k + j) % 5 for j, item in enumerate(UNDERVISNING)}
            if k < skipping:
                answers |= {UNDERVISNING[0]: None, UNDERVISNING[1]: None}
            rows.append({"institusjonskode": "1150", "studprog_kod": programme, "aar": 2025, **answers})
    return pd.DataFrame(rows)


def data_folder(tmp_path):
    """The shipped portal extract (MAAR of 2025 with 6 respondents by the portal's count, and the
    same programmes' rows again as 2024, a year no respondent file covers), its DBH facts, and
    NOKUT's respondent file of NTNU's 2025."""
    raw = tmp_path / "raw"
    raw.mkdir()
    portal = (paths.RAW / PORTAL).read_text(encoding="utf-8")
    six = "2025,1150_maar-trondheim,1150,Arkitektur (master 5 år),Master,6,"
    portal = portal.replace("2025,1150_maar-trondheim,1150,Arkitektur (master 5 år),Master,27,", six)
    assert six in portal
    earlier = [line.replace("2025,", "2024,", 1) for line in portal.splitlines()[1:] if ",1150," in line]
    (raw / PORTAL).write_text(portal.rstrip("\n") + "\n" + "\n".join(earlier) + "\n", encoding="utf-8")
    shutil.copy(paths.RAW / "studiebarometeret_2025_portal_dbh_facts_sample.csv", raw)
    respondents().to_csv(raw / "sb_respondenter_2025.csv", index=False)
    return raw, portal


def test_the_portal_shows_no_figure_of_a_year_the_respondent_files_cover(tmp_path):
    """The respondent tables hide MAAR's undervisning index of 2025 for its 4 respondents with
    an index value (primary, 4 < 5), while the portal extract's row of the same programme and
    year (NOKUT's 3.9, 6 respondents by the portal's count) passed the product's minimum and was
    drawn in the same report. NTNU's 2025 is the respondent files' now: no portal row of it is in
    the report's data; NTNU's 2024, which no respondent file covers, is the portal's still."""
    from analysis.report.about import survey_rules
    from analysis.report.data import load_report_data

    raw, portal = data_folder(tmp_path)
    data = load_report_data(raw, 2025, "1150")
    indices = data.survey_indices
    assert indices is not None
    maar = indices[(indices["unit_code"] == "MAAR") & (indices["index_name"] == "undervisning")].iloc[0]
    assert maar["suppressed"] and maar["suppression"] == "primary"  # 4 with an index value
    portal_index = data.portal_index
    assert portal_index is not None
    assert not (portal_index["survey_year"] == 2025).any(), portal_index
    for frame in (data.portal_index, data.portal_history):
        if frame is not None:
            assert not ((frame["sb_id"] == "1150_maar-trondheim") & (frame["survey_year"] == 2025)).any()
    # the year not covered keeps NOKUT's figures, as the extract has them
    shown = portal_index[(portal_index["survey_year"] == 2024) & ~portal_index["suppressed"].astype(bool)]
    published = pd.read_csv(raw / PORTAL)
    expected = published[(published["survey_year"] == 2024) & (published["respondents"] >= data.survey_min_n)]
    assert len(shown) == len(expected) > 0
    assert sorted(shown["value"].dropna()) == sorted(expected["value"].dropna())
    # and the report says so where it describes the portal's figures
    for lang, words in (("nb", "regnet fra NOKUTs svarfiler"), ("en", "computed from NOKUT's respondent files")):
        said = [rule for rule in survey_rules(data, lang) if words in rule]
        assert len(said) == 1 and "2025" in said[0] and "2024" not in said[0], said


def test_an_institution_the_respondent_files_do_not_cover_keeps_the_portal_figures(tmp_path):
    """NTNU's respondent file sets aside NTNU's 2025 portal rows, not another institution's of
    the same year (1173's programme of 13 respondents, in the same extract)."""
    from analysis.report.about import survey_rules
    from analysis.report.data import load_report_data

    raw, _portal = data_folder(tmp_path)
    data = load_report_data(raw, 2025, "1173")
    published = pd.read_csv(raw / PORTAL, dtype={"institusjonskode": str})
    expected = published[(published["survey_year"] == 2025) & (published["institusjonskode"] == "1173")]
    assert data.portal_index is not None
    assert len(data.portal_index) == len(expected) > 0
    assert data.portal_set_aside_years == ()
    assert not any("svarfiler" in rule for rule in survey_rules(data, "nb"))


def test_every_portal_table_loses_the_covered_years_only():
    """The item view, the time series and the DBH facts lose the rows of a covered institution
    and year as the index view does (a programme the index view does not name by its
    ``sb_id``'s code); a respondent file without ``institusjonskode`` covers its year for every
    institution."""
    from analysis.disclosure import portal_set_aside

    def rows(*keys):
        return pd.DataFrame({"sb_id": [k[0] for k in keys], "survey_year": [k[1] for k in keys], "value": 4.0})

    index = rows(("1150_a", 2025), ("1150_a", 2024), ("1173_b", 2025)).assign(institution_code=["1150", "1150", "1173"])
    portal = {
        "portal_index": index,
        "portal_history": rows(("1150_a", 2023), ("1150_a", 2025), ("1150_c", 2025), ("1173_b", 2025)),
        "portal_items": rows(("1150_a", 2025), ("1150_a", 2024)),
        "portal_dbh_facts": rows(("1150_a", 2025), ("1173_b", 2025)),
    }
    files = pd.DataFrame({"institution_code": ["1150"], "year": [2025], "source_file": ["r.csv"]})
    kept, aside = portal_set_aside(portal, files)
    for name, frame in kept.items():
        pairs = set(zip(frame["sb_id"], frame["survey_year"], strict=True))
        assert not {p for p in pairs if p[0].startswith("1150") and p[1] == 2025}, name
        before = set(zip(portal[name]["sb_id"], portal[name]["survey_year"], strict=True))
        assert pairs == {p for p in before if not (p[0].startswith("1150") and p[1] == 2025)}, name
    assert set(zip(aside["sb_id"], aside["survey_year"], strict=True)) == {("1150_a", 2025), ("1150_c", 2025)}

    unnamed = files.assign(institution_code=pd.Series([None], dtype="string"))
    kept, _aside = portal_set_aside(portal, unnamed)
    assert all((frame["survey_year"] != 2025).all() for frame in kept.values())
    assert len(kept["portal_history"]) == 1 and len(kept["portal_items"]) == 1


def test_a_hidden_portal_row_shows_no_count_either(tmp_path):
    """A programme the portal counts 3 respondents for is hidden (3 < ``min_n``), and its count
    and response rate with it, as a hidden row of the respondent tables shows none: not in the
    chart's subtitle ("3 respondenter, svarprosent 20,8 %"), not in the report's survey table."""
    from analysis.charts.survey import portal_index_chart
    from analysis.report.content import report_tables
    from analysis.report.data import load_report_data, sources_for

    raw = tmp_path / "raw"
    raw.mkdir()
    portal = (paths.RAW / PORTAL).read_text(encoding="utf-8")
    three = "2025,1150_maar-trondheim,1150,Arkitektur (master 5 år),Master,3,"
    portal = portal.replace("2025,1150_maar-trondheim,1150,Arkitektur (master 5 år),Master,27,", three)
    assert three in portal
    (raw / PORTAL).write_text(portal, encoding="utf-8")
    data = load_report_data(raw, 2025, "1150")
    assert data.portal_index is not None
    maar = data.portal_index[data.portal_index["sb_id"] == "1150_maar-trondheim"]
    assert len(maar) == 8 and maar["suppressed"].all() and maar["value"].isna().all()
    assert maar["respondents"].isna().all() and maar["response_rate_pct"].isna().all()
    others = data.portal_index[data.portal_index["sb_id"] != "1150_maar-trondheim"]
    assert others["respondents"].notna().all()  # a shown programme keeps its count

    for lang in ("nb", "en"):
        fig = portal_index_chart(
            data.portal_index,
            sb_id="1150_maar-trondheim",
            institution="NTNU",
            sources=sources_for(maar, data.retrieved, lang),
            lang=lang,
            min_n=data.survey_min_n,
            warn_n=data.survey_warn_n,
        )
        subtitle = fig.layout.title.subtitle.text or ""
        assert "20,8" not in subtitle and "20.8" not in subtitle and "3 respond" not in subtitle, subtitle
    survey = report_tables(data, pd.DataFrame(), pd.DataFrame(), None)["survey"]
    rows = survey[survey["sb_id"] == "1150_maar-trondheim"]
    assert len(rows) == 8 and rows["respondents"].isna().all() and rows["response_rate_pct"].isna().all()


def test_the_report_holds_the_set_aside_table_to_its_contract_as_it_reads_it(tmp_path):
    """A derived ``portal_set_aside.parquet`` that breaks its contract (a programme's year without
    its institution) stops the report with a problem naming the table, not a report that drops
    the row unseen and no longer says the year is the respondent files'."""
    import pytest

    from analysis import pipeline
    from analysis.errors import STAGE_TABLE_HINT, InputError
    from analysis.report.data import load_report_data
    from analysis.settings import load_settings

    raw, _portal = data_folder(tmp_path)
    settings = load_settings()
    stages = pipeline.run(raw, settings, progress=lambda line: None)
    table = stages.derived / "portal_set_aside.parquet"
    aside = pd.read_parquet(table)
    assert len(aside) > 0 and (aside["survey_year"] == 2025).all()
    aside["institution_code"] = pd.Series(None, index=aside.index, dtype="string")
    aside.to_parquet(table, index=False)
    with pytest.raises(InputError) as err:
        load_report_data(raw, 2025, "1150", settings=settings)
    assert "portal_set_aside.parquet" in str(err.value)
    assert all(problem.hint == STAGE_TABLE_HINT for problem in err.value.problems), err.value


def test_the_set_aside_table_is_made_to_its_contract():
    """``portal_set_aside`` returns its table as the contract has it, with none set aside too
    (the derived stage writes what it returns)."""
    from analysis.disclosure import portal_set_aside
    from schemas.survey_results import PortalSetAside

    index = pd.DataFrame({"sb_id": ["1150_a"], "survey_year": [2025], "institution_code": ["1150"], "value": [4.0]})
    files = pd.DataFrame({"institution_code": ["1150"], "year": [2025], "source_file": ["r.csv"]})
    for survey_files in (files, files.assign(year=2024), None):
        _kept, aside = portal_set_aside({"portal_index": index}, survey_files)
        assert list(aside.columns) == list(PortalSetAside.to_schema().columns)
        PortalSetAside.validate(aside, lazy=True)


def test_a_respondent_file_added_or_removed_re_runs_the_portal_step(tmp_path):
    """The portal step reads the survey step's ``survey_files``: a respondent file added to an
    up-to-date stage (NTNU's 2024) re-runs it and sets that year aside too, and removed, brings
    the portal's 2024 back; the steps that read the respondent files and the portal step run,
    the others are kept."""
    from analysis import pipeline
    from analysis.settings import load_settings

    raw, _portal = data_folder(tmp_path)
    settings = load_settings()
    stages = pipeline.run(raw, settings, progress=lambda line: None)

    def ntnu_years() -> tuple[set[int], set[int]]:
        index = pd.read_parquet(stages.derived / "portal_index.parquet")
        aside = pd.read_parquet(stages.derived / "portal_set_aside.parquet")
        return set(index.loc[index["institution_code"] == "1150", "survey_year"]), set(aside["survey_year"])

    assert ntnu_years() == ({2024}, {2025})
    respondents().assign(aar=2024).to_csv(raw / "sb_respondenter_2024.csv", index=False)
    lines: list[str] = []
    pipeline.run(raw, settings, progress=lines.append)
    assert [line for line in lines if line.startswith("derived: ") and line.endswith("…")] == [
        "derived: survey …",
        "derived: integration …",  # (it reads the respondent files too)
        "derived: portal …",
    ], lines
    assert ntnu_years() == (set(), {2024, 2025})
    (raw / "sb_respondenter_2024.csv").unlink()
    pipeline.run(raw, settings, progress=lambda line: None)
    assert ntnu_years() == ({2024}, {2025})


def test_a_report_of_an_earlier_year_names_no_later_year_set_aside(tmp_path):
    """A 2024 report from a folder whose respondent files cover 2025 shows the portal's 2024
    and nothing of 2025: 'Om tallene' does not say 'Studiebarometeret 2025 for NTNU is computed
    from NOKUT's respondent files' (a later year is not the report's, as
    :func:`analysis.report.parts.up_to_report_year` has it); the 2025 report says it."""
    from analysis.report.about import survey_rules
    from analysis.report.data import load_report_data

    raw, _portal = data_folder(tmp_path)
    for year, said in ((2024, False), (2025, True)):
        data = load_report_data(raw, year, "1150")
        assert data.portal_set_aside_years == (2025,)  # the stage's, as it is
        for lang, words in (("nb", "svarfiler"), ("en", "respondent files")):
            rules = [rule for rule in survey_rules(data, lang) if words in rule]
            if said:
                assert len(rules) == 1 and "2025" in rules[0], rules
            else:
                assert rules == [], (year, rules)
