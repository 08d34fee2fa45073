"""A portal programme whose every index-view row NOKUT's respondent files set aside is named by
its name, not its code (a reader, 2026-12-05): the shipped portal extract has its index view of
2025 only, so a respondent file of NTNU's 2025 left the portal's time series of 2022–2024 with
no name beside it, and notebook 04 titled its charts "NTNU: 1150_maar-trondheim". The names
travel with the rows set aside (``portal_set_aside``'s ``programme_name``), never their figures.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd

from analysis import paths
from tests.test_disclosure_portal_respondents import respondents

PORTAL_FILES = (
    "studiebarometeret_2025_portal_index_sample.csv",
    "studiebarometeret_2025_portal_items_sample.csv",
    "studiebarometeret_2025_portal_dbh_facts_sample.csv",
    "studiebarometeret_index_history_sample.csv",
)


def data_folder(tmp_path):
    """The shipped portal files as they are, and NOKUT's respondent file of NTNU's 2025."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in PORTAL_FILES:
        shutil.copy(paths.RAW / name, raw)
    respondents().to_csv(raw / "sb_respondenter_2025.csv", index=False)
    return raw


def portal_names_by_hand() -> dict[str, str]:
    """NTNU's programmes of the shipped index view, each with its one name there, and of the DBH
    facts those the index view has not (read from the files, not through the product)."""
    index = pd.read_csv(paths.RAW / PORTAL_FILES[0], dtype={"institusjonskode": str})
    facts = pd.read_csv(paths.RAW / PORTAL_FILES[2])
    ntnu = pd.concat([index[index["institusjonskode"] == "1150"], facts[facts["sb_id"].str.startswith("1150_")]])
    ntnu = ntnu.drop_duplicates("sb_id")  # the index view's first
    return dict(zip(ntnu["sb_id"], ntnu["programnavn"], strict=True))


def test_the_set_aside_rows_keep_the_programmes_name_and_no_figure(tmp_path):
    from analysis import pipeline
    from analysis.settings import load_settings

    names = portal_names_by_hand()
    stages = pipeline.run(data_folder(tmp_path), load_settings(), progress=lambda line: None)
    aside = pd.read_parquet(stages.derived / "portal_set_aside.parquet")
    assert list(aside.columns) == ["sb_id", "institution_code", "survey_year", "programme_name"]
    assert (aside["survey_year"] == 2025).all() and (aside["institution_code"] == "1150").all()
    assert dict(zip(aside["sb_id"], aside["programme_name"], strict=True)) == names


def test_the_portal_time_series_and_its_changes_are_named_by_the_programmes_name(tmp_path):
    """What notebook 04 names the time series and its table of changes by, the report's
    :meth:`~analysis.report.data.ReportData.portal_names`: the name, not the code."""
    from analysis.report.data import load_report_data
    from analysis.report.notebook import year_on_year

    names = portal_names_by_hand()
    data = load_report_data(data_folder(tmp_path), 2025, "1150")
    assert data.portal_index is not None and data.portal_index.empty  # every NTNU row is of 2025
    history = data.portal_history
    assert history is not None and set(history["survey_year"]) == {2022, 2023, 2024}
    assert set(history["sb_id"]) == {"1150_maar-trondheim", "1150_mtbygg-trondheim"}
    assert data.portal_names(data.year) == names
    change = year_on_year(history, data.portal_index, data.year, data.portal_set_aside)
    assert dict(zip(change["sb_id"], change["programme_name"], strict=True)) == {
        sb_id: names[sb_id] for sb_id in history["sb_id"]
    }


def test_notebook_04_titles_the_time_series_by_the_programmes_name(tmp_path):
    """Notebook 04 as the report build runs it: each time-series chart's title carries the
    programme's name, and no title the bare code."""
    from analysis.report.notebooks import execute_notebooks

    names = portal_names_by_hand()
    raw = data_folder(tmp_path)
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(paths.NOTEBOOKS / "04_studiebarometeret.py", folder)
    parameters = {"data_dir": str(raw), "year": 2025, "institution": "1150", "interactive": False}
    (executed,) = execute_notebooks(parameters, tmp_path / "executed", lambda _: None, notebook_dir=folder)
    titles = [
        json.dumps(output["data"]["application/vnd.plotly.v1+json"]["layout"]["title"]["text"], ensure_ascii=False)
        for cell in json.loads(executed.read_text(encoding="utf-8"))["cells"]
        for output in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in output.get("data", {})
    ]
    for sb_id in ("1150_maar-trondheim", "1150_mtbygg-trondheim"):
        assert sum(names[sb_id] in title for title in titles) == 1, titles
    assert not any(sb_id in title for title in titles for sb_id in names), titles


def test_the_report_shows_the_time_series_notebook_04_shows_titled_by_name(tmp_path):
    """The report page showed no time series where the respondent files set aside every index-view
    row of the year, while notebook 04 drew it: the page draws the same series (the portal's years
    the files do not cover, none of 2025), each titled by the programme's name."""
    from analysis.charts.labels import label
    from analysis.report.about import survey_rules
    from analysis.report.data import load_report_data
    from analysis.report.parts import slug
    from analysis.report.survey_section import survey_section

    names = portal_names_by_hand()
    data = load_report_data(data_folder(tmp_path), 2025, "1150")
    for lang in ("nb", "en"):
        _blocks, figures, year = survey_section(data, lang)
        assert year == 2025
        series = {f.name: f.figure for f in figures if f.name.startswith("studiebarometeret_tidsserie_")}
        ids = ("1150_maar-trondheim", "1150_mtbygg-trondheim")
        assert sorted(series) == [f"studiebarometeret_tidsserie_{slug(sb_id)}" for sb_id in ids]
        for sb_id in ids:
            fig = series[f"studiebarometeret_tidsserie_{slug(sb_id)}"]
            assert names[sb_id] in fig.layout.title.text and sb_id not in fig.layout.title.text
            # the portal's years the respondent files do not cover, none of the year they do
            assert {int(x) for trace in fig.data for x in trace.x} == {2022, 2023, 2024}
        # and "Om tallene" says how the portal's figures it draws are hidden
        portal_rule = label("about_survey_portal", lang, min_n=data.survey_min_n, warn_n=data.survey_warn_n)
        assert portal_rule in survey_rules(data, lang)
