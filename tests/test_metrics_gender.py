"""Gender-imbalance flags, read like the policy: "less than 40 % of the under-represented gender".

Every expected value is derived by hand in a comment from the policy or the source table.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from analysis.errors import InputError
from analysis.metrics.gender import gender_flags
from analysis.settings import GenderSettings

GENDER = GenderSettings()  # the policy's 40 %, as the entry point resolves it without a settings file

RAW = Path("/work/shared/data/raw")
DBH_123 = RAW / "dbh_api" / "dbh_api_t123_1150.json"
DBH_210 = RAW / "dbh_api" / "dbh_api_t210_1150.json"

SEED = {  # the seed's table, share of women admitted in hovedopptak (DOMAIN.md)
    "Kybernetikk": {2007: 13, 2016: 20, 2017: 30, 2018: 40},
    "Datateknologi": {2007: 5, 2016: 22, 2017: 27, 2018: 29},
    "Elsys": {2007: 10, 2016: 21, 2017: 24, 2018: 25},
    "Komtek": {2007: 25, 2016: 56, 2017: 43, 2018: 39},
    "Ada- siv.ing": {2007: 11, 2016: 25, 2017: 29, 2018: 33},
}


def observation(**kw) -> dict:
    row = dict(
        source_file="test.csv",
        source_row=2,
        source_kind="test",
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


def frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["source_row"] = range(2, len(df) + 2)
    return df


def counts(women: int, men: int, **kw) -> dict:
    return observation(total=women + men, women=women, men=men, **kw)


def seed_observations() -> pd.DataFrame:
    # what the seed reader gives: programme rows with only the given percentage
    return frame(
        [
            observation(
                source_kind="seed-admission",
                institution_code=None,
                institution_name=None,
                level="programme",
                unit_code=name,
                unit_name=name,
                year=year,
                measure="admitted",
                share_women_given_pct=float(pct),
            )
            for name, by_year in SEED.items()
            for year, pct in by_year.items()
        ]
    )


def row(flags: pd.DataFrame, unit: str, year: int) -> pd.Series:
    hit = flags[(flags["unit_code"] == unit) & (flags["year"] == year)]
    assert len(hit) == 1, f"{unit} {year}: {len(hit)} rows"
    return hit.iloc[0]


# --- the seed's table ---------------------------------------------------------------------------


def test_seed_2018_forty_percent_exactly_is_ok_and_the_rest_are_flagged():
    flags = gender_flags(seed_observations(), settings=GENDER)
    # 40 % is not below 40 %
    assert row(flags, "Kybernetikk", 2018)["status"] == "ok"
    # 29, 25, 39 and 33 % are below 40 %
    for unit in ["Datateknologi", "Elsys", "Komtek", "Ada- siv.ing"]:
        r = row(flags, unit, 2018)
        assert r["status"] == "flagged", unit
        assert r["underrepresented"] == "women"


def test_seed_2016_komtek_men_are_underrepresented_at_44_percent_and_ok():
    r = row(gender_flags(seed_observations(), settings=GENDER), "Komtek", 2016)
    # 56 % women -> men 100 − 56 = 44 %, which is not below 40 %
    assert r["underrepresented"] == "men"
    assert r["underrepresented_share"] == pytest.approx(0.44)
    assert r["share_women"] == pytest.approx(0.56)
    assert r["status"] == "ok"


def test_seed_2007_all_five_flagged():
    flags = gender_flags(seed_observations(), settings=GENDER)
    y2007 = flags[flags["year"] == 2007]
    # 13, 5, 10, 25, 11 % women: all below 40 %
    assert len(y2007) == 5
    assert (y2007["status"] == "flagged").all()


def test_shares_only_have_no_students_needed_and_no_interval():
    flags = gender_flags(seed_observations(), settings=GENDER)
    assert flags["students_needed"].isna().all()
    assert flags["ci_low"].isna().all()
    assert (flags["share_basis"] == "given_pct").all()


def test_consecutive_years_flagged_counts_calendar_years():
    flags = gender_flags(seed_observations(), settings=GENDER)
    # Datateknologi flagged 2016, 2017, 2018; 2007 is not adjacent -> 3 in 2018, 1 in 2007
    assert row(flags, "Datateknologi", 2018)["consecutive_years_flagged"] == 3
    assert row(flags, "Datateknologi", 2007)["consecutive_years_flagged"] == 1
    # Komtek 2017 ok (43 %), 2018 flagged -> 1; Kybernetikk 2018 ok -> 0
    assert row(flags, "Komtek", 2018)["consecutive_years_flagged"] == 1
    assert row(flags, "Kybernetikk", 2018)["consecutive_years_flagged"] == 0


def test_trend_is_the_slope_of_the_underrepresented_share():
    flags = gender_flags(seed_observations(), settings=GENDER)
    # Datateknologi, window 2014–2018: (2016, 22), (2017, 27), (2018, 29); x̄ = 2017, ȳ = 26;
    # Σ(x−x̄)(y−ȳ) = (−1)(−4) + 0 + (1)(3) = 7, Σ(x−x̄)² = 2 -> 3.5 pp per year, rising
    r = row(flags, "Datateknologi", 2018)
    assert r["trend_pp_per_year"] == pytest.approx(3.5)
    assert r["trend"] == "rising"
    # only one year in the window (2007) -> no trend
    assert pd.isna(row(flags, "Datateknologi", 2007)["trend_pp_per_year"])


# --- exact threshold and students needed --------------------------------------------------------


@pytest.mark.parametrize(
    "women, men, status, under, needed",
    [
        # (20 + k) / (100 + k) ≥ 2/5 <=> 100 + 5k ≥ 200 + 2k <=> k ≥ 33⅓ -> 34
        (20, 80, "flagged", "women", 34),
        # 40 of 100 is exactly 40 %: ok, none needed
        (40, 60, "ok", "women", 0),
        # 39 of 100: 5(39 + k) ≥ 2(100 + k) <=> 3k ≥ 5 -> 2
        (39, 61, "flagged", "women", 2),
        # men under-represented: 5(25 + k) ≥ 2(100 + k) <=> 3k ≥ 75 -> 25, giving exactly 50/125 = 40 %
        (75, 25, "flagged", "men", 25),
        # 2 of 5 is exactly 40 %
        (3, 2, "ok", "men", 0),
        # 50/50: nobody is under-represented
        (50, 50, "ok", "none", 0),
    ],
)
def test_status_and_students_needed(women, men, status, under, needed):
    r = gender_flags(frame([counts(women, men)]), settings=GENDER).iloc[0]
    assert r["status"] == status
    assert r["underrepresented"] == under
    assert r["students_needed"] == needed
    assert r["share_women"] == pytest.approx(women / (women + men))


def test_forty_percent_given_as_a_percentage_is_ok():
    flags = gender_flags(
        frame(
            [
                observation(level="programme", unit_code="P", share_women_given_pct=40.0),
                observation(level="programme", unit_code="Q", share_women_given_pct=39.9),
                observation(level="programme", unit_code="R", share_women_given_pct=60.0),
                observation(level="programme", unit_code="S", share_women_given_pct=60.1),
            ]
        ),
        settings=GENDER,
    )
    assert row(flags, "P", 2022)["status"] == "ok"
    assert row(flags, "Q", 2022)["status"] == "flagged"
    # 60 % women -> men 40 % exactly: ok; 60.1 % women -> men 39.9 %: flagged
    assert row(flags, "R", 2022)["status"] == "ok"
    assert row(flags, "S", 2022)["status"] == "flagged"
    assert row(flags, "S", 2022)["underrepresented"] == "men"


def test_another_threshold_is_used_exactly():
    # 45 of 100 women: ok at 40 %, flagged at 50 %
    assert (
        gender_flags(frame([counts(45, 55)]), settings=GenderSettings(threshold=Fraction(1, 2))).iloc[0]["status"]
        == "flagged"
    )
    assert gender_flags(frame([counts(45, 55)]), settings=GENDER).iloc[0]["status"] == "ok"


def test_empty_unit_is_unknown_never_zero_percent():
    r = gender_flags(frame([counts(0, 0)]), settings=GENDER).iloc[0]
    assert r["status"] == "unknown"
    assert r["reason"].startswith("0–2 students")  # DBH writes 1 or 2 as 0: never "no students"
    assert pd.isna(r["share_women"])
    assert pd.isna(r["students_needed"])


def test_wilson_interval_and_borderline():
    # 38 of 100: p = 0.38, z = 1.96; Wilson centre = (0.38 + 1.96²/200) / (1 + 1.96²/100)
    # = 0.399208/1.038416 = 0.38444; half = 1.96·√(0.38·0.62/100 + 1.96²/40000)/1.038416 = 0.09313
    # -> [0.2913, 0.4776], which contains 0.40: borderline
    r = gender_flags(frame([counts(38, 62)]), settings=GENDER).iloc[0]
    assert r["ci_low"] == pytest.approx(0.2913, abs=5e-4)
    assert r["ci_high"] == pytest.approx(0.4776, abs=5e-4)
    assert bool(r["borderline"]) is True
    # 200 of 1000: interval about [0.176, 0.226], far from 0.40
    assert bool(gender_flags(frame([counts(200, 800)]), settings=GENDER).iloc[0]["borderline"]) is False


@hsettings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)).filter(lambda t: sum(t) > 0), min_size=1, max_size=40)
)
def test_property_flagged_exactly_below_the_threshold(pairs):
    flags = gender_flags(
        frame([counts(w, m, unit_code=f"{900000 + i}") for i, (w, m) in enumerate(pairs)]), settings=GENDER
    )
    for i, (w, m) in enumerate(pairs):
        r = row(flags, f"{900000 + i}", 2022)
        total, under = w + m, min(w, m)
        expected = "flagged" if Fraction(under, total) < Fraction(2, 5) else "ok"
        assert r["status"] == expected
        k = int(r["students_needed"])
        # k reaches the threshold, and k − 1 does not
        assert Fraction(under + k, total + k) >= Fraction(2, 5)
        assert k == 0 or Fraction(under + k - 1, total + k - 1) < Fraction(2, 5)


@hsettings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=40, unique=True))
def test_property_given_percentages_compare_exactly(tenths):
    # one decimal, as Samordna opptak gives it ("34,1 %")
    flags = gender_flags(
        frame([observation(level="programme", unit_code=f"P{t}", share_women_given_pct=t / 10) for t in tenths]),
        settings=GENDER,
    )
    for t in tenths:
        under = min(Fraction(t, 10), 100 - Fraction(t, 10))
        assert row(flags, f"P{t}", 2022)["status"] == ("flagged" if under < 40 else "ok")


# --- aggregates with suppressed departments -----------------------------------------------------


def faculty_of(rows: list[dict], **kw) -> pd.Series:
    flags = gender_flags(frame(rows), level="faculty", settings=GENDER, **kw)
    assert len(flags) == 1
    return flags.iloc[0]


def suppressed(total: int, unit_code: str) -> dict:
    return observation(total=total, unit_code=unit_code, suppressed=True, suppression="small_cell")


def test_faculty_unknown_when_the_suppressed_cell_could_change_the_answer():
    # 30 women / 50 men known + 10 suppressed students: total 90, women in [30, 40];
    # 30/90 = 33 % is flagged, 40/90 = 44 % is ok -> unknown
    r = faculty_of([counts(30, 50, unit_code="999100"), suppressed(10, "999200")])
    assert r["status"] == "unknown"
    assert (r["women_low"], r["women_high"], r["total"]) == (30, 40, 90)
    assert "suppressed" in r["reason"]
    assert pd.isna(r["share_women"])


def test_faculty_decided_when_every_value_in_the_interval_agrees():
    # 10 women / 80 men + 10 suppressed: women in [10, 20] of 100 -> at most 20 %, flagged either way
    r = faculty_of([counts(10, 80, unit_code="999100"), suppressed(10, "999200")])
    assert r["status"] == "flagged"
    assert r["underrepresented"] == "women"
    assert pd.isna(r["students_needed"])


def test_faculty_ok_although_the_underrepresented_gender_switches_inside_the_interval():
    # 40/40 known + 20 suppressed: women in [40, 60] of 100. At 40 women are at 40 %, at 60 men are
    # at 40 %, in between both are above: ok everywhere, but the under-represented gender is open.
    r = faculty_of([counts(40, 40, unit_code="999100"), suppressed(20, "999200")])
    assert r["status"] == "ok"
    assert pd.isna(r["underrepresented"])
    assert r["students_needed"] == 0


def test_faculty_unknown_when_both_ends_are_flagged_but_the_middle_is_not():
    # 10/10 known + 80 suppressed: women in [10, 90] of 100. At 10 women (10 %) and at 90 women
    # (men 10 %) the unit is flagged, at 50 it is not: checking the ends alone would say "flagged".
    r = faculty_of([counts(10, 10, unit_code="999100"), suppressed(80, "999200")])
    assert r["status"] == "unknown"


@hsettings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(1, 40)), min_size=1, max_size=30))
def test_property_aggregate_status_matches_brute_force(cases):
    rows = []
    for i, (known_women, known_men, hidden) in enumerate(cases):
        faculty = f"{100 + i}"  # one faculty per case
        rows += [counts(known_women, known_men, unit_code=f"{faculty}100"), suppressed(hidden, f"{faculty}200")]
    flags = gender_flags(frame(rows), level="faculty", settings=GENDER)
    for i, (known_women, known_men, hidden) in enumerate(cases):
        total = known_women + known_men + hidden
        # a department of 0 students (DBH writes 1 or 2 as 0) holds 0 to 2, of either gender
        more = 2 if known_women + known_men == 0 else 0
        outcomes = set()
        for j in range(hidden + 1):  # every split of the suppressed students
            for e in range(more + 1):  # and of what a row of 0 may hold
                for a in range(e + 1):
                    w, m = known_women + j + a, known_men + hidden - j + e - a
                    outcomes.add(Fraction(min(w, m), total + e) < Fraction(2, 5))
        expected = "unknown" if len(outcomes) == 2 else ("flagged" if outcomes == {True} else "ok")
        assert row(flags, f"{100 + i}", 2022)["status"] == expected, (known_women, known_men, hidden)


# --- the real NTNU DBH data ---------------------------------------------------------------------


def ntnu_observations() -> pd.DataFrame:
    """DBH table 123 for NTNU as the reader's contract has it: a suppressed cell (women and men
    given as 0 while the total is above 0) is unknown, never 0."""
    from analysis.readers.dbh import NO_SPLIT_MIN_TOTAL

    data = json.loads(DBH_123.read_text(encoding="utf-8"))[1:]
    rows = []
    for _i, d in enumerate(data, start=1):
        total, women, men = int(d["Antall totalt"]), int(d["Antall kvinner"]), int(d["Antall menn"])
        hidden = women == 0 and men == 0 and total > 0
        rows.append(
            observation(
                source_file=DBH_123.name,
                source_kind="dbh-123-json",
                unit_code=d["Avdelingskode"],
                year=int(d["Årstall"]),
                total=total,
                women=None if hidden else women,
                men=None if hidden else men,
                suppressed=hidden,
                # the reader's reason: no gender split given at NO_SPLIT_MIN_TOTAL or more, else a small cell
                suppression=("no_gender_split" if total >= NO_SPLIT_MIN_TOTAL else "small_cell") if hidden else None,
            )
        )
    df = pd.DataFrame(rows)
    df["source_row"] = range(1, len(df) + 1)
    return df


def ntnu_faculties() -> pd.DataFrame:
    data = json.loads(DBH_210.read_text(encoding="utf-8"))[1:]
    df = pd.DataFrame(
        {
            "institution_code": [d["Institusjonskode"] for d in data],
            "department_code": [d["Avdelingskode"] for d in data],
            "faculty_code": [d["Fakultetskode"] for d in data],
            "faculty_name": [d["Fakultetsnavn"] for d in data],
            "faculty_short_name": None,
            "valid_from": [d["Gyldig fra"] for d in data],
            "valid_to": [d["Gyldig til"] for d in data],
        }
    )
    df["source_file"] = DBH_210.name
    df["source_row"] = range(1, len(df) + 1)
    return df


@pytest.mark.skipif(not DBH_123.exists(), reason="shared raw data not available")
def test_each_suppressed_ntnu_department_is_unknown():
    flags = gender_flags(ntnu_observations(), settings=GENDER)
    # the README lists the three suppressed cells: 271720/2022 (11), 271740/2025 (9), 271750/2021 (6)
    for unit, year, total in [("271720", 2022, 11), ("271740", 2025, 9), ("271750", 2021, 6)]:
        r = row(flags, unit, year)
        assert r["status"] == "unknown"
        assert "suppressed" in r["reason"]
        assert r["total"] == total
        assert pd.isna(r["women"]) and pd.isna(r["share_women"])


@pytest.mark.skipif(not DBH_123.exists(), reason="shared raw data not available")
def test_ntnu_faculty_271_is_decided_despite_a_suppressed_department():
    flags = gender_flags(ntnu_observations(), faculties=ntnu_faculties(), level="faculty", settings=GENDER)
    r = row(flags, "271", 2022)
    # 2022, departments of 271: 271000 5990 (1903 w / 4087 m), 271520 0, 271720 11 suppressed,
    # 271740 67 (18/49), 271750 0, 271760 377 (114/263), 271770 165 (51/114).
    # total 6610; known women 1903 + 18 + 114 + 51 = 2086; the 11 and the two rows of 0 (0 to 2
    # students each: DBH writes 1 or 2 as 0) unknown: students 6610 to 6614, women in [2086, 2101];
    # 2101/6614 = 31.8 % < 40 % whichever way the 11 split and whatever the rows of 0 hold -> flagged
    assert (r["total"], r["total_high"]) == (6610, 6614)
    assert (r["women_low"], r["women_high"]) == (2086, 2101)
    assert r["suppressed_units"] == 3 and pd.isna(r["women"])
    assert r["status"] == "flagged"
    assert r["underrepresented"] == "women"
    assert r["unit_name"] == "Fakultet for ingeniørvitenskap"


@pytest.mark.skipif(not DBH_123.exists(), reason="shared raw data not available")
def test_unspecified_subunit_000000_is_its_own_unit_and_counts_towards_the_institution():
    obs = ntnu_observations()
    faculties = gender_flags(obs, faculties=ntnu_faculties(), level="faculty", settings=GENDER)
    r = row(faculties, "000", 2019)
    # 000000 in 2019: 121 students, 81 women, 40 men -> men 33 % flagged
    assert (r["total"], r["women"], r["men"]) == (121, 81, 40)
    assert r["unit_name"] == "NTNU (uspesifisert underenhet)"
    institution = row(gender_flags(obs, level="institution", settings=GENDER), "1150", 2019)
    # the institution is the sum of every department of the year, 000000 included
    assert institution["total"] == obs.loc[obs["year"] == 2019, "total"].sum()


@pytest.mark.skipif(not DBH_123.exists(), reason="shared raw data not available")
def test_faculty_without_a_name_falls_back_to_its_code():
    flags = gender_flags(ntnu_observations(), level="faculty", settings=GENDER)  # no table 210
    assert row(flags, "271", 2022)["unit_name"] == "271"


# --- the same observation twice ------------------------------------------------------------------


def test_exact_duplicate_is_counted_once():
    rows = [counts(10, 20, unit_code="999100"), counts(10, 20, unit_code="999100", source_file="copy.csv")]
    assert faculty_of(rows)["total"] == 30


def test_conflicting_duplicate_is_refused():
    rows = [counts(10, 20, unit_code="999100"), counts(11, 19, unit_code="999100", source_file="copy.csv")]
    with pytest.raises(InputError) as err:
        gender_flags(frame(rows), settings=GENDER)
    assert "different numbers" in str(err.value)


def test_invalid_observations_raise_input_error_not_a_traceback():
    with pytest.raises(InputError):
        gender_flags(frame([observation(total=10, women=12, men=0)]), settings=GENDER)  # more women than the total


def test_faculty_of_a_file_without_an_institution_code():
    # 10 women / 20 men and 5/5 in two departments of one file: faculty 271 has 15 of 40 women
    # (a missing institution code is no group key that drops the rows; two such files are
    # refused instead, as two institutions cannot be told from one: test_files_without_institution)
    rows = [
        counts(10, 20, unit_code="271100", institution_code=None, source_file="a.json"),
        counts(5, 5, unit_code="271200", institution_code=None, source_file="a.json"),
    ]
    r = faculty_of(rows)
    assert (r["unit_code"], r["total"], r["women"]) == ("271", 40, 15)
    assert pd.isna(r["institution_code"])
    assert r["source_file"] == "a.json"
    # 15/40 = 37.5 % < 40 %: 5(15 + k) ≥ 2(40 + k) <=> 3k ≥ 5 -> 2
    assert r["status"] == "flagged" and r["students_needed"] == 2


def test_a_year_that_cannot_be_judged_has_no_count_of_years_flagged():
    """Flagged in 2021 (30 of 100 women), suppressed in 2022 (the cell is unknown: it may be
    below 40 % or not), flagged in 2023. 2022's years in a row is unknown, never 0, which would
    say the unit was judged not below; it still breaks the run (policy: an unknown year breaks
    it), so 2023 counts 1. 2024 judged ok (50 of 100): 0."""
    flags = gender_flags(
        frame(
            [
                counts(30, 70, year=2021),
                observation(total=100, suppressed=True, suppression="small_cell", year=2022),
                counts(30, 70, year=2023),
                counts(50, 50, year=2024),
            ]
        ),
        settings=GENDER,
    )
    by_year = flags.set_index("year")
    assert list(by_year.loc[[2021, 2022, 2023, 2024], "status"]) == ["flagged", "unknown", "flagged", "ok"]
    years = by_year["consecutive_years_flagged"]
    assert years[2021] == 1 and pd.isna(years[2022]) and years[2023] == 1 and years[2024] == 0


def test_sums_with_rows_of_0_inside_match_brute_force():
    """Every small faculty of a department of ``w`` women and ``m`` men, one masked of ``h``
    students (or none) and ``k`` departments written 0 (0 to 2 students each, of either gender):
    its status is decided exactly where every total and split gives it, 40 % exactly not below,
    counted here by brute force over every split."""
    from itertools import product

    rows, cases = [], {}
    for i, (w, m, h, k) in enumerate(product(range(7), range(7), range(3), range(1, 3))):
        faculty = f"{100 + i}"
        rows += [counts(w, m, unit_code=f"{faculty}100")]
        rows += [suppressed(h, f"{faculty}200")] if h else []
        rows += [counts(0, 0, unit_code=f"{faculty}3{j}0") for j in range(k)]
        outcomes = set()
        for j, e in product(range(h + 1), range(2 * k + 1)):
            for a in range(e + 1):
                women, men = w + j + a, m + h - j + e - a
                if women + men:
                    outcomes.add(Fraction(min(women, men), women + men) < Fraction(2, 5))
        cases[faculty] = (
            "unknown" if len(outcomes) != 1 or w + m + h == 0 else ("flagged" if True in outcomes else "ok")
        )
    flags = gender_flags(frame(rows), level="faculty", settings=GENDER).set_index("unit_code")
    wrong = {f: (flags.loc[f, "status"], want) for f, want in cases.items() if flags.loc[f, "status"] != want}
    assert not wrong, wrong
