"""The report's content for one year: the follow-up list, the findings, every section with its
year and scope, the figures and the tables, from :class:`analysis.report.data.ReportData`.

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
  (by name, code beside) with n, mean and interval and the change from the year before with the
  survey table's Benjamini–Hochberg mark; the answer distribution of the institution's items;
  item means per unit. Every value is the disclosure pass's: a hidden cell shows "–" and its
  reason, never a number, and no chart or finding is made from it.
- A section with no data for the institution (or faculty) says exactly that; it never says
  "none flagged" about units nobody judged.
- **No year after the report year**: every table (page, Word, workbook, CSV, Parquet) holds the
  report year and the years before (:func:`up_to_report_year`); where the data hold later
  years (a 2025 report with Samordna's 2026 admission round), a note under the title names
  them and what they count (:func:`later_years_note`), and it is in the workbook's notes.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import overload

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts import (
    gender_share_bars,
    gender_trend,
    integration_ranking,
    portal_history_chart,
    portal_index_chart,
    survey_distribution_chart,
    survey_items_chart,
)
from analysis.charts.common import SOURCE_NOTE_NAME
from analysis.charts.labels import (
    change_words,
    count_range,
    counted,
    gap_words,
    interval_text,
    label,
    noun,
    number,
    pct,
    share_text,
    shown_code,
    thresholds_of,
    value_label,
)
from analysis.charts.labels import measure_text as label_measure
from analysis.charts.survey import portal_marks
from analysis.charts.wellbeing import wellbeing_indicator, wellbeing_scope
from analysis.metrics.unit_names import names_as_of, portal_programme_names
from analysis.org_units import UNSPECIFIED_FACULTY
from analysis.report import document as doc
from analysis.report.about import about_section
from analysis.report.data import ReportData, latest_year, source_labels, source_short, sources_for, sources_sentence
from analysis.report.tables import faculty_words, reason_words, trend_words, unit_words
from analysis.settings import SCORE_DIGITS

FIGURES_DIR = "figures"
TABLES_DIR = "tables"
CONTENT_FILE = "content.json"

#: NOTE: the field benchmark of a programme — the national share of the under-represented
#: gender in the same field (NUS code) — comes from the gender metric when the programme-level
#: DBH readers deliver it. This is the one place the report looks for it: when the flags have
#: this column, the follow-up list, the gender tables and the workbook show it ("Fagfeltet
#: nasjonalt"); when they do not, nothing is shown and nothing is guessed.
FIELD_BENCHMARK = "field_underrepresented_share"

LEVEL_ORDER = {"institution": 0, "faculty": 1, "department": 2, "programme": 3}
#: The SHoT indicator of the headline finding.
HEADLINE_INDICATOR = "alvorlige_psykiske_symptomplager"
#: Sections in the order of the report, each with its machine table.
SECTIONS = ["followup", "gender", "integration", "survey", "wellbeing", "appendix"]


@dataclass
class ReportFigure:
    name: str  # stable file name stem: [a-z0-9_]
    section: str
    figure: go.Figure
    alt: str = ""


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


def slug(text: str) -> str:
    """A stable, safe file-name part: ``1150_mttk-trondheim`` -> ``1150_mttk_trondheim``."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_") or "x"


# --- scope and names ------------------------------------------------------------------------


def own_scope(data: ReportData, lang: str) -> str:
    """ "NTNU (egen institusjon)" or, for a faculty report, "Fakultet for … (271), NTNU"."""
    if data.faculty:
        return label(
            "scope_faculty", lang, faculty=f"{data.faculty_name} ({data.faculty})", institution=data.institution_short
        )
    return label("scope_own", lang, institution=data.institution_short)


def chart_scope(data: ReportData, lang: str, *, institutions: bool = False) -> str:
    """Whose units a chart shows, for its title: "NTNU", or in a faculty report "Fakultet for …
    (271), NTNU". The names are :func:`own_scope`'s, without "(egen institusjon)": a chart handed
    on is read outside the report, where "own" says nothing. A chart of ``institutions`` (the
    integration scores, the own institution among others) names the institution in a faculty
    report too: its figures are the institution's, not the faculty's."""
    return own_scope(data, lang) if data.faculty and not institutions else data.institution_short


def report_title(data: ReportData, lang: str) -> str:
    if data.faculty:
        return label(
            "report_title_faculty", lang, year=data.year, faculty=data.faculty_name, institution=data.institution_short
        )
    return label("report_title", lang, year=data.year, institution=data.institution_short)


def unit_with_code(row: pd.Series, lang: str) -> str:
    """ "Fakultet for ingeniørvitenskap (271)"; "Enhet uten navn i kildene (210220)" where no
    source names the unit."""
    name, code = unit_words(row, lang), shown_code(row.get("unit_code"), row.get("source_kind"))
    if pd.isna(code):
        return name
    return f"{name} ({code})"


def _measure(row: pd.Series, lang: str) -> str:
    """The measure as counted: table, and semester and student category where it has them."""
    return label_measure(row["measure"], row.get("semester"), row.get("student_category"), lang)


# --- gender: the follow-up list -------------------------------------------------------------


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    """Grouped by faculty (the institution as a whole first, units without a faculty last),
    then level, measure, most students needed first."""
    if rows.empty:
        return rows
    fac = rows["faculty_code"].astype("string")
    group = np.where(rows["level"] == "institution", 0, np.where(fac.notna(), 1, 2))
    out = rows.assign(_g=group, _f=fac.fillna(""), _l=rows["level"].map(LEVEL_ORDER))
    keys = [
        ("_g", True),
        ("_f", True),
        ("_l", True),
        ("measure", True),
        ("students_needed", False),
        ("underrepresented_share", True),
        ("unit_code", True),
    ]
    keys = [(k, a) for k, a in keys if k in out.columns]
    out = out.sort_values([k for k, _ in keys], ascending=[a for _, a in keys], na_position="last", kind="stable")
    return out.drop(columns=["_g", "_f", "_l"]).reset_index(drop=True)


#: The follow-up table's students needed as two numbers (the workbook's and the notebook's
#: columns, which a spreadsheet sorts and sums): the fewest and the most over a unit's interval,
#: both the exact number where the counts are known (the report's own table writes the same range
#: as text, "700–715": :func:`needed_cells`, from the same metric function).
NEEDED_RANGE = ("students_needed_fewest", "students_needed_most")


def followup_units(flags: pd.DataFrame, year: int, threshold: Fraction) -> pd.DataFrame:
    """The units flagged in ``year`` exactly (every measure and level), ordered for the list:
    by faculty, then level, then most students needed. All flag columns are kept, and the
    students needed as a range (:data:`NEEDED_RANGE`, from the ``threshold`` the flags were
    computed with): a unit flagged from an interval has no exact number, but has these."""
    from analysis.metrics.gender import students_needed_range

    if flags.empty:
        return flags.assign(**{c: pd.array([], dtype="Int64") for c in NEEDED_RANGE})
    rows = _ordered(flags[(flags["year"] == year) & (flags["status"] == "flagged")])
    fewest, most = students_needed_range(rows, threshold)
    return rows.assign(**dict(zip(NEEDED_RANGE, (fewest.astype("Int64"), most.astype("Int64")), strict=True)))


def unknown_units(flags: pd.DataFrame, year: int) -> pd.DataFrame:
    """Units with students in ``year`` whose status could not be decided (suppressed counts, or
    suppressed departments that leave the outcome open). Empty units (no students) are not
    listed: there is nothing to judge or follow up."""
    if flags.empty:
        return flags.copy()
    rows = flags[(flags["year"] == year) & (flags["status"] == "unknown")]
    rows = rows[~rows["total"].eq(0).fillna(False).astype(bool)]
    return _ordered(rows)


