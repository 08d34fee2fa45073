"""What every reader returns, and the shared steps of reading a text table."""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import InputError, Problem, file_problem, missing_path, problems_from_schema_errors
from analysis.parsing import DecodeError, decode_text, is_date, normalise_header, strip_cell
from analysis.readers.footer import NOTE_ROW, footer_notes, may_be_footer, split_note
from analysis.readers.table_shape import column_names, empty_last_columns, few_ragged, once_per_column

if TYPE_CHECKING:  # loaded where a frame is made or checked (the CLI starts without them)
    import numpy as np
    import pandas as pd
    import pandera.pandas as pa


@dataclass
class ReadResult:
    """A validated tidy frame and what the adviser should know about reading it.

    ``dataset`` names the validated table the frame belongs to (several kinds of file feed the
    same dataset: DBH JSON and CSV both give ``gender``).
    """

    path: Path
    kind: str
    dataset: str
    frame: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)
    notes: dict[str, object] = field(default_factory=dict)
    #: further validated datasets the same file gives (Samordna's key figures also give every
    #: admission number with its measure), by dataset name
    also: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.frame)

    @property
    def suppressed(self) -> int | None:
        if "suppressed" in self.frame.columns:
            return int(self.frame["suppressed"].sum())
        return None


def check_not_special(path: Path) -> None:
    """Refuse a FIFO, device or socket by its ``stat`` before anything opens it: reading a pipe
    nobody writes to would wait for ever, a device never ends."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return  # missing or unreadable: the reading says so
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        what = "named pipe (FIFO)" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "device"
        raise file_problem(path, what, "is not a regular file, so it is not read", "give the data file itself")


def unreadable(path: Path, err: OSError) -> InputError:
    """Why ``path`` could not be read, for the adviser (every reader, and the checksum of a raw
    file taken before it is read, say it in these words)."""
    if isinstance(err, (FileNotFoundError, NotADirectoryError)):  # (a folder in the path is a file)
        value, hint = missing_path(path)
        return file_problem(path, value, "file not found", hint)
    if isinstance(err, IsADirectoryError):
        return file_problem(path, None, "is a folder, not a file", "give the files inside it")
    if isinstance(err, PermissionError):
        return file_problem(path, None, "cannot be read (no permission)", "check the file's permissions")
    # a name too long, an I/O error, a file that vanished from a network drive
    return file_problem(path, None, f"cannot be read ({err.strerror or err})", "check the path and the disk")


def read_bytes(path: Path) -> bytes:
    check_not_special(path)
    try:
        return path.read_bytes()
    except OSError as err:
        raise unreadable(path, err) from None


def read_text(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read with, or a clear error."""
    try:
        decoded = decode_text(read_bytes(path))
    except DecodeError as err:
        raise file_problem(path, err.value, err.message, err.hint, err.row) from None
    return decoded.text, decoded.encoding


@dataclass
class TextTable:
    """A delimited text file read as strings: header names exactly as in the file, and for
    every row the line number a person sees in an editor (1-based, every physical line
    counted: blank or "sep=" lines above the header too; a row whose quoted cell spans lines is
    the line it starts on), or the row number in Excel."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    delimiter: str
    encoding: str
    #: the line (or spreadsheet row) of the header, which problems of a column name: not 1
    #: when blank lines are above it (a bad-input hunt, 2026-12-03: "row 1" named an empty line)
    header_line: int = 1
    #: a workbook's values Excel made something else of, one problem per column naming it
    #: (:attr:`analysis.readers.xlsx.Sheet.converted`): raised by a reader for the columns it
    #: reads (:func:`converted_problems`); a column it does not read is not refused (its reader
    #: says it in its warning of a column not read, :func:`unread_column_warnings`)
    converted: list[Problem] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        # (a column without a name is "(column N)", as in a workbook: two of them are two columns)
        df = pd.DataFrame(self.rows, columns=column_names(self.header), dtype=object)
        df.index = pd.RangeIndex(len(df))
        if self.converted:
            # kept with the frame, as pandas keeps its attrs through a choice of columns or rows:
            # the readers resolve the columns they read from the frame (parse_columns)
            df.attrs[_CONVERTED] = list(self.converted)
        return df


#: The key of :attr:`TextTable.converted` in the attrs of the table's frame.
_CONVERTED = "excel_converted"


def converted_problems(text: pd.DataFrame, headers: Iterable[object]) -> list[Problem]:
    """The problems of the values Excel made something else of (:attr:`TextTable.converted`: a
    code read as '#N/A', a share 21.8 as 21 August) in the columns ``headers`` of ``text`` (a
    table's frame, or columns of it), in the file's order (:func:`in_file_order`). One rule for every reader: each
    raises those of the columns it reads (:func:`parse_columns` those it resolves); a column
    it does not read is not refused, and is named where the reader warns of columns not read
    (:func:`unread_column_warnings`)."""
    read = {str(h) for h in headers}
    return in_file_order([p for p in text.attrs.get(_CONVERTED, ()) if p.column in read], text.columns)


def in_file_order(problems: list[Problem], columns: Iterable[object]) -> list[Problem]:
    """``problems`` as the file has them: by row (the file's own first), then by the column's
    place among ``columns`` (a column not among them last), as a reader says them; a column's
    problems said by Excel's conversions come where their cell is, not before the others."""
    place = {str(c): i for i, c in enumerate(columns)}
    return sorted(problems, key=lambda p: (-1 if p.row is None else p.row, place.get(str(p.column), len(place))))


def refuse_converted(text: pd.DataFrame, headers: Iterable[object]) -> None:
    """Raise :func:`converted_problems` of the columns ``headers``, for a reader that reads
    them without :func:`parse_columns` (Samordna's year columns, the seed's shares)."""
    problems = converted_problems(text, headers)
    if problems:
        raise InputError(problems)


def sniff_delimiter(first_line: str) -> str:
    """Semicolon (DBH CSV, Norwegian Excel), comma or tab: the one the header uses most."""
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _excel_separator(text: str) -> str | None:
    """The separator Excel's "sep=;" first line names, None when there is no such line."""
    lines = text.lstrip("\ufeff").splitlines()
    excel_sep = re.fullmatch(r"\s*sep=(.)\s*", lines[0]) if lines else None
    return excel_sep.group(1) if excel_sep else None


def _csv_reader(path: Path, text: str):
    """A csv reader positioned at the header, and the delimiter (Excel's "sep=;" line names
    the separator; it is not the header, but line numbers still count it)."""
    if text.strip() == "":
        raise file_problem(path, None, "the file has no content", "export the table again")
    excel_sep = _excel_separator(text)
    # sniffed on the first line with content: blank lines above the header are skipped as
    # blank lines anywhere are, and a blank first line made a semicolon file one column wide
    first = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    delimiter = excel_sep or sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    if excel_sep:
        next(reader)
    return reader, delimiter


def first_lines(text: str, count: int) -> list[tuple[int, str, list[str]]]:
    """The first ``count`` lines of a delimited text that have content, each as (line number,
    the line, its cells), to find a header that is not on the first line. Each line is split by
    the separator it uses most (a title row above the header uses none, or another), unless
    Excel's "sep=" line names one; that line is not one of them, but is counted."""
    excel_sep = _excel_separator(text)
    found: list[tuple[int, str, list[str]]] = []
    # newline="": lines end where the csv reader's do, so the numbers are the same
    for number, line in enumerate(io.StringIO(text.lstrip("\ufeff"), newline=""), start=1):
        line = line.rstrip("\r\n")
        if (number == 1 and excel_sep) or not line.strip():
            continue
        try:
            cells = next(csv.reader([line], delimiter=excel_sep or sniff_delimiter(line)), [])
        except csv.Error:
            cells = [line]
        found.append((number, line, [cell.replace("\ufeff", "").strip() for cell in cells]))
        if len(found) == count:
            break
    return found


def is_xlsx(path: Path) -> bool:
    """An Excel workbook by its first bytes (a zip), whatever its name."""
    try:
        with Path(path).open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


_sheet_notes: list[list[Problem]] = []


@contextmanager
def sheet_notes() -> Iterator[list[Problem]]:
    """Within the block, the notes of every worksheet read by :func:`xlsx_table` (a hidden sheet
    with data that was skipped) are collected in the list given: whichever reader reads the
    table, :func:`analysis.readers.read_path` passes them on as warnings of the file."""
    notes: list[Problem] = []
    _sheet_notes.append(notes)
    try:
        yield notes
    finally:
        _sheet_notes.pop()


def duplicate_columns(path: Path, header: Sequence[str], header_line: int) -> list[Problem]:
    """A problem for each column name ``header`` gives more than once, on the header's line: a
    table with two columns of one name cannot be read (which one holds the figures?), from a
    CSV or a workbook alike (a bad-input hunt, 2026-12-03: the workbook's was a crash)."""
    return [
        Problem(
            str(path), header_line, name, name, "the column name appears twice", "rename or remove one of the columns"
        )
        # (columns without a name are not one name twice: each is "(column N)" to the readers)
        for name in sorted({h for h in header if h and list(header).count(h) > 1})
    ]


def xlsx_table(path: Path) -> TextTable:
    """An Excel workbook's table as the text a person sees in each cell, so that every reader of
    a delimited table reads the same table saved from Excel (``analysis.readers.xlsx``: every
    row, the one visible sheet with data or ``--sheet``, formulas checked); rows are the
    spreadsheet's row numbers."""
    from analysis.readers.xlsx import read_sheet

    sheet = read_sheet(path)
    sheet.check_layout()  # (the values Excel converted: by the reader, in the columns it reads)
    if _sheet_notes:
        _sheet_notes[-1].extend(n for n in sheet.notes if n not in _sheet_notes[-1])
    header = [h for h in sheet.header]
    width = len(header)

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))  # Excel keeps 3 as 3.0
        return str(value)

    rows = [[text(v) for v in (tuple(r[:width]) + (None,) * (width - len(r)))] for r in sheet.rows]
    header_line = sheet.header_row or 1
    dupes = duplicate_columns(path, header, header_line)
    if dupes:
        raise InputError(dupes)
    if not rows:
        raise InputError(
            [
                Problem(
                    str(path),
                    header_line,
                    None,
                    ", ".join(header),
                    "the sheet has a header row but no data rows",
                    "export the table again; check the filter used for the export",
                )
            ]
        )
    return TextTable(header, rows, list(sheet.row_numbers), "", "xlsx", header_line, list(sheet.converted))


