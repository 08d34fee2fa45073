"""What Excel does to a real table's values when an adviser opens the CSV and saves it as .xlsx,
and what kvalitet reads from it (a bad-input hunt, 2026-12-04). The workbooks are built here
from the real CSV in data/raw, with the cell types Excel stores.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.errors import InputError
from analysis.readers import read_path

SAMORDNA_SAMPLE = "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"
T123 = "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
SEED_ADMISSION = "seed_hovedopptak_andel_kvinner_2007_2018.csv"


def as_norwegian_excel_opens_it(text: str) -> object:
    """A CSV cell as Excel with Norwegian settings stores it: whole numbers as numbers, a
    day.month it can read (21.8, 27.4) as that date this year (2026), the rest as text
    (27.0 and 51.4 are no date, and a decimal point is no number to it)."""
    if re.fullmatch(r"\d+", text):
        return int(text)
    day_month = re.fullmatch(r"(\d{1,2})\.(\d{1,2})", text)
    if day_month:
        try:
            return datetime.datetime(2026, int(day_month.group(2)), int(day_month.group(1)))
        except ValueError:
            pass
    return text


def as_a_number_if_whole(text: str) -> object:
    """A cell as Excel opens a CSV: digits become a number (a code loses nothing here)."""
    return int(text) if text.isdigit() else text


def sample_sheet(real_file, opened=as_a_number_if_whole):
    """Samordna's real sample as a workbook, each cell as Excel ``opened`` it: the CSV's rows,
    its header and the workbook with its sheet (saved by the test once it is changed)."""
    rows = list(csv.reader(real_file(SAMORDNA_SAMPLE).open(encoding="utf-8-sig")))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for r in rows[1:]:
        sheet.append([opened(v) for v in r])
    return rows, rows[0], book, sheet


def test_values_excel_turned_into_dates_are_refused_by_column(real_file, tmp_path):
    """Samordna's sample has shares with a decimal point (21.8): Norwegian Excel opens 54 of them
    as dates (21 August), and a code typed 1-2 is 2 January. Both are said once per column, at
    the first date (before: one 'not a percentage' per row naming '2026-08-21 00:00:00', and
    the code read without a word as the programme '2024-01-02 00:00:00')."""
    rows, header, book, sheet = sample_sheet(real_file, as_norwegian_excel_opens_it)
    share, code = header.index("forstevalgssokere_kvinner_pct"), header.index("studiekode")
    sheet.cell(row=4, column=code + 1, value=datetime.datetime(2024, 1, 2))  # "1-2" typed as a code
    path = tmp_path / "sokertall.xlsx"
    book.save(path)
    # counted from the CSV: the shares a Norwegian Excel reads as a day and a month
    dated = [
        i for i, r in enumerate(rows[1:], start=2) if isinstance(as_norwegian_excel_opens_it(r[share]), datetime.date)
    ]
    assert len(dated) == 54  # 56 look like one, but 31.4 and 30.2 are no day

    with pytest.raises(InputError) as err:
        read_path(path)
    day, month = rows[dated[0] - 1][share].split(".")
    found = [(p.row, p.column, p.value) for p in err.value.problems]
    assert found == [
        (4, "studiekode", "2024-01-02"),
        (dated[0], "forstevalgssokere_kvinner_pct", f"2026-{month:0>2}-{day:0>2}"),
    ]
    shares = err.value.problems[1]
    assert "54 cells" in shares.message and "date" in shares.message
    assert "Text" in shares.hint


def test_a_code_excel_turned_into_a_number_in_scientific_notation_is_refused(real_file, tmp_path):
    """A code typed or opened as 1E5 is the number 100000 to Excel, shown as 1.00E+05 (it gives
    the cell the format 0.00E+00): read as the code '100000' without a word before. Refused at
    the cell; the other rows of Samordna's sample are the numbers they were."""
    _, header, book, sheet = sample_sheet(real_file)
    code = header.index("studiekode")
    cell = sheet.cell(row=7, column=code + 1, value=100000)  # "1E5", as Excel stores it
    cell.number_format = "0.00E+00"
    path = tmp_path / "sokertall.xlsx"
    book.save(path)

    with pytest.raises(InputError) as err:
        read_path(path)
    ((row, column, value, message),) = [(p.row, p.column, p.value, p.message) for p in err.value.problems]
    assert (row, column, value) == (7, "studiekode", 100000)
    assert "scientific notation" in message


