"""DBH's programme-level tables: 379 *Søkertall og møtte* and the name tables 347
*Studieprogram*, 457 *Organisasjonsenheter* and 211 *Institusjon*.

The response format (JSON with a status object, or CSV) is read by :mod:`analysis.readers.dbh`,
which hands the rows here as text.

**Table 379** counts applications, offers, acceptances and students who met at the start of
studies per programme, *long* by ``Kjønn`` (one row per gender), and further split by whatever
the query grouped on: ``Kvalifisert``, ``Prioritet``, ``Opptakstype``, ``Semester``. It becomes
one gender observation per programme × year × semester × measure:

==========================  ================================================================
measure                     what is added up
==========================  ================================================================
``applications``            ``Søknadsalternativer`` (every choice of every applicant)
``qualified``               ``Søknadsalternativer`` where ``Kvalifisert`` = 1
``first_choice_applicants`` ``Søknadsalternativer`` where ``Prioritet`` = 1 (one per person)
``offers``                  ``Tilbud om opptak``
``accepted``                ``Akseptert tilbud``
``met``                     ``Møtt til studiestart``
==========================  ================================================================

``qualified`` and ``first_choice_applicants`` exist only when the query grouped by
``Kvalifisert`` or ``Prioritet``. Admission types (``Opptakstype``) are added together; the
notes of the read name the types. Without ``Kjønn`` the counts have no gender split and every
share is unknown.

Small cells: DBH shows a count of 1 or 2 as 0 in open data (the counts of 379 are marked
*GDPR* in HK-dir's variable list). A measure where one gender adds up to 0 and the other does
not is therefore ``suppressed`` (``small_cell``): that gender has between 0 and 2 per row, not
certainly 0, and is missing; the other's count is given (DBH's own). Where both genders add up
to more than 0, the sums are read as given. The table has no total of its own: a measure's is
its women and men added, and its ``total_high`` (the most students it may hold) is 2 more for
each cell written 0 of a gender adding up to 0 (one at least, its row not there), and of the
other gender's cells written 0 in such a measure: a measure of women and men each written 0 once
holds 0 to 4 students, 0 women beside 7 men 7 to 9, women 0 and 0 beside men 3 and 0 (two rows
of ``Prioritet``) 3 to 9. A file that
adds several rows of a finer grouping into one measure (``Prioritet`` or ``Kvalifisert`` not
filtered to one value, ``Opptakstype``), one of them with a gender written 0 beside the other's
count (DBH's mask of 1 or 2) or with applications written 0 (a row is there for its applicants),
is refused, naming the row: added as 0, the measure's sum was
read as exact where its women or men are up to 2 more for each such row (39 women of 100
flagged, where they may be 41 of 102). Query 379 no finer than the measures need
(``Årstall × Studieprogramkode × Kjønn``, with ``Prioritet`` or ``Kvalifisert`` filtered to 1, as
``kvalitet fetch`` asks): the observations have no interval of a unit's own total to hold such a
sum, and what DBH masked stays masked at the coarser grouping, where it shows as the measure's
own cell (suppressed above) or inside a count DBH adds up itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import InputError, Problem
from analysis.org_units import faculty_of
from analysis.parsing import parse_count, vectorised
from analysis.readers.base import Col, check_duplicates, measure_filter, parse_columns, unread_column_warnings, validate
from analysis.readers.dbh_cells import (
    SEMESTER_NAME,
    SMALLEST_SHOWN,
    UNREAD_GROUPING_HINT,
    code_problems,
    codes_from_names,
    dbh_code_problems,
    institution_code,
    parse_dbh_year,
    parse_validity,
    passed_over_in,
    semester_words,
)
from analysis.readers.dbh_query import institution_from_query, semester_from_query
from schemas.gender import DepartmentNames, GenderObservations, InstitutionNames, ProgrammeCatalogue

# NOTE: HK-dir documents Kjønn in 379 only as char(1), with no values (table 002). "1" is women,
# not SSB's 1 = man: shares of women among first-choice applicants computed from 379 with "1" as
# women (NMBU-sammenligning, scripts/fill-local-admissions.py @ 4093b7c) agree with DBH's own share
# of women for the same programmes (the Studiebarometeret portal's DBH panel) within 2–5 points,
# and read the other way all four would be 58–68 % women where DBH shows 59–71 % men: NHH MØA
# 36–38.5 % (DBH 36 %), NTNU MØA 38–42 % (38 %), BI BØA 32–35 % (29 %), BI DSB 33.5–38 % (41 %).
# The sibling tables' Kjønnkode (571, 704–707) is a bit with 1 = women (707 against 110's
# "Antall kvinner"). Men's code in 379 is not confirmed: "2" is read, and anything else ("0" as in
# the bit tables) is refused, not guessed; add it only once a real download's two values add up
# to 379 fetched without Kjønn.
GENDER_CODES = {
    "1": "women",
    "2": "men",
    "K": "women",
    "M": "men",
    "KVINNE": "women",
    "MANN": "men",
    "KVINNER": "women",
    "MENN": "men",
}
QUALIFIED_CODES = {"1": True, "0": False, "J": True, "N": False}


@vectorised(r"[0-9]{1,9}")
def parse_priority(text: str) -> int:
    """379's Prioritet, the applicant's choice (1 is the first): a key written as a whole
    number, read as a count is, but none of the table's counts. A row that fills it is a row of
    the table, not a sum (:func:`analysis.readers.base.sum_row` is given only the counts)."""
    return parse_count(text)


T379_COLUMNS = [
    Col("institution_code", "Institusjonskode", required=False),
    Col("institution_name", "Institusjonsnavn", required=False, nullable=True),
    Col("department_code", "Avdelingskode", required=False),
    Col("department_name", "Avdelingsnavn", required=False, nullable=True),
    Col("year", "Årstall", parse_dbh_year),
    Col("semester", "Semester", required=False),
    SEMESTER_NAME,
    Col("programme_code", "Studieprogramkode", required=False),
    Col("programme_name", "Studieprogramnavn", required=False, nullable=True),
    Col("nus_code", "NUS-kode", required=False, nullable=True),
    Col("gender", "Kjønn", required=False),
    Col("qualified", "Kvalifisert", required=False),
    Col("priority", "Prioritet", required=False, parse=parse_priority),
    Col("admission_type", "Opptakstype", required=False, nullable=True),
    Col("applications", "Søknadsalternativer", parse_count),
    Col("offers", "Tilbud om opptak", parse_count),
    Col("accepted", "Akseptert tilbud", parse_count),
    Col("met", "Møtt til studiestart", parse_count),
]

T347_COLUMNS = [
    Col("institution_code", "Institusjonskode"),
    Col("institution_name", "Institusjonsnavn", required=False, nullable=True),
    Col("department_code", "Avdelingskode", required=False, nullable=True),
    Col("department_name", "Avdelingsnavn", required=False, nullable=True),
    Col("year", "Årstall", parse_dbh_year),
    Col("semester", "Semester", required=False),
    SEMESTER_NAME,
    Col("programme_code", "Studieprogramkode"),
    Col("programme_name", "Studieprogramnavn", required=False, nullable=True),
    Col("study_level", "Nivåkode", required=False, nullable=True),
    Col("study_level_name", "Nivånavn", required=False, nullable=True),
    Col("nus_code", "NUS-kode", required=False, nullable=True),
]

T457_COLUMNS = [
    Col("year", "Årstall", parse_dbh_year),
    Col("semester", "Semester", required=False),
    SEMESTER_NAME,
    Col("institution_code", "Institusjonskode"),
    Col("department_code", "Avdelingskode"),
    Col("department_name", "Avdelingsnavn"),
]

T211_COLUMNS = [
    Col("institution_code", "Institusjonskode"),
    Col("institution_name", "Institusjonsnavn"),
    Col("institution_short_name", "Kortnavn", required=False, nullable=True),
    Col("valid_from", "Gyldig fra", parse_validity, required=False, nullable=True),
    Col("valid_to", "Gyldig til", parse_validity, required=False, nullable=True),
    # the institution this one merged into (a break in that one's series: analysis.series_breaks)
    Col("merged_into", "Institusjonskode (sammenslått)", required=False, nullable=True),
]

COLUMNS = {379: T379_COLUMNS, 347: T347_COLUMNS, 457: T457_COLUMNS, 211: T211_COLUMNS}

#: Table-379 count columns, and the measure each one is when added up over all rows.
COUNTS_379 = {"applications": "applications", "offers": "offers", "accepted": "accepted", "met": "met"}


def read_table(
    path: Path, tid: int, text: pd.DataFrame, rows: list[int], header_line: int, kind: str, query: dict | None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read table ``tid`` (379, 347, 457 or 211) from its rows as text."""
    reader = {379: _table379, 347: _table347, 457: _table457, 211: _table211}[tid]
    return reader(path, text, rows, header_line, kind, query)


