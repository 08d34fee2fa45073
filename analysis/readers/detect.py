"""Which reader reads a file: decided from its content, not its name."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from analysis.errors import InputError, Problem, caused_by_interrupt, file_problem
from analysis.parsing import DecodeError, decode_text, normalise_header
from analysis.readers.base import (
    ReadResult,
    check_not_special,
    first_lines,
    is_xlsx,
    read_bytes,
    read_header,
    read_text,
    read_text_table,
    sheet_notes,
)
from analysis.readers.kinds import KINDS
from analysis.readers.safe_json import load_json

# Header signatures of the text formats other than DBH's (every normalised header in the set
# must be present); DBH exports are recognised by analysis.readers.dbh_tables.csv_kind first.
_SIGNATURES: list[tuple[str, set[str]]] = [
    ("samordna-keyfigures", {"studiekode", "nøkkeltall"}),
    ("samordna-sample", {"studiekode", "forstevalgssokere kvinner pct"}),
    ("sb-respondents", {"studprog kod", "aar"}),
    # the index by either of its own columns the history lacks: with "field_average" deleted it
    # matched the history's signature and was read as the history, exit 0 (a bad-input hunt,
    # 2026-12-03); its reader names a column missing. Not by "respondents": a history or items
    # export with a respondents column would be taken for the index (a second reader)
    ("sb-portal-index", {"sb id", "dimension key", "field average"}),
    ("sb-portal-index", {"sb id", "dimension key", "dimension label portal"}),
    ("sb-portal-items", {"sb id", "dimension key", "item text nb"}),
    ("sb-portal-dbh-facts", {"sb id", "andel kvinner pct"}),
    ("sb-portal-history", {"sb id", "survey year", "dimension key", "value"}),
    ("sb-variables", {"variabel", "sporsmalstekst"}),
    ("shot-indicators", {"indikator", "verdi pct"}),
    ("seed-integration", {"nivå", "institusjon"}),
    ("seed-admission", {"studieprogram"}),
]

SUFFIXES = {".csv", ".txt", ".tsv", ".json", ".xlsx", ".parquet"}

#: Tables in a format the product does not read, and what to do (a note names each one found in
#: a data folder: never left out without a word; given by name, it is refused so).
OTHER_TABLES = {
    ".xls": "save it as .xlsx (Excel: File › Save As › Excel Workbook)",
    ".xlsm": "save it as .xlsx (Excel: File › Save As › Excel Workbook)",
    ".xlsb": "save it as .xlsx (Excel: File › Save As › Excel Workbook)",
    ".ods": "save it as .xlsx or .csv",
    ".numbers": "export it as .xlsx or .csv",
}

#: The first bytes of an OLE2 compound file, as an Excel 97–2003 workbook (.xls) begins.
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")

#: The name of the stream an encrypted Office file keeps its content in, as an OLE2 directory
#: writes it (UTF-16): an .xlsx with a password, or under a sensitivity label that encrypts it,
#: is an OLE2 file, not a zip (MS-OFFCRYPTO 2.3.4).
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _zip_kind(path: Path) -> str:
    """What a zip file is: "xlsx" (a workbook, also one whose zip is broken: its reader says
    why), "ods" (an OpenDocument spreadsheet, known by its "mimetype" member), "docx" (a Word
    document: a table in it copied as it stands) or "zip"."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if any(n.startswith("word/") for n in names):
                return "docx"
            if "mimetype" in names and b"opendocument.spreadsheet" in z.open("mimetype").read(200):
                return "ods"
    except (zipfile.BadZipFile, OSError, ValueError):
        return "xlsx"
    return "zip"


