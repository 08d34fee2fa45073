"""Studiebarometeret results from respondent-level data: the definitions.

Everything a published survey number means is defined in this module's small functions:

* **An answer** is a value of the 1–5 scale (:data:`ANSWERS`). "Vet ikke / ikke relevant"
  (NOKUT's code :data:`DONT_KNOW`, 9999) and a blank cell are *missing*: they never enter a
  mean; "vet ikke" is counted apart. Any other value is an error, reported as
  ``FILE:ROW:COLUMN: VALUE — not a valid answer (…)`` and nothing is written.
* **An item's result** for a unit × year: ``n`` answers, their mean and sample sd
  (:func:`answer_sums`, :func:`mean_and_sd`), the distribution (count and % of each answer,
  "vet ikke" counted apart) and the t-based confidence interval of the mean at
  ``survey.confidence_level``, clipped to the 1–5 scale (:func:`confidence_interval`).
* **An index** (``[survey.indices]``): a respondent's index is the mean of its answered items
  of the index, when at most ``survey.index_max_missing`` of them are missing
  (:func:`index_min_answered`); a unit's index is the mean of its respondents' indices (``n`` =
  respondents with an index value).
* **Units**: programme (``studprog_kod``, placed in its faculty), faculty (``fakultetskode``)
  and institution (``institusjonskode``) when the data has those columns; a rollup pools the
  respondents (it is not a mean of means).
* **What is shown** is decided by :mod:`analysis.disclosure`: below ``survey.min_n`` answers a
  result is hidden, and so is any result that would let a hidden one be worked out; ``n`` stays.
  "Få svarende" (``few_respondents``): shown, with fewer than ``survey.warn_n`` answers.
* **Year-on-year change**: from year − 1 exactly (no row without year − 1), shown only when
  both years are shown; Welch's two-sided t-test (:func:`welch_p`); the significance mark
  ``significant`` is Benjamini–Hochberg-adjusted (:func:`benjamini_hochberg`) at
  1 − ``survey.confidence_level``, within one *family*: one unit's items in one year, or one
  unit's indices in one year (the tests read together on a unit's page). A unit's mark therefore
  does not depend on how many other units the delivery holds. Without a test (the change hidden,
  or both variances zero) the mark is missing, as the adjusted p-value is: unknown, not "not
  significant".

The counting itself — one pass over millions of respondents — is machinery, kept apart in
:mod:`analysis.metrics.survey_counts`; :mod:`analysis.metrics.survey_tables` lays the results
out as the output tables (contracts in ``schemas/survey_results.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from analysis.settings import DONT_KNOW_CODE, LIKERT_MAX, LIKERT_MIN, Settings, SurveySettings

if TYPE_CHECKING:
    import pandas as pd

#: The answers: the 1–5 scale. Only these enter a mean.
ANSWERS = tuple(range(LIKERT_MIN, LIKERT_MAX + 1))
#: "Vet ikke / ikke relevant": missing, never a score, counted apart.
DONT_KNOW = DONT_KNOW_CODE

#: A cell as one small code: the answer itself (1–5), or one of these.
BLANK, DONT_KNOW_CELL, NOT_AN_ANSWER = 0, LIKERT_MAX + 1, LIKERT_MAX + 2
CODES = NOT_AN_ANSWER + 1


def answer_codes(values: np.ndarray, blank: np.ndarray | None = None) -> np.ndarray:
    """What each cell is: its answer 1–5, :data:`DONT_KNOW_CELL`, :data:`BLANK` (where ``blank``
    is True) or :data:`NOT_AN_ANSWER` (anything else: 0, 6, 3.5, −1 …), as int8.

    Args:
        values: the cells as numbers (any integer or float dtype); cells under ``blank`` may
            hold anything.
        blank: True where the cell is empty, or None when none is.
    """
    if values.dtype.kind == "f":
        # 3.5 is not an answer (NaN is not whole either); a whole number outside 0–65535 is
        # clipped below like any other number
        values = np.where(values == np.floor(values), values, 0)
    if values.dtype.kind in "iu" and values.dtype.itemsize <= 2:
        # a negative value seen as unsigned is 32768 or more: not an answer, like any other
        number = values.view(f"u{values.dtype.itemsize}")
    else:
        # the upper bound in the values' own type: float16's largest number is 65504, so 65535
        # overflowed to inf there, and an infinite cell went unclipped into a cast to uint16,
        # whose result C leaves undefined (a RuntimeWarning in tests/test_survey_rules.py)
        high = (1 << 16) - 1 if values.dtype.kind != "f" else min((1 << 16) - 1, float(np.finfo(values.dtype).max))
        number = np.clip(values, 0, high).astype(np.uint16)
    # NOTE: a few passes of whole-column arithmetic, not a lookup table of the 65 536 numbers
    # (numpy widens every index to 64 bits to look one up): 3.5 ms against 5.5 ms per million
    # cells, ~0.35 CPU s of `kvalitet survey` at 3 M respondents × 60 items
    place = number - LIKERT_MIN  # on the scale: 0–4 (unsigned: a number below it wraps round to a large one)
    answer = place < len(ANSWERS)
    dont_know = number == DONT_KNOW
    codes = place.astype(np.int8)
    codes += LIKERT_MIN  # an answer's own value (the low byte of any other number)
    codes *= answer
    codes += dont_know.view(np.int8) * np.int8(DONT_KNOW_CELL)
    known = answer | dont_know
    if blank is not None:
        codes *= ~blank  # a blank cell: BLANK (0), whatever it holds
        known |= blank
    codes[~known] = NOT_AN_ANSWER
    return codes


def scale_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """Item columns of a validated respondent frame as float64 answers on the 1–5 scale: "vet
    ikke" (9999, kept in the frame to be counted) and blanks are missing. What a mean over a
    respondent's items, or over respondents, must be taken of."""
    values = answers.astype("float64")
    return values.where((values >= LIKERT_MIN) & (values <= LIKERT_MAX))