def _share_cell(row: pd.Series, column: str, lang: str, thresholds: tuple[float, ...]) -> str:
    """A share as the tables print it; where the share is an interval (suppressed departments
    inside a faculty) the interval, read from the same columns the chart draws."""
    value = row.get(column)
    if pd.notna(value):
        return share_text(value, lang, thresholds)
    low, high, total = row.get("women_low"), row.get("women_high"), row.get("total")
    if (
        column in ("share_women", "underrepresented_share")
        and pd.notna(low)
        and pd.notna(high)
        and pd.notna(total)
        and total > 0
    ):
        lo, hi = float(low) / float(total), float(high) / float(total)
        if column == "underrepresented_share":
            if row.get("underrepresented") == "men":
                lo, hi = 1 - hi, 1 - lo
            elif row.get("underrepresented") != "women":
                return "–"
        return interval_text(lo, hi, lang, thresholds)
    return "–"


def needed_cells(rows: pd.DataFrame, threshold: Fraction) -> pd.Series:
    """The follow-up list's "Antall som trengs" per row: the number; for a unit flagged from an
    interval (suppressed departments inside it) the fewest and the most over that interval
    ("1860–1875", :func:`analysis.metrics.gender.students_needed_range`); "–" where the source
    gives only a share."""
    from analysis.metrics.gender import students_needed_range

    fewest, most = students_needed_range(rows, threshold)
    cells = [_count_cell(n) for n in rows["students_needed"]]
    for i, (n, lo, hi) in enumerate(zip(rows["students_needed"], fewest, most, strict=True)):
        if pd.isna(n) and pd.notna(lo) and pd.notna(hi):
            cells[i] = count_range(int(lo), int(hi))
    return pd.Series(cells, index=rows.index, dtype="object")


def followup_block(rows: pd.DataFrame, lang: str, threshold: Fraction, *, caption: str, source: str) -> dict:
    """The follow-up list as a table block: one group row per faculty, one row per unit."""
    thresholds = thresholds_of(threshold)
    needed = needed_cells(rows, threshold)
    benchmark = FIELD_BENCHMARK in rows.columns
    columns = [
        label("col_unit_with_code", lang),
        label("col_level", lang),
        label("col_measure", lang),
        label("col_underrepresented_and_share", lang),
        # the share's base: 0,0 % of 6 first-choice applicants and of 600 read alike without it
        label("col_total", lang),
    ]
    numeric = [False, False, False, False, True]
    if benchmark:
        columns.append(label("col_field_benchmark", lang))
        numeric.append(True)
    columns += [
        label("col_students_needed", lang),
        label("col_years_flagged", lang),
        label("col_trend", lang),
        label("source", lang),
    ]
    numeric += [True, True, False, False]
    out, group = [], None
    for (_, row), needed_text in zip(rows.iterrows(), needed, strict=True):
        g = faculty_words(row, lang)
        if g != group:
            out.append(doc.group_row(g))
            group = g
        gender = row.get("underrepresented")
        # the under-represented gender with *its* share: "menn 26,2 %"
        gender_text = label(gender, lang) if gender in ("women", "men") else "–"
        cells = [
            unit_with_code(row, lang),
            value_label("level", row["level"], lang),
            _measure(row, lang),
            f"{gender_text} {_share_cell(row, 'underrepresented_share', lang, thresholds)}",
            _count_cell(row.get("total")),
        ]
        if benchmark:
            cells.append(share_text(row.get(FIELD_BENCHMARK), lang))
        cells += [
            needed_text,
            str(int(row["consecutive_years_flagged"])),
            trend_words(row.get("trend"), gender, lang),
            source_short(row["source_kind"], lang),
        ]
        out.append(doc.cells_row(cells))
    return doc.table("followup", columns, out, numeric, caption=caption, source=source)


def _count_cell(value: object) -> str:
    """A count in a table cell: "–" where it is unknown (a share without counts, a suppressed
    part), never 0."""
    return "–" if value is None or pd.isna(value) else str(int(value))


def unknown_block(rows: pd.DataFrame, lang: str, *, caption: str, source: str) -> dict:
    columns = [
        label("col_unit_with_code", lang),
        label("col_level", lang),
        label("col_measure", lang),
        label("col_total", lang),
        label("col_reason", lang),
        label("source", lang),
    ]
    out, group = [], None
    for _, row in rows.iterrows():
        g = faculty_words(row, lang)
        if g != group:
            out.append(doc.group_row(g))
            group = g
        out.append(
            doc.cells_row(
                [
                    unit_with_code(row, lang),
                    value_label("level", row["level"], lang),
                    _measure(row, lang),
                    _count_cell(row.get("total")),
                    reason_words(row, lang),
                    source_short(row["source_kind"], lang),
                ]
            )
        )
    return doc.table("unknown", columns, out, [False, False, False, True, False, False], caption=caption, source=source)


def _sources_line(frame: pd.DataFrame, data: ReportData, lang: str, kind: str | None = None) -> str:
    """ "Kilder: DBH (HK-dir), tabell 123 …, hentet …." for the rows of a table."""
    return sources_sentence(sources_for(frame, data.retrieved, lang, kind=kind), lang)


def _followup_section(data: ReportData, lang: str, followup: pd.DataFrame, unknown: pd.DataFrame) -> list[dict]:
    year, scope = data.year, own_scope(data, lang)
    blocks = [doc.heading(label("heading_followup", lang, year=year, scope=scope), 2, "followup")]
    flags = data.flags
    if flags.empty:
        return blocks + [doc.paragraph(label("no_gender_data", lang, scope=scope))]
    this_year = flags[flags["year"] == year]
    if this_year.empty:
        return blocks + [doc.paragraph(label("no_gender_year", lang, scope=scope, year=year, last=latest_year(flags)))]
    blocks.append(
        doc.paragraph(
            label(
                "followup_intro",
                lang,
                pct=pct(data.threshold, lang),
                year=year,
                window=data.settings.gender.trend_window_years,
            )
        )
    )
    if followup.empty:
        judged = int(this_year["status"].isin(["flagged", "ok"]).sum())
        blocks.append(doc.paragraph(label("followup_none", lang, year=year, n=counted(judged, "unit", lang))))
    else:
        caption = label(
            "followup_caption", lang, year=year, scope=chart_scope(data, lang), pct=pct(data.threshold, lang)
        )
        blocks.append(
            followup_block(followup, lang, data.threshold, caption=caption, source=_sources_line(followup, data, lang))
        )
        if FIELD_BENCHMARK in followup.columns:
            blocks.append(doc.paragraph(label("followup_benchmark", lang), "note"))
            if followup[FIELD_BENCHMARK].isna().all():
                # the field needs each programme's NUS code (DBH table 347): say why the column
                # is empty rather than leave "–" unexplained
                blocks.append(doc.paragraph(label("followup_benchmark_missing", lang), "note"))
        # (the range followup_units gives every flagged unit: none known where the table has
        # "–", two numbers where it has a range)
        fewest, most = (followup[c] for c in NEEDED_RANGE)
        if fewest.isna().any():
            # "–" in a column of counts is explained, never left to read as "none needed"
            blocks.append(doc.paragraph(label("followup_needed_unknown", lang), "note"))
        if (fewest != most).fillna(False).any():
            # a range says why it is not one number
            blocks.append(doc.paragraph(label("followup_needed_range", lang), "note"))
        if _has_unnamed(followup, lang):
            blocks.append(doc.paragraph(label("unit_unnamed_note", lang), "note"))
    if not unknown.empty:
        blocks.append(doc.heading(label("heading_unknown", lang, year=year, scope=scope), 3, "unknown"))
        blocks.append(doc.paragraph(label("unknown_intro", lang, year=year)))
        caption = label("unknown_caption", lang, year=year, scope=chart_scope(data, lang))
        blocks.append(unknown_block(unknown, lang, caption=caption, source=_sources_line(unknown, data, lang)))
        if _has_unnamed(unknown, lang):
            blocks.append(doc.paragraph(label("unit_unnamed_note", lang), "note"))
    return blocks


