"""The report's content: the final figure set, the tables, the key findings and the list of
flagged units, from :class:`analysis.report.data.ReportData`.

:func:`report_content` is pure; :func:`save_content` writes it to a folder that
:mod:`analysis.report.build` assembles (figures as plotly JSON, tables as CSV and Parquet,
``content.json`` with order, titles and findings). Nothing here carries a timestamp, so the
same inputs give byte-identical files.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from analysis.charts import (
    gender_share_bars,
    gender_trend,
    integration_ranking,
    portal_history_chart,
    portal_index_chart,
    survey_items_chart,
    wellbeing_by_gender,
    wellbeing_waves,
)
from analysis.charts.labels import label, number, pct, value_label
from analysis.outputs import formula_safe
from analysis.report.data import ReportData, latest_year, sources_for

FIGURES_DIR = "figures"
TABLES_DIR = "tables"
CONTENT_FILE = "content.json"

#: Columns of the flagged-units list in the report, in order.
FLAGGED_COLUMNS = [
    "level", "unit_name", "unit_code", "measure", "year", "share_women", "underrepresented",
    "students_needed", "consecutive_years_flagged", "source_kind",
]


@dataclass
class ReportFigure:
    name: str  # stable file name stem: [a-z0-9_]
    section: str
    figure: go.Figure


@dataclass
class ReportContent:
    year: int
    institution: str
    lang: str
    figures: list[ReportFigure] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    flagged: pd.DataFrame = field(default_factory=pd.DataFrame)
    warnings: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    """A stable, safe file-name part: ``1150_mttk-trondheim`` -> ``1150_mttk_trondheim``."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_") or "x"


def flagged_units(flags: pd.DataFrame, year: int) -> pd.DataFrame:
    """Flagged units in the latest year (not after ``year``) of each level × measure × source,
    most students needed first."""
    if flags.empty:
        return pd.DataFrame(columns=FLAGGED_COLUMNS)
    flags = flags[flags["year"] <= year]
    latest = flags.groupby(["level", "measure", "source_kind"])["year"].transform("max")
    rows = flags[(flags["year"] == latest) & (flags["status"] == "flagged")]
    order = {"programme": 0, "department": 1, "faculty": 2, "institution": 3}
    rows = rows.assign(_l=rows["level"].map(order)).sort_values(
        ["_l", "measure", "students_needed", "share_women", "unit_code"],
        ascending=[True, True, False, True, True], na_position="last", kind="stable",
    )
    return rows[FLAGGED_COLUMNS].reset_index(drop=True)


def _gender_figures(data: ReportData, lang: str) -> list[ReportFigure]:
    flags = data.flags
    out: list[ReportFigure] = []
    if flags.empty:
        return out
    registered = flags[flags["measure"] == "registered"]
    for level, name in (("faculty", "kjonn_fakultet"), ("department", "kjonn_institutt")):
        rows = registered[registered["level"] == level]
        yr = latest_year(rows, upto=data.year)
        if yr is None:
            continue
        rows = rows[rows["source_kind"] == rows["source_kind"].min()]
        out.append(ReportFigure(name, "gender", gender_share_bars(
            rows, year=yr, level=level, sources=sources_for(rows, data.retrieved, lang), lang=lang,
            threshold=data.threshold)))
    faculty = registered[(registered["level"] == "faculty") & (registered["unit_code"] != "000")
                         & (registered["year"] <= data.year)]
    if not faculty.empty:
        out.append(ReportFigure("kjonn_fakultet_utvikling", "gender", gender_trend(
            faculty, sources=sources_for(faculty, data.retrieved, lang), lang=lang, threshold=data.threshold)))
    programmes = flags[(flags["level"] == "programme") & (flags["year"] <= data.year)]
    for (measure, kind), rows in programmes.groupby(["measure", "source_kind"], sort=True):
        out.append(ReportFigure(f"kjonn_program_{slug(measure)}_{slug(kind)}", "gender", gender_trend(
            rows, sources=sources_for(rows, data.retrieved, lang), lang=lang, threshold=data.threshold)))
    return out


def _integration_figures(data: ReportData, lang: str) -> list[ReportFigure]:
    scores = data.integration
    if scores is None or scores.empty:
        return []
    yr = latest_year(scores, upto=data.year)
    if yr is None:
        return []
    names = set(scores["institution"])
    own = next((n for n in (data.institution_short, data.institution) if n in names), None)
    out = []
    for level in sorted(scores.loc[scores["year"] == yr, "level"].unique()):
        rows = scores[(scores["year"] == yr) & (scores["level"] == level)]
        out.append(ReportFigure(f"integrering_{slug(level)}", "integration", integration_ranking(
            scores, year=yr, level=level, highlight=own,
            sources=sources_for(rows, data.retrieved, lang), lang=lang)))
    return out


