"""Invisible characters in code cells, as advisers' files carry them: a zero-width space or a
word joiner pasted with a code from a web page, a byte-order mark inside a cell (a file joined
to another), a no-break space around a code (Excel's "Unicode text", a Word table).

At a cell's ends such a character is as blank as a space and the file is read as if it were not
there (Unicode's identifier rules ignore these characters too, UAX #31); inside a code it is
refused naming the character (U+200B ZERO WIDTH SPACE), where the message said "must be four
digits (keep codes as text so leading zeros stay)" of a code of four digits, and a survey file
read "MTDT\u200b" as a programme apart from "MTDT" without a word (a bad-input hunt,
2026-12-05).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import tree_snapshot

from analysis.errors import InputError
from analysis.metrics.survey_counts import read_survey_respondents
from analysis.readers import read_path

T123_CSV = "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
ZWSP, BOM, NBSP, WORD_JOINER = "\u200b", "\ufeff", "\u00a0", "\u2060"


def _with_cell(source: Path, target: Path, line: int, column: int, edit) -> Path:
    """``source`` with the cell at ``line`` (1 = header), ``column`` (0-based) edited."""
    lines = source.read_text(encoding="utf-8").splitlines()
    cells = lines[line - 1].split(",")
    cells[column] = edit(cells[column])
    lines[line - 1] = ",".join(cells)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("column", "edit"),
    [
        (0, lambda code: code + ZWSP),  # Institusjonskode
        (0, lambda code: BOM + code),
        (1, lambda code: NBSP + code + NBSP),  # Avdelingskode
        (1, lambda code: f" {WORD_JOINER}{code}{ZWSP}{NBSP}"),
    ],
)
def test_an_invisible_character_at_a_codes_ends_is_read_as_blank(tmp_path, real_file, column, edit):
    (tmp_path / "edited").mkdir()
    (tmp_path / "plain").mkdir()
    original = read_path(_with_cell(real_file(T123_CSV), tmp_path / "plain" / T123_CSV, 4, column, str)).frame
    edited = read_path(_with_cell(real_file(T123_CSV), tmp_path / "edited" / T123_CSV, 4, column, edit)).frame
    pd.testing.assert_frame_equal(edited, original)


@pytest.mark.parametrize("invisible", [ZWSP, BOM, WORD_JOINER])
def test_an_invisible_character_inside_a_dbh_code_is_refused_by_name(tmp_path, real_file, invisible):
    path = _with_cell(real_file(T123_CSV), tmp_path / "t123.csv", 4, 1, lambda code: code[:3] + invisible + code[3:])
    code = real_file(T123_CSV).read_text(encoding="utf-8").splitlines()[3].split(",")[1]
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (4, "Avdelingskode", code[:3] + invisible + code[3:])
    assert f"U+{ord(invisible):04X}" in problem.message
    assert f"between '{code[:3]}' and '{code[3:]}'" in problem.message
    assert "leading zeros" not in problem.hint


def test_the_command_refuses_it_without_a_traceback_and_writes_nothing(tmp_path, real_file, run_cli):
    folder = tmp_path / "in"
    folder.mkdir()
    path = _with_cell(real_file(T123_CSV), folder / "t123.csv", 4, 0, lambda code: code[:2] + ZWSP + code[2:])
    before = tree_snapshot(tmp_path)
    rc, out, err = run_cli(["flags", path, "--out", tmp_path / "flags.csv"])
    assert rc == 1
    assert "Traceback" not in out + err
    assert (
        f"{path}:4:Institusjonskode: '11\\u200b50' — an invisible character inside the code, U+200B ZERO WIDTH SPACE"
        in err
    )
    assert tree_snapshot(tmp_path) == before


HEADER = "institusjonskode;fakultetskode;studprog_kod;aar;overord_altialt_13\n"


@pytest.mark.parametrize(
    ("column", "edit"),
    [
        (3, lambda name: name + ZWSP),
        (5, lambda name: name.replace(" ", ZWSP + " ")),
        (0, lambda name: WORD_JOINER + name),
    ],
)
def test_a_header_with_an_invisible_character_is_the_column_it_shows(tmp_path, real_file, column, edit):
    """ "Årstall\u200b" was "required column is missing: Årstall" beside a header that shows
    Årstall. Headers are compared without case, spaces or underscores already; without the
    invisible characters too."""
    (tmp_path / "edited").mkdir()
    (tmp_path / "plain").mkdir()
    original = read_path(_with_cell(real_file(T123_CSV), tmp_path / "plain" / T123_CSV, 1, column, str)).frame
    edited = read_path(_with_cell(real_file(T123_CSV), tmp_path / "edited" / T123_CSV, 1, column, edit)).frame
    pd.testing.assert_frame_equal(edited, original)


def test_a_survey_key_header_with_an_invisible_end_is_the_key(tmp_path):
    path = tmp_path / "sb.csv"
    path.write_text(f"studprog_kod;aar{ZWSP};overord_altialt_13\nA;2025;4\n", encoding="utf-8")
    assert read_survey_respondents(path).frame["aar"].tolist() == [2025]


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
@pytest.mark.parametrize("cell", [ZWSP, f" {WORD_JOINER}{NBSP}", BOM])
def test_a_survey_answer_of_only_invisible_characters_is_blank(tmp_path, suffix, cell):
    """strip_cell reads a cell's invisible ends as blank, and an answer '4\u200b' as 4; a cell of
    only such characters was 'not a valid answer' where one of spaces is blank (the rule once)."""
    answers = {"blank": ["4", "", "3"], "pasted": ["4", cell, "3"]}
    read = []
    for name, column in answers.items():
        table = {"institusjonskode": ["1150"] * 3, "fakultetskode": ["040"] * 3, "studprog_kod": ["MTDT"] * 3}
        table |= {"aar": ["2025"] * 3, "overord_altialt_13": column}
        path = tmp_path / f"{name}.{suffix}"
        if suffix == "csv":
            pd.DataFrame(table).to_csv(path, sep=";", index=False)
        else:
            pd.DataFrame(table).to_parquet(path, index=False)
        read.append(read_survey_respondents(path).frame.drop(columns="source_file"))
    pd.testing.assert_frame_equal(*read)


def _csv_with_cell(source: Path, target: Path, column: str, edit) -> Path:
    """``source`` (a real CSV) written again by the csv module, the first row's cell of ``column``
    edited (``str``: as it was)."""
    import csv
    import io

    text = source.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    at = rows[0].index(column)
    rows[1][at] = edit(rows[1][at])
    target.parent.mkdir(exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return target


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("shot_headline_figures_national.csv", "verdi_pct"),  # a percentage
        ("studiebarometeret_2025_portal_index_sample.csv", "value"),  # a decimal
        ("samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv", "poenggrense_ordinaer"),
        ("studiebarometeret_variabler_2021_2025_fra_oslomet_maler.csv", "er_indeks"),  # ja or nei
        ("seed_studiebarometeret_2017_integrering.csv", "Nivå"),
        ("seed_hovedopptak_andel_kvinner_2007_2018.csv", "2018"),  # the seed reads its own cells
        ("seed_hovedopptak_andel_kvinner_2007_2018.csv", "Studieprogram"),  # a programme by its name
    ],
)
@pytest.mark.parametrize("edit", [lambda cell: cell + ZWSP, lambda cell: WORD_JOINER + cell + NBSP])
def test_an_invisible_character_at_the_ends_of_any_cell_is_read_as_blank(tmp_path, real_file, name, column, edit):
    """The rule is the cell's, not the code's: '18\u200b' in a percentage column was 'not a
    percentage (write a percentage like 18,6 %)', 'nei\u200b' 'expected ja or nei', and the seed's
    'Kybernetikk\u200b' a programme apart, where a code's '1150\u200b' read as 1150 (the cells
    a parser reads one by one were given to it as written, the seed's stripped of spaces only)."""
    plain = read_path(_csv_with_cell(real_file(name), tmp_path / "plain" / name, column, str)).frame
    pasted = read_path(_csv_with_cell(real_file(name), tmp_path / "pasted" / name, column, edit)).frame
    pd.testing.assert_frame_equal(pasted, plain)


