"""Integration scores: the rules of ``analysis.metrics.integration`` one at a time (issue 13).

The cases the mutation run (``make mutate``) showed no test had: a score made of several items
with one missing, a respondent with two of three items missing, a score outside the combination
on too few answers, respondent data with a level and an institution column, scores named
otherwise than academic and social, three units tied for the best, both inputs at once, and the
errors' file names and wording. Every expected value is worked out by hand in the comments from
the rule in the module's docstring. The boundaries at exactly ``min_n`` and ``warn_n`` are in
tests/test_rule_boundaries.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.metrics.integration import integration_scores, rank_in_group
from analysis.settings import IntegrationSettings, Settings, SurveySettings
from schemas.integration_scores import IntegrationScores

SURVEY = SurveySettings(min_n=5, warn_n=10, index_max_missing=1)


def extract(rows: list[tuple], **columns) -> pd.DataFrame:
    """(level, institution, academic, social, n) rows of an aggregated extract for 2017."""
    df = pd.DataFrame(
        {
            "source_file": "extract.csv",
            "source_row": range(2, len(rows) + 2),
            "level": [r[0] for r in rows],
            "institution": [r[1] for r in rows],
            "year": 2017,
            "academic": pd.array([r[2] for r in rows], dtype="Float64"),
            "social": pd.array([r[3] for r in rows], dtype="Float64"),
            "n": pd.array([r[4] for r in rows], dtype="Int64"),
        }
    )
    for name, values in columns.items():
        df[name] = pd.array(values, dtype="Float64")
    return df


def respondents(rows: list[tuple], items: tuple[str, ...], **columns) -> pd.DataFrame:
    """(programme, answer, …) rows, one per respondent, answers in the order of ``items``."""
    df = pd.DataFrame(rows, columns=["studprog_kod", *items])
    df["aar"] = pd.array([2025] * len(df), dtype="Int16")
    for item in items:
        df[item] = pd.array(df[item], dtype="Int8")
    for name, values in columns.items():
        df[name] = values
    return df


def by_name(scores: pd.DataFrame, name: str) -> pd.Series:
    hit = scores[scores["unit_name"] == name]
    assert len(hit) == 1, f"{name}: {len(hit)} rows"
    return hit.iloc[0]


# --- scores from an extract ---------------------------------------------------------------------


def test_a_score_of_several_extract_columns_is_missing_when_one_of_them_is():
    """ "A score whose configured items are all columns of the extract is the mean of those
    columns"; a mean with a missing column is missing, and so is integration_score."""
    settings = Settings(
        survey=SURVEY,
        integration=IntegrationSettings(
            scores={"overall": ("academic", "social"), "academic": ("academic",)}, combine=("overall",)
        ),
    )
    scores = integration_scores(
        extract([("master", "A", 4.0, 3.0, None), ("master", "B", 5.0, None, None), ("master", "C", 2.0, 2.0, None)]),
        settings=settings,
    )
    a, b, c = (by_name(scores, u) for u in "ABC")
    # A: (4 + 3) / 2 = 3.5; C: (2 + 2) / 2 = 2.0; B has no social figure: no overall score (not
    # the 5.0 of its academic column alone), not ranked
    assert a["integration_score"] == pytest.approx(3.5) and c["integration_score"] == pytest.approx(2.0)
    assert pd.isna(b["integration_score"]) and pd.isna(b["rank"])
    assert b["academic"] == pytest.approx(5.0)  # its own score is still shown
    assert (a["rank"], c["rank"], a["units_ranked"]) == (1, 2, 2)
    assert a["scores_used"] == "overall"


def test_integration_score_is_missing_when_a_combined_score_is():
    # the mean of academic and social, "missing when any of them is missing": B has no social
    scores = integration_scores(
        extract([("bachelor", "A", 4.0, 3.0, None), ("bachelor", "B", 5.0, None, None)]), settings=Settings()
    )
    assert pd.isna(by_name(scores, "B")["integration_score"]) and pd.isna(by_name(scores, "B")["rank"])
    assert by_name(scores, "A")["rank"] == 1 and by_name(scores, "A")["units_ranked"] == 1
    assert by_name(scores, "A")["scores_used"] == "academic+social"