def not_a_table(path: Path, head: bytes) -> Problem | None:
    """The problem of a file that holds no table the product reads, by its first bytes ``head``
    whatever its name ends in, else for a zip by its name (:data:`OTHER_TABLES`): an Excel 97–2003
    workbook or an encrypted one (a second reader, 2026-12-05: it was said to be .xls), an OpenDocument spreadsheet, a zip archive, a web page (an error page saved
    instead of a download), a PDF. Each was "not a table the product knows (… a title row
    above the header?)", a zip "rename the file to end in .xlsx" (a bad-input hunt,
    2026-12-05). None for any other file: a text table named ".xls" (as web pages have offered a
    CSV for Excel) is read by its content, as it was before (a second reader, 2026-12-05)."""
    shown = path.suffix or "(nothing)"

    def problem(value: object, what: str, hint: str) -> Problem:
        return Problem(str(path), None, None, value, what, hint)

    if head.startswith(_OLE2):
        # (the whole file searched: where the OLE2 directory lies is the writer's choice, and a
        # file refused is read once)
        if _ENCRYPTED_PACKAGE in path.read_bytes():
            return problem(
                shown,
                "an encrypted workbook (a password, or a sensitivity label that encrypts it): its content cannot be read",
                "remove the password (Excel: File › Info › Protect Workbook) or the label, or save the table as .csv",
            )
        return problem(shown, "an Excel 97–2003 workbook (.xls), a format that is not read", OTHER_TABLES[".xls"])
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(path)
        if kind == "ods":
            return problem(shown, "an OpenDocument spreadsheet (.ods), a format that is not read", OTHER_TABLES[".ods"])
        if kind == "docx":
            return problem(
                shown, "a Word document, not a table", "copy the table into Excel and save it as .xlsx or .csv"
            )
        if path.suffix.lower() in OTHER_TABLES:
            # (a workbook saved as .xlsb or .xlsm, Numbers' zip: by its name, as only a zip is;
            # a text table named so is read by its content, as it was)
            return problem(path.suffix, "a table in a format that is not read", OTHER_TABLES[path.suffix.lower()])
        if kind == "zip":
            return problem(shown, "a zip archive, not a table", "unzip it and give the table inside")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:14].lower().startswith((b"<!doctype html", b"<html")):
        first = text.splitlines()[0].decode("utf-8", "replace")
        return problem(
            first,
            "a web page (HTML), not a table: an error page of a failed download, or the page saved instead of its table",
            "download the table again (as CSV, or JSON from DBH-API)",
        )
    if head.startswith(b"%PDF-"):
        return problem(shown, "a PDF document, not a table", "download the table itself as CSV or Excel (.xlsx)")
    return None


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
    data = _first_bytes(path, 512)
    if len(data) == 0:
        raise file_problem(path, None, "the file is empty", "export or download the table again")
    other = not_a_table(path, data)
    if other is not None:
        raise InputError([other])
    own = own_output(path)
    if own is not None:
        raise InputError([own])
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
            sheet_header = read_header(path) or []
            known = _header_kind(path, sheet_header)
            near = nearly_known(sheet_header) if known is None else None
            if near is not None:
                # before respondent data: SHoT's "aar" is also the respondents' year
                raise InputError(missing_column_problems(path, _sheet_header_row(path), *near, sheet_header))
            if known is None and not _respondent_header(sheet_header):
                below = _above_the_table(path)
                if below is not None:
                    raise InputError([below])
                # neither a table we know nor respondent data: said as for a CSV (not "studprog_kod
                # is missing", which sent a renamed DBH table's owner looking for survey columns)
                raise _not_known(path, sheet_header, _sheet_header_row(path))
            return known or "sb-respondents"
        return "sb-respondents"
    text = _text_for_kind(path)
    head = text.lstrip()[:1]
    if head in "[{" and head != "":
        if _SAMORDNA_JSON.match(text):
            return "samordna-keyfigures"  # read whole by its reader, which says where it breaks
        try:
            payload = load_json(path, text)  # hostile content is refused, not a traceback
        except json.JSONDecodeError:
            return "dbh-123-json"  # its reader reports where the JSON breaks
        return _json_kind(path, payload)
    header = read_header(path, text)
    if header is None:
        read_text_table(path)  # raises the problem that hides the header
        header = []
    known = _header_kind(path, header)
    if known is not None:
        return known
    below = _above_the_table(path)
    if below is not None:
        raise InputError([below])
    lines = first_lines(text, 1)
    raise _not_known(path, header, lines[0][0] if lines else None)


