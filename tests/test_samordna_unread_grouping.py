"""Samordna opptak's key figures exported with a column the reader does not read that splits
the table's rows (an admission type beside the figures: "Hovedopptak" and "Lokalt opptak" rows of
one programme, as an adviser's combined export gives): the error names that column, as a DBH
export grouped by Nivåkode does (tests/test_dbh_unread_grouping.py). It said "same key … but a
different value (keep one row per key: remove the wrong row)", though neither row is wrong (a
real-file hunt, 2026-12-04).

The file is the first programme of the Excel-saved national excerpt
(tests/fixtures/samordna_national_utdrag_excel.csv: Ansgar høyskole, 255480, Alle søkere
28 31 31 54 33 30 for 2021–2026) with an "Opptak" column; its "Lokalt opptak" copy gives 5 in
every year."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.readers import read_path

EXCEL_CSV = Path(__file__).parent / "fixtures" / "samordna_national_utdrag_excel.csv"


def _with_admission_types(tmp_path: Path) -> Path:
    header, first = EXCEL_CSV.read_text(encoding="utf-8-sig").splitlines()[:2]
    cells = first.split(";")
    assert cells[5:7] == ["Alle søkere", "28"]  # the fixture's first record, as the docstring says
    lines = [
        header.replace(";Nøkkeltall;", ";Opptak;Nøkkeltall;"),
        ";".join([*cells[:5], "Hovedopptak", *cells[5:]]),
        ";".join([*cells[:5], "Lokalt opptak", cells[5], *["5"] * 6]),
    ]
    path = tmp_path / "samordna_sokertall.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def test_rows_that_differ_only_in_a_column_not_read_name_that_column(tmp_path):
    with pytest.raises(InputError) as err:
        read_path(_with_admission_types(tmp_path))
    problems = err.value.problems
    # one problem per year column of the second row (line 3): 5 against the first row's figure
    assert [(p.row, p.column, p.value) for p in problems] == [(3, str(y), 5.0) for y in range(2021, 2027)]
    for p in problems:
        assert "Opptak" in p.hint and "remove the wrong row" not in p.hint, p.hint


def test_a_column_not_read_that_is_the_same_in_both_rows_is_not_named_as_the_cause(tmp_path):
    """A "Hentet" (fetched) column with one date in both rows does not split them: the rows have
    one key and two figures (28 and 5 for 2021), one of them wrong, and the error says so. It
    named "Hentet" and told the adviser to keep the rows of one value of it "(e.g. Hovedopptak)",
    which keeps both."""
    path = _with_admission_types(tmp_path)
    text = path.read_text(encoding="utf-8-sig")
    text = text.replace(";Opptak;", ";Hentet;").replace(";Hovedopptak;", ";2026-09-22;")
    path.write_text(text.replace(";Lokalt opptak;", ";2026-09-22;"), encoding="utf-8-sig")
    with pytest.raises(InputError) as err:
        read_path(path)
    problems = err.value.problems
    assert [(p.row, p.column, p.value) for p in problems] == [(3, str(y), 5.0) for y in range(2021, 2027)]
    for p in problems:
        assert "Hentet" not in p.hint and "remove the wrong row" in p.hint, p.hint
