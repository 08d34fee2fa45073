"""Tables for people: labelled headers, category values in words, numbers that open right in
Norwegian Excel. Parquet stays the machine format (every column, codes and English values).

One table for people is a machine frame seen through a list of :class:`Column` (which
column, which header label, which kind of value). The same view is written as a workbook sheet
(:func:`write_workbook`: number formats, widths, codes as text) and as a CSV for people
(:func:`write_csv_for_people`: ``;``, decimal comma, UTF-8 with byte-order mark). Every header
and word comes from :mod:`analysis.charts.labels`, so a sheet never mixes languages.

Shares keep one decimal, except where one decimal would put a share on the other side of the
policy threshold (39.95 % must not read "40,0 %"): :func:`analysis.charts.labels.share_digits`
decides, for the page, the Word document, the sheet, the CSV and the charts' hover text alike.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path

import pandas as pd

from analysis import gender_reasons
from analysis.charts.labels import (
    LABELS,
    change_words,
    header_label,
    label,
    level_text,
    measure_words_of,
    number,
    portal_field,
    previous_wave_words,
    share_digits,
    shown_code,
    unit_name_text,
    value_label,
)
from analysis.org_units import UNSPECIFIED_FACULTY
from analysis.settings import PUBLISHED_SCORE_DIGITS, SCORE_DIGITS, integration_score_digits

#: Fixed workbook properties so the same tables give the same file.
WORKBOOK_CREATED = dt.datetime(2000, 1, 1)
#: Excel's limit on sheet names.
SHEET_NAME_MAX = 31

#: Decimals of the kinds of number, in the workbook and the CSV alike: a mean the report
#: computes (``score``) and a mean as NOKUT publishes it (``published_score``) as
#: :mod:`analysis.settings` says.
DIGITS = {"score": SCORE_DIGITS, "published_score": PUBLISHED_SCORE_DIGITS, "pp": 1, "pct": 1, "p": 3}

#: Kinds of column and their Excel number format.
FORMATS = {
    "int": "0",
    "year": "0",
    **{kind: "0." + "0" * digits for kind, digits in DIGITS.items()},
    "share": "0.0%",
    "share_fine": "0.00%",
    "code": "@",
}


@dataclass(frozen=True)
class Column:
    """One column of a table for people.

    Attributes:
        source: the machine column (or, for derived kinds, the first of the columns it reads).
        header: label key of the header.
        kind: ``text``, ``code`` (identifier kept as text: ``000000``, ``0232``), ``int``,
            ``year``, ``share`` (0–1, shown as a percentage), ``pct`` (already 0–100), ``pp``
            (percentage points; ``pp_range`` an end of the trend's range, as its words give it:
            :func:`trend_range_ends`), ``score`` (1–5 scale), ``published_score`` (a 1–5 mean as
            NOKUT publishes it, with its one decimal), ``p`` (p-value), ``bool`` (yes/no), or a
            word kind: ``level``, ``measure``, ``gender``, ``status``, ``trend`` (the
            under-represented gender's share in words), ``reason`` (why a unit is unknown),
            ``source`` (short source), ``faculty`` (name with code), ``unit`` (name, else code),
            ``dimension``, ``indicator``, ``group``, ``scope``, ``study_level``, ``suppression`` (why
            a survey cell is hidden).
    """

    source: str
    header: str
    kind: str = "text"


# --- the report's tables --------------------------------------------------------------------

FOLLOWUP = [
    Column("faculty_code", "col_faculty", "faculty"),
    Column("level", "col_level", "level"),
    Column("unit_name", "col_unit", "unit"),
    Column("unit_code", "col_code", "code"),
    Column("measure", "col_measure", "measure"),
    Column("underrepresented", "col_underrepresented", "gender"),
    Column("underrepresented_share", "col_underrepresented_share", "share"),
    Column("total", "col_total", "int"),  # the share's base, in the row's measure
    # the most students (rows of 0 students inside: 0 to 2 each, DBH writes 1 or 2 as 0): a sum
    # of such rows is "6487" to "6493", never 6487 alone (the Word and HTML cell: "6487–6493")
    Column("total_high", "col_total_high", "int"),
    # NOTE: the field benchmark (national share of the under-represented gender in the same
    # field) goes here when the gender metric delivers it; see content.FIELD_BENCHMARK.
    Column("field_underrepresented_share", "col_field_benchmark", "share"),
    # two numbers, not "700–715": a unit flagged from an interval (suppressed departments inside
    # it) needs at least the one and at most the other; the same number where counts are exact
    Column("students_needed_fewest", "col_students_needed_fewest", "int"),
    Column("students_needed_most", "col_students_needed_most", "int"),
    Column("consecutive_years_flagged", "col_years_flagged", "int"),
    Column("trend", "col_trend", "trend"),
    Column("year", "year", "year"),
    Column("source_kind", "source", "source"),
]

UNKNOWN = [
    Column("faculty_code", "col_faculty", "faculty"),
    Column("level", "col_level", "level"),
    Column("unit_name", "col_unit", "unit"),
    Column("unit_code", "col_code", "code"),
    Column("measure", "col_measure", "measure"),
    Column("total", "col_total", "int"),
    Column("total_high", "col_total_high", "int"),
    Column("reason", "col_reason", "reason"),
    Column("year", "year", "year"),
    Column("source_kind", "source", "source"),
]

GENDER = [
    Column("year", "year", "year"),
    Column("faculty_code", "col_faculty", "faculty"),
    Column("level", "col_level", "level"),
    Column("unit_name", "col_unit", "unit"),
    Column("unit_code", "col_code", "code"),
    Column("measure", "col_measure", "measure"),
    Column("status", "col_status", "status"),
    Column("total", "col_total", "int"),
    Column("total_high", "col_total_high", "int"),
    Column("women", "col_women", "int"),
    Column("men", "col_men", "int"),
    Column("share_women", "col_share_women", "share"),
    Column("underrepresented", "col_underrepresented", "gender"),
    Column("underrepresented_share", "col_underrepresented_share", "share"),
    Column("field_underrepresented_share", "col_field_benchmark", "share"),
    Column("students_needed", "col_students_needed", "int"),
    Column("consecutive_years_flagged", "col_years_flagged", "int"),
    Column("trend", "col_trend", "trend"),
    Column("trend_pp_per_year", "col_trend_pp_per_year", "pp"),
    # the slope's range where a year is known only as an interval (the slope itself missing);
    # where it has no word, rounded outwards as the words say it (trend_range_ends)
    Column("trend_pp_low", "col_trend_pp_low", "pp_range"),
    Column("trend_pp_high", "col_trend_pp_high", "pp_range"),
    Column("ci_low", "col_ci_low_share", "share"),
    Column("ci_high", "col_ci_high_share", "share"),
    Column("borderline", "col_borderline", "bool"),
    Column("reason", "col_reason", "reason"),
    Column("source_kind", "source", "source"),
]

INTEGRATION = [
    Column("year", "survey_year", "year"),
    Column("level", "col_study_level", "study_level"),
    Column("institution", "institution", "text"),
    # respondent-level scores rank programmes (an extract's rows are institutions: empty here);
    # without it two programmes' rows read alike
    Column("unit_code", "col_programme", "code"),
    # the source's scores with the source's precision; the combined score and the gaps are the
    # report's arithmetic on them, exact with two decimals (the mean of 2,4 and 2,5 is 2,45):
    # one decimal would show two ranks with the same number
    Column("academic", "academic", "published_score"),
    Column("social", "social", "published_score"),
    Column("integration_score", "col_integration_combined", "score"),
    Column("rank", "rank", "int"),
    Column("units_ranked", "col_units_ranked", "int"),
    Column("gap_to_best", "col_gap_to_best", "score"),
    Column("gap_to_median", "col_gap_to_median", "score"),
    Column("gap_to_mean", "col_gap_to_mean", "score"),
    Column("n", "col_n", "int"),
    Column("few_respondents", "col_few_respondents", "bool"),
    Column("suppressed", "col_suppressed", "bool"),
    Column("comparison_group", "col_comparison_group", "comparison_group"),
    Column("source_kind", "source", "source"),
]

PORTAL = [
    Column("survey_year", "survey_year", "year"),
    Column("programme_name", "col_programme", "text"),
    Column("sb_id", "col_code", "code"),
    Column("study_level", "col_study_level", "study_level"),
    Column("dimension_key", "col_index", "dimension"),
    Column("value", "programme_value", "published_score"),
    Column("field_average", "field_average", "published_score"),
    Column("field_average_label", "col_field", "portal_field"),
    Column("respondents", "respondents_header", "int"),
    Column("response_rate_pct", "col_response_rate_pct", "pct"),
    Column("few_respondents_warning", "col_few_respondents", "bool"),
    Column("source_kind", "source", "source"),
]

#: The portal's time series with the change from the survey year before (notebook 04): empty
#: where either year was withheld.
PORTAL_CHANGE = [
    Column("programme_name", "col_programme", "text"),
    Column("sb_id", "col_code", "code"),
    Column("dimension_key", "col_index", "dimension"),
    Column("survey_year", "survey_year", "year"),
    Column("value", "programme_value", "published_score"),
    Column("previous", "col_previous_year_value", "published_score"),
    Column("change", "col_change_text", "published_score"),
]

#: The files read (notebook 01), from the validated stage's manifest.
FILES_READ = [
    Column("file", "col_file", "text"),
    Column("kind", "col_file_kind", "file_kind"),
    Column("dataset", "col_dataset", "dataset"),
    Column("rows", "col_rows", "int"),
    Column("suppressed", "col_suppressed_cells", "int"),
    Column("warnings", "col_warnings", "int"),
]

#: The survey section's index table (respondent-level data): the report year's indices of the
#: institution and its faculties (in a faculty report: the institution and the faculty) with
#: the change from the year before. A suppressed cell has no
#: number here, not even its n, as in the survey sheet (see ``survey_section.survey_index_rows``).
SURVEY_INDICES = [
    Column("year", "survey_year", "year"),
    Column("level", "col_level", "level"),
    Column("unit_name", "col_unit", "text"),
    Column("unit_code", "col_code", "code"),
    Column("index_name", "col_index", "dimension"),
    Column("n", "col_n", "int"),
    Column("mean", "col_mean", "score"),
    Column("ci_low", "col_ci_low", "score"),
    Column("ci_high", "col_ci_high", "score"),
    Column("previous_year", "col_previous_year", "year"),
    Column("mean_previous", "col_mean_previous", "score"),
    Column("change", "col_change", "score"),
    Column("p_adjusted", "col_p_adjusted", "p"),
    Column("significant", "col_significant", "bool"),
    Column("definition_changed", "col_definition_changed", "bool"),
    Column("few_respondents", "col_few_respondents", "bool"),
    Column("suppression", "col_suppression", "suppression"),
    Column("source_kind", "source", "source"),
]

WELLBEING = [
    Column("year", "col_wave", "year"),
    Column("indicator", "col_indicator", "indicator"),
    Column("group", "col_group", "group"),
    Column("scope", "col_scope", "scope"),
    Column("value_pct", "col_value_pct", "pct"),
    Column("previous_year", "col_previous_wave", "year"),
    Column("change_pp", "col_change_pp", "pp"),
    Column("change_pp", "col_change_text", "change"),
    Column("definition_changed", "col_definition_changed", "bool"),
    Column("conflicting", "col_conflicting", "bool"),
    Column("definition_note", "col_definition_note", "text"),
    Column("source_url", "col_source_url", "text"),
]


# --- values in words ------------------------------------------------------------------------


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def trend_range_ends(trend: object, low: object, high: object) -> tuple[Decimal, Decimal] | None:
    """The trend's range ``low`` to ``high`` (``trend_pp_low``/``trend_pp_high``) where it has no
    word (slopes on both sides of a limit), as the report shows it in its words and its columns
    alike: rounded outwards to the decimals of percentage points, so that what is shown holds the
    range computed and reads across the limit (0.98 to 1.01 is "0,9 to 1,1", never "1,0 to 1,0").
    None where there is a word (the range rounded as any slope is: outwards, a flat range up to
    -0.93 would read "-1,0", the limit), no slope, or one slope."""
    if not _missing(trend) or _missing(low) or _missing(high) or low == high:
        return None
    step = Decimal(1).scaleb(-DIGITS["pp"])
    return (
        Decimal(str(float(low))).quantize(step, ROUND_FLOOR),
        Decimal(str(float(high))).quantize(step, ROUND_CEILING),
    )


def _trend_range_column(frame: pd.DataFrame, source: str) -> pd.Series:
    """``trend_pp_low`` or ``trend_pp_high`` for people: where the range has no word, its end as
    the words give it (:func:`trend_range_ends`: "1,0" and "1,0" beside "between 0,9 and 1,1"
    read as one slope at the limit); elsewhere as it is."""
    values = pd.to_numeric(frame[source], errors="coerce").astype("Float64")
    if not {"trend", "trend_pp_low", "trend_pp_high"} <= set(frame.columns):
        return values
    end = 0 if source == "trend_pp_low" else 1
    shown = [
        trend_range_ends(trend, low, high)
        for trend, low, high in zip(frame["trend"], frame["trend_pp_low"], frame["trend_pp_high"], strict=True)
    ]
    # + 0.0: an end of -0.0 (a range up to -0.04) is 0.0, as the words write it
    outward = pd.Series([None if e is None else float(e[end]) + 0.0 for e in shown], index=frame.index, dtype="Float64")
    return outward.fillna(values)


def trend_words(trend: object, gender: object, lang: str, low: object = None, high: object = None) -> str:
    """The under-represented gender's share in words: ``rising`` of women -> "kvinneandelen øker".
    No word: no gender is under-represented (as many women as men), which gender's share is not
    known (suppressed counts inside), the years' intervals leave slopes ``low`` to ``high``
    (``trend_pp_low``/``trend_pp_high``) on both sides of a limit (said with the range), or fewer
    than two years of the window have a known share (a year masked whole is none)."""
    if gender == "none":
        return label("trend_gender_none", lang)
    if gender not in ("women", "men"):
        return label("trend_gender_unknown", lang)
    ends = trend_range_ends(trend, low, high)
    if ends is not None:
        digits = DIGITS["pp"]
        return label("trend_open", lang, low=number(ends[0], lang, digits), high=number(ends[1], lang, digits))
    if _missing(trend):
        return label("trend_unknown", lang)
    return label(f"trend_{gender}_{trend}", lang)


def series_break_words(row: pd.Series, lang: str) -> str | None:
    """The merger a flag row's series starts after, as the chart marks it and the report names
    what merged: "Sammenslåing 2016: Høgskolen i Gjøvik (0261), … og Høgskolen i Ålesund (0237)";
    None where the series starts at no break."""
    from analysis.series_breaks import merged_list
    from analysis.words import joined

    year, merged = row.get("series_break_year"), row.get("series_break_merged")
    if _missing(year):
        return None
    marker = label("series_break_marker", lang, year=int(year))
    return marker if _missing(merged) else f"{marker}: {joined(merged_list(str(merged)), lang)}"


def reason_words(row: pd.Series, lang: str) -> str:
    """Why a unit could not be judged, in words, from the row's own columns: the words the
    metric's English ``reason`` is written in too (:func:`analysis.gender_reasons.reason_words`);
    empty where it was judged on exact counts or a given share."""
    return gender_reasons.reason_words(row, lang) or ""


def unit_words(row: pd.Series, lang: str) -> str:
    """A unit's name; "Enhet uten navn i kildene" where no source names it (its code stands in the
    code column beside it)."""
    code = shown_code(row.get("unit_code"), row.get("source_kind"))
    return unit_name_text(row.get("unit_name"), code, lang, row.get("level"))


def faculty_words(row: pd.Series, lang: str) -> str:
    """ "Fakultet for ingeniørvitenskap (271)"; the institution as a whole for an institution
    row; "faculty not given by the source" where the source names none; "no faculty" for DBH's
    unspecified sub-unit (:mod:`analysis.org_units`)."""
    if row.get("level") == "institution":
        return label("whole_institution", lang)
    code, name = row.get("faculty_code"), row.get("faculty_name")
    if _missing(code):
        return label("faculty_not_given", lang)
    if str(code) == UNSPECIFIED_FACULTY:
        # DBH's unspecified sub-unit (000000) is in no faculty; "NTNU (uspesifisert underenhet)
        # (000)" in the faculty column (and as a group of the follow-up list) read as a faculty
        return label("faculty_none_unspecified", lang)
    # a faculty no file names (no table 210, no own unit 271000 in the national export) is said
    # to be unnamed, as the charts say it: a bare "610" over its departments read as a name
    return f"{unit_name_text(None if _missing(name) else name, code, lang)} ({code})"


def _word(column: Column, row: pd.Series, lang: str) -> object:
    value = row.get(column.source)
    kind = column.kind
    if kind == "trend":
        return trend_words(value, row.get("underrepresented"), lang, row.get("trend_pp_low"), row.get("trend_pp_high"))
    if kind == "reason":
        return reason_words(row, lang)
    if kind == "series_break":
        return series_break_words(row, lang)
    if kind == "unit":
        return unit_words(row, lang)
    if kind == "faculty":
        return faculty_words(row, lang)
    if kind == "change":  # as the page's SHoT table and findings word it
        return change_words(row, lang) + previous_wave_words(row, lang)
    if kind == "wb_note":
        if bool(row.get("conflicting")):
            return label("note_conflicting", lang, n=int(row.get("versions") or 2))
        return change_words(row, lang) if not _missing(value) else None
    if _missing(value):
        return None
    if kind == "suppression":
        # why a survey cell is hidden: primary (too few answers) or secondary; "" = shown
        return label(f"suppression_{value}", lang) if str(value) else None
    if kind == "semester":
        return " + ".join(value_label("semester", part, lang) for part in str(value).split("+"))
    if kind == "student_category":
        key = f"student_category_{value}"
        return label(key, lang) if key in LABELS else label("student_category_code", lang, code=value)
    if kind == "measure":
        # the measure as counted: "registrerte studenter, høst, alle kategorier"
        return measure_words_of(row, lang)
    if kind == "source":
        from analysis.report.data import source_short

        return source_short(value, lang)
    if kind == "portal_field":
        return portal_field(value)
    if kind == "study_level":
        # one word per study level whichever source gives it: the portal writes "Bachelor",
        # the 2017 extract "bachelor"; a level the labels do not know keeps the source's text
        known = str(value).strip().lower()
        return value_label("level", known, lang) if f"level_{known}" in LABELS else value
    if kind == "level" and not _missing(value):
        # a faculty's own unit and the unspecified sub-unit are at DBH's department level but
        # are no department: "instituttnivå", as the page's table says
        return level_text(str(value), [row.get("unit_code")], lang)
    if kind == "bool":
        return label("yes" if bool(value) else "no", lang)
    if kind == "gender":
        return label(str(value), lang) if str(value) in ("women", "men", "none", "all") else str(value)
    prefixes = {
        "level": "level",
        "status": "status",
        "dimension": "dim",
        "indicator": "ind",
        "group": "group",
        # the page's SHoT table says "nasjonalt"/"region" (scope_word_*): the sheet says the same
        "scope": "scope_word",
        "share_basis": "basis",
        "suppressed_inside": "inside",
        "source_type": "srctype",
        "result_kind": "kind",
        "comparison_group": "group_of",
        "dataset": "dataset",
        "file_kind": "filekind",
    }
    if kind in prefixes:
        return value_label(prefixes[kind], value, lang)
    return value


WORD_KINDS = {
    "series_break",
    "semester",
    "student_category",
    "trend",
    "reason",
    "unit",
    "faculty",
    "change",
    "wb_note",
    "source",
    "bool",
    "gender",
    "level",
    "measure",
    "status",
    "suppression",
    "dimension",
    "indicator",
    "group",
    "scope",
    "study_level",
    "share_basis",
    "suppressed_inside",
    "source_type",
    "result_kind",
    "comparison_group",
    "dataset",
    "file_kind",
    "portal_field",
}


@dataclass
class PeopleTable:
    """A table for people: labelled frame, the kind of each column and the thresholds that
    decide how many decimals a share gets."""

    frame: pd.DataFrame
    kinds: list[str]
    thresholds: tuple[float, ...] = ()


def people_table(
    frame: pd.DataFrame | None,
    columns: Sequence[Column],
    lang: str,
    thresholds: Iterable[float] = (),
    levels: Mapping[str, float] | None = None,
) -> PeopleTable:
    """``frame`` seen through ``columns`` (those whose source column exists; derived kinds
    always), headers and words in ``lang``; numbers stay numbers, codes stay text. ``levels``:
    the confidence levels an interval's header says (:func:`analysis.charts.labels.header_label`)."""
    frame = frame if frame is not None else pd.DataFrame()
    derived = {"trend", "reason", "unit", "faculty", "change"}
    use = [c for c in columns if c.source in frame.columns or (c.kind in derived and not frame.empty)]
    out: dict[str, pd.Series] = {}
    kinds = []
    rows: list[pd.Series] | None = None  # the frame's rows, made once for every column worded from them
    for c in use:
        header = header_label(c.header, lang, levels) if c.header in LABELS else c.header
        if header in out:  # two columns with one label: the second says which it is
            header = f"{header} ({c.source})"
        if c.kind in WORD_KINDS:
            if rows is None:
                rows = [row for _, row in frame.iterrows()]
            values = [_word(c, row, lang) for row in rows]
            series = pd.Series(values, index=frame.index, dtype="object")
        elif c.kind == "code" and "source_kind" in frame:
            # no code where the source keys its units by name (the name is in the unit column)
            shown = [shown_code(v, k) for v, k in zip(frame[c.source], frame["source_kind"], strict=True)]
            series = pd.Series(shown, index=frame.index, dtype="object").astype("string")
        elif c.kind in ("code", "text"):
            series = frame[c.source].astype("string")
        elif c.kind in ("int", "year"):
            series = pd.to_numeric(frame[c.source], errors="coerce").astype("Int64")
        elif c.kind == "pp_range":
            series = _trend_range_column(frame, c.source)
        else:
            series = pd.to_numeric(frame[c.source], errors="coerce").astype("Float64")
        out[header] = series
        kinds.append("pp" if c.kind == "pp_range" else c.kind if c.kind != "published_score" else _score_kind(frame))
    return PeopleTable(pd.DataFrame(out, index=frame.index).reset_index(drop=True), kinds, tuple(thresholds))


