"""Studiebarometeret respondent-level raw data (NOKUT's delivery to institutions).

One row per respondent: the programme key ``studprog_kod``, the survey year ``aar`` and one
column per item, named by NOKUT's variable names (``underv_engasj_18``; see
:data:`schemas.studiebarometeret.ITEM_NAME`). Answers are 1–5; ``9999`` is "vet ikke / ikke
relevant" and becomes missing (it is never a score); a blank is missing. Anything else (``6``,
``0``, ``3.5``, ``abc``) is an error naming the file, the row as the person sees it, the column
and the value.

Formats: CSV (semicolon, comma or tab; UTF-8 with or without BOM, or Windows-1252), XLSX (the
sheet with data, see :mod:`analysis.readers.xlsx`; header in the first non-empty row) and Parquet
(integer, float or text columns). The format is recognised from the file's first bytes, not its name. Rows as the person sees them:
the CSV line number (header = line 1), the spreadsheet row number, the Parquet row (1 = first).

Optional pass-through columns (for faculty and institution rollups): ``institusjonskode`` (DBH
institution code, four digits) and ``fakultetskode`` (DBH faculty code, three digits), kept as
text in a categorical column (leading zeros kept; compact at national scale). Other columns
(NOKUT's own ``indeks_*``, background variables) are not read and are listed in
``notes["ignored_columns"]``.

Two ways in, one set of checks:

* :func:`open_survey_respondents` opens a file as a :class:`RespondentScan`: the key columns
  are read and checked at once; the answers are read one column at a time when
  :meth:`RespondentScan.scan` is called, each classified (validated) and handed to a consumer
  as int8 (0 = missing), so the whole answer matrix is never in memory. ``kvalitet survey``
  aggregates this way: at 3 M respondents × 60 items it holds a few columns at a time.
* :func:`read_survey_respondents` (what ``read_path``, ``ingest`` and the notebooks use) runs
  the same scan and keeps every column, as the validated :class:`SurveyRespondents` frame.

Speed: a column is classified with a handful of numpy ufuncs (no per-cell Python, no fancy
indexing); Parquet columns are read and classified in two threads (Arrow and numpy release the
GIL). The pandera contract is checked as described in :func:`_check_contract`. Text codes are
read from Parquet as dictionaries and cleaned once per distinct code.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.errors import InputError, Problem, file_problem, problems_from_schema_errors
from analysis.readers.base import ReadResult, check_not_special, read_bytes, read_text_table
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
#: Columns read and classified at the same time (Arrow and numpy release the GIL; 2 cores here).
THREADS = 2
#: Item columns handed to a consumer together (the survey counts two items in one pass).
BATCH = 2
#: Rows read at a time: a thread holds this many rows of its columns, never a whole column.
CHUNK_ROWS = 1 << 20

_ANSWER_HINT = "answers are 1–5, 9999 (vet ikke) or blank; check the export or the column"
# text -> number, for CSV and XLSX cells and for text columns in Parquet. "3.0" is 3: a column
# with blanks written by pandas or R is a float column, and its whole numbers get ".0".
_TEXT_CODE = {str(v): v for v in (*range(LIKERT_MIN, LIKERT_MAX + 1), DONT_KNOW_CODE)}
_TEXT_CODE |= {f"{text}.0": v for text, v in _TEXT_CODE.items()}
#: pandera checks that hold for every cell exactly when they hold for the column's smallest and
#: largest value (see _check_contract).
_KEY_NAMES = {PROGRAMME_KEY, YEAR_KEY, INSTITUTION_KEY, FACULTY_KEY}
_RANGE_CHECKS = {"in_range", "greater_than_or_equal_to", "less_than_or_equal_to", "greater_than", "less_than"}

#: A consumer of classified answers: a batch of (item, answers as int8 with 0 = missing) for
#: the rows from position ``start`` on.
Consumer = Callable[[list[tuple[str, np.ndarray]], int], None]
#: One column's cells as numbers, where they are blank (None: nowhere), and a cell's original
#: value at a position (for messages only).
_Cells = tuple[np.ndarray, "np.ndarray | None", Callable[[int], object]]


def read_survey_respondents(path: Path, *, full_validation: bool = False) -> ReadResult:
    """Read a respondent-level Studiebarometeret file (CSV, XLSX or Parquet) into a frame.

    Args:
        path: the file.
        full_validation: run pandera's checks on every cell instead of on the witness frame
            (same verdict, slower at scale; see :func:`_check_contract`).

    Returns:
        A :class:`ReadResult` whose frame satisfies :class:`SurveyRespondents`: the
        pass-through unit columns that are present (categorical of text), ``studprog_kod`` (str),
        ``aar`` (Int16) and one nullable ``Int8`` column per item, in file order. ``notes`` holds
        ``dont_know`` (number of 9999 answers), ``dont_know_by_item``, ``blank``, ``items``,
        ``unit_columns``, ``ignored_columns``, ``format`` and ``validation``.

    Raises:
        InputError: every problem found, each naming file, row, column and value.
    """
    respondents = open_survey_respondents(path)
    columns: dict[str, pd.arrays.IntegerArray] = {}

    chunks: dict[str, dict[int, np.ndarray]] = {item: {} for item in respondents.items}

    def keep(batch: list[tuple[str, np.ndarray]], start: int) -> None:
        for item, answers in batch:
            chunks[item][start] = answers

    notes = respondents.scan(keep, check_contract=not full_validation)
    for item, parts in chunks.items():
        answers = parts[0] if len(parts) == 1 else np.concatenate([parts[k] for k in sorted(parts)])
        parts.clear()
        columns[item] = pd.arrays.IntegerArray(answers, answers == 0)
    keys = dict(respondents.keys.items())
    if isinstance(keys[PROGRAMME_KEY].dtype, pd.CategoricalDtype):
        keys[PROGRAMME_KEY] = _categorical_to_str(keys[PROGRAMME_KEY])
    # file order (columns are classified in parallel and may finish in any order);
    # copy=False: a dict of arrays is copied by default, which would double the peak memory.
    frame = pd.DataFrame({**keys, **{item: columns[item] for item in respondents.items}}, copy=False)
    if full_validation:
        notes["validation"] = _check_contract(frame, path, respondents.row_numbers, None)
    return ReadResult(path, KIND, DATASET, frame, respondents.warnings, notes)


def open_survey_respondents(path: Path) -> RespondentScan:
    """Open a respondent-level file: header and key columns read and checked, answers not yet.

    Raises:
        InputError: the file cannot be read, lacks required columns or has no rows. Problems
            in key cells (an empty programme code, a bad year) are raised by
            :meth:`RespondentScan.scan`, together with those in the answers.
    """
    path = Path(path)
    head = read_bytes(path)[:8] if not path.is_file() else _head(path)
    if head.startswith(b"PAR1"):
        return _open_parquet(path)
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path)
    return _open_csv(path)


def _head(path: Path) -> bytes:
    check_not_special(path)  # a FIFO or device is refused before it is opened
    try:
        with path.open("rb") as fh:
            return fh.read(8)
    except OSError:
        read_bytes(path)  # raises the clear error (permission, …)
        raise


# --------------------------------------------------------------------------------------------
# Classifying answers (vectorised)


class _RowNumbers:
    """Rows as the person sees them, by position: the CSV line or spreadsheet row, or for
    Parquet the position + 1 (a rule, not an array of millions of numbers)."""

    def __init__(self, count: int, lines: np.ndarray | None = None):
        self.count = count
        self.lines = lines

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, pos: int) -> int:
        return int(self.lines[pos]) if self.lines is not None else int(pos) + 1

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        rows = self.lines if self.lines is not None else np.arange(1, self.count + 1, dtype=np.int64)
        return np.asarray(rows, dtype=dtype)


class _Answers:
    """What was counted in the classified item columns, and the problems found.

    A column arrives in chunks of rows, one thread per column: the counts add up per item.
    """

    def __init__(self, path: Path, rows: _RowNumbers):
        self.path = path
        self.rows = rows
        self.dont_know: dict[str, int] = {}
        self.blank: dict[str, int] = {}
        self.value_range: dict[str, tuple[int, int] | None] = {}
        self.any_missing: dict[str, bool] = {}
        self._bad: dict[str, list[Problem]] = {}  # the first invalid cells of each column
        self._bad_count: dict[str, int] = {}
        self._first_unlisted: dict[str, int] = {}  # row of the first invalid cell not listed

    @property
    def problems(self) -> list[Problem]:
        problems = [p for item in self._bad for p in self._bad[item]]
        for item, count in self._bad_count.items():
            if count > MAX_PROBLEMS_PER_COLUMN:
                problems.append(Problem(
                    str(self.path), self._first_unlisted[item], item, None,
                    f"and {count - MAX_PROBLEMS_PER_COLUMN} more rows in this column with invalid answers",
                    "is this the right column? " + _ANSWER_HINT))
        return problems

    def add(self, item: str, values: np.ndarray, null: np.ndarray | None,
            original: Callable[[int], object], start: int = 0) -> np.ndarray | None:
        """Classify one chunk of an item column (rows from position ``start`` on).

        Args:
            item: the column name.
            values: the cells as numbers (any integer or float dtype); cells under ``null`` may
                hold anything.
            null: True where the cell is blank, or None when none is.
            original: the cell value at a position in the chunk, for error messages only.
            start: the chunk's first position in the file.

        Returns:
            The answers as int8, 0 where missing (blank or 9999); None when the chunk has
            invalid cells (they are in :attr:`problems`).
        """
        # NOTE: ufuncs only (no fancy indexing, no np.where): they are several times faster,
        # and they release the GIL so that two columns classify in parallel.
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
            listed = self._bad.setdefault(item, [])
            room = max(0, MAX_PROBLEMS_PER_COLUMN - len(listed))
            listed.extend(Problem(str(self.path), self.rows[start + int(pos)], item, original(int(pos)),
                                  "not a valid answer", _ANSWER_HINT) for pos in bad[:room])
            if bad.size > room and item not in self._first_unlisted:
                self._first_unlisted[item] = self.rows[start + int(bad[room])]
            self._bad_count[item] = self._bad_count.get(item, 0) + int(bad.size)
            return None
        small = values if values.dtype.kind != "f" else np.nan_to_num(values, nan=0.0)
        # Valid cells are 1–5, so the cast cannot wrap where it matters; the rest become 0.
        answers = np.multiply(small.astype(np.int8), valid, dtype=np.int8)
        self.dont_know[item] = self.dont_know.get(item, 0) + n_dont_know
        self.blank[item] = self.blank.get(item, 0) + n_blank
        self.any_missing[item] = self.any_missing.get(item, False) or n_valid < values.size
        if n_valid:
            # the smallest answer: the first value that occurs (np.min(where=) is 10× slower)
            low = next(v for v in range(LIKERT_MIN, LIKERT_MAX + 1) if np.count_nonzero(answers == v))
            high = int(answers.max())
            seen = self.value_range.get(item)
            self.value_range[item] = (low, high) if seen is None else (min(low, seen[0]), max(high, seen[1]))
        else:
            self.value_range.setdefault(item, None)
        return answers


def _text_values(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Text cells as numbers: stripped, exact codes only (``-1`` for anything else), and the
    blank mask."""
    text = cells.astype("str").str.strip().fillna("")
    numbers = text.map(_TEXT_CODE).fillna(-1).to_numpy(dtype=np.int16)
    return numbers, (text == "").to_numpy(dtype=bool)


