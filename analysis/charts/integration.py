"""Integration of international students: academic and social integration side by side and
combined, ranked within a stated comparison group."""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts import theme
from analysis.charts.common import NOTE_LINE_CHARS, Source, empty_message, finish, new_figure
from analysis.charts.labels import best_words, counted, gap_words, label, number, score_words, value_label
from analysis.metrics.integration import is_programme
from analysis.settings import LIKERT_MAX as SCALE_MAX
from analysis.settings import LIKERT_MIN as SCALE_MIN
from analysis.settings import SCORE_DIGITS, integration_score_digits
from analysis.words import joined

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
#: The most bar rows the chart draws. A Word page holds a figure of about 1 200 px at the
#: layout width (``analysis.report.word.MAX_FIGURE_HEIGHT_CM`` at 900 px for 17 cm): 16 rows
#: of ``ROW_PX`` and the title, axis and notes are ~1 280 px, printed at 94 %. A national
#: respondent file drew all 291 programmes of five institutions, a 42 000 px PNG.
MAX_ROWS = 16


@dataclass(frozen=True)
class ChartRows:
    """Which rows the integration chart draws (:func:`chart_rows`) and what its note says of
    the rest."""

    #: the rows to draw, best first; ``reference`` marks the group's median row
    rows: pd.DataFrame
    #: False: every shown unit is drawn (a group small enough to fit)
    cut: bool
    #: units ranked in the comparison group (shown units with a score)
    ranked: int
    #: units hidden for too few answers: in the table with "–", never drawn
    hidden: int
    #: own units the chart has no room for (a large institution's middle ranks)
    own_left_out: int
    #: how many of the group's best are drawn (``best``, fewer where a tie crosses the last place)
    best: int = 0
    #: score -> how many ranked units its median (the reference row's bar) is of: the ranked
    #: units whose that score is shown (fewer than ``ranked`` where a score outside the combined
    #: one is hidden for some)
    median_of: dict[str, int] = field(default_factory=dict)


