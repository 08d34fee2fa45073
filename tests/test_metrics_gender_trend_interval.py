"""The trend over years known only as an interval (a faculty with suppressed departments inside).

Least squares is linear in the shares: with the years at ``x`` (relative to the row's year), the
slope is ``Σ w·y`` with ``w = (x − x̄) / Σ(x − x̄)²``. So the least slope the intervals leave takes
each year's low end where ``w > 0`` and its high end where ``w < 0`` (the most the other way
round), and a word is given only where every slope of that range has it (``gender.py`` module
docstring). Every expected value is worked out by hand below from those two lines.

The faculty ``999`` is the sum of two departments: ``999100`` with counts and ``999200`` a cell
DBH masked (``suppressed``). Its students are exact (the total is shown), its women anywhere from
999100's women to those and all of 999200's: an interval of shares over the total.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.metrics.gender import gender_flags
from analysis.report.tables import trend_words
from analysis.settings import GenderSettings
from tests.test_rule_boundaries import counts, observations, one, suppressed

#: the default limit: below 1 percentage point a year up or down is flat
GENDER = GenderSettings(trend_window_years=5, trend_flat_pp=1.0)


def faculty_years(known: dict[int, tuple[int, int]], masked: int) -> pd.DataFrame:
    """Per year 999100's (women, men) and 999200 masked with ``masked`` students."""
    rows = []
    for year, (women, men) in known.items():
        rows.append(counts(women, men, unit_code="999100", year=year))
        rows.append(suppressed(masked, unit_code="999200", year=year))
    return observations(rows)


def faculty_2022(known: dict[int, tuple[int, int]], masked: int) -> pd.Series:
    return one(gender_flags(faculty_years(known, masked), level="faculty", settings=GENDER), "999", 2022)


def test_intervals_all_above_the_limit_are_rising():
    """2020: 20 women and 76 men shown, 4 masked: 20–24 of 100, 20–24 %. 2021: 24 + 72 + 4:
    24–28 %. 2022: 30 + 66 + 4: 30–34 %. Women are under-represented (at most 34 of 100).

    x = −2, −1, 0 (x̄ = −1, Σ(x − x̄)² = 2): w = −½, 0, ½ — the slope is half 2022's share less
    2020's, 2021 does not count. Least: ½·30 − ½·24 = 3.0 pp a year (2022 low, 2020 high); most:
    ½·34 − ½·20 = 7.0. All of 3.0–7.0 is at least the limit 1.0 and above 0: rising. No year
    has an exact share: before, "too few years with a known share"."""
    r = faculty_2022({2020: (20, 76), 2021: (24, 72), 2022: (30, 66)}, masked=4)
    assert r["underrepresented"] == "women" and pd.isna(r["share_women"])
    assert r["trend"] == "rising"
    assert (r["trend_pp_low"], r["trend_pp_high"]) == (pytest.approx(3.0), pytest.approx(7.0))
    # no one slope is known: the column of the slope stays missing, the range says what is
    assert pd.isna(r["trend_pp_per_year"])
    assert trend_words(r["trend"], r["underrepresented"], "nb") == "kvinneandelen øker"


def test_intervals_straddling_the_limit_give_no_word():
    """As above, but 2022 is 22 + 74 + 4: 22–26 %. Least: ½·22 − ½·24 = −1.0; most: ½·26 −
    ½·20 = 3.0. The range holds falling (−1.0), flat (0) and rising (3.0) slopes: no word, and
    the report says the masked counts leave it open, with the range (not "too few years")."""
    r = faculty_2022({2020: (20, 76), 2021: (24, 72), 2022: (22, 74)}, masked=4)
    assert (r["trend_pp_low"], r["trend_pp_high"]) == (pytest.approx(-1.0), pytest.approx(3.0))
    assert pd.isna(r["trend"]) and pd.isna(r["trend_pp_per_year"])
    words = trend_words(r["trend"], r["underrepresented"], "nb", r["trend_pp_low"], r["trend_pp_high"])
    assert words == "uavklart: de skjermede tallene gir mellom -1,0 og 3,0 prosentpoeng per år"
    en = trend_words(r["trend"], r["underrepresented"], "en", r["trend_pp_low"], r["trend_pp_high"])
    assert en == "open: the suppressed counts leave -1.0 to 3.0 percentage points a year"
    # the ends rounded outwards: a range across the limit 1.0 never reads "1,0 og 1,0" (nor 0.78
    # to 1.03 "0,8 og 1,0", as if it stayed below the limit)
    assert trend_words(None, "women", "nb", 0.983575, 1.014113).endswith("mellom 0,9 og 1,1 prosentpoeng per år")
    assert trend_words(None, "women", "nb", 0.779053, 1.027192).endswith("mellom 0,7 og 1,1 prosentpoeng per år")


