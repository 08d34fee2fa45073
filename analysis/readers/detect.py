"""Which reader reads a file: decided from its content, not its name."""

from __future__ import annotations

import json
import re
from pathlib import Path

from analysis.errors import InputError, Problem, file_problem
from analysis.parsing import normalise_header
from analysis.readers.base import (
    ReadResult,
    check_not_special,
    read_bytes,
    read_header,
    read_text,
    read_text_table,
    sheet_notes,
)
from analysis.readers.kinds import KINDS
from analysis.readers.safe_json import load_json

# Header signatures of the text formats other than DBH's (every normalised header in the set
# must be present); DBH exports are recognised by analysis.readers.dbh.csv_kind first.
_SIGNATURES: list[tuple[str, set[str]]] = [
    ("samordna-keyfigures", {"studiekode", "nøkkeltall"}),
    ("samordna-sample", {"studiekode", "forstevalgssokere kvinner pct"}),
    ("sb-respondents", {"studprog kod", "aar"}),
    ("sb-portal-index", {"sb id", "dimension key", "field average"}),
    ("sb-portal-items", {"sb id", "dimension key", "item text nb"}),
    ("sb-portal-dbh-facts", {"sb id", "andel kvinner pct"}),
    ("sb-portal-history", {"sb id", "survey year", "dimension key", "value"}),
    ("sb-variables", {"variabel", "sporsmalstekst"}),
    ("shot-indicators", {"indikator", "verdi pct"}),
    ("seed-integration", {"nivå", "institusjon"}),
    ("seed-admission", {"studieprogram"}),
]

SUFFIXES = {".csv", ".txt", ".tsv", ".json", ".xlsx", ".parquet"}

# Samordna opptak's søkertall table as a JSON list: its first record has a "Nøkkeltall" (key
# figure) beside "Institusjon", "Studie- kode", … and the years.
_SAMORDNA_JSON = re.compile(r'[\s\ufeff]*\[\s*\{[^{}]*"N(?:ø|\\u00f8)kkeltall"\s*:', re.IGNORECASE)


def _first_bytes(path: Path, count: int) -> bytes:
    """The file's first bytes (a national Parquet file is not read whole to learn its kind)."""
    check_not_special(path)  # a FIFO or device is refused before it is opened
    try:
        with Path(path).open("rb") as fh:
            return fh.read(count)
    except OSError:
        return read_bytes(path)[:count]  # raises the clear error (missing, folder, permission)


def detect_kind(path: Path) -> str:
    """The kind of ``path`` from its content; an :class:`InputError` when it is none we read."""
    data = _first_bytes(path, 4)
    if len(data) == 0:
        raise file_problem(path, None, "the file is empty", "export or download the table again")
    if data[:4] == b"PAR1" or data[:4] == b"PK\x03\x04":
        # Parquet and XLSX are only used for respondent-level survey data.
        wanted = ".parquet" if data[:4] == b"PAR1" else ".xlsx"
        if path.suffix.lower() != wanted:
            raise file_problem(
                path,
                path.suffix,
                f"the content is a {wanted[1:]} file but the name ends in {path.suffix or '(nothing)'}",
                f"rename the file to end in {wanted}, or export the table as CSV",
            )
        if wanted == ".xlsx":
            # a table saved from Excel is any of the tables we read: known by its header, as a
            # CSV is; a header we do not know is read as respondent data, whose reader says
            # which columns it needs
            from analysis.readers.dbh import csv_kind

            sheet_header = read_header(path) or []
            known = csv_kind(path, sheet_header)
            if known is None:
                names = {normalise_header(h) for h in sheet_header}
                known = next((kind for kind, signature in _SIGNATURES if signature <= names), None)
            if known is None and not _respondent_header(sheet_header):
                # neither a table we know nor respondent data: said as for a CSV (not "studprog_kod
                # is missing", which sent a renamed DBH table's owner looking for survey columns)
                raise file_problem(
                    path,
                    ", ".join(map(str, sheet_header[:8])),
                    "not a table the product knows (header not recognised; a title row above the header?)",
                    "delete any title rows above the header, or give the kind with --kind; known kinds: "
                    + ", ".join(KINDS),
                )
            return known or "sb-respondents"
        return "sb-respondents"
    text, _ = read_text(path)
    head = text.lstrip()[:1]
    if head in "[{" and head != "":
        if _SAMORDNA_JSON.match(text):
            return "samordna-keyfigures"  # read whole by its reader, which says where it breaks
        try:
            payload = load_json(path, text)  # hostile content is refused, not a traceback
        except json.JSONDecodeError:
            return "dbh-123-json"  # its reader reports where the JSON breaks
        return _json_kind(path, payload)
    from analysis.readers.dbh import csv_kind

    header = read_header(path)
    if header is None:
        read_text_table(path)  # raises the problem that hides the header
        header = []
    dbh = csv_kind(path, header)
    if dbh is not None:
        return dbh
    headers = {normalise_header(h) for h in header}
    for kind, signature in _SIGNATURES:
        if signature <= headers:
            return kind
    raise file_problem(
        path,
        ", ".join(header[:8]),
        "not a table the product knows (header not recognised)",
        "give the kind with --kind; known kinds: " + ", ".join(KINDS),
    )