def table_headers(path: Path) -> list[tuple[str | None, int | None, list[str]]] | None:
    """(sheet, row, header) of each table in ``path`` as kvalitet writes tables: a Parquet file's
    columns (its footer only), each sheet of a workbook, a text file's first line; None for a
    file that cannot be read so (its reader says why) and for JSON (kvalitet writes no table
    as JSON)."""
    try:
        first = _first_bytes(path, 4)
        if first == b"PAR1":
            import pyarrow.parquet as pq

            return [(None, None, pq.read_schema(path).names)]
        if first == b"PK\x03\x04":
            from analysis.readers.xlsx import sheet_headers

            return list(sheet_headers(path))
        text = _head_text(path)
        if text.lstrip()[:1] in ("[", "{"):
            return None
        return [(None, row, cells) for row, _, cells in first_lines(text, 1)]
    except Exception as err:  # a file that cannot be read (pyarrow's errors too): its reader says why
        if caused_by_interrupt(err):
            raise  # a kill during pyarrow's or openpyxl's import: the run stops, it is not ignored
        return None


def own_output(path: Path) -> Problem | None:
    """The problem when ``path`` is a table kvalitet wrote (``flags|integration|survey|wellbeing
    --out``, the report's workbook, ingest's validated Parquet: known by its columns,
    :mod:`analysis.output_tables`) and not raw data: put back in a
    data folder, it was read as the source it resembles and refused with a problem on every row
    (a flags table as the seed's admission table: "unknown level" 20 times). None otherwise,
    and for a file whose header cannot be read (its reader says why)."""
    from analysis.output_tables import output_table

    headers = table_headers(path) or []
    several = len(headers) > 1
    if any(sheet is not None for sheet, _, _ in headers):
        from analysis.readers.xlsx import chosen_sheet

        # with --sheet, the sheet named is the one read: another sheet's table is not this one
        # (a bad-input hunt, 2026-12-04: --sheet Changes of survey --out's workbook was named by
        # its sheet 'Items', the table of results per item)
        wanted = chosen_sheet()
        headers = [h for h in headers if wanted is None or h[0] == wanted]
    for sheet, row, header in headers:
        known = output_table(header)
        if known is None:
            continue
        table, columns = known
        where = f" (sheet '{sheet}')" if sheet is not None and several else ""
        return Problem(
            str(path),
            row,
            None,
            ", ".join(columns),
            f"kvalitet's own output{where}, not raw data: the {table.what} that {table.writer} writes",
            "move it out of the data folder; kvalitet makes it again from the raw files",
        )
    return None


#: Bytes of a text file read for its header, to tell its kind or whether it is an output table (a header of
#: kvalitet's is about 1 KB; a national respondent file is not read whole once more for it).
_HEAD_BYTES = 1 << 16


def _text_for_kind(path: Path) -> str:
    """The text a file's kind is told from: its first :data:`_HEAD_BYTES` where they decode and
    hold its header, else the whole file's text (which raises its decoding problem, as its
    reader would).

    Why not always the whole: a national respondent CSV (300 k rows, 47 MB) was decoded whole
    for its header line, 0.3 s of ``kvalitet survey``, and its reader decodes it again. A file
    whose whole text does not decode (Mac Roman, two encodings pasted together, past the
    head) is refused in the same words by its reader, which decodes it whole
    (:func:`analysis.readers.base.read_text`). JSON is parsed whole."""
    try:
        text = _head_text(path)
    except DecodeError:
        return read_text(path)[0]
    if text.lstrip()[:1] in ("[", "{") or (
        # (a header past the head or cut by it: the whole file says which)
        path.stat().st_size > _HEAD_BYTES and read_header(path, text) is None
    ):
        return read_text(path)[0]
    return text


def _head_text(path: Path) -> str:
    """The text of the first :data:`_HEAD_BYTES` of ``path``, up to the last whole line."""
    head = _first_bytes(path, _HEAD_BYTES + 1)
    if len(head) > _HEAD_BYTES:
        head = head[: head.rfind(b"\n", 0, _HEAD_BYTES) + 1]  # (nothing when no line ends in it)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) and len(head) % 2:
            head += b"\x00"  # UTF-16: the newline's second byte
    return decode_text(head).text if head else ""


