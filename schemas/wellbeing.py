"""Output contract of the SHoT well-being indicators by wave (derived stage)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from schemas.common import LAST_YEAR, Provenance

SCOPES = ["national", "region", "institution"]
GENDERS = ["all", "women", "men"]


class WellbeingIndicators(Provenance):
    """One row per indicator × group × wave *and source row*.

    Conflicting figures for the same indicator, group and wave (two reports giving different
    numbers or definitions) are all kept and marked ``conflicting``; ``versions`` counts them.
    ``change_pp`` is this value minus the previous wave's value of the same indicator and
    group, in percentage points; missing when there is no earlier wave or the earlier wave has
    conflicting figures (``note`` says so). ``definition_changed`` marks where the definition
    differs from the previous wave's, so a chart can break the line there. ``previous_remark``
    is the source's remark on the previous wave ("tilleggsundersøkelse under pandemien"), said
    beside a change measured against it.
    """

    year: Series[pd.Int64Dtype] = pa.Field(ge=2010, le=LAST_YEAR)
    indicator: Series[str] = pa.Field(str_length={"min_value": 1})
    group: Series[str] = pa.Field(str_length={"min_value": 1})
    scope: Series[str] = pa.Field(isin=SCOPES)
    place: Series[str] = pa.Field(nullable=True)
    gender: Series[str] = pa.Field(isin=GENDERS)
    value_pct: Series[pd.Float64Dtype] = pa.Field(ge=0, le=100)
    versions: Series[pd.Int64Dtype] = pa.Field(ge=1)
    conflicting: Series[bool]
    previous_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    previous_value_pct: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=100)
    previous_remark: Series[str] = pa.Field(nullable=True)
    change_pp: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=-100, le=100)
    definition: Series[str] = pa.Field(nullable=True)
    definition_changed: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    national_value_pct: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=100)
    difference_to_national_pp: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=-100, le=100)
    note: Series[str] = pa.Field(nullable=True)
    definition_note: Series[str] = pa.Field(nullable=True)
    source_url: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
        unique = ["source_file", "source_row"]

    @pa.dataframe_check(error="a change across conflicting figures|this is a bug in wellbeing_indicators")
    def change_needs_previous(cls, df: pd.DataFrame) -> pd.Series:
        return df["change_pp"].isna() | df["previous_value_pct"].notna()

    @pa.dataframe_check(error="a national row compared with itself|this is a bug in wellbeing_indicators")
    def national_not_compared(cls, df: pd.DataFrame) -> pd.Series:
        return (df["scope"] != "national") | df["difference_to_national_pp"].isna()