def read_header(path: Path, text: str | None = None) -> list[str] | None:
    """The header of a delimited text file without reading its rows (to tell what a file is);
    None when there is none to read. ``text``: the file's text, when it was read already. The
    file's problems are reported by :func:`read_text_table`."""
    if is_xlsx(path):
        from analysis.readers.xlsx import read_sheet

        return [h for h in read_sheet(path).header]
    if text is None:
        text, _ = read_text(path)
    head = head_of(text)
    header = _header_in(path, head)
    if header is None and len(head) < len(text):
        # (a header below a megabyte of lines, or the head cut inside a quoted cell)
        header = _header_in(path, text)
    return header


#: The characters of a text its header is looked for in first: the csv reader's StringIO holds
#: its text at 4 bytes a character, so a respondent file of 47 MB, read whole to find its
#: header, took 190 MB and 0.2 s.
HEAD_CHARS = 1 << 20


def head_of(text: str) -> str:
    """The first whole lines of ``text``, up to :data:`HEAD_CHARS` characters (ending after a
    "\n", so never between the two of a "\r\n"), or all of it."""
    if len(text) <= HEAD_CHARS:
        return text
    end = text.rfind("\n", 0, HEAD_CHARS)
    return text if end < 0 else text[: end + 1]


def _header_in(path: Path, text: str) -> list[str] | None:
    """The first record of ``text`` with a cell filled, as :func:`header_names`; None when there
    is none or the csv reader stops before it."""
    try:
        reader, _ = _csv_reader(path, text)
        for record in reader:
            if record and any(cell.strip() for cell in record):
                return header_names(record)
    except (csv.Error, InputError):
        return None
    return None


#: The words of a table's average row ("Snitt", "Gjennomsnitt"): named as an average row.
_AVERAGE_WORDS = (r"snitt", r"gj\.?\s*snitt", r"gjennomsnitt", r"average")

#: The words of a table's total or average row, as exports and advisers write them (two totals
#: words together are one: "Totalsum", "Sum totalt", "Total sum", "Grand total"; they were
#: refused as "Årstall: value is missing", a bad-input hunt, 2026-12-04). The one list: every
#: reader's check (:func:`total_cell`) is made from it.
_TOTAL_WORD_LIST = (
    r"totalsum",
    r"grand\s+total",
    r"sum\s+totalt?",
    r"totalt?\s+sum",
    r"sum",
    r"totalt?",
    r"i\s+alt",
    *_AVERAGE_WORDS,
)
_TOTAL_WORDS = "|".join(_TOTAL_WORD_LIST)
_AVERAGE = re.compile(rf"(?i)\s*(?:{'|'.join(_AVERAGE_WORDS)})\b|.*\s(?:{'|'.join(_AVERAGE_WORDS)})\s*$")

#: What may follow the word in a total row: nothing, or a separator and then numbers, years or
#: separators ("Totalt 2019-2021", "I alt;;;26000", "Sum:"); not a digit right after the word,
#: as in a code ("SUM4015", a course code at UiO's SUM centre, is no total).
_AFTER_WORD = r"(?:[\s.,;:%\-–/][\s\d.,;:%\-–/]*)?"

#: A subtotal's name as Excel's Data › Subtotal writes it: the group's value, then the word.
_SUBTOTAL = r"\s*\S(?:.*\S)?\s+(?:totalt?|gjennomsnitt|average)\s*$"

#: A table's total or average row, by the cell that names the row (its first cell, or a cell of
#: a column naming its units): a name that begins with a totals word ("Totalt", "Totalt NTNU",
#: "Sum:", "I alt", "Snitt", "Totalsum", "Grand total") or is "Alle"/"All" ("Alle programmer").
#: The word must end where the name does or at a space or punctuation: "Summer school" is a
#: programme. "Alle" only on its own, because a unit may begin with it ("Alle fag").
TOTAL_ROW = re.compile(
    rf"(?i)\s*(?:{_TOTAL_WORDS})"
    # what may follow the word in a total row: as :data:`_AFTER_WORD`, a colon and a text
    # ("Snitt: …"), a bracket ("Total (alle)"), one code in capitals ("Sum NTNU") or "alle
    # …"/"for …"/"av …"; not a name that goes on in words ("Total Quality Management",
    # "Sum-programmet", "Total kvalitetsledelse": a second reader, 2026-12-03)
    rf"(?:\s*:.*|\s*\(.*\){_AFTER_WORD}|{_AFTER_WORD}"
    rf"|\s+(?-i:[A-ZÆØÅ][A-ZÆØÅ0-9]+){_AFTER_WORD}|\s+(?:alle|all|for|av|i)\b.*)$"
    r"|\s*(?:alle(?:\s+program(?:mer)?)?|all)\W*$"
    # Excel's Data › Subtotal names each group's row by its value and the function's word after
    # it ("1150 Totalt", "MTDT Gjennomsnitt"; "1150 Total" in English), and the last "Totalsum"
    # (a bad-input hunt, 2026-12-05: "1150 Totalt" was "value is missing" in four columns)
    rf"|{_SUBTOTAL}"
)

