"""Studiebarometeret respondent-level raw data (NOKUT's delivery to institutions).

One row per respondent: the programme key ``studprog_kod``, the survey year ``aar`` and one
column per item, named by NOKUT's variable names (``underv_engasj_18``; see
:data:`schemas.studiebarometeret.ITEM_NAME`). What an answer is (1–5; ``9999`` "vet ikke" and
blanks are missing; anything else an error) is defined in :mod:`analysis.metrics.survey`.
Optional pass-through columns give faculty and institution rollups: ``institusjonskode`` (DBH
institution code) and ``fakultetskode`` (DBH faculty code), read as text (leading zeros kept;
a code of digits shorter than DBH's four or three lost them and is refused when counted).
Other columns (NOKUT's own ``indeks_*``, background variables) are not read and are listed in
``notes["ignored_columns"]``.

Formats, recognised from the file's first bytes, not its name: Parquet (integer, float or text
columns), CSV (semicolon, comma or tab; UTF-8 with or without BOM, or Windows-1252) and XLSX
(first worksheet, header in the first non-empty row). Rows are named as the person sees them:
the Parquet row (1 = first), the CSV line (header = line 1), the spreadsheet row.

Opening a file (:func:`open_survey_respondents`) checks its header; its columns are then read
one at a time, a row group at a time, by the counting engine
(:mod:`analysis.metrics.survey_counts`), so a national Parquet file never sits in memory whole. A CSV or XLSX file is parsed into an Arrow table of its
text cells. Every cell is checked as it is counted, with the same checks and row numbers for
every format. A total or average row ("Totalt", "Snitt") is refused once, at its word, by the
rule of every reader (:func:`analysis.readers.base.total_cell`): a CSV's or workbook's as the
file is opened, a Parquet file's by its key when counted. :func:`analysis.metrics.survey_counts.read_survey_respondents` gives the
validated frame (``SurveyRespondents``) for ``ingest`` and the notebooks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.errors import InputError, Problem, file_problem
from analysis.parsing import INVISIBLE, INVISIBLE_RE, invisible_name, strip_cell, whole_number_text
from analysis.readers.table_shape import column_names
from analysis.settings import DONT_KNOW_CODE, LIKERT_MAX, LIKERT_MIN
from schemas.survey_layout import (
    FACULTY_KEY,
    FIRST_YEAR,
    INSTITUTION_KEY,
    LAST_YEAR,
    PROGRAMME_KEY,
    SOURCE_FILE,
    YEAR_KEY,
    item_columns,
    not_on_the_scale,
)

if TYPE_CHECKING:
    from analysis.readers.text_columns import TextColumns

KIND = "sb-respondents"
DATASET = "survey_respondents"

UNIT_KEYS = (INSTITUTION_KEY, FACULTY_KEY)
#: Key columns, finest last but one: a respondent's group is institution × faculty × programme × year.
KEYS = (INSTITUTION_KEY, FACULTY_KEY, PROGRAMME_KEY, YEAR_KEY)

#: How a text cell writes an answer, after :func:`analysis.parsing.whole_number_text`: "4.0" (a
#: column with blanks saved from pandas or R is a float column), "4,0" (a Norwegian CSV) and
#: "4.00" (SPSS's default format F8.2) are 4; a workbook's 4.0 is read as 4 already.
TEXT_CODES = {str(value): value for value in (*range(LIKERT_MIN, LIKERT_MAX + 1), DONT_KNOW_CODE)}

#: The number a cell gets when it cannot be an answer (text outside :data:`TEXT_CODES`, a
#: boolean, a date): any number but 1–5 and 9999 would do; ``answer_codes`` calls it not an answer.
NOT_A_NUMBER_ANSWER = -1


@dataclass
class RespondentFile:
    """A respondent-level file, opened: its header checked, its cells not yet read.

    Has ``path``, ``kind``, ``dataset`` and ``warnings`` like a ``ReadResult``, so the commands
    treat both alike.
    """

    path: Path
    fmt: str
    #: key -> the column's name in the file, for the keys present
    keys: dict[str, str]
    items: list[str]
    rows: int
    ignored: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: dict[str, object] = field(default_factory=dict)
    #: the text cells of a CSV or XLSX file (None: a Parquet file, read when asked)
    table: Any = None
    #: the row as the person sees it, by position (None: position + 1, as in Parquet)
    lines: Any = None
    kind: str = KIND
    dataset: str = DATASET
    _parquet: Any = field(default=None, repr=False, compare=False)
    #: the open file every Parquet reader of this file reads
    _source: Any = field(default=None, repr=False, compare=False)

    @property
    def suppressed(self) -> None:
        """Respondent answers have no suppressed cells (as ``ReadResult.suppressed``)."""
        return None

    def read(self, columns: list[str], piece: int | None = None):
        """The named columns (file names) as an Arrow table, whole or only the rows of one
        :attr:`pieces` part; text codes of a Parquet file as dictionaries (a few thousand codes
        over millions of rows are cleaned once each)."""
        if self.table is not None:
            return self.table.select(columns)
        import pyarrow as pa

        try:
            if piece is not None:
                return self._parquet_file().read_row_group(piece, columns=columns, use_threads=False)
            return self._parquet_file().read(columns=columns, use_threads=False)
        except (pa.ArrowException, OSError) as err:
            raise _unreadable_parquet(self.path, err) from None

    def reopened(self) -> RespondentFile:
        """The same file with a Parquet reader of its own, for reading in another thread (one
        reader is not made for reads from two threads at once). Every reader reads the file as
        it was opened (reads at an offset: safe from several threads), so a file replaced during
        the run is never read half old, half new; the footer is not read again."""
        if self.table is not None:
            return self
        metadata = self._parquet_file().metadata
        return replace(self, _parquet=_parquet_reader(self.path, self._source, metadata, list(self.keys.values())))

    @property
    def pieces(self) -> list[int]:
        """The rows of each part the file is read in: a Parquet file's row groups, else one."""
        if self.table is not None:
            return [self.rows]
        metadata = self._parquet_file().metadata
        return [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]

    def _parquet_file(self):
        assert self._parquet is not None, "a Parquet RespondentFile is made by open_survey_respondents"
        return self._parquet

    def row(self, position: int) -> int:
        """The row as the person sees it, for a respondent's position in the file."""
        return int(self.lines[position]) if self.lines is not None else int(position) + 1