def _header_kind(path: Path | None, header: list[str]) -> str | None:
    """The kind a header says a table is: a DBH export (by the query the raw folder's manifest
    names for ``path``, else by its columns), else the first of :data:`_SIGNATURES` it has;
    with ``path`` None, by the header alone."""
    from analysis.readers.dbh_tables import csv_kind

    known = csv_kind(path, header)
    if known is not None:
        return known
    names = {normalise_header(h) for h in header}
    return next((kind for kind, signature in _SIGNATURES if signature <= names), None)


#: At most this many of a kind's columns may be missing from a header said to be that kind's
#: with columns deleted; the columns it has must be at least twice as many as those it lacks.
MOST_MISSING = 2


def missing_columns(kind: str, header: Iterable[object]) -> tuple[list[str], int] | None:
    """The columns the reader of ``kind`` needs (:attr:`Kind.columns`, not those it may do
    without) that ``header`` lacks, as the reader names them, and how many it needs; None where
    the kind does not list its columns."""
    listed = KINDS[kind].columns
    if listed is None:
        return None
    names = {normalise_header(str(h)) for h in header}
    needed = [c for c in listed() if c.required]
    lacking = [c.header for c in needed if not any(s in names for s in c.spellings)]
    return lacking, len(needed)


def nearly_known(header: list) -> tuple[str, list[str]] | None:
    """The kind whose columns ``header`` has but one or two (:data:`MOST_MISSING`), and those it
    lacks; None when no kind's are so nearly there. For a header no kind's signature matches: a
    column a kind is known by was deleted (SHoT's indikator, the portal's sb_id), and "not a
    table the product knows" named neither the kind nor the column (a bad-input hunt,
    2026-12-03). The kind lacking fewest, then having most, is said. (DBH's count tables are
    also known by any one count beside a key, :data:`analysis.readers.dbh_tables.COUNT_SIGNATURES`:
    there a deleted column made the header match another table's signature.)"""
    best: tuple[tuple[int, int], str, list[str]] | None = None
    for kind in KINDS:
        found = missing_columns(kind, header)
        if found is None:
            continue
        lacking, needed = found
        has = needed - len(lacking)
        if not lacking or len(lacking) > MOST_MISSING or has < 2 * len(lacking):
            continue
        rank = (len(lacking), -has)
        if best is None or rank < best[0]:
            best = (rank, kind, lacking)
    return None if best is None else (best[1], best[2])


def missing_column_problems(
    path: Path, row: int | None, kind: str, missing: list[str], header: list, why: str = ""
) -> list[Problem]:
    """One problem for each column of ``kind`` that ``header`` lacks: which kind the other
    columns say the table is (``why``: what else says so), and what to do."""
    what = KINDS[kind].description
    return [
        Problem(
            str(path),
            row,
            column,
            None,
            f"required column is missing: the other columns are those of the kind {kind} ({what}){why}",
            "put the column back as it was, or export the table again; the header row has: "
            + ", ".join(map(str, header)),
        )
        for column in missing
    ]


def empty_column_problems(path: Path, kind: str) -> list[Problem]:
    """One problem for each column the reader of ``kind`` needs filled (:attr:`Kind.columns`,
    required and not nullable) that the header of ``path`` has but that is empty on every one of
    its two or more rows (a nullable column that must be filled in some row,
    :attr:`~analysis.readers.base.Col.filled_somewhere`, is said by its reader beside the file's
    other problems): said on the header line, with the kind the header is. Empty when there
    is none, when the kind does not list its columns, or when the file is no table of text or a
    workbook's (its reader's problems say what is wrong)."""
    listed = KINDS[kind].columns
    if listed is None:
        return []
    try:
        if _first_bytes(path, 4) == b"PAR1":
            return []  # respondent data: not read whole again
        if not is_xlsx(path):
            text, _ = read_text(path)
            if text.lstrip()[:1] in ("[", "{"):
                return []  # JSON has no header line
        table = read_text_table(path)
    except InputError:
        return []
    if len(table.rows) < 2:
        return []  # a row's one missing cell is said on its own row, as "value is missing"
    at = {normalise_header(h): i for i, h in enumerate(table.header)}
    emptied = []
    for col in listed():
        if not col.required or col.nullable:
            continue
        i = next((at[n] for n in col.spellings if n in at), None)
        if i is not None and all(i >= len(row) or not str(row[i] or "").strip() for row in table.rows):
            emptied.append(table.header[i])
    what = KINDS[kind].description
    return [
        Problem(
            str(path),
            table.header_line,
            column,
            None,
            f"required column is empty on every row: the header is that of the kind {kind} ({what})",
            "fill the column in, or export the table again; the header row has: " + ", ".join(map(str, table.header)),
        )
        for column in emptied
    ]