def _score_kind(frame: pd.DataFrame) -> str:
    """The kind of a column of scores a source publishes: ``published_score`` (NOKUT's one
    decimal), or ``score`` (two) where the rows are integration scores the report computed from
    respondent-level data (their ``source``: :func:`analysis.settings.integration_score_digits`)."""
    sources = frame["source"] if "source" in frame.columns else ()
    return "published_score" if integration_score_digits(sources) == PUBLISHED_SCORE_DIGITS else "score"


#: Column kinds of the metric tables where the name alone does not tell (a ``ci_low`` is a
#: share in the gender flags and a 1–5 score in the survey tables).
METRIC_COLUMNS: dict[str, list[Column]] = {
    # the machine table's own columns first: a name or a code as it is, not the report's
    # combined "name (code)" words
    "flags": [
        Column("threshold", "col_threshold", "share"),
        Column("share_basis", "col_share_basis", "share_basis"),
        Column("suppressed_inside", "col_suppressed_inside", "suppressed_inside"),
        Column("unit_name", "col_unit_name", "text"),
        Column("faculty_code", "col_faculty_code", "code"),
        Column("faculty_name", "col_faculty_name", "text"),
        # the merger in words, with the institutions of series_break_merged (:data:`WORDED_WITH`)
        Column("series_break_year", "col_series_break", "series_break"),
    ]
    + GENDER,
    "integration": [
        Column("source", "col_source", "source_type"),
        Column("level", "col_study_level", "study_level"),
        Column("unit_name", "col_unit_name", "text"),
        Column("unit_code", "col_code", "code"),
    ]
    + INTEGRATION,
    "wellbeing": WELLBEING
    + [
        Column("note", "col_note", "wb_note"),
        Column("gender", "col_gender_group", "gender"),
        Column("previous_value_pct", "col_previous_value_pct", "pct"),
        Column("national_value_pct", "col_national_value_pct", "pct"),
        Column("difference_to_national_pp", "col_difference_to_national_pp", "pp"),
        Column("versions", "col_versions", "int"),
        Column("definition", "col_definition", "text"),
        Column("place", "col_place", "text"),
    ],
    "survey": [
        Column("ci_low", "col_ci_low", "score"),
        Column("ci_high", "col_ci_high", "score"),
        Column("kind", "col_kind", "result_kind"),
        Column("level", "col_level", "level"),
    ],
}