def open_survey_respondents(path: Path | str) -> RespondentFile:
    """Open a respondent-level file: the header read and checked, the cells not yet read.

    Raises:
        InputError: the file cannot be read, lacks required columns or has no rows. Problems
            in cells (an answer that is not one, an empty programme code, a bad year) are
            found when the file is counted.
    """
    file = _open(Path(path))
    if hours_or_days := not_on_the_scale(file.ignored):
        file.notes["not_on_the_scale"] = hours_or_days
    if before := named_with_a_year_before_the_survey(file.ignored):
        file.notes["year_before_the_survey"] = before
    return file


def _open(path: Path) -> RespondentFile:
    head = _head(path)
    if head.startswith(b"PAR1"):
        return _open_parquet(path)
    if head.startswith(b"PK\x03\x04"):
        names, cells, rows, header_line, warnings, notes = _xlsx_cells(path)
        return _open_text(path, "xlsx", names, cells, rows, header_line, warnings, notes)
    from analysis.readers.text_columns import read_text_columns

    columns = read_text_columns(path)
    if columns is not None:
        return _open_columns(path, columns)
    # (a file Arrow might read otherwise, or with a problem to name by its line)
    return _open_csv_rows(path)


def _open_csv_rows(path: Path) -> RespondentFile:
    """A CSV file opened by :func:`analysis.readers.base.read_text_table`, row by row: every
    file Arrow cannot be trusted to read alike, and every problem of the file's shape named."""
    from analysis.readers.base import read_text_table

    table = read_text_table(path)
    return _open_text(
        path,
        "csv",
        table.header,
        table.rows,
        table.lines,
        table.header_line,
        [],
        {"encoding": table.encoding, "delimiter": table.delimiter},
    )


