"""Counts in the report's words take the noun in its number, as Norwegian and English write
them: "1 rad" / "2 rader", "1 skjermet enhet" / "2 skjermede enheter" (the adjective agrees),
never "1 rader" or "enhet(er)". Expected texts are written out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.charts.labels import LABELS, counted
from analysis.report.tables import reason_words


@pytest.mark.parametrize(
    ("n", "key", "lang", "expected"),
    [
        (1, "row", "nb", "1 rad"),
        (2, "row", "nb", "2 rader"),
        (1, "row", "en", "1 row"),
        (2, "row", "en", "2 rows"),
        (1, "suppressed_unit", "nb", "1 skjermet enhet"),
        (2, "suppressed_unit", "nb", "2 skjermede enheter"),
        (1, "suppressed_unit", "en", "1 suppressed unit"),
        (2, "suppressed_unit", "en", "2 suppressed units"),
        (1, "suppressed_programme", "nb", "1 skjermet studieprogram"),
        (2, "suppressed_programme", "nb", "2 skjermede studieprogrammer"),
        (1, "suppressed_programme", "en", "1 suppressed study programme"),
        (2, "suppressed_programme", "en", "2 suppressed study programmes"),
        (1, "student", "nb", "1 student"),
        (2, "student", "nb", "2 studenter"),
        (1, "file", "en", "1 file"),
        (2, "file", "en", "2 files"),
        # none is plural in both languages
        (0, "row", "nb", "0 rader"),
        (0, "row", "en", "0 rows"),
        # a count that is not one number (a range of answers, an unknown total) is plural
        ("12–40", "answer", "en", "12–40 answers"),
        ("?", "student", "nb", "? studenter"),
    ],
)
def test_a_count_takes_its_noun_in_number(n, key, lang, expected):
    assert counted(n, key, lang) == expected


def test_no_label_writes_a_plural_in_brackets():
    """ "enhet(er)", "skjermet(e)", "file(s)": a count formatted into such a label reads "1
    rader" or "2 fil(er)"; the count goes through counted() instead."""
    found = [(key, lang) for key, texts in LABELS.items() for lang, text in texts.items() if "(er)" in text]
    found += [(key, lang) for key, texts in LABELS.items() for lang, text in texts.items() if "(e)" in text]
    found += [(key, lang) for key, texts in LABELS.items() for lang, text in texts.items() if "(s)" in text]
    assert not found


def faculty_row(suppressed_units: int, suppressed_students: int) -> pd.Series:
    """A faculty whose departments include ``suppressed_units`` suppressed ones: women between
    40 and 45 of 120 (the metric's interval)."""
    return pd.Series(
        {
            "level": "faculty",
            "total": 120,
            "suppressed_units": suppressed_units,
            "suppressed_total": suppressed_students,
            "suppressed_inside": "department",
            "suppression": None,
            "categories_disagree": False,
            "women_low": 40,
            "women_high": 45,
            "status": "unknown",
        }
    )


@pytest.mark.parametrize(
    ("units", "students", "lang", "expected"),
    [
        (1, 5, "nb", "1 skjermet enhet med 5 studenter inni: kvinner mellom 40 og 45 av 120"),
        (2, 5, "nb", "2 skjermede enheter med 5 studenter inni: kvinner mellom 40 og 45 av 120"),
        (1, 1, "nb", "1 skjermet enhet med 1 student inni: kvinner mellom 40 og 45 av 120"),
        (1, 5, "en", "1 suppressed unit with 5 students inside: women between 40 and 45 of 120"),
        (2, 5, "en", "2 suppressed units with 5 students inside: women between 40 and 45 of 120"),
        (1, 1, "en", "1 suppressed unit with 1 student inside: women between 40 and 45 of 120"),
    ],
)
def test_a_faculty_with_suppressed_departments_counts_them_in_number(units, students, lang, expected):
    assert reason_words(faculty_row(units, students), lang).startswith(expected)


@pytest.mark.parametrize(
    ("level", "units", "lang", "expected"),
    [
        ("department", 1, "nb", "1 skjermet studentkategori med 5 studenter inni"),
        ("programme", 2, "nb", "2 skjermede studentkategorier med 5 studenter inni"),
        ("department", 1, "en", "1 suppressed student category with 5 students inside"),
    ],
)
def test_a_departments_row_of_the_categories_added_says_a_category_is_suppressed_inside(level, units, lang, expected):
    # a department's row of all categories beside a suppressed category row is judged on an
    # interval (analysis.metrics.gender): what is hidden inside it is a category, not a unit
    row = faculty_row(units, 5)
    row["level"], row["suppressed_inside"] = level, "student_category"
    assert reason_words(row, lang).startswith(expected)


@pytest.mark.parametrize(
    ("total", "lang", "expected"),
    [
        (1, "nb", "kvinner og menn er skjermet i kilden (lite tall, 1 student)"),
        (2, "nb", "kvinner og menn er skjermet i kilden (lite tall, 2 studenter)"),
        (1, "en", "women and men suppressed by the source (small cell, 1 student)"),
        (2, "en", "women and men suppressed by the source (small cell, 2 students)"),
    ],
)
def test_a_suppressed_department_counts_its_students_in_number(total, lang, expected):
    row = pd.Series(
        {
            "level": "department",
            "total": total,
            "suppressed_units": 1,
            "suppression": "small_cell",
            "suppressed_inside": None,
        }
    )
    assert reason_words(row, lang) == expected


@pytest.mark.parametrize(("empty", "expected"), [(1, "1 cell without a figure"), (2, "2 cells without a figure")])
def test_a_reader_counts_the_cells_it_warns_about_in_number(tmp_path, empty, expected):
    """A reader's warning says "1 cell", "2 cells", never "cell(s)"."""
    from analysis.readers.seed import read_admission_table

    path = tmp_path / "opptak.csv"
    second = "" if empty == 2 else "24 %"
    path.write_text(f"Studieprogram;2017;2018\nKybernetikk;;40 %\nElsys;{second};30 %\n", encoding="utf-8")
    (warning,) = read_admission_table(path).warnings
    assert warning.message.startswith(expected + " (first shown here)")


def test_the_samordna_extract_counts_its_one_cell_without_a_figure_as_one():
    """The real Samordna extract has one cell 'NA' (2024): "1 cell marked as not available"."""
    from analysis import paths
    from analysis.readers.detect import read_path

    path = next((paths.RAW / "samordna_national").glob("*.json"))
    messages = [w.message for w in read_path(path).warnings]
    assert "1 cell marked as not available (first shown here): read as missing, not 0" in messages, messages


def test_the_portal_reader_counts_its_fraction_like_cells_in_number(tmp_path):
    from analysis.readers.portal import _fractions

    text = pd.Series(["0,18", "25 %"], name="svarprosent")
    (warning,) = _fractions(tmp_path / "portal.csv", text, pd.Series([2, 3]))
    assert warning.message.startswith("1 cell with a fraction in a column of percentages (first shown here)")