#: Machine columns a table for people says inside another column's words, not on their own:
#: the institutions merged in at a series break are named in the break's column.
WORDED_WITH = {"series_break_merged": "series_break_year"}


def generic_columns(frame: pd.DataFrame, table: str = "") -> list[Column]:
    """Every column of a metric table with its ``col_<name>`` label (a column the labels do not
    know keeps its own name) and a kind from the table, else from its name and type (for
    ``kvalitet flags|survey|integration --out FILE.xlsx|.csv``)."""
    named: dict[str, Column] = {}
    for c in METRIC_COLUMNS.get(table, []):
        named.setdefault(c.source, c)
    out = []
    for name in frame.columns:
        if name in WORDED_WITH and WORDED_WITH[name] in frame.columns:
            continue
        if name in named:
            out.append(named[name])
            continue
        dtype = frame[name].dtype
        if name.endswith("_code") or name in ("sb_id", "studprog_kod"):
            kind = "code"
        elif name == "year" or name.endswith("_year"):
            kind = "year"
        elif pd.api.types.is_bool_dtype(dtype):
            kind = "bool"
        elif name.startswith("share_") or name.endswith("_share"):
            kind = "share"
        elif name.startswith("p_"):
            kind = "p"
        elif pd.api.types.is_integer_dtype(dtype):
            kind = "int"
        elif pd.api.types.is_float_dtype(dtype):
            kind = "score" if name in ("mean", "sd", "ci_low", "ci_high", "change", "mean_previous") else "pct"
        elif name == "source_kind":
            kind = "source"
        elif name in ("level", "measure", "status", "suppression", "semester", "student_category"):
            kind = name
        else:
            kind = "text"
        key = f"col_{name}"
        out.append(Column(name, key if key in LABELS else name, kind))
    return out