# --------------------------------------------------------------------------------------------
# Key columns


def _codes(path: Path, values: pd.Series, column: str, row_of: _RowNumbers, problems: list[Problem]) -> pd.Series:
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


def _report_empty(path: Path, text: pd.Series, empty: np.ndarray, column: str, row_of: _RowNumbers,
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


def _years(path: Path, values: pd.Series, row_of: _RowNumbers, problems: list[Problem]) -> pd.arrays.IntegerArray:
    """``aar`` as Int16; a missing, non-numeric or implausible year is a problem."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu":
        # a plain integer column (Parquet int16 without blanks): checked in numpy, no copy to Int64
        data = values.to_numpy()
        bad = (data < FIRST_YEAR) | (data > LAST_YEAR)
        if not bad.any():
            return pd.arrays.IntegerArray(data.astype(np.int16), np.zeros(data.size, dtype=bool))
        years = values.astype("Int64")
    elif pd.api.types.is_integer_dtype(values.dtype):
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


def _keys(path: Path, raw: dict[str, pd.Series], row_of: _RowNumbers, problems: list[Problem]) -> dict[str, object]:
    keys: dict[str, object] = {}
    for key in (*UNIT_KEYS, PROGRAMME_KEY):
        if key in raw:
            keys[key] = _codes(path, raw[key], key, row_of, problems)
    for key in UNIT_KEYS:
        if key in keys and not isinstance(keys[key].dtype, pd.CategoricalDtype):
            # NOTE: institution and faculty codes repeat over millions of rows but take a few
            # hundred values: categorical saves ~40 MB per column at 3 M rows.
            keys[key] = keys[key].astype("category")
    keys[YEAR_KEY] = _years(path, raw[YEAR_KEY], row_of, problems)
    return keys


# --------------------------------------------------------------------------------------------
# An opened file: keys now, answers on demand


@dataclass
class RespondentScan:
    """A respondent-level file, opened: its key columns read, its answers read by :meth:`scan`.

    Has ``path``, ``kind``, ``dataset`` and ``warnings`` like a :class:`ReadResult`, so the
    commands treat both alike.
    """

    path: Path
    fmt: str
    #: key columns present, one row per respondent: unit codes and ``studprog_kod`` as
    #: categoricals (or str), ``aar`` as Int16
    keys: pd.DataFrame
    items: list[str]
    row_numbers: _RowNumbers  # position -> row as the person sees it
    ignored: list[str]
    warnings: list[Problem]
    format_notes: dict
    #: reads item columns chunk by chunk: (first position, cells per item); thread-safe
    columns: Callable[[list[str]], Iterator[tuple[int, list[_Cells]]]]
    key_problems: list[Problem] = field(default_factory=list)
    kind: str = KIND
    dataset: str = DATASET

    @property
    def rows(self) -> int:
        return len(self.row_numbers)

    @property
    def suppressed(self) -> None:
        """Respondent answers have no suppressed cells (as :attr:`ReadResult.suppressed`)."""
        return None

    def scan(self, consume: Consumer | None = None, *, check_contract: bool = True,
             threads: int = THREADS) -> dict[str, object]:
        """Read and classify every item column; hand the answers to ``consume``.

        ``consume(batch, start)`` gets batches of up to :data:`BATCH` ``(item, answers)``
        pairs for the rows from position ``start`` on (at most :data:`CHUNK_ROWS` of them),
        answers as int8 with 0 for missing. It may be called from ``threads`` threads at once,
        never for the same item at once. Nothing is handed over once a problem is found; every
        problem of the file (keys and answers) is then raised together.

        Args:
            consume: the consumer, or None to validate only.
            check_contract: also check the :class:`SurveyRespondents` contract on the witness
                (off when the caller checks the whole frame).
            threads: columns read at the same time.

        Returns:
            The reading notes (``dont_know``, ``dont_know_by_item``, ``blank``, ``items``,
            ``unit_columns``, ``ignored_columns``, ``format``, ``validation`` and the format's
            own).

        Raises:
            InputError: every problem found, each naming file, row, column and value.
        """
        answers = _Answers(self.path, self.row_numbers)
        batches = [self.items[k : k + BATCH] for k in range(0, len(self.items), BATCH)]
        failed = threading.Event()

        def work(batch: list[str]) -> None:
            for start, chunk in self.columns(batch):
                classified = [(item, answers.add(item, *cells, start=start)) for item, cells in zip(batch, chunk)]
                if any(a is None for _, a in classified):
                    failed.set()
                if consume is not None and not self.key_problems and not failed.is_set():
                    consume(classified, start)

        # the keys' part of the witness, and pandera's set-up on first use (~0.25 s of imports),
        # are done beside the reading rather than after it
        keys_seen: dict[str, object] = {}
        preparing = threading.Thread(target=_prepare_contract, args=(self.keys, keys_seen), daemon=True)
        if check_contract:
            preparing.start()
        with ThreadPoolExecutor(max(1, threads)) as pool:
            list(pool.map(work, batches))  # list(): re-raises a worker's exception here
        if check_contract:
            preparing.join()
        problems = self.key_problems + answers.problems
        if problems:
            problems.sort(key=lambda p: (p.row if p.row is not None else -1, p.column or ""))
            raise InputError(problems)
        how = "full"
        if check_contract:
            keys = keys_seen["keys"] if "keys" in keys_seen else _key_witness(self.keys)
            how = _check_contract(_witness(keys, answers), self.path, self.row_numbers, answers)
            if how == "full":
                # the witness failed: read the whole frame to name the rows (raises)
                read_survey_respondents(self.path, full_validation=True)
        return {
            "format": self.fmt,
            "items": list(self.items),
            "unit_columns": [k for k in UNIT_KEYS if k in self.keys],
            "dont_know": sum(answers.dont_know.values()),
            "dont_know_by_item": {i: answers.dont_know[i] for i in self.items},
            "blank": sum(answers.blank.values()),
            "ignored_columns": self.ignored,
            "validation": how,
            **self.format_notes,
        }


def _opened(path: Path, fmt: str, raw_keys: dict[str, pd.Series], items: list[str], row_of: _RowNumbers,
            ignored: list[str], warnings: list[Problem], format_notes: dict,
            columns: Callable[[list[str]], Iterator[tuple[int, list[_Cells]]]]) -> RespondentScan:
    if len(row_of) == 0:
        raise file_problem(path, None, "the file has no respondent rows", "export the data again with its rows")
    problems: list[Problem] = []
    keys = pd.DataFrame(_keys(path, raw_keys, row_of, problems), copy=False)
    return RespondentScan(path, fmt, keys, items, row_of, ignored, warnings, format_notes, columns, problems)


# --------------------------------------------------------------------------------------------
# Checking the contract


def _check_contract(frame: pd.DataFrame, path: Path, row_of: _RowNumbers, answers: _Answers | None) -> str:
    """Check ``frame`` against :class:`SurveyRespondents` with pandera.

    At 3 M × 60, pandera's per-cell pass costs several seconds (it copies every nullable
    column to drop its missing values before each check), and a scan never holds the whole
    frame. Instead, pandera validates a *witness frame* (``answers`` given): the same columns
    and dtypes, holding for each key column its distinct values and for each item column its
    smallest and largest answer (plus a missing value where the column has one). This gives
    the same verdict as checking every cell because every check in the contract is
    element-wise, and the item checks are range checks, which hold for all values exactly when
    they hold for the smallest and largest. If the contract ever gets a check of another kind,
    the caller checks the whole frame; when ``frame`` is the whole frame (``answers`` None),
    a failure is raised naming the rows.

    Returns:
        ``"witness"`` when the witness passed, ``"full"`` when the whole frame passed or must
        be checked (a witness that failed, or a contract the witness cannot stand for).
    """
    schema = SurveyRespondents.to_schema()
    if answers is not None:
        item_checks = {c.name for col in schema.columns.values() if col.regex for c in col.checks}
        element_wise = not schema.checks and not schema.unique and all(
            not getattr(col, "unique", False) for col in schema.columns.values())
        if not (element_wise and item_checks <= _RANGE_CHECKS):
            return "full"
        try:
            schema.validate(frame, lazy=True)
            return "witness"
        except pa.errors.SchemaErrors:
            return "full"
    try:
        schema.validate(frame, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as err:
        row_series = pd.Series(np.asarray(row_of), index=frame.index)
        raise InputError(problems_from_schema_errors(err, frame, str(path), row_series)) from None
    return "full"


def _prepare_contract(keys: pd.DataFrame, out: dict) -> None:
    """The keys' distinct values (into ``out["keys"]``), and one validation of a one-row
    frame so that pandera's backends are loaded; run in a thread while the answers are read.
    A failure here only means the work is done again after the reading."""
    try:
        out["keys"] = _key_witness(keys)
        SurveyRespondents.to_schema().validate(pd.DataFrame({
            PROGRAMME_KEY: pd.Series(["A"], dtype="str"), YEAR_KEY: pd.array([FIRST_YEAR], dtype="Int16"),
            "underv_engasj_18": pd.array([LIKERT_MIN], dtype="Int8")}))
    except Exception:  # noqa: BLE001, S110 — a warm-up; the real check follows and reports
        pass


def _key_witness(keys: pd.DataFrame) -> dict[str, object]:
    """Per key column its distinct values (a missing one included), in the contract's dtypes.
    Found by counting (a pass over small integers), not by hashing millions of values."""
    distinct: dict[str, object] = {}
    for name in keys.columns:
        column = keys[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.cat.codes.to_numpy().astype(np.int32)
            present = np.bincount(codes + 1, minlength=len(column.cat.categories) + 1) > 0
            seen = list(column.cat.categories[present[1:]]) + ([None] if present[0] else [])
            # the programme key is str in the contract; unit codes stay categorical
            distinct[name] = pd.Series(seen, dtype="str" if name == PROGRAMME_KEY else column.dtype)
        elif isinstance(column.array, pd.arrays.IntegerArray) and not column.array._mask.any():  # noqa: SLF001
            data = column.array._data  # noqa: SLF001
            low = int(data.min())
            distinct[name] = pd.array(np.flatnonzero(np.bincount(data - low)) + low, dtype=column.dtype)
        else:
            distinct[name] = pd.unique(column)
    return distinct


def _witness(keys: dict[str, object], answers: _Answers) -> pd.DataFrame:
    """Per column the values that decide every element-wise check (see _check_contract): the
    keys' distinct values, and per item its smallest and largest answer (and a missing value
    where the column has one)."""
    distinct = dict(keys)
    for item, low_high in answers.value_range.items():
        values = [] if low_high is None else list(low_high)
        if answers.any_missing[item]:
            values.append(pd.NA)
        distinct[item] = pd.array(values or [pd.NA], dtype="Int8")
    length = max(len(v) for v in distinct.values())
    return pd.DataFrame({name: pd.Series(v).take(np.arange(length) % len(v)).reset_index(drop=True)
                         for name, v in distinct.items()})


# --------------------------------------------------------------------------------------------
# Parquet


def _open_parquet(path: Path) -> RespondentScan:
    try:
        schema = pq.read_schema(path)
        # Text codes are read as dictionaries: a few thousand distinct codes over millions of
        # rows are cleaned once each, and institution/faculty stay categorical.
        text_keys = [f.name for f in schema if f.name.strip().lower() in _KEY_NAMES and f.name.strip().lower() != YEAR_KEY
                     and (pa_arrow.types.is_string(f.type) or pa_arrow.types.is_large_string(f.type))]
        parquet = pq.ParquetFile(path, read_dictionary=text_keys, pre_buffer=False)
        names = parquet.schema_arrow.names
        header = _check_header(path, names)
        items = item_columns(names)
        ignored = [n for n in names if n not in header and n not in items]
        row_of = _RowNumbers(parquet.metadata.num_rows)  # 1 = first row
        warnings: list[Problem] = []
        raw: dict[str, pd.Series] = {}
        for name in header:
            # one column at a time: Arrow's buffers for reading stay a few MB, not all keys at once
            column = parquet.read(columns=[name], use_threads=False).column(0)
            if pa_arrow.types.is_dictionary(column.type) and name not in text_keys:
                column = column.cast(column.type.value_type)
            value_type = column.type.value_type if pa_arrow.types.is_dictionary(column.type) else column.type
            if header[name] != YEAR_KEY and not (pa_arrow.types.is_string(value_type)
                                                 or pa_arrow.types.is_large_string(value_type)):
                warnings.append(Problem(str(path), None, name, str(column.type),
                                        "codes are stored as numbers: leading zeros may have been lost",
                                        "store codes as text in the export"))
            raw[header[name]] = column.to_pandas()
            del column
        # Arrow keeps freed buffers in its pool; give them back before the answers are read.
        pa_arrow.default_memory_pool().release_unused()
    except (pa_arrow.ArrowException, OSError) as err:
        raise _unreadable_parquet(path, err) from None
    return _opened(path, "parquet", raw, items, row_of, ignored, warnings, {}, _ParquetColumns(path))


def _unreadable_parquet(path: Path, err: Exception) -> InputError:
    return file_problem(path, None, f"cannot be read as Parquet ({err})", "the file may be truncated; export it again")


class _ParquetColumns:
    """Reads item columns of one Parquet file; each thread has its own file handle (a
    ``ParquetFile`` is not safe to share between threads)."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()

    def __call__(self, items: list[str]) -> Iterator[tuple[int, list[_Cells]]]:
        try:
            parquet = getattr(self._local, "file", None)
            if parquet is None:
                parquet = self._local.file = pq.ParquetFile(self.path)
            start = 0
            for batch in parquet.iter_batches(batch_size=CHUNK_ROWS, columns=items, use_threads=False):
                yield start, [_arrow_cells(batch.column(item)) for item in items]
                start += batch.num_rows
        except (pa_arrow.ArrowException, OSError) as err:
            raise _unreadable_parquet(self.path, err) from None