#: A total word in any other cell of a row ("1150;Totalt;;2019;…", a DBH web export's subtotal
#: beside its institution code; "Gjennomsnitt" in Samordna's Nøkkeltall column): the word on its
#: own, with at most numbers or separators after it. Stricter than :data:`TOTAL_ROW`, because a
#: cell that does not name the row may be a text ("Snitt av tre ledd" in a note, "Alle" as a
#: group), which is data.
_TOTAL_WORD_ALONE = re.compile(rf"(?i)\s*(?:{_TOTAL_WORDS}){_AFTER_WORD}$")

#: A quick look for a cell that may begin with a total word (or "all", "Alle"): a space or a
#: word's first letter after :data:`_CELL_SEPARATOR`, in the row's cells joined by it, each one
#: after it. One search a row, so that rows of figures and codes (a respondent file's hundreds
#: of thousands) are passed over without a test of each cell: a search for the words themselves
#: took 9 µs a row, this one 2 (timeit, a respondent row of 40 items).
_CELL_SEPARATOR = "\x00"  # (not "\x1f", the unit separator: to a regex it is a space)
_MAY_BE_TOTAL = re.compile(
    re.escape(_CELL_SEPARATOR)
    + "[\\s"
    + "".join(sorted({w[0] + w[0].upper() for w in (*_TOTAL_WORD_LIST, "all")}))
    + "]"
    # (or a cell that ends in a subtotal's word, :data:`_SUBTOTAL`)
    + "|\\s(?i:totalt?|gjennomsnitt|average)\\s*(?:"
    + re.escape(_CELL_SEPARATOR)
    + "|$)"
)


def total_cell(cell: str, names_the_row: bool = False) -> bool:
    """Is ``cell`` the word of a total or average row: the one check of every reader of table
    rows. ``names_the_row``: the cell is the row's first filled cell or in a column that names
    its units, where "Totalt NTNU", "Snitt: …" and "Alle" say it too (:data:`TOTAL_ROW`);
    elsewhere the word on its own (:data:`_TOTAL_WORD_ALONE`)."""
    return bool((TOTAL_ROW if names_the_row else _TOTAL_WORD_ALONE).match(cell))


def total_row_problem(path: Path | str, line: int | None, column: str | None, value: str, where: str) -> Problem:
    """The one message of a total or average row, at the cell that says it is one (``column``,
    ``value``); ``where``: "below the table", "in the table", … ("" where not known)."""
    average = _AVERAGE.match(value)
    return Problem(
        str(path),
        line,
        column,
        value,
        f"{'an average row' if average else 'a total row'} {where}".rstrip(),
        "delete it: the product adds up the rows itself",
    )


#: A count cell of a sum row: a number as a spreadsheet shows it (digits, with spaces or points
#: between thousands), and a percent sign where the column is one of shares (SHoT's shares
#: summed in a column formatted as percent show "635 %").
_SUM_CELL = re.compile(r"\d[\d \u00a0\u202f.,]*%?")


@lru_cache(maxsize=64)
def _normalised(header: tuple[str, ...]) -> tuple[str, ...]:
    """The header as :func:`normalise_header` writes it, once per header: the stray-row tests
    run on every row, and normalising the header anew for each took 9 of the report's 30 s
    on the national DBH file (25 443 rows, cProfile 2026-12-03)."""
    return tuple(normalise_header(h) for h in header)


#: A row's first cell as :func:`normalise_header` writes it, once per value: the header-again
#: test asks it of every row, and a column's first cells repeat (the national DBH file's 25 443
#: rows start with a few hundred institution codes).
_normalised_cell = lru_cache(maxsize=4096)(normalise_header)


@lru_cache(maxsize=4096)
def _may_say_total(cell: str) -> bool:
    """May ``cell`` make its row a total row (:func:`_total_in`), once per value: the wider of
    the two tests of :func:`total_cell` (every cell the word alone matches, :data:`TOTAL_ROW`
    matches). NOTE: what it earns: the names and texts of a DBH export (25 443 rows in the
    national file) each begin with some total word's first letter, so the quick look of
    :data:`_MAY_BE_TOTAL` let every row through to the test of each cell: 0.43 of the 3.0 s
    `kvalitet validate data/raw` took (cProfile, 2026-12-04)."""
    return TOTAL_ROW.match(cell.strip()) is not None


@lru_cache(maxsize=64)
def _in_columns(header: tuple[str, ...], columns: tuple[str, ...]) -> tuple[bool, ...]:
    """For each header cell: is it one of ``columns`` (headers as the reader knows them)?"""
    wanted = {normalise_header(c) for c in columns}
    return tuple(h in wanted for h in _normalised(header))


#: A cell Excel's SUM adds up: a whole number, with spaces between thousands where the sum is
#: formatted so ("84 297 259"). Codes with leading zeros ("000000") are numbers to Excel too.
_WHOLE_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*")


#: The spaces a formatted whole number may hold, taken out to see whether a cell is all digits.
_DIGIT_SPACES = str.maketrans("", "", " \u00a0\u202f")


#: Digits a sum of a column may have: far above any real sum (the national file's codes add up
#: to ~5·10⁹), and far below the 4 300 digits int() refuses with a ValueError.
_SUM_DIGITS = 30


def _whole_number(cell: str) -> int | None:
    text = cell.strip()
    if not text or not text[0].isdigit() or not _WHOLE_NUMBER.fullmatch(text):
        return None
    digits = re.sub(r"\D", "", text)
    # (a cell of thousands of digits is no sum: the row's own checks name it, not a crash)
    return int(digits) if len(digits) <= _SUM_DIGITS else None


class ColumnSums:
    """For each of the ``columns`` (positions), the sum of the whole numbers in ``rows`` above
    the row :attr:`at` and below it, and how many there were: what Excel's AutoSum writes below
    a column, or above it (text and empty cells are passed over). Added up only as far as a row
    that may be a sum asks (:meth:`holds_sum`): a row with a name or any other text outside its
    figures never asks, so the 25 443 rows of the national DBH file are not summed at all."""

    def __init__(self, rows: Sequence[Sequence[str]], columns: Iterable[int]) -> None:
        self.rows = rows
        self.columns = list(columns)
        self.at = 0  # the row the sums are asked for: those of rows[:at] and rows[at + 1:]
        self._added = 0
        self._totals = {i: 0 for i in self.columns}
        self._numbers = {i: 0 for i in self.columns}
        self._whole: tuple[dict[int, int], dict[int, int]] | None = None  # every row's, once asked
        #: each column's first and last whole number, once asked (:meth:`holds_sum`)
        self._ends: dict[int, tuple[int | None, int | None]] = {}

    def _add(self, rows: Iterable[Sequence[str]], totals: dict[int, int], numbers: dict[int, int]) -> None:
        for cells in rows:
            for c in self.columns:
                number = _whole_number(cells[c]) if c < len(cells) else None
                if number is not None:
                    totals[c] += number
                    numbers[c] += 1

    def holds_sum(self, i: int, cell: str) -> bool:
        """Is ``cell`` the sum of two or more numbers above row :attr:`at` in column ``i``, or of
        two or more below it (AutoSum above a table, as some DBH web exports and Excel layouts
        put the total first: a bad-input hunt, 2026-12-04)? Of one number it is that number
        again: a row repeated, not a sum. With AutoSum both above and below the table, each
        sum has the other beside the table's rows: the column's first (or last) number is the
        cell again, and the rest above (below) it adds up to the cell."""
        self._add(self.rows[self._added : self.at], self._totals, self._numbers)
        self._added = max(self._added, self.at)
        number = _whole_number(cell)
        if number is None or i not in self._totals:
            return False
        if self._numbers[i] >= 2 and number == self._totals[i]:
            return True
        if self._whole is None:
            # the whole column, summed once: below the row is the whole less what is above it
            # and the row itself
            self._whole = ({c: 0 for c in self.columns}, {c: 0 for c in self.columns})
            self._add(self.rows, *self._whole)
        totals, numbers = self._whole
        # below the row: the whole column less what is above it and the row's own cell (``cell``,
        # the row at :attr:`at`); only when the sums above are of rows[:at] exactly
        if self._added != self.at:
            return False
        below_total = totals[i] - self._totals[i] - number
        below_numbers = numbers[i] - self._numbers[i] - 1
        if below_numbers >= 2 and number == below_total:
            return True
        # above and below the table: the other sum is the column's last number (this row is the
        # top one) or its first (this the bottom one), and two or more rows besides add up to it
        # (a bad-input hunt, 2026-12-04: both were refused as "not a year", each summed with the other)
        first, last = self._column_ends(i)
        return (below_numbers >= 3 and last == number and below_total - number == number) or (
            self._numbers[i] >= 3 and first == number and self._totals[i] - number == number
        )

    def _column_ends(self, i: int) -> tuple[int | None, int | None]:
        """The first and the last whole number of column ``i`` (None where it has none)."""
        if i not in self._ends:
            found = [n for cells in self.rows if i < len(cells) and (n := _whole_number(cells[i])) is not None]
            self._ends[i] = (found[0], found[-1]) if found else (None, None)
        return self._ends[i]