def test_scores_named_otherwise_than_academic_and_social():
    """Score names are configuration: with "faglig" and "sosialt" the output still has the
    (empty) academic and social columns the contract names, and integration_score their mean."""
    settings = Settings(
        integration=IntegrationSettings(
            scores={"faglig": ("academic",), "sosialt": ("social",)}, combine=("faglig", "sosialt")
        )
    )
    scores = integration_scores(
        extract([("master", "A", 4.0, 3.0, None), ("master", "B", 2.0, 2.0, None)]), settings=settings
    )
    a = by_name(scores, "A")
    # faglig = the academic column 4.0, sosialt = social 3.0: (4 + 3) / 2 = 3.5
    assert (a["faglig"], a["sosialt"], a["integration_score"]) == (4.0, 3.0, 3.5)
    assert scores["academic"].isna().all() and scores["social"].isna().all()
    assert str(scores["academic"].dtype) == "Float64" and a["scores_used"] == "faglig+sosialt"
    assert (a["rank"], by_name(scores, "B")["rank"]) == (1, 2)


def test_a_suppressed_unit_shows_no_score_even_outside_the_combination():
    # min_n 5: n = 4 is below it. "social" is configured but not combined; it is hidden too.
    settings = Settings(survey=SURVEY, integration=IntegrationSettings(combine=("academic",)))
    scores = integration_scores(
        extract([("master", "A", 4.0, 3.0, 4), ("master", "B", 2.0, 2.0, 5)]), settings=settings
    )
    a, b = by_name(scores, "A"), by_name(scores, "B")
    assert bool(a["suppressed"]) and pd.isna(a["academic"]) and pd.isna(a["social"]) and pd.isna(a["integration_score"])
    assert (b["academic"], b["social"], b["integration_score"]) == (2.0, 2.0, 2.0)  # combine = academic only


def test_a_score_with_neither_items_nor_a_column_names_the_score_and_its_items():
    scores = {"academic": ("academic",), "social": ("social",), "trivsel": ("intsosial_17", "intfaglig_17")}
    with pytest.raises(InputError) as err:
        integration_scores(
            extract([("master", "A", 4.0, 3.0, None)]),
            settings=Settings(integration=IntegrationSettings(scores=scores)),
        )
    text = str(err.value)
    assert "score 'trivsel': the extract has none of its items and no column named 'trivsel'" in text
    assert "intsosial_17, intfaglig_17" in text  # the configured items, as listed
    assert "[integration.scores]" in text  # what to do


def test_combine_naming_a_score_without_items_is_a_configuration_error():
    settings = Settings(integration=IntegrationSettings(combine=("academic", "trivsel")))
    with pytest.raises(InputError) as err:
        integration_scores(extract([("master", "A", 4.0, 3.0, None)]), settings=settings)
    assert "combine names a score that has no items" in str(err.value) and "trivsel" in str(err.value)


def test_an_extract_that_breaks_its_contract_is_named_as_the_extract():
    frame = extract([("master", "A", 4.0, 3.0, None)]).drop(columns=["source_file", "source_row"])
    frame["academic"] = pd.array([7.0], dtype="Float64")  # outside 1–5
    with pytest.raises(InputError) as err:
        integration_scores(frame, settings=Settings())
    # a frame without source_file is named by what it is, rows counted as in a CSV file
    assert "(integration extract):2:academic: 7.0 — must be at most 5" in str(err.value).splitlines()[-1]


# --- scores from respondents --------------------------------------------------------------------

THREE_ITEMS = ("miljo_fag_13", "miljo_studans_15", "intfaglig_17")


