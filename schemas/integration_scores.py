"""Output contract of the integration scores (derived stage)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from analysis.settings import LIKERT_MAX, LIKERT_MIN
from schemas.survey_layout import FIRST_YEAR, LAST_YEAR

#: A score is a mean on the survey's scale.
Score = {"nullable": True, "ge": float(LIKERT_MIN), "le": float(LIKERT_MAX)}


class IntegrationScores(pa.DataFrameModel):
    """Integration of international students per institution (or programme) × level × year.

    ``integration_score`` is the unweighted mean of the configured scores (default academic and
    social). ``rank`` 1 is the best within level and year; ties share the best rank of the tie
    (``method='min'``) among the ``comparison_group`` (``all``: every institution in the data;
    else the members joined by "; "). Gaps are this score minus the reference, so negative is
    below: ``gap_to_best`` (0 for the best, never positive), ``gap_to_median`` and
    ``gap_to_mean`` of the ranked units. Units outside the group have no rank and no gaps.
    Units whose ``n`` is below the survey minimum, and programmes whose score items the survey
    tables hide (``analysis.disclosure``), are ``suppressed``: no score is shown and they are not
    ranked.
    """

    source: Series[str] = pa.Field(isin=["extract", "respondents"])
    level: Series[str] = pa.Field(str_length={"min_value": 1})
    institution: Series[str] = pa.Field(nullable=True)
    unit_code: Series[str] = pa.Field(nullable=True)
    unit_name: Series[str] = pa.Field(str_length={"min_value": 1})
    year: Series[pd.Int64Dtype] = pa.Field(ge=FIRST_YEAR, le=LAST_YEAR)
    academic: Series[pd.Float64Dtype] = pa.Field(**Score)
    social: Series[pd.Float64Dtype] = pa.Field(**Score)
    integration_score: Series[pd.Float64Dtype] = pa.Field(**Score)
    scores_used: Series[str]
    n: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    suppressed: Series[bool]
    few_respondents: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    units_ranked: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    gap_to_best: Series[pd.Float64Dtype] = pa.Field(nullable=True, le=0)
    gap_to_median: Series[pd.Float64Dtype] = pa.Field(nullable=True)
    gap_to_mean: Series[pd.Float64Dtype] = pa.Field(nullable=True)
    in_comparison_group: Series[bool]
    comparison_group: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = False
        coerce = True
        # (a programme code is one programme only within its institution: two institutions'
        # programmes of one code are two rows)
        unique = ["source", "level", "institution", "unit_name", "unit_code", "year"]

    @pa.dataframe_check(error="a suppressed unit shows a score|nothing below the survey minimum may be shown")
    def suppressed_shows_nothing(cls, df: pd.DataFrame) -> pd.Series:
        shown = df["academic"].notna() | df["social"].notna() | df["integration_score"].notna()
        return ~(df["suppressed"] & shown)

    @pa.dataframe_check(error="a ranked unit without a score|this is a bug in integration_scores")
    def rank_needs_score(cls, df: pd.DataFrame) -> pd.Series:
        return df["rank"].isna() | df["integration_score"].notna()
