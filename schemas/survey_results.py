"""Output contracts of the Studiebarometeret aggregates (``analysis.metrics.survey``).

One row per unit × year × item (or index) at the levels ``programme`` (``unit_code`` =
``studprog_kod``), ``faculty`` (``fakultetskode``) and ``institution`` (``institusjonskode``).
Faculty and programme codes are only unique within an institution, so ``institution_code``
is part of the key (missing when the input has no institution column).

Text columns (level, codes, item names) are categorical: a national table has millions of rows
but only thousands of distinct codes, and a categorical stores each row as a small integer.

A ``suppressed`` result is not shown — below the minimum n itself (``suppression`` =
``primary``), or because it would let a hidden one be computed by subtraction (``secondary``,
see ``analysis.disclosure``): its mean, sd and interval are missing and must never be shown, in
a table, a chart or a change. ``n`` itself is kept, so that a reader can see *why* a cell is
empty. ``faculty_code`` places a programme in its faculty (missing without faculty data).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from analysis.settings import LIKERT_MAX, LIKERT_MIN

SURVEY_LEVELS = ["programme", "faculty", "institution"]

_SUPPRESSED_HAS_NO_MEAN = (
    "@suppressed,mean,sd,ci_low,ci_high|a suppressed result (n below the minimum) shows a value"
    "|this is a defect in the aggregation: results below the minimum n must be empty"
)


def _no_empty_code(series: pd.Series) -> bool:
    """No code or name is empty or missing (checked on the categories and codes, not per row)."""
    categories = series.cat.categories
    return bool((categories.astype(str).str.len() > 0).all()) and not bool((series.cat.codes < 0).any())


class _SurveyCell(pa.DataFrameModel):
    """Columns shared by item and index results."""

    level: Series[pd.CategoricalDtype] = pa.Field(isin=SURVEY_LEVELS)
    institution_code: Series[pd.CategoricalDtype] = pa.Field(nullable=True)
    faculty_code: Series[pd.CategoricalDtype] = pa.Field(nullable=True)
    unit_code: Series[pd.CategoricalDtype]
    year: Series[pd.Int16Dtype] = pa.Field(in_range={"min_value": 2013, "max_value": 2100})
    n: Series[pd.Int32Dtype] = pa.Field(ge=0)
    mean: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range={"min_value": LIKERT_MIN, "max_value": LIKERT_MAX})
    sd: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0)
    ci_low: Series[pd.Float64Dtype] = pa.Field(nullable=True)
    ci_high: Series[pd.Float64Dtype] = pa.Field(nullable=True)
    suppressed: Series[bool]
    suppression: Series[pd.CategoricalDtype] = pa.Field(isin=["", "primary", "secondary"])
    few_respondents: Series[bool]

    @pa.check("unit_code", error="a unit code is empty|this is a defect in the aggregation")
    def unit_code_present(cls, series: pd.Series) -> bool:
        return _no_empty_code(series)

    @pa.dataframe_check(error=_SUPPRESSED_HAS_NO_MEAN)
    def suppressed_shows_nothing(cls, df: pd.DataFrame) -> Series[bool]:
        shown = df["mean"].notna() | df["sd"].notna() | df["ci_low"].notna() | df["ci_high"].notna()
        return ~(df["suppressed"] & shown).astype(bool)

    @pa.dataframe_check(error="@n,suppressed,few_respondents|a result is both suppressed and marked few respondents"
                              "|this is a defect in the aggregation")
    def one_warning_level(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["suppressed"] & df["few_respondents"])

    class Config:
        strict = True
        coerce = False


class SurveyItemResults(_SurveyCell):
    """Per unit × year × item: valid answers (``n``; 9999 and blanks excluded), mean, sd and
    the t-based 95 % interval of the mean."""

    item: Series[pd.CategoricalDtype]

    @pa.check("item", error="an item name is empty|this is a defect in the aggregation")
    def item_present(cls, series: pd.Series) -> bool:
        return _no_empty_code(series)


class SurveyIndexResults(_SurveyCell):
    """Per unit × year × index: ``n`` respondents with an index value, mean of respondents'
    indices, sd and the t-based 95 % interval."""

    index_name: Series[pd.CategoricalDtype]

    @pa.check("index_name", error="an index name is empty|this is a defect in the aggregation")
    def index_name_present(cls, series: pd.Series) -> bool:
        return _no_empty_code(series)


class SurveyChanges(pa.DataFrameModel):
    """Change from the previous survey year (year − 1) per unit × item or index.

    ``change`` and ``p_value`` (Welch's t-test from n, mean and sd) are missing when either
    year is suppressed.
    """

    level: Series[pd.CategoricalDtype] = pa.Field(isin=SURVEY_LEVELS)
    institution_code: Series[pd.CategoricalDtype] = pa.Field(nullable=True)
    faculty_code: Series[pd.CategoricalDtype] = pa.Field(nullable=True)
    unit_code: Series[pd.CategoricalDtype]
    kind: Series[pd.CategoricalDtype] = pa.Field(isin=["item", "index"])
    name: Series[pd.CategoricalDtype]
    year: Series[pd.Int16Dtype] = pa.Field(in_range={"min_value": 2014, "max_value": 2100})
    previous_year: Series[pd.Int16Dtype] = pa.Field(in_range={"min_value": 2013, "max_value": 2100})
    n: Series[pd.Int32Dtype] = pa.Field(ge=0)
    n_previous: Series[pd.Int32Dtype] = pa.Field(ge=0)
    mean: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range={"min_value": LIKERT_MIN, "max_value": LIKERT_MAX})
    mean_previous: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range={"min_value": LIKERT_MIN, "max_value": LIKERT_MAX})
    change: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range={"min_value": -(LIKERT_MAX - LIKERT_MIN),
                                                                              "max_value": LIKERT_MAX - LIKERT_MIN})
    p_value: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range={"min_value": 0, "max_value": 1})

    @pa.check("unit_code", "name", error="a code or name is empty|this is a defect in the aggregation")
    def code_present(cls, series: pd.Series) -> bool:
        return _no_empty_code(series)

    @pa.dataframe_check(error="@change,mean,mean_previous|a change is shown where a year is suppressed"
                              "|this is a defect in the aggregation")
    def change_needs_both_years(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["change"].notna() & (df["mean"].isna() | df["mean_previous"].isna())).astype(bool)

    class Config:
        strict = True
