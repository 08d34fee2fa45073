"""DBH-API query bodies: what a downloaded table was asked for.

A table's rows do not say everything about what they count. A response grouped by
``Årstall × Avdelingskode`` has no Semester column: it counts one semester if the query
filtered on one, and all semesters added together if it did not. The query says which. It is
kept with the raw file's provenance (``data/raw/MANIFEST.json``: the entry's ``query``, the
POST body as sent) or, for an export copied from elsewhere, as a JSON file of its own next to
the export (read here as the kind ``dbh-query``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.errors import InputError, Problem, file_problem
from analysis.readers.base import ReadResult, read_text, validate
from analysis.readers.dbh_tables import is_query
from analysis.readers.safe_json import load_json
from schemas.common import SEMESTER_CODES, STUDENT_CATEGORIES
from schemas.gender import DbhQueries

#: What a measure's semester or category is called when the source added every value
#: together, or when the file does not say and its query is not known.
ALL = "all"
UNSTATED = "unstated"
#: Between the values a query kept of several, not all (student categories "P+S": those added)
JOINED = "+"


def read_dbh_query(path: Path) -> ReadResult:
    """A query body saved as a file: checked, and described in one row (table, grouping, filters)."""
    text, _ = read_text(path)
    try:
        body = load_json(path, text)
    except json.JSONDecodeError as err:
        raise file_problem(
            path, text[max(0, err.pos - 20) : err.pos + 20], f"not valid JSON: {err.msg}", "save the query body again"
        ) from None
    if not is_query(body):
        raise file_problem(
            path,
            ", ".join(map(str, body)) if isinstance(body, dict) else type(body).__name__,
            "not a DBH-API query body (tabell_id, api_versjon, filter …)",
            "save the body that was POSTed to hentJSONTabellData or hentCSVTabellData",
        )
    problems = _body_problems(path, body)
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(
        {
            "source_file": [path.name],
            "source_row": [1],
            "table_id": [int(body["tabell_id"])],
            "group_by": ["; ".join(map(str, body.get("groupBy") or [])) or None],
            "filters": [json.dumps(body.get("filter") or [], ensure_ascii=False)],
        }
    )
    frame = validate(DbhQueries, frame, path, [1])
    return ReadResult(
        path,
        "dbh-query",
        "dbh_queries",
        frame,
        [],
        {"table": int(body["tabell_id"]), "note": "provenance of the export next to it"},
    )


def _body_problems(path: Path, body: dict) -> list[Problem]:
    problems = []
    try:
        int(body["tabell_id"])
    except (TypeError, ValueError):
        problems.append(
            Problem(
                str(path),
                None,
                "tabell_id",
                body["tabell_id"],
                "the table id is not a number",
                "save the query body again",
            )
        )
    for key in ("groupBy", "sortBy", "variabler"):
        if key in body and not isinstance(body[key], list):
            problems.append(
                Problem(
                    str(path), None, key, body[key], "must be a list of variable names", "save the query body again"
                )
            )
    filters = body.get("filter", [])
    if not isinstance(filters, list):
        problems.append(
            Problem(str(path), None, "filter", filters, "must be a list of filters", "save the query body again")
        )
        return problems
    for i, f in enumerate(filters, start=1):
        ok = isinstance(f, dict) and isinstance(f.get("variabel"), str) and isinstance(f.get("selection"), dict)
        if not ok:
            problems.append(
                Problem(
                    str(path),
                    i,
                    "filter",
                    json.dumps(f, ensure_ascii=False),
                    "a filter is {variabel, selection: {filter, values}}",
                    "save the query body again",
                )
            )
    return problems


# --- What a raw file's query selected (the query itself: analysis.readers.dbh_tables.query_for) ---


def _selection(query: dict | None, variable: str) -> dict | None:
    for f in (query or {}).get("filter") or []:
        if isinstance(f, dict) and str(f.get("variabel", "")).casefold() == variable.casefold():
            selection = f.get("selection")
            return selection if isinstance(selection, dict) else None
    return None


def selected(query: dict | None, variable: str, known: list[str]) -> list[str] | None:
    """The values of ``variable`` (among ``known``) that the query kept, or None when it did
    not filter on it (DBH then adds every value together). An unreadable selection: ``[]``."""
    selection = _selection(query, variable)
    if selection is None:
        return None
    kind = str(selection.get("filter", "")).casefold()
    values = [str(v).strip().upper() for v in selection.get("values") or [] if str(v).strip()]
    excluded = {str(v).strip().upper() for v in selection.get("exclude") or [] if str(v).strip()}
    upper = [k.upper() for k in known]
    if kind == "all":
        kept = [k for k in upper if k not in excluded]
    elif kind == "item":
        kept = [k for k in upper if k in values and k not in excluded]
    elif kind == "between" and len(values) == 2:
        low, high = sorted(values)
        kept = [k for k in upper if low <= k <= high and k not in excluded]
    else:
        return []
    return kept


def _described(kept: list[str] | None, known: dict[str, str], query: dict | None) -> str:
    if query is None:
        return UNSTATED
    if kept is None or len(kept) == len(known):
        return ALL
    if not kept:
        return UNSTATED
    return JOINED.join(known[k] for k in sorted(kept))


def semester_from_query(query: dict | None) -> str:
    """The semester a file without a Semester column counts: one semester (``autumn``), the
    ones the query kept joined by "+", ``all`` when it kept every semester, ``unstated`` when
    the query is not known."""
    return _described(selected(query, "Semester", list(SEMESTER_CODES)), SEMESTER_CODES, query)


def category_from_query(query: dict | None) -> str:
    """The student category a file without a Studentkategori column counts (as for semesters)."""
    codes = {c: c for c in STUDENT_CATEGORIES}
    return _described(selected(query, "Studentkategori", list(STUDENT_CATEGORIES)), codes, query)


def institution_from_query(query: dict | None) -> str | None:
    """The one institution a query was filtered on, if it names exactly one."""
    selection = _selection(query, "Institusjonskode")
    if selection is None or str(selection.get("filter", "")).casefold() != "item":
        return None
    values = [str(v).strip() for v in selection.get("values") or [] if str(v).strip()]
    return values[0] if len(values) == 1 else None
