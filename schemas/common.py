"""Fields and checks shared by several contracts."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

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
