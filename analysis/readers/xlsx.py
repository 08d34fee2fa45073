"""Reading one table from an Excel workbook (.xlsx) without losing rows, sheets or formulas.

* **Every row**, whatever the stored ``<dimension>`` says: a program that wrote a stale
  dimension (``A1:C6`` over 21 rows) would otherwise make a streaming reader stop early.
* **Which sheet**: the one visible sheet with data. Hidden sheets are skipped with a note. When
  several visible sheets hold data the workbook is refused with their names and sizes, and the
  person chooses with ``--sheet NAME`` (any command that reads files); a named sheet is read
  even when hidden.
* **Hidden rows and columns** (a filter in Excel, or hidden by hand) are read like the others,
  with a note: hiding is a view, not a change of the table, and the person is told.
* **Values Excel made something else of** (the three below) are refused once per column, in
  the columns a reader reads (:attr:`Sheet.converted`); a column no reader reads (an adviser's
  helper column beside the table) is read with the warning of a column not read.
* **Dates among other values**: a column where some cells are dates and others are not is
  refused, once per column at its first date: Excel turned what was typed or opened into a date
  (a code 1-2 as 2 January; with Norwegian settings a share 21.8 as 21 August). No table the
  readers take holds such a mix, and a date read as text was a silent wrong code or name. So
  is a column of years with a date format (2019 shown as 11.07.1905). A column of dates only
  (DBH 347's approval date) is read as before.
* **Numbers in scientific notation** (format 0.00E+00) are refused once per column: Excel
  makes one of a code typed or opened as 1E5 (the number 100000).
* **Codes shown with their leading zeros** by a number format of zeros (``000000``: the number
  0 shown as 000000) are read as shown: it is how an adviser gives back the zeros Excel took
  from DBH's codes. Without such a format a code that lost its zeros is refused, as in a CSV.
* **Error values** (#N/A, #REF!, #DIV/0!) are refused once per column: read as text they were
  a code or a name.
* **Formulas**: a formula cell is read by its saved (cached) value. A formula without a saved
  value (the file was written by a program that does not calculate) is an error naming the
  cell, never a blank answer.
* A workbook that cannot be opened, or whose content would unpack to more than
  :data:`MAX_UNPACKED_BYTES`, is refused with a clear message.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import InputError, Problem, caused_by_interrupt, file_problem
from analysis.parsing import YEARS_AS_DATES_HINT, excel_day, strip_cell
from analysis.readers.table_shape import cells_of_column, column_names, empty_last_columns, few_ragged, once_per_column

#: Larger unpacked content is not a survey export (and protects against a zip bomb).
MAX_UNPACKED_BYTES = 4 * 1024**3
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")

_chosen: str | None = None


@contextmanager
def sheet_choice(name: str | None) -> Iterator[None]:
    """Within the block, workbooks are read from the sheet ``name`` (``--sheet``); None: the
    only visible sheet with data."""
    global _chosen
    before, _chosen = _chosen, name
    try:
        yield
    finally:
        _chosen = before


@dataclass
class Sheet:
    """A worksheet's table: the header (first non-empty row) and the data rows as values, each
    with its row number in the spreadsheet; empty rows are left out."""

    title: str
    header: list[str]
    rows: list[tuple]
    row_numbers: list[int]
    notes: list[Problem] = field(default_factory=list)
    #: a value in a column without a header, one problem per row: left out of ``rows``, so a
    #: reader of the table raises them (as a CSV row with too many fields is an error); the
    #: header alone is read without them (a title row above the header says what it is)
    beyond_header: list[Problem] = field(default_factory=list)
    #: the row number of the header in the spreadsheet (its first row with content)
    header_row: int | None = None
    #: cells of the table merged in Excel (a value shown over several rows or columns that only
    #: the first cell holds): one problem per merge, raised with the values beyond the header
    merged: list[Problem] = field(default_factory=list)
    #: values Excel turned into something else, one problem per column, naming it: dates among
    #: other values, error values, numbers in scientific notation. Wrong data only in a column
    #: that is read: a reader of a table raises those of the columns it reads
    #: (:func:`analysis.readers.base.converted_problems`), and an adviser's helper column beside
    #: the table (a lookup giving #N/A) is read as a column the product does not read
    converted: list[Problem] = field(default_factory=list)

    def check_layout(self) -> None:
        """The table as Excel kept it: no value beyond the header, no merged cells in its rows."""
        if self.beyond_header or self.merged:
            raise InputError(self.merged + few_ragged(self.beyond_header))

    def check_table(self) -> None:
        """:meth:`check_layout`, and no value Excel turned into something else in any column
        (for a reader that reads every column)."""
        self.check_layout()
        if self.converted:
            raise InputError(self.converted)


def _is_empty(values: tuple) -> bool:
    return all(v is None or (isinstance(v, str) and v.strip() == "") for v in values)


def _unreadable(path: Path, err: Exception) -> InputError:
    return file_problem(
        path,
        None,
        f"cannot be read as an Excel workbook ({type(err).__name__}: {err})",
        "save it again as .xlsx from Excel",
    )


@contextmanager
def _parsing(path: Path) -> Iterator[None]:
    """Within the block, any failure of openpyxl is a broken workbook (:func:`_unreadable`),
    except an interrupt Python wrapped while a class was built (openpyxl and lxml load parts on
    first use): that is passed on, and the run ends as interrupted, not with a broken file."""
    try:
        yield
    except InputError:
        raise
    except Exception as err:  # any failure of the parser is a broken file
        if caused_by_interrupt(err):
            raise
        raise _unreadable(path, err) from None


def _open(path: Path, data_only: bool):
    import openpyxl

    with _parsing(path):
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)


def _check_size(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise _unreadable(path, err) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise file_problem(
            path,
            f"{unpacked / 1024**3:.1f} GB unpacked",
            "the workbook unpacks to more than a survey export can hold",
            "export the data as CSV or Parquet",
        )


def _rows(ws) -> Iterator[tuple[int, tuple]]:
    ws.reset_dimensions()  # NOTE: never trust the stored <dimension>: read to the last row
    yield from enumerate(ws.iter_rows(values_only=True), start=1)


def _shown_rows(ws) -> Iterator[tuple[int, tuple, tuple[tuple[int, str], ...]]]:
    """The rows as :func:`_rows` gives them, except that a number shown as a percentage (its
    format has ``%``: 0.13 shown as "13 %") is the text a person sees, with every digit kept
    ("13 %", "13.33333 %") and at least the decimals its format shows (0.28 in the format
    0.0 % is "28.0 %", as Excel shows it and a CSV saved from it writes it: a share written with
    one decimal, :func:`analysis.parsing.decimals_written`): a share column then reads 13 %, not
    0.13 %. With each row, the
    position of each cell Excel made something else of, and what: ``"scientific"`` (a number
    shown in scientific notation, see :func:`_is_scientific`) or ``"error"`` (#N/A, #REF!, …)."""
    ws.reset_dimensions()
    for number, cells in enumerate(ws.iter_rows(), start=1):
        values = _unescaped_row(tuple(getattr(cell, "value", None) for cell in cells))
        if any(_is_percent(cell) for cell in cells):
            values = tuple(
                _percent_text(cell.value, _shown_decimals(cell)) if _is_percent(cell) else v
                for cell, v in zip(cells, values)
            )
        padded = [_padded_text(cell) for cell in cells]
        if any(text is not None for text in padded):
            values = tuple(v if text is None else text for v, text in zip(values, padded))
        marks = tuple(
            (i, "error" if getattr(cell, "data_type", None) == "e" else "scientific")
            for i, cell in enumerate(cells)
            if getattr(cell, "data_type", None) == "e" or _is_scientific(cell)
        )
        yield number, values, marks


#: Excel's escape of a character an XML file cannot hold (ECMA-376 Part 1, 22.9.2.19
#: ST_Xstring): Word's line break U+000B pasted into a cell is stored as ``_x000B_``, and Excel
#: and LibreOffice show the character. openpyxl gives the escape as it stands (only a ``_x005F_``,
#: the escape of a typed "_x…_", taken out), so a name was read as "Institutt for_x000B_data…".
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescaped(text: str) -> str:
    """``text`` with each of Excel's escapes (:data:`_EXCEL_ESCAPE`) the character it stands
    for, as Excel shows it: the character then meets the readers' rules for it (a line break in
    a name read as a space, a control character inside a code refused by name). NOTE: a "_x000B_"
    typed as text reads so too: openpyxl has already taken out the escape that told it apart.
    An escape of half a UTF-16 surrogate pair (``_xD800_`` to ``_xDFFF_``) stands for no
    character: it is left as written (decoded, a typed "_xD83D_" made the file unreadable, "an
    unexpected error": a lone surrogate cannot be written as UTF-8)."""
    return _EXCEL_ESCAPE.sub(_character, text)


def _unescaped_row(values: tuple) -> tuple:
    """The cells of a row with their text :func:`_unescaped`: every reader of a sheet's rows
    reads them so (a header "Antall_x000A_kvinner" of a sheet's first row was not known)."""
    if any(isinstance(v, str) and "_x" in v for v in values):
        return tuple(_unescaped(v) if isinstance(v, str) else v for v in values)
    return values


def _character(found: re.Match[str]) -> str:
    code = int(found.group(1), 16)
    return found.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)