def _respondents(path: Path, rename: dict[str, str]) -> Path:
    """A small respondent file (a workbook or Parquet, by ``path``'s suffix), columns renamed."""
    frame = pd.DataFrame(
        {
            "institusjonskode": ["1150"] * 4,
            "fakultetskode": ["040"] * 4,
            "studprog_kod": ["MTDT", "MTDT", "MLREAL", "MLREAL"],
            "aar": ["2025"] * 4,
            "overord_altialt_13": ["4", "3", "5", "9999"],
            "underv_engasj_18": ["2", "", "4", "5"],
        }
    ).rename(columns=rename)
    if path.suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
@pytest.mark.parametrize("name", ["aar", "studprog_kod", "underv_engasj_18"])
def test_a_survey_header_with_an_invisible_end_in_a_workbook_or_parquet(tmp_path, suffix, name):
    """A CSV's header was read without invisible characters at a name's ends; a workbook's and a
    Parquet file's were not: 'underv_engasj_18\u200b' was passed over as a background column and
    the file read without the item (and its index) without a word, 'aar\u200b' was 'required
    column is missing: aar'. A workbook's header is now read as a CSV's, a Parquet file's key by
    its name in the file; a Parquet item is counted by its name, so it is refused by name."""
    plain = read_survey_respondents(_respondents(tmp_path / f"plain{suffix}", {})).frame
    pasted_name = name + ZWSP
    pasted = tmp_path / f"pasted{suffix}"
    _respondents(pasted, {name: pasted_name})
    if suffix == ".parquet" and name == "underv_engasj_18":
        with pytest.raises(InputError) as err:
            read_survey_respondents(pasted)
        (problem,) = err.value.problems
        assert (problem.row, problem.column, problem.value) == (1, pasted_name, pasted_name)
        assert "U+200B ZERO WIDTH SPACE" in problem.message and problem.hint == f"rename the column {name}"
        return
    read = read_survey_respondents(pasted).frame
    pd.testing.assert_frame_equal(read.drop(columns="source_file"), plain.drop(columns="source_file"))


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_survey_item_with_an_invisible_character_inside_its_name_is_refused(tmp_path, suffix):
    """'underv_\u200bengasj_18' looks like NOKUT's name but is none: it was passed over as a
    background column, the file read without the item (and its index) without a word."""
    pasted_name = f"underv_{WORD_JOINER}engasj_18"
    path = tmp_path / f"sb.{suffix}"
    frame = pd.DataFrame({"studprog_kod": ["MTDT"], "aar": ["2025"], "overord_altialt_13": ["4"], pasted_name: ["3"]})
    if suffix == "csv":
        frame.to_csv(path, sep=";", index=False)
    else:
        frame.to_parquet(path, index=False)
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (1, pasted_name, pasted_name)
    assert "U+2060 WORD JOINER" in problem.message and problem.hint == "rename the column underv_engasj_18"