def test_years_in_a_column_formatted_as_dates_are_named_as_years(real_file, tmp_path):
    """DBH's table 123 with the year column given a date format: Excel shows 2019 as 11.07.1905
    (day 2019 counted from 30.12.1899). Said once for the column, naming the year (before: one
    'not a year' per row, 349 in all, showing '1905-07-11 00:00:00' and asking for four digits)."""
    rows = list(csv.reader(real_file(T123).open(encoding="utf-8-sig")))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for r in rows[1:]:
        sheet.append(r[:3] + [int(v) for v in r[3:]])
        sheet.cell(row=sheet.max_row, column=4).number_format = "dd.mm.yyyy"
    path = tmp_path / "t123.xlsx"
    book.save(path)
    first_year = int(rows[1][3])
    shown = (datetime.date(1899, 12, 30) + datetime.timedelta(days=first_year)).isoformat()
    assert (first_year, shown) == (2019, "1905-07-11")

    with pytest.raises(InputError) as err:
        read_path(path)
    ((row, column, value, message),) = [(p.row, p.column, p.value, p.message) for p in err.value.problems]
    assert (row, column, value) == (2, "Årstall", shown)
    assert "349 cells" in message and "2019" in message


def with_saved_values(path, saved: dict[str, object]) -> None:
    """Write into the workbook the value Excel saves with each formula (openpyxl saves none):
    a number as ``<v>27.0</v>``, a text as ``t="str"`` (an empty text ``<v></v>``, as Excel
    saves ``=IF(…;"";…)``)."""
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as src:
        items = [(item, src.read(item.filename)) for item in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item, data in items:
            if item.filename == member:
                for ref, value in saved.items():
                    typed = ' t="str"' if isinstance(value, str) else ""
                    data, count = re.subn(
                        rf'<c r="{ref}"( s="\d+")?><f>([^<]*)</f><v\s*/?>(?:</v>)?'.encode(),
                        rf'<c r="{ref}"\1{typed}><f>\2</f><v>{value}</v>'.encode(),
                        data,
                    )
                    assert count == 1, ref
            dst.writestr(item, data)


def test_a_formula_whose_saved_value_is_empty_text_reads_as_an_empty_cell(real_file, tmp_path):
    """A share written =IF(J3=0;"";…) that Excel saved as the empty text: read as the CSV Excel
    would save, the cell empty (the row is left out of the gender tables with a warning), not
    as 'a formula without a saved value', which saving again in Excel does not cure."""
    rows = list(csv.reader(real_file(SAMORDNA_SAMPLE).open(encoding="utf-8-sig")))
    header = rows[0]
    share = header.index("forstevalgssokere_kvinner_pct")
    letter = openpyxl.utils.get_column_letter(share + 1)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    saved: dict[str, object] = {}
    for number, r in enumerate(rows[1:], start=2):
        sheet.append([f'=IF(J{number}=0,"",{v})' if i == share else v for i, v in enumerate(r)])
        saved[f"{letter}{number}"] = "" if number == 3 else float(r[share])
    path = tmp_path / "sokertall.xlsx"
    book.save(path)
    with_saved_values(path, saved)
    blank = tmp_path / "sokertall.csv"  # the CSV with the same cell empty
    rows[2][share] = ""
    with blank.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)

    from_workbook, from_csv = read_path(path), read_path(blank)
    assert len(from_workbook.frame) == len(rows) - 2  # 85 rows, the one without a share left out
    # (the decimals a share was written with are not in a workbook, whose cells hold numbers)
    assert from_workbook.frame["share_women_given_decimals"].isna().all()
    columns = [c for c in from_csv.frame.columns if c not in ("source_file", "share_women_given_decimals")]
    pd.testing.assert_frame_equal(from_workbook.frame[columns], from_csv.frame[columns])
    assert [(w.column, w.value) for w in from_workbook.warnings] == [(w.column, w.value) for w in from_csv.warnings]


