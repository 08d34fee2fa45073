"""Chart functions: the policy threshold, suppressed values, labels, source notes, safety.

Frames are small and hand-made, following the metric output contracts; every expected value
is derived in a comment from the policy or the frame, not from the chart code.
"""

from __future__ import annotations

import base64
import json
import re
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from analysis.charts import (
    Source,
    gender_share_bars,
    gender_trend,
    integration_ranking,
    portal_history_chart,
    portal_index_chart,
    survey_items_chart,
    theme,
    wellbeing_by_gender,
    wellbeing_waves,
)
from analysis.charts.common import SOURCE_NOTE_NAME, THRESHOLD_NAME
from analysis.charts.gender import NEEDED_NAME
from analysis.charts.labels import LABELS, LANGS, label
from analysis.report.html import script_json
from analysis.settings import SurveySettings

THRESHOLD = Fraction(2, 5)  # the policy's 40 %

SRC = Source("DBH (HK-dir)", "123 Registrerte studenter", "2026-09-23")


def flags_frame() -> pd.DataFrame:
    """Four departments in 2025 (registered students):

    - A: 40 women of 100 -> 40 % exactly: ``ok`` (40 % is not below 40 %);
    - B: 10 of 50 -> 20 %: ``flagged``, women needed k = ceil((0.4·50 − 10)/0.6) = 17;
    - C: suppressed, total 80 (DBH hid women/men), women bounded by the metric to 0–30;
    - D: suppressed, total 10, no bounds known.
    """
    return pd.DataFrame(
        {
            "level": ["department"] * 4,
            "institution_code": ["1150"] * 4,
            "unit_code": ["100001", "100002", "100003", "100004"],
            "unit_name": ["Avd A", "Avd B", "Avd C", "Avd D"],
            "faculty_code": ["100"] * 4,
            "year": pd.array([2025] * 4, dtype="Int64"),
            "measure": ["registered"] * 4,
            "source_kind": ["dbh-123-json"] * 4,
            "source_file": ["dbh_api_t123_1150.json"] * 4,
            "total": pd.array([100, 50, 80, 10], dtype="Int64"),
            "women": pd.array([40, 10, None, None], dtype="Int64"),
            "men": pd.array([60, 40, None, None], dtype="Int64"),
            "women_low": pd.array([40, 10, 0, None], dtype="Int64"),
            "women_high": pd.array([40, 10, 30, None], dtype="Int64"),
            "share_women": pd.array([0.4, 0.2, None, None], dtype="Float64"),
            "underrepresented": pd.array(["women", "women", None, None], dtype="string"),
            "status": ["ok", "flagged", "unknown", "unknown"],
            "students_needed": pd.array([0, 17, None, None], dtype="Int64"),
            "threshold": [0.4] * 4,
        }
    )


def trend_frame() -> pd.DataFrame:
    """Avd B over three years; 2024 suppressed (share unknown)."""
    rows = flags_frame().iloc[[1, 1, 1]].copy()
    rows["year"] = pd.array([2023, 2024, 2025], dtype="Int64")
    rows["share_women"] = pd.array([0.25, None, 0.2], dtype="Float64")
    rows["women"] = pd.array([12, None, 10], dtype="Int64")
    rows["women_low"] = pd.array([12, None, 10], dtype="Int64")
    rows["women_high"] = pd.array([12, None, 10], dtype="Int64")
    rows["status"] = ["flagged", "unknown", "flagged"]
    return rows.reset_index(drop=True)