def _missing(index: pd.Index) -> pd.Series:
    return pd.Series([None] * len(index), index=index, dtype=object)


def _coded(
    path: Path,
    parsed: pd.DataFrame,
    row_of: pd.Series,
    labels: dict[str, str],
    column: str,
    codes: dict,
    message: str,
    problems: list[Problem],
    hint: str = "check the export",
) -> pd.Series:
    """``column`` through ``codes`` (case-insensitive); a problem for every other value."""
    values = pd.Series(parsed[column], dtype="str").str.strip().str.upper()
    mapped = values.map(codes)
    for i in np.flatnonzero(values.notna().to_numpy() & mapped.isna().to_numpy()):
        problems.append(Problem(str(path), int(row_of.iloc[i]), labels[column], parsed[column].iloc[i], message, hint))
    return mapped


# --- 379 Søkertall og møtte ------------------------------------------------------------------


def _table379(
    path: Path, text: pd.DataFrame, rows: list[int], header_line: int, kind: str, query: dict | None
) -> tuple[pd.DataFrame, list[Problem]]:
    parsed, labels = parse_columns(path, text, rows, T379_COLUMNS, header_line)
    row_of = pd.Series(rows, index=parsed.index)
    problems: list[Problem] = []
    if "programme_code" not in parsed and "department_code" not in parsed:
        raise InputError(
            [
                Problem(
                    str(path),
                    header_line,
                    "Studieprogramkode",
                    None,
                    "required column is missing",
                    "query table 379 grouped by Studieprogramkode (or Avdelingskode)",
                )
            ]
        )
    problems += dbh_code_problems(path, parsed, row_of, labels)
    codes_from_names(path, parsed, row_of, labels, problems)
    if "semester" in parsed:
        parsed["semester"] = semester_words(path, parsed, row_of, labels, problems)
    if "gender" in parsed:
        parsed["gender"] = _coded(
            path,
            parsed,
            row_of,
            labels,
            "gender",
            GENDER_CODES,
            "Kjønn must be 1 or K (women), 2 or M (men)",
            problems,
            # the one code not confirmed (the NOTE at GENDER_CODES): not guessed
            "no source says what another code means, so it is not guessed: fetch table 379 "
            "without Kjønn too and check that the file's two codes add up to it, then report the code",
        )
    if "qualified" in parsed:
        parsed["qualified"] = _coded(
            path,
            parsed,
            row_of,
            labels,
            "qualified",
            QUALIFIED_CODES,
            "Kvalifisert must be 1 (qualified) or 0",
            problems,
        )
    if problems:
        raise InputError(problems)

    missing = _missing(parsed.index)
    named: list[Problem] = []  # the names in the file DBH has no single code for
    if "institution_code" not in parsed:
        parsed["institution_code"], named = institution_code(
            path, parsed, row_of, labels, institution_from_query(query)
        )
    if "semester" not in parsed:
        parsed["semester"] = semester_from_query(query)
    for col in (
        "institution_name",
        "department_code",
        "department_name",
        "programme_code",
        "programme_name",
        "nus_code",
        "gender",
        "qualified",
        "priority",
        "admission_type",
    ):
        if col not in parsed:
            parsed[col] = missing
    key = [
        "institution_code",
        "department_code",
        "programme_code",
        "year",
        "semester",
        "gender",
        "qualified",
        "priority",
        "admission_type",
    ]
    parsed, warnings = check_duplicates(path, parsed, key, list(COUNTS_379), row_of, labels)
    # a column of one value is a filter of the download: the counts are that subset's
    by_programme = parsed["programme_code"].notna().any()
    unit = ["institution_code", "programme_code"] if by_programme else ["institution_code", "department_code"]
    filter_text, filters = measure_filter(text, labels, parsed[unit], passed_over_in(379))
    unread = unread_column_warnings(path, text, labels, passed_over_in(379), UNREAD_GROUPING_HINT, filters)
    warnings = unread + named + warnings
    row_of = row_of.loc[parsed.index]
    group = [*unit, "year", "semester"]
    split = parsed["gender"].notna().any()
    long = parsed.assign(source_row=row_of.to_numpy())
    for column in COUNTS_379:
        long[column] = long[column].astype("int64")
    # the rows that make up each measure: all rows, or those qualified / of priority 1
    measures = {name: (column, None) for column, name in COUNTS_379.items()}
    if parsed["qualified"].notna().any():
        measures["qualified"] = ("applications", long["qualified"].eq(True).to_numpy(dtype=bool))
    if parsed["priority"].notna().any():
        measures["first_choice_applicants"] = ("applications", long["priority"].eq(1).to_numpy(dtype=bool))

    keys = long[group].astype("string").fillna("\x00")
    if split:
        masked = _masked_inside_a_sum(path, long, keys, measures, row_of, labels)
        if masked:
            raise InputError(masked)
    # a unit's first row, for what it carries beside its keys (a file by Avdelingskode has the
    # department code among its keys, not beside them)
    beside = ["institution_name", "department_code", "department_name", "programme_code", "programme_name", "nus_code"]
    first = long.groupby([keys[c] for c in group], sort=True, dropna=False).agg(
        source_row=("source_row", "min"), **{c: (c, "first") for c in beside if c not in group}
    )
    parts = []
    for measure, (column, rows_in) in measures.items():
        counts = long[column].where(rows_in, 0) if rows_in is not None else long[column]
        # the cells of the measure written 0 (DBH shows 1 or 2 as 0): each may hold 2 more
        written_0 = ((counts == 0) if rows_in is None else (counts == 0) & rows_in).astype("int64")
        if split:
            by = [*(keys[c] for c in group), long["gender"]]
            by_gender = counts.groupby(by, sort=True, dropna=False).sum()
            table = by_gender.unstack("gender", fill_value=0).reindex(columns=["women", "men"], fill_value=0)
            women, men = table["women"].astype("int64"), table["men"].astype("int64")
            total = women + men
            by_cell = written_0.groupby(by, sort=True, dropna=False).sum()
            zeros = by_cell.unstack("gender", fill_value=0).reindex(columns=["women", "men"], fill_value=0)
            # a gender adding up to 0 is masked in every cell of it written 0, and in one at
            # least (its row not there, it is still not known to be 0); in a measure so masked,
            # the other gender's cells written 0 too (men 3 and 0 beside women 0 and 0: 3 to 5)
            masked_measure = (women == 0) | (men == 0)
            shown_0 = zeros.where(masked_measure, 0)
            cells = zeros["women"].clip(lower=1).where(women == 0, shown_0["women"]) + zeros["men"].clip(lower=1).where(
                men == 0, shown_0["men"]
            )
        else:
            by = [keys[c] for c in group]
            total = counts.groupby(by, sort=True, dropna=False).sum().astype("int64")
            women = men = pd.Series(np.nan, index=total.index)
            cells = written_0.groupby(by, sort=True, dropna=False).sum().clip(lower=1).where(total == 0, 0)
        out = pd.DataFrame({"total": total, "women": women, "men": men, "more": cells * (SMALLEST_SHOWN - 1)})
        out["measure"] = measure
        parts.append(out)
    obs = pd.concat(parts).join(first).reset_index()
    for c in group:
        obs[c] = obs[c].where(obs[c] != "\x00")
    total = obs["total"].astype("Int64")
    women = obs["women"].astype("Int64")
    men = obs["men"].astype("Int64")
    # NOTE: one gender adding up to 0 while the other does not: DBH shows 1–2 as 0, so it is
    # unknown, not zero, and the other gender's count is shown (module docstring).
    suppressed = (((women == 0) ^ (men == 0)) & (total > 0)).fillna(False).astype(bool)
    # the most students the measure may hold: its cells written 0 where a gender adds up to 0
    # (both genders: 0 to 4 students where each is one cell), beyond the total added
    more = obs["more"].astype("Int64")
    department = obs["department_code"]
    programme = obs["programme_code"]
    frame = (
        pd.DataFrame(
            {
                "source_kind": kind,
                "source_file": path.name,
                "source_row": obs["source_row"].astype("Int64"),
                "institution_code": obs["institution_code"],
                "institution_name": obs["institution_name"],
                "level": "programme" if by_programme else "department",
                "unit_code": programme if by_programme else department,
                "unit_name": obs["programme_name"] if by_programme else obs["department_name"],
                "faculty_code": faculty_of(department),
                "department_code": department,
                "department_name": obs["department_name"],
                "nus_code": obs["nus_code"],
                "year": obs["year"].astype("int64").astype("Int64"),
                "measure": obs["measure"],
                "semester": obs["semester"],
                "student_category": None,
                "measure_filter": filter_text,
                "total": total,
                "total_high": (total + more).where(more > 0),
                "women": women.mask(suppressed & (women == 0)),
                "men": men.mask(suppressed & (men == 0)),
                "share_women_given_pct": pd.Series(pd.NA, index=obs.index, dtype="Float64"),
                "suppressed": suppressed,
                "suppression": pd.Series("small_cell", index=obs.index, dtype="str").where(suppressed),
            }
        )
        .sort_values(["source_row", "measure"], kind="stable")
        .reset_index(drop=True)
    )
    unit_label = labels.get("programme_code" if by_programme else "department_code")
    frame = validate(GenderObservations, frame, path, frame["source_row"].tolist(), {**labels, "unit_code": unit_label})
    types = sorted(parsed["admission_type"].dropna().unique())
    if len(types) > 1:
        # admission types added together are said, not merged silently
        warnings = [
            *warnings,
            Problem(
                str(path),
                None,
                labels.get("admission_type"),
                ", ".join(types),
                "the admission types are added together in every measure",
                "query one Opptakstype to see one admission type on its own",
            ),
        ]
    return frame, warnings


