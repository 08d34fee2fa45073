"""What the cells of every DBH table must be, whichever table and format (the count tables of
:mod:`analysis.readers.dbh`, the programme and name tables of
:mod:`analysis.readers.dbh_programmes`): codes of the right form, semesters and student
categories by DBH's codes, years within DBH's range, and the institution a one-institution
file's name carries. Each check goes down a whole column and names every bad cell
(``FILE:ROW:COLUMN: VALUE``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import parsing
from analysis.errors import Problem
from analysis.parsing import normalise_header, year_parser
from analysis.readers.base import Col
from analysis.readers.institution_names import institution_codes
from analysis.readers.table_shape import once_per_column
from schemas.common import DBH_FIRST_YEAR, LAST_YEAR, SEMESTER_CODES, STUDENT_CATEGORIES

#: The smallest count DBH shows in open data: no gender count and no total of 1 or 2 (a total
#: below it is written 0, :mod:`analysis.readers.dbh`). A group of fewer students that two of its figures
#: give by subtraction is a cell it hides (:func:`analysis.metrics.gender._categories_added_as_their_sum`),
#: and a row of total 0 holds 0 to 2 students, not none.
# NOTE: the evidence (a second reader, 2026-12-05): the national export has no total of 1 or 2
# in 25,443 rows. NTNU's autumn rows of 2019–2022 by category beside the same departments with the
# categories added (dbh_api_t123_1150.json): of the 25 category rows written "0;0;0", 23 (all
# category P) are 1 or 2 students, the added total less the categories' totals; the other 2 (S of
# 271520/2021 and 272425/2019) are their department's only row, written 0 in the JSON too. No
# row of 0 sits beside an added total its categories make exactly, so none is shown to be a
# true zero (tests/test_disclosure_dbh.py).
SMALLEST_SHOWN = 3

parse_dbh_year = year_parser(DBH_FIRST_YEAR, LAST_YEAR)

_VALIDITY = re.compile(r"[0-9]{5}")


def parse_validity(text: str) -> str:
    """A DBH validity code (``Gyldig fra``/``Gyldig til`` of tables 210 and 457): the year and
    the semester's digit, five digits (``20223``; ``11111`` and ``99999`` open-ended), kept as
    text; ``99999.0``, as a float column writes it, is 99999 (the one rule of
    :func:`analysis.parsing.whole_number_text`). It was refused as "must be 5 digits (check the
    code in the source system)" on every row, of a code the source wrote right (a bad-input hunt,
    2026-12-05)."""
    code = parsing.whole_number_text(text, grouped=False)
    if not _VALIDITY.fullmatch(code):
        raise parsing.ParseError(
            "not a validity code: DBH writes five digits, the year and the semester (20223 for autumn 2022; "
            "11111 and 99999 without an end)",
            "download the table again, or write the code as DBH does",
        )
    return code


_INSTITUTION_IN_NAME = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def institution_code(
    path: Path, parsed: pd.DataFrame, row_of: pd.Series, labels: dict[str, str], query_code: str | None
) -> tuple[str | pd.Series | None, list[Problem]]:
    """The institution code of the rows of a file without an ``Institusjonskode`` column, and
    warnings: the one institution its query was filtered on (``query_code``), else the code in
    its name (:func:`institution_from_name`), else each row's ``Institusjonsnavn`` looked up in
    DBH's names (:func:`analysis.readers.institution_names.institution_codes`: a name it does
    not know, or with two codes that year, gets none). None when nothing names it (ingest says
    so: :func:`analysis.ingest.combine_gender`)."""
    code = query_code or institution_from_name(path)
    if code or "institution_name" not in parsed:
        return code, []
    return institution_codes(
        path, parsed["institution_name"], row_of.to_numpy(), labels["institution_name"], parsed["year"]
    )


def institution_from_name(path: Path) -> str | None:
    """DBH rows of a one-institution query carry no institution code; the file name usually
    does (``dbh_api_t123_1150.json``)."""
    # NOTE: names often carry years too (``…_1150_host_2019_2025``): a year is not a code.
    found = [code for code in _INSTITUTION_IN_NAME.findall(path.stem) if not DBH_FIRST_YEAR <= int(code) <= LAST_YEAR]
    return found[0] if found else None


#: DBH's own columns of its row tables that the product does not need. A row table (``Math`` 0
#: in DBH's table catalogue, bulk table 001: ``shared/data/raw/dbh_tabellkatalog_001.csv``) has
#: one row per unit, and these columns describe that unit without splitting it, so reading the
#: rows without them changes nothing; a whole download has every one of them (the real table-347
#: rows in ``tests/fixtures/dbh/`` have 20), and naming each on every read would drown the
#: warning that matters. The names are the catalogue's ``Variabelliste``, and for 347 the two
#: names ``kodetekst: "J"`` adds that do not end in …navn or …tekst (``Organisering``,
#: ``Godkjent_av``, seen in the real rows). The count tables and 379 (``Math`` 1) are
#: aggregated: a column they do not read is a grouping that splits their rows, and is named.
ROW_TABLE_COLUMNS: dict[int, frozenset[str]] = {
    table: frozenset(normalise_header(c) for c in columns)
    for table, columns in {
        210: ("Nivå", "fagkode avdeling", "fagnavn avdeling", "Avdelingskode (3 siste siffer)"),
        211: (
            "Adresse",
            "Postnummer",
            "Telefon",
            "Telefax",
            "Institusjonstypekode",
            "Departementid",
        ),
        347: (
            "Avdelingskode_SSB",
            "Studiumkode",
            "Andel av heltid",
            "Studiepoeng",
            "Prosent egenfinansiering",
            "Organisering_kode",
            "Organisering",
            "Andel praksis",
            "Underv.språk",
            "Videreutd.",
            "Tilbys fra",
            "Tilbys til",
            "Nytt studietilbud",
            "Godkjenningsinstans",
            "Godkjent_av",
            "Godkjenningsdato",
            "Kvalifikasjonskode",
            "Studiepoengkrav kvalifikasjon",
            "Finansierings-kategori",
            "Uttelling",
        ),
        457: ("Avdelingskode_SSB", "Organisasjonsnr"),
    }.items()
}

#: The hint of a column an aggregated DBH table does not read: an adviser's own column, or a
#: grouping the product does not know (``Nivåkode``), which splits the table's rows.
UNREAD_GROUPING_HINT = (
    "delete the column if you added it; if it is a grouping of the table, download the table without it"
)


def passed_over_in(table: int) -> Callable[[str], bool]:
    """The columns of DBH table ``table`` its reader passes over for a stated reason, not naming
    them as unread (:func:`analysis.readers.base.unread_columns`): ``Fakultetskode`` is
    ``Avdelingskode``'s first three digits; a ``…navn`` or ``…tekst`` column is the name of a
    code (``kodetekst: "J"``: ``Fakultetsnavn``; ``Semesternavn`` and ``Kategoritekst`` are read,
    :func:`codes_from_names`); and a row
    table's own columns (:data:`ROW_TABLE_COLUMNS`)."""
    own = ROW_TABLE_COLUMNS.get(table, frozenset())

    def passed_over(header: str) -> bool:
        name = normalise_header(header)
        return (
            name == "fakultetskode"  # Avdelingskode's first three digits
            or re.search(r"(navn|tekst)$", name) is not None  # the name of a code read
            or name in own
        )

    return passed_over