def _values(array) -> list:
    """The values of an array in a figure's dict: plotly packs numeric arrays as base64."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).ravel().tolist()
    return np.asarray(array, dtype=object).ravel().tolist()


def _shapes(fig, name):
    return [s for s in fig.layout.shapes if s.name == name]


def _source_note(fig) -> str:
    notes = [a.text for a in fig.layout.annotations if a.name == SOURCE_NOTE_NAME]
    assert len(notes) == 1, "every chart has exactly one source note"
    return notes[0]


# --- the 40 % line -------------------------------------------------------------------------


def test_bars_draw_the_40_percent_line_for_women_and_for_men():
    fig = gender_share_bars(
        flags_frame(), year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD
    )
    lines = _shapes(fig, THRESHOLD_NAME)
    # policy: under 40 % of the under-represented gender. On a share-of-women axis that is
    # x = 0.40 (too few women) and x = 1 − 0.40 = 0.60 (too few men); vertical lines.
    assert sorted(round(s.x0, 9) for s in lines) == [0.4, 0.6]
    assert all(s.x0 == s.x1 for s in lines)


def test_trend_draws_the_40_percent_line():
    fig = gender_trend(trend_frame(), scope="NTNU", sources=SRC, threshold=THRESHOLD)
    lines = _shapes(fig, THRESHOLD_NAME)
    assert sorted(round(s.y0, 9) for s in lines) == [0.4, 0.6]
    assert all(s.y0 == s.y1 for s in lines)


def test_threshold_line_follows_a_configured_threshold():

    fig = gender_share_bars(
        flags_frame(), year=2025, level="department", scope="NTNU", sources=SRC, threshold=Fraction(1, 3)
    )
    # 1/3 and 1 − 1/3 = 2/3
    assert sorted(round(s.x0, 6) for s in _shapes(fig, THRESHOLD_NAME)) == [round(1 / 3, 6), round(2 / 3, 6)]


# --- suppressed / unknown values -----------------------------------------------------------


def test_suppressed_unit_is_never_a_zero_bar():
    fig = gender_share_bars(
        flags_frame(), year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD
    )
    known = [t for t in fig.data if t.name != label("unknown")]
    for trace in known:
        assert "Avd C" not in trace.y and "Avd D" not in trace.y
        assert all(x > 0 for x in trace.x), "no known bar has length 0 here either"
    (unknown,) = [t for t in fig.data if t.name == label("unknown")]
    spans = dict(zip(unknown.y, zip(unknown.base, unknown.x, strict=True), strict=True))
    # C: women between 0 and 30 of 80 -> shares 0 .. 30/80 = 0.375: a bar from 0 of length 0.375
    assert spans["Avd C"] == pytest.approx((0.0, 0.375))
    # D: nothing known -> every share from 0 to 1 is possible
    assert spans["Avd D"] == pytest.approx((0.0, 1.0))
    assert unknown.marker.pattern.shape, "unknown bars are hatched"
    # named in the column right of the plot, where no threshold line runs through the words
    column = {a.y: a for a in fig.layout.annotations if a.name == NEEDED_NAME}
    for unit in ("Avd C", "Avd D"):
        assert column[unit].text == "skjermet/ukjent" and column[unit].xref == "paper" and column[unit].x >= 1
    assert not unknown.text, "no words over the range itself"


def _needed_labels(figure: dict) -> dict[str, dict]:
    """The "+n kvinner/menn" texts of a built figure (its plotly dict), wherever they are drawn:
    text -> the trace or annotation that draws it."""
    found: dict[str, dict] = {}
    for trace in figure["data"]:
        for text in trace.get("text") or ():
            if re.fullmatch(r"\+\d+(?:–\d+)? (kvinner|menn)", str(text)):
                found[str(text)] = trace
    for note in figure["layout"].get("annotations", ()):
        if re.fullmatch(r"\+\d+(?:–\d+)? (kvinner|menn)", str(note.get("text"))):
            found[str(note["text"])] = note
    return found


def test_flagged_bar_says_how_many_students_are_needed():
    fig = gender_share_bars(
        flags_frame(), year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD
    )
    (flagged,) = [t for t in fig.data if t.name == label("status_flagged")]
    assert list(flagged.y) == ["Avd B"]
    # B needs 17 women (flags_frame); A at 40 % exactly is not below 40 %: no count at all
    needed = _needed_labels(fig.to_dict())
    assert list(needed) == ["+17 kvinner"]
    assert needed["+17 kvinner"]["y"] == "Avd B", "the count stands in its unit's row"
    (ok,) = [t for t in fig.data if t.name == label("status_ok")]
    assert list(ok.y) == ["Avd A"] and list(ok.x) == [0.4]


def test_no_threshold_line_runs_through_a_count_label():
    """The 40 % and 60 % lines run from the plot's bottom to its top. A count written at the
    end of a bar short of 40 % (B ends at 20 %) starts left of both lines and was struck through
    by them; each count must start right of the plot (paper x ≥ 1), where no line runs. A unit
    skewed against men (bar past 60 %) and one against women are both checked."""
    frame = flags_frame()
    # A turned into 70 women and 30 men of 100: men 30 % < 40 %, men needed
    # k = ceil((0.4·100 − 30)/0.6) = ceil(16.7) = 17
    frame.loc[0, ["women", "men", "women_low", "women_high", "students_needed"]] = [70, 30, 70, 70, 17]
    frame.loc[0, ["share_women", "underrepresented", "status"]] = [0.7, "men", "flagged"]
    fig = gender_share_bars(frame, year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD)
    figure = json.loads(fig.to_json())
    needed = _needed_labels(figure)
    assert sorted(needed) == ["+17 kvinner", "+17 menn"]
    for text, drawn in needed.items():
        assert drawn.get("xref") == "paper" and drawn.get("xanchor") == "left", f"{text} is drawn inside the plot"
        assert drawn["x"] >= 1, f"{text} starts at x = {drawn['x']} of the plot, where the threshold lines run"


def test_a_share_just_below_the_threshold_never_hovers_as_40_percent():
    """A second reader (2026-12-03): the charts' hovers rounded every share to one decimal
    (``%{x:.1%}``), so 799 women of 2000 (39.95 %, flagged) hovered as "40,0 %" beside the
    tables' "39,95 %". Bars and trend lines now hover the share as the tables write it."""
    frame = flags_frame().iloc[[1]].copy()
    frame[["total", "women", "men", "women_low", "women_high"]] = [2000, 799, 1201, 799, 799]
    frame["share_women"] = pd.array([799 / 2000], dtype="Float64")
    frame["students_needed"] = pd.array([2], dtype="Int64")  # ceil((0.4·2000 − 799)/0.6) = ceil(1.67)
    bars = gender_share_bars(
        frame, year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD
    ).to_dict()
    (flagged,) = [t for t in bars["data"] if t.get("name") == label("status_flagged")]
    assert "%{customdata[2]}" in flagged["hovertemplate"] and ".1%" not in flagged["hovertemplate"]
    assert [row[2] for row in flagged["customdata"]] == ["39,95 %"]
    trend = gender_trend(frame, scope="NTNU", sources=SRC, threshold=THRESHOLD).to_dict()
    (line,) = [t for t in trend["data"] if t.get("name") == "Avd B"]
    assert "%{customdata}" in line["hovertemplate"] and ".1%" not in line["hovertemplate"]
    assert _values(line["customdata"]) == ["39,95 %"]


def interval_faculty() -> pd.DataFrame:
    """A faculty with suppressed departments inside, decided on its interval: women between 2245
    and 2254 of 6684 (33.59 %–33.72 %), no exact count or share."""
    frame = flags_frame().iloc[[1]].copy()
    frame["total"] = pd.array([6684], dtype="Int64")
    frame["women"] = pd.array([None], dtype="Int64")
    frame["women_low"] = pd.array([2245], dtype="Int64")
    frame["women_high"] = pd.array([2254], dtype="Int64")
    frame["share_women"] = pd.array([None], dtype="Float64")
    frame["students_needed"] = pd.array([None], dtype="Int64")
    return frame


