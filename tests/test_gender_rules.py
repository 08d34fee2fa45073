"""Gender flags: the rules of ``analysis.metrics.gender`` one at a time (issue 13).

The cases the mutation run (``make mutate``) showed no test had: exactly half women given as
a percentage, a total with only a percentage, women without men, students needed at another
threshold, the shares and the interval at another confidence level, the reasons for an unknown
status, runs of flagged years per unit, a trend across a switch of the under-represented
gender, the field benchmark from counts and from percentages, and the order of the rows. Every
expected value is worked out by hand in the comments from the policy in the module's
docstring. The trend window, an unknown year in a run and suppressed faculties are in
tests/test_rule_boundaries.py.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from analysis.metrics.gender import gender_flags, gender_flags_all_levels
from analysis.settings import GenderSettings
from tests.test_rule_boundaries import counts, observation

GENDER = GenderSettings()


def programme(code: str, nus: str, **kw) -> dict:
    return dict(level="programme", unit_code=code, unit_name=code, nus_code=nus, **kw)


def observations(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["source_row"] = range(2, len(df) + 2)
    for column in ("year", "total", "women", "men"):
        df[column] = df[column].astype("Int64")
    df["share_women_given_pct"] = df["share_women_given_pct"].astype("Float64")
    return df


def one(flags: pd.DataFrame, unit: str, year: int = 2022) -> pd.Series:
    hit = flags[(flags["unit_code"] == unit) & (flags["year"] == year)]
    assert len(hit) == 1, f"{unit} {year}: {len(hit)} rows"
    return hit.iloc[0]


# --- one unit, judged -----------------------------------------------------------------------------


def test_exactly_half_women_given_as_a_percentage_is_nobody_under_represented():
    flags = gender_flags(
        observations(
            [
                observation(level="programme", unit_code="H", share_women_given_pct=50.0),
                observation(level="programme", unit_code="W", share_women_given_pct=49.9),
                observation(level="programme", unit_code="M", share_women_given_pct=50.1),
            ]
        ),
        settings=GENDER,
    )
    h = one(flags, "H")
    # 50 % women and 100 − 50 = 50 % men: neither is the smaller, and 50 % is not below 40 %
    assert (h["underrepresented"], h["status"], h["underrepresented_share"]) == ("none", "ok", 0.5)
    assert (one(flags, "W")["underrepresented"], one(flags, "M")["underrepresented"]) == ("women", "men")
    # 50.1 % women: men are the rest, 49.9 %
    assert one(flags, "M")["underrepresented_share"] == pytest.approx(0.499)


def test_a_total_with_only_a_percentage_of_women_is_judged_on_the_percentage():
    """Samordna opptak gives applicants and "45,0 % women", no counts of women and men."""
    r = one(
        gender_flags(
            observations([observation(level="programme", unit_code="S", total=200, share_women_given_pct=45.0)]),
            settings=GENDER,
        ),
        "S",
    )
    assert (r["share_basis"], r["status"], r["underrepresented"]) == ("given_pct", "ok", "women")
    assert r["share_women"] == pytest.approx(0.45) and r["underrepresented_share"] == pytest.approx(0.45)
    # no counts: no women, no interval of women, nothing needed, no confidence interval
    assert pd.isna(r["women"]) and pd.isna(r["women_low"]) and pd.isna(r["women_high"])
    assert pd.isna(r["students_needed"]) and pd.isna(r["ci_low"]) and pd.isna(r["borderline"])


def test_women_without_men_is_neither_counts_nor_a_share():
    r = one(gender_flags(observations([observation(total=50, women=20)]), settings=GENDER), "999100")
    assert r["status"] == "unknown"
    assert r["reason"] == "the source gives neither counts of women and men nor a share of women"
    assert pd.isna(r["underrepresented"]) and pd.isna(r["share_women"])


def test_students_needed_at_a_half_threshold():
    # threshold 1/2: (45 + k) / (100 + k) ≥ 1/2 <=> 90 + 2k ≥ 100 + k <=> k ≥ 10
    r = one(gender_flags(observations([counts(45, 55)]), settings=GenderSettings(threshold=Fraction(1, 2))), "999100")
    assert (r["status"], r["students_needed"], r["threshold"]) == ("flagged", 10, 0.5)
    # men under-represented at 1/3: 3(7 + k) ≥ 30 + k <=> 2k ≥ 9 -> k = 5 (12/35 = 34.3 % ≥ 33.3 %)
    r = one(gender_flags(observations([counts(23, 7)]), settings=GenderSettings(threshold=Fraction(1, 3))), "999100")
    assert (r["status"], r["underrepresented"], r["students_needed"]) == ("flagged", "men", 5)


def test_a_threshold_given_as_a_decimal_number_is_read_as_written():
    """0.4 as a float is 0.400000000000000022…; read as written ("0.4" = 2/5), 40 of 100 is
    exactly at the threshold and ok, 39 of 100 below it."""
    settings = GenderSettings(threshold=0.4)  # as a settings file may give it
    flags = gender_flags(observations([counts(40, 60), counts(39, 61, unit_code="999200")]), settings=settings)
    assert one(flags, "999100")["status"] == "ok" and one(flags, "999200")["status"] == "flagged"


def test_shares_of_a_counted_unit():
    r = one(gender_flags(observations([counts(30, 70)]), settings=GENDER), "999100")
    # 30 of 100: share of women 0.30, of men 0.70; the under-represented share is women's
    assert (r["share_women"], r["underrepresented_share"]) == (0.3, 0.3)
    assert (r["women"], r["men"], r["women_low"], r["women_high"], r["total"]) == (30, 70, 30, 30, 100)
    assert r["share_basis"] == "counts" and pd.isna(r["reason"])
    # (30 + k) / (100 + k) ≥ 2/5 <=> 150 + 5k ≥ 200 + 2k <=> k ≥ 16⅔ -> 17
    assert r["students_needed"] == 17


def test_the_wilson_interval_at_a_90_percent_level():
    # 38 of 100 at 90 %: z = 1.644854, z² = 2.705543; centre (0.38 + z²/200) / (1 + z²/100)
    # = 0.393528 / 1.027055 = 0.383161; half z·√(0.38·0.62/100 + z²/40000) / 1.027055
    # = 1.644854 · √0.00242364 / 1.027055 = 0.078844 -> [0.304317, 0.462005], holds 0.40
    r = one(gender_flags(observations([counts(38, 62)]), settings=GenderSettings(confidence_level=0.9)), "999100")
    assert r["ci_low"] == pytest.approx(0.304317, abs=2e-6)
    assert r["ci_high"] == pytest.approx(0.462005, abs=2e-6)
    assert bool(r["borderline"]) is True
    # 30 of 100 at 90 %: centre (0.3 + 0.013528) / 1.027055 = 0.305269, half 1.644854 ·
    # √(0.0021 + 0.0000676) / 1.027055 = 1.644854 · 0.046558 / 1.027055 = 0.074564
    # -> [0.230705, 0.379832]: 0.40 is above it
    r = one(gender_flags(observations([counts(30, 70)]), settings=GenderSettings(confidence_level=0.9)), "999100")
    assert r["ci_high"] == pytest.approx(0.379832, abs=2e-6) and bool(r["borderline"]) is False


def test_the_reason_of_an_unknown_unit_says_why():
    rows = [
        observation(unit_code="110100", total=12, suppressed=True, suppression="no_gender_split"),
        observation(unit_code="110200", total=3, suppressed=True, suppression="small_cell"),
        counts(30, 50, unit_code="120100"),
        observation(unit_code="120200", total=30, suppressed=True, suppression="small_cell"),
    ]
    departments = gender_flags(observations(rows), settings=GENDER)
    assert one(departments, "110100")["reason"] == (
        "the source reports no gender split for this unit (12 students): women and men unknown"
    )
    assert one(departments, "110200")["reason"] == "women and men suppressed by the source (small cell, 3 students)"
    for unit in ("110100", "110200"):
        r = one(departments, unit)
        assert r["status"] == "unknown" and pd.isna(r["underrepresented"]) and pd.isna(r["underrepresented_share"])
        assert pd.isna(r["students_needed"]) and pd.isna(r["women"])
    # what is known of a hidden department: between none and all of its 12 students are women
    assert (one(departments, "110100")["women_low"], one(departments, "110100")["women_high"]) == (0, 12)
    faculties = gender_flags(observations(rows), level="faculty", settings=GENDER)
    # faculty 120: 30 known women, 50 known men and 30 hidden: women 30–60 of 110
    assert one(faculties, "120")["reason"] == (
        "1 suppressed unit with 30 students inside: women between 30 and 60 of 110, "
        "and the answer depends on the suppressed counts"
    )
    # faculty 110: every department hidden, 15 students: women 0–15, men 0–15; the smaller
    # count can be 0 (flagged) or 7 (7/15 = 46.7 %: ok): unknown
    f110 = one(faculties, "110")
    assert (f110["status"], f110["total"], f110["women_low"], f110["women_high"]) == ("unknown", 15, 0, 15)
    assert f110["reason"].startswith("2 suppressed units with 15 students inside")


def test_the_reason_counts_departments_and_students_in_number():
    """The machine table's English reason writes its counts as English does: "1 student", "2
    suppressed units", never "1 students" or "unit(s)" (labels.counted, as the report)."""
    rows = [
        observation(unit_code="130100", total=1, suppressed=True, suppression="small_cell"),
        observation(unit_code="130200", total=1, suppressed=True, suppression="no_gender_split"),
    ]
    departments = gender_flags(observations(rows), settings=GENDER)
    assert one(departments, "130100")["reason"] == "women and men suppressed by the source (small cell, 1 student)"
    assert one(departments, "130200")["reason"] == (
        "the source reports no gender split for this unit (1 student): women and men unknown"
    )
    # faculty 130: both departments hidden, 2 students: women 0–2, undecided
    faculty = one(gender_flags(observations(rows), level="faculty", settings=GENDER), "130")
    assert faculty["reason"] == (
        "2 suppressed units with 2 students inside: women between 0 and 2 of 2, "
        "and the answer depends on the suppressed counts"
    )