def _not_known(path: Path, header: list, row: int | None) -> InputError:
    """A table the product does not know; said as what it is when it is a DBH table with
    English headers, or a known table with a column deleted (``row``: the header's row)."""
    english = _in_english(path, header, row)
    if english is not None:
        return english
    near = nearly_known(header)
    if near is not None:
        return InputError(missing_column_problems(path, row, *near, header))
    return file_problem(
        path,
        ", ".join(map(str, header[:8])),
        "not a table the product knows (header not recognised; a title row above the header?)",
        "delete any title rows above the header, or give the kind with --kind; known kinds: " + ", ".join(KINDS),
    )


def _in_english(path: Path, header: list, row: int | None, keys: bool = False) -> InputError | None:
    """The one rule for a table in English: a header (``keys``: a DBH-API JSON row's keys) that
    is no table the product knows and reads as DBH's English one
    (:func:`analysis.readers.dbh.english_header`) is said to be one, with what to do; None
    otherwise. Applied wherever the kind comes from (the header, ``--kind`` or the raw folder's
    manifest), so that the advice does not depend on how the reader was chosen."""
    from analysis.readers.dbh import english_header, english_header_problem

    if _header_kind(None, header) is not None or not english_header(header):
        return None
    return InputError([english_header_problem(path, row, header, keys=keys)])


def _english_table(path: Path) -> InputError | None:
    """:func:`_in_english` of the file's own header or JSON keys (a reader given by ``--kind``
    or the manifest failed on it); None when it has none that can be read."""
    try:
        if _first_bytes(path, 4) == b"PAR1":
            return None  # respondent data; its reader names the columns it needs
        if is_xlsx(path):
            from analysis.readers.xlsx import first_rows

            # (its first row only: the sheet is not read whole again after its reader failed)
            top = first_rows(path, 1)
            return _in_english(path, top[0][1], top[0][0]) if top else None
        text, _ = read_text(path)
        if text.lstrip()[:1] in ("[", "{"):
            keys = _json_keys(load_json(path, text))
            return None if keys is None else _in_english(path, keys, None, keys=True)
        lines = first_lines(text, 1)
        return _in_english(path, lines[0][2], lines[0][0]) if lines else None
    except (InputError, ValueError):  # (a JSON decode error is a ValueError)
        return None  # the reader's own problems say what is wrong


def _json_keys(payload: object) -> list[str] | None:
    """The keys of the first data row of a DBH-API-shaped JSON response (after its status
    object, when it has one); None when it has no such row."""
    rows = payload if isinstance(payload, list) else [payload]
    if rows and isinstance(rows[0], dict) and set(rows[0]) == {"status"}:
        rows = rows[1:]
    return [str(k) for k in rows[0]] if rows and isinstance(rows[0], dict) else None


def _sheet_header_row(path: Path) -> int | None:
    from analysis.readers.xlsx import read_sheet

    return read_sheet(path).header_row


#: How many lines with content below the first one are looked at for a header we know.
TITLE_ROWS_LOOKED_AT = 10