def test_a_respondent_with_two_of_three_items_missing_has_no_score():
    """index_max_missing = 1: one missing item of three is allowed, two are not. (min_n 1: no
    cell is hidden; with 2, the survey tables would hide intfaglig_17's one answer, and P with
    it: see test_a_programme_the_survey_tables_hide_to_protect_another_is_hidden_here_too.)"""
    settings = Settings(
        survey=SurveySettings(min_n=1, warn_n=3, index_max_missing=1),
        integration=IntegrationSettings(scores={"academic": THREE_ITEMS, "social": ("miljo_sosial_13",)}),
    )
    items = (*THREE_ITEMS, "miljo_sosial_13")
    rows = [
        ("P", 2, 4, None, 3),  # one missing: academic (2 + 4) / 2 = 3
        ("P", 5, 5, 5, 3),  # academic 5
        ("P", 1, None, None, 3),  # two missing: no academic score (not 1)
    ]
    p = by_name(integration_scores(respondents=respondents(rows, items), settings=settings), "P")
    # academic: mean of 3 and 5 = 4 over 2 respondents; social 3 over 3; n = min(2, 3) = 2
    assert p["academic"] == pytest.approx(4.0)
    assert p["n"] == 2
    assert p["integration_score"] == pytest.approx(3.5)  # (4 + 3) / 2


def test_n_is_the_fewest_answers_behind_a_combined_score():
    # 6 respondents answer the academic item, only 5 of them the social one: n = 5 (not 6)
    items = ("miljo_fag_13", "miljo_sosial_13")
    settings = Settings(
        survey=SURVEY,
        integration=IntegrationSettings(scores={"academic": ("miljo_fag_13",), "social": ("miljo_sosial_13",)}),
    )
    rows = [("P", 4, 2)] * 5 + [("P", 1, None)]
    p = by_name(integration_scores(respondents=respondents(rows, items), settings=settings), "P")
    assert p["n"] == 5 and not p["suppressed"] and bool(p["few_respondents"])
    # academic (5·4 + 1) / 6 = 3.5, social 2: (3.5 + 2) / 2 = 2.75
    assert p["academic"] == pytest.approx(3.5) and p["integration_score"] == pytest.approx(2.75)


def test_a_score_outside_the_combination_is_hidden_below_the_minimum_on_its_own():
    """ "A score of its own is never shown on fewer answers than the minimum either": the extra
    score "fellesskap" has 4 answers (< 5) while academic and social have 6."""
    items = ("miljo_fag_13", "miljo_sosial_13", "miljo_studans_15")
    settings = Settings(
        survey=SURVEY,
        integration=IntegrationSettings(
            scores={
                "academic": ("miljo_fag_13",),
                "social": ("miljo_sosial_13",),
                "fellesskap": ("miljo_studans_15",),
            }
        ),
    )
    rows = [("P", 4, 4, 3)] * 4 + [("P", 4, 4, None)] * 2 + [("Q", 2, 2, 3)] * 5
    scores = integration_scores(respondents=respondents(rows, items), settings=settings)
    p, q = by_name(scores, "P"), by_name(scores, "Q")
    assert p["n"] == 6 and not p["suppressed"] and p["integration_score"] == pytest.approx(4.0)
    assert pd.isna(p["fellesskap"])  # 4 answers: hidden although the programme is shown
    assert q["fellesskap"] == pytest.approx(3.0)  # exactly 5 answers: shown


