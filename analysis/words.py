"""Nouns in number, in Norwegian and English: "1 rad", "2 rader"; "1 suppressed cell".

One rule for every count the product writes, for people (the report, the charts) and in its
messages (the readers' warnings, the gender metric's reason). It lives below the readers and
the metrics so that they need not load the chart labels (:mod:`analysis.charts.labels`, which
takes these nouns into its :data:`~analysis.charts.labels.LABELS`).
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

LANGS = ("nb", "en")
DEFAULT_LANG = "nb"

#: Each noun as ``noun_KEY_one`` (exactly one) and ``noun_KEY_other`` (every other count).
NOUNS: dict[str, dict[str, str]] = {
    "noun_programme_one": {"nb": "studieprogram", "en": "study programme"},
    "noun_programme_other": {"nb": "studieprogrammer", "en": "study programmes"},
    "noun_department_one": {"nb": "institutt", "en": "department"},
    "noun_department_other": {"nb": "institutter", "en": "departments"},
    "noun_student_category_one": {"nb": "studentkategori", "en": "student category"},
    "noun_student_category_other": {"nb": "studentkategorier", "en": "student categories"},
    # DBH's department level with faculties' own units or the unspecified sub-unit among them
    "noun_department_level_one": {"nb": "enhet på instituttnivå", "en": "unit at department level"},
    "noun_department_level_other": {"nb": "enheter på instituttnivå", "en": "units at department level"},
    "noun_faculty_one": {"nb": "fakultet", "en": "faculty"},
    "noun_faculty_other": {"nb": "fakulteter", "en": "faculties"},
    "noun_institution_one": {"nb": "institusjon", "en": "institution"},
    "noun_institution_other": {"nb": "institusjoner", "en": "institutions"},
    "noun_unit_one": {"nb": "enhet", "en": "unit"},
    "noun_unit_other": {"nb": "enheter", "en": "units"},
    # the adjective agrees with the noun in Norwegian: "1 skjermet enhet", "2 skjermede enheter"
    "noun_suppressed_unit_one": {"nb": "skjermet enhet", "en": "suppressed unit"},
    "noun_suppressed_unit_other": {"nb": "skjermede enheter", "en": "suppressed units"},
    # inside a department's row of the student categories added (analysis.metrics.gender)
    "noun_suppressed_category_one": {"nb": "skjermet studentkategori", "en": "suppressed student category"},
    "noun_suppressed_category_other": {"nb": "skjermede studentkategorier", "en": "suppressed student categories"},
    # inside a row of the semesters added (a download without Semester), of no filter (a download
    # without one beside one of each of its values: "Nivåkode M2")
    "noun_suppressed_semester_one": {"nb": "skjermet semester", "en": "suppressed semester"},
    "noun_suppressed_semester_other": {"nb": "skjermede semestre", "en": "suppressed semesters"},
    "noun_suppressed_filter_value_one": {"nb": "skjermet filterverdi", "en": "suppressed filter value"},
    "noun_suppressed_filter_value_other": {"nb": "skjermede filterverdier", "en": "suppressed filter values"},
    # inside a department's row beside its programmes' rows (DBH table 123 by Studieprogramkode)
    "noun_suppressed_programme_one": {"nb": "skjermet studieprogram", "en": "suppressed study programme"},
    "noun_suppressed_programme_other": {"nb": "skjermede studieprogrammer", "en": "suppressed study programmes"},
    "noun_source_one": {"nb": "kilde", "en": "source"},
    "noun_source_other": {"nb": "kilder", "en": "sources"},
    "noun_cell_one": {"nb": "celle", "en": "cell"},
    "noun_cell_other": {"nb": "celler", "en": "cells"},
    "noun_suppressed_cell_one": {"nb": "skjermet celle", "en": "suppressed cell"},
    "noun_suppressed_cell_other": {"nb": "skjermede celler", "en": "suppressed cells"},
    "noun_student_one": {"nb": "student", "en": "student"},
    "noun_student_other": {"nb": "studenter", "en": "students"},
    # a ranked unit, as the integration charts count them: "1 rangert", "240 rangerte"
    "noun_ranked_one": {"nb": "rangert", "en": "ranked"},
    "noun_ranked_other": {"nb": "rangerte", "en": "ranked"},
    "noun_respondent_one": {"nb": "respondent", "en": "respondent"},
    "noun_respondent_other": {"nb": "respondenter", "en": "respondents"},
    "noun_answer_one": {"nb": "svar", "en": "answer"},
    "noun_answer_other": {"nb": "svar", "en": "answers"},
    "noun_item_one": {"nb": "spørsmål", "en": "item"},
    "noun_item_other": {"nb": "spørsmål", "en": "items"},
    "noun_index_one": {"nb": "indeks", "en": "index"},
    "noun_index_other": {"nb": "indekser", "en": "indices"},
    "noun_index_value_one": {"nb": "indeksverdi", "en": "index value"},
    "noun_index_value_other": {"nb": "indeksverdier", "en": "index values"},
    "noun_problem_one": {"nb": "problem", "en": "problem"},
    "noun_problem_other": {"nb": "problemer", "en": "problems"},
    "noun_row_one": {"nb": "rad", "en": "row"},
    "noun_row_other": {"nb": "rader", "en": "rows"},
    "noun_flag_row_one": {"nb": "rad med flagg", "en": "flag row"},
    "noun_flag_row_other": {"nb": "rader med flagg", "en": "flag rows"},
    "noun_dataset_one": {"nb": "datasett", "en": "dataset"},
    "noun_dataset_other": {"nb": "datasett", "en": "datasets"},
    "noun_table_one": {"nb": "tabell", "en": "table"},
    "noun_table_other": {"nb": "tabeller", "en": "tables"},
    "noun_figure_one": {"nb": "figur", "en": "chart"},
    "noun_figure_other": {"nb": "figurer", "en": "charts"},
    "noun_file_one": {"nb": "fil", "en": "file"},
    "noun_file_other": {"nb": "filer", "en": "files"},
    "noun_folder_one": {"nb": "mappe", "en": "folder"},
    "noun_folder_other": {"nb": "mapper", "en": "folders"},
    "noun_warning_one": {"nb": "advarsel", "en": "warning"},
    "noun_warning_other": {"nb": "advarsler", "en": "warnings"},
    # a verb agrees with a count as a noun does: "1 of 8 faculties has", "2 of 8 have"
    "noun_percentage_point_one": {"nb": "prosentpoeng", "en": "percentage point"},
    "noun_percentage_point_other": {"nb": "prosentpoeng", "en": "percentage points"},
    "noun_have_one": {"nb": "har", "en": "has"},
    "noun_have_other": {"nb": "har", "en": "have"},
    "noun_are_one": {"nb": "er", "en": "is"},
    "noun_are_other": {"nb": "er", "en": "are"},
}


def noun(n: object, key: str, lang: str = DEFAULT_LANG) -> str:
    """The noun ``key`` for ``n`` things: its ``noun_KEY_one`` form for exactly one, its
    ``noun_KEY_other`` form for every other count (0 as 2: "0 rader"), in Norwegian as in
    English. A count that is not one number (a range "12–40", an unknown "?") takes the plural.

    Raises:
        KeyError: the noun has no forms (a bug: add them to :data:`NOUNS`).
        ValueError: ``lang`` is not one of :data:`LANGS`.
    """
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, got {lang!r}")
    one = isinstance(n, numbers.Integral) and not isinstance(n, bool) and n == 1
    return NOUNS[f"noun_{key}_{'one' if one else 'other'}"][lang]


def counted(n: object, key: str, lang: str = DEFAULT_LANG) -> str:
    """``n`` with its noun in number: "1 rad", "2 rader"; "1 skjermet enhet", "2 skjermede
    enheter" (:func:`noun`)."""
    return f"{n} {noun(n, key, lang)}"