def _head_lines(path: Path) -> list[tuple[int, str, list[str]]]:
    """The first :data:`TITLE_ROWS_LOOKED_AT` + 1 lines with content of a delimited text file
    or a workbook's sheet: (row, the line as written, its cells); none for Parquet, JSON or a
    file that cannot be read (its reader says why)."""
    try:
        first = _first_bytes(path, 4)
        if first == b"PAR1":
            return []  # not read whole again only to learn it is no text
        if first == b"PK\x03\x04":
            from analysis.readers.xlsx import first_rows

            # (a workbook's row is shown as its cells with content: it has no line of text)
            return [
                (row, ", ".join(c for c in cells if c), cells)
                for row, cells in first_rows(path, TITLE_ROWS_LOOKED_AT + 1)
            ]
        text, _ = read_text(path)
        if text.lstrip()[:1] in ("[", "{"):
            return []  # JSON has no header row
        return first_lines(text, TITLE_ROWS_LOOKED_AT + 1)
    except InputError:
        return []


#: A year as a pivot table writes it over its columns ("2019", "2019.0" from a workbook).
_YEAR_CELL = re.compile(r"(?:19[89][0-9]|2[01][0-9]{2})(?:\.0)?")


#: A pivot's column or row of sums, as DBH's web statistics and Excel write it.
_SUM_WORDS = {"sum", "total", "totalt", "grand total", "totalsum"}


def pivot_layout(path: Path) -> Problem | None:
    """A table in a pivot layout, as DBH's web statistics (dbh.hkdir.no, "Statistikk") and an
    Excel pivot table export it: the years across the columns (a row of the head with two or
    more cells that are years, right of the first column) in a header of several rows (a row of
    measures in words below it, a year over each of its measures) or beside a "Sum" column.
    None otherwise: a table of one header row with years across it and figures (or cells
    without one, '-') below is the seed's own layout (``seed-admission``:
    Studieprogram;2007;2016;…), read by its kind, with or without title rows above it.

    NOTE: not read. The product reads DBH's flat tables, one column per variable and a row per
    unit and year (the DBH-API's CSV and JSON, ``raw/README.md``); the web pages' layout is
    documented nowhere the product can check (which header rows, which "Sum" cells, how a
    suppressed cell is written there), and a guess at it could read a "Sum" as a unit or a
    suppressed cell as a figure. Said as what it is, with the download that is read."""
    lines = _head_lines(path)
    if not lines or _header_kind(None, lines[0][2]) is not None:
        return None  # a table we know, its header on top (its reader's problems are its own)
    for at, (row, _, cells) in enumerate(lines):
        written = [c.strip().removesuffix(".0") for c in cells[1:] if _YEAR_CELL.fullmatch(c.strip())]
        years = list(dict.fromkeys(written))
        if any(any(ch.isdigit() for ch in c) for c in cells if c.strip() and not _YEAR_CELL.fullmatch(c.strip())):
            continue  # figures beside the years: a row of data, not of headers
        below = lines[at + 1][2][1:] if at + 1 < len(lines) else []
        if len(years) >= 2 and (_header_kind(None, cells) is not None or nearly_known(cells) is not None):
            return None  # a table of ours with years across (Samordna's key figures), a column renamed
        # NOTE: title rows above a row of years are no sign of a pivot: the seed's one-row year
        # header sits under a title as often (said as a title, or as no table we know); nor is a
        # row below without digits ('-' in every cell, blanks): a row of measures is in words
        filled_below = [c for c in below if c.strip()]
        if len(years) >= 2 and (
            len(written) > len(years)  # a year over each of its measures
            or (filled_below and all(any(ch.isalpha() for ch in c) for c in filled_below))  # measures below
            or any(c.strip().casefold() in _SUM_WORDS for c in cells)
        ):
            shown_years = ", ".join(years[:3]) + (", …" if len(years) > 3 else "")
            return Problem(
                str(path),
                row,
                None,
                ", ".join(c for c in cells if c.strip()),
                f"a pivot layout, with the years across the columns ({shown_years}), as DBH's web statistics "
                "(dbh.hkdir.no) and Excel's pivot tables export a table: the product reads flat tables, a column "
                "per variable (Årstall among them) and a row per unit and year",
                "download the table flat from the DBH-API instead: kvalitet fetch --institution CODE writes "
                "tables 123, 210, 347, 457 and 211, kvalitet fetch --table N --group-by VAR… any other",
            )
    return None