# --- control characters (C0, DEL, C1) ---------------------------------------------------------
#
# A BEL, an ESC or a C1 character (U+0096, an en dash of a Windows-1252 file once read as
# Latin-1) inside a name or code was read as it stood: "Norges\x07 teknisk-…" an institution's
# name in the report, and a BEL at a code's end "must be four digits (keep codes as text so
# leading zeros stay)" of a code of four digits. They are decided as the invisible characters
# are: blank at a cell's ends, refused by name inside a code, and inside a name too (a Word
# document cannot hold one, and the letter that may have stood there cannot be told).

NATIONAL_T123 = "dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
BEL, ESC, C1 = "\x07", "\x1b", "\x96"


def _national_excerpt(real_file, target: Path, edit=None, column: str = "", line: int = 4) -> Path:
    """The national table-123 export's header and its first 30 rows of NTNU, the cell of
    ``column`` on ``line`` (1 = header) edited by ``edit`` (its quotes kept)."""
    lines = real_file(NATIONAL_T123).read_text(encoding="utf-8").splitlines()
    rows = [lines[0], *[row for row in lines[1:] if row.startswith('"1150"')][:30]]
    if edit is not None:
        header = [h.strip('"') for h in rows[0].split(";")]
        cells = rows[line - 1].split(";")
        at = header.index(column)
        cells[at] = '"' + edit(cells[at].strip('"')) + '"'
        rows[line - 1] = ";".join(cells)
    target.parent.mkdir(exist_ok=True)
    target.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("column", ["Institusjonskode", "Avdelingskode", "Institusjonsnavn", "Avdelingsnavn"])
