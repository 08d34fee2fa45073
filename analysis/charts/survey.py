"""Studiebarometeret charts: portal indices against the field average, the portal's time
series, and from respondent-level aggregates item means and answer distributions.

Few-respondent results are drawn as open markers and named "få svarende"; values the portal
withheld, and suppressed aggregates, are never drawn as a point: they are named in place.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts import theme
from analysis.charts.common import NOTE_CHAR_PX, Source, empty_message, finish, new_figure, percent_axis, year_span
from analysis.charts.common import floats as _floats
from analysis.charts.labels import ci_level, counted, label, number, portal_field, value_label
from analysis.metrics.unit_names import portal_programme_names
from analysis.settings import LIKERT_MAX, LIKERT_MIN, PUBLISHED_SCORE_DIGITS, SCORE_DIGITS

#: Plotly's hover format of a published (portal) mean and of a mean the report computes.
PUBLISHED, COMPUTED = f".{PUBLISHED_SCORE_DIGITS}f", f".{SCORE_DIGITS}f"

SCALE = (LIKERT_MIN, LIKERT_MAX)


def dimension_label(key: str, lang: str) -> str:
    """The index's name; an index the labels do not know shows its key, escaped."""
    return theme.plain(value_label("dim", key, lang))


def portal_marks(rows: pd.DataFrame, min_n: int, warn_n: int) -> tuple[np.ndarray, np.ndarray]:
    """(suppressed, few respondents) per portal row, as the report shows them everywhere.

    The marks are the disclosure pass's (:func:`analysis.disclosure.protect_portal`, which the
    derived stage applies): the chart and the findings never decide on their own. A table that
    has not been through it (a notebook given the raw extract) goes through it here, with the
    same rule and the given minimum and warning level.
    """
    if "suppressed" not in rows or "few_respondents" not in rows:
        from dataclasses import replace

        from analysis.disclosure import protect_portal
        from analysis.settings import SurveySettings

        rows = protect_portal(rows, replace(SurveySettings(), min_n=min_n, warn_n=warn_n))
    suppressed = rows["suppressed"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    few = rows["few_respondents"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    return suppressed, few


def portal_index_chart(
    portal_index: pd.DataFrame,
    *,
    sb_id: str,
    institution: str,
    sources: Source | Iterable[Source],
    lang: str = "nb",
    survey_year: int | None = None,
    min_n: int,
    warn_n: int,
) -> go.Figure:
    """One programme's portal indices (dots) against the field average (black bars).

    The title names the survey, its year and the institution (``institution``, as the report
    names it): a chart lifted into another document still says whose results these are.

    A programme with the portal's few-respondents warning, or with fewer respondents than
    ``warn_n``, gets open markers and "få svarende" in the subtitle; a withheld value, and every
    value of a programme with fewer respondents than ``min_n`` (the product's own minimum, in
    case the portal showed one), is written out instead of drawn.
    """
    rows = portal_index[portal_index["sb_id"] == sb_id]
    if survey_year is not None:
        rows = rows[rows["survey_year"] == survey_year]
    year = int(rows["survey_year"].max()) if len(rows) else survey_year
    rows = rows[rows["survey_year"] == year].copy()
    name = theme.plain(portal_programme_names(rows, year).get(sb_id, sb_id))
    suppressed, few_rows = portal_marks(rows, min_n, warn_n) if len(rows) else (np.array([], bool), np.array([], bool))
    few = bool(few_rows.any())
    subtitle = None
    # a hidden programme's count is hidden with its values (protect_portal)
    if len(rows) and not suppressed.all() and not pd.isna(rows["respondents"].iloc[0]):
        rate = rows["response_rate_pct"].iloc[0]
        subtitle = label(
            "portal_subtitle",
            lang,
            respondents=counted(int(rows["respondents"].iloc[0]), "respondent", lang),
            rate="–" if pd.isna(rate) else number(rate, lang, 1) + " %",
        )
        if few:
            subtitle += f" — {label('few_respondents', lang)}"
    title = label("portal_title", lang, years=year_span([year]), institution=theme.plain(institution), programme=name)
    fig = new_figure(title, sources, lang, subtitle=subtitle)
    if rows.empty:
        return empty_message(fig, lang)
    rows["dim"] = [dimension_label(k, lang) for k in rows["dimension_key"]]
    # a suppressed result is never drawn, whatever the portal published
    value = np.where(suppressed, np.nan, _floats(rows["value"]))
    field = _floats(rows["field_average"])
    field_label = rows["field_average_label"].astype("string").fillna("").map(theme.plain)
    fields = {f for f in map(portal_field, rows["field_average_label"]) if f}
    fig.add_scatter(
        # one programme is compared with one field: named in the legend, which print keeps
        name=(
            label("field_average_of", lang, field=theme.plain(fields.pop()))
            if len(fields) == 1
            else label("field_average", lang)
        ),
        y=rows["dim"],
        x=field,
        mode="markers",
        marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": theme.FIELD_AVERAGE}},
        customdata=field_label,
        hovertemplate="%{y}: %{x:" + PUBLISHED + "}<br>%{customdata}<extra></extra>",
    )
    name_prog = label("programme_value", lang) + (f" ({label('few_respondents', lang)})" if few else "")
    fig.add_scatter(
        name=name_prog,
        y=rows["dim"],
        x=value,
        mode="markers+text",
        text=[number(v, lang, PUBLISHED_SCORE_DIGITS) if np.isfinite(v) else "" for v in value],
        textposition="top center",
        marker={
            "symbol": "circle-open" if few else "circle",
            "size": 13,
            "color": theme.OKABE_ITO["blue"],
            "line": {"width": 2, "color": theme.OKABE_ITO["blue"]},
        },
        hovertemplate="%{y}: %{x:" + PUBLISHED + "}<extra>" + theme.plain(name_prog) + "</extra>",
    )
    for dim in rows.loc[~np.isfinite(value), "dim"]:
        fig.add_annotation(
            y=dim,
            x=SCALE[0] + 0.1,
            xanchor="left",
            text=label("withheld", lang),
            showarrow=False,
            font={"color": theme.UNKNOWN},
        )
    fig.update_xaxes(range=[SCALE[0], SCALE[1] + 0.05], title=label("score", lang), showgrid=True, gridcolor="#E5E5E5")
    fig.update_yaxes(autorange="reversed", showgrid=False, automargin=True)
    return finish(fig)


def portal_history_chart(
    history: pd.DataFrame,
    *,
    sb_id: str,
    programme_name: str,
    institution: str,
    sources: Source | Iterable[Source],
    lang: str = "nb",
) -> go.Figure:
    """The portal's time series for one programme, one line per index. A year the portal
    withheld (too few answers) breaks every line and is named on the axis. The title names
    the years and the institution, as :func:`portal_index_chart`'s does."""
    rows = history[history["sb_id"] == sb_id].copy()
    fig = new_figure(
        label(
            "history_title",
            lang,
            years=year_span(rows["survey_year"]),
            institution=theme.plain(institution),
            programme=theme.plain(programme_name),
        ),
        sources,
        lang,
    )
    if rows.empty:
        return empty_message(fig, lang)
    rows["v"] = _floats(rows["value"])
    for i, (key, part) in enumerate(rows.groupby("dimension_key", sort=False)):
        part = part.sort_values("survey_year")
        colour = theme.COLORWAY[i % len(theme.COLORWAY)]
        fig.add_scatter(
            name=dimension_label(str(key), lang),
            x=part["survey_year"].astype("int64"),
            y=part["v"],
            mode="lines+markers",
            connectgaps=False,
            line={"color": colour},
            marker={"color": colour},
            hovertemplate="%{fullData.name}<br>%{x}: %{y:" + PUBLISHED + "}<extra></extra>",
        )
    withheld = sorted(rows.loc[~np.isfinite(rows["v"]), "survey_year"].astype("int64").unique())
    for yr in withheld:
        fig.add_vrect(x0=yr - 0.4, x1=yr + 0.4, fillcolor=theme.UNKNOWN, opacity=0.15, line_width=0)
        fig.add_annotation(
            x=yr,
            y=1,
            yref="paper",
            yanchor="bottom",
            text=label("withheld", lang),
            showarrow=False,
            font={"color": "#555555", "size": theme.NOTE_FONT_SIZE},
        )
    fig.update_xaxes(dtick=1, title=label("survey_year", lang))
    fig.update_yaxes(range=list(SCALE), title=label("score", lang))
    return finish(fig)


def survey_items_chart(
    items: pd.DataFrame,
    *,
    unit_code: str,
    year: int,
    institution: str,
    sources: Source | Iterable[Source],
    lang: str = "nb",
    item_labels: dict[str, str] | None = None,
    unit_name: str | None = None,
    confidence_level: float,
) -> go.Figure:
    """Item means with their confidence interval for one unit and year (respondent-level
    aggregates); the title says ``confidence_level``, the one the intervals were computed with
    (``survey.confidence_level``).

    Suppressed items (n below the minimum) show no number at all, only "skjermet"; items with
    few respondents are open markers. The title names the survey, its year, ``institution`` (as
    :func:`portal_index_chart`'s does) and the unit: ``unit_name`` (the code when not given).
    """
    rows = items[(items["unit_code"] == unit_code) & (items["year"] == year)].copy()
    title = label(
        "items_title",
        lang,
        year=year,
        institution=theme.plain(institution),
        unit=theme.plain(unit_name or unit_code),
        level=ci_level(confidence_level, lang),
    )
    fig = new_figure(title, sources, lang)
    if rows.empty:
        return empty_message(fig, lang)
    rows["shown"] = [theme.plain((item_labels or {}).get(i, i)) for i in rows["item"]]
    suppressed = rows["suppressed"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    few = rows["few_respondents"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    # never pass a suppressed mean to the figure, whatever the frame holds
    shown = rows[~suppressed]
    for is_few, part in ((False, shown[~few[~suppressed]]), (True, shown[few[~suppressed]])):
        if part.empty:
            continue
        mean = _floats(part["mean"])
        fig.add_scatter(
            name=label("score", lang) + (f" ({label('few_respondents', lang)})" if is_few else ""),
            y=part["shown"],
            x=mean,
            mode="markers",
            error_x={
                "type": "data",
                "symmetric": False,
                "array": _floats(part["ci_high"]) - mean,
                "arrayminus": mean - _floats(part["ci_low"]),
                "color": "#555555",
            },
            marker={"symbol": "circle-open" if is_few else "circle", "size": 10, "color": theme.OKABE_ITO["blue"]},
            customdata=part["n"].astype("int64"),
            hovertemplate="%{y}: %{x:" + COMPUTED + "} (n=%{customdata})<extra></extra>",
        )
    for name in rows.loc[suppressed, "shown"]:
        fig.add_scatter(y=[name], x=[None], mode="markers", showlegend=False, hoverinfo="skip")
        fig.add_annotation(
            y=name,
            x=SCALE[0] + 0.1,
            xanchor="left",
            text=label("suppressed", lang),
            showarrow=False,
            font={"color": theme.UNKNOWN},
        )
    fig.update_xaxes(range=[SCALE[0], SCALE[1] + 0.05], title=label("score", lang))
    # the items in the frame's order, suppressed ones in their place (not after the shown ones)
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=list(rows["shown"]),
        range=[len(rows) - 0.5, -0.5],
        showgrid=False,
        automargin=True,
    )
    fig.update_layout(height=max(theme.HEIGHT_PX, 30 * len(rows) + 220))
    return finish(fig)


#: Colours of the answers 1–5: a diverging Okabe–Ito scale, the middle answer grey, so that a
#: reader sees the low and the high answers at once, also in greyscale and with colour-vision
#: deficiency.
ANSWER_COLOURS = (
    theme.OKABE_ITO["vermillion"],
    theme.OKABE_ITO["orange"],
    "#BBBBBB",
    theme.OKABE_ITO["sky_blue"],
    theme.OKABE_ITO["blue"],
)
#: Characters of a question's text beside its bar: longer texts leave the bars no room.
QUESTION_CHARS = 48


def _answer_name(answer: int, lang: str) -> str:
    if answer == SCALE[0]:
        return label("answer_lowest", lang, answer=answer)
    if answer == SCALE[1]:
        return label("answer_highest", lang, answer=answer)
    return str(answer)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def survey_distribution_chart(
    items: pd.DataFrame,
    *,
    unit_code: str,
    year: int,
    institution: str,
    sources: Source | Iterable[Source],
    lang: str = "nb",
    unit_name: str | None = None,
    item_labels: dict[str, str] | None = None,
    groups: dict[str, tuple[str, ...]] | None = None,
) -> go.Figure:
    """The answer distribution of each item for one unit and year: one 100 % bar per item,
    stacked by answer 1–5.

    The shares are the aggregate's own (``pct_1`` … ``pct_5``: % of the item's ``n`` answers on
    the scale). "Vet ikke" is not an answer and is not in the bar: its share of those who
    answered or said "vet ikke" (``dont_know_pct``) is written beside the bar with ``n`` and the
    "få svarende" mark; where the data does not know it, the subtitle says so. A suppressed item
    draws no bar and no number: it is named "skjermet".

    Args:
        institution: the institution, as the report names it, for the title (with the survey,
            its year and the unit, as :func:`portal_index_chart`'s).
        unit_name: names the unit in the title (the code when not given).
        item_labels: item -> question text for the rows.
        groups: index name -> its items: the items are shown under their index's name, in the
            indices' order, each item once; items in no index are left out. None: every item,
            in the frame's order.
    """
    rows = items[(items["unit_code"] == unit_code) & (items["year"] == year)]
    by_item = {str(r["item"]): r for _, r in rows.iterrows()}
    known = "dont_know_pct" in rows and rows["dont_know_pct"].notna().any()
    title = label(
        "distribution_title",
        lang,
        year=year,
        institution=theme.plain(institution),
        unit=theme.plain(unit_name or unit_code),
    )
    subtitle = label("distribution_subtitle" if known else "distribution_subtitle_no_dont_know", lang)
    fig = new_figure(title, sources, lang, subtitle=subtitle)
    # the rows of the chart, top to bottom: (category text, item or None for an index heading)
    order: list[tuple[str, str | None]] = []
    if groups is None:
        order = [(str(i), str(i)) for i in by_item]
    else:
        seen: set[str] = set()
        for index, members in groups.items():
            present = [m for m in members if m in by_item and m not in seen]
            if present:
                order.append((f"<b>{dimension_label(index, lang)}</b>", None))
                order += [(m, m) for m in present]
                seen.update(present)
    if not any(item for _, item in order):
        return empty_message(fig, lang)
    categories: list[str] = []
    shown: list[tuple[str, pd.Series, str]] = []
    for text, item in order:
        if item is None:
            categories.append(text)
            continue
        r = by_item[item]
        text = theme.plain(_short((item_labels or {}).get(item, item), QUESTION_CHARS))
        while text in categories:  # two questions with one text would share a bar
            text += " "
        categories.append(text)
        if not (pd.notna(r["suppressed"]) and not r["suppressed"]):
            # nothing of a hidden cell is drawn or written, not even its n
            fig.add_annotation(
                y=text,
                x=0.01,
                xanchor="left",
                text=label("suppressed", lang),
                showarrow=False,
                font={"color": theme.UNKNOWN},
            )
            continue
        note = label("n_equals", lang, n=int(r["n"]))
        if pd.notna(r["few_respondents"]) and r["few_respondents"]:
            note += f", {label('few_respondents', lang)}"
        share = r.get("dont_know_pct")
        if pd.notna(share):
            note += " · " + label("dont_know_share", lang, pct=number(share, lang, 1))
        shown.append((text, r, note))
    # every category on the axis, in order: the index headings and the suppressed items too
    fig.add_scatter(y=categories, x=[None] * len(categories), mode="markers", showlegend=False, hoverinfo="skip")
    names = [t for t, _, _ in shown]
    for k, answer in enumerate(range(SCALE[0], SCALE[1] + 1)):
        percent = np.array([float(r[f"pct_{answer}"]) for _, r, _ in shown], dtype=float)
        fig.add_bar(
            name=_answer_name(answer, lang),
            y=names,
            x=percent / 100,
            orientation="h",
            marker={"color": ANSWER_COLOURS[k]},
            text=[number(v, lang, 1) for v in percent],
            textposition="inside",
            textangle=0,
            insidetextanchor="middle",
            textfont={"size": theme.NOTE_FONT_SIZE, "color": "white" if k in (0, 4) else "#222222"},
            customdata=percent,
            hovertemplate="%{y}<br>" + theme.plain(_answer_name(answer, lang)) + ": %{customdata:.1f} %<extra></extra>",
        )
    for text, _, note in shown:
        fig.add_annotation(
            y=text,
            x=1.01,
            xref="paper",
            xanchor="left",
            text=note,
            showarrow=False,
            font={"size": theme.NOTE_FONT_SIZE, "color": "#555555"},
        )
    right = int(16 + NOTE_CHAR_PX * max((len(n) for _, _, n in shown), default=0))
    # a segment too narrow for its number shows none (the hover has it), never a rotated one
    fig.update_layout(
        barmode="stack",
        uniformtext={"minsize": theme.NOTE_FONT_SIZE, "mode": "hide"},
        legend={"traceorder": "normal"},
        margin={"r": max(right, theme.MARGIN["r"])},
        height=max(theme.HEIGHT_PX, 30 * len(categories) + 260),
    )
    percent_axis(fig, "x", lang)
    fig.update_xaxes(range=[0, 1], title=label("share_of_answers", lang))
    # top to bottom, and no padding band: autorange pads a category axis with markers on it
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=categories,
        range=[len(categories) - 0.5, -0.5],
        showgrid=False,
        automargin=True,
    )
    return finish(fig)
