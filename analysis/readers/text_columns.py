"""A delimited text file read by Arrow into columns of text, where that reads it exactly as
:func:`analysis.readers.base.read_text_table` does; None where it might not.

Why: ``read_text_table`` parses with Python's csv module into a list per row, which for a
respondent file of 300 000 rows × 64 columns (47 MB) took ~2 s and ~430 MB, and the rows then
had to be turned into columns again (~4 s). Arrow's CSV parser reads the same file into
columns in ~0.5 s. The two parsers differ only in what Python's refuses or reads otherwise (a
quote inside a field, text after a closing quote, a line break inside quotes, a field past
csv's size limit, rows of another width, blank lines); a file with any of these is left to
``read_text_table`` (None here), which names each problem by its line as before. So a file
either reads here as it would there, cell for cell and line for line, or not at all.

The header, and Excel's "sep=" line and blank lines above it, are read by the same csv reader
as ``read_text_table`` reads them; Arrow reads only the lines below the header.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from analysis.errors import InputError
from analysis.parsing import DecodeError, decode_text, normalise_header

_NEWLINE, _RETURN, _QUOTE = 10, 13, 34


@dataclass
class TextColumns:
    """A delimited text file's cells as Arrow columns of text (dictionaries of it), one per header
    cell in file order (named by position, "0", "1", …, as header names may repeat or be empty), with each
    row's line as an editor shows it, as :class:`analysis.readers.base.TextTable` numbers them."""

    header: list[str]
    table: Any
    lines: np.ndarray
    header_line: int
    delimiter: str
    encoding: str
    #: the positions of the rows a cell of which may make them a stray row (a total, a note, the
    #: header again: :func:`~analysis.readers.base.may_make_stray`); no other row is one
    may_be_stray: np.ndarray


def read_text_columns(path: Path) -> TextColumns | None:
    """``path`` read into columns, or None where :func:`~analysis.readers.base.read_text_table`
    must read it (it may have a problem to name, or read differently from Arrow): an
    unreadable file, an encoding problem, no header or no data row, a delimiter Arrow cannot
    take, quotes that are not whole fields on one line, NUL characters, a byte-order mark right
    under the header, a line past csv's field size limit, rows of another width, a duplicate
    column name."""
    from analysis.readers.base import _csv_reader, blank_record, duplicate_columns, head_of, header_names, read_bytes

    try:
        data = read_bytes(path)
        decoded = decode_text(data)
    except (InputError, DecodeError):
        return None
    text, encoding = decoded.text, decoded.encoding
    del decoded
    # the header is read from the file's first lines (:func:`head_of`), the rows by Arrow
    head = head_of(text)
    header: list[str] | None = None
    try:
        reader, delimiter = _csv_reader(path, head)
        header_line = line = reader.line_num
        for record in reader:
            start, line = line + 1, reader.line_num
            if not blank_record(record):
                header, header_line = header_names(record), start
                break
    except (InputError, csv.Error):
        return None
    if len(delimiter) != 1 or not delimiter.isascii() or delimiter in '"\r\n':
        return None
    if header is None or len(header) < 2 or duplicate_columns(path, header, header_line):
        return None
    below = _after_lines(head, line)
    if encoding.startswith("utf-8"):
        # the lines below the header are the file's own bytes (no copy); a BOM is 3 bytes
        body, start = data, (3 if encoding == "utf-8-sig" else 0) + len(head[:below].encode("utf-8"))
    else:
        body, start = text[below:].encode("utf-8"), 0  # (UTF-8 is the one encoding Arrow reads)
    del text, data
    lines = _row_lines(body, start, delimiter)
    if lines is None:
        return None
    table = _arrow_cells(body, start, delimiter, len(header))
    del body
    if table is None or table.num_rows != len(lines):
        return None
    lines += line + 1  # (lines below the header counted from 0: the file's line numbers)
    blank_row, column_blank, stray = _cell_marks(table, header)
    if blank_row.any():
        from analysis.arrays import array_of

        kept = ~blank_row
        table, lines, stray = table.filter(array_of(kept)), lines[kept], stray[kept]
    if table.num_rows == 0:
        return None
    from analysis.readers.table_shape import empty_last_count

    width = len(header)
    empty = empty_last_count(header, lambda i: column_blank[width + i])
    if empty:
        header, table = header[:-empty], table.select(range(width - empty))
    return TextColumns(header, table, lines, header_line, delimiter, encoding, np.flatnonzero(stray))


def _after_lines(text: str, count: int) -> int:
    """Where in ``text`` its first ``count`` lines end, lines ending where the csv reader's do
    (at "\n", "\r\n" or "\r")."""
    start = 0
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if number > count:
            break
        start += len(line)
    return start


