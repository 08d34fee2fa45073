"""DBH-API responses as downloaded: JSON (``hentJSONTabellData``) and CSV (``hentCSVTabellData``).

``hentJSONTabellData`` with ``statuslinje`` returns a list whose first element is a status
object (``tabell_id``, ``antall``, ``returkode``, ``melding``) followed by one object per row,
every value a string. ``hentCSVTabellData`` returns the same rows semicolon-separated. Which
table a file is comes from its status object, else from its query (``analysis.readers.dbh_query``),
else from its columns.

This module reads the tables that count students by gender in one layout — ``Antall totalt``,
``Antall kvinner``, ``Antall menn`` — with any of HK-dir's groupings: 110 *Nye studenter*,
112 *Opptak*, 123 *Registrerte studenter*, 132 *Søknader* — and table 210 (department ->
faculty). The programme tables 347, 379, 457 and 211 are read by
:mod:`analysis.readers.dbh_programmes`.

**What a count is a count of.** ``Semester`` (1 vår, 2 sommer, 3 høst) and, in table 123,
``Studentkategori`` (S Studenter, P Personer uten studierett, A Andre; some institutions write
them in lower case) are part of an observation's key and of its measure. A file without these
columns added them together, unless its query filtered on them: the measure then says
``all`` (or the semester the query kept), and ``unstated`` when the query is not known. A file
that adds categories together is therefore a different measure from one that splits them and
is never compared with it.

**Rows with no gender split** (``Antall kvinner`` = ``Antall menn`` = 0 while ``Antall totalt``
> 0) are unknown, never zero. The national table-123 export (25,443 rows, 1981–2022) shows two
causes, told apart by size (:data:`NO_SPLIT_MIN_TOTAL`):

* DBH's masking of small cells in open data: no row of the export that shows a gender split has
  a gender count of 0, 1 or 2 (23,820 rows), and no row has a total of 1 or 2; so DBH shows both
  genders as 0 when either is below 3 (and a total below 3 as 0). Units that show 3–5 men in
  the semesters around a masked one (Lovisenberg's further education 2013–2021, Norges
  dansehøyskole 2003–2007) are such cells.
* Units that reported no gender split at all: the whole regional colleges of 1995 (up to 9,266
  students each), the University of Bergen's faculties in spring 1992, Høgskolen i Oslo's
  departments in spring 1999, NITH 2002. Masking would need at most 2 students of one gender
  among hundreds or thousands.

Among the 13,341 rows of the export with a gender split and at least 200 students, the
smallest share of either gender is 3.1 %; at 200 students masking needs one gender at 1 % or
less. So a masked row with at least 200 students is read as ``no_gender_split`` (85 rows), a
smaller one as ``small_cell`` (1,538). Between 100 and 199 students the export has 10 such
rows: 4 are Lovisenberg's and Norges dansehøyskole's small cells above; 6 belong to units that
reported no split that year (the 1995 colleges, NITH 2002, Harstad 1994) and are still called
small cells. The reason is a best reading; the number is unknown either way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import InputError, Problem, file_problem, listed_past_the_limit
from analysis.fetch.dbh import fills_row_limit, stated_row_limit
from analysis.org_units import faculty_of
from analysis.parsing import normalise_header, parse_count
from analysis.readers.base import (
    Col,
    ReadResult,
    TextTable,
    check_duplicates,
    differing_within_key,
    measure_filter,
    parse_columns,
    read_text,
    read_text_table,
    records_table,
    stray_rows,
    unread_column_warnings,
    unread_columns,
    unread_grouping_hint,
    validate,
)
from analysis.readers.dbh_cells import (
    CATEGORY_NAME,
    SEMESTER_NAME,
    UNREAD_GROUPING_HINT,
    category_codes,
    codes_from_names,
    dbh_code_problems,
    institution_code,
    parse_dbh_year,
    parse_validity,
    passed_over_in,
    semester_words,
)
from analysis.readers.dbh_query import category_from_query, institution_from_query, semester_from_query
from analysis.readers.dbh_tables import (
    COUNT_TABLES,
    TABLE_DATASETS,
    count_table_unknown,
    kind_of,
    not_read,
    query_for,
    table_from_query,
    table_id,
)
from analysis.readers.institution_names import DOWNLOAD_WITH_CODES, uncoded_name
from analysis.readers.safe_json import decode_error, load_json
from schemas.gender import FacultyNames, GenderObservations

#: A masked row with at least this many students is a unit that reported no gender split; a
#: smaller one is a small cell masked by DBH. Derived from the national export (module docstring).
# NOTE: one number for every count table; it was derived from table 123, the only national
# export there is. Check it against a national file of 110/112/132 when one is at hand.
NO_SPLIT_MIN_TOTAL = 200
#: Rows of a response that are not JSON objects listed one by one; the next counts the rest.
MAX_ROWS_LISTED = 20

#: Columns of the count tables as DBH names them. Which appear depends on the query's grouping;
#: the name columns (``…navn``, ``Kategoritekst``) come with ``kodetekst: "J"``.
COUNT_COLUMNS = [
    Col("institution_code", "Institusjonskode", required=False),
    Col("institution_name", "Institusjonsnavn", required=False, nullable=True),
    Col("year", "Årstall", parse_dbh_year),
    Col("department_code", "Avdelingskode", required=False),
    Col("department_name", "Avdelingsnavn", required=False, nullable=True),
    Col("programme_code", "Studieprogramkode", required=False),
    Col("programme_name", "Studieprogramnavn", required=False, nullable=True),
    Col("semester", "Semester", required=False),
    SEMESTER_NAME,
    Col("student_category", "Studentkategori", required=False),
    CATEGORY_NAME,
    Col("nus_code", "NUS-kode", required=False, nullable=True),
    Col("total", "Antall totalt", parse_count),
    Col("women", "Antall kvinner", parse_count),
    Col("men", "Antall menn", parse_count),
]
#: The earlier name of the column specification (table 123 was the only count table).
T123_COLUMNS = COUNT_COLUMNS

T210_COLUMNS = [
    Col("institution_code", "Institusjonskode"),
    Col("department_code", "Avdelingskode", required=False),
    Col("faculty_code", "Fakultetskode"),
    Col("faculty_name", "Fakultetsnavn"),
    Col("faculty_short_name", "Kortnavn_uoffisielt", required=False, nullable=True),
    Col("valid_from", "Gyldig fra", parse_validity, required=False, nullable=True),
    Col("valid_to", "Gyldig til", parse_validity, required=False, nullable=True, aliases=("Gyldig_til",)),
]

_ERROR_WORDS = re.compile(r"\b(feil|error|ugyldig|invalid|mangler|ikke tilgang|unauthori[sz]ed)\b", re.I)


#: Words that make a header row one of DBH's tables in English: dbh.hkdir.no offers its tables
#: in English too. A header with a word of each set (a count or gender, and a unit or year) and
#: no table the product knows is said to be English, with what to do.
# NOTE: the English headers themselves are not read: their exact names were not found in any
# source at hand (HK-dir's variable lists, rdbhapi and the DBH-API responses are all Norwegian;
# searched 2026-12-03), and a guessed name would read a column that may be another measure.
# Map them here, with their source, once a real English download is at hand.
ENGLISH_COUNT_WORDS = frozenset({"number", "students", "women", "men", "female", "females", "male", "males", "gender"})
ENGLISH_UNIT_WORDS = frozenset({"year", "institution", "department", "faculty", "programme", "program"})


def english_header(header: list[str]) -> bool:
    """Does ``header`` look like a DBH table downloaded with English headers
    (:data:`ENGLISH_COUNT_WORDS`, :data:`ENGLISH_UNIT_WORDS`)?"""
    words = {w for h in header for w in re.findall(r"[a-zæøå]+", str(h).lower())}
    return bool(words & ENGLISH_COUNT_WORDS) and bool(words & ENGLISH_UNIT_WORDS)


def english_header_problem(path: Path, row: int | None, header: list[str], keys: bool = False) -> Problem:
    """The problem of a DBH table with English headers (``keys``: a JSON response whose rows'
    keys are English, as a conversion or translation of DBH-API's may give): what it looks like
    and what to do."""
    if keys:
        return Problem(
            str(path),
            row,
            None,
            ", ".join(map(str, header[:8])),
            "the rows' keys are in English: the product knows DBH-API's responses by their Norwegian keys "
            "(Årstall, Avdelingskode, Antall totalt, Antall kvinner, Antall menn …), and does not read the English "
            "ones",
            "if it is a DBH table, download it again from DBH-API with hentJSONTabellData (its keys are "
            "Norwegian) and keep the response as it came",
        )
    return Problem(
        str(path),
        row,
        None,
        ", ".join(map(str, header[:8])),
        "the header row is in English: the product knows DBH's tables by their Norwegian headers "
        "(Årstall, Avdelingskode, Antall totalt, Antall kvinner, Antall menn …), and does not read the English ones",
        "if it is a DBH table, download it again from dbh.hkdir.no in Norwegian (norsk), or export it from DBH-API "
        "(hentCSVTabellData or hentJSONTabellData), whose headers are Norwegian",
    )


# --- JSON ----------------------------------------------------------------------------------


def load_dbh_json(path: Path) -> tuple[dict | None, list[dict]]:
    """The status object (or None when requested without ``statuslinje``) and the data rows,
    after checking the response's own bookkeeping."""
    text, _ = read_text(path)
    if text.strip() == "":
        raise file_problem(path, None, "the file has no content", "download the table again")
    try:
        data = load_json(path, text)  # hostile content (huge numbers, nesting, repeated keys) refused
    except json.JSONDecodeError as err:
        snippet = text[max(0, err.pos - 20) : err.pos + 20]
        row, column = _json_error_place(text, err.pos)
        where = f" (line {err.lineno}, character {err.colno} of the file)"
        raise InputError(
            [
                Problem(
                    str(path),
                    row,
                    column,
                    snippet,
                    decode_error(text, err) + where,
                    "download the table again from DBH-API (hentJSONTabellData)",
                )
            ]
        ) from None
    if isinstance(data, dict) and "status" in data:
        data = [data]
    if not isinstance(data, list):
        raise file_problem(
            path,
            type(data).__name__,
            "a DBH-API JSON response is a list of rows",
            "download the table again with hentJSONTabellData",
        )
    status = None
    rows = data
    if data and isinstance(data[0], dict) and set(data[0]) == {"status"}:
        status, rows = data[0]["status"], data[1:]
        problems = _status_problems(path, status, len(rows))
        if problems:
            raise InputError(problems)
    if not rows:
        raise InputError(
            [
                Problem(
                    str(path),
                    None,
                    "status.antall",
                    status.get("antall") if status else 0,
                    "the response has no data rows",
                    "check the query's filter (institution, years) and download again",
                )
            ]
        )
    bad = [i for i, r in enumerate(rows, start=1) if not isinstance(r, dict)]
    if bad:
        problems = [
            Problem(str(path), i, None, rows[i - 1], "a data row must be a JSON object", "download the table again")
            for i in bad[: MAX_ROWS_LISTED + 1]
        ]
        problems[MAX_ROWS_LISTED:] = [
            listed_past_the_limit(p, len(bad) - MAX_ROWS_LISTED - 1, "that are not JSON objects")
            for p in problems[MAX_ROWS_LISTED:]
        ]
        raise InputError(problems)
    return status, rows


def _json_error_place(text: str, pos: int) -> tuple[int | None, str | None]:
    """Where broken JSON breaks, as the adviser counts: the data-row number (1 = first row
    after the status object) and the last column name read in that row."""
    start = text.find("[")
    if start < 0 or start > pos:
        return None, None
    has_status = re.match(r'\s*\[\s*\{\s*"status"', text) is not None
    decoder = json.JSONDecoder()
    separators = re.compile(r"[\s,]*")
    i, element = start + 1, 0
    while True:
        i = separators.match(text, i).end()
        if i >= len(text) or i > pos or text[i] == "]":
            return None, None
        try:
            _, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError:
            end = len(text)
        if end > pos:
            break
        i, element = end, element + 1
    keys = re.findall(r'"((?:[^"\\]|\\.)*)"\s*:', text[i:pos])
    column = keys[-1] if keys else None
    if has_status:
        return (None, "status") if element == 0 else (element, column)
    return element + 1, column


def _status_problems(path: Path, status: object, n_rows: int) -> list[Problem]:
    if not isinstance(status, dict):
        return [
            Problem(str(path), None, "status", status, "the status object is not an object", "download the table again")
        ]
    problems = []
    code = status.get("returkode", 0)
    message = str(status.get("melding", ""))
    if code not in (0, "0"):
        problems.append(
            Problem(
                str(path),
                None,
                "status.returkode",
                code,
                f"DBH-API reports an error: {message or 'no message'}",
                "fix the query (table id, filter, variables) and download again",
            )
        )
    elif _ERROR_WORDS.search(message) and "levert" not in message.lower():
        problems.append(
            Problem(
                str(path),
                None,
                "status.melding",
                message,
                "DBH-API reports an error",
                "fix the query and download again",
            )
        )
    if "antall" in status:
        try:
            antall = int(status["antall"])
        except (TypeError, ValueError):
            antall = None
        if antall != n_rows:
            problems.append(
                Problem(
                    str(path),
                    None,
                    "status.antall",
                    status["antall"],
                    f"the status says {status['antall']} rows but the file has {n_rows}",
                    "the download is incomplete or was edited: download the table again",
                )
            )
    return problems


def _rows_frame(path: Path, rows: list[dict], never_null: set[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Data rows as a frame of text, in the order of the first row's keys, and the problems of
    its cells.

    A JSON ``null`` is an empty cell, except in a column whose (normalised) header is in
    ``never_null`` (the counts and codes the reader needs), where it is a problem."""
    never_null = never_null or set()
    columns: list[str] = []
    for r in rows:
        for k in r:
            if k not in columns:
                columns.append(k)
    must_have = {c for c in columns if normalise_header(c) in never_null}
    problems = []
    records = []
    for i, r in enumerate(rows, start=1):
        rec = []
        for c in columns:
            v = r.get(c)
            if v is None:
                if c in must_have:
                    problems.append(Problem(str(path), i, c, None, "value is missing", "download the table again"))
                rec.append("")
            elif isinstance(v, (dict, list)):
                problems.append(
                    Problem(
                        str(path),
                        i,
                        c,
                        json.dumps(v, ensure_ascii=False),
                        "expected a single value",
                        "download the table again",
                    )
                )
                rec.append("")
            else:
                # DBH-API delivers every value as a string; a number here is read as its text.
                rec.append(v if isinstance(v, str) else json.dumps(v))
        records.append(rec)
    return pd.DataFrame(records, columns=columns, dtype=object), problems


def required_headers(cols: list[Col]) -> set[str]:
    """The normalised headers of the columns that may not be empty."""
    return {s for c in cols if not c.nullable for s in c.spellings}


def _read_table(
    path: Path,
    tid: int | None,
    df: pd.DataFrame,
    rows: list[int],
    header_line: int,
    fmt: str,
    query: dict | None,
    notes: dict,
) -> ReadResult:
    """Table ``tid`` from its rows as text (``rows``: each row's line or record number;
    ``header_line``: where a problem of a column is named)."""
    if tid not in TABLE_DATASETS:
        raise not_read(path, tid)
    kind = kind_of(tid, fmt)
    if tid in COUNT_TABLES:
        frame, warnings = _count_table(path, df, rows, header_line, kind, tid, query)
    elif tid == 210:
        frame, warnings = _table210(path, df, rows, header_line)
    else:
        from analysis.readers import dbh_programmes

        frame, warnings = dbh_programmes.read_table(path, tid, df, rows, header_line, kind, query)
    return ReadResult(path, kind, TABLE_DATASETS[tid], frame, warnings, notes)


def _columns_of(tid: int | None) -> list[Col]:
    if tid in COUNT_TABLES or tid is None:
        return COUNT_COLUMNS
    if tid == 210:
        return T210_COLUMNS
    from analysis.readers import dbh_programmes

    return dbh_programmes.COLUMNS.get(tid, [])


def _counts(tid: int | None) -> list[str]:
    """The columns of table ``tid`` read as counts: a row that fills only these is a sum
    (base.sum_row); not 379's Prioritet, a key read as a number (dbh_programmes.parse_priority):
    a row with it filled is a row of the table lacking its other keys, and a row with only it
    filled was called a sum."""
    return [c.header for c in _columns_of(tid) if c.parse is parse_count]


def _row_limit_problem(path: Path, data_rows: list[int], column: str | None, query: dict | None) -> Problem | None:
    """A file whose DBH rows (``data_rows``: their line or record numbers, without a total row or
    note added below them, which DBH did not send) fill its query's row limit
    (:func:`fills_row_limit`, the rule ``kvalitet fetch`` keeps), named at the last of them."""
    n_rows = len(data_rows)
    limit = fills_row_limit(n_rows, query)
    if limit is None:
        return None
    # (no query of its own: the limit kvalitet fetch and HK-dir's national export ask for; no
    # source at hand gives DBH-API's own default, so it is not said to be DBH's)
    given = (
        f"its query's row limit (begrensning) of {limit}"
        if stated_row_limit(query) is not None
        else f"{limit}, the row limit kvalitet fetch and HK-dir's national export ask DBH-API for"
    )
    return Problem(
        str(path),
        data_rows[-1] if data_rows else None,
        column,
        n_rows,
        f"the file has {n_rows} rows, {given}: DBH-API returns no more, so rows may be missing",
        "download the table again in parts (fewer years or institutions in each query) or with a higher begrensning",
    )


def read_dbh_json(path: Path, table: int | None = None) -> ReadResult:
    """A DBH-API JSON response; ``table``: the count table it is (``--kind dbh-110-json``) where
    neither its status object nor its query says (a response saved with statuslinje off)."""
    status, rows = load_dbh_json(path)
    query = query_for(path)
    keys = {k for r in rows if isinstance(r, dict) for k in r}
    tid = table_id(status, keys, query, path)
    if table in COUNT_TABLES and tid in COUNT_TABLES and count_table_unknown(path, status, query, tid, keys):
        tid = table
    df, problems = _rows_frame(path, rows, required_headers(_columns_of(tid)))
    if tid in COUNT_TABLES:
        # a null gender count said as an empty one in a CSV ("" is, by the count table's reader),
        # in the same run as the other null cells
        problems = blank_gender_counts(path, df, list(range(1, len(df) + 1)), problems)
    # a total row or a sum among the records (an edited response), as in a CSV export
    # (:func:`read_dbh_csv`): said at its word, not also as the keys it leaves null
    stray_at, stray = stray_rows(
        path, records_table(list(df.columns), df.itertuples(index=False, name=None)), _counts(tid)
    )
    stray_records = {i + 1 for i in stray_at}
    data_records = [i for i in range(1, len(df) + 1) if i not in stray_records]
    cut = _row_limit_problem(path, data_records, "status.antall" if status else None, query)
    if cut is not None:
        raise InputError([cut])
    problems = stray + [p for p in problems if p.row not in stray_records]
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row or 0))
    numbers = list(range(1, len(df) + 1))
    notes = {"status": status["melding"] if status else "no status object (statuslinje off)"}
    # a JSON response has no header line: a key missing from every record is named at record 1
    result = _read_table(path, tid, df, numbers, 1, "json", query, notes)
    if (unknown := count_table_unknown(path, status, query, tid, keys)) is not None:
        result.warnings.insert(0, unknown)
    return result


def read_dbh_csv(path: Path, table: int | None = None) -> ReadResult:
    """A DBH CSV export; ``table``: the table it is when neither its query nor its header says
    (``--kind dbh-123-csv``: a renamed column is then named as missing, not "a table the
    product does not read")."""
    text = read_text_table(path)
    df = text.frame()
    query = query_for(path)
    tid = table_id(None, df.columns, query, path)
    # --kind says which of the count tables of one layout it is, where its query does not
    if table in COUNT_TABLES and tid in COUNT_TABLES and table_from_query(query) is None:
        tid = table
    tid = tid or table
    notes = {"encoding": text.encoding, "delimiter": text.delimiter}
    unended = _unended(path, text)
    # a total row, a note or the header again is named as what it is, not by the cells it lacks;
    # the other rows are still read, so that one run shows every problem
    stray_at, stray = stray_rows(path, text, _counts(tid))
    lines = text.lines
    if stray:
        df = df.drop(index=stray_at).reset_index(drop=True)
        lines = [n for i, n in enumerate(text.lines) if i not in set(stray_at)]
    cut = _row_limit_problem(path, lines, None, query)
    if cut is not None:
        raise InputError([cut])
    try:
        result = _read_table(path, tid, df, lines, text.header_line, "csv", query, notes)
    except InputError as err:
        problems = sorted([*stray, *_cut_short(unended, err.problems)], key=lambda p: p.row or 0)
        raise InputError(problems) from None
    if stray:
        raise InputError(stray)
    if unended is not None:
        failed = [p for p in result.warnings if p.row == unended.row]
        if failed:
            raise InputError(_cut_short(unended, failed))
        result.warnings.insert(0, unended)
    if (unknown := count_table_unknown(path, None, query, tid, df.columns)) is not None:
        result.warnings.insert(0, unknown)
    return result


def _unended(path: Path, table: TextTable) -> Problem | None:
    """A warning when a CSV export does not end with a line break, as DBH's (and Excel's) always
    do: the download may have been cut off inside its last row. Only a warning: a file saved
    again by hand may lack the last line break, and a last row that passes every check is
    read (:func:`_cut_short` decides when it does not)."""
    if table.encoding == "xlsx" or not table.lines:
        return None
    with path.open("rb") as fh:
        fh.seek(0, 2)
        fh.seek(max(0, fh.tell() - 2))
        tail = fh.read()
    if b"\n" in tail or b"\r" in tail:
        return None
    return Problem(
        str(path),
        table.lines[-1],
        None,
        table.delimiter.join(table.rows[-1]) if table.rows else None,
        "the file does not end with a line break, as a whole export does: it may have been cut off, "
        "and its last row with it",
        "download the file again if this row is not complete",
    )


def _cut_short(unended: Problem | None, problems: list[Problem]) -> list[Problem]:
    """``problems`` with each one of the last row restated as that row being cut short, when the
    file does not end with a line break (``unended``): a download cut inside its last number
    ("…,26,41" → "…,26,4") fails a check of that row, and the counts it leaves are not the
    file's (a bad-input hunt: read with a warning, it flagged men at 6.0 %). A check the row
    fails is then an error, whether it was a warning or an error on its own."""
    if unended is None:
        return problems
    return [
        replace(
            p,
            message=f"the file looks cut short in its last row: {p.message}, and the file does not end "
            "with a line break as a whole export does",
            hint="download the file again",
        )
        if p.row == unended.row
        else p
        for p in problems
    ]


@dataclass(frozen=True)
class MaskedCells:
    """The gender cells of a count table, classified (:func:`masked_cells`)."""

    women: pd.Series  # Int64, missing where masked
    men: pd.Series
    suppressed: pd.Series  # bool
    suppression: pd.Series  # str: the reason where masked, else missing
    mismatch: pd.Series  # bool: women + men is not the total (a warning)


def masked_cells(total: pd.Series, women: pd.Series, men: pd.Series) -> MaskedCells:
    """Which rows DBH masked, why, and which do not add up (the rules of the module docstring).

    * kvinner = menn = 0 with totalt > 0 is masked (``suppressed``): women and men are unknown,
      never zero. Without a token DBH masks small cells so; so do units that reported no gender
      split. A masked row with at least :data:`NO_SPLIT_MIN_TOTAL` students is
      ``no_gender_split``, a smaller one ``small_cell``.
    * women + men ≠ total in a row that is not masked, with each gender within the total, is a
      ``mismatch``: read as given, with a warning (a gender above the total is an error of the
      row, which the contract reports).
    * A missing count (Int64 NA) decides nothing: such a row is neither masked nor a mismatch.
    """
    suppressed = ((women == 0) & (men == 0) & (total > 0)).fillna(False).astype(bool)
    # (pandas 3 infers the str dtype of text; the reason is read only where the row is masked)
    suppression = pd.Series(
        np.where(total.fillna(0).to_numpy() >= NO_SPLIT_MIN_TOTAL, "no_gender_split", "small_cell"),
        index=total.index,
    ).where(suppressed)
    women, men = women.mask(suppressed), men.mask(suppressed)
    mismatch = (~suppressed & (women + men != total) & (women <= total) & (men <= total)).fillna(False)
    return MaskedCells(women, men, suppressed, suppression, mismatch)


#: The gender counts, which DBH never leaves empty: a cell it hides is 0 beside its total.
GENDER_COUNT_COLUMNS = [c for c in COUNT_COLUMNS if c.name in ("women", "men")]


def blank_gender_counts(path: Path, text: pd.DataFrame, rows: list[int], problems: list[Problem]) -> list[Problem]:
    """``problems`` with each empty women or men cell beside a total (a JSON ``null`` or ``""``,
    a CSV's empty field) said as what it is, one message for JSON and CSV, by what the total
    beside it is: a count above 0, 0, or no count at all.

    NOTE: not read as hidden. Every DBH export at hand writes a cell it hides as 0 in both
    gender columns beside the total (349 rows of DBH-API JSON with "Data levert (med skjerming
    for utvalgte rapporter)", 25,443 rows of the national hentCSVTabellData export: 1,623 such
    rows, not one empty or null count; searched 2026-12-04), so an empty one was made after the
    download, and which figure it held is not known. The hint keeps a total above 0: 0 in both
    is DBH's own way of saying the split is unknown (:func:`masked_cells`). Beside a total of 0
    both counts are 0 (a unit without students, never hidden); beside a total that is not a
    count the row has no figure to keep (a second reader's note, 2026-12-04: "beside the total
    abc" and "its total kept" beside a total of 0 read wrong)."""
    from analysis.parsing import ParseError

    spellings = {s for c in GENDER_COUNT_COLUMNS for s in c.spellings}
    total_col = next(c for c in COUNT_COLUMNS if c.name == "total")
    total = next((h for h in text.columns if normalise_header(h) in total_col.spellings), None)
    headers = " and ".join(str(c.header) for c in GENDER_COUNT_COLUMNS)
    at = {row: i for i, row in enumerate(rows)}
    out = []
    for p in problems:
        i = at.get(p.row)
        given = "" if total is None or i is None else str(text[total].iloc[i] or "").strip()
        if p.message == "value is missing" and normalise_header(p.column or "") in spellings and given:
            try:
                count = parse_count(given)
            except ParseError as err:
                p = replace(
                    p,
                    message=f"value is missing, and the total beside it ({total} '{given}') is not a count either "
                    f"({err.message}): the row has no figure to read",
                    hint=f"download the table again: DBH writes every count as a whole number, and a cell it hides "
                    f"as 0 in both {headers} beside the total",
                )
            else:
                if count == 0:
                    message = (
                        f"value is missing beside the total of 0 ({total}): a unit without students has 0 in both {headers} "
                        "(DBH never leaves a gender count empty), so the cell was emptied after the download"
                    )
                    hint = "write 0 in the empty cell, or download the table again"
                else:
                    message = (
                        f"value is missing beside the total of {count} ({total}): DBH never leaves a gender count empty (a cell it "
                        f"hides is 0 in both {headers} beside the total), so the cell was emptied after the download"
                    )
                    hint = (
                        f"download the table again; if the split is not known, write 0 in both {headers}: the row "
                        f"is then read as hidden, its total of {count} kept"
                    )
                p = replace(p, message=message, hint=hint)
        out.append(p)
    return out


def _count_table(
    path: Path, text: pd.DataFrame, rows: list[int], header_line: int, kind: str, tid: int, query: dict | None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Tables 110/112/123/132: one observation per row, with its semester, category and names."""
    try:
        parsed, labels = parse_columns(path, text, rows, COUNT_COLUMNS, header_line)
    except InputError as err:
        raise InputError(blank_gender_counts(path, text, rows, err.problems)) from None
    row_of = pd.Series(rows, index=parsed.index)
    problems: list[Problem] = []
    if "department_code" not in parsed and "programme_code" not in parsed:
        problems.append(
            Problem(
                str(path),
                header_line,
                "Avdelingskode",
                None,
                "required column is missing",
                "the table must be grouped by Avdelingskode or Studieprogramkode",
            )
        )
        raise InputError(problems)
    problems += dbh_code_problems(path, parsed, row_of, labels)
    codes_from_names(path, parsed, row_of, labels, problems)
    if "semester" in parsed:
        parsed["semester"] = semester_words(path, parsed, row_of, labels, problems)
    if "student_category" in parsed:
        parsed["student_category"] = category_codes(path, parsed, row_of, labels, problems)
    if problems:
        raise InputError(problems)

    n = len(parsed)
    missing = pd.Series([None] * n, index=parsed.index, dtype=object)
    named: list[Problem] = []  # the names in the file DBH has no single code for
    if "institution_code" not in parsed:
        parsed["institution_code"], named = institution_code(
            path, parsed, row_of, labels, institution_from_query(query)
        )
    if "semester" not in parsed:
        parsed["semester"] = semester_from_query(query)
    if "student_category" not in parsed:
        # NOTE: only table 123 has student categories; the other count tables have none to name.
        parsed["student_category"] = category_from_query(query) if tid == 123 else None
    for col in (
        "institution_name",
        "department_code",
        "department_name",
        "programme_code",
        "programme_name",
        "nus_code",
    ):
        if col not in parsed:
            parsed[col] = missing
    has_programme = parsed["programme_code"].notna().any()
    passed_over = passed_over_in(tid)
    # a column of one value is a filter of the download: the counts are that subset's
    unit = ["institution_code", "programme_code" if has_programme else "department_code"]
    parsed["measure_filter"], filters = measure_filter(text, labels, parsed[unit], passed_over)
    unread_warnings = unread_column_warnings(
        path, text, labels, passed_over, UNREAD_GROUPING_HINT, filters, COUNT_COLUMNS
    )
    key = ["institution_code", "department_code", "programme_code", "year", "semester", "student_category"]
    # (an export with names only: two institutions whose names got no code are two, not one)
    parsed["uncoded_institution"] = uncoded_name(parsed)
    key.insert(1, "uncoded_institution")
    try:
        parsed, warnings = check_duplicates(
            path, parsed, key, ["total", "women", "men"], row_of, {**labels, "uncoded_institution": "Institusjonsnavn"}
        )
    except InputError as err:
        raise InputError(_duplicate_hints(err.problems, text, parsed, key, row_of, labels, passed_over, tid)) from None
    row_of = row_of.loc[parsed.index]
    warnings = unread_warnings + named + warnings

    total = parsed["total"].astype("Int64")
    cells = masked_cells(total, parsed["women"].astype("Int64"), parsed["men"].astype("Int64"))
    women, men = cells.women, cells.men
    suppressed, suppression = cells.suppressed, cells.suppression
    for i in parsed.index[cells.mismatch.to_numpy(bool)]:
        warnings.append(
            Problem(
                str(path),
                int(row_of[i]),
                f"{labels['women']}+{labels['men']}",
                f"{women[i]}+{men[i]}",
                f"women + men is not the total {total[i]}",
                "the counts are read as given; check the export if this is unexpected",
            )
        )
    department = parsed["department_code"]
    programme = parsed["programme_code"]
    frame = pd.DataFrame(
        {
            "source_kind": kind,
            "source_file": path.name,
            "source_row": row_of.astype("Int64"),
            "institution_code": parsed["institution_code"],
            "institution_name": parsed["institution_name"],
            "level": np.where(programme.notna(), "programme", "department"),
            "unit_code": programme.where(programme.notna(), department),
            "unit_name": parsed["programme_name"].where(programme.notna(), parsed["department_name"]),
            # (a table without departments: the department column is all missing, and so is the
            # faculty; of the rows kept after duplicates, like every other column)
            "faculty_code": faculty_of(department) if department.notna().any() else department,
            "department_code": department,
            "department_name": parsed["department_name"],
            "nus_code": parsed["nus_code"],
            "year": parsed["year"].astype("Int64"),
            "measure": COUNT_TABLES[tid],
            "semester": parsed["semester"],
            "student_category": parsed["student_category"],
            "measure_filter": parsed["measure_filter"],
            "total": total,
            "women": women,
            "men": men,
            "share_women_given_pct": pd.Series(pd.NA, index=parsed.index, dtype="Float64"),
            "suppressed": suppressed,
            "suppression": suppression,
        }
    )
    unit_label = labels.get("programme_code") if has_programme else labels.get("department_code")
    labels_out = {**labels, "unit_code": unit_label}
    frame = validate(GenderObservations, frame.reset_index(drop=True), path, frame["source_row"].tolist(), labels_out)
    # the file's own headers of the counts, so that a check across files (two files disagreeing
    # on a year, :func:`analysis.ingest.combine_gender`) names the column the adviser sees
    frame.attrs["headers"] = {name: labels[name] for name in ("total", "women", "men")}
    return frame, warnings


def _duplicate_hints(
    problems: list[Problem],
    text: pd.DataFrame,
    parsed: pd.DataFrame,
    key: list[str],
    row_of: pd.Series,
    labels: dict[str, str],
    passed_over,
    tid: int,
) -> list[Problem]:
    """``problems`` (rows with one key and other counts) with the hint of their cause."""
    # a column the reader does not read (another grouping: Nivåkode, Statsborgerskap …) makes
    # rows that differ only there look alike: that is the cause to name first, for the rows of
    # a key that differ in it (an extra column alike in both rows, a filter column of one value
    # or the date of the download, splits nothing: one of the two rows is then wrong)
    unread = unread_columns(text.columns, labels, passed_over)
    differ = differing_within_key(text[unread], parsed[key]) if unread else None
    index_of = {int(row): i for i, row in row_of.items()}
    hint = None
    # a name with two codes that year (Høgskolen i Harstad in 1994: 2212 and 0213) is two
    # institutions' rows under one name: the fix is the code column, not removing a row
    alike = parsed.duplicated(subset=key, keep=False) & parsed["uncoded_institution"].notna()
    if alike.any():
        hint = f"DBH gives the institution's name no single code, so rows of two institutions look alike: {DOWNLOAD_WITH_CODES}"
    else:
        # rows of two semesters (or categories) look alike when the export lacks that column:
        # the fix is the column, not removing a row
        # (DBH's column, and what its rows are in English: "studentkategoris" read badly)
        lacking = [
            (column, rows)
            for name, column, rows in (
                ("semester", "Semester", "semesters"),
                ("student_category", "Studentkategori", "student categories"),
            )
            if name not in labels and (tid == 123 or name == "semester")
        ]
        if lacking:
            columns = [column for column, _ in lacking]
            hint = (
                f"the file has no {' or '.join(columns)} column, so rows of different "
                f"{' or '.join(rows for _, rows in lacking)} look alike: download the table with "
                f"{' and '.join(columns)} (or for one of them only)"
            )
    said = []
    for p in problems:
        i = index_of.get(p.row) if p.row is not None else None
        split = [c for c in unread if differ is not None and i is not None and bool(differ.at[i, c])]
        if split:
            said.append(replace(p, hint=unread_grouping_hint(split, "download the table without grouping by {it}")))
        else:
            said.append(replace(p, hint=hint) if hint else p)
    return said


def _table210(path: Path, text: pd.DataFrame, rows: list[int], header_line: int) -> tuple[pd.DataFrame, list[Problem]]:
    parsed, labels = parse_columns(path, text, rows, T210_COLUMNS, header_line)
    row_of = pd.Series(rows, index=parsed.index)
    # (as in the count tables: a code that lost its leading zeros is said as that, not as a
    # code of the wrong form by the contract)
    code_problems = dbh_code_problems(path, parsed, row_of, labels)
    if code_problems:
        raise InputError(code_problems)
    for col in ("department_code", "faculty_short_name", "valid_from", "valid_to"):
        if col not in parsed:
            parsed[col] = None
    key = ["institution_code", "department_code", "faculty_code", "valid_from"]
    parsed, warnings = check_duplicates(path, parsed, key, ["faculty_name", "valid_to"], row_of, labels)
    warnings = unread_column_warnings(path, text, labels, passed_over_in(210)) + warnings
    frame = pd.DataFrame(
        {
            "source_file": path.name,
            "source_row": row_of.loc[parsed.index].astype("Int64"),
            "institution_code": parsed["institution_code"].astype("str"),
            "department_code": parsed["department_code"].astype("str"),
            "faculty_code": parsed["faculty_code"].astype("str"),
            "faculty_name": parsed["faculty_name"].astype("str"),
            "faculty_short_name": parsed["faculty_short_name"].astype("str"),
            "valid_from": parsed["valid_from"].astype("str"),
            "valid_to": parsed["valid_to"].astype("str"),
        }
    ).reset_index(drop=True)
    frame = validate(FacultyNames, frame, path, frame["source_row"].tolist(), labels)
    return frame, warnings