def sum_row(
    cells: Sequence[str], header: Sequence[str], counts: Sequence[str], above: ColumnSums | None = None
) -> bool:
    """Is the row a sum with no name, as Excel's AutoSum leaves below a table: the count columns
    (``counts``, headers as the reader knows them, figures of any kind) filled with numbers, and
    every other cell empty or, given the sums of the columns ``above`` it (and below it: an
    AutoSum above the table), the sum of its column (AutoSum across every numeric column fills the
    years and codes too: a year column's sum is no year, a code column's no code)? A row with any
    other key or name cell filled is a row of the table, whose missing or wrong cells are named as
    such: a real row's year or code is never the sum of its column above or below it (a bad-input hunt, 2026-12-03: such a row was refused cell by
    cell, "not a year")."""
    is_count = _in_columns(tuple(header), tuple(counts))
    if len(cells) != len(header) or not any(is_count) or all(is_count):
        return False
    others = []
    for i, (cell, count) in enumerate(zip(cells, is_count)):
        if count or not cell or cell.isspace():
            continue
        # a row of data has a name or a word outside its figures: it stops here, before any
        # column is summed or a pattern matched (run on every row: 25 443 in the national file)
        if above is None or not cell.translate(_DIGIT_SPACES).isdigit():
            return False
        others.append((i, cell))
    if others and not all(above is not None and above.holds_sum(i, cell) for i, cell in others):
        return False
    numbers = [cell.strip() for cell, count in zip(cells, is_count) if count and cell.strip()]
    return bool(numbers) and all(_SUM_CELL.fullmatch(n) for n in numbers)


def figure_columns(cols: Iterable[Col], header: Sequence[str], figures: Iterable[object]) -> list[str]:
    """The columns of ``header`` an Excel AutoSum row below the table may fill (the ``counts`` of
    :func:`sum_row`): those of ``cols`` read by one of the parsers ``figures`` (counts,
    percentages, mean scores: a share or a mean summed is still a sum, not a row with its keys
    missing), and those no column of ``cols`` reads (the portal's "studiepoeng" beside its
    figures, the year columns of a wide table, summed with them)."""
    cols = list(cols)
    parsers = list(figures)
    counts = [h for c in cols if any(c.parse is f for f in parsers) for h in (c.header, *c.aliases)]
    known = {s for c in cols for s in c.spellings}
    return counts + [h for h in header if normalise_header(h) not in known]


def _total_in(
    cells: Sequence[str], header: Sequence[str], names: Sequence[str], not_names: Sequence[str]
) -> tuple[str | None, str] | None:
    """The cell that makes the row a total or average row (:func:`total_cell`), with its column
    (None where the row is wider or narrower than the header): a cell of the columns ``names``
    that name the row's unit, else its first filled cell outside the columns ``not_names``, else
    a total word on its own in any other cell outside them (a bad-input hunt, 2026-12-04: "1150;
    Totalt;…" was refused as "Avdelingskode must be six digits", and a respondent file's
    "Totalt" row cell by cell)."""
    # (one search of the whole row first: a row of figures, nearly every row of a respondent
    # file, stops here; then each cell once per distinct value: a row of names, each of whose
    # cells begins with some word's first letter, stops there)
    if not _MAY_BE_TOTAL.search(_CELL_SEPARATOR + _CELL_SEPARATOR.join(cells)):
        return None
    if not any(map(_may_say_total, cells)):
        return None
    key = tuple(header)
    aligned = len(cells) == len(header)
    # a names column is one whose values name units, never one that holds "alle" as data
    # (SHoT's gruppe "alle" is all students, wherever the column stands: a helper's check,
    # 2026-12-03, every SHoT row was a total when it was first)
    is_name = _in_columns(key, tuple(names)) if aligned and names else (False,) * len(cells)
    is_data = _in_columns(key, tuple(not_names)) if aligned and not_names else (False,) * len(cells)
    column: list[str | None] = list(header) if aligned else [None] * len(cells)
    for i, cell in enumerate(cells):
        if is_name[i] and total_cell(cell.strip(), names_the_row=True):
            return column[i], cell.strip()
    first = next((i for i, cell in enumerate(cells) if cell.strip() and not is_data[i]), None)
    if first is not None and total_cell(cells[first].strip(), names_the_row=True):
        return column[first], cells[first].strip()
    if not aligned:
        # (a row of another width has no columns to name: a header below a title row, one of
        # whose names is "Totalt", is no total row)
        return None
    for i, cell in enumerate(cells):
        if not is_data[i] and total_cell(cell.strip()):
            return column[i], cell.strip()
    return None


def may_make_stray(cell: str, column: str) -> bool:
    """May ``cell``, under the column named ``column`` (as :func:`normalise_header` writes it), make its row one :func:`stray_row`
    recognises when no count columns are given: it may say a total (:func:`_may_say_total`, the
    wider of the total tests), begin a note, or be the column's name again. A row none of whose
    cells may is no stray row, so a reader of columns tests each column's distinct values once
    and asks :func:`stray_row` only of the rows they pick out (a respondent file's 300 000 rows
    tested one by one took ~1 s). A blank cell never may: what makes a row stray is a filled
    cell of it (the header again fills two at least), and a blank one under a column named ""
    (Excel's separator at the end of every line) would pick out every row (a second reader:
    300 000 rows asked took 29 s, the rows' reader 13)."""
    if not cell.strip():
        return False
    return _may_say_total(cell) or NOTE_ROW.match(cell.strip()) is not None or normalise_header(cell) == column


