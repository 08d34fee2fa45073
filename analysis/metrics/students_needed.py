"""How many students of the under-represented gender a unit needs to reach the threshold (the
rule is in :mod:`analysis.metrics.gender`'s docstring, which computes the flags with it).

Kept apart from :mod:`analysis.metrics.gender` so that the charts and the report's lists can
use it without importing pandera and the schemas.
"""

# NOTE: importing analysis.metrics.gender (pandera, the schemas) cost each notebook kernel that
# draws a gender chart or lists the flagged units ~0.33 s CPU (02 and 06; median of 3,
# 2026-12-03), for these few lines of numpy.

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from analysis.settings import THRESHOLD_PCT_MAX, THRESHOLD_PCT_MIN, is_threshold_share


def as_threshold(threshold: object) -> Fraction:
    """``threshold`` (a share: 0.4 or 2/5 for 40 %) as an exact fraction; ValueError outside the
    settings' range (:func:`analysis.settings.is_threshold_share`), as a settings file or
    ``--threshold`` would refuse it: a threshold of 60 % made in code flagged every unit."""
    # str() reads a number as written (0.4 -> "0.4" -> 2/5, not 0.4000000000000000222) and a
    # Fraction unchanged (2/5 -> "2/5")
    frac = Fraction(str(threshold))
    if not is_threshold_share(frac):
        low, high = (f"{pct / 100:g}" for pct in (THRESHOLD_PCT_MIN, THRESHOLD_PCT_MAX))
        raise ValueError(
            f"threshold must be a share from {low} to {high} (0.4 for 40 %: threshold_pct from "
            f"{THRESHOLD_PCT_MIN} to {THRESHOLD_PCT_MAX}), got {threshold!r}"
        )
    return frac


def _ceil_div(num: np.ndarray, den: int) -> np.ndarray:
    return -((-num) // den)


def students_needed(total: np.ndarray, under: np.ndarray, threshold: Fraction) -> np.ndarray:
    """The smallest ``k ≥ 0`` with ``(under + k) / (total + k) ≥ threshold`` (the docstring of
    :mod:`analysis.metrics.gender`)."""
    p, q = threshold.numerator, threshold.denominator
    return np.maximum(0, _ceil_div(p * total - q * under, q - p))


def most_students(flags: pd.DataFrame) -> pd.Series:
    """The most students of each gender flags row: ``total_high`` (a row of 0 students, or a sum
    with such rows inside, may hold 2 more for each), ``total`` in a table made without it. The
    bounds of a share judged on an interval are over it: women at least ``women_low`` of it (the
    rest of it men), at most ``women_high`` of it (``analysis.metrics.gender``)."""
    total = flags["total"].astype("Int64")
    if "total_high" not in flags:
        return total
    return flags["total_high"].astype("Int64").fillna(total)


def share_of_women_bounds(flags: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The least and the most share of women of each flags row: ``women_low`` and ``women_high``
    of the most students it may hold (:func:`most_students`; the rest of it men), the share itself
    where the counts are exact (both bounds the count). Missing where no count bounds the share: a
    share given only as a percentage, a row of 0 students (0 to 2, unknown), a table made without
    the bounds. The share of men is the rest: from ``1 − high`` to ``1 − low``."""
    missing = pd.Series(pd.NA, index=flags.index, dtype="Float64")
    if "women_low" not in flags or "women_high" not in flags:
        return missing, missing
    total = most_students(flags).astype("Float64")
    total = total.where(total > 0)
    return flags["women_low"].astype("Float64") / total, flags["women_high"].astype("Float64") / total


def students_needed_range(flags: pd.DataFrame, threshold: Fraction) -> tuple[pd.Series, pd.Series]:
    """(fewest, most) students of the under-represented gender a unit needs over its interval
    of women (``women_low``–``women_high`` of ``total``; a point where the counts are exact, and
    then both equal ``students_needed``). Missing where the under-represented gender is not
    women or men or the counts are not known (a share given as a percentage, an empty unit).

    ``threshold`` is the one the flags were computed with (the settings'), as a fraction.
    """
    # over the most students the unit may hold: its women's bounds are (the fewest needed with the
    # most of the under-represented gender, the most needed with the fewest)
    total = most_students(flags)
    women_low, women_high = flags["women_low"].astype("Int64"), flags["women_high"].astype("Int64")
    under = flags["underrepresented"].astype("string")
    # the under-represented count's lowest and highest value in the interval (men: the rest)
    low = women_low.where(under == "women", total - women_high)
    high = women_high.where(under == "women", total - women_low)
    known = (under.isin(["women", "men"]) & low.notna() & high.notna() & (total > 0)).fillna(False).astype(bool)
    T = total.fillna(0).to_numpy(dtype="int64")
    fewest = students_needed(T, high.fillna(0).to_numpy(dtype="int64"), as_threshold(threshold))
    most = students_needed(T, low.fillna(0).to_numpy(dtype="int64"), as_threshold(threshold))
    return (
        pd.Series(pd.arrays.IntegerArray(fewest, ~known.to_numpy()), index=flags.index),
        pd.Series(pd.arrays.IntegerArray(most, ~known.to_numpy()), index=flags.index),
    )