def _arrow_cells(array: pa_arrow.Array) -> _Cells:
    """One Arrow column (chunk) as numbers: integers and floats as they are, text as text."""
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
        return values, null, original
    if pa_arrow.types.is_null(kind):
        return np.zeros(len(array), dtype=np.int8), np.ones(len(array), dtype=bool), original
    values, blank = _text_values(array.cast(pa_arrow.string()).to_pandas()
                                 if not pa_arrow.types.is_boolean(kind) else pd.Series(["x"] * len(array)))
    return values, blank, original


def _null_mask(array: pa_arrow.Array) -> np.ndarray:
    """True where the Arrow array is null, from its validity bitmap (5× faster than is_null)."""
    bitmap = array.buffers()[0]
    if bitmap is None or pa_arrow.types.is_null(array.type):
        return pc.is_null(array).to_numpy(zero_copy_only=False)
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little")
    return ~bits[array.offset : array.offset + len(array)].view(bool)


# --------------------------------------------------------------------------------------------
# CSV and XLSX (per-cell parsing is in the file format; the classification is vectorised)


def _open_csv(path: Path) -> RespondentScan:
    table = read_text_table(path)
    header = _check_header(path, table.header)
    row_of = _RowNumbers(len(table.lines), np.asarray(table.lines, dtype=np.int64))
    return _open_text_frame(path, "csv", table.frame(), header, row_of,
                            {"encoding": table.encoding, "delimiter": table.delimiter}, [])


