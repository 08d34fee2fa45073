"""What every section of the report is made of: whose units it shows (scope words, the
title), a unit with its code, the measure in words, the source line, a figure with its alt
text and source caption, and the years a table may hold (up to the report year)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import overload

import pandas as pd
import plotly.graph_objects as go

from analysis.charts.common import SOURCE_NOTE_NAME
from analysis.charts.labels import (
    label,
    measure_words_of,
    shown_code,
)
from analysis.report import document as doc
from analysis.report.data import ReportData, sources_for, sources_sentence
from analysis.report.tables import unit_words
from analysis.words import year_runs


@dataclass
class ReportFigure:
    name: str  # stable file name stem: [a-z0-9_]
    section: str
    figure: go.Figure
    alt: str = ""


def slug(text: str) -> str:
    """A stable, safe file-name part: ``1150_mttk-trondheim`` -> ``1150_mttk_trondheim``."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_") or "x"


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


def measure_words(row: pd.Series, lang: str) -> str:
    """The measure as counted: table, and semester, student category and filter where it has them."""
    return measure_words_of(row, lang)


def sources_line(frame: pd.DataFrame, data: ReportData, lang: str, kind: str | None = None) -> str:
    """ "Kilder: DBH (HK-dir), tabell 123 …, hentet …." for the rows of a table."""
    return sources_sentence(sources_for(frame, data.retrieved, lang, kind=kind), lang)


def plain(text: object) -> str:
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
    parts = [f"{label(kind, lang)}: {_sentence(plain(fig.layout.title.text))}"]
    if fig.layout.title.subtitle and fig.layout.title.subtitle.text:
        parts.append(_sentence(plain(fig.layout.title.subtitle.text)))
    names = list(dict.fromkeys(plain(t.name) for t in fig.data if t.name and t.showlegend is not False))
    if names:
        parts.append(label("alt_series", lang, names=", ".join(names)))
    if summary:
        parts.append(summary)
    return " ".join(parts)


def _sentence(text: str) -> str:
    """``text`` ended with a full stop, unless it ends one already: a subtitle that ends with a
    sentence of its own (the cut integration chart's note) read "tables/integration.csv.."."""
    return text if text.endswith((".", "!", "?")) else text + "."


def source_caption(fig: go.Figure) -> str:
    """The source line printed under the chart, as one line of plain text."""
    notes = [a.text for a in fig.layout.annotations if a.name == SOURCE_NOTE_NAME]
    return plain(" ".join(str(n).replace("<br>", " ") for n in notes))


def report_figure(name: str, section: str, fig: go.Figure, lang: str, summary: str = "") -> ReportFigure:
    return ReportFigure(name, section, fig, alt_text(fig, lang, summary))


def no_data_text(what: str, scope: str, data: ReportData, lang: str, *frames: tuple[pd.DataFrame | None, str]) -> str:
    """The line of a section with nothing up to the report year: "none in the data", or, where
    the data has the section's figures only after the report year, that and from when (a report
    for an earlier year, or one whose year the registered counts set earlier than the survey's:
    "no results in the data" would then be untrue), naming the years it has. The section's
    heading then names no year (``heading_*_none``): it has no figures of the report year."""
    later = [
        int(y)
        for frame, column in frames
        if frame is not None and column in frame
        for y in pd.to_numeric(frame[column], errors="coerce").dropna()
        if y > data.year
    ]
    if later:
        return label(
            "no_section_data_later",
            lang,
            what=label(what, lang),
            scope=scope,
            report_year=data.year,
            years=year_runs(later),
        )
    return label("no_section_data", lang, what=label(what, lang), scope=scope)


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
    years = years_of(frame)
    if frame is None or years is None:
        return frame
    return frame[~(years > year)]


def hidden_n_emptied(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the ``n`` of its suppressed rows emptied, and their "få svarende" mark
    (``few_respondents``) with it: the report shows no number of a hidden cell nor anything read
    from its n (the derived tables keep both; "nei"/"ja" beside "skjermet: for få svar" told
    whether the hidden n was under ``warn_n``). One rule for every table of survey answers (items,
    indices, integration scores): the integration sheet gave the n of a programme's one-item
    score, which the item sheet empties for that very item (an attack, 2026-12-04)."""
    if "n" not in frame.columns or "suppressed" not in frame.columns:
        return frame
    out = frame.copy()
    hidden = out["suppressed"].fillna(False).astype(bool)
    out["n"] = out["n"].astype("Int64").mask(hidden)
    if "few_respondents" in out.columns:
        out["few_respondents"] = out["few_respondents"].astype("boolean").mask(hidden)
    return out


def years_of(frame: pd.DataFrame | None) -> pd.Series | None:
    """The year of each of ``frame``'s rows, from the first of :data:`YEAR_COLUMNS` it has (NaN
    where it is not a number); None for a table without one."""
    column = next((c for c in YEAR_COLUMNS if frame is not None and c in frame.columns), None)
    return None if frame is None or column is None else pd.to_numeric(frame[column], errors="coerce")


def figure_blocks(figures: list[ReportFigure]) -> list[dict]:
    return [doc.figure(f.name, plain(f.figure.layout.title.text), f.alt, source_caption(f.figure)) for f in figures]