# --- aggregates ------------------------------------------------------------------------------------


def test_a_faculty_sums_its_departments_per_measure_and_names_its_files():
    rows = [
        counts(10, 30, unit_code="130100", source_file="b.csv"),
        counts(20, 40, unit_code="130200", source_file="a.csv"),
        counts(5, 5, unit_code="130300", source_file="a.csv"),
        counts(7, 3, unit_code="130100", measure="admitted", source_file="b.csv"),
    ]
    flags = gender_flags(observations(rows), level="faculty", settings=GENDER)
    registered = flags[(flags["unit_code"] == "130") & (flags["measure"] == "registered")].iloc[0]
    # 10 + 20 + 5 = 35 women, 30 + 40 + 5 = 75 men of 110: 35/110 = 31.8 % < 40 %: flagged
    assert (registered["women"], registered["men"], registered["total"]) == (35, 75, 110)
    assert registered["status"] == "flagged" and registered["level"] == "faculty"
    # the files behind the sum, each once, sorted
    assert registered["source_file"] == "a.csv; b.csv"
    admitted = flags[(flags["unit_code"] == "130") & (flags["measure"] == "admitted")].iloc[0]
    assert (admitted["women"], admitted["men"], admitted["source_file"]) == (7, 3, "b.csv")


def test_programme_rows_stay_programme_rows_beside_the_faculty_sum():
    """ "Programme rows always stay programme rows": a counted programme is not summed into its
    faculty, and a department without a gender split stays its own unknown row."""
    rows = [
        counts(10, 30, unit_code="170100"),
        counts(40, 10, **programme("P7", "651101"), faculty_code="170"),
        observation(unit_code="170200", total=25),  # a total only, no split
    ]
    flags = gender_flags(observations(rows), level="faculty", settings=GENDER)
    f170 = one(flags, "170")
    # the faculty is its one counted department: 10 of 40 women (25 %): flagged
    assert (f170["level"], f170["total"], f170["women"], f170["status"]) == ("faculty", 40, 10, "flagged")
    p7 = one(flags, "P7")
    assert (p7["level"], p7["total"], p7["women"], p7["underrepresented"]) == ("programme", 50, 40, "men")
    d = one(flags, "170200")
    assert (d["level"], d["status"]) == ("department", "unknown")
    assert len(flags) == 3


