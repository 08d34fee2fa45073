"""A table saved by Excel for Mac as "CSV (Macintosh)" is in Mac Roman: ø, å, Ø are the bytes
Windows-1252 reads as ¿, Œ, ¯. Read as Windows-1252 it was valid and wrong without a word (a
bad-input hunt, 2026-12-04): DBH table 210 named a faculty "Fakultet for ¿konomi", and the
portal index sample lost its few-respondents mark ("NB: få svarende" read as "NB: fŒ svarende":
all 8 rows with it marked false). Refused now, naming the first garbled word.

Provenance: the real ``dbh_t210_ntnu_fakultetskoder.csv`` and
``studiebarometeret_2025_portal_index_sample.csv``, encoded as Mac Roman by Python's codec.
"""

from __future__ import annotations

import pytest

from analysis.cli import main
from analysis.errors import InputError
from analysis.readers import read_path


@pytest.mark.parametrize(
    ("name", "shown", "line"),
    [
        # line 5: "1150,230,Fakultet for økonomi,ØK,99999" (the first letter outside ASCII)
        ("dbh_t210_ntnu_fakultetskoder.csv", "¿konomi", 5),
        # line 2: "Byggeteknikk og arkitektur (master 5 år)"
        ("studiebarometeret_2025_portal_index_sample.csv", "Œr", 2),
    ],
)
def test_a_mac_roman_file_is_refused_not_read_garbled(tmp_path, real_file, capsys, name, shown, line):
    path = tmp_path / name
    path.write_bytes(real_file(name).read_text(encoding="utf-8").encode("mac_roman"))
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert "Mac" in problem.message
    assert shown in str(problem.value)
    assert problem.row == line  # the line an editor shows, as every reader names a row
    assert main(["validate", str(path)]) == 1
    out, err_text = capsys.readouterr()
    assert "Traceback" not in out + err_text


def test_windows_1252_with_the_same_letters_is_still_read(tmp_path, real_file):
    """The same file in Windows-1252 (ø is one byte there too) reads as the UTF-8 original."""
    name = "dbh_t210_ntnu_fakultetskoder.csv"
    path = tmp_path / name
    path.write_bytes(real_file(name).read_text(encoding="utf-8").encode("cp1252"))
    assert "Fakultet for økonomi" in read_path(path).frame["faculty_name"].tolist()


@pytest.mark.parametrize(
    "name",
    [
        "Fakultet for økonomi (NTNU Business School®)",  # a ® after a word
        "Gore-Tex®-kurs for Željko",  # a ® and a Ž beside letters, in the file's other lines an ø
    ],
)
def test_windows_1252_with_a_mark_beside_a_letter_is_read_as_it_is(tmp_path, real_file, name):
    """A second reader, 2026-12-04: "School®)" in a Norwegian Windows-1252 file was refused as
    Mac Roman. A Mac Roman file has no æ, ø or å as Windows-1252 reads it (Mac Roman keeps them
    at other bytes); the real DBH 210 file has several ("Fakultet for økonomi"), so its marks
    are Windows-1252's own."""
    lines = real_file("dbh_t210_ntnu_fakultetskoder.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[-1].split(",")
    cells[2] = f'"{name}"'  # the last faculty's name
    path = tmp_path / "t210.csv"
    path.write_bytes(("\n".join([*lines[:-1], ",".join(cells)]) + "\n").encode("cp1252"))
    assert name in read_path(path).frame["faculty_name"].tolist()
