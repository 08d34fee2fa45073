"""A respondent CSV read by Arrow into columns (:mod:`analysis.readers.text_columns`) reads as
the csv module's rows do (:func:`analysis.readers.base.read_text_table`): the same cells, the
same line of each row, the same refusals in the same words.

Expected lines are counted while each file is written, not read back from the reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import InputError
from analysis.metrics.survey_counts import count_groups
from analysis.readers import survey_raw
from analysis.readers.text_columns import read_text_columns

ITEMS = ["underv_engasj_18", "underv_formidl_18", "overord_altialt_13"]


def opened(open_file, path: Path):
    """What opening and counting ``path`` gives: its problems, or its columns, cells and lines."""
    try:
        file = open_file(path)
        notes = count_groups([file], list(file.items), {}, 0).notes[0]
    except InputError as err:
        return "refused", [str(p) for p in err.problems]
    return "read", (
        file.keys,
        file.items,
        file.rows,
        file.ignored,
        notes,
        file.table.to_pydict(),
        [int(n) for n in file.lines],
    )


def both_ways(path: Path):
    """The file opened as ``kvalitet survey`` opens it, and row by row by the csv module."""
    return opened(survey_raw.open_survey_respondents, path), opened(survey_raw._open_csv_rows, path)


# --- the two readers agree on random small files ------------------------------------------

ANSWERS = ["1", "2", "3", "4", "5", "4,0", "4.0", "4.00", "9999", "9999,0", "", " ", " 3 "]
CODES = ["0123", "ØKAD", "MA0001", " 77 ", "1110.0"]
NAMES = ["Økonomi", "Sum-programmet", "Total kvalitetsledelse", "a;b, c", ""]
#: rows that are not a respondent's: each reader must say or skip them alike
ODD_ROWS = [
    "blank line",
    "separators only",
    "spaces only",
    "total row",
    "note",
    "header again",
    "doubled quote",
    "line break in quotes",
    "text after a quote",
    "too few fields",
    "not an answer",
]


@st.composite
def csv_files(draw):
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    items = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=3, unique=True))
    named = draw(st.booleans())
    trailing = draw(st.booleans())  # Excel's separator at the end of every line
    header = ["studprog_kod", "aar", *(["studieprogram_navn"] if named else []), *items, *([""] if trailing else [])]

    def field(value: str) -> str:
        quoted = draw(st.booleans()) or delimiter in value or value.startswith('"')
        return f'"{value}"' if quoted else value

    def line(cells: list[str]) -> str:
        return delimiter.join(field(c) for c in cells)

    lines = [""] * draw(st.integers(0, 2))
    if draw(st.booleans()):
        lines.insert(0, f"sep={delimiter}")
    lines.append(line(header))
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.integers(0, 4)) == 0:
            odd = draw(st.sampled_from(ODD_ROWS))
            width = len(header)
            lines.append(
                {
                    "blank line": "",
                    "separators only": delimiter * (width - 1),
                    "spaces only": "  ",
                    "total row": line(["Totalt", "", *([""] * (width - 2))]),
                    "note": line(["Kilde: NOKUT", *([""] * (width - 1))]),
                    "header again": line(header),
                    "doubled quote": delimiter.join(['"a""b"', *(["3"] * (width - 1))]),
                    "line break in quotes": delimiter.join([f'"01{newline}23"', *(["3"] * (width - 1))]),
                    "text after a quote": delimiter.join(['"0123"x', *(["3"] * (width - 1))]),
                    "too few fields": line(["0123"]),
                    "not an answer": line(["0123", "2024", *(["x"] * (width - 2))]),
                }[odd]
            )
            continue
        cells = [draw(st.sampled_from(CODES)), draw(st.sampled_from(["2024", "2025", "2024.0"]))]
        if named:
            cells.append(draw(st.sampled_from(NAMES)))
        cells += [draw(st.sampled_from(ANSWERS)) for _ in items]
        if trailing:
            cells.append("")
        lines.append(line(cells))
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    return text.encode(encoding)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=csv_files())
def test_arrow_columns_and_csv_rows_agree(tmp_path, data):
    path = tmp_path / "sb.csv"
    path.write_bytes(data)
    fast, rows = both_ways(path)
    assert fast == rows


# --- the cases that matter, each read by Arrow --------------------------------------------


def write(path: Path, lines: list[str], newline: str = "\n", encoding: str = "utf-8") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


@pytest.mark.parametrize(
    "lines, newline, encoding",
    [
        # a Norwegian Excel export: BOM, CRLF, decimal commas, blanks, 9999, every code quoted
        (
            ['"studprog_kod";"aar";"underv_engasj_18"', '"0123";"2024";"4,0"', '"0123";2024;9999', '"0123";2024;'],
            "\r\n",
            "utf-8-sig",
        ),
        # Windows-1252, commas, a quoted name holding the separator, Excel's trailing separator
        (
            ["studprog_kod,aar,studieprogram_navn,overord_altialt_13,", 'ØKAD,2023,"Økonomi, adm",4,', "ØKAD,2023,,5,"],
            "\n",
            "cp1252",
        ),
        # Excel's "sep=" line, a blank line above the header and between rows, a row of separators
        (["sep=;", "", "studprog_kod;aar;underv_engasj_18", "0123;2024;5", "", ";;", "0123;2024;4.00"], "\r", "utf-8"),
    ],
)
def test_files_arrow_reads_as_the_csv_module_does(tmp_path, lines, newline, encoding):
    path = write(tmp_path / "sb.csv", lines, newline, encoding)
    assert read_text_columns(path) is not None  # (read by Arrow, not left to the rows)
    fast, rows = both_ways(path)
    assert fast[0] == "read" and fast == rows


def test_a_quote_inside_a_field_is_left_to_the_csv_module(tmp_path):
    path = write(tmp_path / "sb.csv", ["studprog_kod;aar;underv_engasj_18", '"01""23";2024;5'])
    assert read_text_columns(path) is None
    fast, rows = both_ways(path)
    assert fast == rows and fast[1][5]["studprog_kod"] == ['01"23']


# --- a bad cell in the middle of a big file is named at its line --------------------------


def big_file(tmp_path: Path, odd: dict[int, str]) -> tuple[Path, dict[int, int]]:
    """20 000 respondents with blank lines and a row of separators among them; the rows in
    ``odd`` (respondent number -> the row's text) in place of a respondent. Returns the file
    and, per odd row, its line (the header is line 1), counted as the lines are written."""
    lines = ["studprog_kod;aar;" + ";".join(ITEMS)]
    at: dict[int, int] = {}
    for respondent in range(20_000):
        if respondent in (7_000, 12_000):
            lines += ["", ";;;;"]  # skipped by both readers, yet lines of the file
        if respondent in odd:
            lines.append(odd[respondent])
            at[respondent] = len(lines)
            continue
        lines.append(f'"{respondent % 300:04d}";2024;{respondent % 5 + 1};"4,0";{9999 if respondent % 7 else ""}')
    return write(tmp_path / "big.csv", lines), at


def test_not_an_answer_in_the_middle_of_a_big_file_is_named_at_its_line(tmp_path):
    path, at = big_file(tmp_path, {13_579: '"0042";2024;3;6;4'})
    assert read_text_columns(path) is not None
    with pytest.raises(InputError) as err:
        count_groups([survey_raw.open_survey_respondents(path)], ITEMS, {}, 0)
    line = at[13_579]
    assert line == 13_579 + 2 + 4  # the header, and the two blank lines and two rows of separators above
    assert [str(p) for p in err.value.problems] == [
        f"{path}:{line}:underv_formidl_18: '6' — not a valid answer "
        "(answers are 1–5, 9999 (vet ikke) or blank; check the export or the column)"
    ]
    assert both_ways(path)[0] == both_ways(path)[1]


def test_a_total_row_in_the_middle_of_a_big_file_is_named_at_its_line(tmp_path):
    path, at = big_file(tmp_path, {9_999: "Totalt;;12;12;12"})
    assert read_text_columns(path) is not None
    with pytest.raises(InputError) as err:
        survey_raw.open_survey_respondents(path)
    assert at[9_999] == 9_999 + 2 + 2  # the header, and the blank line and row of separators above
    assert [str(p) for p in err.value.problems] == [
        f"{path}:{at[9_999]}:studprog_kod: 'Totalt' — a total row in the table "
        "(delete it: the product adds up the rows itself)"
    ]
    assert both_ways(path)[0] == both_ways(path)[1]


def test_a_header_below_the_first_megabyte_is_still_found(tmp_path):
    from analysis.readers.base import HEAD_CHARS, read_header

    blank = HEAD_CHARS + 10  # empty lines above the header: more than the head its header is looked for in
    path = write(tmp_path / "sb.csv", [""] * blank + ["studprog_kod;aar;underv_engasj_18", "0123;2024;6"])
    assert read_header(path) == ["studprog_kod", "aar", "underv_engasj_18"]
    with pytest.raises(InputError) as err:
        count_groups([survey_raw.open_survey_respondents(path)], ["underv_engasj_18"], {}, 0)
    assert [p.row for p in err.value.problems] == [blank + 2]  # the empty lines, the header, then the row


# --- only a row that may be stray is asked whether it is -----------------------------------


def test_a_blank_cell_under_an_unnamed_column_does_not_make_a_row_one_to_ask(tmp_path):
    # Excel's separator at the end of every line: the header's last name is "" and so is every
    # row's last cell, which is no header name again (a row with nothing there is no stray row);
    # asked, every row was turned into Python lists: 300 000 rows × 60 items took 29 s, not 2
    lines = ["studprog_kod;aar;;" + ";".join(ITEMS) + ";"]
    lines += [f"{n % 300:04d};2024;;{n % 5 + 1};4;9999;" for n in range(50)]
    lines.append("Totalt;;;12;12;12;")
    path = write(tmp_path / "sb.csv", lines)
    columns = read_text_columns(path)
    assert columns is not None
    assert [int(n) for n in columns.lines[columns.may_be_stray]] == [52]  # the total row, and no other
    fast, rows = both_ways(path)
    assert fast == rows and fast[0] == "refused"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
@pytest.mark.parametrize("row", ["\ufeff0123;2024;3", "\ufeffstudprog_kod;aar;underv_engasj_18", "\ufeffTotalt;;3"])
def test_a_byte_order_mark_on_the_line_below_the_header_is_read_as_the_csv_module_reads_it(tmp_path, encoding, row):
    # two exports pasted together, the second's BOM right under the first's header: Arrow
    # drops a BOM at the start of what it reads (there, the first row), the csv module keeps
    # it in the row's first cell; a BOM on any other line both keep
    path = write(tmp_path / "sb.csv", ["studprog_kod;aar;underv_engasj_18", row, "0124;2024;4"], encoding=encoding)
    fast, rows = both_ways(path)
    assert fast == rows


# --- what the command loads ------------------------------------------------------------------

_LOADED = """
import sys
from analysis.cli import main
code = main(sys.argv[1:])
print(sorted({m.split(".")[0] for m in sys.modules} & {"pandas", "pandera"}))
sys.exit(code)
"""


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_the_survey_command_loads_no_pandas_for_a_respondent_file(tmp_path, suffix):
    """The respondent path reads with Arrow and counts with numpy: pandas and pandera (0.29 s
    to import) are not loaded. Telling a CSV's kind asked the DBH reader whether it was one of
    its tables, and that reader loaded both (``analysis.readers.dbh_tables`` now answers)."""
    import subprocess
    import sys

    data = tmp_path / f"respondents{suffix}"
    subprocess.run(
        [sys.executable, "-m", "analysis", "synth", "--respondents", "300", "--out", str(data)],
        check=True,
        capture_output=True,
    )
    (tmp_path / "out").mkdir()
    run = subprocess.run(
        [sys.executable, "-c", _LOADED, "survey", str(data), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
    assert (tmp_path / "out" / "survey_items.parquet").is_file()