#: The columns of table 379 finer than a measure: its rows of one unit, year and semester of
#: other values of these are added together into one measure.
FINER_379 = ["priority", "qualified", "admission_type"]


def _masked_inside_a_sum(
    path: Path,
    long: pd.DataFrame,
    keys: pd.DataFrame,
    measures: Mapping[str, tuple[str, np.ndarray | None]],
    row_of: pd.Series,
    labels: dict[str, str],
) -> list[Problem]:
    """The rows of a measure's count written 0 beside the other gender's count above 0 in the
    same row of the finer grouping (DBH shows 1 or 2 as 0), or of applications written 0 (a row
    is there for at least one application: both genders written 0, or the other's row not there), where the measure adds that row to
    others of the finer grouping and is read as exact, each gender adding up to more than 0 (one
    adding up to 0 is masked: ``suppressed``; module docstring): one problem per file row and count, in
    file order."""
    cell = pd.concat([keys, long[FINER_379].astype("string").fillna("\x00")], axis=1)
    by_cell = [cell[c] for c in cell.columns]
    found: dict[tuple[int, str], Problem] = {}
    for column, rows_in in measures.values():
        counts = long[column]
        used = pd.Series(True if rows_in is None else rows_in, index=long.index)
        # the other gender's count in the same finer row (a row of each gender)
        other = counts.groupby(by_cell, dropna=False).transform("sum") - counts
        cells = cell["priority"] + "\x01" + cell["qualified"] + "\x01" + cell["admission_type"]
        by_measure = [keys[c] for c in keys.columns]
        added = cells.where(used).groupby(by_measure, dropna=False).transform("nunique")
        # read as exact: each gender adds up to more than 0 (one adding up to 0 is masked already)
        mine = counts.where(used, 0)
        gender_sum = mine.groupby([*by_measure, long["gender"]], dropna=False).transform("sum")
        exact = (gender_sum > 0) & (mine.groupby(by_measure, dropna=False).transform("sum") > gender_sum)
        # masked: beside the other gender's count above 0, or an application count at all (a row
        # of 379 is there for its applicants: applications written 0 are 1 or 2, of a gender
        # whose other row is written 0 too or is not there)
        masked = (other > 0) | (column == "applications")
        hit = used & (counts == 0) & masked & (added > 1) & exact
        for index in long.index[hit]:
            row = int(row_of.loc[index])
            found.setdefault(
                (row, column),
                Problem(
                    str(path),
                    row,
                    labels.get(column, column),
                    0,
                    "a count written 0 (DBH shows 1 or 2 as 0) beside the other gender's, or applications of "
                    "a row written 0, is added with the file's other rows of Prioritet, Kvalifisert or "
                    "Opptakstype into one measure, which would be read as exact",
                    "query table 379 no finer than the measures need: Prioritet or Kvalifisert filtered to 1 "
                    "(as kvalitet fetch asks), without Opptakstype",
                ),
            )
    return [found[k] for k in sorted(found)]


