"""What the survey tables carry for the report (issue 11 part 5): answer distributions with
"vet ikke" counted apart and hidden with their cell, confidence intervals clipped to the 1–5
scale, and the Benjamini–Hochberg significance mark on year-on-year changes.

Expected values are worked out by hand in the comments, or come from scipy.stats.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from analysis.metrics.survey import benjamini_hochberg
from analysis.metrics.survey_counts import read_survey_respondents
from analysis.metrics.survey_tables import survey_aggregates
from analysis.settings import SurveySettings

ITEM = "underv_engasj_18"


def csv(tmp_path, rows: list[str], header: str = f"studprog_kod;aar;{ITEM}", name: str = "sb.csv"):
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def row(table: pd.DataFrame, **where) -> pd.Series:
    mask = np.ones(len(table), dtype=bool)
    for column, value in where.items():
        mask &= (table[column].astype(object) == value).to_numpy()
    [index] = np.flatnonzero(mask)
    return table.iloc[index]


def items_of(path, survey: SurveySettings) -> pd.DataFrame:
    from analysis.readers.survey_raw import open_survey_respondents

    return survey_aggregates(open_survey_respondents(path), settings=survey).items


def test_the_distribution_counts_each_answer_and_vet_ikke_apart(tmp_path):
    # answers 5, 5, 4, 3, 1 (n = 5), two "vet ikke", one blank:
    # counts 1: 1, 2: 0, 3: 1, 4: 1, 5: 2 -> 20 %, 0 %, 20 %, 20 %, 40 % of n;
    # "vet ikke" 2 of the 7 who answered the item at all -> 28.571 %
    path = csv(tmp_path, [f"A;2024;{v}" for v in ("5", "5", "4", "3", "9999", "9999", "", "1")])
    r = row(items_of(path, SurveySettings(min_n=5, warn_n=10)), unit_code="A")
    assert r["n"] == 5 and r["mean"] == pytest.approx(18 / 5)
    assert [r[f"count_{a}"] for a in range(1, 6)] == [1, 0, 1, 1, 2]
    assert [r[f"pct_{a}"] for a in range(1, 6)] == pytest.approx([20.0, 0.0, 20.0, 20.0, 40.0])
    assert r["dont_know"] == 2 and r["dont_know_pct"] == pytest.approx(200 / 7)


def test_the_distribution_is_hidden_with_its_cell(tmp_path):
    # faculty 600 = programme A (n 2: primary) + programme B (n 10: hidden as well, or A would
    # follow by subtraction); the faculty itself (n 12) is shown, with its distribution
    rows = [f"1150;600;A;2024;{v}" for v in (1, 2)] + [f"1150;600;B;2024;{v}" for v in (5,) * 6 + (4,) * 4]
    rows += ["1150;600;B;2024;9999"]
    path = csv(tmp_path, rows, header=f"institusjonskode;fakultetskode;studprog_kod;aar;{ITEM}")
    items = items_of(path, SurveySettings(min_n=5, warn_n=5))
    distribution = [
        *(f"count_{a}" for a in range(1, 6)),
        *(f"pct_{a}" for a in range(1, 6)),
        "dont_know",
        "dont_know_pct",
    ]
    for unit, reason in (("A", "primary"), ("B", "secondary")):
        r = row(items, level="programme", unit_code=unit)
        assert r["suppression"] == reason and r["n"] > 0
        assert r[distribution].isna().all()
    faculty = row(items, level="faculty", unit_code="600")
    assert not faculty["suppressed"]
    # 1, 2, six 5s and four 4s: counts 1, 1, 0, 4, 6 of n = 12; one "vet ikke" of 13
    assert [faculty[f"count_{a}"] for a in range(1, 6)] == [1, 1, 0, 4, 6]
    assert faculty["dont_know"] == 1 and faculty["dont_know_pct"] == pytest.approx(100 / 13)


def test_the_interval_is_clipped_to_the_scale(tmp_path):
    # 5, 5, 5, 5, 4: mean 4.8, sd √0.2 = 0.4472136; t(0.975, df 4) = 2.7764451 (t-table);
    # half-width 2.7764451 · 0.4472136 / √5 = 0.5552890 -> [4.2447110, 5.3552890], clipped at 5.
    # 1, 1, 1, 1, 2: mean 1.2, the same half-width -> [0.6447110, 1.7552890], clipped at 1.
    path = csv(tmp_path, [f"H;2024;{v}" for v in (5, 5, 5, 5, 4)] + [f"L;2024;{v}" for v in (1, 1, 1, 1, 2)])
    items = items_of(path, SurveySettings(min_n=5, warn_n=5))
    high, low = row(items, unit_code="H"), row(items, unit_code="L")
    assert high["ci_low"] == pytest.approx(4.2447110, abs=1e-6) and high["ci_high"] == 5.0
    assert low["ci_low"] == 1.0 and low["ci_high"] == pytest.approx(1.7552890, abs=1e-6)
    assert high["sd"] == pytest.approx(math.sqrt(0.2))


def test_benjamini_hochberg_by_hand():
    # p 0.01, 0.04, 0.03, 0.20 (m = 4). Sorted: 0.01, 0.03, 0.04, 0.20; p·m/rank: 0.04, 0.06,
    # 0.0533, 0.20; the smallest from each rank on: 0.04, 0.0533, 0.0533, 0.20.
    got = benjamini_hochberg(np.array([[0.01, 0.04, 0.03, 0.20]]))
    np.testing.assert_allclose(got, [[0.04, 0.16 / 3, 0.16 / 3, 0.20]])
    # no test (NaN) is not one of the family's tests: m = 2 here, and stays NaN
    got = benjamini_hochberg(np.array([0.01, np.nan, 0.04]))
    np.testing.assert_allclose(got, [0.02, np.nan, 0.04])


@hsettings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.floats(0, 1), st.just(float("nan"))), min_size=6, max_size=6), min_size=1, max_size=4
    )
)
def test_benjamini_hochberg_matches_scipy_row_by_row(rows):
    from scipy.stats import false_discovery_control

    p = np.array(rows)
    got = benjamini_hochberg(p)
    for given_row, adjusted in zip(p, got):
        tested = ~np.isnan(given_row)
        assert np.isnan(adjusted[~tested]).all()
        if tested.any():
            np.testing.assert_allclose(
                adjusted[tested], false_discovery_control(given_row[tested], method="bh"), rtol=1e-12
            )
            assert (adjusted[tested] >= given_row[tested]).all()


def test_changes_carry_a_bh_mark_within_one_units_items_in_one_year(tmp_path):
    """Programme X: item A moves from 1–2 to 4–5, item B hardly moves. Welch p from
    scipy.stats, adjusted by hand for the family of X's two items in 2024; programme Y in the same
    file does not change X's adjusted p-values."""
    from scipy.stats import ttest_ind_from_stats

    a23, a24 = [1, 2, 1, 2, 1, 2], [4, 5, 4, 5, 4, 5]
    b23, b24 = [2, 3, 2, 3, 2, 3], [2, 3, 2, 3, 2, 4]
    header = f"studprog_kod;aar;{ITEM};underv_formidl_18"
    rows = [f"X;2023;{a};{b}" for a, b in zip(a23, b23)] + [f"X;2024;{a};{b}" for a, b in zip(a24, b24)]
    others = [f"Y;{year};{v};{v}" for year in (2023, 2024) for v in (1, 5, 3, 3, 2, 4)]
    survey = SurveySettings(min_n=5, warn_n=5, confidence_level=0.95)

    def p(before, after):
        return ttest_ind_from_stats(
            np.mean(after),
            np.std(after, ddof=1),
            len(after),
            np.mean(before),
            np.std(before, ddof=1),
            len(before),
            equal_var=False,
        ).pvalue

    pa_, pb = p(a23, a24), p(b23, b24)
    assert pa_ < 0.001 < 0.05 < pb
    # m = 2: the smaller p doubled (while below the larger), the larger as it is
    expected = {ITEM: min(2 * pa_, pb), "underv_formidl_18": pb}
    for data in (rows, rows + others):
        changes = survey_aggregates(read_survey_respondents(csv(tmp_path, data, header)).frame, settings=survey).changes
        for item, adjusted in expected.items():
            r = row(changes, unit_code="X", name=item, kind="item")
            assert r["p_adjusted"] == pytest.approx(adjusted, rel=1e-9)
            assert r["significant"] == (adjusted < 0.05)
        assert row(changes, unit_code="X", name=ITEM)["change"] == pytest.approx(3.0)


