"""Output contracts of the Studiebarometeret aggregates (``analysis.metrics.survey``).

One row per unit × year × item (or index) at the levels ``programme`` (``unit_code`` =
``studprog_kod``), ``faculty`` (``fakultetskode``) and ``institution`` (``institusjonskode``).
Faculty and programme codes are only unique within an institution, so ``institution_code``
is part of the key (missing for the respondents of a file without the column: they are counted
apart, in no institution).

Text columns (level, codes, item names) are categorical: a national table has millions of rows
but only thousands of distinct codes, and a categorical stores each row as a small integer.

A ``suppressed`` result is not shown — below the minimum n itself (``suppression`` =
``primary``), or because it would let a hidden one be computed by subtraction (``secondary``,
see ``analysis.disclosure``): its mean, sd, interval and answer distribution are missing and
must never be shown, in a table, a chart or a change. ``n`` itself is kept, so that a reader can
see *why* a cell is empty. ``faculty_code`` places a programme in its faculty (missing without
faculty data). The definitions of every number are in ``analysis.metrics.survey``.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from analysis.settings import LIKERT_MAX, LIKERT_MIN
from schemas.survey_layout import FIRST_YEAR, LAST_YEAR

SURVEY_LEVELS = ["programme", "faculty", "institution"]

_SUPPRESSED_HAS_NO_MEAN = (
    "@suppressed,mean,sd,ci_low,ci_high|a suppressed result (n below the minimum) shows a value"
    "|this is a defect in the aggregation: results below the minimum n must be empty"
)
_DEFECT = "this is a defect in the aggregation"
_SCALE = {"min_value": LIKERT_MIN, "max_value": LIKERT_MAX}
_PERCENT = {"min_value": 0, "max_value": 100}


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
    year: Series[pd.Int16Dtype] = pa.Field(in_range={"min_value": FIRST_YEAR, "max_value": LAST_YEAR})
    n: Series[pd.Int32Dtype] = pa.Field(ge=0)
    mean: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range=_SCALE)
    sd: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0)
    #: the t-based interval of the mean, clipped to the 1–5 scale
    ci_low: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range=_SCALE)
    ci_high: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range=_SCALE)
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

    @pa.dataframe_check(
        error="@n,suppressed,few_respondents|a result is both suppressed and marked few respondents"
        "|this is a defect in the aggregation"
    )
    def one_warning_level(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["suppressed"] & df["few_respondents"])

    @pa.dataframe_check(error=f"@ci_low,mean,ci_high|the interval does not hold the mean|{_DEFECT}")
    def interval_holds_the_mean(cls, df: pd.DataFrame) -> Series[bool]:
        outside = (df["ci_low"] > df["mean"]) | (df["mean"] > df["ci_high"])
        return ~outside.fillna(False).astype(bool)

    class Config:
        strict = True
        coerce = False


_COUNTS = [f"count_{a}" for a in range(LIKERT_MIN, LIKERT_MAX + 1)]
_PERCENTS = [f"pct_{a}" for a in range(LIKERT_MIN, LIKERT_MAX + 1)]
_DISTRIBUTION = [*_COUNTS, *_PERCENTS, "dont_know", "dont_know_pct"]


class SurveyItemResults(_SurveyCell):
    """Per unit × year × item: valid answers (``n``; 9999 and blanks excluded), mean, sd, the
    t-based interval of the mean, and the answer distribution: ``count_1`` … ``count_5`` and
    ``pct_1`` … ``pct_5`` (% of ``n``), ``dont_know`` ("vet ikke", counted apart) and
    ``dont_know_pct`` (% of those who gave an answer or "vet ikke")."""

    item: Series[pd.CategoricalDtype]
    count_1: Series[pd.Int32Dtype] = pa.Field(nullable=True, ge=0)
    count_2: Series[pd.Int32Dtype] = pa.Field(nullable=True, ge=0)
    count_3: Series[pd.Int32Dtype] = pa.Field(nullable=True, ge=0)
    count_4: Series[pd.Int32Dtype] = pa.Field(nullable=True, ge=0)
    count_5: Series[pd.Int32Dtype] = pa.Field(nullable=True, ge=0)
    pct_1: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range=_PERCENT)
    pct_2: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range=_PERCENT)
    pct_3: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range=_PERCENT)
    pct_4: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range=_PERCENT)
    pct_5: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range=_PERCENT)
    dont_know: Series[pd.Int32Dtype] = pa.Field(nullable=True, ge=0)
    dont_know_pct: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range=_PERCENT)

    @pa.check("item", error="an item name is empty|this is a defect in the aggregation")
    def item_present(cls, series: pd.Series) -> bool:
        return _no_empty_code(series)

    @pa.dataframe_check(
        error=f"@suppressed,count_1,dont_know|a suppressed result shows its answer distribution|{_DEFECT}"
    )
    def suppressed_shows_no_distribution(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["suppressed"] & df[_DISTRIBUTION].notna().any(axis=1)).astype(bool)

    @pa.dataframe_check(error=f"@n,count_1,count_5|the answer counts do not add up to n|{_DEFECT}")
    def counts_add_up_to_n(cls, df: pd.DataFrame) -> Series[bool]:
        total = df[_COUNTS].sum(axis=1, skipna=False)
        return (total.isna() | (total == df["n"])).astype(bool)


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
    year is suppressed. ``p_adjusted`` is the Benjamini–Hochberg adjusted p-value within one
    family of tests — one unit's items, or one unit's indices, in one year — and
    ``significant`` marks ``p_adjusted`` below 1 − ``survey.confidence_level``; it is missing
    where ``p_adjusted`` is (a hidden change, or no test): unknown, never "not significant".
    ``definition_changed`` marks an index whose items (those answered at the unit's institution)
    differ between the two years: another measure, so no change is shown even where both years
    are (an item is always itself).
    """

    level: Series[pd.CategoricalDtype] = pa.Field(isin=SURVEY_LEVELS)
    institution_code: Series[pd.CategoricalDtype] = pa.Field(nullable=True)
    faculty_code: Series[pd.CategoricalDtype] = pa.Field(nullable=True)
    unit_code: Series[pd.CategoricalDtype]
    kind: Series[pd.CategoricalDtype] = pa.Field(isin=["item", "index"])
    name: Series[pd.CategoricalDtype]
    year: Series[pd.Int16Dtype] = pa.Field(in_range={"min_value": FIRST_YEAR + 1, "max_value": LAST_YEAR})
    previous_year: Series[pd.Int16Dtype] = pa.Field(in_range={"min_value": FIRST_YEAR, "max_value": LAST_YEAR})
    n: Series[pd.Int32Dtype] = pa.Field(ge=0)
    n_previous: Series[pd.Int32Dtype] = pa.Field(ge=0)
    mean: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range={"min_value": LIKERT_MIN, "max_value": LIKERT_MAX})
    mean_previous: Series[pd.Float64Dtype] = pa.Field(
        nullable=True, in_range={"min_value": LIKERT_MIN, "max_value": LIKERT_MAX}
    )
    change: Series[pd.Float64Dtype] = pa.Field(
        nullable=True, in_range={"min_value": -(LIKERT_MAX - LIKERT_MIN), "max_value": LIKERT_MAX - LIKERT_MIN}
    )
    p_value: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range={"min_value": 0, "max_value": 1})
    p_adjusted: Series[pd.Float64Dtype] = pa.Field(nullable=True, in_range={"min_value": 0, "max_value": 1})
    significant: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    definition_changed: Series[pd.BooleanDtype]

    @pa.check("unit_code", "name", error="a code or name is empty|this is a defect in the aggregation")
    def code_present(cls, series: pd.Series) -> bool:
        return _no_empty_code(series)

    @pa.dataframe_check(
        error="@change,mean,mean_previous|a change is shown where a year is suppressed"
        "|this is a defect in the aggregation"
    )
    def change_needs_both_years(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["change"].notna() & (df["mean"].isna() | df["mean_previous"].isna())).astype(bool)

    @pa.dataframe_check(
        error="@change,definition_changed|a change is shown between two definitions of an index"
        "|this is a defect in the aggregation"
    )
    def change_needs_one_definition(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["change"].notna() & df["definition_changed"].fillna(False)).astype(bool)

    @pa.dataframe_check(
        error=f"@p_value,p_adjusted,significant|a significance mark (significant or not) without its "
        f"test, a test without its mark, or an adjusted p-value below the raw one|{_DEFECT}"
    )
    def adjusted_p_value(cls, df: pd.DataFrame) -> Series[bool]:
        below = (df["p_adjusted"] < df["p_value"]).fillna(False)
        unmatched = df["significant"].isna() != df["p_adjusted"].isna()
        return ~(unmatched | below).astype(bool)

    class Config:
        strict = True


