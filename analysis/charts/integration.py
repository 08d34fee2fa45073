"""Integration of international students: ranking with the gap to the best."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts import theme
from analysis.charts.common import Source, empty_message, finish, new_figure
from analysis.charts.labels import label, number, value_label

SCALE_MIN, SCALE_MAX = 1, 5


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
    and annotated with its gap to the best.

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
    text = [
        number(s, lang, 2) + (f"  ({label('gap_to_best', lang, gap=number(g, lang, 2))})" if o and g > 0 else "")
        for s, g, o in zip(rows["score"], pd.to_numeric(rows["gap_to_best"]).astype("float64"), own, strict=True)
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
