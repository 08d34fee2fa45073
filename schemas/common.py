"""Fields and checks shared by several contracts."""

from __future__ import annotations

from functools import partial

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

# Raw stage: every cell is still the text from the file.
COUNT_TEXT = r"^\s*\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+\s*$|^\s*\d+\s*$"
YEAR_TEXT = r"^\s*(19[9]\d|20\d\d)\s*$"
DIGITS = r"^\d+$"

CountText = partial(
    pa.Field,
    str_matches=COUNT_TEXT,
    nullable=False,
)
Count = partial(pa.Field, ge=0, nullable=True)
Year = partial(pa.Field, ge=1990, le=2100)
Fraction01 = partial(pa.Field, ge=0.0, le=1.0, nullable=True)
Percent = partial(pa.Field, ge=0.0, le=100.0, nullable=True)

LEVELS = ["programme", "department", "faculty", "institution"]

#: What a gender share or count is a share *of*. Different measures are never compared as one.
MEASURES = [
    "applicants",  # alle søkere
    "first_choice_applicants",  # førstevalgssøkere
    "qualified",  # kvalifiserte søkere
    "offers",  # tilbud
    "admitted",  # tatt opp / møtt (hovedopptak)
    "registered",  # registrerte studenter (DBH table 123)
    "programme_students",  # all students on the programme (Studiebarometeret DBH facts)
]


class Provenance(pa.DataFrameModel):
    """Every row of a tidy frame says where it came from."""

    source_file: Series[str]
    source_row: Series[pd.Int64Dtype] = pa.Field(ge=1)

    class Config:
        strict = False
        coerce = True