def _shown_format(cell) -> str | None:
    """The number format of a cell holding a number, without the parts shown as they are."""
    value = getattr(cell, "value", None)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return _LITERAL.sub("", getattr(cell, "number_format", None) or "")


def _first_section(cell) -> str:
    """The part of a number's format that shows a positive number (before the first ``;``;
    Excel's sections are positive;negative;zero;text), without the parts that are no
    digit places (quoted text, escaped characters, a colour or a locale in brackets): ``""``
    for a cell that holds no number."""
    return _BRACKETED.sub("", _shown_format(cell) or "").split(";")[0]


def _padded_text(cell) -> str | None:
    """A whole number shown with leading zeros (format ``000000``: 0 shown as 000000, 5 as
    000005), as the text a person sees; else None. It is how an adviser puts back the zeros
    Excel took from a code (DBH's Avdelingskode 000000, Institusjonskode 0211; Excel's
    Special › Postal code is 0000): the number alone would be read as a code that lost its
    zeros. A negative or fractional number is left as it is."""
    shown = _first_section(cell).strip()
    if not _ZEROS.fullmatch(shown):
        return None
    value = cell.value
    if value < 0 or (isinstance(value, float) and not value.is_integer()):
        return None
    return str(int(value)).zfill(len(shown))


#: A number format of zeros only, two or more: every place shown, leading zeros too.
_ZEROS = re.compile(r"00+")


