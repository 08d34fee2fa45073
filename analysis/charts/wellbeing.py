"""SHoT well-being charts: waves with definition breaks, and women against men."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from analysis.charts import theme
from analysis.charts.common import Source, empty_message, finish, new_figure
from analysis.charts.labels import label, value_label

BREAK_SYMBOL = "diamond-open"


def _segments(part: pd.DataFrame) -> pd.Series:
    """Segment number per row (rows sorted by year): a new segment starts at every wave not
    known to share the previous wave's definition — changed (True) or not comparable (missing:
    conflicting figures or no definition note). Only waves with ``definition_changed`` False
    are joined to the wave before."""
    same = part["definition_changed"].astype("boolean").eq(False).fillna(False).astype(bool)
    return (~same).cumsum()


def wellbeing_waves(
    wellbeing: pd.DataFrame,
    *,
    sources: Source | Iterable[Source],
    lang: str = "nb",
    group: str = "alle",
    indicators: Sequence[str] | None = None,
) -> go.Figure:
    """Each indicator across waves for one group. The line joins two waves only where the
    metric says the definition is unchanged; where it changed or comparability is unknown the
    line breaks and the wave after the break is a hollow diamond (legend: "definisjon endret
    eller usikker")."""
    rows = wellbeing[wellbeing["group"] == group]
    if indicators is not None:
        rows = rows[rows["indicator"].isin(list(indicators))]
    fig = new_figure(label("wellbeing_title", lang, group=value_label("group", group, lang)), sources, lang)
    if rows.empty:
        return empty_message(fig, lang)
    rows = rows.sort_values(["indicator", "year"], kind="stable")
    order = list(indicators) if indicators is not None else list(dict.fromkeys(rows["indicator"]))
    break_x: list[int] = []
    break_y: list[float] = []
    for i, ind in enumerate(order):
        part = rows[rows["indicator"] == ind]
        if part.empty:
            continue
        colour = theme.COLORWAY[i % len(theme.COLORWAY)]
        dash = "solid" if i < len(theme.COLORWAY) else "dot"  # second round of colours: dotted
        name = theme.plain(value_label("ind", ind, lang))
        seg = _segments(part)
        notes = part["definition_note"].astype("string").fillna("").map(theme.plain)
        for j, (_s, piece) in enumerate(part.groupby(seg.to_numpy(), sort=True)):
            if j > 0:
                break_x.append(int(piece["year"].iloc[0]))
                break_y.append(float(piece["value_pct"].iloc[0]))
            fig.add_scatter(
                name=name,
                legendgroup=ind,
                showlegend=j == 0,
                x=piece["year"].astype("int64"),
                y=pd.to_numeric(piece["value_pct"]).astype("float64"),
                mode="lines+markers",
                line={"color": colour, "width": 2, "dash": dash},
                marker={"color": colour, "size": 8},
                customdata=notes.loc[piece.index],
                hovertemplate=name + "<br>%{x}: %{y:.0f} %<br>%{customdata}<extra></extra>",
            )
    if break_x:
        # one trace marks every wave that starts a new segment; it is also the legend key
        fig.add_scatter(
            name=label("definition_break", lang),
            x=break_x,
            y=break_y,
            mode="markers",
            # open symbols are stroked in marker.color
            marker={"symbol": BREAK_SYMBOL, "size": 16, "color": "#444444", "line": {"width": 1.5}},
            hoverinfo="skip",
        )
    fig.update_xaxes(title=label("year", lang), dtick=1)
    fig.update_yaxes(title=label("percent_students", lang), rangemode="tozero", ticksuffix=" %")
    fig.update_layout(legend={"orientation": "v", "y": 1, "x": 1.02, "yanchor": "top",
                              "font": {"size": theme.NOTE_FONT_SIZE + 1}},
                      height=max(theme.HEIGHT_PX, 30 * (len(order) + 1) + 300), margin={"r": 280})
    return finish(fig)


def wellbeing_by_gender(
    wellbeing: pd.DataFrame,
    *,
    sources: Source | Iterable[Source],
    lang: str = "nb",
) -> go.Figure:
    """Women and men side by side for every indicator × wave reported for both."""
    both = wellbeing[wellbeing["group"].isin(["kvinner", "menn"])]
    pairs = both.groupby(["indicator", "year"])["group"].transform("nunique") == 2
    rows = both[pairs].sort_values(["year", "indicator"], kind="stable")
    fig = new_figure(label("wellbeing_gender_title", lang), sources, lang)
    if rows.empty:
        return empty_message(fig, lang)
    rows = rows.assign(
        shown=[f"{theme.plain(value_label('ind', i, lang))} {y}" for i, y in zip(rows["indicator"], rows["year"], strict=True)]
    )
    for group, colour in (("kvinner", theme.WOMEN), ("menn", theme.MEN)):
        part = rows[rows["group"] == group]
        values = pd.to_numeric(part["value_pct"]).astype("float64")
        fig.add_bar(
            name=value_label("group", group, lang),
            x=part["shown"],
            y=values,
            marker={"color": colour},
            text=[f"{v:.0f} %" for v in values],
            textposition="outside",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=label("percent_students", lang), ticksuffix=" %", rangemode="tozero")
    return finish(fig)
