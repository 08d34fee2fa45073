"""Studiebarometeret respondent-level raw data (NOKUT's delivery to institutions).

One row per respondent: the programme key ``studprog_kod``, the survey year ``aar`` and one
column per item, named by NOKUT's variable names (``underv_engasj_18``; see
:data:`schemas.studiebarometeret.ITEM_NAME`). Answers are 1–5; ``9999`` is "vet ikke / ikke
relevant" and becomes missing (it is never a score); a blank is missing. Anything else (``6``,
``0``, ``3.5``, ``abc``) is an error naming the file, the row as the person sees it, the column
and the value.

Formats: CSV (semicolon, comma or tab; UTF-8 with or without BOM, or Windows-1252), XLSX (first
worksheet, header in the first non-empty row) and Parquet (integer, float or text columns). The
format is recognised from the file's first bytes, not its name. Rows as the person sees them:
the CSV line number (header = line 1), the spreadsheet row number, the Parquet row (1 = first).

Optional pass-through columns (for faculty and institution rollups): ``institusjonskode`` (DBH
institution code, four digits) and ``fakultetskode`` (DBH faculty code, three digits), kept as
text in a categorical column (leading zeros kept; compact at national scale). Other columns (NOKUT's own ``indeks_*``, background variables) are not read and are
listed in ``notes["ignored_columns"]``.

Speed (3 M respondents × 60 items from Parquet): the item columns are read a few at a time and
each is classified with a handful of numpy ufuncs (no per-cell Python, no fancy indexing), in
two threads; the result becomes a nullable ``Int8`` array without further copies. The pandera
contract is then checked as described in :func:`_validate_contract`. Text codes are read from
Parquet as dictionaries and cleaned once per distinct code.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.errors import InputError, Problem, file_problem, problems_from_schema_errors
from analysis.readers.base import ReadResult, read_bytes, read_text_table
from analysis.settings import DONT_KNOW_CODE, LIKERT_MAX, LIKERT_MIN
from schemas.studiebarometeret import PROGRAMME_KEY, YEAR_KEY, SurveyRespondents, item_columns

KIND = "sb-respondents"
DATASET = "survey_respondents"

#: Pass-through unit columns, kept as strings when present (for rollups).
INSTITUTION_KEY = "institusjonskode"
FACULTY_KEY = "fakultetskode"
UNIT_KEYS = (INSTITUTION_KEY, FACULTY_KEY)

FIRST_YEAR, LAST_YEAR = 2013, 2100

#: At most this many invalid cells are listed per column; the rest are counted in one line.
MAX_PROBLEMS_PER_COLUMN = 50
#: Columns classified at the same time (numpy ufuncs release the GIL; this machine has 2 cores).
THREADS = 2
#: Parquet columns read per batch: the peak holds the Int8 frame plus one batch of Arrow data.
PARQUET_BATCH = 8

_ANSWER_HINT = "answers are 1–5, 9999 (vet ikke) or blank; check the export or the column"
# text -> number, for CSV and XLSX cells and for text columns in Parquet
_TEXT_CODE = {str(v): v for v in range(LIKERT_MIN, LIKERT_MAX + 1)} | {str(DONT_KNOW_CODE): DONT_KNOW_CODE}
#: pandera checks that hold for every cell exactly when they hold for the column's smallest and
#: largest value (see _validate_contract).
_KEY_NAMES = {PROGRAMME_KEY, YEAR_KEY, INSTITUTION_KEY, FACULTY_KEY}
_RANGE_CHECKS = {"in_range", "greater_than_or_equal_to", "less_than_or_equal_to", "greater_than", "less_than"}


def read_survey_respondents(path: Path, *, full_validation: bool = False) -> ReadResult:
    """Read a respondent-level Studiebarometeret file (CSV, XLSX or Parquet).

    Args:
        path: the file.
        full_validation: run pandera's checks on every cell instead of on the witness frame
            (same verdict, slower at scale; see :func:`_validate_contract`).

    Returns:
        A :class:`ReadResult` whose frame satisfies :class:`SurveyRespondents`: the
        pass-through unit columns that are present (categorical of text), ``studprog_kod`` (str), ``aar``
        (Int16) and one nullable ``Int8`` column per item, in file order. ``notes`` holds
        ``dont_know`` (number of 9999 answers), ``dont_know_by_item``, ``blank``, ``items``,
        ``unit_columns``, ``ignored_columns``, ``format`` and ``validation``.

    Raises:
        InputError: every problem found, each naming file, row, column and value.
    """
    path = Path(path)
    head = read_bytes(path)[:8] if not path.is_file() else _head(path)
    if head.startswith(b"PAR1"):
        return _read_parquet(path, full_validation)
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, full_validation)
    return _read_csv(path, full_validation)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(8)
    except OSError:
        read_bytes(path)  # raises the clear error (permission, …)
        raise


# --------------------------------------------------------------------------------------------
# Classifying answers (vectorised)


class _Answers:
    """Classified item columns, what was counted in them, and the problems found."""

    def __init__(self, path: Path, row_of: np.ndarray, order: list[str]):
        self.path = path
        self.order = order
        self.row_of = row_of  # position -> row as the person sees it
        self.columns: dict[str, pd.arrays.IntegerArray] = {}
        self.dont_know: dict[str, int] = {}
        self.blank: dict[str, int] = {}
        self.value_range: dict[str, tuple[int, int] | None] = {}
        self.any_missing: dict[str, bool] = {}
        self.problems: list[Problem] = []

    def add(self, item: str, values: np.ndarray, null: np.ndarray | None,
            original: Callable[[int], object]) -> None:
        """Classify one item column and keep it as a nullable Int8 array.

        Args:
            item: the column name.
            values: the cells as numbers (any integer or float dtype); cells under ``null`` may
                hold anything.
            null: True where the cell is blank, or None when none is.
            original: the cell value at a position, for error messages only.
        """
        # NOTE: ufuncs only (no fancy indexing, no np.where): at 3 M rows they are several
        # times faster, and they release the GIL so that two columns classify in parallel.
        valid = (values >= LIKERT_MIN) & (values <= LIKERT_MAX)
        if values.dtype.kind == "f":
            valid &= values == np.floor(values)  # 3.5 is not an answer
        dont_know = values == DONT_KNOW_CODE
        if null is not None:
            valid &= ~null
            dont_know &= ~null
        n_valid = int(np.count_nonzero(valid))
        n_dont_know = int(np.count_nonzero(dont_know))
        n_blank = 0 if null is None else int(np.count_nonzero(null))
        if n_valid + n_dont_know + n_blank != values.size:
            ok = valid | dont_know
            if null is not None:
                ok |= null
            bad = np.flatnonzero(~ok)
            problems = [Problem(str(self.path), int(self.row_of[pos]), item, original(int(pos)),
                                "not a valid answer", _ANSWER_HINT) for pos in bad[:MAX_PROBLEMS_PER_COLUMN]]
            if bad.size > MAX_PROBLEMS_PER_COLUMN:
                problems.append(Problem(
                    str(self.path), int(self.row_of[bad[MAX_PROBLEMS_PER_COLUMN]]), item, None,
                    f"and {bad.size - MAX_PROBLEMS_PER_COLUMN} more rows in this column with invalid answers",
                    "is this the right column? " + _ANSWER_HINT))
            self.problems.extend(problems)
            return
        small = values if values.dtype.kind != "f" else np.nan_to_num(values, nan=0.0)
        # Valid cells are 1–5, so the cast cannot wrap where it matters; the rest become 0.
        answer = np.multiply(small.astype(np.int8), valid, dtype=np.int8)
        self.dont_know[item] = n_dont_know
        self.blank[item] = n_blank
        self.any_missing[item] = n_valid < values.size
        if n_valid:
            # the smallest answer: the first value that occurs (np.min(where=) is 10× slower)
            low = next(v for v in range(LIKERT_MIN, LIKERT_MAX + 1) if np.count_nonzero(answer == v))
            self.value_range[item] = (low, int(answer.max()))
        else:
            self.value_range[item] = None
        self.columns[item] = pd.arrays.IntegerArray(answer, ~valid)


def _text_values(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Text cells as numbers: stripped, exact codes only (``-1`` for anything else), and the
    blank mask."""
    text = cells.astype("str").str.strip().fillna("")
    numbers = text.map(_TEXT_CODE).fillna(-1).to_numpy(dtype=np.int16)
    return numbers, (text == "").to_numpy(dtype=bool)