def cell_numbers(column) -> tuple:
    """An item column (Arrow) as numbers for :func:`analysis.metrics.survey.answer_codes`, and
    where its cells are blank (None: nowhere). Integers and floats as they are (a NaN written by
    pandas is blank), text by :func:`text_numbers`; a column of any other type holds no answers."""
    import numpy as np
    import pyarrow as pa

    kind = column.type
    if pa.types.is_dictionary(kind):
        if pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type):
            return text_numbers(column)  # (its words as they are: a CSV's cells, read by Arrow)
        column, kind = column.cast(kind.value_type), kind.value_type
    from analysis.arrays import blanks_of

    blank = blanks_of(column)
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        parts = [chunk_values(chunk) for chunk in column.chunks]
        values = parts[0] if len(parts) == 1 else np.concatenate(parts or [np.zeros(0, np.int8)])
        if values.dtype.kind == "f":
            nan = np.isnan(values)
            blank = nan if blank is None else blank | nan
        return values, blank
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return text_numbers(column)
    if pa.types.is_null(kind):
        return np.zeros(len(column)), np.ones(len(column), bool)  # every cell blank
    return np.full(len(column), NOT_A_NUMBER_ANSWER), blank  # booleans, dates: never an answer


def chunk_values(chunk):
    """A number column's values as they lie in Arrow's buffer (no copy); a blank cell holds
    whatever the writer put there, and is told apart by its null bit."""
    from analysis.arrays import values_of

    return values_of(chunk)


def text_numbers(cells) -> tuple:
    """Text cells (an Arrow string array, or a dictionary of text: a CSV read by Arrow) as
    numbers for :func:`analysis.metrics.survey.answer_codes`: the exact codes of
    :data:`TEXT_CODES`, :data:`NOT_A_NUMBER_ANSWER` for other text, and where the cell is blank."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(cells.type):
        # each chunk's few words read once, its cells by their place among them
        chunks = cells.chunks if hasattr(cells, "chunks") else [cells]
        parts = [_word_numbers(pc.utf8_trim_whitespace(chunk.dictionary), chunk.indices) for chunk in chunks]
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return np.zeros(0, np.int16), np.zeros(0, bool)
        return np.concatenate([part[0] for part in parts]), np.concatenate([part[1] for part in parts])
    stripped = pc.utf8_trim_whitespace(cells)
    encoded = (
        pc.dictionary_encode(stripped).combine_chunks()
        if hasattr(stripped, "chunks")
        else pc.dictionary_encode(stripped)
    )
    return _word_numbers(encoded.dictionary, encoded.indices)


def _word_numbers(words, indices) -> tuple:
    """:func:`text_numbers` of cells given as their distinct stripped ``words`` (Arrow) and each
    cell's place among them (``indices``; null: a blank cell)."""
    import numpy as np

    from analysis.arrays import values_of

    # each word as the one rule reads a cell (whole_number_text: strip_cell's spaces and invisible
    # characters at its ends gone): a cell of only a zero-width space is as blank as one of spaces
    texts = [whole_number_text(w) for w in words.to_pylist()]
    # the last place is for a blank cell (fill_null below); int16: answer_codes' fast path
    number = np.array([TEXT_CODES.get(t, NOT_A_NUMBER_ANSWER) for t in texts] + [NOT_A_NUMBER_ANSWER], dtype=np.int16)
    blank_word = np.array([t == "" for t in texts] + [True])
    position = values_of(indices.fill_null(len(texts)) if indices.null_count else indices)
    return number[position], blank_word[position]


def _head(path: Path) -> bytes:
    from analysis.readers.base import check_not_special, read_bytes

    check_not_special(path)  # a FIFO or device is refused before it is opened (it could wait for ever)
    if not path.is_file():
        read_bytes(path)  # raises the clear error (missing, folder)
    try:
        with path.open("rb") as fh:
            return fh.read(8)
    except OSError:
        read_bytes(path)  # raises the clear error (permission, …)
        raise


