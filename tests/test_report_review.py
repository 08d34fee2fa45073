"""Second-reader fixes: empty units, suppressed and few-respondent results, the configured
threshold in the report's charts. Expected values are derived by hand in the comments."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.charts import (
    gender_share_bars,
    gender_trend,
    integration_ranking,
    portal_index_chart,
)
from analysis.charts.common import SOURCE_NOTE_NAME, THRESHOLD_NAME, Source
from analysis.charts.labels import label
from analysis.report.content import report_content
from analysis.report.data import ReportData
from analysis.report.findings import key_findings
from analysis.settings import GenderSettings, Settings

THRESHOLD = Fraction(2, 5)  # the policy's 40 %

SRC = Source("DBH (HK-dir)", "123 Registrerte studenter", "2026-09-23")


def _flags(totals, women, statuses, year=2025) -> pd.DataFrame:
    n = len(totals)
    men = [None if w is None else t - w for t, w in zip(totals, women, strict=True)]
    share = [None if w is None or t == 0 else w / t for t, w in zip(totals, women, strict=True)]
    return pd.DataFrame(
        {
            "level": ["department"] * n,
            "institution_code": ["1150"] * n,
            "unit_code": [f"10010{i}" for i in range(n)],  # institutes of faculty 100 (100000: its own unit)
            "unit_name": [f"Avd {i}" for i in range(n)],
            "faculty_code": ["100"] * n,
            "year": pd.array([year] * n, dtype="Int64"),
            "measure": ["registered"] * n,
            "source_kind": ["dbh-123-json"] * n,
            "source_file": ["dbh_api_t123_1150.json"] * n,
            "total": pd.array(totals, dtype="Int64"),
            "women": pd.array(women, dtype="Int64"),
            "men": pd.array(men, dtype="Int64"),
            "women_low": pd.array(women, dtype="Int64"),
            "women_high": pd.array(women, dtype="Int64"),
            "suppressed_units": pd.array([0] * n, dtype="Int64"),
            "suppression": [None] * n,  # (nothing masked: neither a unit's own cell nor cells inside it)
            "suppressed_inside": [None] * n,
            "share_women": pd.array(share, dtype="Float64"),
            "underrepresented": pd.array(["women" if s == "flagged" else None for s in statuses], dtype="string"),
            "status": statuses,
            "students_needed": pd.array([None] * n, dtype="Int64"),
            "threshold": [0.4] * n,
            "consecutive_years_flagged": pd.array([1 if s == "flagged" else 0 for s in statuses], dtype="Int64"),
        }
    )


def _data(flags: pd.DataFrame, **extra) -> ReportData:
    return ReportData(
        year=2025,
        institution="1150",
        institution_short="NTNU",
        data_dir=Path("."),
        validated={},
        reference={},
        flags=flags,
        integration=extra.get("integration"),
        survey=None,
        wellbeing=None,
        portal_index=extra.get("portal_index"),
        portal_history=None,
        settings=Settings(gender=GenderSettings(threshold=extra.get("threshold", Fraction(2, 5)))),
    )


def test_empty_unit_is_neither_a_bar_nor_called_suppressed():
    # Avd 0: 10 of 50 women (20 %) flagged; Avd 1: 0 students (empty); Avd 2: 45 of 100 ok
    flags = _flags([50, 0, 100], [10, 0, 45], ["flagged", "unknown", "ok"])
    fig = gender_share_bars(flags, year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD)
    bars = [t for t in fig.data if t.type == "bar"]
    assert all("Avd 1" not in list(t.y) for t in bars), "no bar (not 0 %, not a 0–100 % range) for an empty unit"
    assert [a.text for a in fig.layout.annotations if a.y == "Avd 1"] == [label("no_students", most=2)]
    # the trend of the empty unit: a gap, and no "unknown" range either
    trend = gender_trend(flags[flags["unit_code"] == "100101"], scope="NTNU", sources=SRC, threshold=THRESHOLD)
    assert [t for t in trend.data if t.name == label("unknown")] == []
    # findings: 1 flagged of the 2 units that have students; the empty unit is not "suppressed"
    findings, earlier = key_findings(_data(flags), "nb")
    assert findings[0].startswith("1 av 2 institutter")
    assert not any("skjermet" in f for f in findings + earlier)


def test_report_charts_draw_the_configured_threshold():
    # flags computed at 1/3: the lines must be at 1/3 and 2/3, not at the default 40 %/60 %
    flags = _flags([90], [20], ["flagged"])
    flags["threshold"] = float(Fraction(1, 3))
    content = report_content(_data(flags, threshold=Fraction(1, 3)), "nb")
    fig = next(f.figure for f in content.figures if f.name == "kjonn_institutt")
    xs = sorted(round(s.x0, 6) for s in fig.layout.shapes if s.name == THRESHOLD_NAME)
    assert xs == [round(1 / 3, 6), round(2 / 3, 6)]


def test_integration_ranking_counts_suppressed_units_and_names_few_respondent_ones():
    scores = pd.DataFrame(
        {
            "year": [2025] * 3,
            "level": ["all"] * 3,
            "institution": ["A", "B", "C"],
            "academic": pd.array([4.0, 3.0, None], dtype="Float64"),
            "social": pd.array([4.0, 3.0, None], dtype="Float64"),
            "integration_score": pd.array([4.0, 3.0, None], dtype="Float64"),
            "rank": pd.array([1, 2, None], dtype="Int64"),
            "units_ranked": pd.array([2, 2, None], dtype="Int64"),
            "gap_to_best": pd.array([0.0, -1.0, None], dtype="Float64"),
            "gap_to_median": pd.array([0.5, -0.5, None], dtype="Float64"),
            "few_respondents": pd.array([False, True, True], dtype="boolean"),
            "suppressed": [False, False, True],
        }
    )
    fig = integration_ranking(scores, year=2025, level="all", highlight=None, sources=SRC, best=5)
    combined = fig.data[2]
    texts = dict(zip(combined.y, combined.text, strict=True))
    assert texts == {"A": "4,00", "B": "3,00"}, "a suppressed unit is not drawn (the table has it, with '–')"
    assert "Ikke tegnet: 1 skjermet enhet (for få svar)." in fig.layout.title.subtitle.text.replace("<br>", " ")
    notes = {a.y: a.text for a in fig.layout.annotations if a.y in ("A", "B", "C")}
    assert notes == {"B": "få svarende"}


def test_portal_values_below_the_minimum_are_not_drawn():
    rows = pd.DataFrame(
        {
            "sb_id": ["p"] * 2,
            "survey_year": pd.array([2025] * 2, dtype="Int64"),
            "programme_name": ["P"] * 2,
            "respondents": pd.array([4, 4], dtype="Int64"),
            "response_rate_pct": pd.array([50.0, 50.0], dtype="Float64"),
            "dimension_key": ["undervisning", "organisering"],
            "value": pd.array([3.5, 4.0], dtype="Float64"),
            "field_average": pd.array([3.8, 3.9], dtype="Float64"),
            "field_average_label": ["x", "x"],
            "few_respondents_warning": [False, False],
        }
    )
    # 4 respondents < the minimum 5: no value drawn although the portal file has one
    fig = portal_index_chart(rows, sb_id="p", institution="NTNU", sources=SRC, min_n=5, warn_n=10)
    programme = fig.data[1]
    assert np.isnan(np.asarray(programme.x, dtype=float)).all()
    # 7 respondents: shown, but 7 < 10 is "few respondents"
    rows["respondents"] = pd.array([7, 7], dtype="Int64")
    fig = portal_index_chart(rows, sb_id="p", institution="NTNU", sources=SRC, min_n=5, warn_n=10)
    assert list(fig.data[1].x) == [3.5, 4.0]
    assert fig.data[1].marker.symbol == "circle-open"


def test_a_share_just_below_the_threshold_never_reads_as_the_threshold():
    from analysis.charts.labels import share_text, thresholds_of

    thresholds = thresholds_of(THRESHOLD)  # 40 % and 60 %
    # 799 of 2000 women = 39.95 %: flagged, and one decimal would print "40,0"
    assert share_text(799 / 2000, "nb", thresholds) == "39,95 %"
    # 1199 of 2000 = 59.95 % women (men 40.05 %, ok): not "60,0 %" on the men's line either
    assert share_text(1199 / 2000, "nb", thresholds) == "59,95 %"
    # exactly 40 % stays "40,0"; an ordinary share keeps one decimal (29 % -> "29,0", 1/3 -> "33,3",
    # 68.996 % -> "69,0": one decimal, never "68,996")
    assert share_text(0.4, "nb", thresholds) == "40,0 %"
    assert share_text(0.29, "en", thresholds) == "29.0 %"
    assert share_text(1 / 3, "en", thresholds) == "33.3 %"
    assert share_text(0.68996, "nb", thresholds) == "69,0 %"


def test_follow_up_list_names_its_source_in_one_line():
    from analysis.report.gender_section import followup_block

    flagged = _flags([100], [39], ["flagged"]).assign(
        source_kind="seed-admission", level="programme", unit_name="Komtek", unit_code="Komtek", faculty_code=None
    )
    flagged["underrepresented_share"] = pd.array([0.39], dtype="Float64")
    block = followup_block(flagged, "nb", THRESHOLD, caption="Tabell", source="Kilde")
    assert block["columns"][-1] == "Kilde"
    assert block["rows"][-1]["cells"][-1] == "LMU 28.11.2018"
    # the under-represented gender with its own share, one decimal
    assert "kvinner 39,0 %" in block["rows"][-1]["cells"]


def test_report_never_replaces_a_folder_that_is_not_an_earlier_report(tmp_path):
    import pytest

    from analysis.errors import ReportError
    from analysis.report.build import build_report

    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("precious\n", encoding="utf-8")
    with pytest.raises(ReportError, match="not an earlier report"):
        build_report(out_dir=folder, static=False, progress=lambda _: None)
    assert (folder / "letter.txt").read_text(encoding="utf-8") == "precious\n"
    with pytest.raises(ReportError, match="is a file"):
        build_report(out_dir=folder / "letter.txt", static=False, progress=lambda _: None)
    assert [p.name for p in tmp_path.iterdir()] == ["documents"], "nothing else written"


def test_cli_percent_never_rounds_a_flagged_share_onto_the_threshold():
    from analysis.words import percent

    # 799/2000 = 39.95 % (flagged) -> "39.95 %"; 40 % exactly -> "40.0 %"; missing -> ""
    shares = pd.Series([799 / 2000, 0.4, None, 0.25], dtype="Float64")
    assert percent(shares).tolist() == ["39.95 %", "40.0 %", "", "25.0 %"]
    # 39 999 of 100 000 = 39.999 % rounds onto 40 at one and at two decimals: three are shown
    # (one more decimal was "40.0 %"); ingest writes 799 of 2000 against a share of "40 %" so
    assert percent(pd.Series([39_999 / 100_000], dtype="Float64")).tolist() == ["39.999 %"]
    assert percent(pd.Series([799 / 2000], dtype="Float64"), 0).tolist() == ["39.95 %"]


def test_the_field_benchmark_is_shown_where_the_flags_carry_it():
    """The slot for the programme's field benchmark: absent column, no column in the list;
    present (the programme-level DBH readers deliver it), shown beside the unit's own share."""
    from analysis.report.gender_section import FIELD_BENCHMARK, followup_block
    from analysis.report.tables import FOLLOWUP, people_table

    flagged = _flags([100], [30], ["flagged"]).assign(
        level="programme", unit_name="Datateknologi", unit_code="DT", faculty_code=None
    )
    flagged["underrepresented_share"] = pd.array([0.30], dtype="Float64")
    without = followup_block(flagged, "nb", THRESHOLD, caption="Tabell", source="Kilde")
    assert "Fagfeltet nasjonalt" not in without["columns"]
    flagged[FIELD_BENCHMARK] = pd.array([0.21], dtype="Float64")  # 21 % women nationally in the field
    block = followup_block(flagged, "nb", THRESHOLD, caption="Tabell", source="Kilde")
    col = block["columns"].index("Fagfeltet nasjonalt")
    assert block["rows"][-1]["cells"][col] == "21,0 %"
    sheet = people_table(flagged, FOLLOWUP, "nb").frame
    assert sheet["Fagfeltet nasjonalt"].tolist() == [0.21]