def _has_unnamed(rows: pd.DataFrame, lang: str) -> bool:
    """Whether a listed unit has no name in any source (the reader is told why and what to fetch)."""
    return any(unit_words(row, lang) == label("unit_unnamed", lang) for _, row in rows.iterrows())


# --- figures --------------------------------------------------------------------------------


def _plain(text: object) -> str:
    """Chart text (escaped for plotly, with <br> and <b>) as plain text for the outline."""
    return html.unescape(re.sub(r"<[^>]+>", " ", str(text or ""))).replace("  ", " ").strip()


def alt_text(fig: go.Figure, lang: str, summary: str = "") -> str:
    """What a reader who cannot see the chart needs: its kind, title, subtitle, series and a
    summary sentence."""
    kinds = {t.type for t in fig.data}
    mode = {getattr(t, "mode", None) or "" for t in fig.data if t.type == "scatter"}
    kind = (
        "alt_bars"
        if "bar" in kinds
        else ("alt_lines" if any("lines" in m for m in mode) else ("alt_dots" if kinds else "alt_chart"))
    )
    parts = [f"{label(kind, lang)}: {_plain(fig.layout.title.text)}."]
    if fig.layout.title.subtitle and fig.layout.title.subtitle.text:
        parts.append(_plain(fig.layout.title.subtitle.text) + ".")
    names = list(dict.fromkeys(_plain(t.name) for t in fig.data if t.name and t.showlegend is not False))
    if names:
        parts.append(label("alt_series", lang, names=", ".join(names)))
    if summary:
        parts.append(summary)
    return " ".join(parts)


def source_caption(fig: go.Figure) -> str:
    """The source line printed under the chart, as one line of plain text."""
    notes = [a.text for a in fig.layout.annotations if a.name == SOURCE_NOTE_NAME]
    return _plain(" ".join(str(n).replace("<br>", " ") for n in notes))


def _figure(name: str, section: str, fig: go.Figure, lang: str, summary: str = "") -> ReportFigure:
    return ReportFigure(name, section, fig, alt_text(fig, lang, summary))


def _gender_figures(data: ReportData, lang: str) -> tuple[list[ReportFigure], list[ReportFigure]]:
    """(figures of the gender section, figures of the appendix). Bars for the report year;
    trends up to it; a programme series that ended before the report year goes to the
    appendix."""
    flags = data.flags
    now: list[ReportFigure] = []
    history: list[ReportFigure] = []
    if flags.empty:
        return now, history
    registered = flags[flags["measure"].astype("string").str.startswith("registered").fillna(False)]
    for level, name in (("faculty", "kjonn_fakultet"), ("department", "kjonn_institutt")):
        rows = registered[(registered["level"] == level) & (registered["year"] == data.year)]
        if rows.empty:
            continue
        # every unit of the year, whichever file it came from: the flags hold one version of the
        # measure and one source per unit and year (data.one_version_per_measure); keeping only
        # the first source kind would drop units another file gives (or a faculty summed from two)
        fig = gender_share_bars(
            rows,
            year=data.year,
            level=level,
            scope=chart_scope(data, lang),
            sources=sources_for(rows, data.retrieved, lang),
            lang=lang,
            threshold=data.threshold,
        )
        judged = rows["status"].isin(["flagged", "ok"])
        now.append(
            _figure(
                name,
                "gender",
                fig,
                lang,
                label(
                    "alt_gender_bars",
                    lang,
                    flagged=int((rows["status"] == "flagged").sum()),
                    total=counted(int(judged.sum()), "unit", lang),
                ),
            )
        )
    faculty = registered[
        (registered["level"] == "faculty")
        & (registered["unit_code"] != UNSPECIFIED_FACULTY)
        & (registered["year"] <= data.year)
    ]
    if not faculty.empty and (faculty["year"] == data.year).any():
        now.append(
            _figure(
                "kjonn_fakultet_utvikling",
                "gender",
                gender_trend(
                    faculty,
                    scope=chart_scope(data, lang),
                    sources=sources_for(faculty, data.retrieved, lang),
                    lang=lang,
                    threshold=data.threshold,
                ),
                lang,
            )
        )
    programmes = flags[(flags["level"] == "programme") & (flags["year"] <= data.year)]
    # one chart per measure, not per file: a measure's programmes may come from two files of one
    # source (Samordna's national excerpt and its programme sample; one_version_per_measure keeps
    # one source per unit and year). The name keeps the first source kind, as it was for one file.
    for measure, rows in programmes.groupby("measure", sort=True):
        kind = sorted(set(rows["source_kind"].astype(str)))[0]
        fig = gender_trend(
            rows,
            scope=chart_scope(data, lang),
            sources=sources_for(rows, data.retrieved, lang),
            lang=lang,
            threshold=data.threshold,
        )
        item = _figure(f"kjonn_program_{slug(measure)}_{slug(kind)}", "gender", fig, lang)
        if (rows["year"] == data.year).any():
            now.append(item)
        else:
            item.section = "appendix"
            history.append(item)
    return now, history


def _no_data_text(what: str, scope: str, data: ReportData, lang: str, *frames: tuple[pd.DataFrame | None, str]) -> str:
    """The line of a section with nothing up to the report year: "none in the data", or, where
    the data has the section's figures only after the report year, that and from when (a report
    for an earlier year, or one whose year the registered counts set earlier than the survey's:
    "no results in the data" would then be untrue)."""
    later = [
        int(y)
        for frame, column in frames
        if frame is not None and column in frame
        for y in pd.to_numeric(frame[column], errors="coerce").dropna()
        if y > data.year
    ]
    if later:
        return label(
            "no_section_data_later", lang, what=label(what, lang), scope=scope, report_year=data.year, first=min(later)
        )
    return label("no_section_data", lang, what=label(what, lang), scope=scope)


def _integration_scores(data: ReportData) -> tuple[pd.DataFrame | None, str | None, tuple[str, ...]]:
    """The integration rows ranked within the comparison group, the own institution's name as
    the data writes it, and the configured group (empty: every institution in the data)."""
    from analysis.metrics.integration import rank_in_group

    scores = data.integration
    if scores is None or scores.empty:
        return None, None, ()
    names = set(scores["institution"].dropna())
    own = next((n for n in (data.institution_short, data.institution) if n in names), None)
    group = tuple(data.settings.integration.comparison_group)
    if group:
        # a peer group lists the others; the report ranks its own institution among them
        members = group + tuple(n for n in (own,) if n and n.casefold() not in {g.casefold() for g in group})
        scores = rank_in_group(scores, members)
    return scores, own, group


def _group_text(rows: pd.DataFrame, group: tuple[str, ...], lang: str) -> str:
    if group:
        members = rows.loc[rows["in_comparison_group"].astype(bool), "institution"].dropna().unique()
        return label("scope_comparison_group", lang, members=", ".join(sorted(members)))
    return label("scope_comparison_all", lang)