def test_only_programme_rows_carry_their_field_benchmark():
    """The field benchmark is a programme's (module docstring): a faculty summed from departments
    gets none, whichever row the input lists first. (Were the units not numbered afresh when the
    sums are put beside the other rows, a programme listed first would lend its field's figures
    to the first faculty sum, which has the same row number; no test showed that.)"""
    rows = [
        counts(40, 10, **programme("P7", "651101"), faculty_code="170"),
        counts(10, 30, unit_code="170100"),
        counts(12, 28, unit_code="180100"),
    ]
    flags = gender_flags(observations(rows), level="faculty", settings=GENDER)
    # P7 alone in field 51 (NUS 651xxx): 40 women of 50
    p7 = one(flags, "P7")
    assert (p7["field_basis"], p7["field_programmes"], p7["field_total"]) == ("counts", 1, 50)
    assert p7["field_share_women"] == pytest.approx(0.8)
    for faculty in ("170", "180"):
        row = one(flags, faculty)
        assert row["level"] == "faculty"
        assert row[["field_basis", "field_programmes", "field_share_women", "field_distance_pp"]].isna().all()
    assert len(flags) == 3


def test_an_interval_reaching_a_tie_leaves_the_under_represented_gender_open():
    # faculty 180: known 40 women and 30 men, 10 hidden: women 40–50, men 30–40. Men are fewer
    # unless all 10 hidden are men: then 40 and 40, a tie. Which gender is under-represented is
    # open, and so is the status: the smaller count runs from 30 (37.5 % of 80: flagged) to 40
    # (50 %: ok). Faculty 190 is the mirror (known 30 women, 40 men).
    rows = [
        counts(40, 30, unit_code="180100"),
        observation(unit_code="180200", total=10, suppressed=True, suppression="small_cell"),
        counts(30, 40, unit_code="190100"),
        observation(unit_code="190200", total=10, suppressed=True, suppression="small_cell"),
    ]
    flags = gender_flags(observations(rows), level="faculty", settings=GENDER)
    for unit, low, high in (("180", 40, 50), ("190", 30, 40)):
        r = one(flags, unit)
        assert (r["total"], r["women_low"], r["women_high"]) == (80, low, high)
        assert pd.isna(r["underrepresented"]) and r["status"] == "unknown"