def test_unit_decided_from_an_interval_is_a_bar_with_its_interval_hatched():
    """A faculty with suppressed departments inside: women between 2245 and 2254 of 6684,
    i.e. 33.6 %–33.7 %, wholly below 40 %: the metric decides ``flagged`` with no exact share.
    The bar reaches 2245/6684 in the flagged colour; the 9 students of doubt are hatched."""
    frame = interval_faculty()
    frame["unit_name"] = "Fak X"
    fig = gender_share_bars(frame, year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD)
    (flagged,) = [t for t in fig.data if t.name == label("status_flagged")]
    assert list(flagged.x) == pytest.approx([2245 / 6684])
    # the legend reads as words, not brackets in brackets ("skjev (under terskel) (mulig intervall)")
    (interval,) = [t for t in fig.data if t.name == "skjev (under terskel), mulig intervall"]
    assert interval.marker.pattern.fgcolor == flagged.marker.color, "hatched in the status colour"
    assert list(interval.base) == pytest.approx([2245 / 6684])
    assert list(interval.x) == pytest.approx([9 / 6684])
    assert not [t for t in fig.data if t.name == label("unknown")], "decided is not unknown"
    # the women it needs, over the interval: k ≥ (0.4·6684 − w)/0.6, i.e. ceil(699.3) = 700 at
    # w = 2254 and ceil(714.3) = 715 at w = 2245, as the follow-up list gives it (a second
    # reader: the column was empty here, "700–715" in the list)
    assert sorted(_needed_labels(json.loads(fig.to_json()))) == ["+700–715 kvinner"]


def test_trend_breaks_the_line_at_an_unknown_year():
    fig = gender_trend(trend_frame(), scope="NTNU", sources=SRC, threshold=THRESHOLD)
    (line,) = [t for t in fig.data if t.name == "Avd B"]
    ys = dict(zip(line.x, line.y, strict=True))
    assert ys[2023] == 0.25 and ys[2025] == 0.2
    assert np.isnan(ys[2024]), "the unknown year is a gap, not 0"
    assert line.connectgaps is False
    (unknown,) = [t for t in fig.data if t.name == label("unknown")]
    # no bounds known for 2024 -> a range over every possible share, 0 to 1, at x = 2024
    assert list(unknown.x[:2]) == [2024, 2024] and list(unknown.y[:2]) == [0.0, 1.0]


def test_trend_carries_on_through_a_year_known_as_a_narrow_interval():
    """2024 suppressed inside the unit: women between 11 and 13 of 50, i.e. 22 %–26 % (a narrow
    interval). The trend goes on through it, but no exact share is drawn: an interval mark from
    0.22 to 0.26 at 2024 (an open mark), the line dashed from 2023 (25 %) through the midpoint 0.24 to 2025
    (20 %), the hover gives 22 % and 26 %, and the chart says the value is an interval."""
    rows = trend_frame()
    rows.loc[1, ["women_low", "women_high"]] = [11, 13]
    figure = gender_trend(rows, scope="NTNU", sources=SRC, threshold=THRESHOLD).to_dict()
    traces = [t for t in figure["data"] if t.get("x") is not None]

    def points(trace):
        return [(x, y) for x, y in zip(_values(trace["x"]), _values(trace["y"]), strict=True) if x is not None]

    for trace in traces:
        if trace.get("line", {}).get("dash") or trace.get("error_y"):
            continue
        assert not [y for x, y in points(trace) if x == 2024 and np.isfinite(y)], "no solid point claims 2024"
    (mark,) = [t for t in traces if t.get("error_y")]
    assert _values(mark["x"]) == [2024]
    y = _values(mark["y"])[0]
    assert y + _values(mark["error_y"]["array"])[0] == pytest.approx(0.26)
    assert y - _values(mark["error_y"]["arrayminus"])[0] == pytest.approx(0.22)
    assert mark["marker"]["symbol"].endswith("-open"), "the midpoint is not drawn as an exact point"
    # the hover shows the interval's two ends, 22 % and 26 % (11 and 13 of 50), not the midpoint
    assert "%{customdata}" in mark["hovertemplate"]
    assert "%{y" not in mark["hovertemplate"]
    assert _values(mark["customdata"]) == ["22,0–26,0 %"]
    (dashed,) = [t for t in traces if t.get("line", {}).get("dash") == "dash"]
    assert points(dashed) == [(2023, pytest.approx(0.25)), (2024, pytest.approx(0.24)), (2025, pytest.approx(0.2))], (
        "the line carries on, dashed, through the interval's midpoint"
    )
    assert "intervall" in figure["layout"]["title"]["subtitle"]["text"], "the chart says the value is an interval"
    assert not [t for t in traces if t.get("name") == label("unknown")], "a narrow interval is not 'unknown'"


def test_a_trend_interval_with_rows_of_0_inside_is_over_the_most_students():
    """2024 a faculty's sum with a row of 0 students inside (DBH writes 1 or 2 as 0): 200 to 202
    students (``total_high``), women 44 to 48 (44 known, 2 masked and 2 more in the row of 0).
    The share is at least 44 of 202 (the row's 2 men) and at most 48 of 202 (its 2 women; the
    share of women grows with each woman added), so the mark runs from 44/202 to 48/202, not over
    the 200 shown (44/200 and 48/200, 22 % to 24 %, neither of them possible as the least)."""
    rows = trend_frame()
    rows["total_high"] = rows["total"]
    rows.loc[1, ["total", "total_high", "women_low", "women_high"]] = [200, 202, 44, 48]
    figure = gender_trend(rows, scope="NTNU", sources=SRC, threshold=THRESHOLD).to_dict()
    (mark,) = [t for t in figure["data"] if t.get("x") is not None and t.get("error_y")]
    y = _values(mark["y"])[0]
    assert y - _values(mark["error_y"]["arrayminus"])[0] == pytest.approx(44 / 202)
    assert y + _values(mark["error_y"]["array"])[0] == pytest.approx(48 / 202)