def _n_text(rows: pd.DataFrame, lang: str) -> str:
    n = pd.to_numeric(rows["n"], errors="coerce")
    if n.notna().any():
        known = f"{int(n.min())}–{int(n.max())}" if n.min() != n.max() else int(n.min())
        return label("n_known", lang, n=counted(known, "answer", lang))
    return label("n_unknown", lang)


def _n_unknown_note(table: pd.DataFrame, lang: str) -> str:
    """The note that says why the integration table's count of answers is empty in some rows:
    the source gave no count (the 2017 extract gives means only). An unknown count stays an
    empty cell of a column of numbers in the workbook (numbers stay numbers, for sorting and
    sums); this note, under the section's heading, travels with it to the workbook's notes
    sheet, as the follow-up list's "–" notes do. "" where every row has its count."""
    missing = table[pd.to_numeric(table["n"], errors="coerce").isna()]
    if missing.empty:
        return ""
    years = ", ".join(str(y) for y in sorted({int(y) for y in missing["year"].dropna()}))
    return label("integration_n_unknown", lang, column=label("col_n", lang), years=years)


def integration_section(
    data: ReportData, lang: str
) -> tuple[list[dict], list[ReportFigure], int | None, pd.DataFrame | None]:
    """(outline blocks, figures, survey year, scores ranked within the comparison group)."""
    scores, own, group = _integration_scores(data)
    yr = latest_year(scores, upto=data.year) if scores is not None else None
    if yr is None:
        scope = label("scope_comparison_all", lang)
        return (
            [
                doc.heading(label("heading_integration", lang, year=data.year, scope=scope), 2, "integration"),
                doc.paragraph(_no_data_text("what_integration", own_scope(data, lang), data, lang, (scores, "year"))),
            ],
            [],
            None,
            scores,
        )
    rows = scores[scores["year"] == yr]
    group_text = _group_text(rows, group, lang)
    blocks = [doc.heading(label("heading_integration", lang, year=yr, scope=group_text), 2, "integration")]
    if yr < data.year:
        blocks.append(doc.paragraph(label("older_data", lang, year=yr, report_year=data.year), "note"))
    blocks.append(doc.paragraph(label("integration_intro", lang, group=group_text)))
    if (rows["source_kind"].astype("string") == "seed-integration").any():
        # an institution that is not in the extract is not "shown" by it (the note would say so)
        note = "integration_extract_note" if own else "integration_extract_absent"
        blocks.append(doc.paragraph(label(note, lang, institution=own or data.institution_short), "note"))
    unknown_n = _n_unknown_note(up_to_report_year(scores, data.year), lang)
    if unknown_n:
        blocks.append(doc.paragraph(unknown_n, "note"))
    figures = []
    for level in sorted(rows["level"].unique()):
        part = rows[rows["level"] == level]
        ranked = int(part["rank"].notna().sum())
        subtitle = label("integration_subtitle", lang, ranked=ranked, group=group_text, n=_n_text(part, lang))
        fig = integration_ranking(
            rows,
            year=yr,
            level=level,
            highlight=own,
            subtitle=subtitle,
            scope=chart_scope(data, lang, institutions=True),
            sources=sources_for(part, data.retrieved, lang),
            lang=lang,
        )
        figures.append(
            _figure(
                f"integrering_{slug(level)}",
                "integration",
                fig,
                lang,
                _integration_sentence(part, own, yr, level, group_text, lang),
            )
        )
    return blocks, figures, yr, scores


def _integration_sentence(rows: pd.DataFrame, own: str | None, yr: int, level: str, group_text: str, lang: str) -> str:
    mine = rows[(rows["institution"] == own) & rows["rank"].notna()] if own else rows.iloc[:0]
    if mine.empty:
        return ""
    r = mine.iloc[0]
    return label(
        "finding_integration",
        lang,
        year=yr,
        level=value_label("level", level, lang),
        institution=own,
        rank=int(r["rank"]),
        total=int(r["units_ranked"]),
        group=group_text,
        gap_best=gap_words(r["gap_to_best"], "best", lang),
        gap_median=gap_words(r["gap_to_median"], "median", lang),
    )


def _survey_section(data: ReportData, lang: str) -> tuple[list[dict], list[ReportFigure], int | None]:
    """(outline blocks with the figures in place, figures, the section's year): the portal's
    index view and, with respondent-level data, the indices, answer distributions and item
    means (:func:`respondent_survey_blocks`)."""
    scope = own_scope(data, lang)
    index, survey = data.portal_index, data.survey
    years = [
        y
        for y in (
            latest_year(index, "survey_year", upto=data.year) if index is not None else None,
            latest_year(survey, upto=data.year) if survey is not None else None,
        )
        if y is not None
    ]
    if not years:
        return (
            [
                doc.heading(label("heading_survey", lang, year=data.year, scope=scope), 2, "survey"),
                doc.paragraph(
                    _no_data_text("what_survey", scope, data, lang, (index, "survey_year"), (survey, "year"))
                ),
            ],
            [],
            None,
        )
    yr = max(years)
    blocks = [doc.heading(label("heading_survey", lang, year=yr, scope=scope), 2, "survey")]
    if yr < data.year:
        blocks.append(doc.paragraph(label("older_data", lang, year=yr, report_year=data.year), "note"))
    figures: list[ReportFigure] = []
    if index is not None and not index.empty:
        blocks.append(doc.paragraph(label("survey_intro", lang)))
        pyear = latest_year(index, "survey_year", upto=data.year)
        rows = index[index["survey_year"] == pyear]
        names = portal_programme_names(index, pyear)
        portal: list[ReportFigure] = []
        for sb_id in sorted(rows["sb_id"].unique()):
            prog = rows[rows["sb_id"] == sb_id]
            portal.append(
                _figure(
                    f"studiebarometeret_{slug(sb_id)}",
                    "survey",
                    portal_index_chart(
                        rows,
                        sb_id=sb_id,
                        institution=data.institution_short,
                        survey_year=pyear,
                        sources=sources_for(prog, data.retrieved, lang),
                        lang=lang,
                        min_n=data.survey_min_n,
                        warn_n=data.survey_warn_n,
                    ),
                    lang,
                )
            )
            hist = data.portal_history
            if hist is not None and (hist["sb_id"] == sb_id).any():
                h = hist[hist["sb_id"] == sb_id]  # up to the report year (load_report_data)
                portal.append(
                    _figure(
                        f"studiebarometeret_tidsserie_{slug(sb_id)}",
                        "survey",
                        portal_history_chart(
                            h,
                            sb_id=sb_id,
                            programme_name=names.get(sb_id, sb_id),
                            institution=data.institution_short,
                            sources=sources_for(h, data.retrieved, lang),
                            lang=lang,
                        ),
                        lang,
                    )
                )
        blocks += _figure_blocks(portal)
        figures += portal
    if survey is not None and not survey.empty:
        respondent_blocks, respondent_figures = respondent_survey_blocks(data, lang)
        blocks += respondent_blocks
        figures += respondent_figures
    return blocks, figures, yr


# --- Studiebarometeret from respondent data -------------------------------------------------

#: The units the report shows survey results for. NOTE: one row or chart per programme does not
#: scale to a whole institution; the report shows the institution and its faculties, the
#: notebook and its explorer the programmes.
SURVEY_LEVELS = {"institution": 0, "faculty": 1}


def faculty_names_of(flags: pd.DataFrame, year: int) -> dict[str, str]:
    """Faculty code -> name from the gender data (DBH table 210, through the gender metric): the
    name of the latest year not after ``year``, else of the earliest year after it. Empty
    without gender data: the survey's faculties are then named by their code."""
    return names_as_of(flags, "faculty_code", "faculty_name", year)


