"""What the cells of every DBH table must be, whichever table and format (the count tables of
:mod:`analysis.readers.dbh`, the programme and name tables of
:mod:`analysis.readers.dbh_programmes`): codes of the right form, semesters and student
categories by DBH's codes, years within DBH's range, and the institution a one-institution
file's name carries. Each check goes down a whole column and names every bad cell
(``FILE:ROW:COLUMN: VALUE``)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import Problem
from analysis.parsing import year_parser
from schemas.common import DBH_FIRST_YEAR, LAST_YEAR, SEMESTER_CODES, STUDENT_CATEGORIES

parse_dbh_year = year_parser(DBH_FIRST_YEAR, LAST_YEAR)

_INSTITUTION_IN_NAME = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def institution_from_name(path: Path) -> str | None:
    """DBH rows of a one-institution query carry no institution code; the file name usually
    does (``dbh_api_t123_1150.json``)."""
    # NOTE: names often carry years too (``…_1150_host_2019_2025``): a year is not a code.
    found = [code for code in _INSTITUTION_IN_NAME.findall(path.stem) if not DBH_FIRST_YEAR <= int(code) <= LAST_YEAR]
    return found[0] if found else None


#: DBH's code columns and their form: (pattern, what is wrong, what to do). Every DBH table
#: checks the ones it has (:func:`dbh_code_problems`).
DBH_CODES = {
    "institution_code": (r"\d{4}", "Institusjonskode must be four digits", "keep codes as text so leading zeros stay"),
    "department_code": (
        r"\d{6}",
        "Avdelingskode must be six digits",
        "keep codes as text so leading zeros stay (000000)",
    ),
    "nus_code": (r"\d{6}", "NUS-kode must be six digits", "keep codes as text so leading zeros stay"),
}


def dbh_code_problems(path: Path, parsed: pd.DataFrame, row_of: pd.Series, labels: dict[str, str]) -> list[Problem]:
    """The problems of every DBH code column present in ``parsed`` (:data:`DBH_CODES`)."""
    return [
        problem
        for column, (pattern, message, hint) in DBH_CODES.items()
        for problem in code_problems(path, parsed, row_of, labels, column, pattern, message, hint)
    ]


def code_problems(
    path: Path,
    parsed: pd.DataFrame,
    row_of: pd.Series,
    labels: dict[str, str],
    column: str,
    pattern: str,
    message: str,
    hint: str,
) -> list[Problem]:
    """A problem for every cell of ``column`` not matching ``pattern`` (checked column-wise)."""
    if column not in parsed:
        return []
    values = parsed[column]
    bad = values.notna().to_numpy() & ~pd.Series(values, dtype="str").str.fullmatch(pattern).fillna(False).to_numpy()
    return [
        Problem(str(path), int(row_of.iloc[i]), labels[column], values.iloc[i], message, hint)
        for i in np.flatnonzero(bad)
    ]


def semester_words(
    path: Path, parsed: pd.DataFrame, row_of: pd.Series, labels: dict[str, str], problems: list[Problem]
) -> pd.Series:
    """DBH's semester codes as words (1 spring, 2 summer, 3 autumn); a problem for any other code."""
    codes = parsed["semester"]
    words = codes.map(SEMESTER_CODES)
    for i in np.flatnonzero(codes.notna().to_numpy() & words.isna().to_numpy()):
        problems.append(
            Problem(
                str(path),
                int(row_of.iloc[i]),
                labels["semester"],
                codes.iloc[i],
                "Semester must be 1 (vår), 2 (sommer) or 3 (høst)",
                "check the export",
            )
        )
    return words


def category_codes(
    path: Path, parsed: pd.DataFrame, row_of: pd.Series, labels: dict[str, str], problems: list[Problem]
) -> pd.Series:
    """Student categories in upper case (some institutions report ``s``/``p``)."""
    codes = pd.Series(parsed["student_category"], dtype="str").str.upper()
    bad = codes.notna().to_numpy() & ~codes.isin(list(STUDENT_CATEGORIES)).to_numpy()
    for i in np.flatnonzero(bad):
        problems.append(
            Problem(
                str(path),
                int(row_of.iloc[i]),
                labels["student_category"],
                parsed["student_category"].iloc[i],
                "Studentkategori must be S, P or A (Studenter, Personer uten studierett, Andre)",
                "check the export",
            )
        )
    return codes