def answer_sums(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n``, Σx and Σx² from the counts of each answer (last axis: answers 1–5), exactly."""
    values = np.asarray(ANSWERS)  # int64 (numpy 2's default integer on every platform)
    # counts of any integer type: numpy multiplies them with int64 as int64. NOTE: the three in
    # one product (answers × (1, x, x²)): a batch of the survey tables (272 units × 60 items)
    # 0.37 ms against 0.68 ms as a sum and two products, ~0.07 CPU s of the items and changes
    # tables at 3 M respondents
    sums = counts @ np.stack([np.ones_like(values), values, values * values], axis=-1)
    return sums[..., 0], sums[..., 1], sums[..., 2]


def mean_and_sd(n: np.ndarray, total: np.ndarray, squares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sample sd (n − 1) from ``n``, Σx and Σx². Mean NaN without values, sd NaN
    below two."""
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        # Σx and Σx² are whole numbers (answers; index values times their scale, see
        # survey_counts.index_scale): when every value is the same, n·Σx² and (Σx)² are one real
        # number rounded alike, so the sd is 0 exactly; else it loses at most ~1e-12 relative,
        # and rounding below zero is clipped
        variance = np.maximum(n * squares - total * total, 0.0) / (n * (n - 1))
    variance[n < 2] = np.nan
    return mean, np.sqrt(variance)


def index_min_answered(n_items: int, max_missing: int) -> int:
    """A respondent has an index value when it answered at least this many of the index's
    ``n_items`` items (all but ``max_missing``, and at least one); the value is the mean of the
    items it answered."""
    return max(1, n_items - max_missing)


def respondent_index(total: np.ndarray, answered: np.ndarray, n_items: int, max_missing: int) -> np.ndarray:
    """A respondent's index from the sum of its answers to the index's ``n_items`` items and how
    many it answered: their mean, NaN when it answered fewer than :func:`index_min_answered`."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(answered >= index_min_answered(n_items, max_missing), total / answered, np.nan)


def t_quantile(df: np.ndarray, level: float) -> np.ndarray:
    """The two-sided t critical value for a confidence ``level`` (NaN where df < 1); computed
    once per distinct df."""
    from scipy.special import stdtrit

    df = np.asarray(df)
    distinct, where = np.unique(np.maximum(df, 0), return_inverse=True)
    quantile = np.where(distinct >= 1, stdtrit(np.maximum(distinct, 1), 0.5 + level / 2), np.nan)
    return quantile[where].reshape(df.shape)


class TQuantiles:
    """:func:`t_quantile` at one confidence level for a table's degrees of freedom, each
    distinct df computed once and then looked up (a df not given: computed when asked for).

    NOTE: what it earns: laid out a batch at a time, the survey tables at 3 M respondents asked
    for the quantiles of the same few thousand df ~100 times, 0.8 CPU s of ``kvalitet survey``."""

    def __init__(self, dfs: Sequence[np.ndarray], level: float):
        self.level = level
        # whole numbers only (another df is computed when asked for), below one as zero
        given = [np.maximum(df, 0).ravel() for df in map(np.asarray, dfs) if df.dtype.kind == "i"]
        size = sum(len(df) for df in given)
        largest = max((int(df.max(initial=0)) for df in given), default=0)
        if largest <= 4 * size + 1024:  # the distinct df marked in a small table, without a sort
            seen = np.zeros(largest + 1, dtype=bool)
            for df in given:
                seen[df] = True
            distinct = np.flatnonzero(seen)
        else:  # (a few very large df: sorted)
            seen, distinct = None, np.unique(np.concatenate(given))
        self._df = np.union1d(distinct, [0])  # (never an empty table to look up in)
        self._quantile = t_quantile(self._df, level)
        # NOTE: with the marking table, each df's quantile at its own place, looked up by index:
        # a batch of 16 K cells 0.02 ms against ~1 ms through searchsorted (~0.04 CPU s of the
        # survey's items table at 3 M respondents, in its writer thread)
        self._at_df: tuple[np.ndarray, np.ndarray] | None = None
        if seen is not None:
            seen[0] = True
            quantile = np.full(largest + 1, np.nan)
            quantile[self._df] = self._quantile
            self._at_df = seen, quantile

    def __call__(self, df: np.ndarray) -> np.ndarray:
        df = np.asarray(df)
        if df.dtype.kind != "i":  # (not whole numbers: computed)
            return t_quantile(df, self.level)
        df = np.maximum(df, 0)
        if self._at_df is not None:
            seen, quantile = self._at_df
            if int(df.max(initial=0)) < len(seen) and seen[df].all():
                return quantile[df]
        at = np.minimum(np.searchsorted(self._df, df), len(self._df) - 1)
        known = self._df[at] == df
        if known.all():
            return self._quantile[at]
        return np.where(known, self._quantile[at], t_quantile(np.where(known, 1, df), self.level))


def confidence_interval(
    mean: np.ndarray, sd: np.ndarray, n: np.ndarray, level: float, quantiles: TQuantiles | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The t-based confidence interval of a mean, clipped to the 1–5 scale (a mean of answers
    cannot lie outside it). NaN below two values. ``quantiles``: the t quantiles at ``level``
    looked up (:class:`TQuantiles`) rather than computed."""
    df = np.asarray(n) - 1
    if quantiles is not None and quantiles.level != level:
        raise ValueError(f"t quantiles at {quantiles.level}, asked for {level}")
    t = quantiles(df) if quantiles is not None else t_quantile(df, level)
    # below two values the t quantile is NaN, so no 0/0 or x/0 arises (and no warning)
    half = t * sd / np.sqrt(n)
    return np.maximum(mean - half, LIKERT_MIN), np.minimum(mean + half, LIKERT_MAX)


def welch_p(
    mean_a: np.ndarray, sd_a: np.ndarray, n_a: np.ndarray, mean_b: np.ndarray, sd_b: np.ndarray, n_b: np.ndarray
) -> np.ndarray:
    """Two-sided p-value of Welch's t-test from means, sds and counts (as
    ``scipy.stats.ttest_ind_from_stats(..., equal_var=False)``). NaN where both variances are
    zero or a group has fewer than two values."""
    from scipy.special import stdtr

    with np.errstate(invalid="ignore", divide="ignore"):
        var_a, var_b = sd_a * sd_a / n_a, sd_b * sd_b / n_b
        t = (mean_a - mean_b) / np.sqrt(var_a + var_b)
        df = (var_a + var_b) ** 2 / (var_a * var_a / (n_a - 1) + var_b * var_b / (n_b - 1))
        return 2.0 * stdtr(df, -np.abs(t))


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values along the last axis: each row is one family of
    tests (as ``scipy.stats.false_discovery_control(p, method="bh")`` per row). NaN — no test —
    is not counted among the family's tests and stays NaN."""
    p = np.asarray(p, dtype=np.float64)
    order = np.argsort(p)  # along the last axis; NaN sorts last
    ranked = np.take_along_axis(p, order, axis=-1)
    tests = np.sum(~np.isnan(p), axis=-1, keepdims=True)
    # p × (m / rank), in this order: the factor is at least 1, so no rounding puts a value below its p
    scaled = np.where(np.isnan(ranked), np.inf, ranked * (tests / np.arange(1, p.shape[-1] + 1)))
    # the adjusted value of the k-th smallest p is the smallest scaled value from k on
    adjusted = np.minimum(np.minimum.accumulate(scaled[..., ::-1], axis=-1)[..., ::-1], 1.0)
    out = np.empty_like(p)
    np.put_along_axis(out, order, adjusted, axis=-1)
    return np.where(np.isnan(p), np.nan, out)


# --------------------------------------------------------------------------------------------
# The settings


def survey_settings(settings: Settings | SurveySettings) -> SurveySettings:
    """The survey's settings (from the whole settings, or given alone), checked: the minimum n at
    least 1, the warning n at least the minimum, the allowed missing items not negative. The
    whole computation is :func:`analysis.metrics.survey_tables.survey_aggregates`."""
    survey = settings.survey if isinstance(settings, Settings) else settings
    if survey.min_n < 1 or survey.warn_n < survey.min_n or survey.index_max_missing < 0:
        raise ValueError("survey settings need 1 <= min_n <= warn_n and index_max_missing >= 0")
    return survey
