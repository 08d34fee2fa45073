"""Errors as part of the interface.

Every problem with an input names the file, the row as the person sees it in the file, the
column and the value, says what is wrong and what to do:

    FILE:ROW:COLUMN: VALUE — what is wrong (what to do)

ROW is the line number in a CSV file as a text editor shows it (1-based, every physical line
counted: blank lines above the header too, so the header is line 1 only when nothing is above
it; a row whose quoted cell spans lines is named by the line it starts on), the row number in a
spreadsheet, and the data-row number (1 = first row after the status object) in a DBH-API JSON
response. A problem of a column (missing, named twice) is named on the header's line.
Whole-file problems use ``-`` for row and column.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.words import noun

if TYPE_CHECKING:  # pandas and pandera load only where a schema failure is read (the CLI starts without them)
    import pandas as pd
    import pandera.pandas as pa

#: A value longer than this is cut (a cell's text, a record): its start says which it is.
MAX_VALUE_CHARS = 60


class PathValue(str):
    """A problem's value that is a path to look for (a link's target, ``→ /home/ola/…/x.csv``):
    said whole, as the problem's file is. Cut at :data:`MAX_VALUE_CHARS` like a cell's text, it
    lost its end — the file's name, the one part of it the adviser needs to find the file."""


#: Characters a message never carries as they are: control characters (C0, DEL, C1), format
#: characters such as the bidi overrides (U+202E turns "fdp.exe" around), line and paragraph
#: separators, private-use, unassigned and surrogate code points (undecodable bytes in a file
#: name). A newline in a file name would split the message line; ESC would drive the terminal.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str) -> str:
    if ch in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (Python's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def shown(text: object) -> str:
    """``text`` (a file name, a column, anything from outside) safe to print on one line:
    every character in :data:`_HIDDEN_CATEGORIES` is written as an escape (``\\n``,
    ``\\x1b``, ``\\u202e``); everything else is kept, Norwegian letters and spaces included."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(_escape_char(ch) if unicodedata.category(ch) in _HIDDEN_CATEGORIES else ch for ch in text)


def _show(value: object) -> str:
    if _missing(value):
        return "(empty)"
    text = str(value)
    if text == "":
        return "(empty)"
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    if len(text) > MAX_VALUE_CHARS and not isinstance(value, PathValue):
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    return repr(text) if isinstance(value, str) else text


def _missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA (without importing pandas)."""
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return type(value).__name__ == "NAType"  # pd.NA has no truth value


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    value: object
    message: str
    hint: str

    def __str__(self) -> str:
        row = "-" if self.row is None else str(self.row)
        col = shown(self.column) if self.column else "-"
        return f"{shown(self.file)}:{row}:{col}: {_show(self.value)} — {shown(self.message)} ({shown(self.hint)})"


def listed_past_the_limit(first: Problem, more: int, what: str, unit: str = "row") -> Problem:
    """The line of ``first``, the first problem past a limit on those listed (50 invalid answers
    of a column, 20 rows that do not match the header), and of the ``more`` like it below that
    are not listed: named by its own row and value, as the listed are, and counting the others
    in its message ("…; 9 more rows WHAT are not listed"; one "row … is"). One rule for every
    such line: a line of its own, "and 10 more rows", named a row with the value (empty), a
    blank, where the cell held 'Vet ikke' or a share. ``unit``: what is counted, rows or
    (where a row may have several) cells."""
    if not more:
        return first
    verb = "is" if more == 1 else "are"
    return replace(first, message=f"{first.message}; {more} more {noun(more, unit, 'en')} {what} {verb} not listed")


def listed_up_to(problems: list[Problem], limit: int, what: str, unit: str = "row") -> list[Problem]:
    """``problems`` as they are listed: the first ``limit``, then the first past the limit with
    the count of the rest (:func:`listed_past_the_limit`); all of them where there are no more."""
    if len(problems) <= limit:
        return problems
    return [*problems[:limit], listed_past_the_limit(problems[limit], len(problems) - limit - 1, what, unit)]


class InputError(Exception):
    """One or more problems with input files. Raised with *all* problems found, not the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def caused_by_interrupt(err: BaseException) -> bool:
    """Whether an interrupt (Ctrl-C, or ``kill``, which the command line turns into one) is
    behind ``err``: Python wraps one raised while a class is being built (``__set_name__``, as
    pandera's fields do during an import) in a RuntimeError whose cause it is (Python 3.11).
    Every handler that turns an Exception into a message asks this first, so such an interrupt
    ends the run as an interrupt (exit 130, the earlier output kept), not as a bug or a broken
    file. Only causes count: a failure while an interrupt was being handled is that failure."""
    cause: BaseException | None = err
    for _ in range(16):  # a chain of causes is short; the bound guards against a cycle
        if cause is None:
            return False
        if isinstance(cause, KeyboardInterrupt):
            return True
        cause = cause.__cause__
    return False


class ReportError(Exception):
    """The report could not be built; the message says why and what to do."""


class OutputError(Exception):
    """An output was not written, and nothing was changed: the output is refused (it is an
    input, or a folder kvalitet did not write), another run is writing it, or the disk is full
    or read-only. The message is complete: it names the output and says what to do."""


def closest(word: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The one of ``known`` closest to ``word`` (a typo's "did you mean"), compared in any case;
    None where none is close enough (``cutoff``: difflib's ratio, 0–1)."""
    import difflib

    folded = {k.casefold(): k for k in known}
    found = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=cutoff)
    return folded[found[0]] if found else None


def missing_path(path: Path | str, what: str = "file") -> tuple[PathValue, str]:
    """The value and the advice of "``what`` not found" for ``path`` as given: the value is the
    whole path that was looked for (a relative path is from the working directory, which the
    adviser may not know), the advice says which part is missing — the folder it names that is
    not there, or the file that is not in a folder that is (with the nearest name there: a
    typo, ``.csv`` for ``.xlsx``) — or that a link leads nowhere. Once written was "(empty)",
    with "check the path" of a path the line named already."""
    given = Path(path)
    looked_for = Path(os.path.abspath(given))
    if given.is_symlink():
        link = PathValue(f"{looked_for} → {os.readlink(given)}")
        return link, "it is a link to a file that is not there: give the file itself"
    folder = looked_for.parent
    if not folder.exists():
        while not folder.parent.exists() and folder.parent != folder:
            folder = folder.parent
        return PathValue(str(looked_for)), f"the folder {folder} does not exist: check the path"
    if not folder.is_dir():
        return PathValue(str(looked_for)), f"{folder} is a file, not a folder: check the path"
    try:
        names = [p.name for p in folder.iterdir() if not p.name.startswith(".")]
    except OSError:
        names = []
    near = closest(given.name, names)
    did_you_mean = f"; did you mean {near}?" if near else ""
    return PathValue(str(looked_for)), f"the folder {folder} has no {what} {given.name}{did_you_mean}"


def file_problem(path: Path | str, value: object, message: str, hint: str, row: int | None = None) -> InputError:
    return InputError([Problem(str(path), row, None, value, message, hint)])


# Hints for pandera checks, phrased for an adviser rather than for a programmer.
_CHECK_HINTS: dict[str, str] = {
    "greater_than_or_equal_to": "counts and scores cannot be negative; check the export",
    "less_than_or_equal_to": "the value is above the largest allowed value; check the export",
    "in_range": "the value is outside the allowed range; check the export",
    "isin": "use one of the allowed values",
    "str_matches": "check the code in the source system",
    "not_nullable": "fill in the value or remove the row",
    "field_uniqueness": "keep one row per key; remove or merge the duplicates",
    "multiple_fields_uniqueness": "keep one row per key; remove or merge the duplicates",
    "coerce_dtype": "the value must be a number",
    "dtype": "the value must be a number",
}


def _describe_check(check: str, check_name: str) -> tuple[str, str]:
    """pandera's check text (``greater_than_or_equal_to(2013)``) in an adviser's words."""
    arg = check[len(check_name) + 1 : -1] if check.endswith(")") else ""
    hint = _CHECK_HINTS.get(check_name, "correct the value in the file")
    if check_name in ("greater_than_or_equal_to", "greater_than"):
        if arg not in ("0", "0.0"):
            hint = "check the value in the file"
        return f"must be at least {arg}", hint
    if check_name in ("less_than_or_equal_to", "less_than"):
        return f"must be at most {arg}", hint
    if check_name == "in_range":
        return f"must be in the range {arg}", hint
    if check_name == "isin":
        return f"is not one of the allowed values {arg}", hint
    if check_name == "str_matches":
        digits = re.fullmatch(r"'\^\\d\{(\d+)\}\$'", arg)
        if digits:
            return f"must be {digits.group(1)} digits", hint
        return f"does not have the expected form {arg}", hint
    if check_name in ("coerce_dtype", "dtype"):
        return "has the wrong type", hint
    return f"fails the check {check}", hint


#: pandera's names for a required column that is not there: absent (``column_in_dataframe``),
#: or absent where the model adds missing columns but this one has no default
_MISSING_COLUMN_CHECKS = ("column_in_dataframe", "add_missing_has_default")


def problems_from_schema_errors(
    err: pa.errors.SchemaErrors,
    frame: pd.DataFrame,
    file_of_row: pd.Series | str,
    row_of_row: pd.Series,
    column_labels: dict[str, str] | None = None,
) -> list[Problem]:
    """Turn pandera's lazy failure cases into problems an adviser can act on.

    ``row_of_row`` maps the frame's index to the row as seen in the file; ``column_labels``
    maps tidy column names back to the headers in the file. A check whose error reads
    ``"what is wrong|what to do"`` is reported in those words; a whole-row check is reported
    once per row, naming the columns it involves.
    """
    import pandas as pd

    labels = column_labels or {}
    problems: list[Problem] = []
    seen_row_checks: dict[tuple, int] = {}
    unreported: dict[tuple, tuple[list[str], str]] = {}
    reported: set[tuple] = set()
    column_missing = err.failure_cases["check"].astype(str).isin(_MISSING_COLUMN_CHECKS).any()
    for case in err.failure_cases.itertuples(index=False):
        column = case.column if isinstance(case.column, str) else None
        check = str(case.check)
        check_name = check.split("(")[0]
        if column_missing and case.index is None and str(case.failure_case).startswith("KeyError("):
            # a frame-wide check that could not run without the missing column: that column is
            # the problem, reported once (the check's own words would name a wrong cause)
            continue
        if check_name in _MISSING_COLUMN_CHECKS:
            file = file_of_row if isinstance(file_of_row, str) else "(input)"
            problems.append(
                Problem(
                    file,
                    1,
                    labels.get(str(case.failure_case), str(case.failure_case)),
                    None,
                    "required column is missing",
                    "add the column or check that this is the right kind of file",
                )
            )
            continue
        idx = case.index
        row = None
        file = file_of_row if isinstance(file_of_row, str) else None
        has_index = idx is not None and not (isinstance(idx, float) and pd.isna(idx))
        if has_index and idx in frame.index:
            row = int(row_of_row.loc[idx])
            if not isinstance(file_of_row, str):
                file = str(file_of_row.loc[idx])
        file = file or "(input)"
        involved: list[str] | None = None
        if check.startswith("@"):
            # "@women,total|message|hint": a row check that names the columns it involves
            cols, check_text = check[1:].split("|", 1)
            involved = cols.split(",")
            if column not in involved:
                # NOTE: pandera leaves out the columns of a failing row check that are empty in
                # that row; the row must still be reported (on the first column it involves)
                unreported.setdefault((idx, check), (involved, check_text))
                continue
        else:
            check_text = check
        if "|" in check_text:
            message, hint = check_text.split("|", 1)
        else:
            message, hint = _describe_check(check, check_name)
        label = labels.get(column, column) if column else None
        if case.schema_context == "DataFrameSchema" and has_index:
            key = (file, row, check)
            if key in seen_row_checks:
                # one problem per row and check: add this column and value to it
                i = seen_row_checks[key]
                prev = problems[i]
                problems[i] = Problem(
                    prev.file,
                    prev.row,
                    f"{prev.column}/{label}",
                    f"{prev.value}/{case.failure_case}",
                    prev.message,
                    prev.hint,
                )
                continue
            seen_row_checks[key] = len(problems)
        problems.append(Problem(file, row, label, case.failure_case, message, hint))
        reported.add((idx, check))
    for (idx, check), (involved, check_text) in unreported.items():
        if (idx, check) in reported:
            continue
        has_index = idx is not None and not (isinstance(idx, float) and pd.isna(idx)) and idx in frame.index
        file = file_of_row if isinstance(file_of_row, str) else str(file_of_row.loc[idx]) if has_index else "(input)"
        row = int(row_of_row.loc[idx]) if has_index else None
        first = involved[0]
        value = frame.at[idx, first] if has_index and first in frame.columns else None
        message, hint = check_text.split("|", 1) if "|" in check_text else (check_text, "check the row")
        problems.append(Problem(file, row, labels.get(first, first), value, message, hint))
    problems.sort(key=lambda p: (p.file, p.row if p.row is not None else -1, p.column or ""))
    return problems


#: What to do about a stage's own table that breaks its contract as it is read back: made by
#: the code, not the adviser's data (a damaged stage, or a bug).
STAGE_TABLE_HINT = "a table the stage made, not your data: build again with --force; if it comes back, report a bug"


def validate_frame(
    frame: pd.DataFrame, model: type[pa.DataFrameModel] | pa.DataFrameSchema, what: str, *, table: bool = False
) -> pd.DataFrame:
    """Validate a tidy frame lazily against a model (or a schema: a part of one); every failure
    becomes a problem naming file and row.

    Frames from the readers carry ``source_file``/``source_row``; a frame built by hand is named
    ``what`` with rows counted as in a CSV file (header = line 1). A ``table`` (a stage's own
    table read back, whose ``source_file`` names the files it is about) is the file ``what``,
    its rows counted from 1.
    """
    import pandas as pd
    import pandera.pandas as pa

    try:
        return model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        files = what if table else frame.get("source_file", what)
        if table:
            rows = pd.Series(range(1, len(frame) + 1), index=frame.index)
        else:
            rows = frame["source_row"] if "source_row" in frame else pd.Series(frame.index + 2, index=frame.index)
        problems = problems_from_schema_errors(err, frame, files, rows)
        if table:  # (no row of the adviser's to mend: "remove the duplicates" was no advice here)
            problems = [replace(problem, hint=STAGE_TABLE_HINT) for problem in problems]
        raise InputError(problems) from None