def survey_unit_name(level: str, code: str, data: ReportData, faculties: dict[str, str]) -> str:
    """A survey unit's name: the institution's short name, a faculty's name from
    :func:`faculty_names_of` (its code where none is known); a programme's code (no source
    names the survey's programme codes)."""
    if level == "institution":
        return data.institution_short
    return faculties.get(code, code) if level == "faculty" else code


def named_survey_rows(survey: pd.DataFrame, data: ReportData) -> pd.DataFrame:
    """The survey table of respondent-level data with the names a reader needs beside the
    codes: ``unit_name`` after ``unit_code`` (each row's faculty named as in its own year) and
    ``question`` after ``item`` (the question's text from NOKUT's variable list, where it has
    the item). The ``n`` of a suppressed cell is emptied, as in the index table: the report
    shows no number of a hidden cell (the derived table keeps it)."""
    faculties = {int(y): faculty_names_of(data.flags, int(y)) for y in survey["year"].dropna().unique()}
    names = [
        survey_unit_name(str(level), str(code), data, faculties.get(int(y), {}) if pd.notna(y) else {})
        for level, code, y in zip(survey["level"], survey["unit_code"], survey["year"], strict=True)
    ]
    questions = item_questions(data, width=None)
    out = survey.copy()
    if "n" in out.columns and "suppressed" in out.columns:
        out["n"] = out["n"].astype("Int64").mask(out["suppressed"].fillna(False).astype(bool))
    out.insert(list(out.columns).index("unit_code") + 1, "unit_name", names)
    if "item" in out.columns:
        text = out["item"].astype(str).map(questions)
        out.insert(list(out.columns).index("item") + 1, "question", text.astype("string"))
    return out


def survey_unit_words(level: str, code: str, name: str, lang: str) -> str:
    """ "NTNU (hele institusjonen)", "Fakultet for ingeniørvitenskap (271)", or the faculty's
    code where no name is known."""
    if level == "institution":
        return label("survey_unit_institution", lang, institution=name)
    return f"{name} ({code})" if name and name != code else code


def _is_top_unit(rows: pd.DataFrame, data: ReportData) -> pd.Series:
    """The report's own unit among survey rows: the institution, or in a faculty report the
    faculty (the unit of the finding and the answer distribution)."""
    level, code = rows["level"].astype(str), rows["unit_code"].astype(str)
    if data.faculty:
        return (level == "faculty") & (code == data.faculty)
    return level == "institution"


def survey_index_rows(data: ReportData, year: int) -> pd.DataFrame:
    """The report's index table for ``year``: the indices of the institution and its faculties
    (of the faculty, in a faculty report), each with its change from the year before as the
    survey table computed it (``previous_year``, ``mean_previous``, ``change``, ``p_value``,
    ``p_adjusted``, ``significant``) and its unit's name (``unit_name``).

    Every value is the disclosure pass's: nothing is recomputed. The ``n`` of a suppressed cell
    is emptied as well, since the report shows no number of a hidden cell (the derived table
    keeps it; so does :func:`named_survey_rows`); ``significant`` is missing where no change is shown or it has no test. Rows: the institution
    first, then the faculties by code, the indices in the configuration's order.
    """
    indices = data.survey_indices
    if indices is None or indices.empty:
        return pd.DataFrame()
    rows = indices[(indices["year"] == year) & indices["level"].astype(str).isin(SURVEY_LEVELS)]
    rows = rows.astype({"level": str, "unit_code": str, "index_name": str}).reset_index(drop=True)
    change_columns = ["previous_year", "mean_previous", "change", "p_value", "p_adjusted", "significant"]
    changes = data.survey_changes
    if changes is not None and not changes.empty:
        # the institution's and faculties' rows only, as ``rows``: a programme delivered under two
        # faculties has a row under each (one unit code twice), which the merge would refuse
        found = changes[
            (changes["kind"].astype(str) == "index")
            & (changes["year"] == year)
            & changes["level"].astype(str).isin(SURVEY_LEVELS)
        ]
        found = found.astype({"level": str, "unit_code": str, "name": str}).rename(columns={"name": "index_name"})
        rows = rows.merge(
            found[["level", "unit_code", "index_name", *change_columns]],
            on=["level", "unit_code", "index_name"],
            how="left",
            validate="one_to_one",
        )
    else:
        rows = rows.assign(
            previous_year=pd.NA,
            mean_previous=np.nan,
            change=np.nan,
            p_value=np.nan,
            p_adjusted=np.nan,
            significant=pd.NA,
        )
    rows["n"] = rows["n"].astype("Int64").mask(rows["suppressed"].astype(bool))
    rows["significant"] = rows["significant"].astype("boolean")  # missing as the survey table has it
    faculties = faculty_names_of(data.flags, year)
    rows["unit_name"] = [
        survey_unit_name(level, code, data, faculties)
        for level, code in zip(rows["level"], rows["unit_code"], strict=True)
    ]
    order = rows["level"].map(SURVEY_LEVELS)
    return (
        rows.assign(_o=order).sort_values(["_o", "unit_code"], kind="stable").drop(columns="_o").reset_index(drop=True)
    )


def _score(value: object, lang: str) -> str:
    return number(value, lang, SCORE_DIGITS)


def mean_ci_text(row: pd.Series, lang: str) -> str:
    """ "3,67 (3,62–3,72)"; "–" where no mean is shown."""
    if bool(row["suppressed"]) or pd.isna(row["mean"]):
        return "–"
    if pd.isna(row["ci_low"]) or pd.isna(row["ci_high"]):
        return _score(row["mean"], lang)
    return f"{_score(row['mean'], lang)} ({_score(row['ci_low'], lang)}–{_score(row['ci_high'], lang)})"


def change_text(change: object, lang: str) -> str:
    """A change on the 1–5 scale with its sign: "+0,12", "−0,05", "0,00"; "–" where none is shown."""
    if pd.isna(change):
        return "–"
    value = round(float(change), SCORE_DIGITS)
    if value == 0:
        return _score(0, lang)
    return ("+" if value > 0 else "−") + _score(abs(value), lang)


def significance_words(row: pd.Series, lang: str) -> str:
    """ "signifikant økning" / "signifikant nedgang" / "ikke signifikant", from the survey
    table's own Benjamini–Hochberg mark; "–" where no change is shown or it has no test (the
    mark is then missing: unknown, not "ikke signifikant")."""
    if pd.isna(row["change"]) or pd.isna(row["significant"]):
        return "–"
    if bool(row["significant"]):
        return label("sig_up" if float(row["change"]) > 0 else "sig_down", lang)
    return label("sig_none", lang)


def survey_mark(row: pd.Series, lang: str) -> str:
    """Why a cell is empty or to be read with care: suppressed (the footnote says why),
    no answers, few respondents."""
    if bool(row["suppressed"]):
        return label(f"suppressed_{row['suppression']}_mark", lang)
    if pd.notna(row["n"]) and int(row["n"]) == 0:
        return label("no_answers", lang)
    return label("few_respondents", lang) if bool(row["few_respondents"]) else ""