# --- 347 Studieprogram -----------------------------------------------------------------------


def field_of(nus_code: pd.Series) -> pd.Series:
    """The field a programme is benchmarked in: the 2nd and 3rd digit of its NUS code (NUS2000
    *fagfelt* and *faggruppe*; the 1st digit is the level, so bachelor and master programmes
    of one field are one field)."""
    return pd.Series(nus_code, dtype="str").str[1:3]


def _table347(
    path: Path, text: pd.DataFrame, rows: list[int], header_line: int, kind: str, query: dict | None
) -> tuple[pd.DataFrame, list[Problem]]:
    parsed, labels = parse_columns(path, text, rows, T347_COLUMNS, header_line)
    row_of = pd.Series(rows, index=parsed.index)
    problems: list[Problem] = []
    problems += dbh_code_problems(path, parsed, row_of, labels)
    codes_from_names(path, parsed, row_of, labels, problems)
    if "semester" in parsed:
        parsed["semester"] = semester_words(path, parsed, row_of, labels, problems)
    if problems:
        raise InputError(problems)
    missing = _missing(parsed.index)
    if "semester" not in parsed:
        parsed["semester"] = semester_from_query(query)
    for col in (
        "institution_name",
        "department_code",
        "department_name",
        "programme_name",
        "study_level",
        "study_level_name",
        "nus_code",
    ):
        if col not in parsed:
            parsed[col] = missing
    key = ["institution_code", "programme_code", "year", "semester"]
    parsed, warnings = check_duplicates(
        path, parsed, key, ["programme_name", "department_code", "nus_code"], row_of, labels
    )
    warnings = unread_column_warnings(path, text, labels, passed_over_in(347)) + warnings
    frame = pd.DataFrame(
        {
            "source_file": path.name,
            "source_row": row_of.loc[parsed.index].astype("Int64"),
            **{
                c: parsed[c]
                for c in (
                    "institution_code",
                    "institution_name",
                    "department_code",
                    "department_name",
                    "programme_code",
                    "programme_name",
                )
            },
            "year": parsed["year"].astype("int64").astype("Int64"),
            "semester": parsed["semester"],
            "study_level": parsed["study_level"],
            "study_level_name": parsed["study_level_name"],
            "nus_code": parsed["nus_code"],
            "field_code": field_of(parsed["nus_code"]),
        }
    ).reset_index(drop=True)
    frame = validate(ProgrammeCatalogue, frame, path, frame["source_row"].tolist(), labels)
    return frame, warnings