#: DBH's code columns and their form: (digits, what is wrong, what to do). Every DBH table
#: checks the ones it has (:func:`dbh_code_problems`).
DBH_CODES = {
    "institution_code": (4, "Institusjonskode must be four digits", "keep codes as text so leading zeros stay"),
    "department_code": (
        6,
        "Avdelingskode must be six digits",
        "keep codes as text so leading zeros stay (000000)",
    ),
    "nus_code": (6, "NUS-kode must be six digits", "keep codes as text so leading zeros stay"),
    # table 210's faculty: "000" is NTNU's unspecified sub-unit, 0 once Excel has read it
    "faculty_code": (3, "Fakultetskode must be three digits", "keep codes as text so leading zeros stay (000)"),
    "merged_into": (
        4,
        "Institusjonskode (sammenslått) must be four digits",
        "keep codes as text so leading zeros stay",
    ),
}


def dbh_code_problems(path: Path, parsed: pd.DataFrame, row_of: pd.Series, labels: dict[str, str]) -> list[Problem]:
    """The problems of every DBH code column present in ``parsed`` (:data:`DBH_CODES`): codes
    of digits that lost their leading zeros said once for the column (:func:`lost_zeros`), any
    other wrong code cell by cell."""
    problems = []
    for column, (digits, message, hint) in DBH_CODES.items():
        if column not in parsed:
            continue
        short = lost_zeros(parsed[column], digits)
        found = code_problems(path, parsed[~short], row_of[~short], labels, column, rf"\d{{{digits}}}", message, hint)
        if short.any():
            cells = list(zip(row_of[short].astype(int), parsed.loc[short, column]))
            found.append(_lost_zeros_problem(path, labels[column], cells, digits, message))
        problems += sorted(found, key=lambda p: p.row or 0)
    return problems