def survey_index_block(rows: pd.DataFrame, year: int, lang: str, *, units: str, source: str) -> dict:
    """The index table: one group row per unit, one row per index."""
    columns = [
        label("col_index", lang),
        label("col_n", lang),
        label("col_mean_ci", lang),
        label("col_change_from", lang, prev=year - 1),
        label("col_significance", lang),
        label("col_note", lang),
    ]
    out, group = [], None
    for _, row in rows.iterrows():
        g = survey_unit_words(row["level"], row["unit_code"], row["unit_name"], lang)
        if g != group:
            out.append(doc.group_row(g))
            group = g
        out.append(
            doc.cells_row(
                [
                    value_label("dim", row["index_name"], lang),
                    "–" if pd.isna(row["n"]) else str(int(row["n"])),
                    mean_ci_text(row, lang),
                    change_text(row["change"], lang),
                    significance_words(row, lang),
                    survey_mark(row, lang),
                ]
            )
        )
    return doc.table(
        "survey-indices",
        columns,
        out,
        [False, True, True, True, False, False],
        caption=label("survey_index_caption", lang, year=year, units=units, prev=year - 1),
        source=source,
    )


def survey_finding(data: ReportData, lang: str) -> tuple[str, int] | None:
    """(the sentence, its survey year): how many of the report unit's indices rose or fell
    significantly (Benjamini–Hochberg, the survey table's mark) since the year before, among
    those whose change may be shown. None where no change is shown."""
    year = latest_year(data.survey_indices, upto=data.year)
    if year is None:
        return None
    rows = survey_index_rows(data, year)
    rows = rows[_is_top_unit(rows, data) & rows["change"].notna()]
    if rows.empty:
        return None
    # a shown change without a test (no mark) is not counted as a significant rise or fall
    significant = rows["significant"].fillna(False).astype(bool)
    up, down = int((significant & (rows["change"] > 0)).sum()), int((significant & (rows["change"] < 0)).sum())
    return label(
        "finding_survey" if up or down else "finding_survey_none",
        lang,
        year=year,
        scope=own_scope(data, lang),
        up=up,
        down=down,
        total=counted(len(rows), "index", lang),
        prev=int(rows["previous_year"].iloc[0]),
    ), year


def respondent_survey_blocks(data: ReportData, lang: str) -> tuple[list[dict], list[ReportFigure]]:
    """With respondent-level data, for its latest year not after the report year: the index
    table of the institution and its faculties, the answer distribution of the report unit's
    items, and the item means of each unit with a result that may be shown. Units by name."""
    survey = data.survey
    year = latest_year(survey, upto=data.year)
    if survey is None or year is None:
        return [], []
    blocks = [doc.paragraph(label("survey_respondents_intro", lang, min_n=data.survey_min_n))]
    rows = survey_index_rows(data, year)
    if not rows.empty:
        units = (
            label("survey_units_institution", lang, institution=data.institution_short)
            if not data.faculty
            else f"{data.faculty_name} ({data.faculty})"
        )
        conf = data.settings.survey
        blocks += [
            doc.heading(label("heading_survey_indices", lang, year=year, units=units), 3, "survey-indices"),
            survey_index_block(
                rows,
                year,
                lang,
                units=units,
                source=_sources_line(survey[survey["year"] == year], data, lang, kind="sb-respondents"),
            ),
            doc.paragraph(
                label(
                    "survey_index_note",
                    lang,
                    max_missing=conf.index_max_missing,
                    prev=year - 1,
                    alpha=number(1 - conf.confidence_level, lang, 2),
                    warn_n=conf.warn_n,
                ),
                "note",
            ),
        ]
        if rows["suppressed"].astype(bool).any():
            blocks.append(doc.paragraph(label("survey_suppressed_note", lang, min_n=conf.min_n), "note"))
        if rows["previous_year"].isna().all():
            blocks.append(doc.paragraph(label("survey_no_previous", lang, prev=year - 1), "note"))
        blocks.append(doc.paragraph(_sources_line(rows, data, lang), "note"))

    items = survey[(survey["year"] == year) & survey["level"].astype(str).isin(SURVEY_LEVELS)]
    items = items.astype({"level": str, "unit_code": str, "item": str})
    questions = item_questions(data)
    faculties = faculty_names_of(data.flags, year)

    def unit_of(level: str, code: str) -> str:
        return survey_unit_words(level, code, survey_unit_name(level, code, data, faculties), lang)

    def chart_unit_of(level: str, code: str) -> str:
        """The unit after the institution in a chart's title ("Studiebarometeret 2025, NTNU:
        hele institusjonen"), not the institution twice."""
        return label("survey_unit_whole", lang) if level == "institution" else unit_of(level, code)

    top = items[_is_top_unit(items, data)]
    distribution: list[ReportFigure] = []
    for code in sorted(top["unit_code"].unique()):
        part = top[top["unit_code"] == code]
        if part["suppressed"].astype(bool).all():
            continue  # nothing of it may be shown: the table says so
        unit = unit_of(str(part["level"].iloc[0]), code)
        fig = survey_distribution_chart(
            part,
            unit_code=code,
            year=year,
            institution=data.institution_short,
            unit_name=chart_unit_of(str(part["level"].iloc[0]), code),
            item_labels=questions,
            groups=data.settings.survey.indices,
            sources=sources_for(part, data.retrieved, lang, kind="sb-respondents"),
            lang=lang,
        )
        bars = [t for t in fig.data if t.type == "bar"]
        if not bars:
            continue  # none of its items is in a configured index
        distribution.append(
            _figure(
                f"svarfordeling_{slug(code)}",
                "survey",
                fig,
                lang,
                label("alt_distribution", lang, n=counted(len(bars[0].y), "item", lang)),
            )
        )
        blocks.append(
            doc.heading(label("heading_survey_distribution", lang, year=year, unit=unit), 3, "survey-distribution")
        )
        blocks += _figure_blocks(distribution[-1:])

    units = items.drop_duplicates(["level", "unit_code"])[["level", "unit_code"]]
    units = units.assign(_o=units["level"].map(SURVEY_LEVELS)).sort_values(["_o", "unit_code"])
    means: list[ReportFigure] = []
    for level, code in zip(units["level"], units["unit_code"], strict=True):
        part = items[(items["level"] == level) & (items["unit_code"] == code)]
        if part["suppressed"].astype(bool).all():
            continue  # a chart of "skjermet" only; the index table names the unit and why
        means.append(
            _figure(
                f"sporsmal_{slug(level)}_{slug(code)}",
                "survey",
                survey_items_chart(
                    part,
                    unit_code=code,
                    year=year,
                    institution=data.institution_short,
                    item_labels=questions,
                    unit_name=chart_unit_of(level, code),
                    sources=sources_for(part, data.retrieved, lang, kind="sb-respondents"),
                    lang=lang,
                ),
                lang,
            )
        )
    if means:
        blocks.append(doc.heading(label("heading_survey_items", lang, year=year), 3, "survey-items"))
        blocks += _figure_blocks(means)
    return blocks, distribution + means


def item_questions(data: ReportData, width: int | None = 60) -> dict[str, str]:
    """NOKUT variable name -> question text (latest survey year that has it), shortened to
    ``width`` characters (None: whole)."""
    variables = data.reference.get("survey_variables")
    if variables is None or variables.empty:
        return {}
    latest = variables.sort_values("year", kind="stable").drop_duplicates("variable", keep="last")
    return {
        v: (q if width is None or len(q) <= width else q[: width - 1] + "…")
        for v, q in zip(latest["variable"], latest["question"].astype(str), strict=True)
    }


def _latest_waves(wb: pd.DataFrame) -> pd.DataFrame:
    """The latest wave of every indicator × group (all figures of a conflicting wave)."""
    last = wb.groupby(["indicator", "group"])["year"].transform("max")
    return wb[wb["year"] == last].sort_values(["indicator", "group", "source_row"], kind="stable")