def test_a_trend_of_many_programmes_keeps_each_one_readable():
    """Twelve programmes (first-choice applicants 2023–2025); more lines than the eight colours
    of the theme. Programme k has k·5 % women in 2025 (5 % … 60 %): under 40 % (k < 8) it is
    skewed, 40 % exactly (k = 8) is not below 40 %, so k = 8 … 12 are within. No two lines in
    one plot may share a colour (a reader could not tell them apart), every programme is named
    where its line is, and the colour says the 2025 status."""
    base = trend_frame().iloc[[0, 0, 0]].reset_index(drop=True)
    base["year"] = pd.array([2023, 2024, 2025], dtype="Int64")
    frames = []
    for k in range(1, 13):
        rows = base.copy()
        rows["level"], rows["unit_code"], rows["unit_name"] = "programme", f"P{k:02d}", f"Program {k}"
        rows["measure"] = "first_choice_applicants"
        rows["share_women"] = pd.array([0.3, 0.3, k * 0.05], dtype="Float64")
        rows["status"] = ["flagged", "flagged", "flagged" if k < 8 else "ok"]
        frames.append(rows)
    figure = gender_trend(
        pd.concat(frames, ignore_index=True), scope="NTNU", sources=SRC, threshold=THRESHOLD
    ).to_dict()
    lines = [t for t in figure["data"] if t.get("mode") == "lines+markers"]
    assert len(lines) == 12
    by_plot: dict[tuple, list[str]] = {}
    for trace in lines:
        by_plot.setdefault((trace.get("xaxis", "x"), trace.get("yaxis", "y")), []).append(trace["line"]["color"])
    for plot, colours in by_plot.items():
        assert len(set(colours)) == len(colours), f"{len(colours)} lines in {plot} share colours"
    titles = {str(a.get("text")).replace("<br>", " ") for a in figure["layout"]["annotations"]}
    for trace in lines:
        named = trace.get("showlegend") is not False or trace["name"] in titles
        assert named, f"{trace['name']} is named neither in the legend nor over its panel"
    colour = {t["name"]: t["line"]["color"] for t in lines}
    assert {colour[f"Program {k}"] for k in range(1, 8)} == {theme.FLAGGED}
    assert {colour[f"Program {k}"] for k in range(8, 13)} == {theme.OK}, "40 % exactly is within"


def test_trend_breaks_the_line_at_years_without_data():
    """The seed's table has 2007, 2016, 2017 and 2018: no line may run across 2008–2015."""
    rows = trend_frame().iloc[[0, 0, 0, 0]].copy()
    rows["year"] = pd.array([2007, 2016, 2017, 2018], dtype="Int64")
    rows["share_women"] = pd.array([0.05, 0.22, 0.27, 0.29], dtype="Float64")
    rows["status"] = "flagged"
    fig = gender_trend(rows, scope="NTNU", sources=SRC, threshold=THRESHOLD)
    (line,) = [t for t in fig.data if t.name == "Avd B"]
    ys = dict(zip((int(x) for x in line.x), line.y, strict=True))
    assert ys[2007] == 0.05 and ys[2016] == 0.22
    assert all(np.isnan(ys[y]) for y in range(2008, 2016)), "each missing year is a gap"


def test_the_two_threshold_labels_point_away_from_each_other():
    """ "40 % kvinner (terskel)" ends at its line, "40 % menn (terskel)" starts at its line:
    between 40 % and 60 % there is room for neither to run into the other."""
    fig = gender_share_bars(
        flags_frame(), year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD
    )
    labels = {a.text: a for a in fig.layout.annotations if "terskel" in str(a.text)}
    women, men = labels["40 % kvinner (terskel)"], labels["40 % menn (terskel)"]
    assert (women.x, women.xanchor) == (0.4, "right")
    assert (men.x, men.xanchor) == (0.6, "left")


def test_a_chart_shows_one_measure_only():
    mixed = pd.concat([trend_frame(), trend_frame().assign(measure="admitted")])
    with pytest.raises(ValueError, match="one measure"):
        gender_trend(mixed, scope="NTNU", sources=SRC, threshold=THRESHOLD)


# --- labels --------------------------------------------------------------------------------


def test_every_label_has_both_languages():
    for key, texts in LABELS.items():
        for lang in LANGS:
            assert texts.get(lang), f"{key} has no {lang} text"


def test_charts_in_norwegian_by_default_and_english_on_request():
    nb = gender_share_bars(flags_frame(), year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD)
    en = gender_share_bars(
        flags_frame(), year=2025, level="department", scope="NTNU", sources=SRC, lang="en", threshold=THRESHOLD
    )
    assert nb.layout.xaxis.title.text == "Andel kvinner"
    assert en.layout.xaxis.title.text == "Share of women"
    assert nb.layout.title.text.startswith("Kjønnsbalanse 2025, NTNU – registrerte studenter")
    assert en.layout.title.text.startswith("Gender balance 2025, NTNU – registered students")
    assert _source_note(nb).startswith("Kilde: ") and _source_note(en).startswith("Source: ")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        label("share_women", "sv")


# --- source note on every chart ------------------------------------------------------------


def integration_frame() -> pd.DataFrame:
    """The seed's 2017 master extract, two of five: Steinerhøgskolen (5.0 + 5.0)/2 = 5.00 ranks
    1; NTNU (2.3 + 2.2)/2 = 2.25 ranks 5: 2.25 − 5.00 = −2.75 to the best; the median of the
    five (2.25, 3.9, 4.0, 4.25, 5.0) is 4.0: 2.25 − 4.0 = −1.75."""
    return pd.DataFrame(
        {
            "level": ["master"] * 2,
            "institution": ["Steinerhøgskolen", "NTNU"],
            "year": [2017, 2017],
            "academic": [5.0, 2.3],
            "social": [5.0, 2.2],
            "integration_score": [5.0, 2.25],
            "n": [None, None],
            "rank": [1, 5],
            "units_ranked": [5, 5],
            "gap_to_best": [0.0, -2.75],
            "gap_to_median": [1.0, -1.75],
            "gap_to_mean": [1.12, -1.63],
            "source_kind": ["seed-integration"] * 2,
            "source_file": ["seed.csv"] * 2,
        }
    )