def stray_row(
    path: Path,
    line: int,
    cells: list[str],
    header: list[str],
    below: bool,
    counts: Sequence[str] = (),
    names: Sequence[str] = (),
    not_names: Sequence[str] = (),
    above: ColumnSums | None = None,
    top: bool = False,
) -> Problem | None:
    """What a row is when it is not a row of the table: a total or average row ("Totalt", "Sum",
    "I alt", "Snitt": :func:`_total_in`, on a cell of the columns ``names`` that name the row's
    unit, its first cell with content outside the columns ``not_names`` or a total word in any
    other cell; or, given the table's count columns ``counts``, a :func:`sum_row`), a note
    ("Kilde: DBH …") or the header again (two exports pasted together); None for any other row. ``below``: no row of the
    table follows it. Said as what it is, not as the "value is missing" or "not a year" of its
    cells (a bad-input hunt, 2026-12-03). ``not_names``: columns whose values may read as a total
    word but are data (SHoT's gruppe "alle" is all students), wherever the column stands.
    ``above``: the sums of the columns above the row, for a sum row that fills its key columns
    with their sums. ``top``: no row of the table is above it (a total right under the header)."""
    # (the first two filled cells only, until a problem shows them all: asked of every row)
    filling = (c.strip() for c in cells if c and not c.isspace())
    first = next(filling, None)
    if first is None:
        return None
    more = next(filling, None) is not None
    where = "below the table" if below else "above the table" if top else "in the table"
    if counts and sum_row(cells, header, counts, above):
        filled = [c.strip() for c in cells if c.strip()]
        # the key and name columns it fills hold their sums (sum_row): named, so that the
        # adviser sees why its "year" is no year
        is_count = _in_columns(tuple(header), tuple(counts))
        summed = [h for h, c, count in zip(header, cells, is_count) if not count and c.strip()]
        return Problem(
            str(path),
            line,
            None,
            ", ".join(filled),
            # "figures", not "counts": the summed columns may be shares or mean scores (a
            # second reader: a summed SHoT share was said to be a count)
            f"a total row {where}: it has figures but no key"
            + (f", only the sums of {', '.join(summed)}" if summed else "")
            + " (a sum, as Excel's AutoSum adds)",
            "delete it: the product adds up the rows itself",
        )
    normal = _normalised(tuple(header))
    if (
        more
        and len(cells) == len(normal)
        # (the first cell decides for every row of data, before the whole row is normalised)
        and _normalised_cell(cells[0]) == normal[0]
        and tuple(normalise_header(c) for c in cells) == normal
    ):
        return Problem(
            str(path),
            line,
            None,
            first,
            f"the header again {where}",
            "two exports pasted together? keep one header, and each row once",
        )
    total = _total_in(cells, header, names, not_names)
    if total is not None:
        column, value = total
        return total_row_problem(path, line, column, value, where)
    if NOTE_ROW.match(first):
        return _note(path, line, cells, where)
    return None


def _note(path: Path, line: int, cells: Sequence[str], where: str) -> Problem:
    filled = [c.strip() for c in cells if c.strip()]
    return Problem(str(path), line, None, ", ".join(filled), f"a note {where}", "delete it")


def footer_line(path: Path, line: int, cells: Sequence[str], note: bool = False) -> Problem:
    """What a line of a notes footer (:func:`footer_notes`) is: a note, where it begins as one
    ("Kilde: …"); else a line of its first cell alone below a note, which may be a note ("Små
    celler er skjermet") or a row of the table without figures (a unit whose counts are all
    blank, unknown) written below the notes: told to delete it, the adviser lost that row (a
    second reader, 2026-12-05), so both are said. ``note``: the line is a note for certain
    (:func:`footer_notes`: a line of words in a column of codes)."""
    if note or NOTE_ROW.match(cells[0].strip()) or any(c.strip() for c in cells[1:]):
        # (a line of the footer with a second cell filled begins as a note or is one split at
        # its separators: may_be_footer)
        return _note(path, line, cells, "below the table")
    return Problem(
        str(path),
        line,
        None,
        cells[0].strip(),
        "a line of its first cell alone below a note: a note, or a row of the table without figures",
        "delete it if it is a note; if it is a row of the table, move it above the notes",
    )


def stray_rows(
    path: Path,
    table: TextTable,
    counts: Sequence[str] = (),
    names: Sequence[str] = (),
    not_names: Sequence[str] = (),
) -> tuple[list[int], list[Problem]]:
    """The positions in ``table.rows`` of the rows :func:`stray_row` recognises (``counts``: the
    table's count columns, for a :func:`sum_row`; ``names``: the columns naming its units;
    ``not_names``: those whose values are data however they read), and its problem for each."""
    header = table.header
    # the sums above each row of the columns outside the counts, for a sum row that fills them
    # (only with counts given: without them no row is a sum)
    summed = [i for i, count in enumerate(_in_columns(tuple(header), tuple(counts))) if not count] if counts else []
    above = ColumnSums(table.rows, summed)
    found: list[tuple[int, int, list[str]]] = []
    footer = footer_notes(table.rows, len(header))
    for i, cells in enumerate(table.rows):
        above.at = i
        if i in footer or stray_row(path, table.lines[i], cells, header, True, counts, names, not_names, above):
            found.append((i, table.lines[i], cells))
    # (the cache is of this table's cells: kept, it would pin the freed rows' memory, +17 MB
    # peak on the national DBH file)
    _normalised_cell.cache_clear()
    _may_say_total.cache_clear()
    stray_at = {f[0] for f in found}
    last_data = max((i for i in range(len(table.rows)) if i not in stray_at), default=-1)
    first_data = min((i for i in range(len(table.rows)) if i not in stray_at), default=len(table.rows))
    problems = []
    again = ColumnSums(table.rows, summed)  # (the found rows in order: summed once more, as far as they ask)
    for i, line, cells in found:
        again.at = i
        said = stray_row(path, line, cells, header, i > last_data, counts, names, not_names, again, i < first_data)
        problems.append(said if said is not None or i not in footer else footer_line(path, line, cells, footer[i]))
    return [f[0] for f in found], [p for p in problems if p is not None]


def without_stray_rows(
    path: Path,
    table: TextTable,
    names: Sequence[str] = (),
    counts: Sequence[str] = (),
    not_names: Sequence[str] = (),
) -> TextTable:
    """``table``, refused when a row is a total, a note or the header again (:func:`stray_rows`,
    ``names``: the columns naming its units; ``counts``: its columns of figures, so that Excel's
    AutoSum below them is named as a sum; ``not_names``: columns whose values are data however
    they read): said as what it is, not as the "value is missing" of its cells, and never read
    as one more unit (a "Snitt" programme ranked or flagged, a "Kilde: …" line read as a
    programme without figures). The readers of one table a file (Samordna, the seed's tables,
    the portal and SHoT) refuse it whole; DBH's lists every problem of the other rows too
    (:func:`analysis.readers.dbh.read_dbh_csv`)."""
    _, stray = stray_rows(path, table, counts, names, not_names)
    if stray:
        raise InputError(stray)
    return table


def records_table(header: Sequence[str], records: Iterable[Sequence[object]], fmt: str = "json") -> TextTable:
    """A JSON response's records (their values in the order of ``header``; None is an empty
    cell) as a table of text numbered by record (1 = the first), so that a total row, a note or
    a sum in it is found by the rule a CSV's is (:func:`stray_rows`)."""
    rows = [["" if v is None else str(v) for v in record] for record in records]
    return TextTable(list(header), rows, list(range(1, len(rows) + 1)), "", fmt)


def blank_record(record: Sequence[str]) -> bool:
    """A CSV record with nothing in it (an empty line, or separators and spaces only): skipped
    by every reader of a delimited text, its line still counted."""
    # (the first cell decides for nearly every row: the full test only when it is blank)
    return not record or (not record[0].strip() and all(cell.strip() == "" for cell in record))


def header_names(record: Sequence[str]) -> list[str]:
    """A CSV header record as the readers name its columns (a byte-order mark left in a name,
    as Excel writes one after a "sep=" line, and spaces and the other invisible characters
    around it taken out: :func:`analysis.parsing.strip_cell`)."""
    return [strip_cell(h.replace("\ufeff", "")) for h in record]