def test_an_institution_without_a_code_is_one_unknown_institution():
    rows = [counts(10, 30, institution_code=None, institution_name=None, unit_code="140100")]
    flags = gender_flags(observations(rows), level="institution", settings=GENDER)
    r = one(flags, "(unknown)")
    assert (r["level"], r["total"], r["women"]) == ("institution", 40, 10)
    assert pd.isna(r["institution_code"])
    named = one(gender_flags(observations([counts(10, 30)]), level="institution", settings=GENDER), "1150")
    assert named["unit_name"] == "NTNU"


# --- over the years -------------------------------------------------------------------------------


def test_flagged_years_in_a_row_are_counted_per_unit():
    rows = [
        # unit A: flagged 2019, 2020, 2021, ok 2022, flagged 2023, (no 2024), flagged 2025
        *(counts(10, 90, unit_code="150100", year=y) for y in (2019, 2020, 2021)),
        counts(50, 50, unit_code="150100", year=2022),
        counts(10, 90, unit_code="150100", year=2023),
        counts(10, 90, unit_code="150100", year=2025),
        # unit B: flagged 2022 and 2023; its run does not continue A's
        *(counts(10, 90, unit_code="150200", year=y) for y in (2022, 2023)),
        # the same unit under another measure is another series
        counts(10, 90, unit_code="150100", year=2024, measure="admitted"),
    ]
    flags = gender_flags(observations(rows), settings=GENDER)
    registered = flags[flags["measure"] == "registered"]
    a = [int(one(registered, "150100", y)["consecutive_years_flagged"]) for y in (2019, 2020, 2021, 2022, 2023, 2025)]
    assert a == [1, 2, 3, 0, 1, 1]
    assert [int(one(flags, "150200", y)["consecutive_years_flagged"]) for y in (2022, 2023)] == [1, 2]
    assert int(one(flags[flags["measure"] == "admitted"], "150100", 2024)["consecutive_years_flagged"]) == 1


def test_the_trend_follows_the_rows_own_under_represented_gender():
    # 2020: 55 women of 100 (men under-represented), 2021: 45 of 100 (women under-represented),
    # 2022: 50 of 100 (nobody). 2021's trend is women's share: 55 → 45 = −10 pp a year, falling.
    rows = [counts(55, 45, year=2020), counts(45, 55, year=2021), counts(50, 50, year=2022)]
    flags = gender_flags(observations(rows), settings=GENDER)
    r2021 = one(flags, "999100", 2021)
    assert r2021["trend_pp_per_year"] == pytest.approx(-10.0) and r2021["trend"] == "falling"
    # 2020 alone is no trend; 2022 has no under-represented gender, so no trend of its share
    assert pd.isna(one(flags, "999100", 2020)["trend_pp_per_year"])
    assert pd.isna(one(flags, "999100", 2022)["trend_pp_per_year"]) and pd.isna(one(flags, "999100", 2022)["trend"])


def test_the_trend_over_three_years_with_men_under_represented():
    # men 30, 35, 44 % in 2020–2022: x̄ = 2021, ȳ = 36.33; Σ(x − x̄)(y − ȳ) = (−1)(−6.33) + 0 +
    # (1)(7.67) = 14, Σ(x − x̄)² = 2 -> 7 pp a year: rising (men catching up)
    rows = [counts(70, 30, year=2020), counts(65, 35, year=2021), counts(56, 44, year=2022)]
    r = one(gender_flags(observations(rows), settings=GENDER), "999100", 2022)
    assert r["underrepresented"] == "men"
    assert r["trend_pp_per_year"] == pytest.approx(7.0) and r["trend"] == "rising"
    # given percentages count as history too: women 20 % and 25 % given -> 5 pp a year
    given = [
        observation(level="programme", unit_code="G", year=2021, share_women_given_pct=20.0),
        observation(level="programme", unit_code="G", year=2022, share_women_given_pct=25.0),
    ]
    assert one(gender_flags(observations(given), settings=GENDER), "G")["trend_pp_per_year"] == pytest.approx(5.0)
    # and for men: 70 % and 65 % women given -> men 30 % and 35 % (the rest): +5 pp a year
    given = [
        observation(level="programme", unit_code="H", year=2021, share_women_given_pct=70.0),
        observation(level="programme", unit_code="H", year=2022, share_women_given_pct=65.0),
    ]
    h = one(gender_flags(observations(given), settings=GENDER), "H")
    assert h["underrepresented"] == "men" and h["trend_pp_per_year"] == pytest.approx(5.0)


