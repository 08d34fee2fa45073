"""Contracts for admission and registration gender tables (DBH, Samordna opptak, the seed) and
the DBH name tables that label them (programmes, departments, institutions)."""

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
    SUPPRESSIONS,
    Provenance,
)

#: A DBH validity code: year and semester digit (``20223`` = autumn 2022); ``11111`` and
#: ``99999`` are open-ended.
VALIDITY = r"^\d{5}$"


class FacultyNames(Provenance):
    """Validated table 210 (API response) or the faculty short-name list: one row per code."""

    institution_code: Series[str] = pa.Field(str_matches=r"^\d{4}$")
    department_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{6}$")
    faculty_code: Series[str] = pa.Field(str_matches=r"^\d{3}$")
    faculty_name: Series[str]
    faculty_short_name: Series[str] = pa.Field(nullable=True)
    valid_from: Series[str] = pa.Field(nullable=True, str_matches=VALIDITY)
    valid_to: Series[str] = pa.Field(nullable=True, str_matches=VALIDITY)


#: What makes two gender rows one observation: the unit, the year and the measure with every
#: dimension of it (semester, student category and the download's filter): the key the ingest
#: de-duplicates by (``analysis.ingest.GENDER_KEY``) and the flags are unique by.
OBSERVATION_KEY = [
    "institution_code",
    "level",
    "unit_code",
    "year",
    "measure",
    "semester",
    "student_category",
    "measure_filter",
]


class GenderObservations(Provenance):
    """Every gender count or share from every source, tidy: unit × year × measure.

    A measure is ``measure`` *with* its ``semester``, ``student_category`` and ``measure_filter``
    ("registered students, autumn, category S" is not "registered students, autumn, all
    categories", nor "registered students, autumn, category S, Nivåkode HN").
    Sources without those dimensions leave them missing.

    ``women``/``men`` are missing (never 0) where the source suppressed them; ``suppressed``
    says so and ``suppression`` says why (``small_cell``: DBH masked a small cell;
    ``no_gender_split``: the unit reported no gender split). Where only one gender is masked
    (table 379: a gender written 0 beside the other's count), the other is given, and is the
    whole ``total`` as written; the masked one's students (and the other's in its cells written 0)
    are beyond it, up to ``total_high``. ``share_women_given_pct`` holds
    a share the source gives only as a rounded percentage (Samordna opptak, the seed); it is
    used as given, and ``share_women_given_decimals`` says to how many decimals it was rounded. Names come from the source where it gives them (DBH's ``kodetekst: "J"``
    columns); programme rows carry their department where the source groups by it.
    """

    source_kind: Series[str]
    institution_code: Series[str] = pa.Field(nullable=True)
    institution_name: Series[str] = pa.Field(nullable=True)
    level: Series[str] = pa.Field(isin=LEVELS)
    unit_code: Series[str] = pa.Field(str_length={"min_value": 1})
    unit_name: Series[str] = pa.Field(nullable=True)
    faculty_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{3}$")
    department_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{6}$", default=None)
    department_name: Series[str] = pa.Field(nullable=True, default=None)
    nus_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{6}$", default=None)
    year: Series[pd.Int64Dtype] = pa.Field(ge=DBH_FIRST_YEAR, le=LAST_YEAR)
    measure: Series[str] = pa.Field(isin=MEASURES)
    semester: Series[str] = pa.Field(nullable=True, str_matches=SEMESTER_PATTERN, default=None)
    student_category: Series[str] = pa.Field(nullable=True, str_matches=STUDENT_CATEGORY_PATTERN, default=None)
    #: what the download was filtered on, from a column of one value the reader does not read
    #: ("Nivåkode HN": :func:`analysis.readers.base.measure_filter`); part of the measure
    measure_filter: Series[str] = pa.Field(nullable=True, default=None)
    total: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    #: the most students the row may hold, where its masked cells may hold more than ``total``
    #: says: a total the reader added from cells written 0 (DBH shows 1 or 2 as 0), 2 more for
    #: each (table 379: a measure of women and men each written 0 holds 0 to 4, a gender written
    #: 0 beside 7 of the other 7 to 9). Missing: ``total`` is the source's own figure, and holds
    #: 0 to 2 students where it is 0 (:data:`analysis.readers.dbh_cells.SMALLEST_SHOWN`).
    total_high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, default=None)
    women: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    men: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    share_women_given_pct: Series[pd.Float64Dtype] = pa.Field(nullable=True, ge=0, le=100)
    #: the decimals the source wrote the share with (41,3 % -> 1): how far it was rounded, so
    #: that a count of the same unit and year can be compared with it (missing: not known)
    share_women_given_decimals: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, default=None)
    suppressed: Series[bool]
    suppression: Series[str] = pa.Field(nullable=True, isin=SUPPRESSIONS, default=None)

    class Config:
        # Readers of sources without semesters, categories or names (Samordna opptak, the
        # seed) need not write those columns: they are added as missing.
        add_missing_columns = True

    @pa.dataframe_check(error="@women,total|more women than the total|check the export: women ≤ total")
    def women_within_total(cls, df: pd.DataFrame) -> pd.Series:
        return ~(df["women"] > df["total"]).fillna(False).astype(bool)

    @pa.dataframe_check(error="@men,total|more men than the total|check the export: men ≤ total")
    def men_within_total(cls, df: pd.DataFrame) -> pd.Series:
        return ~(df["men"] > df["total"]).fillna(False).astype(bool)

    @pa.dataframe_check(
        error="@suppressed,women,men,total|a suppressed row must have unknown women and men (or one of them"
        " unknown and the other its total) and a total above 0|this is a bug in the reader; please report it"
    )
    def suppressed_is_unknown(cls, df: pd.DataFrame) -> pd.Series:
        both = df["women"].isna() & df["men"].isna()
        one = (df["women"].isna() & (df["men"] == df["total"])) | (df["men"].isna() & (df["women"] == df["total"]))
        ok = (both | one.fillna(False)) & (df["total"] > 0).fillna(False)
        return ~df["suppressed"] | ok

    @pa.dataframe_check(
        error="@total,total_high|the most students are fewer than the total, or given without it"
        "|this is a bug in the reader; please report it"
    )
    def total_interval(cls, df: pd.DataFrame) -> pd.Series:
        return ~((df["total_high"] < df["total"]) | (df["total_high"].notna() & df["total"].isna())).fillna(False)

    @pa.dataframe_check(
        error="@suppressed,suppression|a suppressed row without its reason, or a reason on a row that is not"
        " suppressed|this is a bug in the reader; please report it"
    )
    def reason_exactly_when_suppressed(cls, df: pd.DataFrame) -> pd.Series:
        # the reason decides the wording of an unknown share (a small cell, or no gender split
        # given): a suppressed row without one would be worded as a small cell by default
        return df["suppressed"] == df["suppression"].notna()

    @pa.dataframe_check(
        error="@total,share_women_given_pct|neither counts nor a share|give counts (total, women, men) or a share of women"
    )
    def has_counts_or_share(cls, df: pd.DataFrame) -> pd.Series:
        return df["total"].notna() | df["share_women_given_pct"].notna()