#: The word before the last of a list, per language.
AND = {"nb": "og", "en": "and"}


def joined(words: list[str], lang: str = DEFAULT_LANG) -> str:
    """ "a, b og c" / "a, b and c": a list in running text (one word alone as it is)."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {AND[lang]} {words[-1]}"


#: Quotation marks a title may already be written in (opening -> closing): Norwegian «…», English
#: “…” and ‘…’, German and Norwegian „…“, straight "…".
QUOTES = {"«": "»", "“": "”", "‘": "’", "„": "“", '"': '"'}


def quoted(title: str) -> str:
    """ "Plan 2024" -> "“Plan 2024”": a title cited in English running text, in quotes once; one
    already in quotes (the settings' «Plan 2024») as it is, not "“«Plan 2024»”"."""
    if len(title) >= 2 and QUOTES.get(title[0]) == title[-1]:
        return title
    return f"“{title}”"


#: A share this close to a whole percentage is that percentage (a float's error: 0.4 * 100 is
#: 40.00000000000001); a share of counts up to :data:`analysis.parsing.MAX_COUNT` is further.
_WHOLE = 1e-9


def percent(values: pd.Series, decimals: int = 1) -> pd.Series:
    """Fractions 0–1 as "40.0 %" text; missing stays empty. The one rule for a share the product
    writes where it is judged against a threshold (the tables, the charts' hovers, ingest's
    notes on a share against a count).

    A share that is not a whole percentage but would round onto one gets more decimals, as many
    as it takes not to: 799 of 2000 (39.95 %, flagged) reads "39.95 %", never "40.0 %" (the
    threshold is a whole percentage unless the adviser sets another).
    """
    pct = values.astype("Float64") * 100
    whole = pct.round(0)
    off_whole = ((pct - whole).abs() > _WHOLE).fillna(False)
    shown = pct.round(decimals)
    for more in range(1, 12):  # (a share of counts up to 10**9 is off a whole by 10**-7 at least)
        onto_whole = (shown == whole).fillna(False) & off_whole
        if not onto_whole.any():
            break
        shown = shown.where(~onto_whole, pct.round(decimals + more))
    text = shown.astype("string") + " %"
    return text.fillna("")


def year_runs(years: list[int]) -> str:
    """[2022, 2023, 2024, 2026] -> "2022–2024, 2026"."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
