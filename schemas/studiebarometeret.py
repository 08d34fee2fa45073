"""Contracts for Studiebarometeret: respondent-level raw data, portal extracts, the 2017 extract."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from analysis.settings import DONT_KNOW_CODE, LIKERT_MAX, LIKERT_MIN
from schemas.common import Provenance
from schemas.survey_layout import FIRST_YEAR, ITEM_NAME, LAST_YEAR, PROGRAMME_KEY, YEAR_KEY, item_columns

__all__ = [
    "ITEM_NAME",
    "PROGRAMME_KEY",
    "YEAR_KEY",
    "item_columns",
    "SurveyRespondents",
    "IntegrationExtract",
    "PortalIndex",
    "PortalItems",
    "PortalHistory",
    "PortalDbhFacts",
    "SurveyVariables",
]


class SurveyRespondents(pa.DataFrameModel):
    """Respondent-level Studiebarometeret answers, validated: one row per respondent.

    Item columns (any column named like a NOKUT item) are nullable integers holding an answer
    1–5 or NOKUT's own ``9999`` for "vet ikke / ikke relevant"; a blank is missing. "Vet ikke" is
    kept (not made missing) so that its count reaches the tables, and kept as 9999, not as a
    small code: a mean that took it in by mistake lands in the thousands and every output
    contract (a mean is 1–5) refuses it, where a 6 or a 9 would pass unseen. Never average the
    columns as they are: :func:`analysis.metrics.survey.scale_answers` gives the answers 1–5.
    Int16 (Int8 cannot hold 9999); a frame given Int8 answers is widened. The frame is wide
    on purpose: one row per answer would cost ~20× the memory at national scale.
    """

    studprog_kod: Series[str] = pa.Field(str_length={"min_value": 1})
    aar: Series[pd.Int16Dtype] = pa.Field(ge=FIRST_YEAR, le=LAST_YEAR)
    items: Series[pd.Int16Dtype] = pa.Field(
        alias=ITEM_NAME.pattern,
        regex=True,
        nullable=True,
        coerce=True,
        isin=[*range(LIKERT_MIN, LIKERT_MAX + 1), DONT_KNOW_CODE],
    )
    #: each row's file and row there (:class:`schemas.common.Provenance`'s columns): the frame of
    #: several files is counted file by file, as the files are
    #: (``analysis.metrics.survey_counts.respondent_files``). A category: one file's name over
    #: millions of rows (coerced: files' frames put together with a plain ``pd.concat`` have
    #: it as text). Optional: a frame made by hand is one file.
    source_file: Series[pd.CategoricalDtype] | None = pa.Field(coerce=True)
    source_row: Series[pd.Int64Dtype] | None = pa.Field(ge=1, coerce=True)

    class Config:
        strict = False


class IntegrationExtract(Provenance):
    """An aggregated integration extract like the 2017 one in the seed: mean score per
    institution and level. ``n`` is unknown in the seed's extract."""

    level: Series[str] = pa.Field(isin=["bachelor", "master"])
    institution: Series[str] = pa.Field(str_length={"min_value": 1})
    year: Series[pd.Int64Dtype] = pa.Field(ge=FIRST_YEAR, le=LAST_YEAR)
    academic: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=LIKERT_MIN, le=LIKERT_MAX)
    social: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=LIKERT_MIN, le=LIKERT_MAX)
    n: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)

    class Config:
        unique = ["level", "institution", "year"]


class PortalIndex(Provenance):
    """Studiebarometeret portal: programme × index with field average, n and response rate."""

    survey_year: Series[pd.Int64Dtype] = pa.Field(ge=FIRST_YEAR, le=LAST_YEAR)
    sb_id: Series[str]
    institution_code: Series[str] = pa.Field(str_matches=r"^\d{4}$")
    programme_name: Series[str]
    study_level: Series[str]
    respondents: Series[pd.Int64Dtype] = pa.Field(ge=0)
    response_rate_pct: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=100)
    dimension_key: Series[str]
    dimension_label: Series[str]
    value: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=LIKERT_MIN, le=LIKERT_MAX)
    field_average: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=LIKERT_MIN, le=LIKERT_MAX)
    field_average_label: Series[str] = pa.Field(nullable=True)
    few_respondents_warning: Series[bool]

    class Config:
        unique = ["survey_year", "sb_id", "dimension_key"]


class PortalItems(Provenance):
    survey_year: Series[pd.Int64Dtype] = pa.Field(ge=FIRST_YEAR, le=LAST_YEAR)
    sb_id: Series[str]
    dimension_key: Series[str]
    item_text: Series[str]
    value: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=LIKERT_MIN, le=LIKERT_MAX)


class PortalHistory(Provenance):
    """The portal's time series; an empty value means the portal withheld it (too few answers)."""

    sb_id: Series[str]
    survey_year: Series[pd.Int64Dtype] = pa.Field(ge=FIRST_YEAR, le=LAST_YEAR)
    dimension_key: Series[str]
    value: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=LIKERT_MIN, le=LIKERT_MAX)

    class Config:
        unique = ["sb_id", "survey_year", "dimension_key"]


class PortalDbhFacts(Provenance):
    """The portal's "Bakgrunnsopplysninger fra DBH": shares cover all students on the programme."""

    survey_year: Series[pd.Int64Dtype] = pa.Field(ge=FIRST_YEAR, le=LAST_YEAR)
    sb_id: Series[str]
    programme_name: Series[str]
    respondents: Series[pd.Int64Dtype] = pa.Field(ge=0)
    response_rate_pct: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=100)
    students_total: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    share_women_pct: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=100)
    share_men_pct: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=100)


class SurveyVariables(Provenance):
    """NOKUT variable names and question texts per survey year (the variable list)."""

    year: Series[pd.Int64Dtype] = pa.Field(ge=FIRST_YEAR, le=LAST_YEAR)
    block: Series[str]
    question: Series[str]
    variable: Series[str]
    is_index: Series[bool]