@pytest.mark.parametrize(
    ("women_2022", "masked", "low", "high", "word"),
    [
        # 2022 26 + 70 + 4: 26–30 %; least ½·26 − ½·24 = 1.0 (at the limit: 1.0 is not below
        # 1.0, rising), most ½·30 − ½·20 = 5.0
        (26, 4, 1.0, 5.0, "rising"),
        # 1 masked: 2020 20–21 % (20 + 79 + 1), 2022 20–21 % (20 + 79 + 1): ½·20 − ½·21 = −0.5
        # to ½·21 − ½·20 = 0.5, all below 1.0 in absolute value: flat
        (20, 1, -0.5, 0.5, "flat"),
        # 1 masked, 2022 17–18 %: ½·17 − ½·21 = −2.0 to ½·18 − ½·20 = −1.0 (at the limit): falling
        (17, 1, -2.0, -1.0, "falling"),
    ],
)
def test_the_limit_holds_at_the_ends_of_the_range(women_2022, masked, low, high, word):
    known = {
        2020: (20, 100 - 20 - masked),
        2021: (24, 100 - 24 - masked),
        2022: (women_2022, 100 - women_2022 - masked),
    }
    r = faculty_2022(known, masked=masked)
    assert r["trend"] == word
    assert (r["trend_pp_low"], r["trend_pp_high"]) == (pytest.approx(low), pytest.approx(high))


def test_an_exact_series_keeps_its_slope_and_a_masked_year_is_left_out():
    """Department 999100 alone, exact: 20 of 96 (20.8333 %), 24 of 96 (25 %), 30 of 96 (31.25 %):
    (31.25 − 20.8333) / 2 = 5.208333 pp a year, rising; its range is that one slope. A
    department with 2021 masked (nothing of its share shown: 0–100 %) has its slope from the
    other two years, as before: 20 % and 30 % of 100 two years apart, 5.0 pp a year."""
    flags = gender_flags(faculty_years({2020: (20, 76), 2021: (24, 72), 2022: (30, 66)}, masked=4), settings=GENDER)
    r = one(flags, "999100", 2022)
    assert r["trend_pp_per_year"] == pytest.approx(5.208333, abs=1e-6) and r["trend"] == "rising"
    assert r["trend_pp_low"] == r["trend_pp_per_year"] == r["trend_pp_high"]
    rows = [counts(20, 80, year=2020), suppressed(100, year=2021), counts(30, 70, year=2022)]
    gap = one(gender_flags(observations(rows), settings=GENDER), "999100", 2022)
    assert gap["trend_pp_per_year"] == pytest.approx(5.0) and gap["trend"] == "rising"


def test_shares_given_as_percentages_keep_their_slope():
    """Samordna's percentages (no counts, no interval): women 20 %, 25 %, 31 % given in
    2020–2022: (31 − 20) / 2 = 5.5 pp a year, rising, as before."""
    from tests.test_rule_boundaries import observation

    rows = [
        observation(level="programme", unit_code="G", year=y, share_women_given_pct=p)
        for y, p in ((2020, 20.0), (2021, 25.0), (2022, 31.0))
    ]
    r = one(gender_flags(observations(rows), settings=GENDER), "G", 2022)
    assert r["trend_pp_per_year"] == pytest.approx(5.5) and r["trend"] == "rising"
    assert r["trend_pp_low"] == r["trend_pp_high"] == r["trend_pp_per_year"]


def test_a_unit_of_as_many_women_as_men_has_no_under_represented_gender_to_follow():
    """50 of 100 women: no gender is under-represented. Its trend is not "not known which gender"
    (it is known: neither), and the words say so, of that year: the history holds every year's row,
    and "i år" (this year) read as the report year on a row of 2022 in a later report."""
    rows = [counts(45, 55, year=2021), counts(50, 50, year=2022)]
    r = one(gender_flags(observations(rows), settings=GENDER), "999100", 2022)
    assert r["underrepresented"] == "none" and pd.isna(r["trend"])
    assert trend_words(r["trend"], r["underrepresented"], "nb") == "ingen: like mange kvinner og menn det året"
    assert trend_words(r["trend"], r["underrepresented"], "en") == "none: as many women as men that year"


