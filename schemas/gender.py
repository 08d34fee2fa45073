"""Contracts for admission and registration gender tables (DBH, Samordna opptak, the seed)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from schemas.common import LEVELS, MEASURES, Provenance


class FacultyNames(Provenance):
    """Validated table 210 (API response) or the faculty short-name list: one row per code."""

    institution_code: Series[str] = pa.Field(str_matches=r"^\d{4}$")
    department_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{6}$")
    faculty_code: Series[str] = pa.Field(str_matches=r"^\d{3}$")
    faculty_name: Series[str]
    faculty_short_name: Series[str] = pa.Field(nullable=True)
    valid_from: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{5}$")
    valid_to: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{5}$")


class GenderObservations(Provenance):
    """Every gender count or share from every source, tidy: unit × year × measure.

    ``women``/``men`` are missing (never 0) where the source suppressed them; ``suppressed``
    says so. ``share_women_given_pct`` holds a share the source gives only as a rounded
    percentage (Samordna opptak, the seed); it is used as given.
    """

    source_kind: Series[str]
    institution_code: Series[str] = pa.Field(nullable=True)
    institution_name: Series[str] = pa.Field(nullable=True)
    level: Series[str] = pa.Field(isin=LEVELS)
    unit_code: Series[str] = pa.Field(str_length={"min_value": 1})
    unit_name: Series[str] = pa.Field(nullable=True)
    faculty_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{3}$")
    year: Series[pd.Int64Dtype] = pa.Field(ge=1990, le=2100)
    measure: Series[str] = pa.Field(isin=MEASURES)
    total: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    women: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    men: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    share_women_given_pct: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=100)
    suppressed: Series[bool]

    @pa.dataframe_check(error="@women,total|more women than the total|check the export: women ≤ total")
    def women_within_total(cls, df: pd.DataFrame) -> pd.Series:
        return ~(df["women"] > df["total"]).fillna(False).astype(bool)

    @pa.dataframe_check(error="@men,total|more men than the total|check the export: men ≤ total")
    def men_within_total(cls, df: pd.DataFrame) -> pd.Series:
        return ~(df["men"] > df["total"]).fillna(False).astype(bool)

    @pa.dataframe_check(
        error="@suppressed,women,men,total|a suppressed row must have unknown women and men and a total above 0"
        "|this is a bug in the reader; please report it"
    )
    def suppressed_is_unknown(cls, df: pd.DataFrame) -> pd.Series:
        ok = df["women"].isna() & df["men"].isna() & (df["total"] > 0).fillna(False)
        return ~df["suppressed"] | ok

    @pa.dataframe_check(
        error="@total,share_women_given_pct|neither counts nor a share|give counts (total, women, men) or a share of women"
    )
    def has_counts_or_share(cls, df: pd.DataFrame) -> pd.Series:
        return df["total"].notna() | df["share_women_given_pct"].notna()