def not_missing_as_text(code: pd.Series) -> pd.Series:
    """A code that is not a missing value written out as text ("nan", "<NA>", "None": what
    ``astype(str)`` makes of one), the one test of the derived tables' code columns."""
    return ~code.isin(["nan", "<NA>", "None"]).fillna(False)


class SurveyFiles(pa.DataFrameModel):
    """The respondent files each institution's survey year was counted from (derived stage,
    ``survey_files``): one row per institution × year × file, so that a survey table's row is
    dated as the files its numbers come from, not as every respondent file read.

    ``source_file`` is named as the validated stage names it, relative to the raw folder (the
    adviser's folders above it are written into no stage); ``institution_code`` is missing for
    a file without ``institusjonskode``.
    """

    institution_code: Series[str] = pa.Field(nullable=True, str_length={"min_value": 1})
    year: Series[pd.Int64Dtype] = pa.Field(ge=FIRST_YEAR, le=LAST_YEAR)
    source_file: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True
        unique = ["institution_code", "year", "source_file"]

    @pa.check("institution_code", error="a missing code written as text|this is a bug in respondent_files_by_year")
    def no_missing_as_text(cls, code: pd.Series) -> pd.Series:
        return not_missing_as_text(code)


class PortalSetAside(pa.DataFrameModel):
    """The portal's programmes and years left out for NOKUT's respondent files of the same
    institution and year (derived stage, ``portal_set_aside``; made by
    :func:`analysis.disclosure.portal_set_aside`): one row per programme (the portal's
    ``sb_id``) × year. ``institution_code`` is the programme's institution (the index view's,
    else the ``sb_id``'s leading code), never missing: the report says by it which of its
    institution's years are the respondent files'. ``programme_name`` is the programme's name
    in the portal's files of that year (missing where none names it): the report and notebook
    04 name by it a programme whose every index-view row was set aside; no figure is kept.
    """

    sb_id: Series[str] = pa.Field(str_length={"min_value": 1})
    institution_code: Series[str] = pa.Field(str_length={"min_value": 1})
    survey_year: Series[pd.Int64Dtype] = pa.Field(ge=FIRST_YEAR, le=LAST_YEAR)
    programme_name: Series[str] = pa.Field(nullable=True, str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True
        unique = ["sb_id", "institution_code", "survey_year"]

    @pa.check("institution_code", error="a missing code written as text|this is a bug in portal_set_aside")
    def no_missing_as_text(cls, code: pd.Series) -> pd.Series:
        return not_missing_as_text(code)