# --- the field benchmark ----------------------------------------------------------------------------


def test_the_field_benchmark_from_counts_pools_one_dbh_table_across_file_formats():
    rows = [
        # field 51 (NUS 651xxx), DBH table 110 read from JSON and from CSV: one table
        counts(30, 70, **programme("P1", "651101"), source_kind="dbh-110-json"),
        counts(50, 50, **programme("P2", "651202"), source_kind="dbh-110-csv", institution_code="1110"),
        # the same field from another table is another benchmark
        counts(10, 10, **programme("P3", "651303"), source_kind="dbh-123"),
        # another field
        counts(60, 40, **programme("P4", "652101"), source_kind="dbh-110-json"),
    ]
    flags = gender_flags(observations(rows), settings=GENDER)
    p1, p2, p3, p4 = (one(flags, u) for u in ("P1", "P2", "P3", "P4"))
    # table 110, field 51: (30 + 50) women of (100 + 100) = 0.40, two programmes at two institutions
    assert (p1["field_programmes"], p1["field_institutions"], p1["field_total"]) == (2, 2, 200)
    assert p1["field_share_women"] == pytest.approx(0.4) and p1["field_basis"] == "counts"
    # P1's under-represented gender is women: 0.30 − 0.40 = −10 pp
    assert p1["field_underrepresented_share"] == pytest.approx(0.4)
    assert p1["field_distance_pp"] == pytest.approx(-10.0)
    # P2 is 50/50: no under-represented gender, so no distance
    assert pd.isna(p2["field_underrepresented_share"]) and pd.isna(p2["field_distance_pp"])
    # P3 alone in table 123: 10 of 20
    assert (p3["field_programmes"], p3["field_total"], p3["field_share_women"]) == (1, 20, 0.5)
    # P4 alone in field 52 with 60 women of 100, men under-represented: the field's men are
    # 1 − 0.60 = 0.40, the distance 0.40 − 0.40 = 0
    assert p4["field_share_women"] == pytest.approx(0.6)
    assert p4["field_underrepresented_share"] == pytest.approx(0.4) and p4["field_distance_pp"] == pytest.approx(0.0)


def test_the_field_benchmark_from_given_percentages_is_weighted_by_totals():
    rows = [
        # field 53, only percentages: 30 % of 100 and 60 % of 300 -> (30 + 180) / 400 = 0.525
        observation(**programme("Q1", "653101"), total=100, share_women_given_pct=30.0),
        observation(**programme("Q2", "653202"), total=300, share_women_given_pct=60.0),
        # field 54: counts beat percentages: 20 of 100 counted; the 50 % programme is left out
        counts(20, 80, **programme("Q3", "654101")),
        observation(**programme("Q4", "654202"), total=100, share_women_given_pct=50.0),
    ]
    flags = gender_flags(observations(rows), settings=GENDER)
    q1, q2, q3, q4 = (one(flags, u) for u in ("Q1", "Q2", "Q3", "Q4"))
    assert (q1["field_basis"], q1["field_programmes"], q1["field_total"]) == ("given_pct", 2, 400)
    assert q1["field_institutions"] == 1
    assert q1["field_share_women"] == pytest.approx(0.525)
    # Q1: women under-represented at 30 %: 30 − 52.5 = −22.5 pp; Q2: men 40 % vs the field's
    # men 47.5 %: −7.5 pp
    assert q1["field_distance_pp"] == pytest.approx(-22.5)
    assert q2["field_underrepresented_share"] == pytest.approx(0.475) and q2["field_distance_pp"] == pytest.approx(-7.5)
    assert (q3["field_basis"], q3["field_programmes"], q3["field_total"], q3["field_share_women"]) == (
        "counts",
        1,
        100,
        0.2,
    )
    assert q4["field_share_women"] == pytest.approx(0.2)  # judged against the counted programmes
    # department rows have no field benchmark
    dept = one(gender_flags(observations([counts(30, 70)]), settings=GENDER), "999100")
    assert pd.isna(dept["field_share_women"]) and pd.isna(dept["field_basis"])


