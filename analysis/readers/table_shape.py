"""The shape of a table as read, the same for a CSV and a workbook: the empty columns an
export leaves at the right, and how many rows that do not match the header are listed.

Apart from :mod:`analysis.readers.base` because the workbook reader (:mod:`analysis.readers.xlsx`)
uses both rules and base uses the workbook reader: here neither imports the other for them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from analysis.errors import Problem, listed_past_the_limit

#: Rows with too few or too many fields listed one by one; the rest are counted in one line.
MAX_RAGGED_LISTED = 20


def empty_last_columns(header: Sequence[str], rows: Sequence[Sequence[object]]) -> int:
    """How many of the last columns are unnamed and empty in every row: not data. Excel writes
    a trailing separator on every line of a CSV ("…;2018;"), and a workbook keeps the empty
    cells right of a table that were ever formatted (a CSV's and a workbook's alike; a bad-input
    hunt, 2026-12-03: a workbook's were "columns the product does not read")."""

    def blank(value: object) -> bool:
        return value is None or (isinstance(value, str) and value.strip() == "")

    return empty_last_count(header, lambda i: all(blank(r[i]) for r in rows))


def empty_last_count(header: Sequence[str], all_blank: Callable[[int], bool]) -> int:
    """:func:`empty_last_columns` for a table held by column: ``all_blank(i)`` says whether
    column ``i`` (counted from the end, -1 the last) is blank in every row."""
    count = 0
    while count < len(header) - 1 and header[-1 - count] == "" and all_blank(-1 - count):
        count += 1
    return count


def few_ragged(problems: list[Problem]) -> list[Problem]:
    """``problems`` with the rows whose fields do not match the header ("row has N fields")
    listed up to :data:`MAX_RAGGED_LISTED`, the rest counted on the next one's line
    (:func:`~analysis.errors.listed_past_the_limit`): a CSV's and a
    workbook's alike (a title row above the header, or a column without a header, makes every
    row ragged: the first few say it)."""
    ragged = [p for p in problems if p.message.startswith("row has ")]
    if len(ragged) <= MAX_RAGGED_LISTED:
        return problems
    first_more = ragged[MAX_RAGGED_LISTED]
    kept = [p for p in problems if p not in ragged[MAX_RAGGED_LISTED:]]
    advised = replace(
        first_more, hint="is the first row the header? delete any title rows above it; " + first_more.hint
    )
    more = len(ragged) - MAX_RAGGED_LISTED - 1
    return [*kept, listed_past_the_limit(advised, more, "whose fields do not match the header")]


def cells_of_column(count: int) -> tuple[str, str]:
    """How a problem said once for a column counts its cells ("349 cells of this column are"),
    and the note that the cell it names is the first (" (the first shown here)"), empty for one."""
    if count == 1:
        return "1 cell of this column is", ""
    return f"{count} cells of this column are", " (the first shown here)"


def once_per_column(
    path: object, column: str, cells: Sequence[tuple[int | None, object]], what: str, why: str, hint: str
) -> Problem:
    """One problem for the ``cells`` (row, value; in row order) of a column that share a cause the
    whole column has, at the first, with their count: "FILE:ROW:COLUMN: FIRST — N cells of this
    column are WHAT (the first shown here)WHY (HINT)". Excel's conversions and a re-saved export
    give one to every row (a code without its leading zeros in each of the national DBH file's
    25 443 rows): a line per cell hid everything else, and the fix is one for the column."""
    number, value = cells[0]
    many, first = cells_of_column(len(cells))
    return Problem(str(path), number, column, value, f"{many} {what}{first}{why}", hint)


def column_names(header: Sequence[str]) -> list[str]:
    """The header as the readers name its columns: a cell without a name is "(column N)", N
    counted from 1 as a person counts them, in a CSV and a workbook alike (two unnamed columns
    are two columns, not one name twice)."""
    return [h if h else f"(column {i + 1})" for i, h in enumerate(header)]