# --- writing --------------------------------------------------------------------------------


def _csv_value(value: object, kind: str, lang: str, thresholds: Sequence[float]) -> str:
    """One CSV cell as text for Norwegian (or English) Excel."""
    if _missing(value):
        return ""
    if kind == "share":
        share = float(value)
        return number(share * 100, lang, share_digits(share, thresholds))
    if kind in DIGITS:
        return number(float(value), lang, DIGITS[kind])
    return str(value)


def display_frame(table: PeopleTable, lang: str) -> pd.DataFrame:
    """The table as text for a notebook: every number as the report writes it (decimal comma in
    ``nb``, a share as "26,2 %"), "–" where a value is missing. pandas would show a share as
    0.262026 and a missing value as "<NA>", "NaN" or "None", which an adviser reads as a fault."""
    out = {}
    for (header, values), kind in zip(table.frame.items(), table.kinds, strict=True):
        cells = []
        for v in values:
            text = _csv_value(v, kind, lang, table.thresholds)
            cells.append("–" if _missing(v) else text + (" %" if kind == "share" else ""))
        out[header] = pd.Series(cells, index=table.frame.index, dtype="object")
    return pd.DataFrame(out, index=table.frame.index)


def write_csv_for_people(table: PeopleTable, path: Path, lang: str) -> Path:
    """``;``-separated, decimal comma (``nb``), UTF-8 with byte-order mark: Norwegian Excel
    opens it with æøå and numbers as numbers. Shares are percentages (header "… (%)")."""
    from analysis.outputs import formula_safe_text

    headers = [
        formula_safe_text(h + (" (%)" if k == "share" else ""))
        for h, k in zip(table.frame.columns, table.kinds, strict=True)
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(headers)
    for row in table.frame.itertuples(index=False, name=None):
        # a name such as "=HYPERLINK(…)" is written as text, never as a live formula
        writer.writerow(
            [formula_safe_text(_csv_value(v, k, lang, table.thresholds)) for v, k in zip(row, table.kinds, strict=True)]
        )
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    return path


def sheet_name(text: str) -> str:
    """A valid, at most 31-character Excel sheet name."""
    for bad in "[]:*?/\\":
        text = text.replace(bad, "-")
    return text[:SHEET_NAME_MAX]


def write_workbook(sheets: Sequence[tuple[str, PeopleTable]], path: Path, lang: str, title: str = "") -> Path:
    """One sheet per table, in order: bold frozen header with filters, column widths, number
    formats per kind (percentages with one decimal, or two where one would cross the
    threshold), codes as text."""
    import xlsxwriter

    from analysis.outputs import XLSX_OPTIONS

    # text is always text: never a formula, number or link (analysis.outputs)
    book = xlsxwriter.Workbook(str(path), {**XLSX_OPTIONS, "nan_inf_to_errors": False})
    try:
        book.set_properties({"title": title, "author": "kvalitet", "created": WORKBOOK_CREATED})
        header = book.add_format({"bold": True, "bg_color": "#F3F3F3", "border": 1, "text_wrap": True, "valign": "top"})
        formats = {kind: book.add_format({"num_format": fmt}) for kind, fmt in FORMATS.items()}
        text = book.add_format({"text_wrap": False})
        for name, table in sheets:
            ws = book.add_worksheet(sheet_name(name))
            _write_sheet(ws, table, header, formats, text)
    finally:
        book.close()
    return path


def _write_sheet(ws, table: PeopleTable, header, formats, text) -> None:
    frame = table.frame
    for col, (name, kind) in enumerate(zip(frame.columns, table.kinds, strict=True)):
        ws.write_string(0, col, str(name), header)
        values = frame[name].tolist()
        width = len(str(name)) if len(str(name)) <= 14 else max(14, math.ceil(len(str(name)) / 2))
        for row, value in enumerate(values, start=1):
            if _missing(value) or value == "":  # an empty cell, not a text of no characters
                continue
            if kind == "share":
                share = float(value)
                fmt = formats["share_fine"] if share_digits(share, table.thresholds) > 1 else formats["share"]
                ws.write_number(row, col, share, fmt)
                width = max(width, 8)
            elif kind in FORMATS and kind != "code":
                ws.write_number(row, col, float(value), formats[kind])
                width = max(width, len(f"{float(value):.2f}"))
            else:
                # codes and words are text, whatever they look like (000000 stays 000000)
                ws.write_string(row, col, str(value), formats["code"] if kind == "code" else text)
                width = max(width, len(str(value)))
        ws.set_column(col, col, min(60, width + 2))
    ws.set_row(0, 30 if any(len(str(n)) > 14 for n in frame.columns) else None)
    ws.freeze_panes(1, 0)
    if len(frame.columns):
        ws.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
