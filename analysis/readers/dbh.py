"""DBH-API tables 123 (registered students) and 210 (department -> faculty), JSON and CSV.

``hentJSONTabellData`` with ``statuslinje`` returns a list whose first element is a status
object (``tabell_id``, ``antall``, ``returkode``, ``melding``) followed by one object per row,
every value a string. ``hentCSVTabellData`` returns the same rows semicolon-separated.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from analysis.errors import InputError, Problem, file_problem
from analysis.parsing import normalise_header, parse_count, parse_year
from analysis.readers.base import (
    Col,
    ReadResult,
    check_duplicates,
    parse_columns,
    read_text,
    read_text_table,
    validate,
)
from analysis.readers.safe_json import load_json
from schemas.gender import FacultyNames, GenderObservations

#: Columns of table 123 as DBH names them; Institusjonskode and Studieprogramkode appear when
#: the query groups by them.
T123_COLUMNS = [
    Col("institution_code", "Institusjonskode", required=False),
    Col("year", "Årstall", parse_year),
    Col("department_code", "Avdelingskode"),
    Col("programme_code", "Studieprogramkode", required=False),
    Col("total", "Antall totalt", parse_count),
    Col("women", "Antall kvinner", parse_count),
    Col("men", "Antall menn", parse_count),
]

T210_COLUMNS = [
    Col("institution_code", "Institusjonskode"),
    Col("department_code", "Avdelingskode", required=False),
    Col("faculty_code", "Fakultetskode"),
    Col("faculty_name", "Fakultetsnavn"),
    Col("faculty_short_name", "Kortnavn_uoffisielt", required=False, nullable=True),
    Col("valid_from", "Gyldig fra", required=False, nullable=True),
    Col("valid_to", "Gyldig til", required=False, nullable=True, aliases=("Gyldig_til",)),
]

_ERROR_WORDS = re.compile(r"\b(feil|error|ugyldig|invalid|mangler|ikke tilgang|unauthori[sz]ed)\b", re.I)
_INSTITUTION_IN_NAME = re.compile(r"(?<!\d)(\d{4})(?!\d)")


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
        end = text.rstrip()
        cut = err.pos >= len(end) - 1 or not end.endswith(("]", "}"))
        row, column = _json_error_place(text, err.pos)
        where = f" (line {err.lineno}, character {err.colno} of the file)"
        raise InputError([Problem(
            str(path), row, column, snippet,
            ("the JSON ends too early (truncated download)" if cut else f"not valid JSON: {err.msg}") + where,
            "download the table again from DBH-API (hentJSONTabellData)")]) from None
    if isinstance(data, dict) and "status" in data:
        data = [data]
    if not isinstance(data, list):
        raise file_problem(path, type(data).__name__, "a DBH-API JSON response is a list of rows",
                           "download the table again with hentJSONTabellData")
    status = None
    rows = data
    if data and isinstance(data[0], dict) and set(data[0]) == {"status"}:
        status, rows = data[0]["status"], data[1:]
        problems = _status_problems(path, status, len(rows))
        if problems:
            raise InputError(problems)
    if not rows:
        raise InputError([Problem(str(path), None, "status.antall", status.get("antall") if status else 0,
                                  "the response has no data rows",
                                  "check the query's filter (institution, years) and download again")])
    bad = [i for i, r in enumerate(rows, start=1) if not isinstance(r, dict)]
    if bad:
        raise InputError([Problem(str(path), i, None, rows[i - 1], "a data row must be a JSON object",
                                  "download the table again") for i in bad[:20]])
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
        return [Problem(str(path), None, "status", status, "the status object is not an object",
                        "download the table again")]
    problems = []
    code = status.get("returkode", 0)
    message = str(status.get("melding", ""))
    if code not in (0, "0"):
        problems.append(Problem(str(path), None, "status.returkode", code,
                                f"DBH-API reports an error: {message or 'no message'}",
                                "fix the query (table id, filter, variables) and download again"))
    elif _ERROR_WORDS.search(message) and "levert" not in message.lower():
        problems.append(Problem(str(path), None, "status.melding", message,
                                "DBH-API reports an error", "fix the query and download again"))
    if "antall" in status:
        try:
            antall = int(status["antall"])
        except (TypeError, ValueError):
            antall = None
        if antall != n_rows:
            problems.append(Problem(
                str(path), None, "status.antall", status["antall"],
                f"the status says {status['antall']} rows but the file has {n_rows}",
                "the download is incomplete or was edited: download the table again"))
    return problems


def _rows_frame(path: Path, rows: list[dict]) -> pd.DataFrame:
    """Data rows as a frame of text, in the order of the first row's keys."""
    columns: list[str] = []
    for r in rows:
        for k in r:
            if k not in columns:
                columns.append(k)
    problems = []
    records = []
    for i, r in enumerate(rows, start=1):
        rec = []
        for c in columns:
            v = r.get(c)
            if v is None:
                problems.append(Problem(str(path), i, c, None, "value is missing",
                                        "download the table again"))
                rec.append("")
            elif isinstance(v, (dict, list)):
                problems.append(Problem(str(path), i, c, json.dumps(v, ensure_ascii=False),
                                        "expected a single value", "download the table again"))
                rec.append("")
            else:
                # DBH-API delivers every value as a string; a number here is read as its text.
                rec.append(v if isinstance(v, str) else json.dumps(v))
        records.append(rec)
    if problems:
        raise InputError(problems)
    return pd.DataFrame(records, columns=columns, dtype=object)