def _respondent_header(header: list) -> bool:
    """Does a header look like respondent-level survey data: its programme or year key, or an
    item column (institusjonskode and fakultetskode are in DBH's tables too)?"""
    from schemas.survey_layout import PROGRAMME_KEY, YEAR_KEY, item_columns

    names = [str(h).strip().lower() for h in header]
    return bool({PROGRAMME_KEY, YEAR_KEY} & set(names)) or bool(item_columns(names))


def _json_kind(path: Path, payload: object) -> str:
    from analysis.readers.dbh import json_kind
    from analysis.readers.dbh_query import is_query

    if is_query(payload):
        return "dbh-query"
    kind = json_kind(path, payload)
    if kind is not None:
        return kind
    first = payload[0] if isinstance(payload, list) and payload else payload
    rows = payload if isinstance(payload, list) else []
    keys = set(rows[0]) if rows and isinstance(rows[0], dict) else set()
    if {"studiekode", "nøkkeltall"} <= {normalise_header(k) for k in keys}:
        return "samordna-keyfigures"
    shown = ", ".join(map(str, list(first)[:6])) if isinstance(first, dict) else json.dumps(first)[:40]
    raise file_problem(
        path,
        shown,
        "JSON that is neither a DBH-API table response nor Samordna opptak's søkertall",
        "download the table with hentJSONTabellData, or Samordna's søkertall as JSON",
    )


def read_path(path: Path | str, kind: str | None = None) -> ReadResult:
    """Read and validate one file; detect its kind unless given."""
    path = Path(path)
    if kind is not None and kind not in KINDS:
        raise InputError([file_problem(path, kind, "unknown kind", "use one of: " + ", ".join(KINDS)).problems[0]])
    with sheet_notes() as notes:
        if kind is None:
            result = KINDS[detect_kind(path)].read(path)
        else:
            try:
                result = KINDS[kind].read(path)
            except InputError as err:
                # A wrong --kind gives a pile of "column missing" problems; say first what the file is.
                detected = _detect_quietly(path)
                if detected is not None and detected != kind:
                    raise InputError([_wrong_kind(path, kind, detected), *err.problems]) from None
                raise
            if kind != result.kind:
                raise InputError([_wrong_kind(path, kind, result.kind)])
    result.warnings[:0] = [n for n in notes if n not in result.warnings]
    return result


def _detect_quietly(path: Path) -> str | None:
    try:
        return detect_kind(path)
    except InputError:
        return None


def _wrong_kind(path: Path, kind: str, detected: str) -> Problem:
    return Problem(
        str(path),
        None,
        None,
        kind,
        f"--kind {kind} does not fit this file: it reads as {detected}",
        f"leave --kind out to detect the kind, or give --kind {detected}",
    )