# --- 457 Organisasjonsenheter ----------------------------------------------------------------


def _table457(
    path: Path, text: pd.DataFrame, rows: list[int], header_line: int, kind: str, query: dict | None
) -> tuple[pd.DataFrame, list[Problem]]:
    parsed, labels = parse_columns(path, text, rows, T457_COLUMNS, header_line)
    row_of = pd.Series(rows, index=parsed.index)
    problems: list[Problem] = []
    problems += dbh_code_problems(path, parsed, row_of, labels)
    codes_from_names(path, parsed, row_of, labels, problems)
    if "semester" in parsed:
        parsed["semester"] = semester_words(path, parsed, row_of, labels, problems)
    if problems:
        raise InputError(problems)
    if "semester" not in parsed:
        parsed["semester"] = semester_from_query(query)
    key = ["institution_code", "department_code", "year", "semester"]
    parsed, warnings = check_duplicates(path, parsed, key, ["department_name"], row_of, labels)
    warnings = unread_column_warnings(path, text, labels, passed_over_in(457)) + warnings
    frame = pd.DataFrame(
        {
            "source_file": path.name,
            "source_row": row_of.loc[parsed.index].astype("Int64"),
            "institution_code": parsed["institution_code"],
            "department_code": parsed["department_code"],
            "department_name": parsed["department_name"],
            "year": parsed["year"].astype("int64").astype("Int64"),
            "semester": parsed["semester"],
        }
    ).reset_index(drop=True)
    frame = validate(DepartmentNames, frame, path, frame["source_row"].tolist(), labels)
    return frame, warnings