def table_id(status: dict | None, columns) -> int | None:
    if status and "tabell_id" in status:
        try:
            return int(status["tabell_id"])
        except (TypeError, ValueError):
            return None
    # matched like every header: ignoring case, spacing and hyphenation
    cols = {normalise_header(c) for c in columns}
    if {"antall kvinner", "antall totalt", "avdelingskode"} <= cols:
        return 123
    if {"fakultetskode", "fakultetsnavn"} <= cols:
        return 210
    return None


def read_dbh_json(path: Path) -> ReadResult:
    status, rows = load_dbh_json(path)
    df = _rows_frame(path, rows)
    tid = table_id(status, df.columns)
    numbers = list(range(1, len(df) + 1))
    notes = {"status": status["melding"] if status else "no status object (statuslinje off)"}
    if tid == 123:
        frame, warnings = _table123(path, df, numbers, "dbh-123-json")
        return ReadResult(path, "dbh-123-json", "gender", frame, warnings, notes)
    if tid == 210:
        frame, warnings = _table210(path, df, numbers)
        return ReadResult(path, "dbh-210-json", "faculties", frame, warnings, notes)
    raise file_problem(path, tid, "this DBH table is not one the product reads",
                       "download table 123 (registered students) or 210 (faculties)")


# --- CSV -----------------------------------------------------------------------------------


def read_dbh_csv(path: Path) -> ReadResult:
    table = read_text_table(path)
    df = table.frame()
    tid = table_id(None, df.columns)
    notes = {"encoding": table.encoding, "delimiter": table.delimiter}
    if tid == 123:
        frame, warnings = _table123(path, df, table.lines, "dbh-123-csv")
        return ReadResult(path, "dbh-123-csv", "gender", frame, warnings, notes)
    frame, warnings = _table210(path, df, table.lines)
    return ReadResult(path, "dbh-210-csv", "faculties", frame, warnings, notes)


# --- shared table logic --------------------------------------------------------------------


def _institution_from_name(path: Path) -> str | None:
    """DBH rows of a one-institution query carry no institution code; the file name usually
    does (``dbh_api_t123_1150.json``)."""
    # NOTE: names often carry years too (``…_1150_host_2019_2025``): a year is not a code.
    found = [code for code in _INSTITUTION_IN_NAME.findall(path.stem) if not 1990 <= int(code) <= 2100]
    return found[0] if found else None