#: An item name (:data:`schemas.survey_layout.ITEM_NAME`) ending in a year of four digits, as
#: NOKUT names an item: a block and the question (``underv_engasj``; every item of the variable
#: list 2021–2025 has both) before the year the question was introduced, a survey year
#: (:func:`_item_with_full_year`). A word and a year (``kull_2019``, an institution's own
#: background column) is none: it is passed over as background, as any column that is no item.
_ITEM_WITH_FULL_YEAR = re.compile(r"(?!indeks_|indx_)([a-z][a-z0-9]*(?:_[a-z0-9]+)+)_([0-9]{4})")


def _item_with_full_year(name: object) -> re.Match[str] | None:
    """The match of :data:`_ITEM_WITH_FULL_YEAR` where ``name`` is an item's name with a year of
    four digits, its year one of the survey's (:data:`FIRST_YEAR`–:data:`LAST_YEAR`); None else."""
    found = _ITEM_WITH_FULL_YEAR.fullmatch(name.strip().lower()) if isinstance(name, str) else None
    return found if found and FIRST_YEAR <= int(found.group(2)) <= LAST_YEAR else None


def named_with_a_year_before_the_survey(names: list[str]) -> list[str]:
    """The columns of ``names`` named as NOKUT names an item with a year of four digits
    (:data:`_ITEM_WITH_FULL_YEAR`), the year before the survey's first (:data:`FIRST_YEAR`:
    ``laerutb_teori_2012``), in file order. Not items, and not refused as one with a survey's year
    is (:func:`_check_header`): a background column of the institution's own may be named so
    (``studiestart_kull_2011``). Named in the survey's notes, where they were passed over
    without a word (a bad-input hunt, 2026-12-05): the adviser who meant a question learns it
    was not read."""
    found = (_ITEM_WITH_FULL_YEAR.fullmatch(n.strip().lower()) if isinstance(n, str) else None for n in names)
    return [n for n, f in zip(names, found) if f is not None and int(f.group(2)) < FIRST_YEAR]


def _check_header(path: Path, names: list[str], header_line: int) -> dict[str, str]:
    """Refuse duplicate names and missing key or item columns, named on the header's line or
    row (``header_line``); key -> name in the file."""
    from analysis.readers.base import duplicate_columns

    problems = duplicate_columns(path, names, header_line)
    # an item name with capitals ("Underv_Engasj_18", a header tidied in Excel) is not NOKUT's
    # name: refused, never left out of the counts and its index
    problems += [
        Problem(
            str(path),
            header_line,
            n,
            n,
            f"an item column with capitals: NOKUT's item names are lower-case ({n.strip().lower()}); "
            "it would not be counted",
            f"rename the column {n.strip().lower()}",
        )
        for n in names
        if isinstance(n, str) and n.strip() != n.strip().lower() and item_columns([n.strip().lower()])
    ]
    # an item name ending in a year of four digits ("underv_engasj_2025", a new year's delivery
    # or a header tidied by hand) is no NOKUT name either: it was left out of the counts and its
    # index without a word (a bad-input hunt, 2026-12-05)
    problems += [
        Problem(
            str(path),
            header_line,
            n,
            n,
            "an item column named with a four-digit year: NOKUT's item names end in two digits, the year the "
            f"question was introduced (as {found.group(1)}_{found.group(2)[2:]} would); it would not be counted",
            "rename the column by NOKUT's variable name, as the survey's variable list writes it; a background "
            f"column of your own, not a question: a name that does not end in _{found.group(2)}",
        )
        for n in names
        if (found := _item_with_full_year(n))
    ]
    # an item's name with an invisible character (a Parquet file's column named from a header
    # pasted from a web page, or one inside a name): a CSV's and a workbook's header is read
    # without them at its ends (strip_cell), but an item is counted by its name as written, and
    # was left out without a word; refused naming the character (a key is read by its name)
    problems += [
        Problem(
            str(path),
            header_line,
            n,
            n,
            f"an item column whose name has an invisible character, "
            f"{invisible_name(next(c for c in n if c in INVISIBLE))}: it looks like {bare} but is not that name; "
            "it would not be counted",
            f"rename the column {bare}",
        )
        for n in names
        if isinstance(n, str) and (bare := INVISIBLE_RE.sub("", n).strip()) != n.strip() and item_columns([bare])
    ]
    keys: dict[str, str] = {}
    for name in names:
        if isinstance(name, str) and strip_cell(name).lower() in KEYS:
            keys.setdefault(strip_cell(name).lower(), name)
    shown = ", ".join(map(str, names[:10])) + (" …" if len(names) > 10 else "")
    problems += [
        Problem(
            str(path),
            header_line,
            c,
            None,
            "required column is missing",
            f"respondent-level data needs {PROGRAMME_KEY}, {YEAR_KEY} and item columns; the file has {shown}",
        )
        for c in (PROGRAMME_KEY, YEAR_KEY)
        if c not in keys
    ]
    if not item_columns(names):
        problems.append(
            Problem(
                str(path),
                header_line,
                None,
                None,
                "no item columns",
                f"item columns are named by NOKUT variable names, e.g. underv_engasj_18; the file has {shown}",
            )
        )
    if problems:
        raise InputError(problems)
    return {key: keys[key] for key in KEYS if key in keys}