def _is_percent(cell) -> bool:
    # a "%" in the format multiplies by 100, unless it is quoted ("%") or escaped (\%)
    return "%" in (_shown_format(cell) or "")


def _is_scientific(cell) -> bool:
    """A number shown in scientific notation (format 0.00E+00): what Excel makes of a code
    typed or opened as 1E5 (the number 100000). No table the readers take is written so. A
    bracketed part (a locale, ``[$-de-DE]``; a colour) is no exponent."""
    return bool(_SCIENTIFIC.search(_BRACKETED.sub("", _shown_format(cell) or "")))


#: The exponent of a scientific number format ("0.00E+00", "##0.0E+0").
_SCIENTIFIC = re.compile(r"[Ee][+-]")
_BRACKETED = re.compile(r"\[[^\]]*\]")


def _percent_text(value: float, shown: int = 0) -> str:
    """``value`` as a percentage with every digit, and at least ``shown`` decimals (those its
    format pads with zeros: 0.28 in 0.0 % is "28.0 %"; 0.28378 in 0.0 % keeps "28.378 %",
    its own digits, not the "28.4 %" shown, so that nothing of the number is lost)."""
    from decimal import Decimal

    percent = (Decimal(repr(value)) * 100).normalize()  # exactly: 0.13 → 13, not 13.000000000000002
    own = max(0, -int(percent.as_tuple().exponent))
    return f"{percent:.{max(own, shown)}f} %"