def test_level_and_institution_come_from_the_respondent_data():
    items = ("miljo_fag_13", "miljo_sosial_13")
    settings = Settings(
        survey=SurveySettings(min_n=1, warn_n=1),
        integration=IntegrationSettings(scores={"academic": ("miljo_fag_13",), "social": ("miljo_sosial_13",)}),
    )
    rows = [("BA1", 4, 4), ("BA2", 2, 2), ("MA1", 1, 1)]
    frame = respondents(
        rows, items, level=["bachelor", "bachelor", "master"], institusjonskode=["1150", "1110", "1150"]
    )
    scores = integration_scores(respondents=frame, settings=settings)
    ba1, ba2, ma1 = (by_name(scores, u) for u in ("BA1", "BA2", "MA1"))
    assert (ba1["level"], ba1["institution"], ba1["unit_code"]) == ("bachelor", "1150", "BA1")
    assert (ba2["institution"], ma1["level"]) == ("1110", "master")
    # ranked within the level: MA1's 1.0 is first among the masters, not third of three
    assert (ba1["rank"], ba2["rank"], ma1["rank"]) == (1, 2, 1)
    # without those columns: every programme is level "all" and has no institution
    plain = integration_scores(respondents=respondents(rows, items), settings=settings)
    assert (plain["level"] == "all").all() and plain["institution"].isna().all()
    assert list(plain["rank"]) == [1, 2, 3]


def test_a_comparison_group_of_institution_codes_ranks_the_programmes_of_those_institutions():
    """Members match the institution (here the DBH code of respondent data), not only the unit
    name (here the programme code), case- and space-insensitively."""
    items = ("miljo_fag_13", "miljo_sosial_13")
    settings = Settings(
        survey=SurveySettings(min_n=1, warn_n=1),
        integration=IntegrationSettings(
            scores={"academic": ("miljo_fag_13",), "social": ("miljo_sosial_13",)},
            comparison_group=(" 1150 ", "1150", "ma9"),
        ),
    )
    rows = [("BA1", 4, 4), ("BA2", 5, 5), ("MA9", 1, 1)]
    frame = respondents(rows, items, institusjonskode=["1150", "1110", "1110"])
    scores = integration_scores(respondents=frame, settings=settings)
    ba1, ba2, ma9 = (by_name(scores, u) for u in ("BA1", "BA2", "MA9"))
    # members: BA1 (institution 1150) and MA9 (its unit name, in other case); BA2 is outside
    assert (ba1["rank"], ma9["rank"], ba1["units_ranked"]) == (1, 2, 2)
    assert pd.isna(ba2["rank"]) and pd.isna(ba2["units_ranked"]) and not ba2["in_comparison_group"]
    assert ba2["integration_score"] == pytest.approx(5.0)  # keeps its score
    # the group's name: the members as given, stripped, each once
    assert ba1["comparison_group"] == "1150; ma9"


def test_respondent_data_that_breaks_its_contract_is_named_as_the_respondents():
    frame = respondents([("P", 7, 3)], ("miljo_fag_13", "miljo_sosial_13"))  # 7 is not on the 1–5 scale
    settings = Settings(
        integration=IntegrationSettings(scores={"academic": ("miljo_fag_13",), "social": ("miljo_sosial_13",)})
    )
    with pytest.raises(InputError) as err:
        integration_scores(respondents=frame, settings=settings)
    assert str(err.value).startswith("(respondents):2:miljo_fag_13: 7 — ")


# --- both sources, ranks and order ----------------------------------------------------------------


def test_an_extract_and_respondents_together_are_ranked_per_source():
    items = ("miljo_fag_13", "miljo_sosial_13")
    settings = Settings(
        survey=SurveySettings(min_n=1, warn_n=1),
        integration=IntegrationSettings(scores={"academic": ("miljo_fag_13",), "social": ("miljo_sosial_13",)}),
    )
    # the extract has not the respondent items: its columns named academic and social are used
    ext = extract([("master", "A", 4.0, 4.0, None), ("master", "B", 2.0, 2.0, None)])
    resp = respondents([("P1", 1, 1), ("P2", 3, 3)], items)
    scores = integration_scores(ext, resp, settings=settings)
    # one row per unit and source, ranks within the source: A 1, B 2; P2 (3.0) 1, P1 (1.0) 2
    assert len(scores) == 4
    assert [(r["source"], r["unit_name"], r["rank"]) for _, r in scores.iterrows()] == [
        ("extract", "A", 1),
        ("extract", "B", 2),
        ("respondents", "P2", 1),
        ("respondents", "P1", 2),
    ]
    # numbered afresh, and nothing but the contract's columns (the default scores add none)
    assert list(scores.index) == [0, 1, 2, 3]
    assert list(scores.columns) == list(IntegrationScores.to_schema().columns)


