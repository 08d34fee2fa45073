"""The report's tables for people: ``kvalitetsmelding.xlsx`` (first sheet: this year's
follow-up list; then one sheet per section; the history as an appendix sheet) and one CSV per
table for Norwegian Excel, both made from the machine tables (Parquet) through
:mod:`analysis.report.tables`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path

import pandas as pd

from analysis.charts.labels import label, thresholds_of
from analysis.report import document as doc
from analysis.report import tables as t
from analysis.report.about import ABOUT_LIST

WORKBOOK_NAME = "kvalitetsmelding.xlsx"

#: (machine table, its columns for people, sheet-name label, section whose year the sheet
#: name carries), in workbook order: this year's follow-up list first.
REPORT_SHEETS: tuple[tuple[str, list[t.Column] | None, str, str | None], ...] = (
    ("followup", t.FOLLOWUP, "sheet_followup", "followup"),
    ("unknown", t.UNKNOWN, "sheet_unknown", "unknown"),
    ("gender", t.GENDER, "sheet_gender", "gender"),
    ("integration", t.INTEGRATION, "sheet_integration", "integration"),
    ("survey", None, "sheet_survey", "survey"),  # portal indices or respondent aggregates
    ("survey_indices", t.SURVEY_INDICES, "sheet_survey_indices", "survey"),
    ("wellbeing", t.WELLBEING, "sheet_wellbeing", "wellbeing"),
    ("flags", t.GENDER, "sheet_history", None),
)
#: Sheets written only when the report has the table: the survey section's index table exists
#: only with respondent-level Studiebarometeret data.
OPTIONAL_SHEETS = frozenset({"survey_indices"})
#: The sheets every report has, in order, by machine table name (tests and readers find them by
#: this); an optional sheet comes at its place in :data:`REPORT_SHEETS` when present.
WORKBOOK_SHEETS = tuple(name for name, *_ in REPORT_SHEETS if name not in OPTIONAL_SHEETS)


def _columns(name: str, spec: list[t.Column] | None, frame: pd.DataFrame) -> list[t.Column]:
    if spec is not None:
        return spec
    return t.PORTAL if "sb_id" in frame.columns else t.generic_columns(frame)


def _years(frame: pd.DataFrame, section_year: int | None) -> str:
    """What a sheet's name says of its years: the years its rows hold ("2023–2025" where they
    are several: a sheet named for one year holds that year alone), else the section's year."""
    years = sorted({int(y) for y in frame["year"].dropna()}) if "year" in frame.columns else []
    if len(years) > 1:
        return f"{years[0]}–{years[-1]}"
    if years:
        return str(years[0])
    return str(section_year) if section_year is not None else ""


def report_people_tables(
    tables: dict[str, pd.DataFrame],
    lang: str,
    threshold: Fraction | float | None,
    section_years: dict[str, int | None],
    levels: Mapping[str, float],
) -> list[tuple[str, str, t.PeopleTable]]:
    """(machine name, sheet name, table for people) for every report sheet, in order; ``levels``:
    the settings' confidence levels (:func:`analysis.charts.labels.confidence_levels`)."""
    out = []
    for name, spec, sheet_key, section in REPORT_SHEETS:
        if name in OPTIONAL_SHEETS and name not in tables:
            continue
        frame = tables.get(name, pd.DataFrame())
        sheet = t.sheet_name(
            label(sheet_key, lang, year=_years(frame, section_years.get(section) if section else None)).strip()
        )
        thresholds = thresholds_of(threshold) if name in ("followup", "unknown", "gender", "flags") else ()
        out.append((name, sheet, t.people_table(frame, _columns(name, spec, frame), lang, thresholds, levels)))
    return out


def notes_table(blocks: Sequence[dict], lang: str) -> t.PeopleTable:
    """The report's notes, each under the part of the report it stands in: what the report says
    under its tables and charts (what a "–" is, where the numbers come from, why a column is
    empty, and the rules of "Om tallene"), for the workbook, which travels without the report."""
    # notes before the first section are about the whole report
    rows, part = [], label("report_part_whole", lang)
    for block in blocks:
        if block.get("kind") == "heading" and block.get("level") in (2, 3):
            part = str(block["text"])
        elif block.get("kind") == "paragraph" and block.get("style") in ("note", doc.NO_DATA):
            rows.append((part, str(block["text"])))
        elif block.get("kind") == "bullets" and block.get("id") == ABOUT_LIST:
            rows += [(part, str(item)) for item in block["items"]]  # the rules behind the numbers
        elif block.get("kind") == "table" and block.get("source"):
            rows.append((part, str(block["source"])))
    frame = pd.DataFrame(rows, columns=[label("col_report_part", lang), label("col_note", lang)])
    return t.PeopleTable(frame, ["text", "text"])


def write_report_tables(
    tables: dict[str, pd.DataFrame],
    out_dir: Path,
    tables_dir: Path,
    lang: str,
    *,
    threshold: Fraction | float | None,
    levels: Mapping[str, float],
    section_years: dict[str, int | None],
    title: str,
    blocks: Sequence[dict] = (),
) -> tuple[Path, list[Path]]:
    """Write ``kvalitetsmelding.xlsx`` into ``out_dir`` and ``NAME.csv`` per table into
    ``tables_dir``; returns the workbook and the CSV files. ``blocks``: the report's, whose
    notes make the workbook's last sheet (:func:`notes_table`)."""
    people = report_people_tables(tables, lang, threshold, section_years, levels)
    sheets = [(sheet, table) for _, sheet, table in people]
    if blocks:
        sheets.append((label("sheet_notes", lang), notes_table(blocks, lang)))
    book = t.write_workbook(sheets, out_dir / WORKBOOK_NAME, lang, title)
    csvs = [t.write_csv_for_people(table, tables_dir / f"{name}.csv", lang) for name, _, table in people]
    return book, csvs


def write_workbook(
    tables: dict[str, pd.DataFrame],
    path: Path,
    lang: str,
    *,
    levels: Mapping[str, float],
    threshold: Fraction | float | None = None,
    section_years: dict[str, int | None] | None = None,
    title: str = "",
) -> Path:
    """The report workbook alone (see :func:`write_report_tables`)."""
    people = report_people_tables(tables, lang, threshold, section_years or {}, levels)
    return t.write_workbook([(sheet, table) for _, sheet, table in people], path, lang, title)