def _shown_decimals(cell) -> int:
    """The decimals a cell's number format always shows (its ``0`` and ``?`` after the decimal
    point, in the format's first part, for numbers of any sign: 0.0 % → 1, 0 % → 0, 0.0# % → 1;
    a ``#`` shows a decimal only when it is not 0). Quoted text, escaped characters and
    bracketed parts (a colour, a locale) are no digits."""
    point = _DECIMAL_PLACES.search(_first_section(cell))
    return sum(c in "0?" for c in point.group(1)) if point else 0


#: The digit places after the decimal point of a number format ("0.0#" → "0#").
_DECIMAL_PLACES = re.compile(r"\.([0#?]+)")


#: The parts of a number format shown as they are: quoted text and escaped characters.
_LITERAL = re.compile(r'"[^"]*"|\\.')


#: Bytes of a worksheet's XML read at a time when looking for hidden rows and columns.
_BLOCK = 1 << 20
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*>")
_COL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?col\b[^>]*>")
_HIDDEN = re.compile(rb"""\bhidden\s*=\s*["'](?:1|true)["']""")
_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_SPAN = re.compile(rb"""\b(min|max)\s*=\s*["'](\d+)["']""")


def _tags(path: Path, member: str, *patterns: re.Pattern) -> Iterator[tuple[int, bytes]]:
    """(which pattern, the tag) for every tag of the worksheet's XML one of ``patterns`` matches,
    read a block at a time (a large sheet is never held whole)."""
    with zipfile.ZipFile(path) as archive, archive.open(member) as fh:
        tail = b""
        for block in iter(lambda: fh.read(_BLOCK), b""):
            text = tail + block
            cut = text.rfind(b"<")  # a tag cut by the block boundary is read with the next block
            cut = cut if cut >= 0 and b">" not in text[cut:] else len(text)
            for which, pattern in enumerate(patterns):
                for tag in pattern.findall(text, 0, cut):
                    yield which, tag
            tail = text[cut:]


def _hidden(path: Path, member: str) -> tuple[set[int], set[int]]:
    """The rows and columns (1-based) the worksheet hides (a filter, or hidden by hand)."""
    rows: set[int] = set()
    columns: set[int] = set()
    for which, tag in _tags(path, member, _ROW_TAG, _COL_TAG):
        if not _HIDDEN.search(tag):
            continue
        if which == 0:
            number = _NUMBER.search(tag)
            if number:
                rows.add(int(number.group(1)))
        else:
            span: dict[bytes, bytes] = dict(_SPAN.findall(tag))
            if b"min" in span:
                columns.update(range(int(span[b"min"]), int(span.get(b"max", span[b"min"])) + 1))
    return rows, columns


_MERGE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*>")
_MERGE_REF = re.compile(rb"""\bref\s*=\s*["']\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)["']""")


def _merges(path: Path, member: str) -> list[tuple[str, int, int, int, int]]:
    """The worksheet's merged cells: (range as written, first column, first row, last column,
    last row), 1-based."""
    from openpyxl.utils import column_index_from_string

    found = []
    for _, tag in _tags(path, member, _MERGE_TAG):
        ref = _MERGE_REF.search(tag)
        if ref:
            c1, r1, c2, r2 = (g.decode() for g in ref.groups())
            found.append(
                (f"{c1}{r1}:{c2}{r2}", column_index_from_string(c1), int(r1), column_index_from_string(c2), int(r2))
            )
    return found


def _shown_at(merge: tuple[str, int, int, int, int]) -> tuple[int, int]:
    """(row, column) of the first cell of a merge that shows its value without holding it."""
    _, c1, r1, _, r2 = merge
    return (r1 + 1, c1) if r2 > r1 else (r1, c1 + 1)