def test_excel_error_values_are_refused_by_column(real_file, tmp_path):
    """A studiekode looked up with VLOOKUP that found nothing is Excel's error #N/A, a name whose
    reference was deleted #REF!: read without a word as the code '#N/A' and the name '#REF!'
    before. Said once per column, at its first error."""
    _, header, book, sheet = sample_sheet(real_file)
    code, name = header.index("studiekode"), header.index("programnavn_beskrivende")
    for row in (4, 9):
        sheet.cell(row=row, column=code + 1, value="#N/A")  # openpyxl stores these as error cells
    sheet.cell(row=5, column=name + 1, value="#REF!")
    assert sheet.cell(row=4, column=code + 1).data_type == "e"
    path = tmp_path / "sokertall.xlsx"
    book.save(path)

    with pytest.raises(InputError) as err:
        read_path(path)
    found = [(p.row, p.column, p.value) for p in err.value.problems]
    assert found == [(4, "studiekode", "#N/A"), (5, "programnavn_beskrivende", "#REF!")]
    assert "2 cells" in err.value.problems[0].message and "error" in err.value.problems[0].message


def test_scientific_notation_is_said_once_per_column_and_a_locale_tag_is_no_exponent(real_file, tmp_path):
    """A second reader, 2026-12-04: a column of counts formatted 0.0E+0 gave one line per cell
    (85 here), and a locale tag ([$-de-DE]#,##0, whose "E-" is the tag's) was taken for scientific
    notation. Now one line for the column, naming how many cells; a tagged format reads."""
    rows, header, book, sheet = sample_sheet(real_file)
    applicants = header.index("alle_sokere")
    for number in range(2, len(rows) + 1):
        sheet.cell(row=number, column=applicants + 1).number_format = "0.0E+0"
    path = tmp_path / "sokertall.xlsx"
    book.save(path)
    with pytest.raises(InputError) as err:
        read_path(path)
    ((row, column, message),) = [(p.row, p.column, p.message) for p in err.value.problems]
    assert (row, column) == (2, "alle_sokere")
    assert message.startswith(f"{len(rows) - 1} cells of this column are a number shown in scientific notation")

    for number in range(2, len(rows) + 1):
        sheet.cell(row=number, column=applicants + 1).number_format = "[$-de-DE]#,##0"
    book.save(path)
    assert len(read_path(path).frame) == len(rows) - 1


# --- a column no reader reads: an adviser's helper column beside the table -------------------

NATIONAL = paths.RAW / "samordna_national" / "so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json"


def an_excel_error(sheet, row: int, column: int) -> object:
    """A lookup that found nothing: Excel's #N/A (openpyxl stores it as an error cell)."""
    sheet.cell(row=row, column=column, value="#N/A")
    return "#N/A"


def a_date_among_text(sheet, row: int, column: int) -> object:
    """A share 21.8 Norwegian Excel made 21 August (the column's other cells are text)."""
    sheet.cell(row=row, column=column, value=datetime.datetime(2026, 8, 21))
    return "2026-08-21"


def scientific_notation(sheet, row: int, column: int) -> object:
    """A code typed as 1E5: the number 100000 shown 1.00E+05."""
    sheet.cell(row=row, column=column, value=100000).number_format = "0.00E+00"
    return 100000


#: each problem, and the words of its message
EXCEL_MADE = {
    "error": (an_excel_error, "an Excel error"),
    "date": (a_date_among_text, "in Excel, the others not"),
    "scientific": (scientific_notation, "a number shown in scientific notation"),
}


def keyfigures_sheet():
    """Samordna's real key-figure excerpt as a workbook (its cells the JSON's text): its records,
    header, the workbook and its sheet."""
    records = json.loads(NATIONAL.read_text(encoding="utf-8"))
    book = openpyxl.Workbook()
    sheet = book.active
    header = list(records[0])
    sheet.append(header)
    for r in records:
        sheet.append([r[h] for h in header])
    return records, header, book, sheet


def with_helper_column(sheet, width: int, made) -> None:
    """A 'Kommentar' column right of the table: a note on two rows, and on row 6 the value Excel
    made something else of."""
    sheet.cell(row=1, column=width + 1, value="Kommentar")
    sheet.cell(row=3, column=width + 1, value="sjekk tallene")
    sheet.cell(row=4, column=width + 1, value="ny i år")
    made(sheet, 6, width + 1)


