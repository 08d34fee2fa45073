"""SHoT well-being charts: one indicator across waves with its scope, definition breaks and
change since the previous comparable wave; women against men."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from analysis.charts import theme
from analysis.charts.common import Source, empty_message, finish, new_figure, tidy_title, year_span
from analysis.charts.labels import change_words, label, number, value_label

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
    # a place's waves (SHoT's "Bergen (Sammen)") are named by the scope, "region Bergen (Sammen)";
    # the group again in brackets after it read "… bølger (Bergen (Sammen))"
    of_place = not rows.empty and not (rows["scope"] == "national").any()
    fig = new_figure(
        tidy_title(
            label(
                "wellbeing_place_title" if of_place else "wellbeing_title",
                lang,
                group=value_label("group", group, lang),
                years=year_span(rows["year"]),
                scope=theme.plain(wellbeing_scope(rows, lang)),
            )
        ),
        sources,
        lang,
    )
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
                hovertemplate=name + "<br>%{x}: %{y:.1f} %<br>%{customdata}<extra></extra>",
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
    fig.update_layout(
        legend={"orientation": "v", "y": 1, "x": 1.02, "yanchor": "top", "font": {"size": theme.NOTE_FONT_SIZE + 1}},
        height=max(theme.HEIGHT_PX, 30 * (len(order) + 1) + 300),
        margin={"r": 280},
    )
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
    fig = new_figure(
        tidy_title(
            label(
                "wellbeing_gender_title",
                lang,
                years=year_span(rows["year"]),
                scope=theme.plain(wellbeing_scope(rows, lang)),
            )
        ),
        sources,
        lang,
    )
    if rows.empty:
        return empty_message(fig, lang)
    rows = rows.assign(
        shown=[
            f"{theme.plain(value_label('ind', i, lang))} {y}"
            for i, y in zip(rows["indicator"], rows["year"], strict=True)
        ]
    )
    for group, colour in (("kvinner", theme.WOMEN), ("menn", theme.MEN)):
        part = rows[rows["group"] == group]
        values = pd.to_numeric(part["value_pct"]).astype("float64")
        fig.add_bar(
            name=value_label("group", group, lang),
            x=part["shown"],
            y=values,
            marker={"color": colour},
            text=[f"{number(v, lang, 1)} %" for v in values],
            textposition="outside",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=label("percent_students", lang), ticksuffix=" %", rangemode="tozero")
    return finish(fig)


#: Series colours by group, fixed so a reader learns them once: everyone black, women and men
#: as everywhere in the report; regions and institutions take the remaining colours in order.
GROUP_COLOURS = {"all": theme.ALL, "women": theme.WOMEN, "men": theme.MEN}
PLACE_COLOURS = [theme.OKABE_ITO[k] for k in ("orange", "bluish_green", "reddish_purple", "sky_blue")]


def place_name(place: object, scope: object, lang: str) -> str:
    """A place SHoT reports figures for, with what kind of place it is: "region Bergen
    (Sammen)", "institusjon NTNU". The scope word goes before the name: SHoT's names carry
    brackets of their own, and "Bergen (Sammen) (region)" read as two asides."""
    return label("scope_place", lang, scope=label(f"scope_word_{scope}", lang), place=place)


def series_name(row: pd.Series, lang: str) -> str:
    """ "alle (nasjonalt)", "kvinner (nasjonalt)", "region Bergen (Sammen)" (:func:`place_name`)."""
    if row["scope"] == "national":
        return f"{value_label('group', row['group'], lang)} ({label('scope_word_national', lang)})"
    return place_name(row["group"], row["scope"], lang)


def wellbeing_scope(wb: pd.DataFrame, lang: str) -> str:
    """ "nasjonale tall", or "nasjonale tall og region Bergen (Sammen)" when SHoT reports a
    place too, or the place alone ("region Bergen (Sammen)") for rows of a place only
    (:func:`place_name`): SHoT's figures are national, never the institution's own unless SHoT
    names it."""
    places = wb[wb["scope"] != "national"].drop_duplicates("group")
    if places.empty:
        return label("scope_national", lang)
    named = ", ".join(place_name(g, s, lang) for g, s in zip(places["group"], places["scope"], strict=True))
    if not (wb["scope"] == "national").any():
        return named  # a place's own figures: not national ones too
    return label("scope_national_and", lang, places=named)


def wellbeing_indicator(
    wellbeing: pd.DataFrame,
    *,
    indicator: str,
    sources: Source | Iterable[Source],
    lang: str = "nb",
    upto: int | None = None,
) -> go.Figure:
    """One indicator across waves, one line per group (everyone, women, men nationally; a
    region or an institution where SHoT reports one), each named with its scope.

    A line joins two waves only where the metric says the definition is unchanged; at a break
    the wave after it is a hollow diamond and the line starts again. A wave with conflicting
    figures from different reports shows each figure as a hollow circle. The last wave of each
    line is labelled with its value and the change since the previous comparable wave (or
    that there is none). The title names the waves and whose figures they are
    (:func:`wellbeing_scope`: national, and the places SHoT reports).
    """
    rows = wellbeing[wellbeing["indicator"] == indicator]
    if upto is not None:
        rows = rows[rows["year"] <= upto]
    name = theme.plain(value_label("ind", indicator, lang))
    fig = new_figure(
        tidy_title(
            label(
                "wellbeing_indicator_title",
                lang,
                indicator=name,
                years=year_span(rows["year"]),
                scope=theme.plain(wellbeing_scope(rows, lang)),
            )
        ),
        sources,
        lang,
        subtitle=label("wellbeing_indicator_subtitle", lang),
    )
    if rows.empty:
        return empty_message(fig, lang)
    rows = rows.sort_values(["year", "group"], kind="stable")
    groups = list(
        dict.fromkeys(
            rows.sort_values(
                "scope", key=lambda s: s.map({"national": 0, "institution": 1, "region": 2}), kind="stable"
            )["group"]
        )
    )
    places = iter(PLACE_COLOURS)
    break_x: list[int] = []
    break_y: list[float] = []
    conflict_x: list[int] = []
    conflict_y: list[float] = []
    last_points: list[tuple[int, float, str]] = []
    for group in groups:
        part = rows[rows["group"] == group]
        first = part.iloc[0]
        colour = (
            GROUP_COLOURS.get(first["gender"], theme.ALL)
            if first["scope"] == "national"
            else next(places, theme.OKABE_ITO["black"])
        )
        conflicting = part["conflicting"].astype(bool)
        conflict_x += part.loc[conflicting, "year"].astype(int).tolist()
        conflict_y += part.loc[conflicting, "value_pct"].astype(float).tolist()
        single = part[~conflicting]
        # the legend names the series with its scope and its last wave's change in words
        shown = theme.plain(series_name(first, lang))
        if len(single):
            last = single.iloc[-1]
            shown += f" – {int(last['year'])}: " + theme.plain(change_words(last, lang))
            last_points.append((int(last["year"]), float(last["value_pct"]), colour))
        seg = _segments(single) if len(single) else pd.Series(dtype="int64")
        for j, (_s, piece) in enumerate(single.groupby(seg.to_numpy(), sort=True)):
            if j > 0:
                break_x.append(int(piece["year"].iloc[0]))
                break_y.append(float(piece["value_pct"].iloc[0]))
            fig.add_scatter(
                name=shown,
                legendgroup=str(group),
                showlegend=j == 0,
                x=piece["year"].astype("int64"),
                y=pd.to_numeric(piece["value_pct"]).astype("float64"),
                mode="lines+markers",
                line={"color": colour, "width": 2.5},
                marker={"color": colour, "size": 8},
                customdata=piece["definition_note"].astype("string").fillna("").map(theme.plain),
                hovertemplate=theme.plain(series_name(first, lang)) + "<br>%{x}: %{y:.1f} %<br>%{customdata}"
                "<extra></extra>",
            )
    # the value at each line's last wave; where several lines end in the same wave, the highest
    # is labelled above its point and the others below theirs, so the labels never overlap
    for yr in sorted({p[0] for p in last_points}):
        same = sorted((p for p in last_points if p[0] == yr), key=lambda p: -p[1])
        for k, (_, value, colour) in enumerate(same):
            fig.add_annotation(
                x=yr,
                y=value,
                xanchor="left",
                xshift=8,
                showarrow=False,
                yanchor="bottom" if k == 0 else "top",
                yshift=3 if k == 0 else -3 - 14 * (k - 1),
                text=f"{number(value, lang, 1)} %",
                font={"size": theme.NOTE_FONT_SIZE + 1, "color": colour},
            )
    if conflict_x:
        fig.add_scatter(
            name=label("conflicting_figures", lang),
            x=conflict_x,
            y=conflict_y,
            mode="markers",
            marker={"symbol": "circle-open", "size": 11, "color": "#444444", "line": {"width": 1.5}},
            hovertemplate="%{x}: %{y:.1f} %<extra>" + label("conflicting_figures", lang) + "</extra>",
        )
    if break_x:
        fig.add_scatter(
            name=label("definition_break", lang),
            x=break_x,
            y=break_y,
            mode="markers",
            marker={"symbol": BREAK_SYMBOL, "size": 16, "color": "#444444", "line": {"width": 1.5}},
            hoverinfo="skip",
        )
    values = pd.to_numeric(rows["value_pct"]).astype(float)
    years = sorted(rows["year"].astype(int).unique())
    fig.update_xaxes(title=label("year", lang), tickvals=years, range=[years[0] - 0.6, years[-1] + 0.9])
    fig.update_yaxes(
        title=label("percent_students", lang), range=[0, max(10.0, float(values.max()) * 1.15)], ticksuffix=" %"
    )
    fig.update_layout(height=460, margin={"r": 60}, showlegend=True)
    return finish(fig)
