"""DBH's organisation codes (``Avdelingskode``): what a department's code says of its place.

Written once here; the readers, the unit names, the gender metric and the report place units by
these rules:

* A department's **faculty** is the first three digits of its six-digit code: 271760 is a
  department of faculty 271 (DBH numbers an institution's units so).
* ``XXX000`` is the **faculty's own unit**: students registered at the faculty, not in one of its
  departments. DBH names it as the faculty, so beside the faculty's own row it reads as the
  faculty a second time with other numbers; the report says which it is.
* ``000000`` is DBH's **unspecified sub-unit**: not a total and not a faculty (``000`` is no
  faculty's code). It is a unit of its own, counts towards the institution, and is not counted
  among the faculties.

The module holds no data and imports nothing heavy: it works on strings and on pandas' string
Series alike (``.str``), so the readers below the metrics can use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

#: The digits of a department code that name its faculty.
FACULTY_DIGITS = 3
#: DBH's "unspecified sub-unit" (``NTNU (uspesifisert underenhet)``).
UNSPECIFIED_DEPARTMENT = "000000"
#: Its "faculty": a code no faculty has; not counted as a faculty.
UNSPECIFIED_FACULTY = UNSPECIFIED_DEPARTMENT[:FACULTY_DIGITS]
_OWN_UNIT_SUFFIX = "0" * (len(UNSPECIFIED_DEPARTMENT) - FACULTY_DIGITS)


def faculty_of(departments: pd.Series) -> pd.Series:
    """The faculty code of each department code (missing stays missing)."""
    return departments.str[:FACULTY_DIGITS]


def faculty_own_unit(faculties: pd.Series) -> pd.Series:
    """The department code of each faculty's own unit (271 -> 271000)."""
    return faculties + _OWN_UNIT_SUFFIX


def is_faculty_own_unit(code: object) -> bool:
    """Whether a department code is a faculty's own unit (271000; not 000000)."""
    text = str(code)
    return (
        len(text) == len(UNSPECIFIED_DEPARTMENT)
        and text.isdigit()
        and text.endswith(_OWN_UNIT_SUFFIX)
        and text != UNSPECIFIED_DEPARTMENT
    )


def not_all_departments(codes: Iterable[object]) -> bool:
    """Whether units of DBH's department level include some that are no department: a
    faculty's own unit or the unspecified sub-unit. Such a level is "enheter på instituttnivå",
    not "institutter" (a count and a chart title say the same)."""
    return any(is_faculty_own_unit(code) or str(code) == UNSPECIFIED_DEPARTMENT for code in codes)