def _hidden_change(tmp_path) -> pd.DataFrame:
    """Programme S: 2023 below the minimum n (2 of 5), 2024 shown: its change is hidden."""
    rows = [f"S;2023;{v}" for v in (1, 1)] + [f"S;2024;{v}" for v in (5, 5, 5, 4, 5)]
    return survey_aggregates(
        read_survey_respondents(csv(tmp_path, rows)).frame, settings=SurveySettings(min_n=5, warn_n=5)
    ).changes


def test_a_hidden_year_gives_no_test_and_no_mark(tmp_path):
    """A hidden change is unknown: its significance mark is missing, never "not significant"."""
    changes = _hidden_change(tmp_path)
    r = row(changes, unit_code="S")
    assert pd.isna(r["change"]) and pd.isna(r["p_value"]) and pd.isna(r["p_adjusted"])
    assert r["significant"] is pd.NA
    assert changes["significant"].dtype == "boolean"


@pytest.mark.parametrize("mark", [True, False])
def test_the_contract_refuses_a_mark_where_no_test_is_shown(tmp_path, mark):
    from pandera.errors import SchemaErrors

    from schemas.survey_results import SurveyChanges

    changes = _hidden_change(tmp_path)
    changes["significant"] = pd.array([mark] * len(changes), dtype="boolean")
    with pytest.raises(SchemaErrors, match="a significance mark"):
        SurveyChanges.validate(changes, lazy=True)


def test_the_contract_refuses_a_test_without_its_mark(tmp_path):
    from pandera.errors import SchemaErrors

    from schemas.survey_results import SurveyChanges

    rows = [f"S;{year};{v}" for year in (2023, 2024) for v in (1, 2, 3, 4, 5, 4)]
    changes = survey_aggregates(
        read_survey_respondents(csv(tmp_path, rows)).frame, settings=SurveySettings(min_n=5, warn_n=5)
    ).changes
    assert changes["p_adjusted"].notna().all() and changes["significant"].notna().all()
    SurveyChanges.validate(changes, lazy=True)  # as computed: every test has its mark
    changes["significant"] = pd.array([pd.NA] * len(changes), dtype="boolean")
    with pytest.raises(SchemaErrors, match="a test without its mark"):
        SurveyChanges.validate(changes, lazy=True)
