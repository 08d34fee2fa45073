"""Integration of international students: ranking with the gap to the best."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts import theme
from analysis.charts.common import Source, empty_message, finish, new_figure
from analysis.charts.labels import label, number, value_label
from analysis.settings import LIKERT_MAX as SCALE_MAX
from analysis.settings import LIKERT_MIN as SCALE_MIN


def integration_ranking(
    scores: pd.DataFrame,
    *,
    year: int,
    level: str,
    highlight: str | None,
    sources: Source | Iterable[Source],
    lang: str = "nb",
) -> go.Figure:
    """Institutions ranked by integration score (best at the top), the own one highlighted
    and annotated with its gap to the best. A suppressed unit (too few answers) has no bar and
    says "skjermet"; a unit with few respondents is marked "få svarende".

    Bars start at the scale minimum (1), not 0: the survey scale has no 0.

    Args:
        scores: rows of :func:`analysis.metrics.integration.integration_scores`.
        year, level: the survey year and study level shown.
        highlight: the own institution's name as in ``scores["institution"]`` (or None).
    """
    rows = scores[(scores["year"] == year) & (scores["level"] == level)].copy()
    fig = new_figure(
        label("integration_title", lang, year=year, level=value_label("level", level, lang)),
        sources,
        lang,
    )
    if rows.empty:
        return empty_message(fig, lang)
    rows["score"] = pd.to_numeric(rows["integration_score"], errors="coerce").astype("float64")
    rows = rows.sort_values(["rank", "institution"], kind="stable")
    rows["shown"] = rows["institution"].map(theme.plain)
    own = (rows["institution"] == highlight).to_numpy()
    colours = np.where(own, theme.HIGHLIGHT, theme.OTHERS)
    suppressed = _flag(rows, "suppressed")
    few = _flag(rows, "few_respondents") & ~suppressed
    text = [
        label("suppressed", lang) if hidden or not np.isfinite(s) else
        number(s, lang, 2) + (f"  ({label('gap_to_best', lang, gap=number(g, lang, 2))})" if o and g > 0 else "")
        + (f"  ({label('few_respondents', lang)})" if f else "")
        for s, g, o, hidden, f in zip(rows["score"], pd.to_numeric(rows["gap_to_best"]).astype("float64"), own,
                                      suppressed, few, strict=True)
    ]
    fig.add_bar(
        orientation="h",
        y=rows["shown"],
        base=SCALE_MIN,
        x=rows["score"] - SCALE_MIN,
        marker={"color": colours},
        text=text,
        textposition="outside",
        customdata=np.stack([rows["score"], rows["rank"].astype("float64")], axis=1),
        hovertemplate="%{y}<br>" + label("integration_score", lang) + ": %{customdata[0]:.2f}<br>"
        + label("rank", lang) + ": %{customdata[1]}<extra></extra>",
        showlegend=False,
    )
    fig.update_xaxes(range=[SCALE_MIN, SCALE_MAX + 0.9], title=label("integration_score", lang),
                     tickvals=list(range(SCALE_MIN, SCALE_MAX + 1)))
    fig.update_yaxes(autorange="reversed", showgrid=False, automargin=True)
    fig.update_layout(height=max(380, 40 * len(rows) + 220))
    return finish(fig)


def _flag(rows: pd.DataFrame, column: str) -> np.ndarray:
    """A boolean column as an array; a missing column or value is False."""
    if column not in rows:
        return np.zeros(len(rows), dtype=bool)
    return rows[column].astype("boolean").fillna(False).to_numpy(dtype=bool)