def _footer_tail(
    rows: Sequence[list[str]], lines: Sequence[int], others: Sequence[tuple[int, list[str]]], columns: int
) -> list[tuple[int, list[str]]]:
    """The rows at the end of a file that may be its notes footer (:func:`may_be_footer`), each
    with its line, in order: among the rows as wide as the header (``rows`` at ``lines``) and
    those of another width (``others``, by line). Looked for from the end, once the file is
    read: asked of every row as it was read, it took a sixth more of the reading time."""
    tail: list[tuple[int, list[str]]] = []
    r, o = len(rows) - 1, len(others) - 1
    while r >= 0 or o >= 0:
        if o >= 0 and (r < 0 or others[o][0] > lines[r]):
            start, record = others[o]
            o -= 1
        else:
            start, record = lines[r], rows[r]
            r -= 1
        if not may_be_footer(record, columns):
            break
        tail.append((start, record))
    return tail[::-1]


def read_text_table(path: Path) -> TextTable:
    """Read a delimited text file, refusing ragged rows and truncated quotes by line; an Excel
    workbook is read as the same table (:func:`xlsx_table`)."""
    if is_xlsx(path):
        return xlsx_table(path)
    text, encoding = read_text(path)
    reader, delimiter = _csv_reader(path, text)
    problems: list[Problem] = []
    header: list[str] | None = None
    header_line = 1
    rows: list[list[str]] = []
    lines: list[int] = []
    stray: list[tuple[int, list[str]]] = []  # a total row, note or header of another width
    ragged: list[tuple[int, list[str]]] = []  # any other row of another width
    line = reader.line_num  # the last line read; a record spans start..line
    try:
        for record in reader:
            # a quoted cell may hold line breaks: a row is where it starts, as an editor shows it
            start, line = line + 1, reader.line_num
            if blank_record(record):
                continue  # blank lines carry nothing
            if header is None:
                header = header_names(record)
                header_line = start
                continue
            if len(record) != len(header):
                # said once it is known whether data follows, and whether the row is a note
                # of the footer
                (stray if stray_row(path, start, record, header, below=True) is not None else ragged).append(
                    (start, record)
                )
                continue
            rows.append(record)
            lines.append(start)
    except csv.Error as err:
        # the broken record starts on the line after the last one read whole
        start = line + 1
        text_lines = text.splitlines()
        shown = text_lines[start - 1] if start <= len(text_lines) else None
        if "unexpected end of data" in str(err):
            message = "a quote opened on this line is never closed"
        else:
            message = f"cannot be read as CSV: {err}"
        problems.append(
            Problem(str(path), start, None, shown, message, "check for an unclosed quote; the file may be truncated")
        )
    if header is None:
        raise file_problem(path, None, "the file has no header row", "export the table with column names")
    last = max(lines, default=0)
    for start, record in stray:
        said = stray_row(path, start, record, header, below=start > last)
        if said is not None:
            problems.append(said)
    tail = _footer_tail(rows, lines, sorted(stray + ragged), len(header))
    if tail and not text.endswith(("\n", "\r")) and split_note(tail[-1][1], len(header)):
        # a download cut off inside its last row of names ("Norges teknisk-naturvitenskapelige
        # universitet;Datatek") is no note to delete: the footer must end with a line ended
        tail = []
    in_tail = {start for start, _ in tail}
    above = (row for start, row in zip(lines, rows) if start not in in_tail)
    footer = {tail[i][0]: note for i, note in footer_notes([record for _, record in tail], len(header), above).items()}
    for start, record in ragged:
        if start in footer:
            problems.append(footer_line(path, start, record, footer[start]))
            continue
        problems.append(
            Problem(
                str(path),
                start,
                None,
                delimiter.join(record),
                f"row has {len(record)} fields, the header has {len(header)}",
                "check for a missing or extra separator, or a truncated file",
            )
        )
    if problems:
        # the file is refused here: the notes of the footer as wide as the header are named
        # with the others, not left for the reader's test of its rows (never reached)
        problems += [footer_line(path, start, row, footer[start]) for start, row in zip(lines, rows) if start in footer]
    problems.sort(key=lambda p: p.row or 0)
    if not rows and not problems:
        raise InputError(
            [
                Problem(
                    str(path),
                    header_line,
                    None,
                    delimiter.join(header),
                    "the file has a header row but no data rows",
                    "export the table again; check the filter used for the export",
                )
            ]
        )
    empty = empty_last_columns(header, rows)
    if empty:
        header = header[:-empty]
        rows = [r[:-empty] for r in rows]
    problems += duplicate_columns(path, header, header_line)
    problems = few_ragged(problems)
    if problems:
        raise InputError(problems)
    return TextTable(header, rows, lines, delimiter, encoding, header_line)


