"""The report's SHoT section: the latest wave per indicator and group, national or regional
figures named as such, and the charts of the waves."""

from __future__ import annotations

import pandas as pd

from analysis.charts.labels import (
    change_words,
    label,
    number,
    previous_wave_words,
    value_label,
)
from analysis.charts.wellbeing import wellbeing_indicator, wellbeing_scope
from analysis.report import document as doc
from analysis.report.data import ReportData, sources_for
from analysis.report.parts import ReportFigure, no_data_text, own_scope, report_figure, slug, sources_line

#: The SHoT indicator of the headline finding.
HEADLINE_INDICATOR = "alvorlige_psykiske_symptomplager"


def latest_waves(wb: pd.DataFrame) -> pd.DataFrame:
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
                doc.heading(label("heading_wellbeing_none", lang, scope=scope), 2, "wellbeing"),
                doc.paragraph(
                    no_data_text("what_wellbeing", own_scope(data, lang), data, lang, (every, "year")), doc.NO_DATA
                ),
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
    latest = latest_waves(wb)
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
                    change_words(r, lang) + previous_wave_words(r, lang)
                    if len(part) == 1
                    else label("conflicting_figures", lang),
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
            source=sources_line(latest, data, lang, kind="shot-indicators"),
        )
    )
    src = sources_for(wb, data.retrieved, lang, kind="shot-indicators")
    waves = wb.groupby("indicator")["year"].nunique()
    order = sorted(waves[waves >= 2].index, key=lambda i: (i != HEADLINE_INDICATOR, -waves[i], i))
    figures = [
        report_figure(
            f"shot_{slug(ind)}", "wellbeing", wellbeing_indicator(wb, indicator=ind, sources=src, lang=lang), lang
        )
        for ind in order
    ]
    return blocks, figures, yr
