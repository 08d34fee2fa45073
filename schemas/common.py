"""Fields and checks shared by several contracts."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from analysis.parsing import LAST_YEAR as LAST_YEAR  # (the contracts take it from here)

LEVELS = ["programme", "department", "faculty", "institution"]

#: The first year a gender count can be for (the last: :data:`analysis.parsing.LAST_YEAR`, as
#: every year's). DBH's statistics start in 1981 (the national table-123 export's first year);
#: nothing in the product is older.
DBH_FIRST_YEAR = 1981

#: What a gender share or count is a share *of*. Different measures are never compared as one.
MEASURES = [
    "applicants",  # alle søkere
    "first_choice_applicants",  # førstevalgssøkere (Samordna opptak; DBH 379 Prioritet = 1)
    "qualified",  # kvalifiserte søkere (DBH 379: søknadsalternativer with Kvalifisert = 1)
    "offers",  # tilbud (DBH 379 Tilbud om opptak)
    "admitted",  # tatt opp / møtt (hovedopptak)
    "registered",  # registrerte studenter (DBH table 123)
    "programme_students",  # all students on the programme (Studiebarometeret DBH facts)
    "applications",  # søknader: every choice counts (DBH 132 Søknader; DBH 379 Søknadsalternativer)
    "accepted",  # akseptert tilbud (DBH 379)
    "met",  # møtt til studiestart (DBH 379)
    "new_students",  # nye studenter (DBH table 110)
    "admissions",  # opptak, every admission route (DBH table 112), not the main round's "admitted"
]

#: DBH's semester codes (table 291) and the product's words for them.
SEMESTER_CODES = {"1": "spring", "2": "summer", "3": "autumn"}
#: A measure's semester: one of the words above, several joined by "+" (a query that filtered
#: on some semesters and summed them), ``all`` (the source summed every semester) or
#: ``unstated`` (the file has no Semester column and its query is not known). Missing: the
#: source has no semester dimension (Samordna opptak, the seed).
SEMESTER_PATTERN = r"^(all|unstated|(spring|summer|autumn)(\+(spring|summer|autumn))*)$"

#: DBH's student categories (table 133; also written in lower case by some institutions).
STUDENT_CATEGORIES = {"S": "Studenter", "P": "Personer uten studierett", "A": "Andre"}
#: A measure's student category: a code above, several joined by "+", ``all`` or ``unstated``
#: (as for the semester). Missing: the source has no student categories.
STUDENT_CATEGORY_PATTERN = r"^(all|unstated|[SPA](\+[SPA])*)$"

#: Why a source gives no women and men for a unit that has students (see
#: ``analysis.readers.dbh``): DBH's masking of small cells in open data, or a unit that
#: reported no gender split at all.
SUPPRESSIONS = ["small_cell", "no_gender_split"]

#: What is suppressed inside a unit judged on an interval (``analysis.metrics.gender``): a
#: sum's departments, a department's (or programme's) row of the categories added its student
#: categories (of the semesters added its semesters, of no filter its filter's values:
#: ``semester``, ``filter_value``), a department's row beside its programmes those programmes, and a department's row
#: beside masked programmes it cannot be compared with (placed in no department, or the row's
#: institution not known) those programmes, and a department's row of one student category beside
#: a masked one, where its programmes give all its categories added, the masked categories beside
#: (and where programmes placed in no department may give them, ``category_beside_unplaced``).
SUPPRESSED_INSIDE = [
    "department",
    "student_category",
    "semester",
    "filter_value",
    "programme",
    "unplaced_programme",
    "category_beside",
    "category_beside_unplaced",
]


class Provenance(pa.DataFrameModel):
    """Every row of a tidy frame says where it came from."""

    source_file: Series[str]
    source_row: Series[pd.Int64Dtype] = pa.Field(ge=1)

    class Config:
        strict = False
        coerce = True