def test_the_range_columns_show_the_range_the_words_give():
    """2020: 500 women and 1998 men shown, 2 masked: 500–502 of 2500, 20.00–20.08 %. 2022: 550 +
    1948 + 2: 22.00–22.08 %. Least ½·22.00 − ½·20.08 = 0.96, most ½·22.08 − ½·20.00 = 1.04: across
    the limit 1.0, no word, and the words round outwards, "0,9 og 1,1". The columns "at least" and
    "at most" said "1,0" and "1,0" beside it (rounded to the nearest tenth), which reads as one
    slope at the limit: they show the same 0.9 and 1.1. An exact slope stays as it is rounded."""
    from analysis.charts.labels import label
    from analysis.report.tables import GENDER as COLUMNS
    from analysis.report.tables import display_frame, people_table

    observed = faculty_years({2020: (500, 1998), 2021: (525, 1973), 2022: (550, 1948)}, masked=2)
    flags = pd.concat(
        [gender_flags(observed, level=level, settings=GENDER) for level in ("faculty", "department")], ignore_index=True
    )
    flags = flags[flags["year"] == 2022].reset_index(drop=True)
    faculty = flags.index[flags["unit_code"] == "999"][0]
    r = flags.loc[faculty]
    assert (r["trend_pp_low"], r["trend_pp_high"]) == (pytest.approx(0.96), pytest.approx(1.04))
    words = trend_words(r["trend"], r["underrepresented"], "nb", r["trend_pp_low"], r["trend_pp_high"])
    assert words == "uavklart: de skjermede tallene gir mellom 0,9 og 1,1 prosentpoeng per år"
    table = people_table(flags, COLUMNS, "nb", levels={"gender": 0.95})
    low, high = label("col_trend_pp_low", "nb"), label("col_trend_pp_high", "nb")
    assert (table.frame.at[faculty, low], table.frame.at[faculty, high]) == (pytest.approx(0.9), pytest.approx(1.1))
    shown = display_frame(table, "nb")
    assert (shown.at[faculty, low], shown.at[faculty, high]) == ("0,9", "1,1")
    # 999100 alone, exact: (550/2498 − 500/2498) / 2 = 1.000801 pp a year, its range that slope
    department = flags.index[flags["unit_code"] == "999100"][0]
    slope = label("col_trend_pp_per_year", "nb")
    assert flags.at[department, "trend_pp_per_year"] == pytest.approx(50 / 2498 / 2 * 100, abs=1e-6)
    assert shown.at[department, slope] == shown.at[department, low] == shown.at[department, high] == "1,0"


def test_a_range_with_a_word_is_rounded_as_a_slope_is():
    """2020: 1500 women, 3497 men, 3 masked: 1500–1503 of 5000, 30.00–30.06 %. 2022: 1410 + 3587 +
    3: 28.20–28.26 %. Least ½·28.20 − ½·30.06 = −0.93, most ½·28.26 − ½·30.00 = −0.87: flat, every
    slope of it above −1.0. Rounded outwards its least would read "-1,0", the limit, beside
    "stabil"; a range with a word is rounded as a slope is: "-0,9" and "-0,9"."""
    from analysis.charts.labels import label
    from analysis.report.tables import GENDER as COLUMNS
    from analysis.report.tables import display_frame, people_table

    observed = faculty_years({2020: (1500, 3497), 2021: (1455, 3542), 2022: (1410, 3587)}, masked=3)
    flags = gender_flags(observed, level="faculty", settings=GENDER)
    flags = flags[flags["year"] == 2022].reset_index(drop=True)
    assert (flags.at[0, "trend_pp_low"], flags.at[0, "trend_pp_high"]) == (pytest.approx(-0.93), pytest.approx(-0.87))
    assert flags.at[0, "trend"] == "flat"
    shown = display_frame(people_table(flags, COLUMNS, "nb", levels={"gender": 0.95}), "nb")
    assert shown.at[0, label("col_trend", "nb")] == "kvinneandelen er stabil"
    assert (shown.at[0, label("col_trend_pp_low", "nb")], shown.at[0, label("col_trend_pp_high", "nb")]) == (
        "-0,9",
        "-0,9",
    )
