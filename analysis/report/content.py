"""The report's content for one year: the follow-up list, the findings, every section with its
year and scope, the figures and the tables, from :class:`analysis.report.data.ReportData`.

This module puts the report together in its order; each part is made in a module of its own:
:mod:`~analysis.report.findings` (the key findings, the note on later years),
:mod:`~analysis.report.gender_section` (the follow-up list, the gender charts, the appendix),
:mod:`~analysis.report.integration_section`, :mod:`~analysis.report.survey_section`,
:mod:`~analysis.report.wellbeing_section` and :mod:`~analysis.report.about` ("Om tallene"), all
from the pieces in :mod:`~analysis.report.parts` (scope words, figures, source lines, years).

:func:`report_content` is pure; :func:`save_content` writes it to a folder that
:mod:`analysis.report.build` assembles (figures as plotly JSON, machine tables as Parquet,
``content.json`` with the outline of the page and the Word document). Nothing here carries a
timestamp, so the same inputs give byte-identical files.

What a section shows, and for which year:

- **Follow-up** and **gender balance**: the report year exactly (a unit's earlier years are in
  the charts and the appendix). Units are named, code beside; grouped by faculty.
- **Integration**, **Studiebarometeret**, **SHoT**: their latest year not after the report
  year, stated in the heading, with a line saying so when it is older than the report year.
- **Studiebarometeret from respondent data**: the indices of the institution and its faculties
  (a faculty report: the institution and the faculty; by name, code beside)
  with n, mean and interval and the change from the year before with the survey table's
  Benjamini–Hochberg mark; the answer distribution of the report unit's items; item means per
  unit. Every value is the disclosure pass's: a hidden cell shows "–" and its
  reason, never a number, and no chart or finding is made from it.
- A section with no data for the institution (or faculty) says exactly that; it never says
  "none flagged" about units nobody judged.
- **No year after the report year**: every table (page, Word, workbook, CSV, Parquet) holds the
  report year and the years before (:func:`~analysis.report.parts.up_to_report_year`); where
  the data hold later years (a 2025 report with Samordna's 2026 admission round), a note under
  the title names them and what they count (:func:`~analysis.report.findings.later_years_note`),
  and it is in the workbook's notes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.charts.labels import (
    label,
)
from analysis.report import document as doc
from analysis.report.about import about_section
from analysis.report.data import ReportData, latest_year
from analysis.report.findings import key_findings, later_years_note, without_faculty_note
from analysis.report.gender_section import (
    followup_section,
    followup_units,
    gender_section_figures,
    history_blocks,
    no_gender_year_text,
    not_a_faculty_note,
    ordered_units,
    unknown_units,
)
from analysis.report.integration_section import integration_section
from analysis.report.parts import (
    ReportFigure,
    figure_blocks,
    own_scope,
    plain,
    report_title,
    source_caption,
    up_to_report_year,
)
from analysis.report.survey_section import named_survey_rows, survey_index_rows, survey_section
from analysis.report.wellbeing_section import wellbeing_section

#: The report folder's figures (plotly JSON), machine tables (Parquet) and outline.
FIGURES_DIR = "figures"
TABLES_DIR = "tables"
CONTENT_FILE = "content.json"


@dataclass
class ReportContent:
    year: int
    institution: str
    lang: str
    title: str = ""
    figures: list[ReportFigure] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    earlier_findings: list[str] = field(default_factory=list)
    followup: pd.DataFrame = field(default_factory=pd.DataFrame)
    unknown: pd.DataFrame = field(default_factory=pd.DataFrame)
    blocks: list[dict] = field(default_factory=list)
    section_years: dict[str, int | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> pd.DataFrame:
        """The follow-up list (the name used before it was grouped by faculty)."""
        return self.followup


def _sorted(frame: pd.DataFrame | None, keys: list[str]) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame()
    keys = [k for k in keys if k in frame.columns]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True) if keys else frame.reset_index(drop=True)


def report_tables(
    data: ReportData, followup: pd.DataFrame, unknown: pd.DataFrame, integration: pd.DataFrame | None
) -> dict[str, pd.DataFrame]:
    """The machine tables (Parquet) of the report, in a fixed row order: every column, codes
    and English values. The tables for people are made from them (:mod:`analysis.report.tables`)."""
    survey = up_to_report_year(data.survey, data.year)
    if survey is not None:
        survey = named_survey_rows(survey, data)
    elif data.portal_index is not None:
        # no respondent-level data: the survey table is the portal's index view (named by NOKUT)
        survey = up_to_report_year(data.portal_index.drop(columns=["source_row"], errors="ignore"), data.year)
    flags = up_to_report_year(data.flags, data.year)
    year_rows = ordered_units(flags[flags["year"] == data.year]) if not flags.empty else flags
    # the index table of the survey section, only with respondent-level data
    index_year = latest_year(data.survey_indices, upto=data.year)
    survey_indices = {} if index_year is None else {"survey_indices": survey_index_rows(data, index_year)}
    return {
        "followup": followup.reset_index(drop=True),
        "unknown": unknown.reset_index(drop=True),
        "gender": year_rows.reset_index(drop=True),
        "flags": _sorted(flags, ["level", "measure", "source_kind", "unit_code", "year"]),
        # as integration_section publishes them (up to the report year, no n of a hidden row)
        "integration": _sorted(integration, ["year", "level", "rank", "institution"]),
        "survey": _sorted(survey, ["year", "survey_year", "level", "unit_code", "sb_id", "item", "dimension_key"]),
        **survey_indices,
        "wellbeing": _sorted(up_to_report_year(data.wellbeing, data.year), ["indicator", "group", "year"]),
    }


def report_content(data: ReportData, lang: str = "nb") -> ReportContent:
    """Everything the report says, in ``lang``: outline, findings, figures and tables."""
    followup = followup_units(data.flags, data.year, data.threshold)
    unknown = unknown_units(data.flags, data.year)
    now, earlier = key_findings(data, lang)
    title = report_title(data, lang)

    blocks = [
        doc.heading(title, 1, "title"),
        doc.paragraph(
            label(f"report_year_basis_{data.year_basis}", lang, year=data.year, institution=data.institution_short),
            "note",
        ),
        *[
            doc.paragraph(note, "note")
            for note in (later_years_note(data, lang), without_faculty_note(data, lang))
            if note
        ],
        doc.heading(label("key_findings", lang, year=data.year), 2, "findings"),
        doc.bullets(now or [label("no_findings", lang, year=data.year)], "findings-list"),
    ]
    if earlier:
        blocks += [
            doc.heading(label("earlier_findings", lang), 3, "earlier-findings"),
            doc.bullets(earlier, "earlier-findings-list"),
        ]
    blocks += followup_section(data, lang, followup, unknown)

    gender_figures, history_figures = gender_section_figures(data, lang)
    scope = own_scope(data, lang)
    # no figures of the report year: the heading claims no year, the text says which the data has
    heading = (
        label("heading_gender", lang, year=data.year, scope=scope)
        if gender_figures
        else label("heading_gender_none", lang, scope=scope)
    )
    blocks.append(doc.heading(heading, 2, "gender"))
    if data.flags.empty:
        blocks.append(doc.paragraph(label("no_gender_data", lang, scope=scope)))
    elif not gender_figures:
        blocks.append(doc.paragraph(no_gender_year_text(data, lang)))
    note = not_a_faculty_note(data, lang)
    if note and gender_figures:
        blocks.append(doc.paragraph(note, "note"))
    blocks += figure_blocks(gender_figures)

    integration_blocks, integration_figures, iyear, integration = integration_section(data, lang)
    survey_blocks, survey_figures, syear = survey_section(data, lang)
    wellbeing_blocks, wellbeing_figures, wyear = wellbeing_section(data, lang)
    blocks += integration_blocks + figure_blocks(integration_figures)
    blocks += survey_blocks  # its figures are in place, under their sub-headings
    blocks += wellbeing_blocks + figure_blocks(wellbeing_figures)

    history = history_blocks(data, lang) if not data.flags.empty else []
    if history or history_figures:
        blocks.append(doc.heading(label("heading_appendix", lang, scope=scope), 2, "appendix"))
        blocks.append(doc.paragraph(label("appendix_intro", lang)))
        blocks += history
        blocks += figure_blocks(history_figures)

    blocks += about_section(data, lang)

    figures = gender_figures + integration_figures + survey_figures + wellbeing_figures + history_figures
    names = [f.name for f in figures]
    if len(names) != len(set(names)):
        raise ValueError(f"two report figures share a name: {sorted(n for n in names if names.count(n) > 1)}")
    return ReportContent(
        year=data.year,
        institution=data.institution,
        lang=lang,
        title=title,
        figures=figures,
        tables=report_tables(data, followup, unknown, integration),
        findings=now,
        earlier_findings=earlier,
        followup=followup,
        unknown=unknown,
        blocks=blocks,
        section_years={
            "followup": data.year,
            "unknown": data.year,
            "gender": data.year,
            "integration": iyear,
            "survey": syear,
            "wellbeing": wyear,
        },
        warnings=list(data.warnings),
    )


def save_content(content: ReportContent, out_dir: Path | str) -> Path:
    """Write figures (plotly JSON), machine tables (Parquet) and ``content.json`` (the
    outline, findings, figure list and section years) to ``out_dir``."""
    out_dir = Path(out_dir)
    (out_dir / FIGURES_DIR).mkdir(parents=True, exist_ok=True)
    (out_dir / TABLES_DIR).mkdir(parents=True, exist_ok=True)
    for fig in content.figures:
        (out_dir / FIGURES_DIR / f"{fig.name}.json").write_text(fig.figure.to_json(), encoding="utf-8")
    for name, frame in content.tables.items():
        frame.to_parquet(out_dir / TABLES_DIR / f"{name}.parquet", index=False)
    meta = {
        "year": content.year,
        "institution": content.institution,
        "lang": content.lang,
        "title": content.title,
        "figures": [
            {
                "name": f.name,
                "section": f.section,
                "title": plain(f.figure.layout.title.text),
                "alt": f.alt,
                "caption": source_caption(f.figure),
            }
            for f in content.figures
        ],
        "tables": list(content.tables),
        "section_years": content.section_years,
        "findings": content.findings,
        "earlier_findings": content.earlier_findings,
        "blocks": content.blocks,
        "warnings": content.warnings,
    }
    (out_dir / CONTENT_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out_dir


__all__ = [
    "CONTENT_FILE",
    "FIGURES_DIR",
    "TABLES_DIR",
    "ReportContent",
    "report_content",
    "report_tables",
    "save_content",
]
