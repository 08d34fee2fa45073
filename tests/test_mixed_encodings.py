"""A text file that is UTF-8 except for some lines in Windows-1252 (two exports pasted
together) is refused naming the first such line, not called 'UTF-8 read as Windows-1252 and
saved again' without a line (a bad-input hunt, 2026-12-03)."""

from __future__ import annotations

import pytest

from analysis.errors import InputError
from analysis.readers import read_path


def test_a_line_in_windows_1252_inside_a_utf8_file_is_named(tmp_path):
    head = "Nivå;Institusjon;God faglig integrering norske og intern.;God sosial integrering norske og intern.\n"
    utf8 = (head + "Masterstudenter;NTNU;2,3;2,2\n").encode("utf-8")
    pasted = "Masterstudenter;Høgskolen i Østfold;4,3;3,5\n".encode("cp1252")
    path = tmp_path / "integrering_2017.csv"
    path.write_bytes(utf8 + pasted)
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert problem.value == "Masterstudenter;Høgskolen i Østfold;4,3;3,5"
    assert problem.message.startswith("line 3 is not UTF-8, while the rest of the file is")


def test_a_whole_windows_1252_file_is_still_read(tmp_path):
    text = (
        "Nivå;Institusjon;God faglig integrering norske og intern.;God sosial integrering norske og intern.\n"
        "Masterstudenter;Høgskolen i Østfold;4,3;3,5\n"
    )
    path = tmp_path / "integrering_2017.csv"
    path.write_bytes(text.encode("cp1252"))
    assert read_path(path).frame["institution"].tolist() == ["Høgskolen i Østfold"]