def _table123(path: Path, text: pd.DataFrame, rows: list[int], kind: str) -> tuple[pd.DataFrame, list[Problem]]:
    parsed, labels = parse_columns(path, text, rows, T123_COLUMNS)
    row_of = pd.Series(rows, index=parsed.index)
    problems = []
    for i in parsed.index:
        code = parsed.at[i, "department_code"]
        if not re.fullmatch(r"\d{6}", code):
            problems.append(Problem(str(path), int(row_of[i]), labels["department_code"], code,
                                    "Avdelingskode must be six digits",
                                    "keep codes as text so leading zeros stay (000000)"))
    if "institution_code" in parsed:
        for i in parsed.index:
            code = parsed.at[i, "institution_code"]
            if not re.fullmatch(r"\d{4}", code):
                problems.append(Problem(str(path), int(row_of[i]), labels["institution_code"], code,
                                        "Institusjonskode must be four digits",
                                        "keep codes as text so leading zeros stay"))
    if problems:
        raise InputError(problems)
    if "institution_code" not in parsed:
        parsed["institution_code"] = _institution_from_name(path)
    has_programme = "programme_code" in parsed
    key = ["institution_code", "department_code", "year"] + (["programme_code"] if has_programme else [])
    parsed, warnings = check_duplicates(path, parsed, key, ["total", "women", "men"], row_of, labels)
    row_of = row_of.loc[parsed.index]

    total = parsed["total"].astype("Int64")
    women = parsed["women"].astype("Int64")
    men = parsed["men"].astype("Int64")
    # NOTE: without a token DBH masks small cells by returning kvinner = menn = 0 while totalt > 0.
    # Those women and men are unknown, never zero.
    suppressed = (women == 0) & (men == 0) & (total > 0)
    women = women.mask(suppressed)
    men = men.mask(suppressed)
    mismatch = ~suppressed & (women + men != total) & (women <= total) & (men <= total)
    for i in parsed.index[mismatch.fillna(False).to_numpy(bool)]:
        warnings.append(Problem(str(path), int(row_of[i]), f"{labels['women']}+{labels['men']}",
                                f"{women[i]}+{men[i]}",
                                f"women + men is not the total {total[i]}",
                                "the counts are read as given; check the export if this is unexpected"))
    frame = pd.DataFrame({
        "source_kind": kind,
        "source_file": path.name,
        "source_row": row_of.astype("Int64"),
        "institution_code": parsed["institution_code"],
        "institution_name": pd.Series(pd.NA, index=parsed.index, dtype="str"),
        "level": "programme" if has_programme else "department",
        "unit_code": parsed["programme_code"] if has_programme else parsed["department_code"],
        "unit_name": pd.Series(pd.NA, index=parsed.index, dtype="str"),
        "faculty_code": parsed["department_code"].str[:3],
        "year": parsed["year"].astype("Int64"),
        "measure": "registered",
        "total": total,
        "women": women,
        "men": men,
        "share_women_given_pct": pd.Series(pd.NA, index=parsed.index, dtype="Float64"),
        "suppressed": suppressed.astype(bool),
    })
    if has_programme:
        frame["department_code"] = parsed["department_code"]
    labels_out = {**labels, "unit_code": labels.get("programme_code" if has_programme else "department_code")}
    frame = validate(GenderObservations, frame.reset_index(drop=True), path,
                     frame["source_row"].tolist(), labels_out)
    return frame, warnings


def _table210(path: Path, text: pd.DataFrame, rows: list[int]) -> tuple[pd.DataFrame, list[Problem]]:
    parsed, labels = parse_columns(path, text, rows, T210_COLUMNS)
    row_of = pd.Series(rows, index=parsed.index)
    for col in ("department_code", "faculty_short_name", "valid_from", "valid_to"):
        if col not in parsed:
            parsed[col] = None
    key = ["institution_code", "department_code", "faculty_code", "valid_from"]
    parsed, warnings = check_duplicates(path, parsed, key, ["faculty_name", "valid_to"], row_of, labels)
    frame = pd.DataFrame({
        "source_file": path.name,
        "source_row": row_of.loc[parsed.index].astype("Int64"),
        "institution_code": parsed["institution_code"].astype("str"),
        "department_code": parsed["department_code"].astype("str"),
        "faculty_code": parsed["faculty_code"].astype("str"),
        "faculty_name": parsed["faculty_name"].astype("str"),
        "faculty_short_name": parsed["faculty_short_name"].astype("str"),
        "valid_from": parsed["valid_from"].astype("str"),
        "valid_to": parsed["valid_to"].astype("str"),
    }).reset_index(drop=True)
    frame = validate(FacultyNames, frame, path, frame["source_row"].tolist(), labels)
    return frame, warnings
