"""A column and another spelling of it (an alias: ``År`` and ``aar``) both in one header: which
one the figures come from was a silent choice (the first spelling in the reader's list was read,
the other passed over without a word). Refused on the header's line, naming both columns, by the
one place aliases are resolved (``analysis.readers.base.parse_columns``) for every reader.

Refused even where the two columns hold the same values: a header that names one figure twice is
a table pasted together, and saying so costs the adviser one deleted column.

Provenance: the real ``shared/data/raw/seed_studiebarometeret_2017_integrering.csv`` (NTNU LMU
28.11.2018) with the columns the test names added; the DBH table 210 export
``dbh_t210_ntnu_fakultetskoder.csv``.
"""

from __future__ import annotations

import pytest

from analysis.cli import main
from analysis.errors import InputError
from analysis.readers import read_path

INTEGRATION = "seed_studiebarometeret_2017_integrering.csv"


def _with_columns(real_file, tmp_path, name, added_header, cells):
    lines = real_file(name).read_text(encoding="utf-8").splitlines()
    sep = ";" if ";" in lines[0] else ","
    out = [lines[0] + sep + sep.join(added_header)]
    out += [line + sep + sep.join(cells(i)) for i, line in enumerate(lines[1:])]
    path = tmp_path / name
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("added", "cells", "first", "second"),
    [
        # the year twice, different years: 2017 or 2018 would have been a silent choice
        (["År", "aar"], lambda i: ["2017", "2018"], "År", "aar"),
        # the year twice, the same year in every row: still two columns for one figure
        (["År", "aar"], lambda i: ["2017", "2017"], "År", "aar"),
        # the academic score under its long name (in the file) and its short one
        (["faglig integrering"], lambda i: ["3,0"], "God faglig integrering norske og intern.", "faglig integrering"),
        # the response count under both its spellings
        (["Antall svar", "n"], lambda i: ["10", "12"], "Antall svar", "n"),
    ],
)
def test_the_integration_extract_with_a_column_and_its_alias_is_refused(
    tmp_path, real_file, capsys, added, cells, first, second
):
    path = _with_columns(real_file, tmp_path, INTEGRATION, added, cells)
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (1, second, second)
    assert f"'{first}'" in problem.message and f"'{second}'" in problem.message
    assert main(["validate", str(path)]) == 1
    out, err_text = capsys.readouterr()
    assert "Traceback" not in out + err_text
    assert out.startswith(f"{path}:1:{second}: '{second}' — ")


def test_the_integration_extract_with_one_spelling_of_each_column_is_read(tmp_path, real_file):
    """The alias alone is still read: ``aar`` is the year (10 rows, every one 2017)."""
    path = _with_columns(real_file, tmp_path, INTEGRATION, ["aar"], lambda i: ["2017"])
    frame = read_path(path).frame
    assert frame["year"].tolist() == [2017] * 10
