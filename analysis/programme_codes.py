"""One programme code written two ways within one institution: the one rule, for the respondent
files (:func:`analysis.metrics.survey_counts.programme_spellings`) and the gender tables
(:func:`analysis.ingest.combine_gender`).

Two spellings are one code when they differ only in leading zeros (``001001`` and ``1001``: a
file saved again from Excel) or in letter case (``MA0001`` and ``ma0001``: an export tool that
lower-cased it); spaces around a code never reach it (every reader strips them). Read as written
they would be two programmes, and the programme's years in a row, trend and changes from year to
year would be cut in two without a word. They are refused, never made one: two codes that differ only in case may truly be two
programmes somewhere, and the adviser decides which spelling is right.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import NamedTuple

from analysis.errors import Problem
from analysis.parsing import code_number


class CodeAt(NamedTuple):
    """A programme code where it was read: its institution (codes of two institutions are never
    compared), the code as written, and its file, row (None where not known) and column."""

    institution: Hashable
    code: str
    file: str
    row: int | None
    column: str | None


def spelling_key(code: object) -> str | None:
    """What two spellings of one code have in common: a code of digits as its number
    (:func:`analysis.parsing.code_number`), any other code in capitals; None for no code."""
    if not isinstance(code, str) or not code:
        return None
    return code_number(code) or code.upper()


def _how(first: str, other: str, source: str) -> tuple[str, str]:
    """How ``other`` differs from ``first`` (what, and what to write instead; ``source``: who
    writes the code as it should be)."""
    if first.upper() == other.upper():
        # NOTE: DBH (and NOKUT, whose studprog_kod is DBH's code) write programme codes in
        # capitals (NTNU's MTDT); the Studiebarometeret portal's addresses lower-case them
        return "in other letter case", (
            f"DBH writes programme codes in capitals ({first.upper()}): write the code so in every file; "
            "if the two are truly two programmes, give one of them another code"
        )
    return (
        "without its leading zeros or with others",
        f"write the code as {source} in every file ({first}?); keep codes as text "
        "(in Excel: format the column as text)",
    )


def spelling_problems(codes: Iterable[CodeAt], source: str, lost: str) -> list[Problem]:
    """An error for every spelling of a code after the first one seen of it in its institution,
    naming both spellings, files and rows (each spelling once). ``source``: who writes the code
    as it should be ("NOKUT delivers it", "DBH does"); ``lost``: what two programmes would cost."""
    first: dict[tuple, CodeAt] = {}
    said: set[tuple] = set()
    problems: list[Problem] = []
    for at in codes:
        key = spelling_key(at.code)
        if key is None:
            continue
        same = (at.institution, key)
        seen = first.setdefault(same, at)
        if seen.code == at.code or (same, at.code) in said:
            continue
        said.add((same, at.code))
        where = "in this file" if seen.file == at.file else f"in {seen.file}"
        if seen.row is not None:
            where += f" row {seen.row}"
        what, hint = _how(seen.code, at.code, source)
        problems.append(
            Problem(
                at.file,
                at.row,
                at.column,
                at.code,
                f"the same programme code as {seen.code} {where}, written {what}: it would count as two "
                f"programmes, {lost}",
                hint,
            )
        )
    return problems