def _merged_problems(path: Path, member: str, names: list[str], header_row: int, rows: dict[int, tuple]):
    """A problem for each merge of cells in the table's rows (below the header, in its columns),
    by row and column (the workbook keeps its merges in the order they were made):
    Excel shows the first cell's value over the whole merge, but only that cell holds it, so
    the rows below read as empty, a required column as "value is missing" on each row and an
    optional one silently (a bad-input hunt, 2026-12-03: a faculty column merged over its
    programmes). A note below the table merged across its row for layout is none: the note is
    said as one (:func:`analysis.readers.footer.footer_notes`), where it was told to be written
    into every cell of the merge (a bad-input hunt, 2026-12-05)."""
    try:
        merges = _merges(path, member)
    except (OSError, KeyError, zipfile.BadZipFile):
        return []
    footer: set[int] = set()
    if merges:
        from analysis.readers.footer import footer_notes

        below = sorted(n for n in rows if n > header_row)
        text = [["" if v is None else str(v) for v in rows[n]] for n in below]
        footer = {below[i] for i in footer_notes(text, len(names))}
    problems = []
    for ref, c1, r1, _last_column, r2 in sorted(merges, key=_shown_at):
        if r2 <= header_row or c1 > len(names):
            continue  # a title or a header's group label: not the table's data
        if r1 == r2 and r1 in footer:
            continue  # a note of the footer, merged across its row
        top = rows.get(r1, ())
        value = top[c1 - 1] if c1 - 1 < len(top) else None
        row, column = _shown_at((ref, c1, r1, _last_column, r2))  # named at the first cell that shows it
        problems.append(
            Problem(
                str(path),
                max(row, header_row + 1),
                names[min(column, len(names)) - 1],
                value,
                f"cells {ref} are merged in Excel: only {_column_letter(c1)}{r1} holds the value, the other "
                "cells of the merge are empty",
                "unmerge the cells and write the value into every cell (in Excel: Merge & Center off, then "
                "fill down or right)",
            )
        )
    return problems


def _hidden_notes(path: Path, title: str, member: str, names: list[str], rows: list[tuple], numbers: list[int]):
    """A note for the hidden rows and columns that hold data: they are read like the others (a
    filter in Excel is a view, not a change of the table), and the person is told so."""
    try:
        hidden_rows, hidden_columns = _hidden(path, member)
    except (OSError, KeyError, zipfile.BadZipFile):
        return []
    notes = []
    read = [n for n in numbers if n in hidden_rows]
    if read:
        notes.append(
            Problem(
                str(path),
                read[0],
                None,
                f"{len(read)} rows",
                f"{len(read)} rows of sheet '{title}' are hidden in Excel (a filter, or hidden by hand; the first "
                "shown here) and are read like the others",
                "nothing to do if the whole table is meant; else delete the rows that are not wanted, "
                "as hiding them does not leave them out",
            )
        )
    for column in sorted(c for c in hidden_columns if c <= len(names)):
        if any(not _is_empty((r[column - 1],)) for r in rows):
            notes.append(
                Problem(
                    str(path),
                    None,
                    names[column - 1],
                    None,
                    f"column {_column_letter(column)} of sheet '{title}' is hidden in Excel and holds data: hiding "
                    "does not leave a column out (the table is read as if it were shown)",
                    "nothing to do if it is meant; else delete the column, as hiding it does not leave it out",
                )
            )
    return notes