# --------------------------------------------------------------------------------------------
# Parquet: read a column at a time when counted


def _open_parquet(path: Path) -> RespondentFile:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # the file is opened once, here: its header and every cell read later come from this
        # one open file, even if the file is replaced while other files are counted
        source = pa.OSFile(str(path))
        metadata = pq.read_metadata(source)
        schema = metadata.schema.to_arrow_schema()
    except (pa.ArrowException, OSError) as err:
        raise _unreadable_parquet(path, err) from None
    if metadata.num_rows == 0:
        raise file_problem(path, None, "the file has no respondent rows", "export the data again with its rows")
    keys = _check_header(path, schema.names, 1)  # (a Parquet file has no lines: its schema is "row 1")
    items = item_columns(schema.names)
    warnings = []
    for key, name in keys.items():
        kind = schema.field(name).type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        if key != YEAR_KEY and not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            warnings.append(
                Problem(
                    str(path),
                    None,
                    name,
                    str(kind),
                    "codes are stored as numbers: leading zeros may have been lost",
                    "store codes as text in the export",
                )
            )
    return RespondentFile(
        path,
        "parquet",
        keys,
        items,
        metadata.num_rows,
        [n for n in schema.names if n not in keys.values() and n not in items],
        warnings,
        _source=source,
        _parquet=_parquet_reader(path, source, metadata, list(keys.values())),
    )