def test_rows_selected_from_a_larger_table_keep_their_own_index():
    """A frame filtered from a larger one (index 3, 4, … not 0, 1, …) gives one row per unit,
    with the unit code missing for the extract and the institution missing without a column."""
    ext = extract([("x", "X", 1.0, 1.0, None)] * 3 + [("master", "A", 4.0, 4.0, None), ("master", "B", 2.0, 2.0, None)])
    ext = ext.iloc[3:]
    scores = integration_scores(ext, settings=Settings())
    assert list(scores["unit_name"]) == ["A", "B"] and scores["unit_code"].isna().all()
    items = ("miljo_fag_13", "miljo_sosial_13")
    resp = respondents([("P1", 1, 1)] * 3 + [("P2", 3, 3), ("P3", 4, 4)], items).iloc[3:]
    settings = Settings(
        survey=SurveySettings(min_n=1, warn_n=1),
        integration=IntegrationSettings(scores={"academic": ("miljo_fag_13",), "social": ("miljo_sosial_13",)}),
    )
    scores = integration_scores(respondents=resp, settings=settings)
    assert list(scores["unit_code"]) == ["P3", "P2"] and scores["institution"].isna().all()


def test_equal_means_tie_whatever_answers_they_come_from():
    """Two programmes of seven respondents whose academic means are both exactly 65/21, from
    different answers, share rank 1 (a float32 intermediate gave 3.0952381066 and 3.0952381236).

    P: (1,4,3) 8/3, (3,5,3) 11/3, (5,2,4) 11/3, (5,1,3) 3, (4,5,3) 4, (1,2,4) 7/3, (2,2,3) 7/3:
       sum (8 + 11 + 11 + 9 + 12 + 7 + 7) / 3 = 65/3, mean 65/21.
    Q: (3,4,5) 4, (1,1,2) 4/3, (5,5,1) 11/3, (5,3,3) 11/3, (2,5,4) 11/3, (4,3,3) 10/3, (2,1,3) 2:
       sum (12 + 4 + 11 + 11 + 11 + 10 + 6) / 3 = 65/3, mean 65/21.
    """
    items = ("miljo_fag_13", "miljo_studans_15", "intfaglig_17")
    p = [(1, 4, 3), (3, 5, 3), (5, 2, 4), (5, 1, 3), (4, 5, 3), (1, 2, 4), (2, 2, 3)]
    q = [(3, 4, 5), (1, 1, 2), (5, 5, 1), (5, 3, 3), (2, 5, 4), (4, 3, 3), (2, 1, 3)]
    rows = [("P", *r) for r in p] + [("Q", *r) for r in q]
    settings = Settings(
        survey=SurveySettings(min_n=5, warn_n=5),
        integration=IntegrationSettings(scores={"academic": items}, combine=("academic",)),
    )
    scores = integration_scores(respondents=respondents(rows, items), settings=settings)
    assert [by_name(scores, u)["academic"] for u in "PQ"] == [pytest.approx(65 / 21)] * 2
    assert [by_name(scores, u)["rank"] for u in "PQ"] == [1, 1]


def test_three_units_tied_for_the_best_all_rank_first():
    # 4.0, 4.0, 4.0 and 3.0: the three share rank 1 (the best rank of the tie), the fourth is 4th
    scores = integration_scores(
        extract([("master", u, 4.0, 4.0, None) for u in "ABC"] + [("master", "D", 3.0, 3.0, None)]), settings=Settings()
    )
    assert [by_name(scores, u)["rank"] for u in "ABCD"] == [1, 1, 1, 4]