def _open_xlsx(path: Path) -> RespondentScan:
    from analysis.readers.xlsx import read_sheet

    sheet = read_sheet(path)  # every row, the one sheet with data, formulas checked
    title, names, rows, row_numbers = sheet.title, sheet.header, sheet.rows, sheet.row_numbers
    header = _check_header(path, names)
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    warnings = sheet.notes + [
        Problem(str(path), None, name, None, "some codes are stored as numbers: leading zeros may have been lost",
                "format the column as text in Excel")
        for name, key in header.items()
        if key != YEAR_KEY and frame[name].map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).any()
    ]
    # Excel keeps 3 as 3 or 3.0: make every cell the text a person sees, then read it as CSV.
    frame = frame.map(_cell_text)
    return _open_text_frame(path, "xlsx", frame, header,
                            _RowNumbers(len(row_numbers), np.asarray(row_numbers, dtype=np.int64)),
                            {"sheet": title}, warnings)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _open_text_frame(path: Path, fmt: str, frame: pd.DataFrame, header: dict[str, str], row_of: _RowNumbers,
                     notes: dict, warnings: list[Problem]) -> RespondentScan:
    items = item_columns(frame.columns)
    ignored = [n for n in frame.columns if n not in header and n not in items]
    # NOTE: the cells become numbers now and the text table is let go: an opened file holds
    # 3 bytes per answer, not a Python string per cell. Only a column with a cell that is not
    # an answer keeps its text, for the message.
    cells: dict[str, _Cells] = {}
    for item in items:
        values, blank = _text_values(frame[item])
        text = frame[item] if bool(((values < 0) & ~blank).any()) else None
        cells[item] = (values, blank, (lambda pos, t=text: t.iloc[pos]) if text is not None
                       else (lambda pos, v=values: int(v[pos])))

    def columns(batch: Sequence[str]) -> Iterator[tuple[int, list[_Cells]]]:
        yield 0, [cells[item] for item in batch]  # one chunk: a text table was parsed in memory

    return _opened(path, fmt, {header[n]: frame[n] for n in header}, items, row_of, ignored, warnings, notes,
                   columns)
