"""A text file's kind is told from its first 64 KB (``analysis.readers.detect._text_for_kind``),
not its whole text: a national respondent CSV (47 MB) was decoded whole for its header line,
and again by its reader. What the whole text says is still said: a decoding problem past the
head is refused by the reader, which decodes the file whole, in the same words and at the
same line; a header past the head is found in the whole text.

Provenance: the real national DBH table 123 export (``data/raw/dbh_national``, 3.5 MB, UTF-8)
with a line appended as Windows-1252; respondent files written here, their lines counted while
they are written.
"""

from __future__ import annotations

import pytest

from analysis.cli import main
from analysis.errors import InputError
from analysis.readers import detect_kind, read_path
from analysis.readers.detect import _HEAD_BYTES

NATIONAL = "dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"


def respondent_lines(size: int) -> list[str]:
    """A respondent file's header and enough rows for ``size`` bytes (ASCII)."""
    lines = ["studprog_kod;aar;underv_engasj_18;underv_formidl_18"]
    while sum(len(line) + 1 for line in lines) < size:
        lines.append(f"MA{len(lines) % 40:04d};2024;{1 + len(lines) % 5};{1 + len(lines) % 3}")
    return lines


def test_a_line_in_another_encoding_past_the_head_of_a_national_dbh_file_is_refused_at_its_line(tmp_path, real_file):
    original = real_file(NATIONAL).read_bytes()
    assert len(original) > 10 * _HEAD_BYTES and "Bodø" in original[:_HEAD_BYTES].decode("utf-8")
    lines = original.count(b"\n")  # (it ends in a newline: the appended line is the next)
    path = tmp_path / "t123.csv"
    path.write_bytes(
        original + '"0211";"Høgskolen i Bodø";"000000";"x";"2022";"1";"Vår";"S";"S";"1";"1";"0"\n'.encode("cp1252")
    )
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert f"line {lines + 1} is not UTF-8" in problem.message
    assert "Høgskolen i Bodø" in str(problem.value)


def test_mac_roman_past_the_head_of_a_respondent_file_is_refused_naming_the_word(tmp_path, capsys):
    lines = respondent_lines(2 * _HEAD_BYTES)
    path = tmp_path / "respondents.csv"
    # an ASCII head, then a programme code typed on a Mac ("ØKAD" saved as Mac Roman)
    path.write_bytes(("\n".join(lines) + "\n").encode("ascii") + "ØKAD01;2024;3;2\n".encode("mac_roman"))
    out = tmp_path / "out"
    out.mkdir()
    assert main(["survey", str(path), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Mac Roman" in err
    assert f"{path}:{len(lines) + 1}:" in err  # the line an editor shows
    assert "Traceback" not in err
    assert list(out.iterdir()) == []


def test_a_header_below_the_head_is_found_in_the_whole_text(tmp_path):
    """Blank lines (separators only, as Excel saves empty rows) above the header, more of them
    than the head holds: the header is looked for in the whole text."""
    blank = ";;;\n" * (_HEAD_BYTES // 4 + 100)
    path = tmp_path / "respondents.csv"
    path.write_text(blank + "\n".join(respondent_lines(4096)) + "\n", encoding="utf-8")
    assert detect_kind(path) == "sb-respondents"