def portal_frame(few: bool) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "survey_year": [2025, 2025],
            "sb_id": ["1150_x"] * 2,
            "institution_code": ["1150"] * 2,
            "programme_name": ["Prog"] * 2,
            "study_level": ["Master"] * 2,
            "respondents": [13, 13],
            "response_rate_pct": [23.2, 23.2],
            "dimension_key": ["undervisning", "organisering"],
            "dimension_label": ["Undervisning", "Organisering"],
            "value": pd.array([3.8, None], dtype="Float64"),
            "field_average": [3.7, 3.6],
            "field_average_label": ["Av alle X"] * 2,
            "few_respondents_warning": [few, few],
        }
    )


def test_the_field_average_says_which_field():
    """The portal compares a programme with the mean of a named field ("Av alle Arkitektur" on
    the portal): the chart as printed (legend, not only the hover) says which field, and the
    workbook's "Fagfelt" column gives the field, not the portal's phrase "Av alle …"."""
    from analysis.report.tables import PORTAL, people_table

    frame = portal_frame(False).assign(field_average_label="Av alle Arkitektur")
    fig = portal_index_chart(frame, sb_id="1150_x", institution="NTNU", sources=SRC, min_n=5, warn_n=10)
    assert [t.name for t in fig.data][0] == "Snitt for fagfeltet (Arkitektur)"
    en = portal_index_chart(frame, sb_id="1150_x", institution="NTNU", sources=SRC, lang="en", min_n=5, warn_n=10)
    assert [t.name for t in en.data][0] == "Field average (Arkitektur)"
    sheet = people_table(frame, PORTAL, "nb").frame
    assert sheet["Fagfelt"].tolist() == ["Arkitektur", "Arkitektur"]
    # a label the portal words otherwise is kept as it is
    other = portal_frame(False).assign(field_average_label="Alle masterprogram")
    assert people_table(other, PORTAL, "nb").frame["Fagfelt"].tolist() == ["Alle masterprogram"] * 2


def survey_frame() -> pd.DataFrame:
    """Item a: n = 30, shown; item b: n = 3 < 5 (minimum), suppressed, with a mean in the
    frame that must not reach the chart; item c: n = 7 < 10, few respondents."""
    return pd.DataFrame(
        {
            "level": ["programme"] * 3,
            "unit_code": ["P1"] * 3,
            "year": [2025] * 3,
            "item": ["underv_engasj_18", "miljo_sosial_13", "overord_altialt_13"],
            "n": [30, 3, 7],
            "mean": [3.5, 1.234, 4.0],
            "sd": [1.0, 0.5, 0.8],
            "ci_low": [3.1, 0.6, 3.3],
            "ci_high": [3.9, 1.8, 4.7],
            "suppressed": [False, True, False],
            "few_respondents": [False, True, True],
        }
    )


def wellbeing_frame() -> pd.DataFrame:
    """One indicator: 2014 → 2018 unchanged definition, 2018 → 2022 changed."""
    return pd.DataFrame(
        {
            "year": [2014, 2018, 2022, 2022, 2022],
            "indicator": ["ensomhet"] * 3 + ["mye_helseplager"] * 2,
            "group": ["alle", "alle", "alle", "kvinner", "menn"],
            "value_pct": [16.0, 29.0, 35.0, 45.0, 23.0],
            "change_pp": [None, 13.0, 6.0, None, None],
            "definition_changed": pd.array([None, False, True, None, None], dtype="boolean"),
            "definition_note": ["a", "a", "b", None, None],
            "scope": ["national"] * 5,
            "source_url": ["u"] * 5,
        }
    )


