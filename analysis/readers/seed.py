"""Tables in the layout advisers copy from slides and reports (the LMU seed's two tables).

* Admission table: ``Studieprogram;2007;2016;…`` with the share of women admitted in the main
  admission round as ``13 %`` or ``33%``.
* Integration extract: ``Nivå;Institusjon;God faglig integrering …;God sosial integrering …``
  with means on 1–5 written with a decimal comma.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from analysis.errors import InputError, Problem
from analysis.parsing import (
    ALL_FRACTIONS,
    ALL_FRACTIONS_HINT,
    CONTROL_HINT,
    ParseError,
    control_inside,
    looks_like_fraction,
    only_fractions,
    parse_count,
    parse_decimal,
    parse_percent,
    parse_year,
    strip_cell,
    text_cell,
)
from analysis.readers.base import (
    Col,
    ReadResult,
    check_duplicates,
    figure_columns,
    parse_columns,
    read_text_table,
    refuse_converted,
    unread_column_warnings,
    validate,
    without_stray_rows,
)
from analysis.words import counted
from schemas.gender import GenderObservations
from schemas.studiebarometeret import IntegrationExtract

_YEAR = re.compile(r"^\s*(19|20)\d\d\s*$")


def read_admission_table(path: Path) -> ReadResult:
    table = read_text_table(path)
    # a "Snitt" row would be flagged as a programme, a "Kilde: …" row read as one without figures
    # (no count columns: with the programme its only key, a row of shares without a name may as
    # well be a programme whose name was lost, and is said to be one, not a sum to delete)
    table = without_stray_rows(path, table, names=table.header[:1])
    df = table.frame()
    name_col = df.columns[0]
    year_cols = [c for c in df.columns[1:] if _YEAR.match(str(c))]
    other = [c for c in df.columns[1:] if c not in year_cols]
    if other or not year_cols:
        raise InputError(
            [
                Problem(
                    str(path),
                    table.header_line,
                    other[0] if other else None,
                    other[0] if other else None,
                    "after the programme column every column must be a year",
                    "write the header like: Studieprogram;2007;2016;2017",
                )
            ]
        )
    # the programme and the shares are read without parse_columns: a workbook's '#N/A' or a share
    # 21.8 Excel made 21 August is refused as in any column a reader reads
    refuse_converted(df, [name_col, *year_cols])
    problems: list[Problem] = []
    shares: list[Problem] = []  # warnings on the shares: fraction-looking ones, cells without one
    fractions: list[Problem] = []  # the fraction-looking ones among them
    nonzero = 0  # shares read other than 0
    ones = 0  # shares of 1 without a % sign (100 % written as a fraction?)
    empty: list[tuple[int, str, str]] = []  # (row, column, text) of the cells without a figure
    records = []
    for pos, idx in enumerate(df.index):
        line = table.lines[pos]
        # spaces and invisible characters at its ends, a line break inside it one space
        programme = text_cell(str(df.at[idx, name_col]))
        if programme == "":
            problems.append(
                Problem(str(path), line, name_col, "", "programme name is missing", "fill in the programme name")
            )
            continue
        if (control := control_inside(programme)) is not None:
            problems.append(Problem(str(path), line, name_col, str(df.at[idx, name_col]), control, CONTROL_HINT))
            continue
        for col in year_cols:
            cell = strip_cell(str(df.at[idx, col]))
            if cell in ("", "-", "–"):
                empty.append((line, col, cell))  # no figure that year: missing, not 0 %
                continue
            try:
                pct = parse_percent(cell)
            except ParseError as err:
                problems.append(Problem(str(path), line, col, cell, err.message, err.hint))
                continue
            nonzero += pct != 0
            ones += pct == 1 and "%" not in cell
            if looks_like_fraction(cell, pct):
                fractions.append(
                    Problem(
                        str(path),
                        line,
                        col,
                        cell,
                        f"looks like a fraction ({float(pct * 100):g} %?) in a column of percentages; read as {cell} %",
                        f"write the share as a percentage ({float(pct * 100):g} %), or leave it if {cell} % is meant",
                    )
                )
            records.append((line, programme, int(col), float(pct), col))
    if not problems and only_fractions(len(fractions), nonzero, ones):
        first = fractions[0]
        problems.append(replace(first, message=ALL_FRACTIONS.format(count=len(fractions)), hint=ALL_FRACTIONS_HINT))
    if problems:
        raise InputError(problems)
    shares += fractions
    if empty:
        shares.append(_without_a_figure(path, empty))
    long = pd.DataFrame(records, columns=["source_row", "programme", "year", "pct", "column"])
    row_of = long["source_row"]
    long, warnings = check_duplicates(
        path, long, ["programme", "year"], ["pct"], row_of, {"programme": name_col}, value_column=long["column"]
    )
    n = len(long)
    frame = pd.DataFrame(
        {
            "source_kind": "seed-admission",
            "source_file": path.name,
            "source_row": long["source_row"].astype("Int64"),
            # NOTE: the layout names no institution; an adviser's own table is about their own.
            "institution_code": pd.Series([pd.NA] * n, index=long.index, dtype="str"),
            "institution_name": pd.Series([pd.NA] * n, index=long.index, dtype="str"),
            "level": "programme",
            "unit_code": long["programme"].astype("str"),
            "unit_name": long["programme"].astype("str"),
            "faculty_code": pd.Series([pd.NA] * n, index=long.index, dtype="str"),
            "year": long["year"].astype("Int64"),
            "measure": "admitted",
            "total": pd.Series([pd.NA] * n, index=long.index, dtype="Int64"),
            "women": pd.Series([pd.NA] * n, index=long.index, dtype="Int64"),
            "men": pd.Series([pd.NA] * n, index=long.index, dtype="Int64"),
            "share_women_given_pct": long["pct"].astype("Float64"),
            "suppressed": False,
        }
    ).reset_index(drop=True)
    frame = validate(
        GenderObservations, frame, path, frame["source_row"].tolist(), {"unit_code": name_col, "unit_name": name_col}
    )
    return ReadResult(
        path,
        "seed-admission",
        "gender",
        frame,
        shares + warnings,
        {"programmes": int(frame["unit_code"].nunique()), "years": year_cols},
    )


def _without_a_figure(path: Path, empty: list[tuple[int, str, str]]) -> Problem:
    """One warning for the cells without a figure (row, column, text): how many, and the first."""
    line, col, cell = empty[0]
    return Problem(
        str(path),
        line,
        col,
        cell,
        f"{counted(len(empty), 'cell', 'en')} without a figure (first shown here): no share for that programme and "
        "year, not 0 %",
        "nothing to do if the programme had no admission that year; else fill in the share",
    )


_LEVELS = {
    "masterstudenter": "master",
    "master": "master",
    "masterstudent": "master",
    "bachelorstudenter": "bachelor",
    "bachelor": "bachelor",
    "bachelorstudent": "bachelor",
}


def _level(text: str) -> str:
    level = _LEVELS.get(text.strip().lower())
    if level is None:
        raise ParseError("unknown level", "write Bachelorstudenter or Masterstudenter")
    return level


def _score(text: str) -> float:
    value = parse_decimal(text)
    if not 1 <= value <= 5:
        raise ParseError("a mean score must be between 1 and 5", "check the value in the source")
    return float(value)


INTEGRATION_COLUMNS = [
    Col("level", "Nivå", _level),
    Col("institution", "Institusjon"),
    Col(
        "academic",
        "God faglig integrering norske og intern.",
        _score,
        nullable=True,
        aliases=("faglig integrering", "academic"),
    ),
    Col(
        "social",
        "God sosial integrering norske og intern.",
        _score,
        nullable=True,
        aliases=("sosial integrering", "social"),
    ),
    Col("year", "År", parse_year, required=False, aliases=("aar", "year")),
    Col("n", "Antall svar", parse_count, required=False, nullable=True, aliases=("n",)),
]


def read_integration_extract(path: Path) -> ReadResult:
    table = read_text_table(path)
    figures = figure_columns(INTEGRATION_COLUMNS, table.header, (_score, parse_count))
    table = without_stray_rows(path, table, names=("Institusjon",), counts=figures)
    text = table.frame()
    parsed, labels = parse_columns(path, text, table.lines, INTEGRATION_COLUMNS, table.header_line)
    unread = unread_column_warnings(path, text, labels)
    row_of = pd.Series(table.lines, index=parsed.index)
    if "year" not in parsed:
        # The extract's own header names no year; the survey year is in the file name.
        found = re.findall(r"(?<!\d)(20\d\d)(?!\d)", path.stem)
        if not found:
            raise InputError(
                [
                    Problem(
                        str(path),
                        table.header_line,
                        "År",
                        None,
                        "the survey year is not given",
                        "add a column År, or put the year in the file name",
                    )
                ]
            )
        parsed["year"] = int(found[0])
    if "n" not in parsed:
        parsed["n"] = None
    parsed, warnings = check_duplicates(
        path, parsed, ["level", "institution", "year"], ["academic", "social"], row_of, labels
    )
    frame = pd.DataFrame(
        {
            "source_file": path.name,
            "source_row": row_of.loc[parsed.index].astype("Int64"),
            "level": parsed["level"].astype("str"),
            "institution": parsed["institution"].astype("str"),
            "year": parsed["year"].astype("Int64"),
            "academic": parsed["academic"].astype("Float64"),
            "social": parsed["social"].astype("Float64"),
            "n": pd.array(parsed["n"].tolist(), dtype="Int64"),
        }
    ).reset_index(drop=True)
    frame = validate(IntegrationExtract, frame, path, frame["source_row"].tolist(), labels)
    return ReadResult(
        path,
        "seed-integration",
        "integration_extract",
        frame,
        unread + warnings,
        {"year": int(frame["year"].iloc[0]) if len(frame) else None},
    )