def _row_lines(body: bytes, start: int, delimiter: str) -> np.ndarray | None:
    """Per line of ``body`` from ``start`` on that has content, its line number (0: the first
    line); None where Arrow's rows may not be these lines or may not hold what Python's csv
    reads in them: a quote that does not open or close a whole field on one line (a doubled
    quote, a quote inside a field, text after a closing quote, a line break inside quotes), a
    NUL character, a line longer than csv's field size limit (a field longer is refused), or a
    byte-order mark opening the first line (Arrow drops it, the csv module keeps it in the first
    cell: a second export pasted right under the header; a second reader, 2026-12-04)."""
    if body.find(b"\x00", start) >= 0 or body.startswith(b"\xef\xbb\xbf", start):
        return None
    cells = np.frombuffer(body, dtype=np.uint8, offset=start)
    size = len(cells)
    ends = np.flatnonzero(cells == _NEWLINE)
    if body.find(b"\r", start) >= 0:
        # a "\r" ends a line unless a "\n" follows it (then the two end one line)
        returns = np.flatnonzero(cells == _RETURN)
        alone = returns[(returns + 1 == size) | (cells[np.minimum(returns + 1, size - 1)] != _NEWLINE)]
        ends = np.union1d(ends, alone)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [size]))
    # a "\r\n" line's content stops before its "\r"
    crlf = (stops > starts) & (stops < size)
    crlf[crlf] = cells[stops[crlf] - 1] == _RETURN
    stops = stops - crlf
    if len(stops) and int((stops - starts).max()) > csv.field_size_limit():
        return None
    quotes = np.flatnonzero(cells == _QUOTE)
    if len(quotes):
        if len(quotes) % 2:
            return None
        opening, closing = quotes[0::2], quotes[1::2]
        edge = np.zeros(256, dtype=bool)
        edge[[ord(delimiter), _NEWLINE, _RETURN]] = True
        # every opening quote begins a field (after a separator or line end), every closing one
        # ends it, on the same line: so each quoted field is one quoted text, read alike by both
        before = cells[np.maximum(opening - 1, 0)]
        after = cells[np.minimum(closing + 1, size - 1)]
        if not ((opening == 0) | edge[before]).all() or not ((closing == size - 1) | edge[after]).all():
            return None
        if (np.searchsorted(ends, opening) != np.searchsorted(ends, closing)).any():
            return None
    return np.flatnonzero(stops > starts)


def _arrow_cells(body: bytes, start: int, delimiter: str, width: int):
    """Arrow's table of ``body``'s cells from ``start`` on, as text (an empty cell is "", never
    null); None when Arrow refuses it (a row of another width). One thread: a second earned
    nothing measured on a 2-core machine (0.51 against 0.57 s for 47 MB, with more memory)."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    names = [str(i) for i in range(width)]
    # each column as a dictionary of its text per block: a respondent file's item takes a
    # handful of words, so 0.39 s and 73 MB for 47 MB of cells, against 0.50 s and 98 MB as text
    text = pa.dictionary(pa.int32(), pa.string())
    try:
        return pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(body).slice(start)),
            read_options=pa_csv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=False, ignore_empty_lines=True),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, text), strings_can_be_null=False),
        )
    except pa.ArrowInvalid:
        return None


def _cell_marks(table, header: list[str]) -> tuple[np.ndarray, list[bool], np.ndarray]:
    """Per row, whether all its cells are blank (skipped as
    :func:`~analysis.readers.base.blank_record` skips it); per column, whether every cell is
    blank; per row, whether a cell of it may make it a stray row
    (:func:`~analysis.readers.base.may_make_stray`). Each test is Python's own, asked once per
    distinct value of a column (a respondent file's item takes a handful)."""
    from analysis.arrays import values_of
    from analysis.readers.base import may_make_stray

    blank_row = np.ones(table.num_rows, dtype=bool)
    stray = np.zeros(table.num_rows, dtype=bool)
    column_blank = []
    for name, column in zip(header, table.columns):
        named = normalise_header(name)
        marks: dict[str, tuple[bool, bool]] = {}  # word -> (blank, may make a stray row)
        start, all_blank = 0, True
        for chunk in column.chunks:
            words = chunk.dictionary.to_pylist()
            for word in words:
                if word not in marks:
                    marks[word] = (word.strip() == "", may_make_stray(word, named))
            blank = np.array([marks[w][0] for w in words], dtype=bool)
            may = np.array([marks[w][1] for w in words], dtype=bool)
            position = values_of(chunk.indices)
            stop = start + len(chunk)
            blank_row[start:stop] &= blank[position]
            if may.any():
                stray[start:stop] |= may[position]
            all_blank = all_blank and bool(blank[position].all())
            start = stop
        column_blank.append(all_blank)
    return blank_row, column_blank, stray


def without_stray_rows_of(path: Path, columns: TextColumns, names: list[str]) -> None:
    """Refuse a total row, a note or the header again among ``columns``' rows, as
    :func:`~analysis.readers.base.without_stray_rows` refuses them in a table of rows (``names``:
    the columns naming the units), in the same words. Only the rows that may be stray
    (:attr:`TextColumns.may_be_stray`) are asked, with the first and the last of the others,
    so that "below the table" and "above the table" are said of the same rows."""
    from analysis.arrays import array_of
    from analysis.readers.base import TextTable, without_stray_rows

    asked = columns.may_be_stray
    if not len(asked):
        return
    others = np.setdiff1d(np.arange(columns.table.num_rows), asked, assume_unique=True)
    positions = np.union1d(asked, others[[0, -1]] if len(others) else others)
    picked = columns.table.take(array_of(positions))
    rows = [list(row) for row in zip(*(column.to_pylist() for column in picked.columns))]
    lines = [int(n) for n in columns.lines[positions]]
    without_stray_rows(
        path, TextTable(columns.header, rows, lines, columns.delimiter, columns.encoding, columns.header_line), names
    )