CHARTS = {
    "bars": lambda lang: gender_share_bars(
        flags_frame(), year=2025, level="department", scope="NTNU", sources=SRC, lang=lang, threshold=THRESHOLD
    ),
    "trend": lambda lang: gender_trend(trend_frame(), scope="NTNU", sources=SRC, lang=lang, threshold=THRESHOLD),
    "integration": lambda lang: integration_ranking(
        integration_frame(), year=2017, level="master", highlight="NTNU", sources=SRC, lang=lang, best=5
    ),
    "portal": lambda lang: portal_index_chart(
        portal_frame(True), sb_id="1150_x", institution="NTNU", sources=SRC, lang=lang, min_n=5, warn_n=10
    ),
    "history": lambda lang: portal_history_chart(
        pd.DataFrame(
            {
                "sb_id": ["1150_x"] * 2,
                "survey_year": [2024, 2025],
                "dimension_key": ["undervisning"] * 2,
                "value": pd.array([None, 3.8], dtype="Float64"),
            }
        ),
        sb_id="1150_x",
        programme_name="Prog",
        institution="NTNU",
        sources=SRC,
        lang=lang,
    ),
    "items": lambda lang: survey_items_chart(
        survey_frame(),
        unit_code="P1",
        year=2025,
        institution="NTNU",
        sources=SRC,
        lang=lang,
        confidence_level=SurveySettings().confidence_level,
    ),
    "waves": lambda lang: wellbeing_waves(wellbeing_frame(), sources=SRC, lang=lang),
    "wb_gender": lambda lang: wellbeing_by_gender(wellbeing_frame(), sources=SRC, lang=lang),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_every_chart_has_a_source_note_with_source_table_and_date(chart, lang):
    note = _source_note(CHARTS[chart](lang))
    assert "DBH (HK-dir)" in note
    assert "123 Registrerte studenter" in note
    assert "2026-09-23" in note


def test_missing_retrieval_date_is_said_not_hidden():
    fig = gender_trend(trend_frame(), scope="NTNU", sources=Source("NOKUT", "2017"), threshold=THRESHOLD)
    assert "hentedato ukjent" in _source_note(fig)


# --- few respondents, withheld and suppressed survey results -------------------------------


def test_few_respondents_are_marked():
    fig = portal_index_chart(portal_frame(True), sb_id="1150_x", institution="NTNU", sources=SRC, min_n=5, warn_n=10)
    assert "få svarende" in fig.layout.title.subtitle.text
    (prog,) = [t for t in fig.data if t.name.startswith(label("programme_value"))]
    assert prog.marker.symbol == "circle-open" and "få svarende" in prog.name
    plain = portal_index_chart(portal_frame(False), sb_id="1150_x", institution="NTNU", sources=SRC, min_n=5, warn_n=10)
    (prog,) = [t for t in plain.data if t.name.startswith(label("programme_value"))]
    assert prog.marker.symbol == "circle"


def test_withheld_portal_value_is_named_not_drawn():
    fig = portal_index_chart(portal_frame(False), sb_id="1150_x", institution="NTNU", sources=SRC, min_n=5, warn_n=10)
    (prog,) = [t for t in fig.data if t.name.startswith(label("programme_value"))]
    values = dict(zip(prog.y, prog.x, strict=True))
    assert np.isnan(values["Organisering"])
    assert any(a.text == label("withheld") and a.y == "Organisering" for a in fig.layout.annotations)


def test_suppressed_survey_item_shows_no_number():
    fig = survey_items_chart(
        survey_frame(),
        unit_code="P1",
        year=2025,
        institution="NTNU",
        sources=SRC,
        confidence_level=SurveySettings().confidence_level,
    )
    # plotly may encode arrays as base64, so look at the decoded values of every trace
    xs = [float(x) for t in fig.data for x in (t.x if t.x is not None else []) if x is not None]
    assert 1.234 not in xs, "a suppressed mean never reaches the figure"
    assert all(1.234 not in (t.error_x.array if t.error_x.array is not None else []) for t in fig.data)
    assert any(a.text == label("suppressed") for a in fig.layout.annotations)
    (few,) = [t for t in fig.data if t.name and label("few_respondents") in t.name]
    assert list(few.x) == [4.0] and few.marker.symbol == "circle-open"


# --- definition breaks, integration highlight ----------------------------------------------


def test_wellbeing_line_breaks_where_the_definition_changed():
    fig = wellbeing_waves(wellbeing_frame(), sources=SRC)
    segments = [list(t.x) for t in fig.data if t.legendgroup == "ensomhet"]
    # 2014–2018 same definition: one line; 2022 changed: a separate piece
    assert segments == [[2014, 2018], [2022]]
    (marks,) = [t for t in fig.data if t.name == label("definition_break")]
    assert list(marks.x) == [2022]


def test_every_shot_chart_title_says_its_waves_and_that_its_figures_are_national():
    """As the indicator charts' titles do ("SHoT 2018–2021, nasjonale tall: …"): a chart handed on
    must not read as the institution's own figures. wellbeing_frame: national waves 2014, 2018
    and 2022; women and men in 2022 only."""
    assert wellbeing_waves(wellbeing_frame(), sources=SRC).layout.title.text == (
        "SHoT 2014–2022, nasjonale tall: utvikling mellom bølger (alle)"
    )
    assert wellbeing_waves(wellbeing_frame(), sources=SRC, lang="en").layout.title.text == (
        "SHoT 2014–2022, national figures: change between waves (all)"
    )
    assert wellbeing_by_gender(wellbeing_frame(), sources=SRC).layout.title.text == (
        "SHoT 2022, nasjonale tall: kvinner og menn"
    )
    assert wellbeing_by_gender(wellbeing_frame(), sources=SRC, lang="en").layout.title.text == (
        "SHoT 2022, national figures: women and men"
    )
    # a place's own waves are its figures, not national ones too; the scope names the place,
    # once, not again as a group in brackets after it ("… (Bergen (Sammen))")
    place = wellbeing_frame().assign(group="Bergen (Sammen)", scope="region")
    assert wellbeing_waves(place, sources=SRC, group="Bergen (Sammen)").layout.title.text == (
        "SHoT 2014–2022, region Bergen (Sammen): utvikling mellom bølger"
    )
    assert wellbeing_waves(place, sources=SRC, group="Bergen (Sammen)", lang="en").layout.title.text == (
        "SHoT 2014–2022, region Bergen (Sammen): change between waves"
    )


def test_the_integration_title_says_whose_figures_they_are():
    """The own institution ranked among its comparison group, named in the title as the gender
    charts name theirs; where the own institution is not among the units, the group alone."""
    fig = integration_ranking(
        integration_frame(), year=2017, level="master", highlight="NTNU", scope="NTNU", sources=SRC, best=5
    )
    assert (
        fig.layout.title.text == "Integrering av internasjonale studenter 2017, NTNU og sammenligningsgruppen – master"
    )
    en = integration_ranking(
        integration_frame(), year=2017, level="master", highlight="NTNU", scope="NTNU", sources=SRC, lang="en", best=5
    )
    assert en.layout.title.text == (
        "Integration of international students 2017, NTNU and the comparison group – master"
    )
    absent = integration_ranking(
        integration_frame(), year=2017, level="master", highlight="UiB", scope="UiB", sources=SRC, best=5
    )
    assert absent.layout.title.text == "Integrering av internasjonale studenter 2017, sammenligningsgruppen – master"


def test_own_institution_is_highlighted_with_its_gap_to_the_best():
    fig = integration_ranking(integration_frame(), year=2017, level="master", highlight="NTNU", sources=SRC, best=5)
    # academic, social and combined side by side, one bar each per institution
    assert [t.name for t in fig.data] == [label("academic"), label("social"), label("integration_combined")]
    academic, social, combined = fig.data
    assert list(combined.y) == ["Steinerhøgskolen", "<b>NTNU</b>"], "best first, the own one in bold"
    assert [round(b + x, 2) for b, x in zip([combined.base] * 2, combined.x, strict=True)] == [5.0, 2.25]
    # the extract's scores as it publishes them ("2,3"); the combined score is the mean of two
    assert list(academic.text) == ["5,0", "2,3"] and list(social.text) == ["5,0", "2,2"]
    # rank and both gaps in words: the sign cannot be misread
    (note,) = [a.text for a in fig.layout.annotations if a.y == "<b>NTNU</b>"]
    assert note == "nr. 5 av 5<br>2,75 under beste<br>1,75 under medianen"
    assert not [a for a in fig.layout.annotations if a.y == "Steinerhøgskolen"], "only the own unit is annotated"


# --- data-derived text is text -------------------------------------------------------------


def test_markup_in_a_unit_name_is_escaped_for_plotly():
    frame = flags_frame()
    frame.loc[1, "unit_name"] = "<script>alert(1)</script>"
    fig = gender_share_bars(frame, year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD)
    names = [y for t in fig.data for y in t.y]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in names
    assert "<script>alert(1)</script>" not in names


def test_embedded_json_cannot_close_a_script_element():
    text = script_json(json.dumps({"name": "</script><script>alert(1)</script>&"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script>&"}


def test_a_number_that_rounds_to_zero_has_no_minus_sign():
    from analysis.charts.labels import number

    # a change of −0.001 at two decimals is no change: "0,00", never "-0,00"
    assert number(-0.001, "nb", 2) == "0,00"
    assert number(-0.01, "nb", 2) == "-0,01"
    assert number(-3.2, "en", 1) == "-3.2"


def test_a_source_says_table_only_of_a_numbered_table():
    """DBH's tables are numbered ("tabell 123 Registrerte studenter"); a portal view, an extract
    or a list of figures is not a table and is named as it is (an adviser's reading, 2026-12-03:
    "tabell studiebarometeret.no, indekser")."""
    assert SRC.text("nb") == "DBH (HK-dir), tabell 123 Registrerte studenter, hentet 2026-09-23"
    portal = Source("NOKUT", "studiebarometeret.no, indekser", "2026-09-23")
    assert portal.text("nb") == "NOKUT, studiebarometeret.no, indekser, hentet 2026-09-23"
    assert portal.text("en") == "NOKUT, studiebarometeret.no, indekser, retrieved 2026-09-23"


def test_the_bars_say_measures_are_required_only_under_a_named_policy():
    """The subtitle said "(tiltak kreves)" whatever the settings: with no [gender] policy named
    the report claims no duty (a second reader); with one, it says measures are required."""
    args = dict(year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD)
    plain = gender_share_bars(flags_frame(), **args).layout.title.subtitle.text
    duty = gender_share_bars(flags_frame(), **args, policy="Likestillingsplan 2024–2027").layout.title.subtitle.text
    assert "Under 40 % av underrepresentert kjønn = skjev kjønnsbalanse" in plain
    assert "tiltak" not in plain
    assert "Under 40 % av underrepresentert kjønn = skjev kjønnsbalanse (tiltak kreves)" in duty


def programme_integration_frame(institutions: list[str], codes: list[str]) -> pd.DataFrame:
    """Respondent-level integration rows: one per programme (its code as its name, as the
    scores name a programme without a DBH name), ranked by hand from the scores given."""
    scores = [4.5, 4.0, 3.5, 3.0][: len(codes)]
    return pd.DataFrame(
        {
            "source": ["respondents"] * len(codes),
            "level": ["all"] * len(codes),
            "institution": institutions,
            "unit_code": codes,
            "unit_name": codes,
            "year": [2025] * len(codes),
            "academic": scores,
            "social": scores,
            "integration_score": scores,
            "n": [40] * len(codes),
            "suppressed": [False] * len(codes),
            "rank": list(range(1, len(codes) + 1)),
            "units_ranked": [len(codes)] * len(codes),
            "gap_to_best": [s - scores[0] for s in scores],
            "gap_to_median": [0.0] * len(codes),
            "gap_to_mean": [0.0] * len(codes),
        }
    )


def test_respondent_level_programmes_are_one_bar_row_each_named_by_their_programme():
    """Respondent-level scores rank one institution's programmes: each is a row of bars under
    its own name, codes of digits included ("000006" is a category, not the number 6), and the
    title says whose programmes they are. Before (an attack, 2026-12-04): every bar was labelled
    with the institution's code, and all of them were drawn on one row, on top of each other."""
    rows = programme_integration_frame(["1150"] * 3, ["MTDT", "000006", "000003"])
    fig = integration_ranking(rows, year=2025, level="all", highlight="1150", scope="NTNU", sources=SRC, best=5)
    combined = fig.data[2]
    assert list(combined.y) == ["<b>MTDT</b>", "<b>000006</b>", "<b>000003</b>"]
    assert fig.layout.yaxis.type == "category"
    assert (
        fig.layout.title.text == "Integrering av internasjonale studenter 2025, studieprogrammer ved NTNU – alle nivåer"
    )


def test_programmes_of_two_institutions_say_whose_they_are():
    rows = programme_integration_frame(["1150", "1120"], ["MTDT", "MTDT"])
    fig = integration_ranking(rows, year=2025, level="all", highlight="1150", scope="NTNU", sources=SRC, best=5)
    assert list(fig.data[2].y) == ["<b>MTDT (1150)</b>", "MTDT (1120)"]


def test_the_integration_finding_gives_no_programme_s_rank_as_the_institution_s():
    """The finding says the institution's rank among its group; a programme's rank among the
    institution's programmes (the first programme: nr. 1 av 3) is not the institution's."""
    from analysis.report.integration_section import integration_sentence

    rows = programme_integration_frame(["1150"] * 3, ["MTDT", "000006", "000003"])
    assert integration_sentence(rows, "1150", 2025, "all", "alle", "nb") == ""
    institution = integration_frame().assign(unit_code=pd.NA, unit_name=["Steinerhøgskolen", "NTNU"])
    assert "nr. 5 av 5" in integration_sentence(institution, "NTNU", 2017, "master", "alle", "nb")


def test_the_own_institution_s_programmes_are_named_by_its_name_beside_the_extract():
    """An NTNU adviser's data: the 2017 extract names NTNU "NTNU", the respondent file keys its
    programmes by DBH code (1150). Both are the report's own institution: the chart of the
    programmes says "studieprogrammer ved NTNU" and marks them as its own, and the published
    table names the institution one way in every year. Before (a report built from a synthetic
    respondent file, 2026-12-04): the title said "studieprogrammer ved 1150", no programme was
    marked as the own institution's, and the table said NTNU in 2017 and 1150 in 2025."""
    from dataclasses import replace

    from analysis import paths
    from analysis.report.data import load_report_data
    from analysis.report.integration_section import integration_section

    data = load_report_data(paths.RAW, 2025, "1150")
    programmes = programme_integration_frame(["1150"] * 3, ["MTDT", "000006", "000003"]).assign(
        source_kind="sb-respondents"
    )
    scores = pd.concat([data.integration, programmes], ignore_index=True)
    blocks, figures, year, published = integration_section(replace(data, integration=scores), "nb")
    assert year == 2025
    (figure,) = figures
    title = figure.figure.layout.title.text
    assert title == "Integrering av internasjonale studenter 2025, studieprogrammer ved NTNU – alle nivåer"
    assert list(figure.figure.data[2].y) == ["<b>MTDT</b>", "<b>000006</b>", "<b>000003</b>"]
    assert set(published.loc[published["source"] == "respondents", "institution"]) == {"NTNU"}
    assert "NTNU" in set(published.loc[published["source"] == "extract", "institution"])


def test_one_institution_s_programmes_are_their_own_comparison_group_in_words():
    """Respondent-level scores rank one institution's programmes among themselves: the heading,
    intro and subtitle say so, not "all institutions in the data" (a helper's read, 2026-12-04)."""
    from analysis.report.integration_section import comparison_group_text

    rows = programme_integration_frame(["NTNU"] * 3, ["MTDT", "000006", "000003"])
    assert comparison_group_text(rows, (), "nb") == "sammenligningsgruppe: studieprogrammene ved NTNU"
    assert comparison_group_text(rows, (), "en") == "comparison group: the programmes at NTNU"
    institutions = integration_frame().assign(unit_code=pd.NA)
    assert comparison_group_text(institutions, (), "nb") == "sammenligningsgruppe: alle institusjoner i datagrunnlaget"


def test_a_programme_with_a_long_institution_name_keeps_the_plot_and_its_legend_in_a_row():
    """Respondent-level integration ranks programmes of several institutions, each labelled with
    its institution's name: "MTDT0122 (Universitetet i Tromsø - Norges arktiske universitet)" on
    one line took the left margin to 520 px of 900, the plot down to 190 px, and put the legend
    at x = -2.66 of the plot, outside plotly's range (-2 to 3): plotly moved it and folded it
    into a column over the first row's name, and the values at 5 were cut off at the plot's
    edge. A long name is wrapped; the legend stays where finish() places it, in one row."""
    long = "Universitetet i Tromsø - Norges arktiske universitet"
    rows = pd.DataFrame(
        {
            "source": "respondents",
            "level": "all",
            "institution": ["NTNU", long],
            "unit_code": ["MA0259", "MTDT0122"],
            "unit_name": ["MA0259", "MTDT0122"],
            "year": 2025,
            "academic": [4.2, 5.0],
            "social": [4.66, 5.0],
            "integration_score": [4.43, 5.0],
            "n": [40, 40],
            "rank": [2, 1],
            "units_ranked": [2, 2],
            "gap_to_best": [-0.57, 0.0],
            "gap_to_median": [-0.285, 0.285],
            "gap_to_mean": [-0.285, 0.285],
            "source_kind": "sb-respondents",
        }
    )
    fig = integration_ranking(rows, year=2025, level="all", highlight="NTNU", scope="NTNU", sources=SRC, best=5)
    names = list(fig.data[0].y)
    assert names[0] == "MTDT0122 (Universitetet i Tromsø -<br>Norges arktiske universitet)"
    plot_width = fig.layout.width - fig.layout.margin.l - fig.layout.margin.r
    assert plot_width >= 300, plot_width
    assert -2 <= fig.layout.legend.x <= 3  # where finish() put it: plotly's own range


def test_a_unit_decided_on_an_interval_hovers_the_interval_not_its_lower_end():
    """A second reader (2026-12-05): a faculty with suppressed departments inside, women between
    2245 and 2254 of 6684 (33.59 %–33.72 %, flagged), hovered "Andel kvinner: 33,6 %" (the
    bar's end, the interval's lower end) and "nan / 6684": a share and a count no one knows. The
    hover gives the interval as the tables write it and the women as a range."""
    frame = interval_faculty()
    figure = gender_share_bars(
        frame, year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD
    ).to_dict()
    (flagged,) = [t for t in figure["data"] if t.get("name") == label("status_flagged")]
    (hover,) = [list(row) for row in flagged["customdata"]]
    # 2245/6684 = 33.59 %, 2254/6684 = 33.72 %
    assert hover == ["2245–2254", "6684", "33,6–33,7 %"]


def test_a_unit_decided_with_rows_of_0_inside_hovers_its_students_as_a_range():
    """A faculty as above with a row of 0 students inside as well (0 to 2: DBH writes 1 or 2 as
    0): students 6684 to 6686, women 2245 to 2256 (the row's 2 women at most). It hovered "6684",
    a count no one knows; the share's ends are over the most students: 2245/6686 = 33.58 %,
    2256/6686 = 33.74 %."""
    frame = interval_faculty()
    frame["total_high"] = pd.array([6686], dtype="Int64")
    frame["women_high"] = pd.array([2256], dtype="Int64")
    figure = gender_share_bars(
        frame, year=2025, level="department", scope="NTNU", sources=SRC, threshold=THRESHOLD
    ).to_dict()
    (flagged,) = [t for t in figure["data"] if t.get("name") == label("status_flagged")]
    (hover,) = [list(row) for row in flagged["customdata"]]
    assert hover == ["2245–2256", "6684–6686", "33,6–33,7 %"]
