"""The survey definitions (``analysis.metrics.survey``) one rule at a time (issue 13).

What an answer is, Σ/mean/sd, the index rule, the t quantile and interval, Welch's test and
Benjamini–Hochberg are called on small hand-made arrays; every expected value is worked out in
the comments from the rule as the module's docstring states it, or from a closed form of the t
distribution or a published t table (never from the code's own output). The last part reads
small hand-made files in each format (``analysis.readers.survey_raw``): 9999, blanks (null,
NaN, empty text), non-answers, each cell's row, in every column type a writer may use.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pandera.errors
import pandera.pandas as pandera
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pandera.typing.pandas import Series

from analysis.errors import InputError
from analysis.metrics.survey import (
    BLANK,
    DONT_KNOW_CELL,
    NOT_AN_ANSWER,
    TQuantiles,
    answer_codes,
    answer_sums,
    benjamini_hochberg,
    confidence_interval,
    index_min_answered,
    mean_and_sd,
    respondent_index,
    survey_settings,
    t_quantile,
    welch_p,
)
from analysis.metrics.survey_counts import read_survey_respondents
from analysis.metrics.survey_tables import survey_aggregates
from analysis.readers.survey_raw import cell_numbers, text_numbers
from analysis.settings import Settings, SurveySettings

DK, NOT = DONT_KNOW_CELL, NOT_AN_ANSWER

# --- what an answer is --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dtype", ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "float16", "float32", "float64"]
)
def test_the_scale_is_an_answer_and_its_neighbours_are_not(dtype):
    # the 1–5 scale is the answer itself; 0 and 6 are the scale's neighbours, not answers
    values = np.array([0, 1, 2, 3, 4, 5, 6], dtype=dtype)
    codes = answer_codes(values)
    assert codes.dtype == np.int8
    assert codes.tolist() == [NOT, 1, 2, 3, 4, 5, NOT]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_an_infinite_or_the_largest_float_is_not_an_answer_and_is_read_without_overflow(dtype):
    """float16's largest number is 65504, below the 65535 a number is clipped to: that bound
    overflowed to inf in float16 (numpy's "overflow encountered in cast"), and an infinite cell
    was then cast to uint16 unclipped, which C leaves undefined ("invalid value encountered in
    cast"). Each of inf, −inf, NaN and the type's largest number is not an answer, read without
    a warning."""
    import warnings

    values = np.array([np.inf, -np.inf, np.nan, np.finfo(dtype).max, 3], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        codes = answer_codes(values)
    assert codes.tolist() == [NOT, NOT, NOT, NOT, 3]


@pytest.mark.parametrize("dtype", ["int16", "int32", "int64", "uint16", "float64"])
def test_9999_is_vet_ikke_and_its_neighbours_are_not_answers(dtype):
    codes = answer_codes(np.array([9998, 9999, 10000], dtype=dtype))
    assert codes.tolist() == [NOT, DK, NOT]


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "float64"])
def test_a_negative_number_is_not_an_answer(dtype):
    # −1, −3 and −5: not answers, whatever the bits look like unsigned
    assert answer_codes(np.array([-1, -3, -5], dtype=dtype)).tolist() == [NOT, NOT, NOT]


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint32", "float64"])
def test_a_number_that_is_an_answer_modulo_65536_is_not_an_answer(dtype):
    # 65536 + 3 = 65539 and 2·65536 + 1 = 131073 wrap to 3 and 1 in 16 bits, and
    # 65536 + 9999 = 75535 to 9999: none is an answer. 65535 and 65536 are the edges of 16 bits.
    values = np.array([65539, 131073, 75535, 65535, 65536], dtype=dtype)
    assert answer_codes(values).tolist() == [NOT, NOT, NOT, NOT, NOT]


def test_a_negative_number_that_wraps_to_an_answer_is_not_an_answer():
    # −65533 is 3 modulo 65536 (−65533 + 65536 = 3); −65536 + 9999 = −55537 is 9999 modulo 65536
    assert answer_codes(np.array([-65533, -55537], dtype=np.int64)).tolist() == [NOT, NOT]
    assert answer_codes(np.array([-65533, -55537], dtype=np.int32)).tolist() == [NOT, NOT]


def test_a_fraction_is_not_an_answer_and_a_whole_float_is():
    # 3.5 and 2.999 lie between answers; 3.0 and 9999.0 are the whole numbers 3 and 9999
    # (a column with blanks saved from pandas is a float column); 1e300 and −inf are no answers
    values = np.array([3.5, 2.999, 3.0, 9999.0, 5.0000001, 1e300, -np.inf, np.inf, 0.5], dtype=np.float64)
    assert answer_codes(values).tolist() == [NOT, NOT, 3, DK, NOT, NOT, NOT, NOT, NOT]


def test_a_float_just_above_an_answer_modulo_65536_is_not_an_answer():
    # 65539.0 is 3 modulo 65536, 65536.0 + 9999 too: a float beyond 16 bits is no answer;
    # −65533.0 is 3 modulo 65536 from below
    values = np.array([65539.0, 75535.0, 65536.0, 131073.0, -65533.0, -55537.0])
    assert answer_codes(values).tolist() == [NOT] * 6


def test_a_blank_cell_is_blank_whatever_it_holds():
    # under a blank cell the writer may have left anything: 3, 9999, 0, NaN, 7 — all blank
    values = np.array([3, 9999, 0, 7, 4], dtype=np.int16)
    blank = np.array([True, True, True, True, False])
    assert answer_codes(values, blank).tolist() == [BLANK, BLANK, BLANK, BLANK, 4]
    floats = np.array([np.nan, 2.0, 3.5])
    assert answer_codes(floats, np.array([True, False, False])).tolist() == [BLANK, 2, NOT]
    # without a blank mask no cell is blank, and 0 is not an answer (nor a blank)
    assert answer_codes(np.array([0, 1], dtype=np.int8)).tolist() == [NOT, 1]
    assert BLANK not in (DK, NOT, 1, 2, 3, 4, 5)


# --- n, Σx, Σx², mean and sd -------------------------------------------------------------------


def test_sums_from_the_counts_of_each_answer():
    # counts of answers 1..5. Group 1: one 1 and one 5: n 2, Σx 6, Σx² 1 + 25 = 26.
    # Group 2: 2×2, 3×3, 1×4: n 6, Σx 4 + 9 + 4 = 17, Σx² 2·4 + 3·9 + 16 = 51. Group 3: none.
    counts = np.array([[1, 0, 0, 0, 1], [0, 2, 3, 1, 0], [0, 0, 0, 0, 0]], dtype=np.int32)
    n, total, squares = answer_sums(counts)
    assert n.tolist() == [2, 6, 0] and total.tolist() == [6, 17, 0] and squares.tolist() == [26, 51, 0]
    # "exactly": whole numbers, summed as integers
    assert n.dtype.kind == total.dtype.kind == squares.dtype.kind == "i"


def test_sums_along_the_last_axis_of_a_groups_by_items_table():
    # 2 groups × 2 items × 5 answers: the sums are per group and item (the last axis)
    counts = np.zeros((2, 2, 5), dtype=np.int32)
    counts[0, 0] = [0, 0, 0, 0, 3]  # three 5s: n 3, Σ 15, Σ² 75
    counts[0, 1] = [1, 1, 0, 0, 0]  # 1 and 2: n 2, Σ 3, Σ² 5
    counts[1, 0] = [0, 0, 1, 0, 0]  # one 3: n 1, Σ 3, Σ² 9
    n, total, squares = answer_sums(counts)
    assert n.tolist() == [[3, 2], [1, 0]]
    assert total.tolist() == [[15, 3], [3, 0]]
    assert squares.tolist() == [[75, 5], [9, 0]]


def test_sums_do_not_overflow_a_small_count_type():
    # 20,000 answers of 5 counted in int16: Σx² = 20,000 · 25 = 500,000 (beyond int16 and uint16)
    n, total, squares = answer_sums(np.array([[0, 0, 0, 0, 20_000]], dtype=np.int16))
    assert (n[0], total[0], squares[0]) == (20_000, 100_000, 500_000)


def test_mean_and_sample_sd_by_hand():
    # answers 1, 5: mean 3, s² = ((1−3)² + (5−3)²) / (2 − 1) = 8
    # answers 4, 4, 4: mean 4, s = 0 (not NaN: three values)
    # answers 2, 3, 4, 5: mean 3.5, s² = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3
    n = np.array([2, 3, 4])
    total = np.array([6, 12, 14])
    squares = np.array([26, 48, 54])
    mean, sd = mean_and_sd(n, total, squares)
    np.testing.assert_allclose(mean, [3.0, 4.0, 3.5])
    np.testing.assert_allclose(sd, [math.sqrt(8), 0.0, math.sqrt(5 / 3)], atol=1e-12)


def test_sd_of_a_hundred_thousand_answers_counted_in_int32():
    # 50,000 answers 1 and 50,000 answers 5, n counted in int32 (Σx and Σx² as answer_sums
    # gives them, int64): n 100,000, Σx 300,000, Σx² 50,000 + 1,250,000 = 1,300,000; mean 3;
    # s² = (n·Σx² − (Σx)²) / (n(n − 1)) = (1.3e11 − 9e10) / (100,000 · 99,999) = 4e10 / 9,999,900,000
    #    = 4.00004 (n(n − 1) ≈ 1e10 is beyond int32: computed in floats)
    n = np.array([100_000], dtype=np.int32)
    total, squares = np.array([300_000], dtype=np.int64), np.array([1_300_000], dtype=np.int64)
    mean, sd = mean_and_sd(n, total, squares)
    assert mean[0] == 3.0
    assert sd[0] == pytest.approx(math.sqrt(4e10 / 9_999_900_000), rel=1e-12)


def test_no_sd_below_two_values_and_no_mean_without_values():
    # one answer 4: mean 4, sd undefined (n − 1 = 0); no answer: neither. Quietly: a unit
    # without answers is normal, not a numerical accident worth a warning on the adviser's screen
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mean, sd = mean_and_sd(np.array([0, 1, 2]), np.array([0, 4, 8]), np.array([0, 16, 32]))
    assert np.isnan(mean[0]) and mean[1] == 4.0 and mean[2] == 4.0
    assert np.isnan(sd[0]) and np.isnan(sd[1]) and sd[2] == 0.0


def test_an_sd_of_float_index_values_rounding_below_zero_is_zero():
    # three respondents with index 10/3 each: n·Σx² − (Σx)² is 0 in exact arithmetic, and in
    # floats it may come out a hair below 0; the sd is 0, never NaN
    x = 10 / 3
    values = np.array([x, x, x])
    total, squares = values.sum(), (values * values).sum()
    mean, sd = mean_and_sd(np.array([3]), np.array([total]), np.array([squares]))
    assert mean[0] == pytest.approx(x) and sd[0] == pytest.approx(0.0, abs=1e-6) and not np.isnan(sd[0])
    # and a numerator exactly −1e-9 (rounding) is clipped to 0, not the square root of a negative
    _, sd = mean_and_sd(np.array([3.0]), np.array([10.0]), np.array([(100.0 - 1e-9) / 3]))
    assert sd[0] == 0.0


# --- the index rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n_items", "max_missing", "expected"),
    [
        (4, 1, 3),  # NOKUT's common rule: 3 of 4
        (4, 0, 4),  # none may be missing
        (5, 1, 4),
        (5, 2, 3),
        (2, 1, 1),
        (1, 1, 1),  # all may be missing, but an index needs one answer
        (3, 5, 1),
        (1, 0, 1),
    ],
)
def test_how_many_items_a_respondent_must_answer(n_items, max_missing, expected):
    assert index_min_answered(n_items, max_missing) == expected


def test_a_respondents_index_is_the_mean_of_its_answers_when_enough_are_answered():
    # a 4-item index, at most 1 missing: 4 answered (Σ 12) → 3; 3 answered (Σ 10) → 10/3;
    # 2 answered → none; 0 answered → none
    total = np.array([12, 10, 7, 0])
    answered = np.array([4, 3, 2, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a respondent who answered none is no warning
        got = respondent_index(total, answered, 4, 1)
    np.testing.assert_allclose(got, [3.0, 10 / 3, np.nan, np.nan])
    # a 1-item index with max_missing 1: one answer is enough, none is not
    np.testing.assert_allclose(respondent_index(np.array([5, 0]), np.array([1, 0]), 1, 1), [5.0, np.nan])


# --- the t quantile and the confidence interval -------------------------------------------------


def test_t_quantile_from_closed_forms():
    # df 1 (Cauchy): t = tan(π(level/2)) → level 0.95: tan(0.475π) = 12.7062047; 0.90: 6.3137515
    # df 2: F(t) = 1/2 + t / (2√(2 + t²)) → t = level · √(2 / (1 − level²)):
    #   0.95: 0.95 · √(2 / 0.0975) = 4.3026527; 0.99: 0.99 · √(2 / 0.0199) = 9.9248432
    # (the published tables give 12.706, 6.314, 4.303 and 9.925)
    for level, df, expected in [
        (0.95, 1, math.tan(0.475 * math.pi)),
        (0.90, 1, math.tan(0.45 * math.pi)),
        (0.95, 2, 0.95 * math.sqrt(2 / (1 - 0.95**2))),
        (0.99, 2, 0.99 * math.sqrt(2 / (1 - 0.99**2))),
    ]:
        assert t_quantile(np.array([df]), level)[0] == pytest.approx(expected, rel=1e-9)
    assert t_quantile(np.array([1]), 0.95)[0] == pytest.approx(12.706, abs=5e-4)
    assert t_quantile(np.array([2]), 0.95)[0] == pytest.approx(4.303, abs=5e-4)


def test_t_quantile_against_the_published_table():
    # Student's t table, two-sided 95 %: df 3 → 3.182, 4 → 2.776, 10 → 2.228, 30 → 2.042,
    # 120 → 1.980; two-sided 90 %, df 10 → 1.812
    got = t_quantile(np.array([[3, 4, 10], [30, 120, 10]]), 0.95)
    assert got.shape == (2, 3)
    np.testing.assert_allclose(got, [[3.182, 2.776, 2.228], [2.042, 1.980, 2.228]], atol=5e-4)
    assert t_quantile(np.array([10]), 0.90)[0] == pytest.approx(1.812, abs=5e-4)


def test_no_t_quantile_below_one_degree_of_freedom():
    # df 0 (one value) and below: no interval; the df-1 value stays Cauchy's
    got = t_quantile(np.array([0, -1, 1, 0]), 0.95)
    assert np.isnan(got[0]) and np.isnan(got[1]) and np.isnan(got[3])
    assert got[2] == pytest.approx(math.tan(0.475 * math.pi), rel=1e-9)


def test_t_quantiles_looked_up_are_the_quantiles_computed():
    # a table of df given once, then asked for in batches: df given, df not given (larger, in
    # between, below one) and the published values (df 4 → 2.776, 30 → 2.042 at 95 %)
    given = [np.array([[0, 4, 30], [4, 9, -2]]), np.array([120])]
    quantiles = TQuantiles(given, 0.95)
    asked = np.array([[4, 30, 120, 0], [5, 1000, -1, 9]])
    np.testing.assert_array_equal(quantiles(asked), t_quantile(asked, 0.95))
    assert quantiles(np.array([4, 30])) == pytest.approx([2.776, 2.042], abs=5e-4)
    assert np.isnan(TQuantiles([], 0.95)(np.array([0, 3]))[0])  # an empty table: computed
    assert TQuantiles([], 0.95)(np.array([3]))[0] == pytest.approx(3.182, abs=5e-4)
    # df that are not whole numbers are computed, not tabled; unsigned n − 1 (wrapped round
    # below zero) is not tabled either; a few very large df are tabled without a huge table
    floats = np.array([4.0, np.nan, 30.0])
    np.testing.assert_array_equal(TQuantiles([floats], 0.95)(floats), t_quantile(floats, 0.95))
    wrapped = np.array([0, 5], dtype=np.uint32) - np.uint32(1)
    assert TQuantiles([wrapped], 0.95)(np.array([4]))[0] == pytest.approx(2.776, abs=5e-4)
    large = np.array([4, 10**12])
    np.testing.assert_array_equal(TQuantiles([large], 0.95)(large), t_quantile(large, 0.95))
    # the interval with the table looked up is the interval computed
    mean, sd, n = np.array([3.0, 2.5, 4.0]), np.array([0.5, 1.0, 0.2]), np.array([5, 31, 1])
    np.testing.assert_array_equal(
        confidence_interval(mean, sd, n, 0.95, TQuantiles([n - 1], 0.95)), confidence_interval(mean, sd, n, 0.95)
    )
    with pytest.raises(ValueError, match="0.9"):  # a table for another level is refused
        confidence_interval(mean, sd, n, 0.95, TQuantiles([n - 1], 0.90))


def test_t_quantiles_given_are_looked_up_not_computed_again(monkeypatch):
    # the point of the table: a df it was made for is not computed again (df 4 → 2.776, 30 →
    # 2.042, 9 → 2.262 at 95 %; below one, none)
    import analysis.metrics.survey as survey

    quantiles = TQuantiles([np.array([[4, 30], [0, 9]])], 0.95)

    def computed(*args, **kwargs):
        raise AssertionError("t_quantile computed again for a df in the table")

    monkeypatch.setattr(survey, "t_quantile", computed)
    got = quantiles(np.array([4, 30, 9, 0, -1]))
    np.testing.assert_allclose(got[:3], [2.776, 2.042, 2.262], atol=5e-4)
    assert np.isnan(got[3:]).all()


def test_only_the_df_not_in_the_table_are_computed_and_the_interval_looks_them_up(monkeypatch):
    # a batch with df in the table and df not in it: only the others are computed (the tabled
    # ones stand in as one value, thrown away); the interval given the table computes none
    import analysis.metrics.survey as survey

    real = survey.t_quantile
    quantiles = TQuantiles([np.array([4, 30, 9])], 0.95)
    computed: list[set] = []

    def recording(df, level):
        computed.append(set(np.unique(df).tolist()))
        return real(df, level)

    monkeypatch.setattr(survey, "t_quantile", recording)
    asked = np.array([4, 30, 12, 9, 40])
    np.testing.assert_array_equal(quantiles(asked), real(asked, 0.95))
    assert len(computed) == 1 and {12, 40} <= computed[0] and not computed[0] & {4, 30, 9}

    def not_again(*args, **kwargs):
        raise AssertionError("t_quantile computed although the interval was given the table")

    monkeypatch.setattr(survey, "t_quantile", not_again)
    mean, sd, n = np.array([3.0, 2.5]), np.array([0.5, 1.0]), np.array([5, 31])
    low, high = confidence_interval(mean, sd, n, 0.95, quantiles)
    monkeypatch.setattr(survey, "t_quantile", real)
    np.testing.assert_array_equal(low, confidence_interval(mean, sd, n, 0.95)[0])
    np.testing.assert_array_equal(high, confidence_interval(mean, sd, n, 0.95)[1])


def test_the_confidence_interval_of_a_mean_by_hand():
    # mean 3, sd 0.5, n 3: df 2, t = 4.3026527 (closed form above), half-width t · 0.5 / √3
    #   = 1.2420686 → [1.7579314, 4.2420686]
    # mean 3, sd 1, n 5: df 4, t = 2.776 (table), half 2.776 / √5 = 1.2415 → [1.7585, 4.2415]
    t2 = 0.95 * math.sqrt(2 / (1 - 0.95**2))
    half = t2 * 0.5 / math.sqrt(3)
    low, high = confidence_interval(np.array([3.0, 3.0]), np.array([0.5, 1.0]), np.array([3, 5]), 0.95)
    assert low[0] == pytest.approx(3 - half, rel=1e-9) and high[0] == pytest.approx(3 + half, rel=1e-9)
    assert low[1] == pytest.approx(1.7585, abs=2e-4) and high[1] == pytest.approx(4.2415, abs=2e-4)


def test_the_interval_is_clipped_to_the_scale_on_each_side_alone():
    # mean 1.5, sd 0.5, n 3: 1.5 ± 1.2420686 → [0.258, 2.742]: the low end clipped to 1 only;
    # mean 4.5: [3.258, 5.742] → high end clipped to 5 only
    half = 0.95 * math.sqrt(2 / (1 - 0.95**2)) * 0.5 / math.sqrt(3)
    low, high = confidence_interval(np.array([1.5, 4.5]), np.array([0.5, 0.5]), np.array([3, 3]), 0.95)
    assert low[0] == 1.0 and high[0] == pytest.approx(1.5 + half, rel=1e-9)
    assert low[1] == pytest.approx(4.5 - half, rel=1e-9) and high[1] == 5.0


def test_no_interval_from_one_value_or_none():
    # one value: no sd and df 0; no value: no mean either. Quietly (no numerical warning)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        low, high = confidence_interval(np.array([4.0, np.nan]), np.array([np.nan, np.nan]), np.array([1, 0]), 0.95)
    assert np.isnan(low).all() and np.isnan(high).all()


# --- Welch's test --------------------------------------------------------------------------------


def test_welch_p_with_unequal_n_and_sd_where_welchs_df_is_four():
    # group a: n 3, s² 1.2 → v_a = s²/n = 0.4; group b: n 5, s² 1.0 → v_b = 0.2
    # Welch df = (v_a + v_b)² / (v_a²/(n_a − 1) + v_b²/(n_b − 1)) = 0.36 / (0.16/2 + 0.04/4) = 4
    # (Student's pooled df would be 3 + 5 − 2 = 6). Means 2 + 2√0.6 and 2: t = 2√0.6 / √0.6 = 2.
    # For df 4, P(|T| > t) = 1 − t(t² + 6) / (t² + 4)^{3/2} = 1 − 20 / 8^{1.5} = 1 − 5/(4√2)
    #   = 0.1161165
    expected = 1 - 5 / (4 * math.sqrt(2))
    assert expected == pytest.approx(0.1161165, abs=1e-7)
    mean_a, sd_a, n_a = np.array([2 + 2 * math.sqrt(0.6)]), np.array([math.sqrt(1.2)]), np.array([3])
    mean_b, sd_b, n_b = np.array([2.0]), np.array([1.0]), np.array([5])
    assert welch_p(mean_a, sd_a, n_a, mean_b, sd_b, n_b)[0] == pytest.approx(expected, rel=1e-9)
    # the two groups the other way round: the same two-sided p
    assert welch_p(mean_b, sd_b, n_b, mean_a, sd_a, n_a)[0] == pytest.approx(expected, rel=1e-9)


def test_welch_p_where_welchs_df_is_two():
    # n_a 2, s_a² 2 → v_a = 1; n_b 2, s_b² 2 → v_b = 1: df = 4 / (1 + 1) = 2; t = 2/√2 = √2.
    # df 2: P(|T| > t) = 1 − t / √(2 + t²) = 1 − √2/2 = 0.2928932
    p = welch_p(
        np.array([3.0]),
        np.array([math.sqrt(2)]),
        np.array([2]),
        np.array([1.0]),
        np.array([math.sqrt(2)]),
        np.array([2]),
    )
    assert p[0] == pytest.approx(1 - math.sqrt(2) / 2, rel=1e-9)


def test_no_welch_test_without_variance():
    # both groups without variance: t = 0/0 (same means) or ±1/0 (different means) and
    # df = 0/0: no test, and no numerical warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = welch_p(
            np.array([3.0, 3.0]),
            np.array([0.0, 0.0]),
            np.array([4, 4]),
            np.array([3.0, 4.0]),
            np.array([0.0, 0.0]),
            np.array([6, 6]),
        )
    assert np.isnan(p).all()


# --- Benjamini–Hochberg --------------------------------------------------------------------------


def test_bh_per_row_counts_only_that_rows_tests():
    # row 1: p 0.02, 0.01 and no test: m = 2; sorted 0.01, 0.02 → 0.01·2/1 = 0.02, 0.02·2/2 = 0.02
    # row 2: p 0.04 and two no-tests: m = 1 → 0.04
    # row 3: p 0.03, 0.03, 0.03 (ties): m = 3 → 0.09, 0.045, 0.03 → smallest from each on: 0.03
    p = np.array([[0.02, 0.01, np.nan], [np.nan, 0.04, np.nan], [0.03, 0.03, 0.03]])
    got = benjamini_hochberg(p)
    np.testing.assert_allclose(got, [[0.02, 0.02, np.nan], [np.nan, 0.04, np.nan], [0.03, 0.03, 0.03]])


def test_bh_of_a_single_test_is_its_p_and_large_ps_stay_at_most_one():
    # one test: m/rank = 1. p 0.9 and 0.6 (m 2): 0.6·2 = 1.2, 0.9·2/2 = 0.9 → both 0.9
    assert benjamini_hochberg(np.array([0.37]))[0] == pytest.approx(0.37)
    np.testing.assert_allclose(benjamini_hochberg(np.array([0.9, 0.6])), [0.9, 0.9])
    # p 1 and 1: both 1
    np.testing.assert_allclose(benjamini_hochberg(np.array([1.0, 1.0, 0.5])), [1.0, 1.0, 1.0])


def test_bh_of_single_precision_p_values_is_exact():
    # p 0.01 and 0.04 given as float32 (m = 2): 0.01·2 = 0.02, 0.04·2/2 = 0.04, computed in
    # double precision from the float32 values given
    p = np.array([0.01, 0.04], dtype=np.float32)
    got = benjamini_hochberg(p)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, [2 * float(p[0]), float(p[1])], rtol=1e-15)


def test_bh_with_no_test_at_all():
    got = benjamini_hochberg(np.array([[np.nan, np.nan]]))
    assert np.isnan(got).all() and got.shape == (1, 2)


# --- the settings the definitions need ------------------------------------------------------------


def test_survey_settings_are_taken_from_the_settings_or_given_alone():
    survey = SurveySettings(min_n=3, warn_n=4)
    assert survey_settings(survey) is survey
    assert survey_settings(Settings(survey=survey)) is survey


@pytest.mark.parametrize(
    ("min_n", "warn_n", "max_missing"),
    [(1, 1, 0), (1, 5, 0), (5, 5, 1), (5, 10, 3)],
)
def test_the_smallest_valid_survey_settings(min_n, warn_n, max_missing):
    # min_n 1, warn_n equal to min_n, index_max_missing 0: each at its edge, each allowed
    survey = SurveySettings(min_n=min_n, warn_n=warn_n, index_max_missing=max_missing)
    assert survey_settings(survey) is survey


@pytest.mark.parametrize(
    ("min_n", "warn_n", "max_missing"),
    [(0, 5, 1), (-1, 5, 1), (5, 4, 1), (5, 10, -1)],
)
def test_each_invalid_survey_setting_is_refused_alone(min_n, warn_n, max_missing):
    # min_n below 1, warn_n below min_n, index_max_missing below 0: each on its own is an error
    with pytest.raises(ValueError, match="min_n"):
        survey_settings(SurveySettings(min_n=min_n, warn_n=warn_n, index_max_missing=max_missing))


# --- the reader's cells, in every format (analysis.readers.survey_raw) -------------------------
# Through the reader's results (the frame, the notes' 9999 and blank counts) and its
# FILE:ROW:COLUMN problems, so that the cases hold for any counting engine.

ITEM, OTHER = "underv_engasj_18", "underv_formidl_18"
HINT = "(answers are 1–5, 9999 (vet ikke) or blank; check the export or the column)"


def _parquet(path, items: dict, row_group_size: int | None = None):
    rows = len(next(iter(items.values())))
    table = pa.table({"studprog_kod": ["P"] * rows, "aar": pa.array([2024] * rows, pa.int16()), **items})
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


def _problems(path) -> list[str]:
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    return [str(p) for p in err.value.problems]


def test_parquet_row_groups_are_read_as_one_column(tmp_path):
    # 7 rows in row groups of 2: the cells of every group, blanks (null) and 9999 where they are
    path = _parquet(
        tmp_path / "groups.parquet",
        {
            ITEM: pa.array([1, None, 9999, 4, None, 5, 2], pa.int16()),
            OTHER: pa.array([3.0, float("nan"), None, 9999.0, 2.0, 1.0, float("nan")], pa.float64()),
        },
        row_group_size=2,
    )
    assert pq.ParquetFile(path).metadata.num_row_groups == 4
    result = read_survey_respondents(path)
    assert result.frame[ITEM].tolist() == [1, pd.NA, 9999, 4, pd.NA, 5, 2]
    assert result.frame[OTHER].tolist() == [3, pd.NA, pd.NA, 9999, 2, 1, pd.NA]
    # 9999: one per column; blank: 2 nulls in ITEM, 1 null + 2 NaN in OTHER
    assert result.notes["dont_know"] == 2 and result.notes["dont_know_by_item"] == {ITEM: 1, OTHER: 1}
    assert result.notes["blank"] == 5


def test_two_row_groups(tmp_path):
    # 4 rows in 2 row groups: 2, blank | 9999, 5
    path = _parquet(tmp_path / "two.parquet", {ITEM: pa.array([2, None, 9999, 5], pa.int16())}, row_group_size=2)
    assert pq.ParquetFile(path).metadata.num_row_groups == 2
    result = read_survey_respondents(path)
    assert result.frame[ITEM].tolist() == [2, pd.NA, 9999, 5]
    assert (result.notes["blank"], result.notes["dont_know"]) == (1, 1)


def test_a_bad_cell_in_a_later_row_group_is_named_by_its_row(tmp_path):
    # rows 1–2, 3–4, 5–6: the 6 sits in row 5 (third group), the 0 in row 4
    path = _parquet(tmp_path / "bad.parquet", {ITEM: pa.array([1, 2, None, 0, 6, 3], pa.int8())}, row_group_size=2)
    assert _problems(path) == [
        f"{path}:4:{ITEM}: 0 — not a valid answer {HINT}",
        f"{path}:5:{ITEM}: 6 — not a valid answer {HINT}",
    ]


def test_a_float_column_with_both_null_and_nan_cells(tmp_path):
    # pandas writes a missing float as null, other writers as NaN: both are blank; 2.5 is not
    path = _parquet(tmp_path / "floats.parquet", {ITEM: pa.array([None, float("nan"), 4.0, 2.5], pa.float32())})
    assert _problems(path) == [f"{path}:4:{ITEM}: 2.5 — not a valid answer {HINT}"]
    path = _parquet(tmp_path / "ok.parquet", {ITEM: pa.array([None, float("nan"), 4.0, 9999.0], pa.float32())})
    result = read_survey_respondents(path)
    assert result.frame[ITEM].tolist() == [pd.NA, pd.NA, 4, 9999]
    assert (result.notes["blank"], result.notes["dont_know"]) == (2, 1)


def test_a_float_column_with_nan_and_no_null(tmp_path):
    # NaN written as a value (no null bit): still a blank cell
    path = _parquet(tmp_path / "nan.parquet", {ITEM: pa.array([float("nan"), 3.0, 5.0], pa.float64())})
    result = read_survey_respondents(path)
    assert result.frame[ITEM].tolist() == [pd.NA, 3, 5] and result.notes["blank"] == 1


def test_integer_columns_of_every_width(tmp_path):
    # each column: 5, blank, 1; the 16-bit and wider ones also 9999
    items = {
        "underv_engasj_18": pa.array([5, None, 1], pa.int8()),
        "underv_formidl_18": pa.array([5, None, 1], pa.uint8()),
        "underv_pensum_18": pa.array([5, None, 9999], pa.int32()),
        "underv_aktiv_18": pa.array([5, None, 9999], pa.int64()),
        "underv_relevans_18": pa.array([5, None, 9999], pa.uint16()),
    }
    result = read_survey_respondents(_parquet(tmp_path / "ints.parquet", items))
    for name, column in items.items():
        expected = [5, pd.NA, column[2].as_py()]  # 1, or 9999 kept as "vet ikke"
        assert result.frame[name].tolist() == expected, name
    assert (result.notes["blank"], result.notes["dont_know"]) == (5, 3)


def test_a_wide_integer_that_wraps_to_an_answer_is_named(tmp_path):
    # 65539 is 3 modulo 2^16 and 75535 is 9999: neither is an answer; the null is blank
    path = _parquet(tmp_path / "wide.parquet", {ITEM: pa.array([65539, None, 75535, 2], pa.int64())})
    assert _problems(path) == [
        f"{path}:1:{ITEM}: 65539 — not a valid answer {HINT}",
        f"{path}:3:{ITEM}: 75535 — not a valid answer {HINT}",
    ]


def test_text_codes_stored_as_a_dictionary(tmp_path):
    # a categorical text column (pandas category, R factor): " 3 " is 3, "4.0" is 4, "9999" vet
    # ikke, "" and null blank
    column = pa.array([" 3 ", "9999", "", None, "4.0", " 3 "]).dictionary_encode()
    result = read_survey_respondents(_parquet(tmp_path / "dict.parquet", {ITEM: column}))
    assert result.frame[ITEM].tolist() == [3, 9999, pd.NA, pd.NA, 4, 3]
    assert (result.notes["blank"], result.notes["dont_know"]) == (2, 1)


def test_integer_codes_stored_as_a_dictionary(tmp_path):
    column = pa.array([2, 9999, None, 2, 5], pa.int16()).dictionary_encode()
    result = read_survey_respondents(_parquet(tmp_path / "dictint.parquet", {ITEM: column}))
    assert result.frame[ITEM].tolist() == [2, 9999, pd.NA, 2, 5]
    assert (result.notes["blank"], result.notes["dont_know"]) == (1, 1)


def test_text_columns_of_both_string_types(tmp_path):
    # string and large_string: the same codes; "03" and "+3" are text that is not a code
    items = {
        ITEM: pa.array(["1", None, "9999.0", "5"], pa.string()),
        OTHER: pa.array(["1", None, "9999.0", "5"], pa.large_string()),
    }
    result = read_survey_respondents(_parquet(tmp_path / "text.parquet", items))
    assert result.frame[ITEM].tolist() == [1, pd.NA, 9999, 5]
    assert result.frame[OTHER].tolist() == [1, pd.NA, 9999, 5]
    assert (result.notes["blank"], result.notes["dont_know"]) == (2, 2)
    bad = _parquet(tmp_path / "bad.parquet", {OTHER: pa.array(["03", "+3", None, "2"], pa.large_string())})
    assert _problems(bad) == [
        f"{bad}:1:{OTHER}: '03' — not a valid answer {HINT}",
        f"{bad}:2:{OTHER}: '+3' — not a valid answer {HINT}",
    ]


def test_a_true_false_column_holds_no_answers_but_its_blanks_are_blank(tmp_path):
    path = _parquet(tmp_path / "bool.parquet", {ITEM: pa.array([True, None, False], pa.bool_())})
    assert _problems(path) == [
        f"{path}:1:{ITEM}: True — not a valid answer {HINT}",
        f"{path}:3:{ITEM}: False — not a valid answer {HINT}",
    ]


def test_a_column_with_no_values_at_all_is_blank(tmp_path):
    # an item nobody answered, written with Arrow's null type: every cell blank
    path = _parquet(tmp_path / "null.parquet", {ITEM: pa.nulls(3), OTHER: pa.array([1, 2, 3], pa.int8())})
    result = read_survey_respondents(path)
    assert result.frame[ITEM].isna().all() and result.notes["blank"] == 3 and result.notes["dont_know"] == 0


def test_csv_text_cells_trimmed_and_checked(tmp_path):
    # " 4 " is 4 and a cell of spaces is blank; "3,0", "03" and "4 4" are not codes
    path = tmp_path / "cells.csv"
    path.write_text(f"studprog_kod;aar;{ITEM}\nA;2024; 4 \nA;2024;   \nA;2024; 9999\nA;2024;5\n", encoding="utf-8")
    result = read_survey_respondents(path)
    assert result.frame[ITEM].tolist() == [4, pd.NA, 9999, 5]
    assert (result.notes["blank"], result.notes["dont_know"]) == (1, 1)
    bad = tmp_path / "bad.csv"
    bad.write_text(f"studprog_kod;aar;{ITEM}\nA;2024;03\nA;2024;\nA;2024;4 4\n", encoding="utf-8")
    assert _problems(bad) == [
        f"{bad}:2:{ITEM}: '03' — not a valid answer {HINT}",
        f"{bad}:4:{ITEM}: '4 4' — not a valid answer {HINT}",
    ]


def test_xlsx_cells_as_a_person_sees_them(tmp_path):
    # 3.0 shows as 3, 9999 is vet ikke, an empty cell is blank; 2.5 on spreadsheet row 4 and the
    # text "fem" on row 5 are not answers
    path = tmp_path / "sheet.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["studprog_kod", "aar", ITEM])
    for value in (3.0, None, 2.5, "fem", 9999, "5"):
        sheet.append(["A", 2024, value])
    book.save(path)
    assert _problems(path) == [
        f"{path}:4:{ITEM}: '2.5' — not a valid answer {HINT}",
        # a word is an answer's label (the file exported with value labels), said so
        f"{path}:5:{ITEM}: 'fem' — not a valid answer: an answer's label, not its code "
        "(export the data with values, not value labels: 1–5, and 9999 for vet ikke)",
    ]


def test_cells_of_a_sliced_arrow_column():
    # an Arrow column can start inside its buffer (a slice); its cells are those of the slice.
    # Whole column: 9, 1, null, 3, 7, 4; the slice from position 1 of length 4: 1, null, 3, 7
    base = pa.array([9, 1, None, 3, 7, 4], pa.int16())
    column = pa.chunked_array([base.slice(1, 4), base.slice(3, 3)])  # 1, null, 3, 7 | 3, 7, 4
    values, blank = cell_numbers(column)
    codes = answer_codes(values, blank)
    assert codes.tolist() == [1, BLANK, 3, NOT, 3, NOT, 4]
    floats = pa.array([8.0, float("nan"), 2.0, None, 5.0], pa.float64()).slice(1, 4)  # NaN, 2, null, 5
    values, blank = cell_numbers(pa.chunked_array([floats]))
    assert answer_codes(values, blank).tolist() == [BLANK, 2, BLANK, 5]


def test_cells_of_an_arrow_column_without_chunks():
    # a column of no rows (no chunks at all): no cells, of the column's own type
    values, blank = cell_numbers(pa.chunked_array([], pa.int8()))
    assert len(values) == 0 and values.dtype == np.int8 and blank is None


def test_text_numbers_of_one_arrow_array():
    # text cells as one Arrow array (not chunked): " 2 " is 2, "9999" vet ikke, "x" is no
    # code (a negative number), "" and null blank
    numbers, blank = text_numbers(pa.array([" 2 ", "9999", "x", "", None]))
    codes = answer_codes(numbers, blank)
    assert codes.tolist() == [2, DK, NOT, BLANK, BLANK]


# --- the output is checked against its contracts -----------------------------------------------


def test_the_results_are_checked_against_their_contracts_unless_told_not_to(monkeypatch):
    """A contract stricter than the real one (no mean above 4): the item results of answers 4
    and 5 (mean 4.5) fail it, by default; with ``validate=False`` they are returned unchecked."""
    import schemas.survey_results

    class _MeanAtMostFour(schemas.survey_results.SurveyItemResults):
        mean: Series[pd.Float64Dtype] = pandera.Field(nullable=True, le=4)

    monkeypatch.setattr(schemas.survey_results, "SurveyItemResults", _MeanAtMostFour)
    frame = pd.DataFrame(
        {
            "studprog_kod": ["P", "P"],
            "aar": pd.array([2024, 2024], dtype="Int16"),
            ITEM: pd.array([4, 5], dtype="Int8"),
        }
    )
    settings = SurveySettings(min_n=1, warn_n=1)
    with pytest.raises(pandera.errors.SchemaErrors):
        survey_aggregates(frame, settings=settings)
    items = survey_aggregates(frame, settings=settings, validate=False).items
    assert items["mean"].tolist() == [4.5]