def _has_formulas(path: Path, member: str) -> bool:
    with zipfile.ZipFile(path) as archive, archive.open(member) as fh:
        tail = b""
        for block in iter(lambda: fh.read(1 << 20), b""):
            if _FORMULA_TAG.search(tail + block):
                return True
            tail = block[-64:]
    return False


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def chosen_sheet() -> str | None:
    """The sheet ``--sheet`` names (:func:`sheet_choice`), None when none is named."""
    return _chosen


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """The table of one worksheet of ``path`` (see the module docstring for the rules).

    Args:
        path: the workbook.
        sheet: the sheet to read; default the ``--sheet`` in effect (:func:`sheet_choice`),
            else the only visible sheet with data.

    Raises:
        InputError: the workbook cannot be read, the sheet is missing or ambiguous, it is
            empty, or a formula has no saved value.
    """
    path = Path(path)
    sheet = sheet if sheet is not None else _chosen
    _check_size(path)
    book = _open(path, data_only=True)
    try:
        chosen, notes = _choose(path, book, sheet)
        header: list[str] | None = None
        header_row: int | None = None
        rows: list[tuple] = []
        numbers: list[int] = []
        saved: dict[int, tuple] = {}
        marked: list[tuple[int, int, object, str]] = []
        with _parsing(path):  # a broken sheet inside a valid zip
            for number, values, marks in _shown_rows(chosen):
                if _is_empty(values):
                    continue
                if header is None:
                    header = ["" if v is None else strip_cell(str(v)) for v in values]
                    header_row = number
                    saved[number] = values
                    continue
                rows.append(values)
                numbers.append(number)
                marked.extend((number, i, values[i], kind) for i, kind in marks)
        # openpyxl names a sheet's file in the zip only privately; it is needed to check formulas
        title, member = chosen.title, chosen._worksheet_path  # noqa: SLF001
    finally:
        book.close()
    if header is None:
        raise file_problem(path, title, "the worksheet is empty", "put the table in the worksheet, header first")
    width = len(header)
    beyond = []
    for r, number in zip(rows, numbers):
        filled = [i for i, v in enumerate(r) if i >= width and not _is_empty((v,))]
        if filled:
            beyond.append(
                Problem(
                    str(path),
                    number,
                    _column_letter(filled[0] + 1),
                    r[filled[0]],
                    f"row has {filled[-1] + 1} fields, the header has {width}",
                    "give the column a header, or move the value into the table",
                )
            )
    rows = [tuple(r[:width]) + (None,) * (width - len(r)) for r in rows]
    empty = empty_last_columns(header, rows)
    if empty:
        header, rows = header[:-empty], [r[:-empty] for r in rows]
    names = column_names(header)
    if _has_formulas(path, member):
        _check_formulas(path, title, member, names, {**saved, **dict(zip(numbers, rows))})
    notes = notes + _hidden_notes(path, title, member, names, rows, numbers)
    merged = _merged_problems(path, member, names, header_row or 1, {**saved, **dict(zip(numbers, rows))})
    marked = [m for m in marked if m[1] < len(names)]
    converted = (
        _dates_among_values(path, names, rows, numbers)
        + _by_column(
            path,
            names,
            [m for m in marked if m[3] == "error"],
            "an Excel error",
            ": a formula that could not be calculated (#N/A: a lookup found nothing; #REF!: a deleted cell; "
            "#DIV/0!: a division by zero)",
            "correct the formula or type the value; delete the column if it is not part of the table "
            "(Excel: Go To Special › Formulas › Errors finds them)",
        )
        + _by_column(
            path,
            names,
            [m for m in marked if m[3] == "scientific"],
            "a number shown in scientific notation",
            " in Excel: Excel turns a code typed or opened as 1E5 into the number 100000",
            "format the column as Text and type the codes again; if the numbers are meant, format the column as Number",
        )
    )
    return Sheet(title, names, rows, numbers, notes, beyond, header_row, merged, converted)


def _by_column(
    path: Path, names: list[str], cells: list[tuple[int, int, object, str]], what: str, why: str, hint: str
) -> list[Problem]:
    """One problem for each column with ``cells`` (row, column, value, kind) that Excel made
    something else of, at its first, with their number: an error value (#N/A read as a code),
    a number in scientific notation (a code 1E5 as 100000)."""
    problems = []
    for i, name in enumerate(names):
        found = [(number, value) for number, column, value, _ in cells if column == i]
        if found:
            problems.append(once_per_column(path, name, found, what, why, hint))
    return problems


#: What openpyxl reads from a cell with a date or time format.
_DATE_TYPES = (datetime.date, datetime.time, datetime.timedelta)


