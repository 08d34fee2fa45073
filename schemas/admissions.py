"""Contract for Samordna opptak key figures (søkertall, hovedopptak): every number with its measure."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from schemas.common import LAST_YEAR, Provenance

#: What a key figure counts. ``places`` (studieplasser) is a programme's capacity, not people,
#: so it has no share of women and is not one of the gender measures in ``MEASURES``.
KEY_FIGURE_MEASURES = ["applicants", "first_choice_applicants", "places", "qualified", "offers"]


class AdmissionFigures(Provenance):
    """One number per programme × year × key figure, as the file gives it.

    ``women`` is true on a "… (kvinner)" row: its ``value`` is the women's share (``unit``
    ``percent``) or count (``count``) of the row's ``measure``. A programme not offered in a
    year has no row (never 0).
    """

    institution_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{4}$")
    institution_name: Series[str]
    programme_code: Series[str] = pa.Field(str_length={"min_value": 1})
    programme_name: Series[str]
    campus: Series[str] = pa.Field(nullable=True)
    study_type: Series[str] = pa.Field(nullable=True)
    year: Series[pd.Int64Dtype] = pa.Field(ge=1990, le=LAST_YEAR)
    key_figure: Series[str]
    measure: Series[str] = pa.Field(isin=KEY_FIGURE_MEASURES)
    women: Series[bool]
    unit: Series[str] = pa.Field(isin=["count", "percent"])
    value: Series[float] = pa.Field(ge=0)

    @pa.dataframe_check(error="@value,unit|a percentage above 100 %|check the export")
    def percent_at_most_100(cls, df: pd.DataFrame) -> pd.Series:
        return ~((df["unit"] == "percent") & (df["value"] > 100))