def wellbeing_section(data: ReportData, lang: str) -> tuple[list[dict], list[ReportFigure], int | None]:
    """(outline blocks, one figure per indicator with at least two waves, latest wave)."""
    every = data.wellbeing
    wb = every[every["year"] <= data.year] if every is not None else None
    if wb is None or wb.empty:
        scope = label("scope_national", lang)
        return (
            [
                doc.heading(label("heading_wellbeing", lang, year=data.year, scope=scope), 2, "wellbeing"),
                doc.paragraph(_no_data_text("what_wellbeing", own_scope(data, lang), data, lang, (every, "year"))),
            ],
            [],
            None,
        )
    yr = int(wb["year"].max())
    scope = wellbeing_scope(wb, lang)
    blocks = [doc.heading(label("heading_wellbeing", lang, year=yr, scope=scope), 2, "wellbeing")]
    if yr < data.year:
        blocks.append(doc.paragraph(label("older_data", lang, year=yr, report_year=data.year), "note"))
    blocks.append(doc.paragraph(label("wellbeing_intro", lang, scope=scope, institution=data.institution_short)))
    latest = _latest_waves(wb)
    rows = []
    for (indicator, group), part in latest.groupby(["indicator", "group"], sort=True):
        r = part.iloc[0]
        values = " / ".join(f"{number(v, lang, 1)} %" for v in part["value_pct"].astype(float))
        group_text = value_label("group", group, lang) if r["scope"] == "national" else str(group)
        rows.append(
            doc.cells_row(
                [
                    value_label("ind", indicator, lang),
                    group_text,
                    label(f"scope_word_{r['scope']}", lang),
                    str(int(r["year"])),
                    values,
                    change_words(r, lang) if len(part) == 1 else label("conflicting_figures", lang),
                ]
            )
        )
    blocks.append(
        doc.table(
            "wellbeing",
            [
                label("col_indicator", lang),
                label("col_group", lang),
                label("col_scope", lang),
                label("col_wave", lang),
                label("col_share_students", lang),  # (its cells say "%": not "(%)" again here)
                label("col_change_text", lang),
            ],
            rows,
            [False, False, False, True, True, False],
            caption=label("wellbeing_table_caption", lang, year=yr, scope=scope),
            source=_sources_line(latest, data, lang, kind="shot-indicators"),
        )
    )
    src = sources_for(wb, data.retrieved, lang, kind="shot-indicators")
    waves = wb.groupby("indicator")["year"].nunique()
    order = sorted(waves[waves >= 2].index, key=lambda i: (i != HEADLINE_INDICATOR, -waves[i], i))
    figures = [
        _figure(f"shot_{slug(ind)}", "wellbeing", wellbeing_indicator(wb, indicator=ind, sources=src, lang=lang), lang)
        for ind in order
    ]
    return blocks, figures, yr


def counted_units(flags: pd.DataFrame) -> pd.DataFrame:
    """The units an "n av m fakulteter" counts: all but DBH's unspecified sub-unit among the
    faculties (faculty 000, :mod:`analysis.org_units`), which is no faculty; it stays a unit of
    its own in the charts and lists, and is counted among the departments as 000000."""
    return flags[~((flags["level"] == "faculty") & (flags["unit_code"] == UNSPECIFIED_FACULTY))]


