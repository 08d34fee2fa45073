"""A notes footer below a table: the lines an adviser or an export writes under the data
("Kilde: DBH …", "Små celler er skjermet"), told apart from rows of the table. One module for
both the text tables (:mod:`analysis.readers.base`) and the workbooks
(:mod:`analysis.readers.xlsx`, a note merged across its row), so neither imports the other for it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

#: A source note below a table, as exports and advisers write them ("Kilde: DBH …", "Merknad:",
#: "Merk:", "NB:", "Obs!": the last three were a line of the table, a bad-input hunt 2026-12-05).
NOTE_ROW = re.compile(
    r"(?i)\s*(?:kilde|source|merknad|merk|note|notes|notat|fotnote|anmerkning|forklaring|nb|obs)\s*:"
    r"|\s*(?:nb|obs)\s*!|\s*kilde\b"
)

#: A cell that is a figure as a table shows it: a count, share or mean ("1 468", "34,1 %", "-2").
_FIGURE = re.compile(r"\s*[-+\u2212]?\d[\d \u00a0\u202f.,]*\s*%?\s*")

#: A cell of words: a letter in it, and a space between two of its parts (a sentence, "Små
#: celler er skjermet", "3 rader er skjermet"), as no code or key of a table is.
_WORDS = re.compile(r"(?=.*[^\W\d_])\S+\s+\S")


def _codes_column(rows: Iterable[Sequence[str]]) -> bool:
    """Is the first column of ``rows`` one of codes: filled somewhere, and every cell of it one
    part with a digit, an underscore or in capitals (DBH's Institusjonskode "1150", Samordna's
    entry_id "nmbu_bygg", NOKUT's studprog_kod "MTDT", the portal's survey_year). A line of words
    there is no unit of the table; in a column of names (the seed's programmes "Kybernetikk",
    "Ada- siv.ing"; its levels "Bachelorstudenter") it may be one."""
    seen = False
    for row in rows:
        cell = row[0].strip() if row else ""
        if not cell:
            continue
        if len(cell.split()) > 1 or not (cell.isupper() or "_" in cell or any(c.isdigit() for c in cell)):
            return False
        seen = True
    return seen


def split_note(cells: Sequence[str], columns: int) -> bool:
    """Is the row ``cells`` (below a header of ``columns`` columns) a line of text split at its
    separators: a note typed below the table with a comma or semicolon in it ("Små celler er
    skjermet, se dbh.no" in a file of commas), which no row of the table can be: narrower than
    the header with every cell filled, as a line typed in a text editor is (Excel quotes a cell
    that holds the separator), its first cell words (:data:`_WORDS`), and no cell a figure
    (:data:`_FIGURE`). It was "row has 2 fields" (a bad-input hunt, 2026-12-05). A row of the
    table without its figures (a unit whose counts are blank) is as wide as the header, or its
    first cell alone; one with the separator unquoted in a name ("Norges
    teknisk-naturvitenskapelige, universitet") is wider, its blank figures empty cells: said to
    be a note, the adviser deleted it (a second reader, 2026-12-05)."""
    if not 2 <= len(cells) < columns or not _WORDS.match(cells[0].strip()):
        return False
    return all(c.strip() for c in cells) and not any(_FIGURE.fullmatch(c) for c in cells)


def footer_notes(
    rows: Sequence[Sequence[str]], columns: int, above: Iterable[Sequence[str]] | None = None
) -> dict[int, bool]:
    """The positions of the rows at the end of ``rows`` (below a header of ``columns`` columns)
    that are its notes footer, as an adviser writes notes below a table in Excel: from a note
    (:data:`NOTE_ROW`, "Kilde: DBH, hentet 22.09.2026", or a line of text split at its
    separators, :func:`split_note`) on, every note or row with its first
    cell filled and nothing else ("Små celler er skjermet"), whatever its width: Excel writes
    the separators of the empty cells, a text editor none. Such a line without a note word was
    "value is missing" in every other column, and written without separators "row has 1
    fields" (bad-input hunts, 2026-12-05). A row of its first cell alone above the note is no
    note: it may be a row of data without figures (a programme with no admission those years);
    nor is any row of a table of one column, every row of which is its first cell alone. Unless
    it is words in a column of codes (:func:`_codes_column`, judged on the rows above the
    footer: ``above``, or the rows of ``rows`` outside it): "Tallene er foreløpige" alone in a
    DBH table's Institusjonskode is a note, where it was "value is missing" in each other column
    (a bad-input hunt, 2026-12-05); "Datateknologi" in the seed's column of programmes may be a
    programme. Each position with whether the line is a note for certain (such a line of words)."""
    footer: set[int] = set()
    for i in range(len(rows) - 1, -1, -1):
        if not may_be_footer(rows[i], columns):
            break
        footer.add(i)
    words = {i for i in footer if columns >= 2 and _WORDS.match(rows[i][0].strip())}
    if words:
        rest = (rows[i] for i in range(len(rows)) if i not in footer) if above is None else above
        if not _codes_column(rest):
            words = set()
    notes = [i for i in footer if NOTE_ROW.match(rows[i][0].strip()) or split_note(rows[i], columns) or i in words]
    return {i: i in words for i in footer if i >= min(notes)} if notes else {}


def may_be_footer(cells: Sequence[str], columns: int) -> bool:
    """May the row ``cells`` (below a header of ``columns`` columns) be a line of a notes footer
    (:func:`footer_notes`): a note, one split at its separators (:func:`split_note`), or its
    first cell alone."""
    first = cells[0].strip() if cells else ""
    if not first:
        return False
    if columns >= 2 and not any(c.strip() for c in cells[1:]):
        return True
    return NOTE_ROW.match(first) is not None or split_note(cells, columns)
