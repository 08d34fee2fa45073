"""Studiebarometeret aggregates: 9999 never in a mean, suppression, index rule, Welch, rollups.

Expected values are derived by hand in the comments (t quantiles from a printed t-table).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from analysis.metrics.survey_counts import read_survey_respondents
from analysis.metrics.survey_tables import survey_aggregates
from analysis.settings import SurveySettings

NA = None


def respondents(rows: list[tuple], items: list[str], units: bool = False) -> pd.DataFrame:
    """rows: (programme, year, *answers) or (institution, faculty, programme, year, *answers)."""
    keys = ["institusjonskode", "fakultetskode", "studprog_kod", "aar"] if units else ["studprog_kod", "aar"]
    frame = pd.DataFrame(rows, columns=keys + items)
    for k in keys:
        frame[k] = frame[k].astype("str") if k != "aar" else frame[k].astype("Int16")
    for item in items:
        frame[item] = pd.array(frame[item].tolist(), dtype="Int8")
    return frame


def row(table: pd.DataFrame, **where) -> pd.Series:
    mask = np.ones(len(table), dtype=bool)
    for column, value in where.items():
        mask &= (table[column].astype(object) == value).to_numpy()
    [index] = np.flatnonzero(mask)
    return table.iloc[index]


def test_9999_never_enters_a_mean(tmp_path):
    # Answers 5, 4, 9999, blank, 3, 2, 1: the valid answers are 5, 4, 3, 2, 1 -> n = 5,
    # mean = 15 / 5 = 3 (with 9999 counted the mean would be about 1669).
    # sd = sqrt(((5-3)² + (4-3)² + 0 + (2-3)² + (1-3)²) / 4) = sqrt(10 / 4) = 1.5811388
    # 95 % CI: t(0.975, df 4) = 2.7764451 (t-table); half-width = 2.7764451 · 1.5811388 / √5
    # = 1.9632432 -> [1.0367568, 4.9632432].
    path = tmp_path / "sb.csv"
    path.write_text(
        "studprog_kod;aar;underv_engasj_18\n" + "".join(f"A;2024;{v}\n" for v in ["5", "4", "9999", "", "3", "2", "1"]),
        encoding="utf-8",
    )
    frame = read_survey_respondents(path).frame
    result = survey_aggregates(frame, settings=SurveySettings(min_n=5, warn_n=10))
    r = row(result.items, unit_code="A", year=2024, item="underv_engasj_18")
    assert r["level"] == "programme"
    assert r["n"] == 5
    assert r["mean"] == pytest.approx(3.0, abs=1e-12)
    assert r["sd"] == pytest.approx(1.5811388, abs=1e-7)
    assert r["ci_low"] == pytest.approx(1.0367568, abs=1e-6)
    assert r["ci_high"] == pytest.approx(4.9632432, abs=1e-6)
    assert not r["suppressed"] and r["few_respondents"]  # 5 <= n < 10


def test_n_below_the_minimum_is_suppressed_and_shows_nothing():
    # Programme B has 4 valid answers, the minimum is 5: only n is shown.
    frame = respondents(
        [("B", 2024, 5), ("B", 2024, 5), ("B", 2024, 4), ("B", 2024, 1), ("B", 2024, NA)], ["underv_engasj_18"]
    )
    result = survey_aggregates(frame, settings=SurveySettings(min_n=5, warn_n=10))
    r = row(result.items, unit_code="B", item="underv_engasj_18")
    assert r["n"] == 4 and r["suppressed"] and not r["few_respondents"]
    assert pd.isna(r["mean"]) and pd.isna(r["sd"]) and pd.isna(r["ci_low"]) and pd.isna(r["ci_high"])


def test_exactly_the_minimum_is_shown():
    frame = respondents([("C", 2024, v) for v in (1, 2, 3, 4, 5)], ["underv_engasj_18"])
    r = row(survey_aggregates(frame, settings=SurveySettings(min_n=5, warn_n=5)).items, unit_code="C")
    # n = 5 is not below 5: shown, and not "few" when warn_n = 5
    assert r["n"] == 5 and not r["suppressed"] and not r["few_respondents"] and r["mean"] == 3


def test_index_rule_at_most_one_missing_item():
    items = ["a_x_13", "a_y_13", "a_z_13", "a_w_13"]
    frame = respondents(
        [
            ("P", 2024, 4, 4, 4, 4),  # all four: index 4
            ("P", 2024, 5, 5, 5, NA),  # one missing (allowed): index (5+5+5)/3 = 5
            ("P", 2024, 1, NA, NA, 3),  # two missing: no index
            ("P", 2024, NA, NA, NA, NA),  # nothing answered: no index
        ],
        items,
    )
    survey = SurveySettings(min_n=2, warn_n=3, index_max_missing=1, indices={"idx": tuple(items)})
    r = row(survey_aggregates(frame, settings=survey).indices, unit_code="P", index_name="idx")
    # programme index = mean of respondents' indices (4, 5) = 4.5; sd = sqrt(0.25 + 0.25) = 0.7071068
    assert r["n"] == 2
    assert r["mean"] == pytest.approx(4.5)
    assert r["sd"] == pytest.approx(math.sqrt(0.5))
    assert r["few_respondents"]


def test_five_item_index_keeps_respondents_who_answered_every_item():
    # The default configuration's yrkesrelevans index has five items. Respondent 1 answers all
    # five (5, 5, 5, 5, 4): index 24/5 = 4.8; respondent 2 answers four (2, 2, 2, 2; one
    # missing, allowed): index 2. Mean (4.8 + 2) / 2 = 3.4, n = 2.
    # (min_n 1: with min_n 2 the last item, answered once, is hidden, and so is the index,
    # which with the other items shown would give that answer: disclosure rule 6)
    items = ["c_a_13", "c_b_13", "c_c_13", "c_d_13", "c_e_13"]
    frame = respondents([("Y", 2024, 5, 5, 5, 5, 4), ("Y", 2024, 2, 2, 2, 2, NA)], items)
    survey = SurveySettings(min_n=1, warn_n=2, index_max_missing=1, indices={"idx": tuple(items)})
    r = row(survey_aggregates(frame, settings=survey).indices, unit_code="Y", index_name="idx")
    assert r["n"] == 2
    assert r["mean"] == pytest.approx(3.4)


def test_index_is_mean_of_respondents_not_of_items():
    # Respondent 1 answers a=1 only (b missing, allowed): index 1. Respondent 2 answers 5, 5:
    # index 5. Mean of respondents = 3; the mean of all answers would be (1+5+5)/3 = 3.67.
    items = ["b_x_13", "b_y_13"]
    # (min_n 1: b_y, answered once, would be hidden, and the index with it: disclosure rule 6)
    frame = respondents([("Q", 2024, 1, NA), ("Q", 2024, 5, 5)], items)
    survey = SurveySettings(min_n=1, warn_n=2, index_max_missing=1, indices={"idx": tuple(items)})
    r = row(survey_aggregates(frame, settings=survey).indices, unit_code="Q")
    assert r["mean"] == pytest.approx(3.0)


def test_welch_p_value_against_the_closed_form():
    # 2020: answers 1, 3 (mean 2, sd √2); 2021: answers 3, 5 (mean 4, sd √2).
    # t = (4 − 2) / sqrt(2/2 + 2/2) = √2; Welch df = (1 + 1)² / (1/1 + 1/1) = 2.
    # For df = 2 the two-sided p-value is 1 − t / sqrt(2 + t²) = 1 − √2 / 2 = 0.2928932.
    frame = respondents([("W", 2020, 1), ("W", 2020, 3), ("W", 2021, 3), ("W", 2021, 5)], ["underv_engasj_18"])
    result = survey_aggregates(frame, settings=SurveySettings(min_n=2, warn_n=2))
    r = row(result.changes, unit_code="W", name="underv_engasj_18")
    assert r["year"] == 2021 and r["previous_year"] == 2020 and r["kind"] == "item"
    assert r["change"] == pytest.approx(2.0)
    assert r["p_value"] == pytest.approx(1 - math.sqrt(2) / 2, abs=1e-9)


def test_welch_df4_closed_form():
    # 2020: 1, 2, 3 (mean 2, sd 1); 2021: 3, 4, 5 (mean 4, sd 1). t = 2 / sqrt(1/3 + 1/3) = √6,
    # df = (2/3)² / (2 · (1/3)² / 2) = 4. For df = 4: p = 1 − t(t² + 6) / (t² + 4)^(3/2)
    # = 1 − √6 · 12 / 10^(3/2) = 0.0704404.
    frame = respondents([("V", 2020, v) for v in (1, 2, 3)] + [("V", 2021, v) for v in (3, 4, 5)], ["underv_engasj_18"])
    r = row(survey_aggregates(frame, settings=SurveySettings(min_n=3, warn_n=3)).changes, unit_code="V")
    t = math.sqrt(6)
    assert r["p_value"] == pytest.approx(1 - t * (t * t + 6) / (t * t + 4) ** 1.5, abs=1e-9)


def test_change_is_empty_when_either_year_is_suppressed():
    frame = respondents([("S", 2020, 1), ("S", 2021, 3), ("S", 2021, 5)], ["underv_engasj_18"])
    r = row(survey_aggregates(frame, settings=SurveySettings(min_n=2, warn_n=2)).changes, unit_code="S")
    assert r["n_previous"] == 1 and pd.isna(r["mean_previous"])
    assert pd.isna(r["change"]) and pd.isna(r["p_value"])
    assert r["mean"] == pytest.approx(4.0)


def test_faculty_and_institution_rollups_pool_respondents():
    # Faculty 010 of institution 1150 has programmes A (answers 2, 4) and B (answers 5, 5, 5);
    # pooled: n = 5, mean = 21 / 5 = 4.2. Institution 1150 adds faculty 020 (programme C: 1, 1):
    # n = 7, mean = 23 / 7 = 3.2857143.
    frame = respondents(
        [
            ("1150", "010", "A", 2024, 2),
            ("1150", "010", "A", 2024, 4),
            ("1150", "010", "B", 2024, 5),
            ("1150", "010", "B", 2024, 5),
            ("1150", "010", "B", 2024, 5),
            ("1150", "020", "C", 2024, 1),
            ("1150", "020", "C", 2024, 1),
        ],
        ["underv_engasj_18"],
        units=True,
    )
    items = survey_aggregates(frame, settings=SurveySettings(min_n=2, warn_n=2)).items
    faculty = row(items, level="faculty", unit_code="010")
    assert faculty["institution_code"] == "1150" and faculty["n"] == 5 and faculty["mean"] == pytest.approx(4.2)
    institution = row(items, level="institution", unit_code="1150")
    assert institution["n"] == 7 and institution["mean"] == pytest.approx(23 / 7)
    assert set(items["level"].astype(str)) == {"programme", "faculty", "institution"}


def test_same_programme_code_in_two_institutions_is_two_programmes():
    frame = respondents(
        [
            ("1110", "010", "X", 2024, 1),
            ("1110", "010", "X", 2024, 1),
            ("1120", "010", "X", 2024, 5),
            ("1120", "010", "X", 2024, 5),
        ],
        ["underv_engasj_18"],
        units=True,
    )
    items = survey_aggregates(frame, settings=SurveySettings(min_n=2, warn_n=2)).items
    programmes = items[items["level"] == "programme"]
    assert sorted(programmes["mean"].tolist()) == [1.0, 5.0]


def test_index_without_items_in_the_data_is_named_in_the_notes():
    frame = respondents([("A", 2024, 1)], ["underv_engasj_18"])
    survey = SurveySettings(indices={"missing": ("vurd_pensum_13",)})
    result = survey_aggregates(frame, settings=survey)
    assert result.notes["indices_without_items"] == ["missing"]
    assert result.indices.empty


def test_an_index_change_is_shown_only_between_years_with_the_same_items():
    # Index "u" = (a, b). Programme P, 6 respondents a year (min_n 5):
    #   2023 answers a only (b not asked: nobody answers it): index = mean of a = 3 (each answers 3);
    #   2024 a and b: each answers (4, 4): index 4; 2025 a and b: each answers (5, 3): index 4.
    # 2023 → 2024 compares an index of one item with one of two: not the same measure, so no
    # change is shown (it would say +1); 2024 → 2025 has the same items: change 4 − 4 = 0. The
    # item a itself is the same question every year: its changes are shown (3 → 4 → 5: +1, +1).
    a, b = "underv_engasj_18", "underv_formidl_18"
    rows = [("P", 2023, 3, None)] * 6 + [("P", 2024, 4, 4)] * 6 + [("P", 2025, 5, 3)] * 6
    survey = SurveySettings(min_n=5, warn_n=5, index_max_missing=1, indices={"u": (a, b)})
    result = survey_aggregates(respondents(rows, [a, b]), settings=survey)
    changes = result.changes
    first = row(changes, kind="index", name="u", year=2024)
    assert (first["mean"], first["mean_previous"]) == (4.0, 3.0)  # each year's own index is shown
    assert pd.isna(first["change"]) and pd.isna(first["p_value"]) and pd.isna(first["significant"])
    assert first["definition_changed"]  # and says why
    second = row(changes, kind="index", name="u", year=2025)
    assert second["change"] == pytest.approx(0.0, abs=1e-12)
    assert not second["definition_changed"]
    assert not changes.loc[changes["kind"] == "item", "definition_changed"].any()
    assert [row(changes, kind="item", name=a, year=y)["change"] for y in (2024, 2025)] == [1.0, 1.0]
    # the note names the index, the years and the item: (year before, its items, year, its items)
    # (no institution code: the programmes of a year are one place, None)
    assert result.notes["index_items_changed"] == {"u": [(None, 2023, (a,), 2024, (a, b))]}
    # one "vet ikke" to b in 2023 (9999; in no index value): its cell, hidden (1 answered, min_n
    # 5), does not publish it, so the rule must not tell it apart from nobody asked either
    frame = respondents(rows, [a, b]).astype({b: "Int16"})
    frame.loc[0, b] = 9999  # (the first row is a 2023 respondent)
    again = survey_aggregates(frame, settings=survey)
    assert again.notes["index_items_changed"] == result.notes["index_items_changed"]
    assert row(again.items, unit_code="P", year=2023, item=b)["suppressed"]


def test_each_institution_s_own_items_decide_whether_its_index_changed():
    # A run of two institutions (a second reader, 2026-12-04), index "u" = (a, b), min_n 5:
    #   A (1110): programme PA, 6 respondents a year answering (3, 5) in 2024 and 2025: index 4 both years;
    #   B (1150): programme PB, 6 respondents answering (3, 5) in 2024, and in 2025 only a (3; b dropped
    #      from B's questionnaire): index 4 then 3.
    # Decided for the run as a whole, b was answered both years, so B's −1 was shown: all of it b
    # leaving the index. Per institution: B's index change is not shown at any level of B (its
    # programme, faculty, institution); A's is (4 − 4 = 0).
    a, b = "underv_engasj_18", "underv_formidl_18"
    rows = [("1110", "010", "PA", y, 3, 5) for y in (2024, 2025) for _ in range(6)]
    rows += [("1150", "020", "PB", 2024, 3, 5)] * 6 + [("1150", "020", "PB", 2025, 3, None)] * 6
    survey = SurveySettings(min_n=5, warn_n=5, index_max_missing=1, indices={"u": (a, b)})
    result = survey_aggregates(respondents(rows, [a, b], units=True), settings=survey)
    index = result.changes[(result.changes["kind"] == "index") & (result.changes["year"] == 2025)]
    changes = dict(zip(index["institution_code"].astype(str) + "/" + index["level"].astype(str), index["change"]))
    assert changes["1110/programme"] == changes["1110/faculty"] == changes["1110/institution"] == 0.0
    assert all(pd.isna(changes[f"1150/{level}"]) for level in ("programme", "faculty", "institution"))
    assert result.notes["index_items_changed"] == {"u": [("1150", 2024, (a, b), 2025, (a,))]}


# --- property: nothing below the minimum is ever shown -------------------------------------

answer = st.one_of(st.none(), st.integers(1, 5))


@hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.lists(
        st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from([2023, 2024]), answer, answer, answer),
        min_size=1,
        max_size=40,
    ),
    min_n=st.integers(1, 6),
    extra=st.integers(0, 4),
)
# an item nobody answered beside an index with a value (disclosure rule 6 since 21c4729: such an
# item hides no index; the invariant below said "any hidden item" and failed here)
@example(data=[("A", 2023, None, 1, 1)], min_n=1, extra=0)
def test_no_output_row_shows_a_mean_below_the_minimum(data, min_n, extra):
    items = ["underv_engasj_18", "underv_formidl_18", "underv_pensum_18"]
    frame = respondents(data, items)
    survey = SurveySettings(min_n=min_n, warn_n=min_n + extra, index_max_missing=1, indices={"u": tuple(items)})
    result = survey_aggregates(frame, settings=survey)
    for table in (result.items, result.indices):
        n = table["n"].astype(int)
        below = n < min_n
        assert table.loc[below, ["mean", "sd", "ci_low", "ci_high"]].isna().all().all()
        assert table.loc[below & (n > 0), "suppression"].eq("primary").all()
        # a cell without valid answers: an index's has nothing to show; an item's shows its
        # "vet ikke" count only when that reaches the minimum (else a hidden one would say
        # "at least one vet ikke")
        empty = table[n == 0]
        if "dont_know" in table:
            assert (empty["suppressed"] == (empty["dont_know"].isna() | (empty["dont_know"] < min_n))).all()
        else:
            assert not empty["suppressed"].any()
        # no faculty or institution rows here: a cell on enough answers is hidden only because
        # the index and its items would give each other away (disclosure rule 6)
        assert table.loc[~below & table["suppressed"], "suppression"].eq("secondary").all()
    # rule 6: where the index has values, it is hidden exactly where one of its items with
    # answers is (an item without answers is in no index value)
    items_hidden = result.items["suppressed"] & (result.items["n"].astype(int) > 0)
    hidden_items = set(result.items.loc[items_hidden, ["unit_code", "year"]].itertuples(index=False))
    for r in result.indices[result.indices["n"] > 0].itertuples():
        assert r.suppressed == ((r.unit_code, r.year) in hidden_items), r
    shown_index = set(result.indices.loc[~result.indices["suppressed"], ["unit_code", "year"]].itertuples(index=False))
    secondary = result.items[result.items["suppression"] == "secondary"]
    assert not any((r.unit_code, r.year) in shown_index for r in secondary.itertuples()), "an item hidden for its index"
    changes = result.changes
    hidden = (changes["n"].astype(int) < min_n) | (changes["n_previous"].astype(int) < min_n)
    assert changes.loc[hidden, ["change", "p_value"]].isna().all().all()
    # n counts valid answers exactly (checked against a plain groupby count)
    expected = frame.groupby(["studprog_kod", "aar"])[items].count()
    for r in result.items.itertuples():
        assert r.n == expected.loc[(r.unit_code, r.year), r.item]


# --- the commands --------------------------------------------------------------------------


def test_survey_command_writes_three_tables(tmp_path, capsys):
    from analysis.cli import main

    data = tmp_path / "sb.csv"
    data.write_text(
        "studprog_kod;aar;underv_engasj_18\n" + "".join(f"A;2024;{v}\n" for v in (1, 2, 3, 4, 5, 9999)),
        encoding="utf-8",
    )
    out = tmp_path / "survey.csv"
    assert main(["survey", str(data), "--out", str(out)]) == 0
    # a table for people (Norwegian Excel: ";" and decimal comma, headers in nb)
    items = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig", dtype={"Enhetskode": str})
    assert items.loc[0, "Antall svar"] == 5 and items.loc[0, "Gjennomsnitt"] == 3.0
    assert (tmp_path / "survey_indices.csv").exists() and (tmp_path / "survey_changes.csv").exists()
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["survey", str(data), "--out", str(folder)]) == 0
    assert (folder / "survey_items.parquet").exists()


def test_survey_command_refuses_a_bad_file_and_writes_nothing(tmp_path, capsys):
    from analysis.cli import main

    data = tmp_path / "bad.csv"
    data.write_text("studprog_kod;aar;underv_engasj_18\nA;2024;6\n", encoding="utf-8")
    out = tmp_path / "survey.csv"
    assert main(["survey", str(data), "--out", str(out)]) == 1
    assert f"{data}:2:underv_engasj_18: '6'" in capsys.readouterr().err
    assert not out.exists()


def test_synth_command_writes_readable_data(tmp_path):
    from analysis.cli import main

    out = tmp_path / "r.parquet"
    assert (
        main(
            [
                "synth",
                "--respondents",
                "500",
                "--items",
                "8",
                "--programmes",
                "10",
                "--years",
                "2",
                "--seed",
                "1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    result = read_survey_respondents(out)
    assert len(result.frame) == 500 and len(result.notes["items"]) == 8
    assert (
        main(
            [
                "synth",
                "--kind",
                "dbh123",
                "--institutions",
                "2",
                "--departments",
                "3",
                "--years",
                "2",
                "--out",
                str(tmp_path / "t.json"),
            ]
        )
        == 0
    )
    assert main(["synth", "--out", str(tmp_path / "x.txt")]) == 2


def test_sorted_and_shuffled_input_give_the_same_results():
    """Sorted input is counted two items per pass, shuffled input one: same numbers."""
    from analysis.synth import generate_respondents, index_config, item_names

    table = generate_respondents(3000, 9, 20, 3, seed=5)
    frame = table.to_pandas()
    for item in item_names(9):
        frame[item] = pd.array(frame[item].where(frame[item] != 9999).tolist(), dtype="Int8")
    frame["aar"] = frame["aar"].astype("Int16")
    for key in ("institusjonskode", "fakultetskode", "studprog_kod"):
        frame[key] = frame[key].astype("str")
    survey = SurveySettings(min_n=5, warn_n=10, indices=index_config(item_names(9)))
    ordered = survey_aggregates(frame, settings=survey)
    shuffled = survey_aggregates(frame.sample(frac=1, random_state=1).reset_index(drop=True), settings=survey)
    pd.testing.assert_frame_equal(ordered.items, shuffled.items)
    pd.testing.assert_frame_equal(ordered.indices, shuffled.indices, rtol=1e-12)
    pd.testing.assert_frame_equal(ordered.changes, shuffled.changes, rtol=1e-9)
