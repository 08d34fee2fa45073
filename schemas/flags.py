"""Output contract of the gender-imbalance flags (derived stage)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from schemas.common import (
    DBH_FIRST_YEAR,
    LAST_YEAR,
    LEVELS,
    MEASURES,
    SEMESTER_PATTERN,
    STUDENT_CATEGORY_PATTERN,
    SUPPRESSED_INSIDE,
    SUPPRESSIONS,
)
from schemas.gender import OBSERVATION_KEY

STATUSES = ["flagged", "ok", "unknown"]
UNDERREPRESENTED = ["women", "men", "none"]
SHARE_BASES = ["counts", "given_pct"]
TREND_WORDS = ["rising", "falling", "flat"]


#: The columns that say what of a unit the source suppressed (``suppressed_units > 0``): its own
#: cell (``suppression`` says why: DBH masked it, or the unit gave no gender split), or cells
#: inside a unit judged on the interval they leave (``suppressed_inside`` says what they are: a
#: sum's departments, a row's student categories or programmes), never both. The report reads
#: them and works out neither again (:func:`suppressed_by_source`).
SUPPRESSED_BY_SOURCE = [
    "level",
    "suppressed_units",
    "suppressed_total",
    "suppressed_inside",
    "suppression",
    "categories_disagree",
]
_SUPPRESSED_ERROR = (
    "@suppressed_units,suppression,suppressed_inside|suppressed units that are neither the unit's own cell"
    " (suppression) nor cells inside it (suppressed_inside), or are both, or a reason without suppressed units"
)


def _suppressed_own_or_inside(df: pd.DataFrame) -> pd.Series:
    own, inside = df["suppression"].notna(), df["suppressed_inside"].notna()
    some = (df["suppressed_units"] > 0).fillna(False).astype(bool)
    return ~(own & inside) & ((own | inside) == some)


class GenderFlags(pa.DataFrameModel):
    """One row per unit × year × measure × source kind: is the under-represented gender below
    the threshold?

    The measure is ``measure`` with its ``semester``, ``student_category`` and
    ``measure_filter`` (missing where the source has no such dimension, or was not filtered). Names are from the data, with the codes beside them:
    ``institution_name`` (and ``institution_short_name`` from DBH table 211), ``unit_name``
    (the programme, department, faculty or institution), ``department_code``/``department_name``
    (a programme's department), ``faculty_name``; programmes also carry ``study_level`` (DBH
    Nivåkode), ``nus_code`` and ``field_code``.

    The ``field_*`` columns are the field benchmark of a programme (``analysis.metrics.gender``):
    ``field_share_women`` among the programmes of its field in the same year and measure,
    ``field_underrepresented_share`` the field's share of *this row's* under-represented
    gender, ``field_distance_pp`` this row's under-represented share minus that, in percentage
    points.

    ``total`` to ``total_high`` bound the number of students (cells written 0 in it or inside
    it: 0 to 2 each, the observations' ``total_high``). ``women_low``/``women_high`` bound the number of women: equal to ``women`` when the count
    is exact, an interval when suppressed departments are summed into a faculty or institution;
    missing (with ``women`` and ``men``) for a row of ``total`` 0, which holds 0 to 2 students.
    ``ci_low``/``ci_high`` are a Wilson 95 % interval for ``underrepresented_share`` (counts
    only). ``trend_pp_per_year`` is the least-squares slope, in percentage points per year, of
    the share of this row's under-represented gender over the unit's years in the trend window
    ending at this year; ``trend`` says it in a word. Where a year's share is known only as an
    interval the slope is known only as a range, ``trend_pp_low`` to ``trend_pp_high`` (the
    slope itself missing), and ``trend`` has a word only where the whole range has it.
    """

    level: Series[str] = pa.Field(isin=LEVELS)
    institution_code: Series[str] = pa.Field(nullable=True)
    institution_name: Series[str] = pa.Field(nullable=True)
    institution_short_name: Series[str] = pa.Field(nullable=True)
    unit_code: Series[str] = pa.Field(str_length={"min_value": 1})
    unit_name: Series[str] = pa.Field(str_length={"min_value": 1})
    department_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{6}$")
    department_name: Series[str] = pa.Field(nullable=True)
    faculty_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{3}$")
    faculty_name: Series[str] = pa.Field(nullable=True)
    study_level: Series[str] = pa.Field(nullable=True)
    nus_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{6}$")
    field_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{2}$")
    year: Series[pd.Int64Dtype] = pa.Field(ge=DBH_FIRST_YEAR, le=LAST_YEAR)
    measure: Series[str] = pa.Field(isin=MEASURES)
    semester: Series[str] = pa.Field(nullable=True, str_matches=SEMESTER_PATTERN)
    student_category: Series[str] = pa.Field(nullable=True, str_matches=STUDENT_CATEGORY_PATTERN)
    measure_filter: Series[str] = pa.Field(nullable=True)
    source_kind: Series[str]
    total: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    # the most students the row may hold: its total, and 2 more for each cell written 0 in it
    # (DBH writes 1 or 2 students as 0; schemas.gender.GenderObservations.total_high): a row of 0
    # holds 0 to 2 (table 379's women and men each written 0: 0 to 4), a faculty's sum of one such
    # department and others of 6487 students 6487 to 6489; missing where ``total`` is
    total_high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    women: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    men: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    women_low: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    women_high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    suppressed_units: Series[pd.Int64Dtype] = pa.Field(ge=0)
    suppressed_total: Series[pd.Int64Dtype] = pa.Field(ge=0)
    # What the source suppressed, said once by the metric (:data:`SUPPRESSED_BY_SOURCE`): what
    # the suppressed units inside are (a unit judged on an interval), else empty: the report's
    # words name them ("1 skjermet studentkategori", "1 skjermet enhet") ...
    suppressed_inside: Series[str] = pa.Field(nullable=True, isin=SUPPRESSED_INSIDE)
    # ... or why the unit's own cell is suppressed (small_cell, no_gender_split), else empty
    suppression: Series[str] = pa.Field(nullable=True, isin=SUPPRESSIONS)
    # a department's or a programme's row of the student categories added that its own rows by
    # category contradict (a category with more women or men than all of them: DBH revised a
    # figure between two downloads): its women are anywhere in its total; a faculty's or an
    # institution's sum with such a row inside (that row's whole total in its interval); else False
    categories_disagree: Series[bool]
    share_women: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=1)
    share_basis: Series[str] = pa.Field(isin=SHARE_BASES)
    underrepresented: Series[str] = pa.Field(nullable=True, isin=UNDERREPRESENTED)
    underrepresented_share: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=0.5)
    threshold: Series[pd.Float64Dtype] = pa.Field(gt=0, lt=1)
    status: Series[str] = pa.Field(isin=STATUSES)
    students_needed: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    reason: Series[str] = pa.Field(nullable=True)
    ci_low: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=1)
    ci_high: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=1)
    borderline: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    consecutive_years_flagged: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)  # (unknown: missing)
    trend_pp_per_year: Series[pd.Float64Dtype] = pa.Field(nullable=True)
    # the least and the most slope the window's shares leave: both ``trend_pp_per_year`` where
    # every share is known, a range where a year is known only as an interval (sums with
    # suppressed units inside); missing where there is no slope
    trend_pp_low: Series[pd.Float64Dtype] = pa.Field(nullable=True)
    trend_pp_high: Series[pd.Float64Dtype] = pa.Field(nullable=True)
    trend: Series[str] = pa.Field(nullable=True, isin=TREND_WORDS)
    # the merger the row's series (consecutive_years_flagged, trend) starts after: its year and
    # the institutions merged in ("Name (code)" joined by "; "); empty where none
    series_break_year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=DBH_FIRST_YEAR, le=LAST_YEAR)
    series_break_merged: Series[str] = pa.Field(nullable=True)
    field_programmes: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    field_institutions: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    field_total: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    field_share_women: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=1)
    field_underrepresented_share: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=1)
    field_distance_pp: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=-100, le=100)
    field_basis: Series[str] = pa.Field(nullable=True, isin=SHARE_BASES)
    source_file: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
        # one row per observation (schemas.gender.OBSERVATION_KEY) and source
        unique = [*OBSERVATION_KEY, "source_kind"]

    @pa.dataframe_check(error=f"{_SUPPRESSED_ERROR}|this is a bug in gender_flags")
    def suppressed_own_or_inside(cls, df: pd.DataFrame) -> pd.Series:
        return _suppressed_own_or_inside(df)

    @pa.dataframe_check(error="a field benchmark on a row that is not a programme|this is a bug in gender_flags")
    def benchmark_only_for_programmes(cls, df: pd.DataFrame) -> pd.Series:
        return (df["level"] == "programme") | df["field_share_women"].isna()

    @pa.dataframe_check(error="an unknown status without a reason|this is a bug in gender_flags")
    def unknown_has_reason(cls, df: pd.DataFrame) -> pd.Series:
        return (df["status"] != "unknown") | df["reason"].notna()

    @pa.dataframe_check(error="the interval of women is reversed|this is a bug in gender_flags")
    def interval_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return ~(df["women_low"] > df["women_high"]).fillna(False).astype(bool)

    @pa.dataframe_check(
        error="the most students are fewer than the total, or one is missing|this is a bug in gender_flags"
    )
    def total_interval(cls, df: pd.DataFrame) -> pd.Series:
        return (df["total_high"].isna() == df["total"].isna()) & ~(df["total_high"] < df["total"]).fillna(False)

    @pa.dataframe_check(error="the range of the trend is reversed or misses its slope|this is a bug in gender_flags")
    def trend_range(cls, df: pd.DataFrame) -> pd.Series:
        ordered = ~(df["trend_pp_low"] > df["trend_pp_high"]).fillna(False).astype(bool)
        point = df["trend_pp_per_year"].isna() | (
            (df["trend_pp_low"] == df["trend_pp_per_year"]) & (df["trend_pp_high"] == df["trend_pp_per_year"])
        ).fillna(False).astype(bool)
        return ordered & point & (df["trend_pp_low"].isna() == df["trend_pp_high"].isna())

    @pa.dataframe_check(error="an exact count differs from its interval|this is a bug in gender_flags")
    def exact_is_point(cls, df: pd.DataFrame) -> pd.Series:
        exact = df["women"].notna()
        same = (df["women_low"] == df["women"]) & (df["women_high"] == df["women"])
        return ~exact | same.fillna(False).astype(bool)

    @pa.dataframe_check(error="an empty unit has a share|an empty unit is unknown, never 0 %")
    def empty_unit_has_no_share(cls, df: pd.DataFrame) -> pd.Series:
        empty = (df["total"] == 0).fillna(False).astype(bool)
        return ~empty | (df["share_women"].isna() & (df["status"] == "unknown"))

    @pa.dataframe_check(error="an ok unit needs students|this is a bug in gender_flags")
    def ok_needs_none(cls, df: pd.DataFrame) -> pd.Series:
        ok = df["status"] == "ok"
        return ~ok | df["students_needed"].isna() | (df["students_needed"] == 0).fillna(False).astype(bool)

    @pa.dataframe_check(error="a flagged unit needs no students|this is a bug in gender_flags")
    def flagged_needs_some(cls, df: pd.DataFrame) -> pd.Series:
        flagged = df["status"] == "flagged"
        return ~flagged | df["students_needed"].isna() | (df["students_needed"] > 0).fillna(False).astype(bool)


def suppressed_by_source() -> pa.DataFrameSchema:
    """The part of :class:`GenderFlags` a report reads to say what the source suppressed: the
    columns of :data:`SUPPRESSED_BY_SOURCE`, required, and the check that ties them. A flags
    table of an older version, or made by hand, without them is refused as it is read; before,
    a missing column was read as "nothing suppressed". (The whole contract's checks cost 0.3 s
    on the national table at each of a report's seven reads of it; these 0.01 s.)"""
    whole = GenderFlags.to_schema()
    return pa.DataFrameSchema(
        {name: whole.columns[name] for name in SUPPRESSED_BY_SOURCE},
        checks=[pa.Check(_suppressed_own_or_inside, error=f"{_SUPPRESSED_ERROR}|this is a bug in gender_flags")],
        coerce=True,
        name="GenderFlags (what the source suppressed)",
    )