# --------------------------------------------------------------------------------------------
# Key columns


def _codes(path: Path, values: pd.Series, column: str, row_of: np.ndarray, problems: list[Problem]) -> pd.Series:
    """A code column as stripped strings (leading zeros kept); an empty code is a problem.

    A categorical column (Parquet dictionary) is cleaned on its few categories, not its rows.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories.astype("str")
        stripped = categories.str.strip()
        if stripped.is_unique:
            text = values.cat.rename_categories(stripped) if not stripped.equals(categories) else values
            codes = text.cat.codes.to_numpy()
            empty = (codes < 0) | np.isin(codes, np.flatnonzero(stripped == ""))
            return _report_empty(path, text.reset_index(drop=True), empty, column, row_of, problems)
        values = values.astype("str")
    text = values.astype("str").str.strip()
    empty = (text.isna() | (text == "")).to_numpy(dtype=bool)
    return _report_empty(path, text.reset_index(drop=True), empty, column, row_of, problems)


def _report_empty(path: Path, text: pd.Series, empty: np.ndarray, column: str, row_of: np.ndarray,
                  problems: list[Problem]) -> pd.Series:
    if empty.any():
        bad = np.flatnonzero(empty)
        problems.extend(
            Problem(str(path), int(row_of[pos]), column, None, "the code is missing",
                    "every respondent needs a programme key and a year; fill it in or remove the row")
            for pos in bad[:MAX_PROBLEMS_PER_COLUMN])
    return text


def _categorical_to_str(values: pd.Series) -> pd.Series:
    """A categorical of text as a str column, decoded in Arrow (no Python string per row)."""
    codes = values.cat.codes.to_numpy()
    dictionary = pa_arrow.array(values.cat.categories.astype(object).tolist(), pa_arrow.large_string())
    indices = pa_arrow.array(codes.astype(np.int32), mask=codes < 0)
    decoded = pa_arrow.DictionaryArray.from_arrays(indices, dictionary).cast(pa_arrow.large_string())
    return pa_arrow.chunked_array([decoded]).to_pandas().reset_index(drop=True)


def _years(path: Path, values: pd.Series, row_of: np.ndarray, problems: list[Problem]) -> pd.arrays.IntegerArray:
    """``aar`` as Int16; a missing, non-numeric or implausible year is a problem."""
    if pd.api.types.is_integer_dtype(values.dtype):
        years = values.astype("Int64")
    else:
        text = values.astype("str").str.strip()
        whole = text.str.fullmatch(r"\d{4}(?:\.0+)?").fillna(False).astype(bool)
        years = pd.to_numeric(text.where(whole), errors="coerce").astype("Float64").round().astype("Int64")
    bad = (years.isna() | (years < FIRST_YEAR) | (years > LAST_YEAR)).to_numpy(dtype=bool, na_value=True)
    if bad.any():
        problems.extend(
            Problem(str(path), int(row_of[pos]), YEAR_KEY, values.iloc[pos],
                    f"not a survey year ({FIRST_YEAR}–{LAST_YEAR})", "write the year with four digits, e.g. 2025")
            for pos in np.flatnonzero(bad)[:MAX_PROBLEMS_PER_COLUMN])
        years = years.where(~bad, FIRST_YEAR)
    return years.astype("Int16").array


def _check_header(path: Path, names: list[str]) -> dict[str, str]:
    """Refuse duplicate names and missing key or item columns; file header -> key name."""
    problems = [Problem(str(path), 1, d, d, "the column name appears twice", "rename or remove one of the columns")
                for d in sorted({n for n in names if n and names.count(n) > 1})]
    canonical = {k.lower(): k for k in (PROGRAMME_KEY, YEAR_KEY, *UNIT_KEYS)}
    header = {n: canonical[n.strip().lower()] for n in names if isinstance(n, str) and n.strip().lower() in canonical}
    found = set(header.values())
    shown = ", ".join(map(str, names[:10])) + (" …" if len(names) > 10 else "")
    problems += [
        Problem(str(path), 1, c, None, "required column is missing",
                f"respondent-level data needs {PROGRAMME_KEY}, {YEAR_KEY} and item columns; the file has {shown}")
        for c in (PROGRAMME_KEY, YEAR_KEY) if c not in found
    ]
    if not item_columns(names):
        problems.append(Problem(str(path), 1, None, None, "no item columns",
                                f"item columns are named by NOKUT variable names, e.g. underv_engasj_18; the file has {shown}"))
    if problems:
        raise InputError(problems)
    return header


def _keys(path: Path, raw: dict[str, pd.Series], row_of: np.ndarray, problems: list[Problem]) -> dict[str, object]:
    keys: dict[str, object] = {}
    for key in (*UNIT_KEYS, PROGRAMME_KEY):
        if key in raw:
            keys[key] = _codes(path, raw[key], key, row_of, problems)
    for key in UNIT_KEYS:
        if key in keys and not isinstance(keys[key].dtype, pd.CategoricalDtype):
            # NOTE: institution and faculty codes repeat over millions of rows but take a few
            # hundred values: categorical saves ~40 MB per column at 3 M rows.
            keys[key] = keys[key].astype("category")
    if isinstance(keys[PROGRAMME_KEY].dtype, pd.CategoricalDtype):
        keys[PROGRAMME_KEY] = _categorical_to_str(keys[PROGRAMME_KEY])
    keys[YEAR_KEY] = _years(path, raw[YEAR_KEY], row_of, problems)
    return keys


# --------------------------------------------------------------------------------------------
# Assembling and validating the frame


def _finish(path: Path, fmt: str, keys: dict[str, object], answers: _Answers, problems: list[Problem],
            ignored: list[str], extra_notes: dict, warnings: list[Problem], full_validation: bool) -> ReadResult:
    problems = problems + answers.problems
    if problems:
        problems.sort(key=lambda p: (p.row if p.row is not None else -1, p.column or ""))
        raise InputError(problems)
    # file order (columns are classified in parallel and may finish in any order)
    if len(answers.row_of) == 0:
        raise file_problem(path, None, "the file has no respondent rows", "export the data again with its rows")
    data = {**keys, **{item: answers.columns[item] for item in answers.order if item in answers.columns}}
    # copy=False: a dict of arrays is copied by default, which would double the peak memory.
    frame = pd.DataFrame(data, copy=False)
    how = _validate_contract(frame, path, answers, full_validation)
    notes = {
        "format": fmt,
        "items": [item for item in answers.order if item in answers.columns],
        "unit_columns": [k for k in UNIT_KEYS if k in keys],
        "dont_know": sum(answers.dont_know.values()),
        "dont_know_by_item": answers.dont_know,
        "blank": sum(answers.blank.values()),
        "ignored_columns": ignored,
        "validation": how,
        **extra_notes,
    }
    return ReadResult(path, KIND, DATASET, frame, warnings, notes)


def _validate_contract(frame: pd.DataFrame, path: Path, answers: _Answers, full: bool) -> str:
    """Check the frame against :class:`SurveyRespondents` with pandera.

    At 3 M × 60, pandera's per-cell pass costs several seconds (it copies every nullable
    column to drop its missing values before each check). Instead, pandera validates a
    *witness frame*: the same columns and dtypes, holding for each key column its distinct
    values and for each item column its smallest and largest answer (plus a missing value
    where the column has one). This gives the same verdict as checking every cell because
    every check in the contract is element-wise, and the item checks are range checks, which
    hold for all values exactly when they hold for the smallest and largest. If the contract
    ever gets a check of another kind, or the witness fails, or ``full`` is set, pandera
    checks the whole frame (in place, without its defensive copy) and reports rows.

    Returns:
        ``"witness"`` or ``"full"``: how the frame was checked (kept in the notes).
    """
    schema = SurveyRespondents.to_schema()
    item_checks = {c.name for col in schema.columns.values() if col.regex for c in col.checks}
    element_wise = not schema.checks and not schema.unique and all(
        not getattr(col, "unique", False) for col in schema.columns.values())
    if not full and element_wise and item_checks <= _RANGE_CHECKS:
        try:
            schema.validate(_witness(frame, answers), lazy=True)
            return "witness"
        except pa.errors.SchemaErrors:
            pass  # find the rows on the real frame below
    try:
        schema.validate(frame, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as err:
        row_series = pd.Series(answers.row_of, index=frame.index)
        raise InputError(problems_from_schema_errors(err, frame, str(path), row_series)) from None
    return "full"


def _witness(frame: pd.DataFrame, answers: _Answers) -> pd.DataFrame:
    """Per column the values that decide every element-wise check (see _validate_contract)."""
    distinct: dict[str, object] = {}
    for name in frame.columns:
        if name in answers.columns:
            low_high = answers.value_range[name]
            values = [] if low_high is None else list(low_high)
            if answers.any_missing[name]:
                values.append(pd.NA)
            distinct[name] = pd.array(values or [pd.NA], dtype=frame[name].dtype)
        else:
            distinct[name] = pd.unique(frame[name])
    length = max(len(v) for v in distinct.values())
    return pd.DataFrame({name: pd.Series(v).take(np.arange(length) % len(v)).reset_index(drop=True)
                         for name, v in distinct.items()})


# --------------------------------------------------------------------------------------------
# Parquet


def _read_parquet(path: Path, full_validation: bool) -> ReadResult:
    try:
        schema = pq.read_schema(path)
        # Text codes are read as dictionaries: a few thousand distinct codes over millions of
        # rows are cleaned once each, and institution/faculty stay categorical.
        text_keys = [f.name for f in schema if f.name.strip().lower() in _KEY_NAMES and f.name.strip().lower() != YEAR_KEY
                     and (pa_arrow.types.is_string(f.type) or pa_arrow.types.is_large_string(f.type))]
        parquet = pq.ParquetFile(path, read_dictionary=text_keys)
        names = parquet.schema_arrow.names
        header = _check_header(path, names)
        items = item_columns(names)
        ignored = [n for n in names if n not in header and n not in items]
        row_of = np.arange(1, parquet.metadata.num_rows + 1, dtype=np.int64)  # 1 = first row
        problems: list[Problem] = []
        warnings: list[Problem] = []

        key_table = parquet.read(columns=list(header))
        raw: dict[str, pd.Series] = {}
        for name in header:
            column = key_table.column(name)
            if pa_arrow.types.is_dictionary(column.type) and name not in text_keys:
                column = column.cast(column.type.value_type)
            value_type = column.type.value_type if pa_arrow.types.is_dictionary(column.type) else column.type
            if header[name] != YEAR_KEY and not (pa_arrow.types.is_string(value_type)
                                                 or pa_arrow.types.is_large_string(value_type)):
                warnings.append(Problem(str(path), None, name, str(column.type),
                                        "codes are stored as numbers: leading zeros may have been lost",
                                        "store codes as text in the export"))
            raw[header[name]] = column.to_pandas()
        del key_table
        keys = _keys(path, raw, row_of, problems)
        del raw
        pa_arrow.default_memory_pool().release_unused()

        answers = _Answers(path, row_of, items)
        with ThreadPoolExecutor(THREADS) as pool:
            for start in range(0, len(items), PARQUET_BATCH):
                table = parquet.read(columns=items[start : start + PARQUET_BATCH])
                list(pool.map(lambda item: _add_arrow(answers, item, table.column(item)), table.column_names))
                del table
                # Arrow keeps freed buffers in its pool; give them back so the peak stays low.
                pa_arrow.default_memory_pool().release_unused()
    except (pa_arrow.ArrowException, OSError) as err:
        raise file_problem(path, None, f"cannot be read as Parquet ({err})",
                           "the file may be truncated; export it again") from None
    return _finish(path, "parquet", keys, answers, problems, ignored, {}, warnings, full_validation)


def _add_arrow(answers: _Answers, item: str, column: pa_arrow.ChunkedArray) -> None:
    """Classify one Arrow column: integers and floats as numbers, text as text."""
    array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if pa_arrow.types.is_dictionary(array.type):
        array = array.cast(array.type.value_type)
    kind = array.type
    null = _null_mask(array) if array.null_count else None

    def original(pos: int) -> object:
        return array[pos].as_py()

    if pa_arrow.types.is_integer(kind) or pa_arrow.types.is_floating(kind):
        # The data buffer as it is (values under nulls are ignored through ``null``).
        values = np.frombuffer(array.buffers()[1], dtype=kind.to_pandas_dtype(),
                               count=len(array) + array.offset)[array.offset :]
        if values.dtype.kind == "f":
            nan = np.isnan(values)  # a NaN written by pandas is a blank, like a null
            null = nan if null is None else null | nan
        answers.add(item, values, null, original)
    elif pa_arrow.types.is_null(kind):
        answers.add(item, np.zeros(len(array), dtype=np.int8), np.ones(len(array), dtype=bool), original)
    else:
        values, blank = _text_values(array.cast(pa_arrow.string()).to_pandas()
                                     if not pa_arrow.types.is_boolean(kind) else pd.Series(["x"] * len(array)))
        answers.add(item, values, blank, original)


def _null_mask(array: pa_arrow.Array) -> np.ndarray:
    """True where the Arrow array is null, from its validity bitmap (5× faster than is_null)."""
    bitmap = array.buffers()[0]
    if bitmap is None or pa_arrow.types.is_null(array.type):
        return pc.is_null(array).to_numpy(zero_copy_only=False)
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little")
    return ~bits[array.offset : array.offset + len(array)].view(bool)


# --------------------------------------------------------------------------------------------
# CSV and XLSX (per-cell parsing is in the file format; the classification is vectorised)


def _read_csv(path: Path, full_validation: bool) -> ReadResult:
    table = read_text_table(path)
    header = _check_header(path, table.header)
    row_of = np.asarray(table.lines, dtype=np.int64)
    return _from_text_frame(path, "csv", table.frame(), header, row_of,
                            {"encoding": table.encoding, "delimiter": table.delimiter}, [], full_validation)


def _read_xlsx(path: Path, full_validation: bool) -> ReadResult:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as err:
        raise file_problem(path, None, f"cannot be read as an Excel workbook ({err})",
                           "save it again as .xlsx from Excel") from None
    try:
        sheet = book.worksheets[0]
        title = sheet.title
        names: list[str] | None = None
        rows: list[tuple] = []
        row_numbers: list[int] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if all(v is None or (isinstance(v, str) and v.strip() == "") for v in values):
                continue
            if names is None:
                names = ["" if v is None else str(v).strip() for v in values]
                continue
            rows.append(values)
            row_numbers.append(number)
    finally:
        book.close()
    if names is None:
        raise file_problem(path, None, "the first worksheet is empty", "put the data in the first worksheet")
    width = len(names)
    names = [n if n else f"(column {i + 1})" for i, n in enumerate(names)]
    header = _check_header(path, names)
    frame = pd.DataFrame([tuple(r[:width]) + (None,) * (width - len(r)) for r in rows], columns=names, dtype=object)
    warnings = [
        Problem(str(path), None, name, None, "some codes are stored as numbers: leading zeros may have been lost",
                "format the column as text in Excel")
        for name, key in header.items()
        if key != YEAR_KEY and frame[name].map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).any()
    ]
    # Excel keeps 3 as 3 or 3.0: make every cell the text a person sees, then read it as CSV.
    frame = frame.map(_cell_text)
    return _from_text_frame(path, "xlsx", frame, header, np.asarray(row_numbers, dtype=np.int64),
                            {"sheet": title}, warnings, full_validation)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _from_text_frame(path: Path, fmt: str, frame: pd.DataFrame, header: dict[str, str], row_of: np.ndarray,
                     notes: dict, warnings: list[Problem], full_validation: bool) -> ReadResult:
    problems: list[Problem] = []
    keys = _keys(path, {header[n]: frame[n] for n in header}, row_of, problems)
    items = item_columns(frame.columns)
    ignored = [n for n in frame.columns if n not in header and n not in items]
    answers = _Answers(path, row_of, items)
    for item in items:
        cells = frame[item]
        values, blank = _text_values(cells)
        answers.add(item, values, blank, lambda pos, c=cells: c.iloc[pos])
    return _finish(path, fmt, keys, answers, problems, ignored, notes, warnings, full_validation)