def _date_text(value: object) -> str:
    """A date as a person reads it: 2024-01-02 (a time only where there is one)."""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value)


def _shown_year(value: object) -> int | None:
    """The year a date cell holds when it is a year given a date format: Excel shows 2019 as
    11.07.1905, day 2019 of its calendar. None for any other date."""
    if not isinstance(value, datetime.date) or isinstance(value, datetime.time):
        return None
    moment = value if isinstance(value, datetime.datetime) else datetime.datetime.combine(value, datetime.time())
    days = excel_day(moment.date())
    return days if 1900 <= days <= 2100 and moment.time() == datetime.time() else None


def _dates_among_values(path: Path, names: list[str], rows: list[tuple], numbers: list[int]) -> list[Problem]:
    """A problem for each column where some cells are dates and others are not, or where every
    date is a year given a date format, at its first date: Excel made the dates of values typed
    or opened (see the module docstring)."""
    problems = []
    for i, name in enumerate(names):
        dated = [(number, r[i]) for r, number in zip(rows, numbers) if isinstance(r[i], _DATE_TYPES)]
        if not dated:
            continue
        number, value = dated[0]
        many, first = cells_of_column(len(dated))
        dates, years = ("dates", "years") if len(dated) > 1 else ("a date", "a year")
        if not all(isinstance(r[i], _DATE_TYPES) or _is_empty((r[i],)) for r in rows):
            message = (
                f"{many} {dates} in Excel, the others not{first}: Excel turned what was typed or "
                "opened into a date (a code 1-2 into 2 January; with Norwegian settings 21.8 into 21 August)"
            )
            hint = (
                "format the column as Text and type the values again, or open the CSV in Excel with Data › From "
                "Text/CSV and set the column to Text"
            )
        elif all(_shown_year(v) for _, v in dated):
            message = (
                f"{many} {years} with a date format in Excel{first}: the year {_shown_year(value)} "
                f"is shown as the date {_date_text(value)}"
            )
            hint = YEARS_AS_DATES_HINT
        else:
            continue  # a column of dates (DBH 347's approval date) is read as its dates
        problems.append(Problem(str(path), number, name, _date_text(value), message, hint))
    return problems


def first_rows(path: Path, count: int) -> list[tuple[int, list[str]]]:
    """The first ``count`` rows with content of the sheet :func:`read_sheet` reads, each as (row
    number, its cells as text) and not cut to the first row's width: a title row above the
    header is one cell wide, and the header below it is looked for in them
    (:func:`analysis.readers.detect.header_below_title`)."""
    path = Path(path)
    _check_size(path)
    book = _open(path, data_only=True)
    found: list[tuple[int, list[str]]] = []
    try:
        with _parsing(path):  # a broken sheet inside a valid zip
            chosen, _ = _choose(path, book, _chosen)
            for number, values, _ in _shown_rows(chosen):
                if _is_empty(values):
                    continue
                found.append((number, ["" if v is None else strip_cell(str(v)) for v in values]))
                if len(found) == count:
                    break
    finally:
        book.close()
    return found


def sheet_headers(path: Path) -> list[tuple[str, int, list[str]]]:
    """The first row with content of every worksheet, hidden ones too, as (sheet, row number,
    its cells as text): what a workbook of several tables is, before a sheet is chosen (a
    workbook kvalitet wrote holds one table per sheet)."""
    path = Path(path)
    _check_size(path)
    book = _open(path, data_only=True)
    found: list[tuple[str, int, list[str]]] = []
    try:
        with _parsing(path):  # a broken sheet inside a valid zip
            for ws in book.worksheets:
                for number, values in _rows(ws):
                    if not _is_empty(values):
                        cells = ["" if v is None else strip_cell(str(v)) for v in _unescaped_row(values)]
                        found.append((ws.title, number, cells))
                        break
    finally:
        book.close()
    return found


def _sheet_rows(ws) -> int:
    return sum(1 for _, values in _rows(ws) if not _is_empty(values))