def _history_blocks(data: ReportData, lang: str) -> list[dict]:
    """Flagged of judged units per year, measure and level (up to the report year), and under
    it, where the columns skip years (a long series shows the years that have data), a note
    naming the years the data do not hold: 2007 beside 2016 reads as the year before without it."""
    flags, year = data.flags, data.year
    rows = counted_units(flags[(flags["year"] <= year) & (flags["level"] != "institution")])
    if rows.empty:
        return []
    years = list(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
    if len(years) > 12:  # a long series: the years that have data
        years = sorted(int(y) for y in rows["year"].unique())[-12:]
    out = []
    # one line per measure as counted and level, whatever files its rows came from: the flags
    # hold one version of each measure (data.one_version_per_measure), and Samordna's national
    # excerpt and its programme sample are one count split over two files, not two measures
    keys = ["measure", *(c for c in ("semester", "student_category") if c in rows.columns), "level"]
    for key, part in rows.groupby(keys, sort=True, dropna=False):
        parts = dict(zip(keys, key, strict=True))
        kinds = "; ".join(sorted(set(part["source_kind"].astype(str))))
        cells = [
            f"{label_measure(parts['measure'], parts.get('semester'), parts.get('student_category'), lang)}, "
            f"{value_label('level', parts['level'], lang)} ({source_short(kinds, lang)})"
        ]
        for y in years:
            now = part[part["year"] == y]
            judged = int(now["status"].isin(["flagged", "ok"]).sum())
            cells.append(label("n_of_m", lang, n=int((now["status"] == "flagged").sum()), m=judged) if judged else "–")
        out.append(doc.cells_row(cells))
    blocks = [
        doc.table(
            "history",
            [label("col_measure_level", lang)] + [str(y) for y in years],
            out,
            [False] + [True] * len(years),
            caption=label("heading_history_table", lang, scope=chart_scope(data, lang)),
            source=_sources_line(rows, data, lang),
        )
    ]
    missing = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if missing:
        blocks.append(doc.paragraph(label("history_years_missing", lang, years=_year_runs(missing)), "note"))
    return blocks


# --- findings -------------------------------------------------------------------------------


def key_findings(data: ReportData, lang: str) -> tuple[list[str], list[str]]:
    """(findings for the report year, latest findings from earlier years). Each sentence
    states its year and, where it is not the institution's own figure, its scope."""
    now: list[str] = []
    earlier: list[str] = []
    flags = data.flags
    threshold = pct(data.threshold, lang)
    if not flags.empty:
        this = counted_units(flags[(flags["year"] == data.year) & (flags["level"] != "institution")])
        # one sentence per measure as counted: semester and student category (autumn
        # registrations and spring ones are different counts of different students). Not one
        # per file: the flags hold one version of each measure, one source per unit and year
        # (data.one_version_per_measure); split by file, Samordna's national excerpt and its
        # programme sample made two sentences about one count ("12 av 15" and "6 av 6").
        keys = ["measure", *(c for c in ("semester", "student_category") if c in this.columns), "level"]
        for key, rows in this.groupby(keys, sort=True, dropna=False):
            parts = dict(zip(keys, key, strict=True))
            level = parts["level"]
            judged = rows["status"].isin(["flagged", "ok"])
            measure_text = label_measure(parts["measure"], parts.get("semester"), parts.get("student_category"), lang)
            if judged.any():
                total = int(judged.sum())
                units = noun(total, level, lang)  # "1 av 1 fakultet"
                now.append(
                    label(
                        "finding_flagged",
                        lang,
                        n=int((rows["status"] == "flagged").sum()),
                        total=total,
                        units=units,
                        pct=threshold,
                        measure=measure_text,
                        year=data.year,
                    )
                )
            unknown = unknown_units(rows, data.year)
            if len(unknown):
                units = noun(len(unknown), level, lang)
                now.append(
                    label("finding_unknown", lang, n=len(unknown), units=units, year=data.year, measure=measure_text)
                )
    index = data.portal_index
    if index is not None and not index.empty:
        yr = latest_year(index, "survey_year", upto=data.year)
        rows = index[index["survey_year"] == yr].dropna(subset=["value", "field_average"])
        # a suppressed result does not count: the same marks the chart shows
        suppressed, _few = portal_marks(rows, data.survey_min_n, data.survey_warn_n)
        rows = rows[~suppressed]
        if yr is not None and len(rows):
            text = label(
                "finding_portal",
                lang,
                year=yr,
                scope=own_scope(data, lang),
                below=int((rows["value"] < rows["field_average"]).sum()),
                total=counted(len(rows), "index_value", lang),
                programmes=counted(rows["sb_id"].nunique(), "programme", lang),
            )
            (now if yr == data.year else earlier).append(text)
    survey = survey_finding(data, lang)
    if survey is not None:
        text, yr = survey
        (now if yr == data.year else earlier).append(text)
    scores, own, group = _integration_scores(data)
    if scores is not None:
        yr = latest_year(scores, upto=data.year)
        for level, rows in scores[scores["year"] == yr].groupby("level", sort=True):
            text = _integration_sentence(rows, own, yr, level, _group_text(rows, group, lang), lang)
            if text:
                (now if yr == data.year else earlier).append(text)
    wb = data.wellbeing
    if wb is not None and not wb.empty:
        rows = wb[
            (wb["group"] == "alle")
            & (wb["indicator"] == HEADLINE_INDICATOR)
            & (wb["year"] <= data.year)
            & ~wb["conflicting"].astype(bool)
        ].sort_values("year")
        if not rows.empty:
            r = rows.iloc[-1]
            text = label(
                "finding_wellbeing",
                lang,
                year=int(r["year"]),
                scope=label("scope_national", lang),
                indicator=value_label("ind", r["indicator"], lang).lower(),
                value=number(r["value_pct"], lang, 1),
                change=change_words(r, lang),
            )
            (now if int(r["year"]) == data.year else earlier).append(text)
    return now, earlier


# --- tables ---------------------------------------------------------------------------------

#: The columns a table of the report holds its year in: the first it has.
YEAR_COLUMNS = ("year", "survey_year")


@overload
def up_to_report_year(frame: pd.DataFrame, year: int) -> pd.DataFrame: ...
@overload
def up_to_report_year(frame: None, year: int) -> None: ...
def up_to_report_year(frame: pd.DataFrame | None, year: int) -> pd.DataFrame | None:
    """``frame``'s rows of ``year`` and the years before (a row without a year stays: its year is
    unknown, not later). A report for a year says what was known for it: a row of a later year
    beside it (Samordna's next admission round in a 2025 report) reads as part of it."""
    years = _years_of(frame)
    if frame is None or years is None:
        return frame
    return frame[~(years > year)]


def _years_of(frame: pd.DataFrame | None) -> pd.Series | None:
    """The year of each of ``frame``'s rows, from the first of :data:`YEAR_COLUMNS` it has (NaN
    where it is not a number); None for a table without one."""
    column = next((c for c in YEAR_COLUMNS if frame is not None and c in frame.columns), None)
    return None if frame is None or column is None else pd.to_numeric(frame[column], errors="coerce")


def _year_runs(years: list[int]) -> str:
    """[2022, 2023, 2024, 2026] -> "2022–2024, 2026"."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def later_years_note(data: ReportData, lang: str) -> str | None:
    """The note that the data hold years after the report year, naming them and what they count
    (the measure as counted and its source, or the survey), since the report leaves them out;
    None where they hold none."""
    items = []
    flags = data.flags
    later = flags[flags["year"] > data.year] if not flags.empty else flags
    if not later.empty:
        keys = ["measure", *(c for c in ("semester", "student_category") if c in later.columns)]
        for key, part in later.groupby(keys, sort=True, dropna=False):
            parts = dict(zip(keys, key, strict=True))
            what = label_measure(parts["measure"], parts.get("semester"), parts.get("student_category"), lang)
            kinds = "; ".join(sorted(set(part["source_kind"].astype(str))))
            items.append(f"{what} ({source_short(kinds, lang)}): {_year_runs(part['year'].astype(int).tolist())}")
    surveys = (
        ("what_integration", (data.integration,)),
        ("what_survey", (data.survey, data.survey_indices, data.portal_index, data.portal_history)),
        ("what_wellbeing", (data.wellbeing,)),
    )
    for what, frames in surveys:
        years = []
        for frame in frames:
            found = _years_of(frame)
            if found is not None:
                years += [int(y) for y in found[found > data.year]]
        if years:
            items.append(f"{label(what, lang)}: {_year_runs(years)}")
    if not items:
        return None
    return label("later_years_left_out", lang, year=data.year, items="; ".join(items))


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
    year_rows = _ordered(flags[flags["year"] == data.year]) if not flags.empty else flags
    # the index table of the survey section, only with respondent-level data
    index_year = latest_year(data.survey_indices, upto=data.year)
    survey_indices = {} if index_year is None else {"survey_indices": survey_index_rows(data, index_year)}
    return {
        "followup": followup.reset_index(drop=True),
        "unknown": unknown.reset_index(drop=True),
        "gender": year_rows.reset_index(drop=True),
        "flags": _sorted(flags, ["level", "measure", "source_kind", "unit_code", "year"]),
        "integration": _sorted(up_to_report_year(integration, data.year), ["year", "level", "rank", "institution"]),
        "survey": _sorted(survey, ["year", "survey_year", "level", "unit_code", "sb_id", "item", "dimension_key"]),
        **survey_indices,
        "wellbeing": _sorted(up_to_report_year(data.wellbeing, data.year), ["indicator", "group", "year"]),
    }


# --- the whole report -----------------------------------------------------------------------


def _figure_blocks(figures: list[ReportFigure]) -> list[dict]:
    return [doc.figure(f.name, _plain(f.figure.layout.title.text), f.alt, source_caption(f.figure)) for f in figures]


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
        *[doc.paragraph(note, "note") for note in (later_years_note(data, lang),) if note],
        doc.heading(label("key_findings", lang, year=data.year), 2, "findings"),
        doc.bullets(now or [label("no_findings", lang, year=data.year)], "findings-list"),
    ]
    if earlier:
        blocks += [
            doc.heading(label("earlier_findings", lang), 3, "earlier-findings"),
            doc.bullets(earlier, "earlier-findings-list"),
        ]
    blocks += _followup_section(data, lang, followup, unknown)

    gender_figures, history_figures = _gender_figures(data, lang)
    scope = own_scope(data, lang)
    blocks.append(doc.heading(label("heading_gender", lang, year=data.year, scope=scope), 2, "gender"))
    if data.flags.empty:
        blocks.append(doc.paragraph(label("no_gender_data", lang, scope=scope)))
    elif not gender_figures:
        blocks.append(
            doc.paragraph(label("no_gender_year", lang, scope=scope, year=data.year, last=latest_year(data.flags)))
        )
    blocks += _figure_blocks(gender_figures)

    integration_blocks, integration_figures, iyear, integration = integration_section(data, lang)
    survey_blocks, survey_figures, syear = _survey_section(data, lang)
    wellbeing_blocks, wellbeing_figures, wyear = wellbeing_section(data, lang)
    blocks += integration_blocks + _figure_blocks(integration_figures)
    blocks += survey_blocks  # its figures are in place, under their sub-headings
    blocks += wellbeing_blocks + _figure_blocks(wellbeing_figures)

    history = _history_blocks(data, lang) if not data.flags.empty else []
    if history or history_figures:
        blocks.append(doc.heading(label("heading_appendix", lang, scope=scope), 2, "appendix"))
        blocks.append(doc.paragraph(label("appendix_intro", lang)))
        blocks += history
        blocks += _figure_blocks(history_figures)

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
                "title": _plain(f.figure.layout.title.text),
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
    "FIELD_BENCHMARK",
    "FIGURES_DIR",
    "TABLES_DIR",
    "ReportContent",
    "ReportFigure",
    "NEEDED_RANGE",
    "followup_units",
    "key_findings",
    "report_content",
    "save_content",
    "slug",
    "source_labels",
    "unknown_units",
]
