"""Integration of international students: academic and social integration side by side and
combined, ranked within a stated comparison group."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts import theme
from analysis.charts.common import Source, empty_message, finish, new_figure
from analysis.charts.labels import gap_words, label, number, value_label
from analysis.metrics.integration import is_programme
from analysis.settings import LIKERT_MAX as SCALE_MAX
from analysis.settings import LIKERT_MIN as SCALE_MIN
from analysis.settings import SCORE_DIGITS, integration_score_digits

#: The three measures of a unit, in the order they are drawn, with their colours and whether
#: they are the source's scores (written as :func:`analysis.settings.integration_score_digits`
#: says: an extract's with the one decimal NOKUT publishes) or the combined score (their mean,
#: exact with two decimals).
SERIES = (
    ("academic", "academic", theme.OKABE_ITO["sky_blue"], True),
    ("social", "social", theme.OKABE_ITO["orange"], True),
    ("integration_score", "integration_combined", theme.OKABE_ITO["blue"], False),
)
ROW_PX = 64  # three bars and a gap per unit
#: A unit's name is wrapped at this many characters (three lines fit a row of three bars): a
#: programme with its institution's name, "MTDT0122 (Universitetet i Tromsø - Norges arktiske
#: universitet)", on one line took the plot down to 190 px, folded the legend into a column over
#: the first row's name and cut the bars' values at 5 off.
NAME_CHARS = 36


def integration_ranking(
    scores: pd.DataFrame,
    *,
    year: int,
    level: str,
    highlight: str | None,
    sources: Source | Iterable[Source],
    lang: str = "nb",
    subtitle: str | None = None,
    scope: str | None = None,
) -> go.Figure:
    """One row per unit, ranked by the combined score (best at the top): academic, social and
    combined integration as three bars side by side. The own unit's name is bold and its
    rank and gaps to the best and to the median are written out with their direction
    ("2,05 under beste"). A suppressed unit (too few answers) has no bars and says
    "skjermet"; a unit with few respondents is marked "få svarende".

    Bars start at the scale minimum (1), not 0: the survey scale has no 0.

    Args:
        scores: rows of :func:`analysis.metrics.integration.integration_scores`.
        year, level: the survey year and study level shown.
        highlight: the own institution's name as in ``scores["institution"]`` (or None).
        subtitle: the comparison group and n, as the report states them.
        scope: the own institution as the report names it, for the title ("NTNU og
            sammenligningsgruppen"); the title names the group alone where it is None or the
            own institution is not among the units shown.
    """
    rows = scores[(scores["year"] == year) & (scores["level"] == level)].copy()
    rows = rows.sort_values(["rank", "institution"], kind="stable", na_position="last")
    own = (rows["institution"] == highlight).to_numpy()
    institutions = rows["institution"].dropna().unique()
    if is_programme(rows).all() and len(institutions) == 1:
        # respondent-level data: one institution's programmes, ranked among themselves
        whose = label(
            "integration_scope_programmes", lang, institution=scope if own.any() and scope else institutions[0]
        )
    elif scope and own.any():
        whose = label("integration_scope_own", lang, institution=scope)
    else:
        whose = label("integration_scope_group", lang)
    fig = new_figure(
        label("integration_title", lang, year=year, scope=theme.plain(whose), level=value_label("level", level, lang)),
        sources,
        lang,
        subtitle=subtitle,
    )
    if rows.empty:
        return empty_message(fig, lang)
    wrapped = [
        "<br>".join(theme.plain(line) for line in textwrap.wrap(n, NAME_CHARS) or [n]) for n in unit_labels(rows)
    ]
    rows["shown"] = [f"<b>{n}</b>" if o else n for n, o in zip(wrapped, own, strict=True)]
    suppressed = _flag(rows, "suppressed")
    few = _flag(rows, "few_respondents") & ~suppressed
    source_digits = integration_score_digits(rows["source"] if "source" in rows.columns else ())
    for column, key, colour, is_source_score in SERIES:
        digits = source_digits if is_source_score else SCORE_DIGITS
        values = pd.to_numeric(rows[column], errors="coerce").astype("float64").to_numpy()
        values = np.where(suppressed, np.nan, values)
        fig.add_bar(
            name=label(key, lang),
            orientation="h",
            y=rows["shown"],
            base=SCALE_MIN,
            x=values - SCALE_MIN,
            marker={"color": colour, "line": {"width": 0}},
            text=[number(v, lang, digits) if np.isfinite(v) else "" for v in values],
            textposition="outside",
            textfont={"size": theme.NOTE_FONT_SIZE + 1},
            customdata=values,
            hovertemplate="%{y}<br>" + label(key, lang) + ": %{customdata:." + str(digits) + "f}<extra></extra>",
        )
    # what a reader needs beside the bars: rank, gaps, few answers, or why there is no bar
    for shown, is_own, hidden, is_few, (_, r) in zip(rows["shown"], own, suppressed, few, rows.iterrows(), strict=True):
        notes = []
        if hidden:
            notes.append(label("suppressed", lang))
        elif is_own and pd.notna(r.get("rank")):
            notes.append(label("rank_of", lang, rank=int(r["rank"]), total=int(r["units_ranked"])))
            notes.append(gap_words(r.get("gap_to_best"), "best", lang))
            notes.append(gap_words(r.get("gap_to_median"), "median", lang))
        if is_few:
            notes.append(label("few_respondents", lang))
        if notes:
            # right of the plot (paper coordinates: data coordinates past the axis are not drawn)
            fig.add_annotation(
                y=shown,
                x=1.01,
                xref="paper",
                xanchor="left",
                yanchor="middle",
                showarrow=False,
                text="<br>".join(theme.plain(n) for n in notes),
                font={"size": theme.NOTE_FONT_SIZE + 1, "color": theme.HIGHLIGHT if is_own else "#444444"},
                align="left",
            )
    fig.update_layout(
        barmode="group", bargap=0.25, bargroupgap=0.05, height=ROW_PX * len(rows) + 260, margin={"r": 190}
    )
    fig.update_xaxes(
        range=[SCALE_MIN, SCALE_MAX + 0.3],
        title=label("integration_score", lang),
        tickvals=list(range(SCALE_MIN, SCALE_MAX + 1)),
        showgrid=True,
        gridcolor="#E5E5E5",
    )
    # (categories, whatever they look like: programme codes of digits, "000006", were read as
    # numbers and drawn on a number axis)
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False, automargin=True)
    return finish(fig)


def unit_labels(rows: pd.DataFrame) -> list[str]:
    """Each row's unit as the chart names it: the institution, or the programme — with its
    institution where the chart holds programmes of more than one. One bar row per unit:
    respondent-level programmes were all labelled with their institution's code and drawn on
    one row, their values on top of each other (a helper's attack, 2026-12-04)."""
    programme = is_programme(rows).to_numpy()
    institution_names = rows["institution"].astype("string")
    names = (rows["unit_name"].astype("string") if "unit_name" in rows else institution_names).fillna(institution_names)
    names = names.fillna("")
    institution = rows["institution"].astype("string").fillna("")
    several = rows.loc[programme, "institution"].nunique(dropna=False) > 1
    return [
        f"{n} ({i})" if p and several and i else str(n) for n, i, p in zip(names, institution, programme, strict=True)
    ]


def _flag(rows: pd.DataFrame, column: str) -> np.ndarray:
    """A boolean column as an array; a missing column or value is False."""
    if column not in rows:
        return np.zeros(len(rows), dtype=bool)
    return rows[column].astype("boolean").fillna(False).to_numpy(dtype=bool)