def test_a_score_is_shown_and_ranked_at_ten_decimals():
    """(1.1 + 2.2) / 2 is 1.6500000000000001 in floating point and (1.2 + 2.1) / 2 is 1.65: the
    same score at 10 decimals, shown as such and tied."""
    scores = integration_scores(
        extract([("master", "A", 1.1, 2.2, None), ("master", "B", 1.2, 2.1, None)]), settings=Settings()
    )
    a, b = by_name(scores, "A"), by_name(scores, "B")
    assert a["integration_score"] == b["integration_score"] == 1.65
    assert (a["rank"], b["rank"]) == (1, 1) and a["gap_to_best"] == 0


def test_rows_are_ordered_by_level_year_and_rank_unranked_last():
    # sort: source, level, year, rank (missing last), unit name
    rows = [
        ("master", "M-low", 2.0, 2.0, None),
        ("bachelor", "B-high", 5.0, 5.0, None),
        ("master", "M-high", 4.0, 4.0, None),
        ("bachelor", "B-none", 3.0, None, None),
        ("bachelor", "B-low", 1.0, 1.0, None),
    ]
    scores = integration_scores(extract(rows), settings=Settings())
    assert list(scores["unit_name"]) == ["B-high", "B-low", "B-none", "M-high", "M-low"]


def test_rank_in_group_without_members_ranks_every_unit():
    scores = pd.DataFrame(
        {
            "source": "extract",
            "level": "master",
            "year": 2017,
            "institution": ["A", "B"],
            "unit_name": ["A", "B"],
            "integration_score": pd.array([3.0, 4.0], dtype="Float64"),
        }
    )
    ranked = rank_in_group(scores)
    assert list(ranked["rank"]) == [2, 1] and ranked["in_comparison_group"].all()
    assert (ranked["comparison_group"] == "all").all()
    # gaps: 3 − 4 = −1 to the best, 3 − 3.5 = −0.5 to the median and the mean
    assert list(ranked["gap_to_best"]) == [-1.0, 0.0] and list(ranked["gap_to_median"]) == [-0.5, 0.5]


def test_a_programme_the_survey_tables_hide_to_protect_another_is_hidden_here_too():
    """An attack found by hand: faculty 271 has A (3 respondents, all answering 1), B (6) and
    C (20). The survey tables hide A (3 < 5) and B with it (rule 4: else the faculty's mean
    minus B and C gives A). A score of one item is that item's mean: were B's score shown,
    29 · faculty − 6 · B − 20 · C = 3 · A, and A's 1.0 would be out. B is hidden here as well."""
    plan = [("271", "A", 3, 1), ("271", "B", 6, 2), ("271", "C", 20, 3), ("272", "D", 15, 4), ("272", "E", 15, 5)]
    decided, scores = _scores_beside_the_survey_tables(plan)
    # the survey pass: A primary, B secondary (the smallest visible sibling), the rest shown
    assert decided == {"A@271": "primary", "B@271": "secondary", "C@271": "", "D@272": "", "E@272": ""}
    for given in scores:  # the pipeline's own survey table, or one computed from the respondents
        assert {r.unit_code for r in given.itertuples() if not r.suppressed} == {"C", "D", "E"}
        for code in ("A", "B"):
            row = by_name(given, code)
            assert row["suppressed"] and pd.isna(row["academic"]) and pd.isna(row["social"]) and pd.isna(row["rank"])
        # C (all 3) is ranked below D (4) and E (5) among the three shown
        assert by_name(given, "C")["integration_score"] == pytest.approx(3.0) and by_name(given, "C")["rank"] == 3


def test_a_programme_code_under_two_faculties_is_hidden_where_either_is():
    """One programme code delivered under two faculties is two units in the survey tables and
    one row here (23 respondents): X@271's 3 answers are hidden there, so X is hidden here, or
    23 · X − 20 · X@272 = 3 · X@271."""
    plan = [("271", "X", 3, 1), ("271", "C", 20, 3), ("272", "X", 20, 3), ("272", "D", 15, 4)]
    decided, scores = _scores_beside_the_survey_tables(plan)
    assert decided["X@271"] == "primary" and decided["X@272"] == ""
    for given in scores:
        x = by_name(given, "X")
        assert x["n"] == 23 and x["suppressed"] and pd.isna(x["integration_score"])