def lost_zeros(codes: pd.Series, digits: int) -> pd.Series:
    """Which ``codes`` lost their leading zeros (:func:`analysis.parsing.lost_zeros`, asked
    once per distinct code)."""
    text = pd.Series(codes, dtype="str")
    rows_of = text.value_counts()
    return text.isin(parsing.lost_zeros(dict(zip(rows_of.index, rows_of.tolist())), digits))


def _lost_zeros_problem(path: Path, column: str, cells: list[tuple[int, object]], digits: int, rule: str) -> Problem:
    """The codes of a column that lost their leading zeros (``rule``: what DBH's code is), once
    for the column (a re-saved national export has one in every row of an institution whose
    code begins with 0: 7 810 of 25 443, once a line each)."""
    first = str(cells[0][1])
    return once_per_column(
        path,
        column,
        cells,
        "codes with too few digits" if len(cells) > 1 else "a code with too few digits",
        f": {rule}, so the leading zeros were lost ({first.zfill(digits)}?), as when Excel opens the file "
        "and saves it again",
        "download the file again and read it as downloaded; to open it in Excel, use Data › From Text/CSV "
        "and set the code columns to Text",
    )


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


#: DBH's names of its semester codes, as ``kodetekst: "J"`` writes them beside the code. Only the
#: pairs the real national export shows side by side, on every one of its rows
#: (``shared/data/raw/dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv``:
#: ``Semester``/``Semesternavn`` 1 Vår on 12,606 rows, 2 Sommer on 7, 3 Høst on 12,830). A name
#: written otherwise is not guessed: a guess could read another semester.
SEMESTER_NAMES = {"1": "Vår", "2": "Sommer", "3": "Høst"}
#: The student categories' names: the same export shows ``Studentkategori``/``Kategoritekst``
#: S (and s) Studenter on 20,971 rows, P (and p) Personer uten studierett on 3,691, A Andre on
#: 781, which are DBH's names in :data:`schemas.common.STUDENT_CATEGORIES`.
CATEGORY_NAMES = STUDENT_CATEGORIES

#: The name columns of the codes above. A file may have the name without the code (a download
#: with ``kodetekst: "J"`` whose code column was deleted, a hand-made table): the code is then
#: read from the name (:func:`codes_from_names`).
SEMESTER_NAME = Col("semester_name", "Semesternavn", required=False, nullable=True)
CATEGORY_NAME = Col("student_category_name", "Kategoritekst", required=False, nullable=True)

#: (code column, name column, DBH's header of the code, code -> name)
_NAMED_CODES = (
    ("semester", SEMESTER_NAME.name, "Semester", SEMESTER_NAMES),
    ("student_category", CATEGORY_NAME.name, "Studentkategori", CATEGORY_NAMES),
)