@pytest.mark.parametrize("edit", [lambda c: c + BEL, lambda c: ESC + c, lambda c: f"{C1} {c}{BEL}"])
def test_a_control_character_at_a_cells_ends_is_read_as_blank(tmp_path, real_file, column, edit):
    plain = read_path(_national_excerpt(real_file, tmp_path / "plain" / "t123.csv")).frame
    edited = read_path(_national_excerpt(real_file, tmp_path / "edited" / "t123.csv", edit, column)).frame
    pd.testing.assert_frame_equal(edited, plain)


@pytest.mark.parametrize(("control", "name"), [(BEL, "U+0007 BELL"), (ESC, "U+001B ESCAPE"), (C1, "U+0096")])
def test_a_control_character_inside_a_dbh_code_is_refused_by_name(tmp_path, real_file, control, name):
    path = _national_excerpt(real_file, tmp_path / "t123.csv", lambda c: c[:2] + control + c[2:], "Institusjonskode")
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (4, "Institusjonskode", f"11{control}50")
    assert f"an invisible character inside the code, {name}, between '11' and '50'" in problem.message
    assert "leading zeros" not in problem.hint


@pytest.mark.parametrize(("control", "name"), [(BEL, "U+0007 BELL"), (ESC, "U+001B ESCAPE"), (C1, "U+0096")])
def test_a_control_character_inside_a_name_is_refused_by_name(tmp_path, real_file, control, name):
    path = _national_excerpt(
        real_file, tmp_path / "t123.csv", lambda n: n.replace(" ", control + " ", 1), "Institusjonsnavn"
    )
    with pytest.raises(InputError) as err:
        read_path(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (4, "Institusjonsnavn")
    assert problem.value == f"Norges{control} teknisk-naturvitenskapelige universitet"
    assert problem.message.startswith(f"a control character inside the text, {name}, between 'Norges' and ' teknisk")


def test_a_format_character_inside_a_name_is_still_read(tmp_path, real_file):
    """The rule for names is the control characters': a zero-width space inside a name changes
    nothing a reader sees, and a name is no key here (its code is)."""
    path = _national_excerpt(real_file, tmp_path / "t123.csv", lambda n: n.replace(" ", ZWSP + " ", 1), "Avdelingsnavn")
    assert read_path(path).rows == 30


def test_the_seeds_programme_name_with_a_control_character(tmp_path, real_file):
    """The seed keys a programme by its name: 'Kybernetikk\x07' is Kybernetikk, 'Kyber\x07netikk'
    is refused (it was a programme apart, flagged on its own)."""
    name = "seed_hovedopptak_andel_kvinner_2007_2018.csv"
    text = real_file(name).read_text(encoding="utf-8")
    (tmp_path / "plain").mkdir()
    (tmp_path / "end").mkdir()
    (tmp_path / "plain" / name).write_text(text, encoding="utf-8")
    (tmp_path / "end" / name).write_text(text.replace("Kybernetikk;", f"Kybernetikk{BEL};"), encoding="utf-8")
    plain, end = (read_path(tmp_path / folder / name).frame for folder in ("plain", "end"))
    pd.testing.assert_frame_equal(end, plain)
    inside = tmp_path / "inside.csv"
    inside.write_text(text.replace("Kybernetikk;", f"Kyber{BEL}netikk;"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_path(inside)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "Studieprogram", f"Kyber{BEL}netikk")
    assert "U+0007 BELL, between 'Kyber' and 'netikk'" in problem.message


# A survey file's programme code with an invisible or a control character: the same rule for both.


@pytest.mark.parametrize(
    "pasted",
    [f"1150{ZWSP};040;{BOM}MTDT{ZWSP}", f"1150;040;MTDT{BEL}"],
    ids=["invisible (and a BOM, an institution's end)", "control"],
)
def test_a_survey_code_with_a_character_at_its_end_is_the_same_programme(tmp_path, pasted):
    plain = tmp_path / "a.csv"
    plain.write_text(HEADER + "1150;040;MTDT;2025;4\n1150;040;MTDT;2025;3\n", encoding="utf-8")
    edited = tmp_path / "b.csv"
    edited.write_text(HEADER + f"1150;040;MTDT;2025;4\n{pasted};2025;3\n", encoding="utf-8")
    read = [read_survey_respondents(path).frame.drop(columns="source_file") for path in (edited, plain)]
    pd.testing.assert_frame_equal(*read)


@pytest.mark.parametrize(
    ("character", "name"), [(ZWSP, "U+200B ZERO WIDTH SPACE"), (BEL, "U+0007 BELL")], ids=["invisible", "control"]
)
def test_a_survey_code_with_a_character_inside_is_refused_by_name(tmp_path, character, name):
    path = tmp_path / "sb.csv"
    path.write_text(HEADER + f"1150;040;MTDT;2025;4\n1150;040;MT{character}DT;2025;3\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_survey_respondents(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "studprog_kod", f"MT{character}DT")
    assert f"{name}, between 'MT' and 'DT'" in problem.message


def test_the_command_refuses_a_control_character_in_a_name_and_writes_nothing(tmp_path, real_file, run_cli):
    path = _national_excerpt(real_file, tmp_path / "in" / "t123.csv", lambda n: f"NTNU{BEL} x", "Avdelingsnavn")
    before = tree_snapshot(tmp_path)
    rc, out, err = run_cli(["flags", path, "--out", tmp_path / "flags.csv"])
    assert rc == 1
    assert "Traceback" not in out + err
    assert f"{path}:4:Avdelingsnavn: 'NTNU\\x07 x' — a control character inside the text, U+0007 BELL" in err
    assert "\x07" not in out + err  # never printed as it is: it would ring the terminal
    assert tree_snapshot(tmp_path) == before


# --- line breaks (Word's U+000B, Excel's Alt+Enter) -------------------------------------------
#
# Word's manual line break (Shift+Enter, U+000B) pasted into an Excel cell: Excel stores it as
# its escape _x000B_ (the character cannot stand in XML), and openpyxl gave the escape as text:
# a name "NTNU_x000B_(uspesifisert underenhet)" without a word, a code "00_x000B_0000" not six
# digits; in a CSV the character itself was refused inside a name as a control character, while
# LF and CR stayed in the name as they were. A line break inside a name is layout: one space.

VT = "\x0b"


def _national_workbook(real_file, target: Path, edit=None, column: str = "") -> Path:
    """:func:`_national_excerpt` saved as Excel saves it (xlsxwriter stores a control character
    as Excel does, ``_x000B_`` in the shared strings; counts as numbers, the rest as text)."""
    import csv

    import xlsxwriter

    csv_path = _national_excerpt(real_file, target.with_suffix(".csv"), edit, column)
    rows = list(csv.reader(csv_path.open(encoding="utf-8", newline=""), delimiter=";"))
    csv_path.unlink()
    book = xlsxwriter.Workbook(target)
    sheet = book.add_worksheet("Data")
    counts = {rows[0].index(c) for c in ("Årstall", "Antall totalt", "Antall kvinner", "Antall menn")}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if r and c in counts:
                sheet.write_number(r, c, int(value))
            else:
                sheet.write_string(r, c, value)
    book.close()
    return target


def _without_source(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in frame.columns if c.startswith("source_")])


@pytest.mark.parametrize("column", ["Institusjonsnavn", "Avdelingsnavn"])
@pytest.mark.parametrize("pasted", [VT, f" {VT}", "\n", "\r\n", "\u2028"])
def test_a_line_break_inside_a_name_of_a_workbook_is_read_as_a_space(tmp_path, real_file, column, pasted):
    """Line 4's names have a space: the workbook with a line break for it reads as the one
    without (one space, whatever spaces stand beside the break)."""
    import zipfile

    plain = read_path(_national_workbook(real_file, tmp_path / "plain" / "t123.xlsx")).frame
    path = _national_workbook(real_file, tmp_path / "edited" / "t123.xlsx", lambda n: n.replace(" ", pasted, 1), column)
    if pasted == VT:  # the file holds what Excel writes
        assert "_x000B_" in zipfile.ZipFile(path).read("xl/sharedStrings.xml").decode()
    edited = read_path(path).frame
    pd.testing.assert_frame_equal(_without_source(edited), _without_source(plain))


@pytest.mark.parametrize("pasted", [VT, "\r\n"])
def test_a_line_break_inside_a_name_of_a_csv_is_read_as_a_space(tmp_path, real_file, pasted):
    plain = read_path(_national_excerpt(real_file, tmp_path / "plain" / "t123.csv")).frame
    path = _national_excerpt(
        real_file, tmp_path / "edited" / "t123.csv", lambda n: n.replace(" ", pasted, 1), "Avdelingsnavn"
    )
    pd.testing.assert_frame_equal(_without_source(read_path(path).frame), _without_source(plain))


def test_the_seeds_programme_name_with_a_line_break_is_the_programme(tmp_path, real_file):
    name = "seed_hovedopptak_andel_kvinner_2007_2018.csv"
    text = real_file(name).read_text(encoding="utf-8")
    assert "\nAda- siv.ing;" in text  # the seed's name has a space after its hyphen
    (tmp_path / "edited").mkdir()
    (tmp_path / "edited" / name).write_text(text.replace("Ada- siv.ing;", f'"Ada-{VT}siv.ing";'), encoding="utf-8")
    edited = read_path(tmp_path / "edited" / name).frame
    pd.testing.assert_frame_equal(_without_source(edited), _without_source(read_path(real_file(name)).frame))


def test_a_line_break_inside_a_code_of_a_workbook_is_refused_by_name(tmp_path, real_file, run_cli):
    path = _national_workbook(real_file, tmp_path / "t123.xlsx", lambda c: c[:2] + VT + c[2:], "Avdelingskode")
    rc, out, err = run_cli(["validate", path])
    assert rc == 1
    assert "Traceback" not in out + err
    assert (
        f"{path}:4:Avdelingskode: '00\\x0b0000' — an invisible character inside the code, U+000B LINE TABULATION, "
        "between '00' and '0000'" in out + err
    )
    assert VT not in out + err


@pytest.mark.parametrize("typed", ["_xD83D_", "_xDE00_ (2)"])
def test_an_escape_of_half_a_surrogate_pair_in_a_workbook_is_read_as_written(tmp_path, real_file, typed):
    """An escape that stands for no character (half a UTF-16 surrogate pair, as a name typed
    with "_xD83D_" in it reaches us: openpyxl takes out Excel's escape of the typed escape) was
    decoded to a lone surrogate, and the file refused as "an unexpected error" (it cannot be
    written as UTF-8). It is read as written: as the CSV of the same cells reads."""

    def edit(name: str) -> str:
        return name + typed

    as_csv = read_path(_national_excerpt(real_file, tmp_path / "csv" / "t123.csv", edit, "Avdelingsnavn")).frame
    (tmp_path / "xlsx").mkdir()
    book = read_path(_national_workbook(real_file, tmp_path / "xlsx" / "t123.xlsx", edit, "Avdelingsnavn")).frame
    assert as_csv["department_name"].str.endswith(typed).sum() == 1
    pd.testing.assert_frame_equal(_without_source(book), _without_source(as_csv))