@pytest.mark.parametrize("problem", list(EXCEL_MADE))
@pytest.mark.parametrize("table", ["sample", "keyfigures"])
def test_a_helper_column_no_reader_reads_is_read_as_a_column_not_read(real_file, tmp_path, problem, table):
    """An adviser's 'Kommentar' column beside the table, holding a #N/A, a date among its notes or
    a number in scientific notation: the workbook was refused for it (the column is not read, so
    nothing read is wrong). Read as the table without it, with the warning of a column not read
    saying what Excel made of it."""
    made, words = EXCEL_MADE[problem]
    _, header, book, sheet = sample_sheet(real_file) if table == "sample" else keyfigures_sheet()
    plain = tmp_path / "uten.xlsx"
    book.save(plain)
    with_helper_column(sheet, len(header), made)
    path = tmp_path / "med_kommentar.xlsx"
    book.save(path)

    without, result = read_path(plain), read_path(path)
    columns = [c for c in without.frame.columns if c != "source_file"]
    pd.testing.assert_frame_equal(result.frame[columns], without.frame[columns])
    (said,) = [w for w in result.warnings if w.column == "Kommentar"]
    assert said.message.startswith("a column the product does not read") and words in said.message
    others = [(w.row, w.column, w.value, w.message) for w in result.warnings if w.column != "Kommentar"]
    assert others == [(w.row, w.column, w.value, w.message) for w in without.warnings]


@pytest.mark.parametrize("problem", list(EXCEL_MADE))
@pytest.mark.parametrize("column", ["Studie- kode", "2025"])
def test_a_key_figure_column_read_is_refused_at_its_cell(tmp_path, problem, column):
    """In the key figures a code (resolved with the other columns) and a year's figures (the year
    columns, read apart) are refused where Excel made something else of a cell, at that cell,
    as in the sample: a helper column's leniency reaches no column read."""
    made, words = EXCEL_MADE[problem]
    _, header, book, sheet = keyfigures_sheet()
    value = made(sheet, 6, header.index(column) + 1)
    path = tmp_path / "sokertall.xlsx"
    book.save(path)

    with pytest.raises(InputError) as err:
        read_path(path)
    ((row, name, shown, message),) = [(p.row, p.column, p.value, p.message) for p in err.value.problems]
    assert (row, name, shown) == (6, column, value)
    assert message.startswith("1 cell of this column is") and words in message


@pytest.mark.parametrize("problem", list(EXCEL_MADE))
def test_the_seed_admission_table_refuses_a_programme_excel_made_something_else_of(real_file, tmp_path, problem):
    """The seed's admission table reads every column without resolving them (the programme, then
    one column of shares per year): a programme read as '#N/A' is refused at its cell, as it
    was before a helper column was let through (a guard: the leniency reaches no column read)."""
    made, words = EXCEL_MADE[problem]
    rows = list(csv.reader(real_file(SEED_ADMISSION).open(encoding="utf-8-sig"), delimiter=";"))
    book = openpyxl.Workbook()
    sheet = book.active
    for r in rows:
        sheet.append(r)
    value = made(sheet, 5, 1)
    path = tmp_path / "opptak.xlsx"
    book.save(path)

    with pytest.raises(InputError) as err:
        read_path(path, kind="seed-admission")
    ((row, name, shown, message),) = [(p.row, p.column, p.value, p.message) for p in err.value.problems]
    assert (row, name, shown) == (5, rows[0][0], value)
    assert words in message


def test_a_converted_cell_is_said_in_its_row_among_the_others(real_file, tmp_path):
    """A second reader, 2026-12-04: the values Excel made something else of were said before
    every other problem, a #N/A on line 6 above a wrong year on line 3; the readers say their
    problems row by row, then column by column."""
    _, header, book, sheet = sample_sheet(real_file)
    an_excel_error(sheet, 6, header.index("studiekode") + 1)
    sheet.cell(row=3, column=header.index("aar") + 1, value="20x4")
    path = tmp_path / "sokertall.xlsx"
    book.save(path)

    with pytest.raises(InputError) as err:
        read_path(path)
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "aar"), (6, "studiekode")]


@pytest.mark.parametrize(
    "late, early",
    [
        ("2025", "Studie- kode"),  # a year column among another column's problem
        ("2024", "2025"),  # year columns alone (a second reader, 2026-12-04: said column by column)
    ],
)
def test_a_converted_year_figure_is_said_in_its_row_among_the_key_figures_problems(tmp_path, late, early):
    """The key figures' year columns are read apart from the others: a #N/A on line 6 was said
    before one on line 3."""
    _, header, book, sheet = keyfigures_sheet()
    an_excel_error(sheet, 6, header.index(late) + 1)
    an_excel_error(sheet, 3, header.index(early) + 1)
    path = tmp_path / "sokertall.xlsx"
    book.save(path)

    with pytest.raises(InputError) as err:
        read_path(path)
    assert [(p.row, p.column) for p in err.value.problems] == [(3, early), (6, late)]