def _code_of(names: dict[str, str]) -> dict[str, str]:
    """name -> code of a code -> name table."""
    return {text: c for c, text in names.items()}


def _codes_of_names(written: pd.Series, names: dict[str, str]) -> pd.Series:
    """The code of each cell of ``written`` that is one of DBH's ``names`` (code -> name), in any
    case and with spaces around ("høst", "HØST "): the same name, not a guess; NaN elsewhere."""
    return written.str.strip().str.casefold().map({text.casefold(): c for c, text in names.items()})


def semester_codes_from_words(parsed: pd.DataFrame) -> None:
    """A ``Semester`` cell holding DBH's name of the semester (``Vår``, ``Sommer``, ``Høst``, as
    DBH writes them in ``Semesternavn``: :data:`SEMESTER_NAMES`) read as its code, in place; any
    other cell is left as written, for :func:`semester_words` to refuse."""
    if "semester" not in parsed:
        return
    known = _codes_of_names(pd.Series(parsed["semester"], dtype="str"), SEMESTER_NAMES)
    parsed["semester"] = parsed["semester"].where(known.isna(), known)


def codes_from_names(
    path: Path, parsed: pd.DataFrame, row_of: pd.Series, labels: dict[str, str], problems: list[Problem]
) -> None:
    """The semester and student category read from their name columns (``Semesternavn``,
    ``Kategoritekst``; :data:`SEMESTER_NAMES`, :data:`CATEGORY_NAMES`): in place of the code
    column when the file has none, else checked against it row by row. A name DBH does not
    write, a missing name where it is the only column, or a name that is not its code's is a
    problem. Called before the codes are checked (:func:`semester_words`,
    :func:`category_codes`), which then check codes read either way. A ``Semester`` column
    holding the names instead of the codes is read first (:func:`semester_codes_from_words`)."""
    semester_codes_from_words(parsed)
    for code, name, code_header, names in _NAMED_CODES:
        if name not in parsed:
            continue
        label = labels.pop(name)
        written = pd.Series(parsed.pop(name), dtype="str")
        known = _codes_of_names(written, names)
        listed = ", ".join(f"{text} ({c})" for c, text in names.items())
        # beside its code column an unknown name reads nothing (the code is read, as before the
        # names were read at all); only a known name that is another code's is a problem below
        unknown = written.notna().to_numpy() & known.isna().to_numpy() & (code not in parsed)
        for i in np.flatnonzero(unknown):
            problems.append(
                Problem(
                    str(path),
                    int(row_of.iloc[i]),
                    label,
                    written.iloc[i],
                    f"not one of DBH's names for {code_header}: {listed}",
                    f"write the name as DBH does, or download the table with the {code_header} column",
                )
            )
        if code not in parsed:
            for i in np.flatnonzero(written.isna().to_numpy()):
                problems.append(
                    Problem(
                        str(path),
                        int(row_of.iloc[i]),
                        label,
                        "",
                        "value is missing",
                        f"fill in the value or remove the row (the file has no {code_header} column)",
                    )
                )
            parsed[code] = known.to_numpy(dtype=object)
            labels[code] = label
            continue
        # both columns: a row whose name is another code's was edited in one of them
        expected = pd.Series(parsed[code], dtype="str").str.upper().map(names)
        other = (
            known.notna().to_numpy()
            & expected.notna().to_numpy()
            & (known != expected.map(_code_of(names))).fillna(False).to_numpy()
        )
        for i in np.flatnonzero(other):
            problems.append(
                Problem(
                    str(path),
                    int(row_of.iloc[i]),
                    label,
                    written.iloc[i],
                    f"the row's {labels[code]} is {parsed[code].iloc[i]}, whose name is {expected.iloc[i]}",
                    "one of the two cells was changed: download the table again, or correct the one that is wrong",
                )
            )


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