def test_the_field_benchmark_leaves_out_programmes_without_a_share():
    rows = [
        # field 55, percentages only: 40 % of 100, 60 % of 50 and 100 % of 1 -> (40 + 30 + 1) /
        # 151; a programme with a total but neither counts nor a percentage adds nothing, nor
        # does a percentage without a total (it has no weight)
        observation(**programme("R1", "655101"), total=100, share_women_given_pct=40.0),
        observation(**programme("R2", "655202"), total=50, share_women_given_pct=60.0),
        observation(**programme("R3", "655303"), total=80),
        observation(**programme("R7", "655404"), total=1, share_women_given_pct=100.0),
        observation(**programme("R8", "655505"), share_women_given_pct=50.0),
        # field 56, counts: 10 women of 25 and 1 of 1 -> 11 of 26; an empty programme (0 of 0)
        # has no share and is not one of the field's programmes
        counts(10, 15, **programme("R4", "656101")),
        counts(1, 0, **programme("R5", "656202")),
        counts(0, 0, **programme("R6", "656303")),
    ]
    flags = gender_flags(observations(rows), settings=GENDER)
    r1, r4 = one(flags, "R1"), one(flags, "R4")
    assert (r1["field_basis"], r1["field_programmes"], r1["field_total"]) == ("given_pct", 3, 151)
    assert r1["field_share_women"] == pytest.approx(71 / 151)
    assert (r4["field_basis"], r4["field_programmes"], r4["field_total"]) == ("counts", 2, 26)
    assert r4["field_share_women"] == pytest.approx(11 / 26)


def test_a_field_of_one_programme_with_a_percentage_is_benchmarked_by_it():
    # field 57 has one programme, known by its percentage only (35 % of 40): the field is that
    # programme, 35 % of 40, with one programme and one institution; its distance is 0 pp
    rows = [observation(**programme("S1", "657101"), total=40, share_women_given_pct=35.0)]
    s1 = one(gender_flags(observations(rows), settings=GENDER), "S1")
    assert (s1["field_basis"], s1["field_programmes"], s1["field_institutions"], s1["field_total"]) == (
        "given_pct",
        1,
        1,
        40,
    )
    assert s1["field_share_women"] == pytest.approx(0.35) and s1["field_distance_pp"] == pytest.approx(0.0)


def test_the_distance_to_the_field_is_published_to_six_decimals():
    # field 58 from counts: T1 1 woman of 3, T2 1 woman of 1 -> 2 of 4 = 0.5. T1's women are
    # under-represented at 1/3: (1/3 − 1/2) × 100 = −16.666…7 pp, published as −16.666667
    rows = [counts(1, 2, **programme("T1", "658101")), counts(1, 0, **programme("T2", "658202"))]
    t1 = one(gender_flags(observations(rows), settings=GENDER), "T1")
    assert t1["field_share_women"] == 0.5
    assert t1["field_distance_pp"] == -16.666667


def test_a_frame_built_by_hand_is_named_in_its_errors():
    """Observations and name tables built in a notebook have no source file: an error names
    what they are, "(gender observations)" or "(faculties)", where a reader's rows name their
    file."""
    from analysis.errors import InputError

    obs = observations([counts(10, 90)])
    bad = obs.drop(columns=["source_file"]).assign(measure="bogus")
    with pytest.raises(InputError) as err:
        gender_flags(bad, settings=GENDER)
    assert any(str(p).startswith("(gender observations):2:measure: 'bogus'") for p in err.value.problems)
    faculties = pd.DataFrame({"institution_code": ["1150"], "faculty_code": ["1x"]})
    with pytest.raises(InputError) as err:
        gender_flags(obs, settings=GENDER, faculties=faculties)
    assert "(faculties):2:faculty_code: '1x' — must be 3 digits" in "\n".join(map(str, err.value.problems))


# --- the table ---------------------------------------------------------------------------------------


def test_rows_are_ordered_by_unit_and_measure_then_year():
    rows = [
        counts(10, 90, unit_code="160200", year=2022),
        counts(10, 90, unit_code="160100", year=2023),
        counts(10, 90, unit_code="160100", year=2021),
        counts(10, 90, unit_code="160100", year=2022, measure="admitted"),
    ]
    flags = gender_flags(observations(rows), settings=GENDER)
    assert [(r["unit_code"], r["measure"], r["year"]) for _, r in flags.iterrows()] == [
        ("160100", "admitted", 2022),
        ("160100", "registered", 2021),
        ("160100", "registered", 2023),
        ("160200", "registered", 2022),
    ]
    assert list(flags.index) == [0, 1, 2, 3]


def test_a_unit_without_an_institution_code_comes_first_among_its_level():
    # two programmes, one of them from a source without institution codes (the seed): rows
    # are ordered by level, then institution with a missing code first, then unit
    rows = [
        counts(10, 90, **programme("A", "651101"), institution_code="1110"),
        counts(10, 90, **programme("B", "651202"), institution_code=None),
    ]
    flags = gender_flags(observations(rows), settings=GENDER)
    programmes = flags[flags["level"] == "programme"]
    assert list(programmes["unit_code"]) == ["B", "A"]


# --- the threshold and the interval at their edges ----------------------------------------------