def validate(
    model: type[pa.DataFrameModel],
    df: pd.DataFrame,
    path: Path | str,
    rows: pd.Series | list[int],
    labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Validate ``df`` lazily against ``model``; raise every problem with file/row/column."""
    from pandera.errors import SchemaErrors

    try:
        return model.validate(df, lazy=True)
    except SchemaErrors as err:
        import pandas as pd

        row_of = pd.Series(list(rows), index=df.index)
        raise InputError(problems_from_schema_errors(err, df, str(path), row_of, labels)) from None


# --- Declarative column parsing for text tables -------------------------------------------

Parser = "Callable[[str], object]"


@dataclass(frozen=True)
class Col:
    """One column of a source format: canonical name, header as the source writes it (matched
    ignoring case, spacing and hyphenation) and how to read a cell."""

    name: str
    header: str
    parse: object = None  # a function str -> value raising ParseError; None keeps the text
    required: bool = True
    nullable: bool = False
    aliases: tuple[str, ...] = ()
    #: why a column a row may leave empty (``nullable``) must have a figure in some row: with
    #: none, nothing is read (Samordna's share of women, the sample's only gender figure).
    #: Empty: the column may be empty throughout. :func:`parse_columns` says it.
    filled_somewhere: str = ""

    @property
    def spellings(self) -> tuple[str, ...]:
        """The header and its aliases as compared (:func:`normalise_header`), header first."""
        return tuple(dict.fromkeys(normalise_header(s) for s in (self.header, *self.aliases)))


def parse_columns(
    path: Path, df: pd.DataFrame, rows: list[int], cols: list[Col], header_line: int
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Parse the text cells of ``df`` by ``cols``; every unreadable cell becomes a problem
    (``rows``: each row's line; ``header_line``: the header's, where a missing column is named).

    Returns a frame with canonical column names (object dtype; the caller sets dtypes) and the
    canonical -> header-in-file map for error messages.
    """

    read = {spelling for col in cols for spelling in col.spellings}
    # a column whose values Excel made something else of is not parsed: its problem says why
    # its cells read wrong (a '#N/A' is no count), once for the column
    converted = {p.column for p in converted_problems(df, df.columns)}
    by_norm: dict[str, str] = {}
    problems: list[Problem] = []
    for h in df.columns:
        first = by_norm.setdefault(normalise_header(h), h)
        if first != h and normalise_header(h) in read:
            # "Antall menn" and "antall  menn" are one column to the reader: which holds the
            # figures? (a second reader: the last was read, and the first called "not read")
            problems.append(
                Problem(
                    str(path),
                    header_line,
                    h,
                    h,
                    f"the column is named as '{first}' is, but for case, spaces or underscores: the two cannot be told apart",
                    "remove or rename one of the columns",
                )
            )
    out: dict[str, list] = {}
    labels: dict[str, str] = {}
    for col in cols:
        # every spelling of the column that the header has, in the column's order (a spelling
        # and its alias may normalise alike: then it is one header, named once)
        found = list(dict.fromkeys(h for s in col.spellings if (h := by_norm.get(s))))
        header = found[0] if found else None
        for other in found[1:]:
            # "År" and "aar" both in the header: reading the first and passing over the other
            # was a silent choice of the adviser's figures; refused even where the two agree
            problems.append(
                Problem(
                    str(path),
                    header_line,
                    other,
                    other,
                    f"'{other}' is another name for the column '{header}': the column is in the table twice "
                    "and which one to read cannot be told",
                    f"keep one of '{header}' and '{other}': delete the other column",
                )
            )
        if header is None:
            if col.required:
                problems.append(
                    Problem(
                        str(path),
                        header_line,
                        col.header,
                        None,
                        "required column is missing",
                        f"the header row has: {', '.join(map(str, df.columns))}; add the "
                        "column or check that this is the right kind of file",
                    )
                )
            continue
        labels[col.name] = header
        if header not in converted:
            out[col.name] = _parse_column(path, df[header], rows, header, col, problems)
            if col.filled_somewhere and len(df) and df[header].fillna("").astype(str).str.strip().eq("").all():
                # said beside the file's other problems, not for them: each needs its own fix
                problems.append(
                    Problem(
                        str(path),
                        header_line,
                        header,
                        None,
                        f"no row has a figure in this column: {col.filled_somewhere}",
                        "fill the column in, or export the table again",
                    )
                )
    problems = in_file_order(converted_problems(df, labels.values()) + problems, df.columns)
    if problems:
        raise InputError(problems)
    import pandas as pd

    return pd.DataFrame(out, index=df.index), labels


#: What a column a reader does not read is: said once for every reader (a bad-input hunt,
#: 2026-12-03: a "Sum" column an adviser added was passed over without a word).
UNREAD_COLUMN = "a column the product does not read: its values are not used"


#: What a column the reader does not read is when it holds one value in every row: a filter of
#: the download, read into the measure (:func:`measure_filter`).
FILTER_COLUMN = (
    "a column of one value in every row, read as a filter of the download: the counts are of those "
    "rows only, and the measure says so"
)
FILTER_COLUMN_HINT = "if it is not a filter of the download (a note you added), delete the column"


def _passed_over_by_none(header: str) -> bool:
    return False


def passed_over_among(headers: Iterable[str]) -> Callable[[str], bool]:
    """The ``passed_over`` of :func:`unread_columns` for a reader whose format has columns it
    does not read for a stated reason, ``headers`` (matched as :func:`normalise_header` does)."""
    names = frozenset(normalise_header(h) for h in headers)
    return lambda header: normalise_header(header) in names


def unread_columns(
    columns: Iterable[object], labels: dict[str, str], passed_over: Callable[[str], bool] = _passed_over_by_none
) -> list[str]:
    """The columns of a table its reader does not read (not among the headers ``labels`` maps
    to, from :func:`parse_columns`), but those it passes over for a stated reason
    (``passed_over``: the reader's own rule, e.g. a DBH name column beside the code it reads)."""
    read = set(labels.values())
    return [str(c) for c in columns if c not in read and not passed_over(str(c))]


def unread_grouping_hint(unread: list[str], remedy: str) -> str:
    """The hint of rows with one key but different values when the file has columns its reader
    does not read (``unread``): rows that differ only there (a grouping the product does not know:
    DBH's Nivåkode, an admission type beside Samordna's key figures) look alike, and the fix is
    that column, not removing a row; ``remedy`` says what to do with it ("it"/"them" filled in)."""
    one = len(unread) == 1
    return (
        f"the file has {'a column' if one else 'columns'} the product does not read ({', '.join(unread)}): "
        f"rows that differ only there look alike; {remedy.format(it='it' if one else 'them')}"
    )


def differing_within_key(unread: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """For each row and each column of ``unread`` (the columns a reader does not read, as text):
    whether the row holds another value there than the first row with its ``keys``, the row
    :func:`check_duplicates` names it against. Only such a column splits the two rows that look
    alike (:func:`unread_grouping_hint`); one alike in them (a filter column of one value, the
    date of the download) does not, and one of the two rows is then wrong, whatever a third
    row of the key holds there."""
    text = unread.astype("string").fillna("")
    groups = [keys[c].astype("string").fillna("") for c in keys.columns]
    return text.ne(text.groupby(groups, dropna=False).transform("first"))


def measure_filter(
    text: pd.DataFrame,
    labels: dict[str, str],
    units: pd.DataFrame,
    passed_over: Callable[[str], bool] = _passed_over_by_none,
) -> tuple[str | None, list[str]]:
    """What a count table's measure was filtered on, and the columns that say it: each column the
    reader does not read (:func:`unread_columns`) that holds one and the same value in every row
    (a filter the adviser set when downloading: ``Nivåkode`` HN, ``Statsborgerskap`` Norsk). The
    counts are then that subset's, so the filter is part of the measure: "Nivåkode HN" (several
    in the file's order, joined by ", "); None where there is none. A column with two values
    splits the rows instead (refused where rows collide, :func:`unread_grouping_hint`); an empty
    column filters nothing, and neither does a date (the day of the download, "Hentet"): it
    selects no students, and as a filter two downloads of one table on two days would be two
    measures, each its own series. ``units``: the unit (institution and programme or department
    code) of each row. A file of one unit has no filter to tell: a column of one value is then as
    likely the unit's own (a one-programme download's ``Nivåkode`` B3, ``Studiepoeng`` 180) as a
    filter, and read as one it made that programme a second unit beside the same programme in a
    download of all (a second reader, 2026-12-04); it stays an unread column, warned about."""
    parts, columns = [], []
    if len(units.drop_duplicates()) <= 1:
        return None, []
    for column in unread_columns(text.columns, labels, passed_over):
        cells = text[column].astype("string").str.strip()
        values = cells.fillna("").unique()
        if len(values) == 1 and values[0] != "" and not is_date(values[0]):
            parts.append(f"{column.strip()} {values[0]}")
            columns.append(column)
    return (", ".join(parts) or None), columns


def almost_named(columns: Iterable[object], labels: dict[str, str], cols: Sequence[Col]) -> dict[str, str]:
    """The columns of a table not read (not in ``labels``) that are named as a column of ``cols``
    the table lacks, but for spaces inside the name (a line break is one too,
    :func:`normalise_header`): each with the header to give it. NOTE: a DBH reader passes over
    any column whose name ends in "navn" as a code's name, so "Avdelings navn" (Excel's wrapped
    header, a space typed) was not read, without a word (a helper's note, 2026-12-05)."""
    wanted = {
        spelling.replace(" ", ""): col.header for col in cols if col.name not in labels for spelling in col.spellings
    }
    # (a column named as the reader's is its own, read or not: "Semesternavn" read for the code)
    exact = {spelling for col in cols for spelling in col.spellings}
    read = set(labels.values())
    found: dict[str, str] = {}
    for column in columns:
        name = normalise_header(str(column))
        if column not in read and name not in exact and name.replace(" ", "") in wanted:
            found[str(column)] = wanted[name.replace(" ", "")]
    return found


def unread_column_warnings(
    path: Path,
    text: pd.DataFrame,
    labels: dict[str, str],
    passed_over: Callable[[str], bool] = _passed_over_by_none,
    hint: str = "delete the column if you added it",
    read_as_filter: Iterable[str] = (),
    cols: Sequence[Col] = (),
) -> list[Problem]:
    """A warning ``FILE:-:COLUMN: FIRST VALUE`` for each column of ``text`` (the table as text)
    the reader does not read (:func:`unread_columns`), but those read into the measure as its
    filter (``read_as_filter``, :func:`measure_filter`: their value is used); one whose values
    Excel made something else of (:func:`converted_problems`) says so, as it is not refused.
    A column named as one of the reader's columns ``cols`` is, but for a space or line break
    inside a word ("Avdelings navn", "Avdelings⏎navn" for "Avdelingsnavn"), is named with the
    name to give it, even where ``passed_over`` passes it over (:func:`almost_named`)."""
    warnings = []
    filters = set(read_as_filter)
    almost = almost_named(text.columns, labels, cols)
    for column, header in almost.items():
        cells = text[column].astype("string").str.strip()
        filled = cells[cells.notna() & (cells != "")]
        warnings.append(
            Problem(
                str(path),
                None,
                column,
                filled.iloc[0] if len(filled) else None,
                f"{UNREAD_COLUMN}: it is named as '{header}' is, but for a space or line break inside the name",
                f"rename the column '{header}' to have it read",
            )
        )
    for column in unread_columns(text.columns, labels, passed_over):
        if column in almost:
            continue
        if column in filters:
            # its value is used: said as what it is read as, so that a column of one value the
            # adviser added (a note) is not taken for a filter unseen
            value = str(text[column].astype("string").str.strip().iloc[0])
            warnings.append(Problem(str(path), None, column, value, FILTER_COLUMN, FILTER_COLUMN_HINT))
            continue
        cells = text[column].astype("string").str.strip()
        filled = cells[cells.notna() & (cells != "")]
        message = "; ".join([UNREAD_COLUMN, *(p.message for p in converted_problems(text, [column]))])
        warnings.append(Problem(str(path), None, column, filled.iloc[0] if len(filled) else None, message, hint))
    return warnings


def _parse_column(
    path: Path, cells: pd.Series, rows: list[int], header: str, col: Col, problems: list[Problem]
) -> np.ndarray:
    """One column read by ``col``: values (``None`` where empty or unreadable) in an object array.

    Empty cells and, where the parser has a fast form (:func:`analysis.parsing.vectorised`),
    the cells it accepts are handled for the whole column at once; only the other cells are
    read one by one, so every bad cell still gets its own problem.
    """
    import numpy as np
    import pandas as pd

    from analysis.parsing import (
        CONTROL_HINT,
        INVISIBLE_HINT,
        INVISIBLE_RE,
        LINE_BREAK_RE,
        ParseError,
        control_inside,
        invisible_inside,
        strip_cell,
        text_cell,
    )

    raw = cells.to_numpy(dtype=object)
    text = pd.Series(raw, dtype="str").fillna("")
    stripped = text.str.strip()
    invisible = stripped.str.contains(INVISIBLE_RE.pattern, regex=True).to_numpy(dtype=bool)
    if invisible.any():  # at a cell's ends as blank as a space (strip_cell)
        stripped[invisible] = stripped[invisible].map(strip_cell)
    if col.parse is None and col.name.endswith("_name"):
        # a name: a line break inside it is layout, one space (text_cell); not in a key of
        # text (an indicator, a variable) or a note, whose line breaks are kept or refused
        broken = stripped.str.contains(LINE_BREAK_RE.pattern, regex=True).to_numpy(dtype=bool)
        if broken.any():
            stripped[broken] = stripped[broken].map(text_cell)
    empty = (stripped == "").to_numpy(dtype=bool)
    values = np.full(len(raw), None, dtype=object)
    if col.parse is None:
        values[~empty] = stripped.to_numpy(dtype=object)[~empty]
        todo = np.zeros(len(raw), dtype=bool)
    elif getattr(col.parse, "fast_pattern", None) is not None:
        low, high = col.parse.fast_bounds
        matched = stripped.str.fullmatch(col.parse.fast_pattern).fillna(False).to_numpy(dtype=bool)
        numbers = np.zeros(len(raw), dtype=np.int64)
        numbers[matched] = stripped[matched].astype("int64").to_numpy()
        fast = matched & (numbers >= low) & (numbers <= high)
        values[fast] = numbers[fast].tolist()
        todo = ~fast & ~empty
    else:
        todo = ~empty
    found: list[tuple[int, Problem]] = []
    if col.name.endswith("_code"):
        for i in np.flatnonzero(invisible & ~empty):
            what = invisible_inside(stripped.iloc[i])
            if what is not None:
                values[i], todo[i] = None, False
                found.append((i, Problem(str(path), rows[i], header, str(raw[i]), what, INVISIBLE_HINT)))
    elif col.parse is None:  # a name or other text: a control character inside it is refused by name
        for i in np.flatnonzero(invisible & ~empty):
            what = control_inside(stripped.iloc[i])
            if what is not None:
                values[i] = None
                found.append((i, Problem(str(path), rows[i], header, str(raw[i]), what, CONTROL_HINT)))
    if not col.nullable:
        for i in np.flatnonzero(empty):
            found.append(
                (
                    i,
                    Problem(
                        str(path),
                        rows[i],
                        header,
                        "" if raw[i] is None else str(raw[i]),
                        "value is missing",
                        "fill in the value or remove the row",
                    ),
                )
            )
    # a cause the whole column has (ParseError.per_column): its cells, by cause, said once for the
    # column when two or more have it, each other cell on its own line
    whole: dict[tuple[str, str, str], list[tuple[int, Problem]]] = {}
    for i in np.flatnonzero(todo):
        cell = "" if raw[i] is None else str(raw[i])
        try:  # read without the invisible characters at its ends (strip_cell), named as written
            values[i] = col.parse(stripped.iloc[i] if invisible[i] else cell)
        except ParseError as err:
            problem = Problem(str(path), rows[i], header, cell, err.message, err.hint)
            (whole.setdefault(err.per_column, []) if err.per_column else found).append((i, problem))
    for cause, cells in whole.items():
        if len(cells) == 1:
            found.extend(cells)
        else:
            said = once_per_column(path, header, [(p.row, p.value) for _, p in cells], *cause)
            found.append((cells[0][0], said))
    problems.extend(p for _, p in sorted(found, key=lambda f: f[0]))
    return values


def check_duplicates(
    path: Path,
    df: pd.DataFrame,
    key: list[str],
    values: list[str],
    rows: pd.Series,
    labels: dict[str, str],
    value_column: pd.Series | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows with the same key: conflicting values are an error naming both rows; identical
    repeats are kept once with a warning (never dropped silently).

    ``value_column`` names, per row, the column in the file that holds the values, for layouts
    where that differs by row (one column per year).
    """
    import pandas as pd

    dup = df.duplicated(subset=key, keep=False)
    if not dup.any():
        return df, []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    first_of: dict[tuple, int] = {}
    drop: list = []
    for idx in df.index[dup]:
        k = tuple(df.at[idx, c] for c in key)
        if k not in first_of:
            first_of[k] = idx
            continue
        first = first_of[k]
        key_text = ", ".join(f"{labels.get(c, c)}={df.at[idx, c]}" for c in key if not pd.isna(df.at[idx, c]))
        same = all(
            (pd.isna(df.at[idx, c]) and pd.isna(df.at[first, c])) or df.at[idx, c] == df.at[first, c] for c in values
        )
        if same:
            warnings.append(
                Problem(
                    str(path),
                    int(rows.loc[idx]),
                    None,
                    key_text,
                    f"repeats row {int(rows.loc[first])} exactly; read once",
                    "remove the repeated row",
                )
            )
            drop.append(idx)
        else:
            differing = next(
                c
                for c in values
                if not ((pd.isna(df.at[idx, c]) and pd.isna(df.at[first, c])) or df.at[idx, c] == df.at[first, c])
            )
            column = value_column.loc[idx] if value_column is not None else labels.get(differing, differing)
            problems.append(
                Problem(
                    str(path),
                    int(rows.loc[idx]),
                    column,
                    df.at[idx, differing],
                    f"same key ({key_text}) as row {int(rows.loc[first])} but a different value "
                    f"({df.at[first, differing]})",
                    "keep one row per key: remove the wrong row",
                )
            )
    if problems:
        raise InputError(problems)
    return df.drop(index=drop), warnings