def _scores_beside_the_survey_tables(plan: list[tuple]) -> tuple[dict[str, str], list[pd.DataFrame]]:
    """(faculty, programme, respondents, answer) -> the survey pass's reason per programme@faculty
    for the academic item, and the integration scores given the pipeline's survey items table
    and computed without it."""
    from analysis.metrics.survey_tables import survey_aggregates

    items = ("miljo_fag_13", "miljo_sosial_13")
    settings = Settings(
        survey=SurveySettings(min_n=5, warn_n=10, index_max_missing=1),
        integration=IntegrationSettings(scores={"academic": items[:1], "social": items[1:]}),
    )
    rows = [(code, answer, answer) for _, code, n, answer in plan for _ in range(n)]
    faculties = [faculty for faculty, _, n, _ in plan for _ in range(n)]
    frame = respondents(rows, items, institusjonskode="1150", fakultetskode=faculties)
    survey_items = survey_aggregates(frame, settings=settings).items
    programme = survey_items[(survey_items["level"] == "programme") & (survey_items["item"] == items[0])]
    decided = dict(
        zip(
            programme["unit_code"].astype(str) + "@" + programme["faculty_code"].astype(str),
            programme["suppression"].astype(str),
            strict=True,
        )
    )
    scores = [
        integration_scores(respondents=frame, settings=settings, survey_items=given) for given in (survey_items, None)
    ]
    return decided, scores


def test_a_score_outside_the_combination_is_hidden_where_the_survey_tables_hide_its_item():
    """A helper's attack, 2026-12-03: faculty 271 has A (2 respondents; fellesskap answers 1
    and 2), B (10; 6 answer fellesskap), C (20) and D (7, none answering fellesskap). The
    survey tables hide A's fellesskap item (2 < 5) and B's with it (the smallest shown sibling
    with answers); B's academic and social stay shown (D, 7, is their complement). A one-item
    score is its item's mean: were B's fellesskap shown here (3.0), the faculty's item, 28 ·
    mean − 6 · 3 − 20 · 4, would give A's 1 + 2. B's row is shown, its fellesskap is not."""
    from analysis.metrics.survey_tables import survey_aggregates

    items = ("miljo_fag_13", "miljo_sosial_13", "miljo_studans_15")
    settings = Settings(
        survey=SURVEY,
        integration=IntegrationSettings(
            scores={"academic": items[:1], "social": items[1:2], "fellesskap": items[2:]},
        ),
    )
    rows = (
        [("A", 3, 3, 1), ("A", 3, 3, 2)]
        + [("B", 4, 4, 3)] * 6
        + [("B", 4, 4, None)] * 4
        + [("C", 2, 2, 4)] * 20
        + [("D", 5, 5, None)] * 7
    )
    frame = respondents(rows, items, institusjonskode="1150", fakultetskode="271")
    survey_items = survey_aggregates(frame, settings=settings.survey).items
    fellesskap = survey_items[(survey_items["level"] == "programme") & (survey_items["item"] == items[2])]
    assert dict(zip(fellesskap["unit_code"], fellesskap["suppression"], strict=True)) == {
        "A": "primary",
        "B": "secondary",
        "C": "",
        "D": "primary",  # (no answer: hidden, and no complement for A)
    }
    for given in (survey_items, None):  # the pipeline's own survey table, or one computed here
        scores = integration_scores(respondents=frame, settings=settings, survey_items=given)
        b = by_name(scores, "B")
        assert not b["suppressed"] and b["academic"] == pytest.approx(4.0) and pd.isna(b["fellesskap"])
        assert by_name(scores, "C")["fellesskap"] == pytest.approx(4.0)