@pytest.mark.parametrize(
    "threshold",
    [Fraction(0), Fraction(1), 0, 1, 1.5, -0.4, Fraction(3, 5), 0.6, Fraction(51, 100), Fraction(99, 100), 0.005],
)
def test_a_threshold_the_settings_refuse_is_refused_made_in_code_too(threshold):
    """A threshold made in code has the settings' range, 1 % to 50 % (``threshold_pct``,
    ``--threshold``): at 0 nothing could be below it; above 1/2 every unit is, as the
    under-represented gender is at most half. 3/5 (60 %) was taken from code, where a settings
    file or --threshold 60 is refused, and flagged every unit."""
    with pytest.raises(ValueError, match=r"threshold must be a share from 0\.01 to 0\.5 \(0\.4 for 40 %"):
        gender_flags(observations([counts(40, 60)]), settings=GenderSettings(threshold=threshold))


def test_a_threshold_at_the_edges_is_used():
    # 1/100: 0 of 100 women is below it, 1 of 100 is not; 1/2: 49 of 100 is below it, 50 of 100
    # (half, at the threshold exactly) is not
    flags = gender_flags(
        observations([counts(0, 100), counts(1, 99, unit_code="999200")]),
        settings=GenderSettings(threshold=Fraction(1, 100)),
    )
    assert (one(flags, "999100")["status"], one(flags, "999200")["status"]) == ("flagged", "ok")
    high = gender_flags(
        observations([counts(49, 51), counts(50, 50, unit_code="999200")]),
        settings=GenderSettings(threshold=Fraction(1, 2)),
    )
    assert (one(high, "999100")["status"], one(high, "999200")["status"]) == ("flagged", "ok")


def test_the_wilson_interval_of_no_women_starts_at_zero():
    # 0 of 21 at 95 %: p = 0, so centre = half = (z²/42) / (1 + z²/21) and the interval is
    # [0, z²/(21 + z²)] = [0, 3.841459 / 24.841459] = [0, 0.154639]. In floating point
    # centre − half comes out just below 0 for 21 students: the bound must still be 0.
    r = one(gender_flags(observations([counts(0, 21)]), settings=GENDER), "999100")
    assert r["ci_low"] == 0
    assert r["ci_high"] == pytest.approx(0.154639, abs=2e-6)
    assert r["status"] == "flagged" and bool(r["borderline"]) is False


# --- every level in one table ---------------------------------------------------------------------


def test_all_levels_is_each_level_once_with_the_programmes_once():
    """The derived table the report reads: department, faculty and institution rows, and the
    programme rows (which every level's call returns) once, numbered 0, 1, 2, …"""
    rows = [
        counts(10, 30, unit_code="170100"),
        counts(20, 20, unit_code="170200"),
        counts(5, 5, unit_code="180100"),
        counts(40, 10, **programme("P7", "651101"), faculty_code="170"),
    ]
    flags = gender_flags_all_levels(observations(rows), GENDER)
    # sorted by level, as one level's call sorts its rows: the departments, the faculties 170
    # and 180, the institution, then the programme
    assert list(flags["level"]) == ["department"] * 3 + ["faculty"] * 2 + ["institution", "programme"]
    assert list(flags.index) == list(range(7))
    assert list(flags["unit_code"]) == ["170100", "170200", "180100", "170", "180", "1150", "P7"]
    # faculty 170: 10 + 20 = 30 women of 80 (37.5 %): flagged; faculty 180: 5 of 10: ok;
    # institution: 35 women of 90 (38.9 %): flagged; P7: 10 men of 50 (20 %): flagged
    assert list(flags["total"]) == [40, 40, 10, 80, 10, 90, 50]
    assert list(flags["status"]) == ["flagged", "ok", "ok", "flagged", "ok", "flagged", "flagged"]
    # the same as one level at a time, and the programme rows as every level's call gives them
    for level in ("department", "faculty", "institution"):
        alone = gender_flags(observations(rows), level=level, settings=GENDER)
        for kind in (level, "programme"):
            expected = alone[alone["level"] == kind].reset_index(drop=True)
            assert flags[flags["level"] == kind].reset_index(drop=True).equals(expected), (level, kind)


def test_a_faculty_is_named_by_its_own_unit_as_that_unit_names_itself():
    """Faculty 170 without a table-210 name takes the name of its own unit 170000, and that
    unit's own row names it before a programme row that names it otherwise: at the faculty
    level alone and in the table of every level (where the department rows are judged beside
    it), the same name as the department 170000 itself."""
    rows = [
        counts(10, 30, unit_code="170000", unit_name="Fakultet A (its own row)"),
        counts(20, 20, unit_code="170100"),
        counts(10, 40, **programme("P1", "651101"), department_code="170000", department_name="Fakultet A (programme)"),
    ]
    alone = gender_flags(observations(rows), level="faculty", settings=GENDER)
    every = gender_flags_all_levels(observations(rows), GENDER)
    for flags in (alone, every):
        faculty = flags[flags["level"] == "faculty"]
        assert faculty["unit_name"].tolist() == ["Fakultet A (its own row)"]
    department = every[(every["level"] == "department") & (every["unit_code"] == "170000")]
    assert department["unit_name"].tolist() == ["Fakultet A (its own row)"]