def chart_rows(rows: pd.DataFrame, own: pd.Series, best: int) -> ChartRows:
    """The one rule of which integration rows a chart draws, for one level and year.

    A hidden row (too few answers) is never drawn, nor counted among the best: the report's
    table shows it with "–" only. Where every other row fits :data:`MAX_ROWS`, all of them are
    drawn (the 2017 extract's five institutions a level, as before). Otherwise the chart draws
    the own units (``own``: the institution's, or the faculty's), the comparison group's
    ``best`` best (a tie across the last place is left out whole, never picked from by name, so
    that ties keep the chart within :data:`MAX_ROWS`; a tie for first place larger than ``best``
    gives its first ``best`` in the table's order) and a reference row of the group's median
    (of each score over the ranked units it is shown for: the combined one over every ranked
    unit, the median ``gap_to_median`` is measured from; :attr:`ChartRows.median_of`), in
    order of the combined score; where the own units do not fit either, their best and weakest
    halves of the room left, so the gap to the best stays in view at both ends.

    Args:
        rows: integration rows of one level and year, ranked (``rank``, ``units_ranked``).
        own: for each row, whether it is the own institution's (or faculty's) unit.
        best: how many of the group's best to draw (``[integration] chart_best``).
    """
    own = own.reindex(rows.index, fill_value=False).astype(bool)
    hidden = is_hidden(rows)
    shown = rows[~hidden].assign(reference=False)
    order = ["rank", "institution"] if "institution" in shown else ["rank"]
    shown = shown.sort_values(order, kind="stable", na_position="last")
    ranked = shown[shown["rank"].notna()]
    if len(shown) <= MAX_ROWS:
        return ChartRows(shown, cut=False, ranked=len(ranked), hidden=int(hidden.sum()), own_left_out=0)
    # the best among the shown: a hidden row is none of them, whatever rank a table gave it.
    # All that tied at the last place were drawn: 12 tied for first made 20 rows, a group of
    # one score 241
    top = ranked.head(best)
    if len(top) and (ranked["rank"] == top["rank"].iloc[-1]).sum() > (top["rank"] == top["rank"].iloc[-1]).sum():
        ahead = top[top["rank"] < top["rank"].iloc[-1]]
        top = ahead if len(ahead) else top
    mine = shown[own[shown.index].to_numpy()]
    mine = mine[~mine.index.isin(top.index)]
    room = max(MAX_ROWS - len(top) - 1, 1)
    left_out = max(len(mine) - room, 0)
    if left_out:
        mine = pd.concat([mine.head(room - room // 2), mine.tail(room // 2)])
    drawn = pd.concat([top, mine])
    score = pd.to_numeric(drawn["integration_score"], errors="coerce")
    # best first; the median after the units of its score; units without a rank last
    drawn = drawn.assign(_key=score.fillna(-np.inf), _ref=0)
    # NOTE: each score's median is of the ranked units whose that score is shown: a score hidden
    # for a unit (too few answers to it, outside the combined score) is unknown, never a value
    # to take a median over; the combined median is then of every ranked unit, the one the own
    # units' gap to the median is measured from. The row's name says how many each is of where
    # that is fewer (integration_ranking): an adviser reads "the median of the 240 ranked" as
    # every bar's, and a social median of 238 beside it was said to be of 240.
    median_of = {c: int(pd.to_numeric(ranked[c], errors="coerce").notna().sum()) for c, *_ in SERIES if c in ranked}
    if len(ranked):
        median = {c: pd.to_numeric(ranked[c], errors="coerce").median() for c, *_ in SERIES if c in ranked}
        reference = pd.DataFrame([{**median, "reference": True, "_key": median["integration_score"], "_ref": 1}])
        drawn = pd.concat([drawn, reference], ignore_index=True)
    drawn = drawn.sort_values(["_key", "_ref"], ascending=[False, True], kind="stable").drop(columns=["_key", "_ref"])
    return ChartRows(
        drawn.reset_index(drop=True),
        cut=True,
        ranked=len(ranked),
        hidden=int(hidden.sum()),
        own_left_out=left_out,
        best=len(top),
        median_of=median_of,
    )


def integration_ranking(
    scores: pd.DataFrame,
    *,
    year: int,
    level: str,
    highlight: str | None,
    sources: Source | Iterable[Source],
    best: int,
    lang: str = "nb",
    subtitle: str | None = None,
    scope: str | None = None,
    own_units: Collection[str] | None = None,
    own_name: str | None = None,
) -> go.Figure:
    """The units :func:`chart_rows` chooses, ranked by the combined score (best at the top):
    academic, social and combined integration as three bars side by side; a cut group's median
    as a reference row of hatched bars, and a note (under the subtitle) of what was left out and
    where it is. The own unit's name is bold and its rank and gaps to the best and to the median
    are written out with their direction ("2,05 under beste"). A suppressed unit (too few
    answers) is not drawn (the note counts it); a unit with few respondents is marked "få
    svarende".

    Bars start at the scale minimum (1), not 0: the survey scale has no 0.

    Args:
        scores: rows of :func:`analysis.metrics.integration.integration_scores`.
        year, level: the survey year and study level shown.
        highlight: the own institution's name as in ``scores["institution"]`` (or None).
        subtitle: the comparison group and n, as the report states them.
        scope: the own institution as the report names it, for the title ("NTNU og
            sammenligningsgruppen"); the title names the group alone where it is None or the
            own institution is not among the units shown.
        best: how many of the group's best a cut chart draws (``[integration] chart_best``).
        own_units: the programme codes of the own faculty in a faculty report (None: every
            unit of ``highlight`` is the own institution's).
        own_name: whose the own units are, for the note ("Fakultet for … (271), NTNU" in a
            faculty report; None: ``scope``).
    """
    rows = scores[(scores["year"] == year) & (scores["level"] == level)].copy()
    mine = own_rows(rows, highlight)
    institutions = rows["institution"].dropna().unique()
    if is_programme(rows).all() and len(institutions) == 1:
        # respondent-level data: one institution's programmes, ranked among themselves
        whose = label(
            "integration_scope_programmes", lang, institution=scope if mine.any() and scope else institutions[0]
        )
    elif scope and mine.any():
        whose = label("integration_scope_own", lang, institution=scope)
    else:
        whose = label("integration_scope_group", lang)
    chosen = chart_rows(rows, own_rows(rows, highlight, own_units), best)
    # what the chart leaves out, on the chart itself: a PNG pasted on its own keeps it
    note = chart_note(chosen, (own_name or scope) if mine.any() else None, lang)
    lines = [subtitle or "", *(theme.plain(line) for line in textwrap.wrap(note, NOTE_LINE_CHARS))]
    note_lines = len(lines) - 1
    fig = new_figure(
        label("integration_title", lang, year=year, scope=theme.plain(whose), level=value_label("level", level, lang)),
        sources,
        lang,
        subtitle="<br>".join(line for line in lines if line) or None,
    )
    if rows.empty:
        return empty_message(fig, lang)
    combined_name = combined_series_name(rows, lang)
    rows = chosen.rows
    reference = _flag(rows, "reference")
    # bold, rank and gaps for exactly the units chart_rows drew as the own (a faculty's programmes
    # in its report): the institution's other programmes among the best were bold as "own"
    own = own_rows(rows, highlight, own_units).to_numpy(dtype=bool)
    names = iter(unit_labels(rows[~reference]))
    median_name = median_row_name(chosen, lang)
    wrapped = [
        "<br>".join(theme.plain(line) for line in textwrap.wrap(n, NAME_CHARS) or [n])
        for n in (median_name if r else next(names) for r in reference)
    ]
    rows["shown"] = [
        f"<i>{n}</i>" if r else f"<b>{n}</b>" if o else n for n, o, r in zip(wrapped, own, reference, strict=True)
    ]
    few = _flag(rows, "few_respondents")  # (no row drawn is hidden: chart_rows)
    # the units' sources: the median row has none, and took a cut extract's chart to two
    # decimals ("4,90" for NOKUT's 4,9)
    source_digits = integration_score_digits(rows.loc[~reference, "source"] if "source" in rows.columns else ())
    for column, key, colour, is_source_score in SERIES:
        digits = source_digits if is_source_score else SCORE_DIGITS
        values = pd.to_numeric(rows[column], errors="coerce").astype("float64").to_numpy()
        # (a score the settings name is text, never markup)
        name = theme.plain(combined_name) if column == "integration_score" else label(key, lang)
        fig.add_bar(
            name=name,
            orientation="h",
            y=rows["shown"],
            base=SCALE_MIN,
            x=values - SCALE_MIN,
            # the group's median is a reference, not a unit: hatched
            marker={
                "color": colour,
                "line": {"width": 0},
                "pattern": {
                    "shape": ["/" if r else "" for r in reference],
                    "fillmode": "overlay",
                    "fgcolor": "white",
                    "solidity": 0.4,
                },
            },
            text=[number(v, lang, digits) if np.isfinite(v) else "" for v in values],
            textposition="outside",
            textfont={"size": theme.NOTE_FONT_SIZE + 1},
            customdata=values,
            hovertemplate="%{y}<br>" + name + ": %{customdata:." + str(digits) + "f}<extra></extra>",
        )
    # what a reader needs beside the bars: rank, gaps, few answers
    for shown, is_own, is_few, (_, r) in zip(rows["shown"], own, few, rows.iterrows(), strict=True):
        notes = []
        if is_own and pd.notna(r.get("rank")):
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
        barmode="group",
        bargap=0.25,
        bargroupgap=0.05,
        height=ROW_PX * len(rows) + 260 + 16 * note_lines,
        margin={"r": 190, "t": theme.MARGIN["t"] + 16 * note_lines},
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


def combined_series_name(rows: pd.DataFrame, lang: str) -> str:
    """The combined bars' name: the mean of the scores the rows were combined of (their
    ``scores_used``, ``[integration] combine``). ``combine = ["academic"]`` drew "Samlet (snitt av
    faglig og sosial)" over bars of academic alone; the default combination keeps its short name."""
    used: list[str] = sorted(rows["scores_used"].dropna().astype(str).unique()) if "scores_used" in rows else []
    if len(used) != 1 or used[0] == "academic+social":
        return label("integration_combined", lang)
    words = [score_words(score, lang) for score in used[0].split("+")]
    return label("integration_combined_of", lang, scores=joined(words, lang))


def median_row_name(chosen: ChartRows, lang: str) -> str:
    """The name of the group's median row: of how many ranked units, and, for a score whose
    median is of fewer (:attr:`ChartRows.median_of`), of how many that one is. A score no ranked
    unit has (settings that combine a score of their own name leave academic and social empty)
    has no median bar, and nothing is said of it: "sosial integrering av 0" named a score the
    settings do not have."""
    fewer = "".join(
        label("integration_median_of", lang, score=score_words(column, lang), n=n)
        for column, n in chosen.median_of.items()
        if 0 < n < chosen.ranked
    )
    return label("integration_median_row", lang, ranked=counted(chosen.ranked, "ranked", lang), fewer=fewer)


def own_rows(rows: pd.DataFrame, highlight: str | None, own_units: Collection[str] | None = None) -> pd.Series:
    """Rows of the own institution (``highlight``), or of its faculty's programmes (``own_units``,
    their codes) in a faculty report. An institution's own row (an extract's: it knows no
    faculty) stays the own unit there: narrowed too, a faculty report's 2017 chart drew NTNU
    as any other institution's, and a cut one would not have drawn it at all."""
    own = (rows["institution"] == highlight).fillna(False).astype(bool)
    if own_units is not None:
        programme = is_programme(rows)
        of_faculty = programme & rows.get("unit_code", programme).astype("string").isin({str(c) for c in own_units})
        own &= ~programme | of_faculty.fillna(False).astype(bool)
    return own


def chart_note(chosen: ChartRows, own: str | None, lang: str) -> str:
    """What a cut chart leaves out and where it is, ``own`` naming whose the own units are (None:
    no own unit among the rows): "" where every unit is drawn and none is hidden."""
    parts = []
    if chosen.cut:
        words = {"ranked": counted(chosen.ranked, "ranked", lang), "best": best_words(chosen.best, lang)}
        # with own units, the note says whose they are; without, it speaks of the group
        parts.append(
            label("integration_chart_cut", lang, **words, own=own)
            if own
            else label("integration_chart_cut_group", lang, **words)
        )
    if chosen.own_left_out:
        parts.append(label("integration_chart_own_left_out", lang, n=chosen.own_left_out, own=own))
    if chosen.hidden:
        parts.append(label("integration_chart_hidden", lang, hidden=counted(chosen.hidden, "suppressed_unit", lang)))
    if parts:
        parts.append(label("integration_chart_table", lang))
    return " ".join(parts)


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


def is_hidden(rows: pd.DataFrame) -> np.ndarray:
    """Rows hidden for too few answers (``suppressed``): never drawn, never counted as ranked on
    a chart (:func:`chart_rows`); the report's section counts and explains with the same rule."""
    return _flag(rows, "suppressed")


def _flag(rows: pd.DataFrame, column: str) -> np.ndarray:
    """A boolean column as an array; a missing column or value is False."""
    if column not in rows:
        return np.zeros(len(rows), dtype=bool)
    return rows[column].astype("boolean").fillna(False).to_numpy(dtype=bool)
