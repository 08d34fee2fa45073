"""The rules at their edges: the cases that let plausible one-line bugs through (issue 13).

A mutation run (``make mutate``) put single-line bugs into the rule modules; these cases are
the ones no earlier test had: data exactly one trend window back, an unknown year inside a
flagged run, integration scores at exactly ``min_n`` and ``warn_n``, a faculty whose suppressed
departments make the under-represented gender unknown, SHoT waves reported twice, and Welch's
test with unequal n and sd. Every expected value is worked out by hand in the comments, from the
rule as the module's docstring states it. Only public functions and settings objects are used.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.metrics.gender import gender_flags
from analysis.metrics.integration import integration_scores
from analysis.metrics.survey_tables import survey_aggregates
from analysis.metrics.wellbeing import definition_part, scope_of, wellbeing_indicators
from analysis.settings import GenderSettings, IntegrationSettings, Settings, SurveySettings

# --- gender: helpers ---------------------------------------------------------------------------


def observation(**kw) -> dict:
    """A DBH department row (table 123) as the reader gives it."""
    row = dict(
        source_file="dbh_t123.csv",
        source_row=2,
        source_kind="dbh-123",
        institution_code="1150",
        institution_name="NTNU",
        level="department",
        unit_code="999100",
        unit_name=None,
        faculty_code=None,
        year=2022,
        measure="registered",
        total=None,
        women=None,
        men=None,
        share_women_given_pct=None,
        suppressed=False,
    )
    row.update(kw)
    return row


def counts(women: int, men: int, **kw) -> dict:
    return observation(total=women + men, women=women, men=men, **kw)


def suppressed(total: int, **kw) -> dict:
    """A cell DBH masked (women = men = 0 while the total is not): women and men unknown."""
    return observation(total=total, suppressed=True, **{"suppression": "small_cell", **kw})


def observations(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["source_row"] = range(2, len(df) + 2)
    for column in ("year", "total", "women", "men"):
        df[column] = df[column].astype("Int64")
    df["share_women_given_pct"] = df["share_women_given_pct"].astype("Float64")
    return df


def one(flags: pd.DataFrame, unit: str, year: int) -> pd.Series:
    hit = flags[(flags["unit_code"] == unit) & (flags["year"] == year)]
    assert len(hit) == 1, f"{unit} {year}: {len(hit)} rows"
    return hit.iloc[0]


# --- gender: the trend window -----------------------------------------------------------------


def trend_history() -> pd.DataFrame:
    # 10, 20 and 30 women of 100 in 2013, 2014 and 2018: women are the under-represented gender
    return observations([counts(10, 90, year=2013), counts(20, 80, year=2014), counts(30, 70, year=2018)])


def test_the_trend_window_starts_one_window_back_exclusive():
    """A window of 5 calendar years ending 2018 is 2014–2018: 2013 (= 2018 − 5) is outside."""
    flags = gender_flags(trend_history(), settings=GenderSettings(trend_window_years=5, trend_flat_pp=1.0))
    r2018 = one(flags, "999100", 2018)
    # within 2014–2018: (2014, 20 %), (2018, 30 %): slope (30 − 20) / (2018 − 2014) = 2.5 pp a year.
    # (With 2013 as well: x̄ = 2015, ȳ = 20, Σ(x−x̄)(y−ȳ) = 20 + 0 + 30 = 50, Σ(x−x̄)² = 4 + 1 + 9 = 14,
    # slope 3.571 — the window one year too long.)
    assert r2018["trend_pp_per_year"] == pytest.approx(2.5)
    assert r2018["trend"] == "rising"  # 2.5 ≥ 1.0 and women are catching up
    # 2014's window 2010–2014 holds 2013 and 2014 (never the later 2018): (20 − 10) / 1 = 10 pp a year
    assert one(flags, "999100", 2014)["trend_pp_per_year"] == pytest.approx(10.0)
    # 2013's window holds only 2013: one year is no trend
    assert pd.isna(one(flags, "999100", 2013)["trend_pp_per_year"])


def test_a_shorter_window_leaves_out_the_year_exactly_one_window_back():
    flags = gender_flags(trend_history(), settings=GenderSettings(trend_window_years=4))
    # window 4 ending 2018 is 2015–2018: only 2018 itself, so no trend; ending 2014 it is 2011–2014
    assert pd.isna(one(flags, "999100", 2018)["trend_pp_per_year"])
    assert pd.isna(one(flags, "999100", 2018)["trend"])
    assert one(flags, "999100", 2014)["trend_pp_per_year"] == pytest.approx(10.0)


def test_a_slope_below_the_flat_limit_is_flat_and_at_it_is_not():
    # 30, 31, 32 % women in 2020–2022: slope exactly 1 pp a year
    rows = [counts(30 + k, 70 - k, year=2020 + k) for k in range(3)]
    steep = gender_flags(observations(rows), settings=GenderSettings(trend_flat_pp=1.0))
    assert one(steep, "999100", 2022)["trend_pp_per_year"] == pytest.approx(1.0)
    assert one(steep, "999100", 2022)["trend"] == "rising"  # 1.0 is not below 1.0
    flat = gender_flags(observations(rows), settings=GenderSettings(trend_flat_pp=1.5))
    assert one(flat, "999100", 2022)["trend"] == "flat"  # |1.0| < 1.5
    # men under-represented and losing ground: 40, 38, 36 % men -> −2 pp a year, falling
    men = [counts(60 + 2 * k, 40 - 2 * k, year=2020 + k, unit_code="999300") for k in range(3)]
    r = one(gender_flags(observations(men), settings=GenderSettings()), "999300", 2022)
    assert r["underrepresented"] == "men"
    assert r["trend_pp_per_year"] == pytest.approx(-2.0)
    assert r["trend"] == "falling"


def test_a_slope_at_minus_the_flat_limit_is_falling():
    # 32, 31, 30 % women in 2020–2022: slope exactly −1 pp a year; |−1.0| is not below 1.0
    rows = [counts(32 - k, 68 + k, year=2020 + k) for k in range(3)]
    r = one(gender_flags(observations(rows), settings=GenderSettings(trend_flat_pp=1.0)), "999100", 2022)
    assert (r["trend_pp_per_year"], r["trend"]) == (pytest.approx(-1.0), "falling")


def test_with_a_flat_limit_of_0_only_a_slope_of_0_is_flat():
    # 30 % women three years running: slope 0, flat even at a limit of 0 (neither rising nor
    # falling); 30, 31, 32 %: +1 pp a year, rising; 32, 31, 30 %: −1, falling
    settings = GenderSettings(trend_flat_pp=0.0)
    for unit, step, word in (("999100", 0, "flat"), ("999200", 1, "rising"), ("999300", -1, "falling")):
        rows = [counts(30 + step * k, 70 - step * k, year=2020 + k, unit_code=unit) for k in range(3)]
        r = one(gender_flags(observations(rows), settings=settings), unit, 2022)
        assert (r["trend_pp_per_year"], r["trend"]) == (pytest.approx(float(step)), word), unit
    # a small fall inside the limit is flat: 32, 31.5, 31 % (−0.5 pp a year) with a limit of 1
    rows = [counts(64 - k, 136 + k, year=2020 + k) for k in range(3)]
    r = one(gender_flags(observations(rows), settings=GenderSettings(trend_flat_pp=1.0)), "999100", 2022)
    assert (r["trend_pp_per_year"], r["trend"]) == (pytest.approx(-0.5), "flat")


def test_two_years_make_a_trend_rounded_to_six_decimals():
    # 10 of 30 women (33.33… %) in 2021, 11 of 30 (36.66… %) in 2022: the least-squares line
    # through two points is the line through them, 100 × (11 − 10) / 30 = 10/3 pp a year,
    # published as 3.333333 (six decimals, so that the same data give the same bytes)
    rows = [counts(10, 20, year=2021), counts(11, 19, year=2022)]
    flags = gender_flags(observations(rows), settings=GenderSettings())
    assert one(flags, "999100", 2022)["trend_pp_per_year"] == 3.333333
    assert one(flags, "999100", 2022)["trend"] == "rising"
    # one year alone has no trend
    assert pd.isna(one(flags, "999100", 2021)["trend_pp_per_year"])


# --- gender: years flagged in a row ------------------------------------------------------------


def test_an_unknown_year_breaks_the_run_of_flagged_years():
    # 10 women of 100 (10 %: flagged) every year but 2021, where DBH suppressed the cell: unknown
    rows = [counts(10, 90, year=y) for y in (2019, 2020, 2022, 2023)] + [suppressed(8, year=2021)]
    flags = gender_flags(observations(rows), settings=GenderSettings())
    assert one(flags, "999100", 2021)["status"] == "unknown"
    # "A missing year or an unknown year breaks the run": 2019 → 1, 2020 → 2, 2021 unknown (it
    # may be below: not 0, which says judged not below), and the run starts again in 2022 → 1,
    # 2023 → 2 (not 4, not 3)
    got = [one(flags, "999100", y)["consecutive_years_flagged"] for y in range(2019, 2024)]
    assert [None if pd.isna(n) else n for n in got] == [1, 2, None, 1, 2]


# --- gender: a faculty with suppressed departments ---------------------------------------------


def faculty_rows() -> list[dict]:
    return [
        # faculty 110: known 30 women and 50 men, and a suppressed department of 30 students
        counts(30, 50, unit_code="110100"),
        suppressed(30, unit_code="110200"),
        # faculty 120: the mirror image: known 50 women and 30 men, 30 suppressed
        counts(50, 30, unit_code="120100"),
        suppressed(30, unit_code="120200"),
        # faculty 130: known 20 women and 60 men, 10 suppressed
        counts(20, 60, unit_code="130100"),
        suppressed(10, unit_code="130200"),
        # faculty 140: known 60 women and 20 men, 10 suppressed
        counts(60, 20, unit_code="140100"),
        suppressed(10, unit_code="140200"),
    ]


def test_an_asymmetric_suppressed_interval_leaves_the_underrepresented_gender_unknown():
    flags = gender_flags(observations(faculty_rows()), level="faculty", settings=GenderSettings())
    f110 = one(flags, "110", 2022)
    # total 110; women between 30 (all 30 hidden are men) and 60 (all are women), men 80 − …:
    # women are fewer only while w < 55, and w can reach 60 (then men are 50): undecided, although
    # the known counts alone (30 < 50) say "women"
    assert (f110["total"], f110["women_low"], f110["women_high"]) == (110, 30, 60)
    assert pd.isna(f110["underrepresented"])
    # the under-represented count runs from 30 (27.3 % < 40 %: flagged) up to 55 where the two
    # genders cross (50 %: ok): the outcome depends on the hidden students
    assert f110["status"] == "unknown"
    assert pd.isna(f110["women"]) and pd.isna(f110["students_needed"])
    # the mirror: known 30 men < 50 women say "men", but men can reach 60 of 110
    f120 = one(flags, "120", 2022)
    assert (f120["women_low"], f120["women_high"]) == (50, 80)
    assert pd.isna(f120["underrepresented"])
    assert f120["status"] == "unknown"


def test_a_suppressed_interval_that_cannot_change_the_answer_decides_it():
    flags = gender_flags(observations(faculty_rows()), level="faculty", settings=GenderSettings())
    # faculty 130: women 20–30 of 90, men 60–70: women are fewer for every split of the 10
    # hidden students, and at most 30 / 90 = 33.3 % < 40 %: flagged whatever the hidden cell holds
    f130 = one(flags, "130", 2022)
    assert f130["underrepresented"] == "women"
    assert f130["status"] == "flagged"
    # faculty 140: men 20–30 of 90, women 60–70: men are fewer, at most 33.3 %: flagged
    f140 = one(flags, "140", 2022)
    assert f140["underrepresented"] == "men"
    assert f140["status"] == "flagged"
    # nothing decided is "needed" from counts that are not known exactly
    assert pd.isna(f130["students_needed"]) and pd.isna(f140["students_needed"])


def test_the_interval_is_decided_where_the_two_genders_cross():
    """At a 50 % threshold the greatest under-represented count is where women and men cross."""
    # known 10 women and 10 men, 11 suppressed: total 31, women 10–21. The under-represented
    # count min(w, 31 − w) is at most 15 (w = 15 or 16), and 15 / 31 = 48.4 % < 50 % for every
    # split: flagged. (Taking the ends only, min(21, 21) = 21 ≥ 15.5 would call it unknown.)
    rows = [counts(10, 10, unit_code="150100"), suppressed(11, unit_code="150200")]
    flags = gender_flags(observations(rows), level="faculty", settings=GenderSettings(threshold=Fraction(1, 2)))
    f150 = one(flags, "150", 2022)
    assert (f150["women_low"], f150["women_high"]) == (10, 21)
    assert pd.isna(f150["underrepresented"])  # either gender can be the smaller one
    assert f150["status"] == "flagged"


def test_an_interval_at_the_threshold_edge():
    # known 40 women and 50 men, 10 suppressed: total 100, women 40–50, men 50–60. The smaller
    # gender has at least 40 (= 40 %: not below): ok for every split. Women are the fewer up to
    # w = 49, but at w = 50 the two are equal ("none"): which gender is under-represented is open
    rows = [counts(40, 50, unit_code="160100"), suppressed(10, unit_code="160200")]
    f160 = one(gender_flags(observations(rows), level="faculty", settings=GenderSettings()), "160", 2022)
    assert f160["status"] == "ok"
    assert pd.isna(f160["underrepresented"])
    assert f160["students_needed"] == 0  # ok whatever the hidden split: none needed
    # one woman fewer: 39 of 100 = 39 % < 40 % is possible, 49 is not below: unknown
    rows = [counts(39, 51, unit_code="160100"), suppressed(10, unit_code="160200")]
    f160 = one(gender_flags(observations(rows), level="faculty", settings=GenderSettings()), "160", 2022)
    assert f160["status"] == "unknown"


# --- integration: the privacy boundaries -------------------------------------------------------

INTEGRATION = Settings(
    survey=SurveySettings(min_n=5, warn_n=10, index_max_missing=1),
    integration=IntegrationSettings(scores={"academic": ("miljo_fag_13",), "social": ("miljo_sosial_13",)}),
)


def respondents(programmes: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    """programme -> (respondents, academic answer, social answer), every respondent alike."""
    rows = [(code, a, s) for code, (n, a, s) in programmes.items() for _ in range(n)]
    df = pd.DataFrame(rows, columns=["studprog_kod", "miljo_fag_13", "miljo_sosial_13"])
    df["aar"] = pd.array([2025] * len(df), dtype="Int16")
    for column in ("miljo_fag_13", "miljo_sosial_13"):
        df[column] = pd.array(df[column], dtype="Int8")
    return df


def by_unit(scores: pd.DataFrame, unit: str) -> pd.Series:
    hit = scores[scores["unit_code"] == unit]
    assert len(hit) == 1
    return hit.iloc[0]


def test_integration_scores_exactly_at_min_n_and_warn_n():
    scores = integration_scores(
        respondents=respondents(
            {
                "P4": (4, 5, 5),  # 4 < min_n 5: not shown, not ranked
                "P5": (5, 4, 2),  # exactly min_n: shown (5 is not below 5), marked few (5 < 10)
                "P9": (9, 1, 1),  # shown, few
                "P10": (10, 2, 5),  # exactly warn_n: shown and not few (10 is not below 10)
            }
        ),
        settings=INTEGRATION,
    )
    p4, p5, p9, p10 = (by_unit(scores, u) for u in ("P4", "P5", "P9", "P10"))
    assert p4["n"] == 4 and bool(p4["suppressed"]) is True
    assert pd.isna(p4["integration_score"]) and pd.isna(p4["academic"]) and pd.isna(p4["rank"])
    assert p5["n"] == 5 and bool(p5["suppressed"]) is False and bool(p5["few_respondents"]) is True
    assert p5["integration_score"] == pytest.approx(3.0)  # (4 + 2) / 2
    assert bool(p9["few_respondents"]) is True and p9["integration_score"] == pytest.approx(1.0)
    assert p10["n"] == 10 and bool(p10["suppressed"]) is False and bool(p10["few_respondents"]) is False
    assert p10["integration_score"] == pytest.approx(3.5)  # (2 + 5) / 2
    # ranked among the three shown: 3.5, 3.0, 1.0
    assert [p10["rank"], p5["rank"], p9["rank"]] == [1, 2, 3]
    assert p10["units_ranked"] == 3
    # gaps are score − reference (negative = below): to the best 3.5, to the median 3.0 and to
    # the mean (3.5 + 3.0 + 1.0) / 3 = 2.5
    assert p5["gap_to_best"] == pytest.approx(-0.5) and p5["gap_to_median"] == pytest.approx(0.0)
    assert p5["gap_to_mean"] == pytest.approx(0.5)


def test_integration_boundaries_follow_the_configured_minimum():
    settings = Settings(survey=SurveySettings(min_n=3, warn_n=7), integration=INTEGRATION.integration)
    scores = integration_scores(
        respondents=respondents({"P2": (2, 3, 3), "P3": (3, 3, 3), "P6": (6, 3, 3), "P7": (7, 3, 3)}), settings=settings
    )
    shown = {u: not bool(by_unit(scores, u)["suppressed"]) for u in ("P2", "P3", "P6", "P7")}
    few = {u: bool(by_unit(scores, u)["few_respondents"]) for u in ("P3", "P6", "P7")}
    assert shown == {"P2": False, "P3": True, "P6": True, "P7": True}
    assert few == {"P3": True, "P6": True, "P7": False}


def test_an_extracts_n_is_held_to_the_same_boundaries():
    extract = pd.DataFrame(
        {
            "source_file": "extract.csv",
            "source_row": range(2, 6),
            "level": "master",
            "institution": ["A", "B", "C", "D"],
            "year": 2017,
            "academic": [4.0, 4.0, 3.0, 2.0],
            "social": [4.0, 2.0, 3.0, 5.0],
            "n": pd.array([4, 5, 9, 10], dtype="Int64"),
        }
    )
    scores = integration_scores(extract, settings=INTEGRATION)
    row = {r["unit_name"]: r for _, r in scores.iterrows()}
    assert [bool(row[u]["suppressed"]) for u in "ABCD"] == [True, False, False, False]
    assert [bool(row[u]["few_respondents"]) for u in "BCD"] == [True, True, False]
    assert pd.isna(row["A"]["integration_score"])
    assert row["B"]["integration_score"] == pytest.approx(3.0)  # (4 + 2) / 2


# --- SHoT: a wave reported twice --------------------------------------------------------------


def shot(rows: list[tuple]) -> pd.DataFrame:
    """(year, indicator, group, value, definition_note) rows in the ShotIndicators contract."""
    df = pd.DataFrame(rows, columns=["year", "indicator", "group", "value_pct", "definition_note"])
    df["source_file"] = "shot.csv"
    df["source_row"] = range(2, len(df) + 2)
    df["source_url"] = None
    return df


def rows_of(table: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    return table[(table["indicator"] == indicator) & (table["group"] == "alle") & (table["year"] == year)]


def single(table: pd.DataFrame, indicator: str, year: int) -> pd.Series:
    hit = rows_of(table, indicator, year)
    assert len(hit) == 1
    return hit.iloc[0]


def test_two_values_under_one_definition_conflict():
    table = wellbeing_indicators(
        shot(
            [
                (2010, "plager", "alle", 16, "HSCL-25; tall ved lansering 2018"),
                (2010, "plager", "alle", 18, "HSCL-25 (som gjengitt i SHoT 2022)"),
                (2014, "plager", "alle", 21, "HSCL-25"),
                (2018, "plager", "alle", 29, "HSCL-25"),
            ]
        )
    )
    y2010 = rows_of(table, "plager", 2010)
    # both reports kept; the definition part of both notes is "hscl-25", the values differ
    assert sorted(y2010["value_pct"]) == [16, 18]
    assert list(y2010["definition"]) == ["hscl-25", "hscl-25"]
    assert y2010["conflicting"].all() and (y2010["versions"] == 2).all()
    assert all("2 figures" in note and "16 / 18" in note for note in y2010["note"])
    r2014 = single(table, "plager", 2014)
    # the wave after: neither figure is chosen, so no change and no definition comparison
    assert r2014["previous_year"] == 2010
    assert pd.isna(r2014["previous_value_pct"]) and pd.isna(r2014["change_pp"])
    assert pd.isna(r2014["definition_changed"])
    assert bool(r2014["conflicting"]) is False and r2014["versions"] == 1
    assert "2010" in r2014["note"] and "16 / 18" in r2014["note"]
    r2018 = single(table, "plager", 2018)
    assert r2018["change_pp"] == pytest.approx(8.0)  # 29 − 21
    assert bool(r2018["definition_changed"]) is False
    assert pd.isna(r2018["note"])


def test_one_value_under_two_definitions_conflicts():
    table = wellbeing_indicators(
        shot(
            [
                (2010, "ensomhet", "alle", 20, "3 ledd"),
                (2010, "ensomhet", "alle", 20, "sosial og/eller emosjonell ensomhet"),
                (2014, "ensomhet", "alle", 23, "3 ledd"),
            ]
        )
    )
    y2010 = rows_of(table, "ensomhet", 2010)
    # the same figure, but as the measure of two different things: a conflict, both kept
    assert y2010["conflicting"].all() and (y2010["versions"] == 2).all()
    r2014 = single(table, "ensomhet", 2014)
    # which definition 2014 continues is not known: no definition comparison, and no change
    # either (a change across a break in definition is not a change of the same measure)
    assert pd.isna(r2014["definition_changed"])
    assert pd.isna(r2014["change_pp"])
    assert "2010" in r2014["note"]


def test_the_same_value_under_a_new_definition_is_a_definition_change():
    table = wellbeing_indicators(
        shot(
            [
                (2014, "ensomhet", "alle", 20, "3 ledd"),
                (2018, "ensomhet", "alle", 20, "sosial og/eller emosjonell ensomhet"),
                (2021, "ensomhet", "alle", 25, "samme som 2018 (TV2)"),
                (2022, "ensomhet", "alle", 25, None),
                (2023, "ensomhet", "alle", 26, "sosial og/eller emosjonell ensomhet"),
            ]
        )
    )
    r2018 = single(table, "ensomhet", 2018)
    assert bool(r2018["definition_changed"]) is True  # "3 ledd" -> "sosial og/eller …"
    assert r2018["change_pp"] == pytest.approx(0.0)  # 20 − 20
    assert bool(r2018["conflicting"]) is False
    assert bool(single(table, "ensomhet", 2021)["definition_changed"]) is False  # declared "samme"
    # an empty note on either side: whether the definition changed is not known
    assert pd.isna(single(table, "ensomhet", 2022)["definition_changed"])
    assert pd.isna(single(table, "ensomhet", 2023)["definition_changed"])
    assert single(table, "ensomhet", 2023)["change_pp"] == pytest.approx(1.0)  # 26 − 25


def test_the_same_figure_twice_is_not_a_conflict():
    table = wellbeing_indicators(
        shot(
            [
                (2018, "plager", "alle", 30, "HSCL-25"),
                (2018, "plager", "alle", 30, "HSCL-25; fra SHoT 2022-rapporten"),
                (2022, "plager", "alle", 35, "HSCL-25"),
            ]
        )
    )
    y2018 = rows_of(table, "plager", 2018)
    assert not y2018["conflicting"].any() and (y2018["versions"] == 2).all()
    assert y2018["note"].isna().all()
    r2022 = single(table, "plager", 2022)
    assert r2022["previous_value_pct"] == 30 and r2022["change_pp"] == pytest.approx(5.0)
    assert bool(r2022["definition_changed"]) is False


def test_the_notes_name_the_conflicting_values_in_full():
    table = wellbeing_indicators(
        shot(
            [
                (2010, "plager", "alle", 18, "HSCL-25"),
                (2010, "plager", "alle", 16, "HSCL-25"),
                (2014, "plager", "alle", 21, "HSCL-25"),
                (2014, "plager", "alle", 20.5, "HSCL-25"),
                (2018, "plager", "alle", 29, "HSCL-25"),
            ]
        )
    )
    # the values sorted and joined with " / "; a wave that conflicts and follows a conflicting
    # wave carries both sentences, joined by "; "
    assert set(rows_of(table, "plager", 2010)["note"]) == {
        "this wave has 2 figures from different reports (16 / 18); all are kept"
    }
    assert set(rows_of(table, "plager", 2014)["note"]) == {
        "this wave has 2 figures from different reports (20.5 / 21); all are kept; "
        "no change computed: 2010 has conflicting figures (16 / 18) from different reports"
    }
    assert single(table, "plager", 2018)["note"] == (
        "no change computed: 2014 has conflicting figures (20.5 / 21) from different reports"
    )


def test_a_figure_with_and_without_a_definition_conflicts():
    # one report gives the definition, the other none: that the two measure the same thing
    # cannot be shown, so both are kept and marked, like two definitions
    table = wellbeing_indicators(
        shot(
            [
                (2018, "plager", "alle", 30, "HSCL-25"),
                (2018, "plager", "alle", 30, None),
                (2022, "plager", "alle", 35, "HSCL-25"),
            ]
        )
    )
    assert rows_of(table, "plager", 2018)["conflicting"].all()
    assert pd.isna(single(table, "plager", 2022)["change_pp"])


def test_the_previous_wave_is_the_latest_earlier_year_whatever_the_row_order():
    table = wellbeing_indicators(
        shot(
            [
                (2022, "ensomhet", "alle", 25, "3 ledd"),
                (2014, "ensomhet", "alle", 16, "3 ledd"),
                (2018, "ensomhet", "alle", 29, "3 ledd"),
            ]
        )
    )
    assert (single(table, "ensomhet", 2018)["previous_year"], single(table, "ensomhet", 2018)["change_pp"]) == (
        2014,
        13,
    )
    assert (single(table, "ensomhet", 2022)["previous_year"], single(table, "ensomhet", 2022)["change_pp"]) == (
        2018,
        -4,
    )
    assert pd.isna(single(table, "ensomhet", 2014)["previous_year"])
    assert list(table["year"]) == [2014, 2018, 2022]  # sorted by wave


def test_the_definition_part_of_a_note():
    notes = pd.Series(
        [
            "‘ofte’ på minst ett",
            "'ofte' på minst ett",
            "`ofte´ på minst ett",  # one quote mark
            "“ofte” på minst ett",  # typographic double quotes
            "HSCL-25.",
            " HSCL-25, ",  # trailing punctuation and blanks
            "3  ledd\t(merknad)\nsiste",  # runs of white space
            "a; b; c",  # cut at the first ";", not the last
            "(bare en merknad)",
            "",  # nothing left: no definition
            "B",  # one letter is a definition
            "A (b (c (d)))",
            "A (b (c (d (e))))",  # parentheses nested three and four deep
            "X-skala; Y",  # only blanks, commas and full stops are trimmed
        ]
    )
    assert definition_part(notes).fillna("(none)").tolist() == [
        "'ofte' på minst ett",
        "'ofte' på minst ett",
        "'ofte' på minst ett",
        '"ofte" på minst ett',
        "hscl-25",
        "hscl-25",
        "3 ledd siste",
        "a",
        "(none)",
        "(none)",
        "b",
        "a",
        "a",
        "x-skala",
    ]


def test_notes_that_differ_only_in_quotes_and_spacing_are_the_same_definition():
    table = wellbeing_indicators(
        shot(
            [
                (2018, "ensomhet", "alle", 29, "3 ledd; ‘ofte’ på minst ett"),
                (2021, "ensomhet", "alle", 54, "3  ledd"),
                (2022, "ensomhet", "alle", 50, "3 ledd."),
            ]
        )
    )
    assert bool(single(table, "ensomhet", 2021)["definition_changed"]) is False
    assert bool(single(table, "ensomhet", 2022)["definition_changed"]) is False


def test_an_institution_is_known_by_its_abbreviation_before_a_bracket_or_comma():
    scope, place, gender = scope_of(pd.Series(["UiB(Bergen)", "NTNU,Gjøvik", "Bergen (Sammen)", "kvinner"]))
    assert scope.tolist() == ["institution", "institution", "region", "national"]
    assert place.tolist()[:3] == ["UiB(Bergen)", "NTNU,Gjøvik", "Bergen (Sammen)"] and pd.isna(place.iloc[3])
    assert gender.tolist() == ["all", "all", "all", "women"]


def test_a_file_given_twice_gives_each_figure_once():
    once = shot(
        [
            (2018, "plager", "alle", 30, "HSCL-25"),
            (2022, "plager", "alle", 35, "HSCL-25"),
        ]
    )
    table = wellbeing_indicators(pd.concat([once, once], ignore_index=True))
    # shot.csv rows 2 and 3 read twice are still two figures, one per wave: no conflict
    assert len(table) == 2
    assert list(table["versions"]) == [1, 1] and not table["conflicting"].any()
    assert single(table, "plager", 2022)["change_pp"] == pytest.approx(5.0)  # 35 − 30


def test_two_different_files_of_the_same_name_are_refused_not_merged():
    first = shot([(2018, "plager", "alle", 30, "HSCL-25"), (2022, "plager", "alle", 35, "HSCL-25")])
    second = first.copy()
    second.loc[1, "value"] = 36  # b/shot.csv: row 3 says 36 where a/shot.csv says 35
    with pytest.raises(InputError) as caught:
        wellbeing_indicators(pd.concat([first, second], ignore_index=True))
    (problem,) = caught.value.problems
    # the first row that differs under the shared name: shot.csv row 3 (row 2 is alike in both)
    assert (problem.file, problem.row) == (str(first["source_file"].iloc[0]), int(first["source_row"].iloc[1]))
    assert "rename one" in problem.hint


def test_two_files_of_one_name_that_differ_in_several_rows_are_named_once_at_the_first():
    first = shot([(2018, "plager", "alle", 30, "HSCL-25"), (2022, "plager", "alle", 35, "HSCL-25")])
    second = first.copy()
    second["value"] = [31, 36]  # b/shot.csv differs from a/shot.csv in both rows, 2 and 3
    with pytest.raises(InputError) as caught:
        wellbeing_indicators(pd.concat([first, second], ignore_index=True))
    # one problem per file name, at its first clashing row: shot.csv row 2
    assert [(p.file, p.row) for p in caught.value.problems] == [
        (str(first["source_file"].iloc[0]), int(first["source_row"].iloc[0]))
    ]


def test_a_change_is_rounded_to_six_decimals():
    table = wellbeing_indicators(
        shot(
            [
                (2018, "plager", "alle", 23.1, "HSCL-25"),
                (2021, "plager", "alle", 25.3, "HSCL-25"),
                (2022, "plager", "alle", 25.4234567, "HSCL-25"),
            ]
        )
    )
    # 25.3 − 23.1 = 2.2 (in floats 2.1999999999999993 before rounding)
    assert single(table, "plager", 2021)["change_pp"] == 2.2
    # 25.4234567 − 25.3 = 0.1234567, to 6 decimals 0.123457
    assert single(table, "plager", 2022)["change_pp"] == 0.123457


def test_a_region_is_compared_with_the_national_figure_of_its_own_wave_and_indicator():
    table = wellbeing_indicators(
        shot(
            [
                (2022, "plager", "alle", 35, "HSCL-25"),
                (2022, "plager", "Bergen (Sammen)", 35.1234567, "HSCL-25"),
                (2018, "plager", "Bergen (Sammen)", 28, "HSCL-25"),  # no national figure for 2018
                (2022, "ensomhet", "Bergen (Sammen)", 30, "3 ledd"),  # none for this indicator
                (2022, "ensomhet", "kvinner", 32, "3 ledd"),
            ]
        )
    )
    bergen = table[table["group"] == "Bergen (Sammen)"].set_index(["indicator", "year"])
    # 35.1234567 − 35 = 0.1234567, to 6 decimals 0.123457
    assert bergen.loc[("plager", 2022), "national_value_pct"] == 35
    assert bergen.loc[("plager", 2022), "difference_to_national_pp"] == 0.123457
    # without a national figure (group "alle") the row is kept, with nothing to compare
    assert len(table) == 5
    assert pd.isna(bergen.loc[("plager", 2018), "national_value_pct"])
    assert pd.isna(bergen.loc[("ensomhet", 2022), "difference_to_national_pp"])
    # women nationally are a national row: not compared with the national figure
    women = table[table["group"] == "kvinner"].iloc[0]
    assert women["scope"] == "national" and pd.isna(women["national_value_pct"])


# --- Welch's test with unequal n and sd ---------------------------------------------------------


def test_welch_with_unequal_n_and_sd_against_a_hand_computed_p_value():
    # 2020: 1, 1, 1, 3: n₁ = 4, mean 1.5, s₁² = (3 · 0.5² + 1.5²) / 3 = 3 / 3 = 1
    # 2021: 3, 4:       n₂ = 2, mean 3.5, s₂² = (0.5² + 0.5²) / 1 = 0.5
    # v₁ = s₁²/n₁ = 1/4, v₂ = s₂²/n₂ = 1/4; t = (3.5 − 1.5) / √(1/4 + 1/4) = 2 / √0.5 = 2√2
    # Welch df = (v₁ + v₂)² / (v₁²/(n₁−1) + v₂²/(n₂−1)) = (1/2)² / ((1/16)/3 + (1/16)/1)
    #          = (1/4) / (4/48) = 3          (Student's pooled test would use n₁ + n₂ − 2 = 4)
    # For 3 degrees of freedom P(|T| < t) = (2/π)(θ + sin θ cos θ) with θ = arctan(t/√3), so
    # p = 1 − (2/π)(θ + sin θ cos θ); t/√3 = 1.632993, θ = 1.021329, sin θ cos θ = tan θ/(1 + tan² θ)
    #   = 1.632993 / 3.666667 = 0.445362, p = 1 − (2/π) · 1.466691 = 0.066276.
    # (df 4 with the same t gives 1 − t(t² + 6)/(t² + 4)^1.5 = 0.0474; the pooled t = 2/√(0.875 · 0.75)
    # = 2.469 with df 4 gives 0.069: either slip is caught.)
    frame = pd.DataFrame(
        {
            "studprog_kod": ["W"] * 6,
            "aar": pd.array([2020] * 4 + [2021] * 2, dtype="Int16"),
            "underv_engasj_18": pd.array([1, 1, 1, 3, 3, 4], dtype="Int8"),
        }
    )
    result = survey_aggregates(frame, settings=SurveySettings(min_n=2, warn_n=2))
    change = result.changes.iloc[0]
    assert (change["year"], change["previous_year"], change["n"], change["n_previous"]) == (2021, 2020, 2, 4)
    assert change["change"] == pytest.approx(2.0)
    t = 2 * math.sqrt(2)
    theta = math.atan(t / math.sqrt(3))
    expected = 1 - (2 / math.pi) * (theta + math.sin(theta) * math.cos(theta))
    assert expected == pytest.approx(0.066276, abs=1e-6)
    assert change["p_value"] == pytest.approx(expected, abs=1e-9)
    items = result.items.set_index("year")
    assert items.loc[2020, "sd"] == pytest.approx(1.0) and items.loc[2021, "sd"] == pytest.approx(math.sqrt(0.5))


def test_welch_is_symmetric_in_which_year_has_more_answers():
    # the same two samples the other way round: 2020 has 3, 4 and 2021 has 1, 1, 1, 3: the
    # change is −2 and the two-sided p-value the same 0.066276
    frame = pd.DataFrame(
        {
            "studprog_kod": ["W"] * 6,
            "aar": pd.array([2020] * 2 + [2021] * 4, dtype="Int16"),
            "underv_engasj_18": pd.array([3, 4, 1, 1, 1, 3], dtype="Int8"),
        }
    )
    change = survey_aggregates(frame, settings=SurveySettings(min_n=2, warn_n=2)).changes.iloc[0]
    assert change["change"] == pytest.approx(-2.0)
    theta = math.atan(2 * math.sqrt(2) / math.sqrt(3))
    assert change["p_value"] == pytest.approx(1 - (2 / math.pi) * (theta + math.sin(theta) * math.cos(theta)), abs=1e-9)
    assert np.isfinite(change["p_value"])