def _survey_figures(data: ReportData, lang: str) -> list[ReportFigure]:
    out = []
    index = data.portal_index
    if index is not None and not index.empty:
        yr = latest_year(index, "survey_year", upto=data.year)
        rows = index[index["survey_year"] == yr]
        for sb_id in sorted(rows["sb_id"].unique()):
            prog = rows[rows["sb_id"] == sb_id]
            out.append(ReportFigure(f"studiebarometeret_{slug(sb_id)}", "survey", portal_index_chart(
                rows, sb_id=sb_id, survey_year=yr, sources=sources_for(prog, data.retrieved, lang), lang=lang,
                min_n=data.survey_min_n, warn_n=data.survey_warn_n)))
            hist = data.portal_history
            if hist is not None and (hist["sb_id"] == sb_id).any():
                h = hist[(hist["sb_id"] == sb_id) & (hist["survey_year"] <= data.year)]
                out.append(ReportFigure(f"studiebarometeret_tidsserie_{slug(sb_id)}", "survey", portal_history_chart(
                    h, sb_id=sb_id, programme_name=str(prog["programme_name"].iloc[0]),
                    sources=sources_for(h, data.retrieved, lang), lang=lang)))
    survey = data.survey
    if survey is not None and not survey.empty:
        # NOTE: one chart per programme does not scale to a whole institution; the report shows
        # the institution and its faculties, the notebook and its explorer the programmes.
        yr = latest_year(survey, upto=data.year)
        rows = survey[(survey["year"] == yr) & survey["level"].isin(["institution", "faculty"])]
        order = {"institution": 0, "faculty": 1}
        units = rows.drop_duplicates(["level", "unit_code"])[["level", "unit_code"]].astype(str)
        units = units.assign(_o=units["level"].map(order)).sort_values(["_o", "unit_code"])
        for level, unit in zip(units["level"], units["unit_code"], strict=True):
            part = rows[(rows["level"] == level) & (rows["unit_code"] == unit)]
            out.append(ReportFigure(f"sporsmal_{slug(level)}_{slug(unit)}", "survey", survey_items_chart(
                part, unit_code=unit, year=yr, item_labels=item_questions(data),
                sources=sources_for(part, data.retrieved, lang, kind="sb-respondents"), lang=lang)))
    return out


def item_questions(data: ReportData, width: int = 60) -> dict[str, str]:
    """NOKUT variable name -> question text (latest survey year that has it), shortened."""
    variables = data.reference.get("survey_variables")
    if variables is None or variables.empty:
        return {}
    latest = variables.sort_values("year", kind="stable").drop_duplicates("variable", keep="last")
    return {
        v: (q if len(q) <= width else q[: width - 1] + "…")
        for v, q in zip(latest["variable"], latest["question"].astype(str), strict=True)
    }


def _wellbeing_figures(data: ReportData, lang: str) -> list[ReportFigure]:
    wb = data.wellbeing
    if wb is None or wb.empty:
        return []
    wb = wb[wb["year"] <= data.year]
    if wb.empty:
        return []
    src = sources_for(wb, data.retrieved, lang, kind="shot-indicators")
    return [
        ReportFigure("shot_utvikling", "wellbeing", wellbeing_waves(wb, sources=src, lang=lang)),
        ReportFigure("shot_kjonn", "wellbeing", wellbeing_by_gender(wb, sources=src, lang=lang)),
    ]