class ProgrammeCatalogue(Provenance):
    """DBH table 347 *Studieprogram*: one row per institution × programme × year × semester.

    ``field_code`` is the programme's field for the field benchmark: the 2nd and 3rd digit of
    its NUS code (NUS2000 *fagfelt* and *faggruppe*; the 1st digit is the level).
    """

    institution_code: Series[str] = pa.Field(str_matches=r"^\d{4}$")
    institution_name: Series[str] = pa.Field(nullable=True)
    department_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{6}$")
    department_name: Series[str] = pa.Field(nullable=True)
    programme_code: Series[str] = pa.Field(str_length={"min_value": 1})
    programme_name: Series[str] = pa.Field(nullable=True)
    year: Series[pd.Int64Dtype] = pa.Field(ge=DBH_FIRST_YEAR, le=LAST_YEAR)
    semester: Series[str] = pa.Field(nullable=True, str_matches=SEMESTER_PATTERN)
    study_level: Series[str] = pa.Field(nullable=True)
    study_level_name: Series[str] = pa.Field(nullable=True)
    nus_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{6}$")
    field_code: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{2}$")

    class Config:
        unique = ["institution_code", "programme_code", "year", "semester"]


class DepartmentNames(Provenance):
    """DBH table 457 *Organisasjonsenheter*: a department's name in a year and semester."""

    institution_code: Series[str] = pa.Field(str_matches=r"^\d{4}$")
    department_code: Series[str] = pa.Field(str_matches=r"^\d{6}$")
    department_name: Series[str] = pa.Field(str_length={"min_value": 1})
    year: Series[pd.Int64Dtype] = pa.Field(ge=DBH_FIRST_YEAR, le=LAST_YEAR)
    semester: Series[str] = pa.Field(nullable=True, str_matches=SEMESTER_PATTERN)

    class Config:
        unique = ["institution_code", "department_code", "year", "semester"]


class InstitutionNames(Provenance):
    """DBH table 211 *Institusjon*: an institution's name, short name and validity."""

    institution_code: Series[str] = pa.Field(str_matches=r"^\d{4}$")
    institution_name: Series[str] = pa.Field(str_length={"min_value": 1})
    institution_short_name: Series[str] = pa.Field(nullable=True)
    valid_from: Series[str] = pa.Field(nullable=True, str_matches=VALIDITY)
    valid_to: Series[str] = pa.Field(nullable=True, str_matches=VALIDITY)
    #: the institution this one merged into ("Institusjonskode (sammenslått)"), where DBH gives it
    merged_into: Series[str] | None = pa.Field(nullable=True, str_matches=r"^\d{4}$")


class DbhQueries(Provenance):
    """A DBH-API query body kept next to the export it produced (provenance, not data)."""

    table_id: Series[pd.Int64Dtype] = pa.Field(ge=1)
    group_by: Series[str] = pa.Field(nullable=True)
    filters: Series[str] = pa.Field(nullable=True)