def test_no_observations_give_no_flags():
    """A gender table with its header only: no rows at any level, and no error."""
    empty = observations([counts(3, 7, unit_code="170100")]).iloc[:0]
    assert gender_flags(empty, settings=GENDER).empty
    assert gender_flags(empty, level="faculty", settings=GENDER).empty
    assert gender_flags_all_levels(empty, GENDER).empty


def test_an_empty_unit_is_judged_without_a_warning_in_the_terminal():
    """A unit with no students (total 0) has no share; working it out must not divide by zero
    (numpy would print a RuntimeWarning into the adviser's terminal)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        flags = gender_flags(
            observations([counts(0, 0, unit_code="170100"), counts(1, 1, unit_code="170200")]), settings=GENDER
        )
    r = one(flags, "170100")
    assert (r["status"], pd.isna(r["share_women"]), pd.isna(r["ci_low"])) == ("unknown", True, True)
    # 0 women and 0 men are equal, but with nobody there is no under-represented gender
    assert pd.isna(r["underrepresented"]) and pd.isna(r["students_needed"])
    assert r["reason"] == "0–2 students: DBH shows fewer than 3 students as 0 (suppressed)"


def test_a_percentage_rounded_onto_the_threshold_is_ok_and_borderline():
    """A bad-input hunt (2026-12-04): Samordna's "40,0 %" of 2 503 applicants may be 1 000 to
    1 002 women, 39.95 % to 40.03 %: judged as given it is ok (40 % is not below 40 %), but
    nothing said it might be below. Borderline is true where the share's rounding (± half a unit
    of its last decimal) holds the threshold, by hand:

    * 40,0 % (1 decimal): 39.95–40.05 % women holds 40 % → ok, borderline;
    * 39,9 %: 39.85–39.95 % → flagged, not borderline; 40,1 %: 40.05–40.15 % → ok, not;
    * 40 % (0 decimals): 39.5–40.5 % → borderline; 41 %: 40.5–41.5 % → not;
    * 60,0 % women: men 39.95–40.05 % → ok, borderline;
    * 40,0 % with the decimals not known (a workbook's number cell): borderline unknown."""
    rows = [
        observation(level="programme", unit_code=code, total=2503, share_women_given_pct=pct)
        for code, pct in [("A", 40.0), ("B", 39.9), ("C", 40.1), ("D", 40.0), ("E", 41.0), ("F", 60.0), ("G", 40.0)]
    ]
    frame = observations(rows)
    frame["share_women_given_decimals"] = pd.array([1, 1, 1, 0, 0, 1, None], dtype="Int64")
    flags = gender_flags(frame, settings=GENDER)
    judged = {u: (one(flags, u)["status"], one(flags, u)["borderline"]) for u in "ABCDEFG"}
    assert {u: (s, bool(b)) for u, (s, b) in judged.items() if u != "G"} == {
        "A": ("ok", True),
        "B": ("flagged", False),
        "C": ("ok", False),
        "D": ("ok", True),
        "E": ("ok", False),
        "F": ("ok", True),
    }
    assert judged["G"][0] == "ok" and pd.isna(judged["G"][1])


def test_a_rounded_percentage_at_a_rounding_edge_of_the_threshold_is_not_borderline():
    """A third reader (2026-12-04): with a threshold of 37.5 %, "37 %" was borderline, but 37.5 %
    is written "38 %" rounded half up or to even, so "37 %" (36.5–37.5 %, the ends excluded) is
    below for certain: flagged, not borderline; "38 %" (37.5–38.5 %) is not below: ok, not
    borderline. At a threshold of 50 %, "50,0 %" (49.95–50.05 %) may be below or exactly half:
    borderline."""
    rows = [
        observation(level="programme", unit_code=code, total=1000, share_women_given_pct=pct)
        for code, pct in [("A", 37.0), ("B", 38.0), ("C", 50.0), ("D", 63.0)]
    ]
    frame = observations(rows)
    frame["share_women_given_decimals"] = pd.array([0, 0, 1, 0], dtype="Int64")
    flags = gender_flags(frame, settings=GenderSettings(threshold=Fraction(375, 1000)))
    judged = {u: (one(flags, u)["status"], bool(one(flags, u)["borderline"])) for u in "ABD"}
    # D: 63 % women, men 36.5–37.5 %, ends excluded: below, as A
    assert judged == {"A": ("flagged", False), "B": ("ok", False), "D": ("flagged", False)}
    half = gender_flags(frame, settings=GenderSettings(threshold=Fraction(1, 2)))
    assert (one(half, "C")["status"], bool(one(half, "C")["borderline"])) == ("ok", True)
