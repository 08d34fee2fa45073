"""A row below (or inside) a DBH table that is not one of its rows is named as what it is: a
total row, a source note, the header of a second export pasted in (a bad-input hunt,
2026-12-03: they were refused as "value is missing", "not a year" or "row has 3 fields")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import cli_in_process

T123_CSV = "dbh_t123_registrerte_studenter_ntnu_1150_host_2019_2025.csv"
TOTAL = "(delete it: the product adds up the rows itself)"


#: What a line of a notes footer is said to be in a DBH table: a note, whether it begins with
#: "Kilde:" or is a line of words ("Små celler er skjermet") in Institusjonskode, a column of
#: codes in which no unit of the table has words (the seed's column of programme names, where
#: one may, tests/test_stray_rows_seed.py).
NOTE = "a note below the table (delete it)"


def footer_said(note: str) -> str:
    """What the line ``note`` of a DBH table's notes footer is said to be: :data:`NOTE`."""
    return NOTE


def validate(capsys, path) -> tuple[int, list[str]]:
    rc, out, _ = cli_in_process(capsys, "validate", path)
    return rc, out.splitlines()


def real_lines(real_file) -> list[str]:
    lines = real_file(T123_CSV).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 350  # the header and 349 rows: a line added below is line 351
    return lines


@pytest.mark.parametrize(
    ("added", "expected"),
    [
        ("Totalt,,,,26000,13000,13000", f"351:Institusjonskode: 'Totalt' — a total row below the table {TOTAL}"),
        ("Sum,,,,,,", f"351:Institusjonskode: 'Sum' — a total row below the table {TOTAL}"),
        ("I alt;;;;26000;;", f"351:-: 'I alt;;;;26000;;' — a total row below the table {TOTAL}"),
        (
            # a note with commas in it is not a row of 3 fields
            "Kilde: DBH, Registrerte studenter, hentet 2025-10-01",
            "351:-: 'Kilde: DBH, Registrerte studenter, hentet 2025-10-01' — a note below the table (delete it)",
        ),
    ],
)
def test_a_row_below_the_table_is_named(tmp_path, real_file, capsys, added, expected):
    path = tmp_path / T123_CSV
    path.write_text("\n".join([*real_lines(real_file), added]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:{expected}"]


def test_the_header_again_mid_file_is_named(tmp_path, real_file, capsys):
    lines = real_lines(real_file)
    # line 42 is the header of a second export pasted after line 41 (its rows follow it)
    path = tmp_path / T123_CSV
    path.write_text("\n".join([*lines[:41], lines[0], *lines[41:]]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [
        f"{path}:42:-: 'Institusjonskode' — the header again in the table (two exports pasted together? keep "
        "one header, and each row once)"
    ]


def test_a_total_row_and_a_bad_cell_are_both_named(tmp_path, real_file, capsys):
    lines = real_lines(real_file)
    assert lines[1] == "1150,000000,000,2019,121,81,40"
    lines[1] = "1150,000000,000,2019,121,81,4O"  # a letter O for a zero
    path = tmp_path / T123_CSV
    path.write_text("\n".join([*lines, "Totalt,,,,,,"]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out[0].startswith(f"{path}:2:Antall menn: '4O' — ")
    assert out[-1] == f"{path}:351:Institusjonskode: 'Totalt' — a total row below the table {TOTAL}"


# Excel's AutoSum below a DBH table (a helper's hunt, 2026-12-03): the counts summed, every key
# and name cell empty. It was named as "value is missing" on three cells of its row. The sums
# below are those of the real file's columns (26,000 is no more than a sum: any number in the
# count cells makes the row a sum, however wrong).
SUM = "a total row below the table: it has figures but no key (a sum, as Excel's AutoSum adds)"


@pytest.mark.parametrize("added", [",,,,26000,13000,13000", ",,,,26 000,,", ',,,,"26000",13000,13000'])
def test_an_autosum_row_below_the_table_is_named_as_a_total_row(tmp_path, real_file, capsys, added):
    path = tmp_path / T123_CSV
    path.write_text("\n".join([*real_lines(real_file), added]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    filled = ", ".join(c.strip('"') for c in added.split(",") if c)
    assert out == [f"{path}:351:-: '{filled}' — {SUM} {TOTAL}"]


def test_an_autosum_row_below_the_national_export_is_named(tmp_path, capsys):
    """The national export (quoted cells, ``;``, name columns): its first 20 lines and a sum row
    whose every key and name cell is an empty quoted cell."""
    from analysis import paths

    national = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
    lines = national.read_text(encoding="utf-8-sig").splitlines()[:20]
    assert lines[0].count(";") == 11  # 12 columns, the last three the counts
    path = tmp_path / national.name
    path.write_text("\n".join([*lines, '"";"";"";"";"";"";"";"";"";"6000";"3000";"3000"']) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:21:-: '6000, 3000, 3000' — {SUM} {TOTAL}"]


@pytest.mark.parametrize(
    ("added", "column"),
    [
        # one key cell missing: a row of the table that lacks a value, not a sum
        ("1150,,000,2025,26000,13000,13000", "Avdelingskode"),
        (",000000,000,2025,26000,13000,13000", "Institusjonskode"),
        ("1150,000000,000,,26000,13000,13000", "Årstall"),
    ],
)
def test_a_row_with_one_key_missing_is_still_a_missing_value(tmp_path, real_file, capsys, added, column):
    path = tmp_path / T123_CSV
    path.write_text("\n".join([*real_lines(real_file), added]) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:351:{column}: (empty) — value is missing (fill in the value or remove the row)"]


def t379_csv(tmp_path, added: str):
    """Table 379 as a CSV export (``;``) of the rows of the test fixture
    ``dbh_api_t379_kjonn_prioritet_konstruert.json`` (constructed in the shape of the real 379
    response: no real 379 CSV is kept), the header and its 12 rows on lines 1–13, ``added`` on
    line 14."""
    fixture = Path(__file__).parent / "fixtures" / "dbh" / "dbh_api_t379_kjonn_prioritet_konstruert.json"
    records = json.loads(fixture.read_text("utf-8"))
    rows = [r for r in records if "status" not in r]
    assert len(rows) == 12
    header = list(rows[0])
    lines = [";".join(header), *(";".join(r[h] for h in header) for r in rows), added]
    path = tmp_path / "dbh_379.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "added",
    [
        # Prioritet alone: a row of the table with every other value missing
        ";;;;;1;;;;;",
        # Prioritet and the counts: a row of the table lacking its other keys
        ";;;;;1;;1200;800;600;450",
    ],
)
def test_a_379_row_with_its_priority_filled_is_not_a_sum(tmp_path, capsys, added):
    """379's Prioritet is a key (the applicant's choice), not a count: a row that fills it was
    named "a total row … it has counts but no key" with the advice to delete it."""
    path = t379_csv(tmp_path, added)
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out[0] == f"{path}:14:Institusjonskode: (empty) — value is missing (fill in the value or remove the row)"
    assert not any("total row" in line for line in out)


@pytest.mark.parametrize("word", ["Totalsum", "Sum totalt", "Total sum", "Grand total"])
@pytest.mark.parametrize("where", ["top", "bottom"])
def test_a_total_row_of_two_totals_words_is_named_at_the_top_and_the_bottom(tmp_path, real_file, capsys, word, where):
    """A bad-input hunt (2026-12-04): a totals row of two totals words, its key cells empty,
    right under the header (as some DBH web exports and Excel layouts put it) or below the
    table, was refused as "Årstall: value is missing" and "Avdelingskode: value is missing".
    One rule at either place: it is named as a total row (and refused, as "Totalt" is)."""
    lines = real_lines(real_file)
    added = f"{word},,,,26000,13000,13000"
    body = [lines[0], added, *lines[1:]] if where == "top" else [*lines, added]
    path = tmp_path / T123_CSV
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    # line 2 is the first row under the header; line 351 is below the 349 rows
    line, place = (2, "above the table") if where == "top" else (351, "below the table")
    assert out == [f"{path}:{line}:Institusjonskode: '{word}' — a total row {place} {TOTAL}"]


@pytest.mark.parametrize(
    "footer",
    [
        ["Kilde: DBH, hentet 22.09.2026", "Små celler er skjermet"],
        ["Kilde: DBH", "Små celler er skjermet", "Tallene for 2025 er foreløpige"],
    ],
)
def test_a_notes_footer_saved_by_excel_is_named_line_by_line_as_notes(tmp_path, real_file, capsys, footer):
    """Notes below the table as an adviser writes them in Excel, saved with Norwegian settings
    (';', a separator for every empty cell, CRLF, BOM): the lines of the footer without a note
    word were "value is missing" in each of the 6 other columns, and the note above them was
    "in the table"."""
    lines = [line.replace(",", ";") for line in real_lines(real_file)]
    width = lines[0].count(";")
    rows = [*lines, ";" * width, *(note + ";" * width for note in footer)]
    path = tmp_path / T123_CSV
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(rows).encode("utf-8") + b"\r\n")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:{352 + i}:-: '{note}' — {footer_said(note)}" for i, note in enumerate(footer)]


def test_a_row_of_a_name_alone_above_a_note_is_a_row_of_data_not_a_note(tmp_path, capsys):
    """The other side: a row of its first cell alone above the note may be a row of data without
    figures (a programme with no admission those years, a warning of its own), and is read so."""
    path = tmp_path / "opptak.csv"
    path.write_text("Studieprogram;2017;2018\nKybernetikk;30 %;40 %\nDatateknologi;;\nKilde: LMU;;\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:4:-: 'Kilde: LMU' — a note below the table (delete it)"]
    path.write_text("Studieprogram;2017;2018\nKybernetikk;30 %;40 %\nDatateknologi;;\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 0 and "opptak.csv:3:2017: (empty) — 2 cells without a figure" in "\n".join(out)


def test_excels_subtotals_are_named_as_total_rows(tmp_path, capsys):
    """Excel's Data › Subtotal on a download: a row after each institution's rows named by its
    code and "Totalt", with the sums, and "Totalsum" last. "1150 Totalt" was "value is missing"
    in Avdelingskode, Årstall, Semester and Studentkategori, as if a row of data lacked them."""
    from analysis import paths

    national = paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
    lines = national.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], [line.split(";") for line in lines[1:]]
    groups = [[r for r in rows if r[0] == f'"{code}"'][:10] for code in ("1150", "0211")]

    def subtotal(group: list[list[str]], label: str) -> str:
        sums = [str(sum(int(r[i].strip('"')) for r in group)) for i in (9, 10, 11)]
        return ";".join([label, *[""] * 8, *sums])

    out = [header]
    for code, group in zip(("1150", "0211"), groups):
        out += [";".join(r) for r in group] + [subtotal(group, f"{code} Totalt")]
    out.append(subtotal(groups[0] + groups[1], "Totalsum"))
    path = tmp_path / "dbh_t123_delsummer.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    rc, said = validate(capsys, path)
    assert rc == 1
    assert said == [
        f"{path}:12:Institusjonskode: '1150 Totalt' — a total row in the table {TOTAL}",
        f"{path}:23:Institusjonskode: '0211 Totalt' — a total row below the table {TOTAL}",
        f"{path}:24:Institusjonskode: 'Totalsum' — a total row below the table {TOTAL}",
    ]


def test_a_subtotal_of_averages_in_a_respondent_file_is_an_average_row(tmp_path, capsys):
    path = tmp_path / "sb.csv"
    path.write_text(
        "studprog_kod;aar;overord_altialt_13\nMTDT;2025;4\nMTDT;2025;2\nMTDT Gjennomsnitt;;3\nMLREAL;2025;5\n",
        encoding="utf-8",
    )
    rc, said = validate(capsys, path)
    assert rc == 1
    assert said[0] == f"{path}:4:studprog_kod: 'MTDT Gjennomsnitt' — an average row in the table {TOTAL}"


@pytest.mark.parametrize("name", ["Total Quality Management", "Totalt forsvar", "Musikk, totalteater"])
def test_a_programme_whose_name_only_holds_a_totals_word_is_read(tmp_path, capsys, name):
    """The other side: the word must end the name after a group's value, as Excel writes it."""
    path = tmp_path / "opptak.csv"
    path.write_text(f"Studieprogram;2017;2018\nKybernetikk;30 %;40 %\n{name};45 %;50 %\n", encoding="utf-8")
    rc, said = validate(capsys, path)
    assert rc == 0, said


@pytest.mark.parametrize(
    "footer",
    [
        # Excel's separators on the first note, none on the line typed below it
        ["Kilde: DBH, hentet 22.09.2026;;;;;;", "Små celler er skjermet"],
        # a text editor's lines: no separators at all, and a third line with some
        ["Kilde: DBH, hentet 22.09.2026", "Små celler er skjermet", "Tallene for 2025 er foreløpige;;"],
    ],
)
def test_a_note_line_without_separators_below_a_note_is_a_note_not_a_row_of_one_field(
    tmp_path, real_file, capsys, footer
):
    """A line of the footer written without separators (or fewer) was "row has 1 fields, the
    header has 7" (a bad-input hunt, 2026-12-05): below a note, it is named a note too."""
    lines = [line.replace(",", ";") for line in real_lines(real_file)]
    path = tmp_path / T123_CSV
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([*lines, *footer]).encode("utf-8") + b"\r\n")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:{351 + i}:-: '{note.rstrip(';')}' — {footer_said(note)}" for i, note in enumerate(footer)]


@pytest.mark.parametrize(
    ("after", "refused"),
    [
        # a row of the table below the notes: the line above it is no note of a footer
        ("1150;000000;000;2026;121;81;40", ["352:-: 'Små celler er skjermet' — row has 1 fields"]),
        (
            "1150;000000;2026;121;81;40",
            [
                "352:-: 'Små celler er skjermet' — row has 1 fields",
                "353:-: '1150;000000;2026;121;81;40' — row has 6 fields",
            ],
        ),
    ],
)
def test_a_row_of_data_below_the_notes_is_refused_not_read_as_a_note(tmp_path, real_file, capsys, after, refused):
    lines = [line.replace(",", ";") for line in real_lines(real_file)]
    path = tmp_path / T123_CSV
    rows = [*lines, "Kilde: DBH;;;;;;", "Små celler er skjermet", after]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(rows).encode("utf-8") + b"\r\n")
    rc, out = validate(capsys, path)
    assert rc == 1
    assert [line.split(", the header has")[0] for line in out] == [f"{path}:{r}" for r in refused]
    assert not any("a note" in line for line in out)


SAMORDNA_CSV = "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"


def written_below(tmp_path, real_file, name: str, added: list[str], semicolons: bool = False, ended: bool = True):
    """The real file ``name`` with the lines ``added`` below it (written with ';' as Excel with
    Norwegian settings does, where ``semicolons``; the last line without its line break unless
    ``ended``), and the line number of the first added line."""
    lines = real_file(name).read_text(encoding="utf-8").splitlines()
    if semicolons:
        lines = [line.replace(",", ";") for line in lines]
    path = tmp_path / name
    path.write_text("\n".join([*lines, *added]) + ("\n" if ended else ""), encoding="utf-8")
    return path, len(lines) + 1


@pytest.mark.parametrize(
    ("name", "semicolons", "footer"),
    [
        # typed in a text editor below a file of commas: the comma splits the note in two
        (T123_CSV, False, ["Små celler er skjermet, se dbh.no"]),
        # and a semicolon below a file of semicolons, under a source note
        (T123_CSV, True, ["Kilde: DBH, hentet 22.09.2026", "Små celler er skjermet; se dbh.no"]),
        (SAMORDNA_CSV, False, ["Kilde: Samordna opptak", "Tallene for 2026 er foreløpige, se samordnaopptak.no"]),
    ],
)
def test_a_note_split_at_its_separators_below_the_table_is_a_note(
    tmp_path, real_file, capsys, name, semicolons, footer
):
    """A note with a comma or semicolon in it, below the last row, was "row has 2 fields, the
    header has 7": a line of words split at its separator, no cell of it a figure, is named a
    note (a bad-input hunt, 2026-12-05)."""
    path, first = written_below(tmp_path, real_file, name, footer, semicolons)
    rc, out = validate(capsys, path)
    assert rc == 1
    shown = [note.replace(";", ",") for note in footer]  # (its filled cells, as every note is shown)
    assert out == [
        f"{path}:{first + i}:-: '{note}' — a note below the table (delete it)" for i, note in enumerate(shown)
    ]


@pytest.mark.parametrize(
    "note", ["Merk: små celler er skjermet", "Merknad: tall for 2025", "NB: foreløpige tall", "Obs! Foreløpige tall"]
)
def test_merk_nb_and_obs_begin_a_note(tmp_path, real_file, capsys, note):
    """ "Merk:", "NB:" and "Obs!" are how a Norwegian adviser begins a note; they were "row has 1
    fields" (a line of the table)."""
    path, first = written_below(tmp_path, real_file, T123_CSV, [note])
    rc, out = validate(capsys, path)
    assert rc == 1
    assert out == [f"{path}:{first}:-: '{note}' — a note below the table (delete it)"]


@pytest.mark.parametrize(
    ("added", "ended", "refused"),
    [
        # a row of the table below the split line: the line is no note of a footer, the row is read
        (["Små celler er skjermet, se dbh.no", "1150,000000,000,2026,121,81,40"], True, [0]),
        # a short row with a figure in it is a row of the table missing its separators
        (["Gløshaugen, 121"], True, [0]),
        # a file cut off inside its last row of text (no line break after it) is no note to delete
        (["Små celler er skjermet, se dbh.no"], False, [0]),
    ],
)
def test_a_row_that_may_be_of_the_table_is_not_read_as_a_split_note(tmp_path, real_file, capsys, added, ended, refused):
    path, first = written_below(tmp_path, real_file, T123_CSV, added, ended=ended)
    rc, out = validate(capsys, path)
    assert rc == 1
    assert [line.split(" fields, the header has")[0].rsplit(" — ", 1)[-1] for line in out] == ["row has 2"] * len(
        refused
    )
    assert [line.split(":-:")[0] for line in out] == [f"{path}:{first + i}" for i in refused]
    assert not any("a note" in line for line in out)


@pytest.mark.parametrize(
    "added",
    [
        # Excel (English settings) writes the note's cell quoted and a comma for each empty cell
        ['"Små celler er skjermet, se dbh.no",,,,,,'],
        # a text editor: the quoted note alone
        ['"Små celler er skjermet, se dbh.no"'],
        # above a source note, as an adviser writes a remark first
        ["Tallene for 2025 er foreløpige,,,,,,", "Kilde: DBH,,,,,,"],
        # a note that begins with a number
        ["3 rader er skjermet, se dbh.no"],
    ],
)
def test_a_line_of_words_in_dbhs_column_of_codes_below_the_table_is_a_note(tmp_path, real_file, capsys, added):
    """A note without a note word below a DBH table, in Institusjonskode (a column of codes:
    "1150"), was "value is missing" in each of the 6 other columns (row of Excel's separators),
    "row has 1 fields" (a text editor's) or "row has 2 fields" (a first word that is a number):
    no unit of the table has words there, so it is a note (a bad-input hunt, 2026-12-05)."""
    path, first = written_below(tmp_path, real_file, T123_CSV, added)
    rc, out = validate(capsys, path)
    assert rc == 1
    shown = [line.split(",,")[0].strip('"') for line in added]
    assert out == [f"{path}:{first + i}:-: '{note}' — {NOTE}" for i, note in enumerate(shown)]


def test_a_programme_of_two_words_without_figures_in_a_column_of_names_is_still_a_row(tmp_path, capsys):
    """The other side: the seed's first column names programmes, one word ("Kybernetikk") or
    more; a programme of two words whose shares are blank, last, is a row of the table (unknown
    shares, a warning of its own), not a note."""
    path = tmp_path / "opptak.csv"
    path.write_text("Studieprogram;2017;2018\nKybernetikk;30 %;40 %\nElektronisk systemdesign;;\n", encoding="utf-8")
    rc, out = validate(capsys, path)
    assert rc == 0, out
    assert "opptak.csv:3:2017: (empty) — 2 cells without a figure" in "\n".join(out)


SEED_ADMISSION = "seed_hovedopptak_andel_kvinner_2007_2018.csv"
SAMORDNA_NATIONAL = Path(__file__).parent / "fixtures" / "samordna_national_utdrag_excel.csv"


def last_row_with_separator_in_a_name(
    tmp_path, source: Path, column: str, commas: bool, name: str | None = None
) -> tuple[Path, int]:
    """The real file ``source`` (its separators commas where ``commas``) whose last row has its
    cells with a digit right of ``column`` blank (figures unknown) and a separator typed unquoted into its cell of ``column`` (its
    value, or ``name``) before the name's last word ("Norges teknisk-naturvitenskapelige,
    universitet", as a hand-edited export has it), and the number of fields the header has."""
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    if commas:
        lines = [line.replace(";", ",") for line in lines]
    separator = "," if commas else ";"
    header, last = lines[0].split(separator), lines[-1].split(separator)
    at = header.index(column)
    words, end = (name or last[at]).rsplit(" ", 1)
    last[at] = f"{words}{separator} {end}"
    last = [cell if i <= at or not any(ch.isdigit() for ch in cell) else "" for i, cell in enumerate(last)]
    path = tmp_path / source.name
    path.write_text("\n".join([*lines[:-1], separator.join(last)]) + "\n", encoding="utf-8")
    return path, len(header)


@pytest.mark.parametrize(
    ("source", "column", "commas", "name"),
    [
        # Samordna's national table (Excel's export): NTNU's last key figure, "Antall tilbud"
        (SAMORDNA_NATIONAL, "Institusjon", False, None),
        # the seed's last programme, as the seed spells it ("Ada – siv.ing"), commas for separators
        (SEED_ADMISSION, "Studieprogram", True, "Ada – siv.ing"),
    ],
)
def test_a_last_row_with_a_separator_in_a_name_is_not_said_to_be_a_note(
    tmp_path, real_file, capsys, source, column, commas, name
):
    """The other side of a note split at its separators: the table's last row, with a name
    holding the separator unquoted and its figures blank, is wider than the header, as no note
    typed below a table is. It was "a note below the table (delete it)" (a second reader,
    2026-12-05): deleted, the adviser lost the row. It is "row has N fields" as before."""
    source = source if isinstance(source, Path) else real_file(source)
    path, columns = last_row_with_separator_in_a_name(tmp_path, source, column, commas, name)
    rc, out = validate(capsys, path)
    assert rc == 1
    said = [line for line in out if line.startswith(f"{path}:")]
    assert len(said) == 1, out
    assert f" — row has {columns + 1} fields, the header has {columns} " in said[0]
    assert "a note" not in said[0]