def test_portal_chart_titles_say_whose_results_they_are():
    """A chart lifted from the report into a committee paper must say whose numbers it shows:
    the survey (Studiebarometeret), the years (2025; the series 2024–2025) and the institution
    of the report (NTNU), with its source line kept."""
    index = pd.DataFrame(
        {
            "sb_id": ["p"],
            "survey_year": pd.array([2025], dtype="Int64"),
            "institution_code": ["1150"],
            "programme_name": ["Arkitektur"],
            "respondents": pd.array([27], dtype="Int64"),
            "response_rate_pct": pd.array([20.8], dtype="Float64"),
            "dimension_key": ["undervisning"],
            "value": pd.array([3.9], dtype="Float64"),
            "field_average": pd.array([4.1], dtype="Float64"),
            "field_average_label": ["x"],
            "few_respondents_warning": [False],
            "source_kind": ["sb-portal-index"],
        }
    )
    history = pd.DataFrame(
        {
            "sb_id": ["p", "p"],
            "survey_year": pd.array([2024, 2025], dtype="Int64"),
            "dimension_key": ["undervisning"] * 2,
            "value": pd.array([4.0, 3.9], dtype="Float64"),
            "source_kind": ["sb-portal-history"] * 2,
        }
    )
    data = replace(_data(_flags([50], [10], ["flagged"]), portal_index=index), portal_history=history)
    figures = {f.name: f.figure.to_dict() for f in report_content(data, "nb").figures}
    titles = {
        "studiebarometeret_p": "Studiebarometeret 2025, NTNU: Arkitektur",
        "studiebarometeret_tidsserie_p": "Studiebarometeret 2024–2025, NTNU: Arkitektur, indekser per år",
    }
    for name, title in titles.items():
        layout = figures[name]["layout"]
        assert layout["title"]["text"] == title
        notes = [a["text"] for a in layout["annotations"] if a.get("name") == SOURCE_NOTE_NAME]
        assert len(notes) == 1 and notes[0].startswith("Kilde: NOKUT"), "the source line stays"