def _choose(path: Path, book, wanted: str | None):
    sheets = list(book.worksheets)
    listed = ", ".join(f"'{ws.title}'" + (" (hidden)" if ws.sheet_state != "visible" else "") for ws in sheets)
    if wanted is not None:
        for ws in sheets:
            if ws.title == wanted:
                return ws, []
    with _parsing(path):
        sizes = {ws.title: _sheet_rows(ws) for ws in sheets}
    visible = [ws for ws in sheets if ws.sheet_state == "visible" and sizes[ws.title]]
    hidden = [ws for ws in sheets if ws.sheet_state != "visible" and sizes[ws.title]]
    if wanted is not None and len(visible) != 1:
        raise file_problem(
            path,
            wanted,
            f"the workbook has no sheet of that name; its sheets are {listed}",
            "give --sheet with one of these names",
        )
    # NOTE: --sheet picks the sheet of the workbooks that have several; one without a sheet of
    # that name and with one sheet of data is read as without --sheet: a folder (``report
    # --data``) holds workbooks of one sheet beside the one with a sheet of notes, and only one
    # --sheet is given (a real-file hunt, 2026-12-04: a DBH workbook with an 'Om tabellen' sheet
    # and the SHoT workbook could not be read together)
    notes = [
        Problem(
            str(path),
            None,
            None,
            ws.title,
            f"hidden sheet with {sizes[ws.title]} rows skipped",
            f"give --sheet '{ws.title}' to read it instead",
        )
        for ws in hidden
    ]
    if len(visible) == 1:
        return visible[0], notes
    if not visible:
        if hidden:
            raise file_problem(
                path, listed, "only hidden sheets hold data", f"give --sheet '{hidden[0].title}' to read a hidden sheet"
            )
        raise file_problem(path, listed, "no worksheet holds data", "put the table in the first worksheet")
    shown = ", ".join(f"'{ws.title}' ({sizes[ws.title]} rows)" for ws in visible)
    raise file_problem(
        path,
        shown,
        "several sheets hold data and it is not clear which one to read",
        "give --sheet NAME with one of these sheets",
    )


def _check_formulas(path: Path, title: str, member: str, names: list[str], values: dict[int, tuple]) -> None:
    """Formula cells of ``title`` (its file in the zip: ``member``) whose saved value is
    missing: one problem each."""
    book = _open(path, data_only=False)
    problems: dict[str, Problem] = {}
    try:
        with _parsing(path):
            ws = book[title]
            ws.reset_dimensions()
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) != "f":
                        continue
                    number, column = cell.row, cell.column
                    saved = values.get(number)
                    value = saved[column - 1] if saved is not None and column - 1 < len(saved) else None
                    if value is None:
                        name = names[column - 1] if column - 1 < len(names) else _column_letter(column)
                        problems[f"{_column_letter(column)}{number}"] = Problem(
                            str(path),
                            number,
                            name,
                            str(cell.value),
                            f"cell {_column_letter(column)}{number} of sheet '{title}' is a formula without a saved "
                            "value (the file was written by a program that does not calculate)",
                            "open the file in Excel or LibreOffice and save it again, or paste the values",
                        )
    finally:
        book.close()
    if problems:
        # a formula whose result is the empty text (=IF(…;"";…)) is saved as an empty value of
        # type text: the cell is empty, as Excel shows it and saves it as CSV
        for ref in _saved_empty_text(path, member):
            problems.pop(ref, None)
    if problems:
        raise InputError(list(problems.values()))


_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*>")
_TEXT_RESULT = re.compile(rb"""\bt\s*=\s*["']str["']""")
_CELL_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]+\d+)["']""")


def _saved_empty_text(path: Path, member: str) -> set[str]:
    """The cells (``L3``) whose formula result is saved as text (``t="str"``): read without a
    value only when that text is empty."""
    found = set()
    for _, tag in _tags(path, member, _CELL_TAG):
        ref = _CELL_REF.search(tag)
        if ref and _TEXT_RESULT.search(tag):
            found.add(ref.group(1).decode())
    return found