def key_findings(data: ReportData, flagged: pd.DataFrame, lang: str) -> list[str]:
    """Short sentences for the top of the report, each derived from a table in the report."""
    out: list[str] = []
    flags = data.flags
    if not flags.empty:
        for (level, measure, _kind), rows in flags[flags["year"] <= data.year].groupby(
            ["level", "measure", "source_kind"], sort=True
        ):
            if level == "institution":
                continue
            yr = rows["year"].max()
            now = rows[rows["year"] == yr]
            # an empty unit (total 0) has no share: it is neither counted as a unit judged nor
            # called suppressed
            empty = now["total"].eq(0).fillna(False).astype(bool)
            n_flagged = int((now["status"] == "flagged").sum())
            measure_text = f"{label(f'measure_{measure}', lang)}, {label(f'level_{level}', lang)}"
            out.append(label("finding_flagged", lang, n=n_flagged, total=int((~empty).sum()),
                             measure=measure_text, year=yr, pct=pct(now["threshold"].iloc[0], lang)))
            suppressed = pd.to_numeric(now["suppressed_units"], errors="coerce").fillna(0).gt(0)
            n_unknown = int(((now["status"] == "unknown") & suppressed & ~empty).sum())
            if n_unknown:
                out.append(label("finding_unknown", lang, n=n_unknown, measure=measure_text, year=yr))
    scores = data.integration
    if scores is not None and not scores.empty:
        yr = latest_year(scores, upto=data.year)
        for level, rows in scores[scores["year"] == yr].groupby("level", sort=True):
            # the sentence is about the institution as a unit (not one of its programmes), and
            # only where it is ranked (a suppressed unit has no rank)
            own = rows[rows["unit_name"].isin([data.institution_short, data.institution]) & rows["rank"].notna()]
            if own.empty:
                continue
            r = own.iloc[0]
            out.append(label("finding_integration", lang, year=yr, level=value_label("level", level, lang),
                             institution=r["institution"], rank=int(r["rank"]), total=int(r["units_ranked"]),
                             gap=number(r["gap_to_best"], lang, 2)))
    index = data.portal_index
    if index is not None and not index.empty:
        yr = latest_year(index, "survey_year", upto=data.year)
        rows = index[(index["survey_year"] == yr)].dropna(subset=["value", "field_average"])
        rows = rows[rows["respondents"] >= data.survey_min_n]  # nothing below the minimum counts
        below = int((rows["value"] < rows["field_average"]).sum())
        if yr is not None and len(rows):
            out.append(label("finding_portal", lang, year=yr, below=below, total=len(rows)))
    wb = data.wellbeing
    if wb is not None and not wb.empty:
        rows = wb[(wb["group"] == "alle") & (wb["indicator"] == "alvorlige_psykiske_symptomplager")
                  & (wb["year"] <= data.year)].sort_values("year")
        if not rows.empty:
            r = rows.iloc[-1]
            out.append(label("finding_wellbeing", lang, year=int(r["year"]),
                             indicator=value_label("ind", r["indicator"], lang).lower(),
                             value=number(r["value_pct"], lang, 0)))
    return out


def _sorted(frame: pd.DataFrame | None, keys: list[str]) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame()
    keys = [k for k in keys if k in frame.columns]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True) if keys else frame.reset_index(drop=True)


def report_tables(data: ReportData) -> dict[str, pd.DataFrame]:
    """The four report tables (sheet name -> frame), in a fixed row order."""
    survey = data.survey
    if survey is None and data.portal_index is not None:
        # no respondent-level data: the survey table is the portal's index view
        survey = data.portal_index.drop(columns=["source_row"], errors="ignore")
    return {
        "flags": _sorted(data.flags, ["level", "measure", "source_kind", "unit_code", "year"]),
        "integration": _sorted(data.integration, ["year", "level", "rank", "institution"]),
        "survey": _sorted(survey, ["year", "survey_year", "level", "unit_code", "sb_id", "item", "dimension_key"]),
        "wellbeing": _sorted(data.wellbeing, ["indicator", "group", "year"]),
    }


def report_content(data: ReportData, lang: str = "nb") -> ReportContent:
    """Figures, tables, findings and the flagged list for the report."""
    figures = (
        _gender_figures(data, lang)
        + _integration_figures(data, lang)
        + _survey_figures(data, lang)
        + _wellbeing_figures(data, lang)
    )
    names = [f.name for f in figures]
    if len(names) != len(set(names)):
        raise ValueError(f"two report figures share a name: {sorted(n for n in names if names.count(n) > 1)}")
    flagged = flagged_units(data.flags, data.year)
    return ReportContent(
        year=data.year,
        institution=data.institution,
        lang=lang,
        figures=figures,
        tables=report_tables(data),
        findings=key_findings(data, flagged, lang),
        flagged=flagged,
        warnings=list(data.warnings),
    )


def save_content(content: ReportContent, out_dir: Path | str) -> Path:
    """Write figures (plotly JSON), tables (CSV + Parquet) and ``content.json`` to ``out_dir``."""
    out_dir = Path(out_dir)
    (out_dir / FIGURES_DIR).mkdir(parents=True, exist_ok=True)
    (out_dir / TABLES_DIR).mkdir(parents=True, exist_ok=True)
    for fig in content.figures:
        (out_dir / FIGURES_DIR / f"{fig.name}.json").write_text(fig.figure.to_json(), encoding="utf-8")
    for name, frame in {**content.tables, "flagged": content.flagged}.items():
        formula_safe(frame).to_csv(out_dir / TABLES_DIR / f"{name}.csv", index=False, lineterminator="\n")
        frame.to_parquet(out_dir / TABLES_DIR / f"{name}.parquet", index=False)
    meta = {
        "year": content.year,
        "institution": content.institution,
        "lang": content.lang,
        "figures": [
            {"name": f.name, "section": f.section, "title": (f.figure.layout.title.text or "")}
            for f in content.figures
        ],
        "tables": sorted(content.tables),
        "findings": content.findings,
        "warnings": content.warnings,
    }
    (out_dir / CONTENT_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out_dir