# --- 211 Institusjon -------------------------------------------------------------------------


def _table211(
    path: Path, text: pd.DataFrame, rows: list[int], header_line: int, kind: str, query: dict | None
) -> tuple[pd.DataFrame, list[Problem]]:
    parsed, labels = parse_columns(path, text, rows, T211_COLUMNS, header_line)
    row_of = pd.Series(rows, index=parsed.index)
    problems = dbh_code_problems(path, parsed, row_of, labels)
    for column in ("valid_from", "valid_to"):
        problems += code_problems(
            path,
            parsed,
            row_of,
            labels,
            column,
            r"\d{5}",
            "a validity code is five digits: year and semester (20223 = autumn 2022)",
            "check the export",
        )
    if problems:
        raise InputError(problems)
    missing = _missing(parsed.index)
    for col in ("institution_short_name", "valid_from", "valid_to", "merged_into"):
        if col not in parsed:
            parsed[col] = missing
    parsed, warnings = check_duplicates(
        path,
        parsed,
        ["institution_code", "valid_from"],
        ["institution_name", "institution_short_name", "valid_to", "merged_into"],
        row_of,
        labels,
    )
    warnings = unread_column_warnings(path, text, labels, passed_over_in(211)) + warnings
    frame = pd.DataFrame(
        {
            "source_file": path.name,
            "source_row": row_of.loc[parsed.index].astype("Int64"),
            **{
                c: parsed[c]
                for c in (
                    "institution_code",
                    "institution_name",
                    "institution_short_name",
                    "valid_from",
                    "valid_to",
                    "merged_into",
                )
            },
        }
    ).reset_index(drop=True)
    frame = validate(InstitutionNames, frame, path, frame["source_row"].tolist(), labels)
    return frame, warnings
