"""Contract for SHoT indicator tables."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from schemas.common import LAST_YEAR, Provenance


class ShotIndicators(Provenance):
    """One row per wave × indicator × group: a percentage with its definition and source."""

    year: Series[pd.Int64Dtype] = pa.Field(ge=2010, le=LAST_YEAR)
    indicator: Series[str] = pa.Field(str_length={"min_value": 1})
    group: Series[str] = pa.Field(str_length={"min_value": 1})
    value_pct: Series[pd.Float64Dtype] = pa.Field(ge=0, le=100)
    definition_note: Series[str] = pa.Field(nullable=True)
    source_url: Series[str] = pa.Field(nullable=True)