def _above_the_table(path: Path) -> Problem | None:
    """What stands above a table's header, when that is why it does not read: a pivot's header
    block (:func:`pivot_layout`; first, as its row of measures is nearly a header we know) or
    title rows (:func:`header_below_title`)."""
    return pivot_layout(path) or header_below_title(path)


def header_below_title(path: Path) -> Problem | None:
    """When the first line with content of a delimited text file or a workbook's sheet is no
    header we know but one of the :data:`TITLE_ROWS_LOOKED_AT` lines below it is (or is one with
    a column renamed or deleted, :func:`nearly_known`: said once the title is gone): the problem
    naming the header's row (an export's "Tabell 1: …", a title typed above the table in Excel,
    or a line of separators above the header). None otherwise."""
    lines = _head_lines(path)
    # by the header alone: the manifest's query names the kind of every line of a raw file
    if not lines or _header_kind(None, lines[0][2]) is not None:
        return None
    for above, (row, _, cells) in enumerate(lines[1:], start=1):
        if _header_kind(None, cells) is not None or nearly_known(cells) is not None:
            first_row, title, _ = lines[0]
            return Problem(
                str(path),
                first_row,
                None,
                title,
                f"the header is on row {row}, below {above} title row{'s' if above > 1 else ''}",
                "delete the rows above the header and run again",
            )
    return None


def _respondent_header(header: list) -> bool:
    """Does a header look like respondent-level survey data: its programme or year key, or an
    item column (institusjonskode and fakultetskode are in DBH's tables too)?"""
    from schemas.survey_layout import PROGRAMME_KEY, YEAR_KEY, item_columns

    names = [str(h).strip().lower() for h in header]
    return bool({PROGRAMME_KEY, YEAR_KEY} & set(names)) or bool(item_columns(names))


def _json_kind(path: Path, payload: object) -> str:
    from analysis.readers.dbh_tables import is_query, json_kind

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
    english = _in_english(path, _json_keys(payload) or [], None, keys=True)
    if english is not None:
        raise english
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
        if kind is not None:  # (detection says it first itself)
            other = not_a_table(path, _first_bytes(path, 512))
            if other is not None:
                raise InputError([other])
            own = own_output(path)
            if own is not None:
                raise InputError([own])
        # outside the try: detection names a title row itself
        read_as = kind or detect_kind(path)
        try:
            result = KINDS[read_as].read(path)
        except InputError as err:
            # Title rows above the header give a pile of "row has 7 fields" or "column missing"
            # problems (with --kind, or when the manifest's query named the kind): say the cause.
            below = _above_the_table(path)
            if below is not None:
                raise InputError([below]) from None
            # a table in English, read as the kind --kind or the manifest names: its "column
            # missing" problems would send the adviser looking for columns that are there
            english = _english_table(path)
            if english is not None:
                raise english from None
            # a required column emptied on every row: one problem on the header line, naming
            # the kind the header is and the column, not a "value is missing" on every row or a
            # reader's guess that the keys left say another kind (a bad-input hunt, 2026-12-04:
            # the time series with survey_year emptied was said to be the items file lacking
            # item_text_nb)
            emptied = empty_column_problems(path, read_as)
            if emptied:
                raise InputError(emptied) from None
            if kind is None:
                raise
            # A wrong --kind gives a pile of "column missing" problems; say first what the file is.
            detected = _detect_quietly(path)
            if detected is not None and detected != kind:
                raise InputError([_wrong_kind(path, kind, detected), *err.problems]) from None
            raise
        if kind is not None and kind != result.kind:
            raise InputError([_wrong_kind(path, kind, result.kind)])
        # which of the count tables' layout it is: said by --kind, else not told and refused
        from analysis.readers.dbh_tables import COUNT_TABLE_UNKNOWN

        untold = [w for w in result.warnings if w.message.startswith(COUNT_TABLE_UNKNOWN)]
        if untold and kind is None:
            raise InputError(untold)
        result.warnings = [w for w in result.warnings if w not in untold]
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