def _parquet_reader(path: Path, source, metadata, codes: list[str]):
    """A Parquet reader of the open file ``source`` (``metadata``: its footer, when read
    already); the key columns (``codes``) as dictionaries; pre_buffer off: a column is read
    once, in order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(source, metadata=metadata, read_dictionary=codes, pre_buffer=False)
    except (pa.ArrowException, OSError) as err:
        raise _unreadable_parquet(path, err) from None


def _unreadable_parquet(path: Path, err: Exception) -> InputError:
    return file_problem(path, None, f"cannot be read as Parquet ({err})", "the file may be truncated; export it again")


# --------------------------------------------------------------------------------------------
# CSV and XLSX: parsed here into an Arrow table of the cells' text


def _open_text(
    path: Path,
    fmt: str,
    names: list[str],
    cells: list[list[str]],
    rows: list[int],
    header_line: int,
    warnings: list[Problem],
    notes: dict,
) -> RespondentFile:
    import pyarrow as pa

    from analysis.readers.base import TextTable, without_stray_rows

    keys = _check_header(path, names, header_line)
    items = item_columns(names)
    if not cells:
        raise file_problem(path, None, "the file has no respondent rows", "export the data again with its rows")
    # a "Totalt" or "Snitt" row (or a note, or the header again) is said once as what it is,
    # not cell by cell as a respondent with no code and answers of 12 (a bad-input hunt,
    # 2026-12-04); no count columns: a row of answers without its keys is a respondent whose
    # codes are missing, not a sum
    without_stray_rows(path, TextTable(names, cells, rows, "", fmt, header_line), names=list(keys.values()))
    position = {name: i for i, name in enumerate(names)}
    wanted = [*keys.values(), *items]
    table = pa.table({name: pa.array([row[position[name]] for row in cells], pa.string()) for name in wanted})
    return RespondentFile(
        path, fmt, keys, items, len(cells), [n for n in names if n not in wanted], warnings, notes, table, rows
    )


def _open_columns(path: Path, columns: TextColumns) -> RespondentFile:
    """:func:`_open_text` of a CSV file read into columns (:func:`read_text_columns`): the same
    checks, in the same order, and the same table of text cells."""
    from analysis.readers.text_columns import without_stray_rows_of

    names = columns.header
    keys = _check_header(path, names, columns.header_line)
    items = item_columns(names)
    without_stray_rows_of(path, columns, names=list(keys.values()))
    wanted = [*keys.values(), *items]
    table = columns.table.select([names.index(name) for name in wanted]).rename_columns(wanted)
    notes: dict[str, object] = {"encoding": columns.encoding, "delimiter": columns.delimiter}
    return RespondentFile(
        path, "csv", keys, items, table.num_rows, [n for n in names if n not in wanted], [], notes, table, columns.lines
    )


def _xlsx_cells(path: Path) -> tuple[list[str], list[list[str]], list[int], int, list[Problem], dict]:
    """The worksheet with data (:func:`analysis.readers.xlsx.read_sheet`: every row, the one
    visible sheet or ``--sheet``, formulas checked) as the text a person sees in each cell:
    header names, rows of cell text, their spreadsheet row numbers, the header's, warnings and
    notes."""
    from analysis.readers.xlsx import read_sheet

    sheet = read_sheet(path)
    sheet.check_table()
    names = column_names(sheet.header)
    codes = [i for i, n in enumerate(names) if n.lower() in KEYS and n.lower() != YEAR_KEY]
    width = len(names)
    cells: list[list[str]] = []
    numeric_codes: set[int] = set()
    for values in sheet.rows:
        values = tuple(values[:width]) + (None,) * (width - len(values))
        numeric_codes.update(
            i for i in codes if isinstance(values[i], (int, float)) and not isinstance(values[i], bool)
        )
        cells.append([_cell_text(v) for v in values])
    warnings = list(sheet.notes) + [
        Problem(
            str(path),
            None,
            names[i],
            None,
            "some codes are stored as numbers: leading zeros may have been lost",
            "format the column as text in Excel",
        )
        for i in sorted(numeric_codes)
    ]
    return names, cells, list(sheet.row_numbers), sheet.header_row or 1, warnings, {"sheet": sheet.title}


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the person sees it: 3 and 3.0 are "3", an empty cell is ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def respondents_together(frames: Sequence[Any], name=str) -> Any:
    """Several files' validated respondent frames (``survey_counts.respondent_frame``) as one,
    each row keeping its file (``source_file`` one category over all of them, each file's named
    ``name(its name)``), so that it is counted file by file again
    (``analysis.metrics.survey_counts.respondent_files``). Here, below ingest and the metrics,
    as the validated stage puts the files' frames together."""
    import pandas as pd

    renamed = [
        frame.assign(**{SOURCE_FILE: frame[SOURCE_FILE].cat.rename_categories(name)})
        if SOURCE_FILE in frame.columns
        else frame
        for frame in frames
    ]
    files = list(
        dict.fromkeys(f for frame in renamed if SOURCE_FILE in frame.columns for f in frame[SOURCE_FILE].cat.categories)
    )
    # (with one set of categories the concatenation keeps the category: a text column of millions
    # of rows otherwise)
    together = [
        frame.assign(**{SOURCE_FILE: frame[SOURCE_FILE].cat.set_categories(files)})
        if SOURCE_FILE in frame.columns
        else frame
        for frame in renamed
    ]
    return pd.concat(together, ignore_index=True)
