"""Gender-balance charts from the gender-flag table (:func:`analysis.metrics.gender.gender_flags`).

Every chart shows one measure only (shares of applicants and of registered students are
different things), draws the policy threshold on both sides (too few women / too few men),
and draws units whose counts are suppressed as a grey hatched *range* labelled
"skjermet/ukjent" — never as a bar of zero.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from fractions import Fraction

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.charts import theme
from analysis.charts.common import (
    CHAR_PX,
    NOTE_CHAR_PX,
    Source,
    add_gender_threshold,
    empty_message,
    finish,
    new_figure,
    percent_axis,
    tidy_title,
    year_span,
)
from analysis.charts.common import (
    floats as _floats,
)
from analysis.charts.labels import (
    MEASURE_COLUMNS,
    count_range,
    interval_text,
    label,
    level_text,
    measure_words_of,
    pct,
    share_text,
    shown_code,
    thresholds_of,
    unit_name_text,
)
from analysis.metrics.students_needed import most_students, share_of_women_bounds, students_needed_range
from analysis.org_units import is_faculty_own_unit
from analysis.readers.dbh_cells import SMALLEST_SHOWN
from analysis.series_breaks import BROKEN_LEVELS, breaks_in

BAR_HEIGHT_PX = 26
#: Height of one line of a unit's name beside its bar (13 px text; a name wrapped to two lines
#: is 32 px tall in Chromium). Two such names one above the other need more than BAR_HEIGHT_PX
#: between their bars, or their lines run into each other.
NAME_LINE_PX = 16
#: Characters of a unit's name on one line beside its bar: a longer name wraps, so that the
#: plot keeps its width (a faculty's own unit, "Fakultet for informasjonsteknologi og
#: elektroteknikk – fakultetets egen enhet (273000)", left the bars 160 px and ran the threshold
#: label into "Antall som trengs").
BAR_NAME_CHARS = 48
#: Name of the annotations that say how many students of the under-represented gender a
#: flagged unit needs (tests and readers find them).
NEEDED_NAME = "students_needed"
#: Gap between the plot's right edge (100 %) and that column: room for the "100 %" tick label.
NEEDED_GAP_PX = 24


def _measure_words(flags: pd.DataFrame, lang: str) -> str:
    """The one measure a gender chart shows, as counted: "registrerte studenter, høst, alle
    kategorier" (a chart never mixes measures, semesters or student categories)."""
    columns = [c for c in MEASURE_COLUMNS if c in flags.columns]
    versions = flags[columns].astype("string").drop_duplicates()
    versions = versions[versions["measure"].notna()]
    if len(versions) != 1:
        raise ValueError(
            f"a gender chart shows one measure; got {versions.to_dict('records')} — filter the flags by measure first"
        )
    version = versions.iloc[0]
    return measure_words_of(version, lang)


def unit_labels(flags: pd.DataFrame, lang: str) -> pd.Series:
    """Display name per row: the unit name (escaped for plotly), with the code when two units
    share a name, when no source names the unit ("Enhet uten navn i kildene (210220)") or when a
    department is its faculty's own unit or bears its faculty's name ("Fakultet for
    ingeniørvitenskap – fakultetets egen enhet (271000)", "NTNU (uspesifisert underenhet)
    (000000)")."""
    kinds = flags["source_kind"] if "source_kind" in flags else pd.Series(None, index=flags.index, dtype="object")
    code = pd.Series(
        [shown_code(c, k) for c, k in zip(flags["unit_code"], kinds, strict=True)], index=flags.index, dtype="string"
    )
    shown = pd.Series(
        [unit_name_text(n, c, lang, lv) for n, c, lv in zip(flags["unit_name"], code, flags["level"], strict=True)],
        index=flags.index,
        dtype="string",
    )
    unnamed = shown == label("unit_unnamed", lang)
    # a faculty's own unit (<faculty>000) with its code, as the report's tables show it; and any
    # department that bears its faculty's name (DBH's unspecified sub-unit 000000 is named as
    # its "faculty" 000): among departments that name alone reads as the whole faculty
    faculty_name = (
        flags["faculty_name"].astype("string") if "faculty_name" in flags else pd.Series(pd.NA, index=code.index)
    )
    department = flags["level"] == "department"
    own_unit = (
        pd.Series([is_faculty_own_unit(c) for c in code], index=flags.index, dtype=bool)
        | (shown == faculty_name).fillna(False).astype(bool)
    ) & department
    # the same name for different codes would merge two bars into one category
    clash = shown.groupby(shown).transform(lambda s: code.loc[s.index].nunique() > 1).astype(bool)
    shown = shown.where(~(clash | unnamed | own_unit), shown + " (" + code + ")")
    return shown.map(theme.plain)


def unknown_range(flags: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The possible share-of-women range for rows whose share is unknown.

    Where the metric gives bounds on the women count (``women_low``/``women_high`` over
    the most students it may hold, :func:`~analysis.metrics.students_needed.most_students`) they
    are used (:func:`~analysis.metrics.students_needed.share_of_women_bounds`); otherwise anything
    between 0 and 1 is possible.
    """
    low, high = (_floats(bound) for bound in share_of_women_bounds(flags))
    # no bound known (an empty unit: total 0): anything possible
    low = np.where(np.isfinite(low), low, 0.0)
    high = np.where(np.isfinite(high), high, 1.0)
    return low, high


def _needed_text(rows: pd.DataFrame, lang: str, threshold: Fraction) -> list[str]:
    """ "+n kvinner" per row; "+700–715 kvinner" for a unit flagged from an interval (suppressed
    units inside it), as the follow-up list gives it; "" where it cannot be counted."""
    fewest, most = students_needed_range(rows, threshold)
    gender = rows["underrepresented"].astype("string")
    return [
        label("students_needed_text", lang, n=count_range(int(lo), int(hi)), gender=label(str(g), lang))
        if pd.notna(lo) and pd.notna(hi) and g in ("women", "men")
        else ""
        for lo, hi, g in zip(fewest, most, gender, strict=True)
    ]


def _bar_hover(rows: pd.DataFrame, lang: str, lines: Sequence[float]) -> list[tuple[str, str, str]]:
    """What a decided unit's bar hovers: women, total and the share as the tables write them
    (39,95 %, never "40,0 %" beside the threshold). A unit decided on an interval (its share not
    known, the bar drawn to the interval's lower end) hovers the interval, women as a range: a
    second reader (2026-12-05) found a faculty hovering "Andel kvinner: 33,6 %", the lower end,
    and "nan / 6684" for a share and a count no one knows."""
    out = []
    missing = pd.Series(np.nan, index=rows.index)
    for share, women, low, high, total, most, share_low, share_high in zip(
        _floats(rows["share"]),
        _floats(rows["women"]),
        _floats(rows.get("women_low", missing)),
        _floats(rows.get("women_high", missing)),
        _floats(rows["total"]),
        _floats(most_students(rows)),  # rows of 0 students inside: up to 2 more each
        rows["low"],
        rows["high"],
        strict=True,
    ):
        if np.isfinite(share):
            out.append((f"{women:.0f}", f"{total:.0f}", share_text(share, lang, lines)))
        else:
            women_words = count_range(int(low), int(high)) if np.isfinite(low) and np.isfinite(high) else "–"
            students = count_range(int(total), int(most)) if np.isfinite(most) else f"{total:.0f}"
            out.append((women_words, students, interval_text(share_low, share_high, lang, lines)))
    return out


def gender_share_bars(
    flags: pd.DataFrame,
    *,
    year: int,
    level: str,
    scope: str,
    sources: Source | Iterable[Source],
    threshold: Fraction,
    lang: str = "nb",
    policy: str = "",
) -> go.Figure:
    """Share of women per unit in one year, one bar per unit, coloured by flag status.

    The title names the year and ``scope``, whose units these are, as the report names them
    ("NTNU"; in a faculty report the faculty and the institution): a chart lifted into another
    document still says whose students it counts.

    Flagged units carry the number of students needed ("+17 kvinner") in a column right of
    the plot, where no threshold line runs; unknown units say "skjermet/ukjent" there. Units with unknown share are a
    grey hatched range (the possible shares) labelled "skjermet/ukjent". A unit of total 0 (DBH
    writes 1 or 2 students as 0) is named "0–2 studenter (skjermet)" and has no bar.

    Args:
        flags: gender-flag rows (one measure); other years and levels are ignored.
        year: the year shown.
        level: "programme", "department", "faculty" or "institution".
        scope: the institution (or faculty) the units belong to, for the title.
        sources: printed under the chart.
        lang: "nb" or "en".
        threshold: the policy threshold, from the settings the flags were computed with.
        policy: the settings' ``[gender] policy``: named, the subtitle says measures are
            required below the threshold; empty, it claims no duty.
    """
    rows = flags[(flags["year"] == year) & (flags["level"] == level)].copy()
    measure = (
        _measure_words(rows, lang)
        if len(rows)
        else _measure_words(flags.head(1), lang)
        if len(flags)
        else label("measure_registered", lang)
    )
    fig = new_figure(
        label(
            "gender_bars_title",
            lang,
            year=year,
            scope=theme.plain(scope),
            measure=measure,
            level=level_text(level, rows["unit_code"], lang),
        ),
        sources,
        lang,
        # "(tiltak kreves)" only under a policy that requires them (the settings' [gender] policy)
        subtitle=label(
            "gender_bars_subtitle_duty" if policy else "gender_bars_subtitle", lang, pct=pct(threshold, lang)
        ),
    )
    if rows.empty:
        return empty_message(fig, lang)
    rows["shown_name"] = ["<br>".join(textwrap.wrap(name, BAR_NAME_CHARS)) for name in unit_labels(rows, lang)]
    rows["share"] = _floats(rows["share_women"])
    low, high = unknown_range(rows)
    # A unit can be decided (flagged/ok) although its exact share is unknown: suppressed
    # departments inside a faculty leave an interval of women that lies wholly on one side of
    # the threshold. Like the tables (which print that interval, "33,6–33,7 %"), the chart
    # reads it from women_low/women_high: a solid bar to its lower end (the share is at least
    # that) and the interval itself hatched in the status colour.
    decided = rows["status"].isin(["flagged", "ok"]).to_numpy()
    exact = np.isfinite(rows["share"].to_numpy())
    lines = thresholds_of(threshold)
    rows["bar"] = np.where(exact, rows["share"], np.where(decided, low, np.nan))
    rows["low"], rows["high"] = low, high
    # order: lowest share of women at the top; unknown units at the bottom
    rows["_order"] = np.where(decided, np.where(exact, rows["share"], low), 2.0)
    rows = rows.sort_values(["_order", "shown_name"], ascending=[True, True], kind="stable")
    decided = rows["status"].isin(["flagged", "ok"])
    exact = np.isfinite(rows["share"])

    for status, colour in (("flagged", theme.FLAGGED), ("ok", theme.OK)):
        part = rows[decided & (rows["status"] == status)]
        if part.empty:
            continue
        fig.add_bar(
            name=label(f"status_{status}", lang),
            orientation="h",
            y=part["shown_name"],
            x=part["bar"],
            marker={"color": colour},
            customdata=_bar_hover(part, lang, lines),
            hovertemplate="%{y}<br>" + label("share_women", lang) + ": %{customdata[2]}"
            "<br>%{customdata[0]} / %{customdata[1]}<extra></extra>",
        )
    for status, colour in (("flagged", theme.FLAGGED), ("ok", theme.OK)):
        part = rows[decided & ~exact & (rows["status"] == status)]
        if part.empty:
            continue
        fig.add_bar(
            # "skjev (under terskel), mulig intervall": the status has brackets of its own
            name=f"{label(f'status_{status}', lang)}, {label('interval', lang)}",
            orientation="h",
            y=part["shown_name"],
            base=part["low"],
            x=part["high"] - part["low"],
            marker={
                "color": "white",
                "line": {"color": colour, "width": 1.5},
                "pattern": {"shape": theme.UNKNOWN_PATTERN, "fgcolor": colour, "size": 4},
            },
            hovertemplate="%{y}<br>" + label("interval", lang) + ": %{customdata}<extra></extra>",
            customdata=[interval_text(a, b, lang, lines) for a, b in zip(part["low"], part["high"], strict=True)],
        )
    # an empty unit (total 0) has no share at all: named in place, neither a bar nor a range
    empty = pd.Series(_floats(rows["total"]) == 0, index=rows.index)
    unknown = rows[~decided & ~empty]
    if not unknown.empty:
        fig.add_bar(
            name=label("unknown", lang),
            orientation="h",
            y=unknown["shown_name"],
            base=unknown["low"],
            x=unknown["high"] - unknown["low"],
            marker={
                "color": "white",
                "line": {"color": theme.UNKNOWN, "width": 1},
                "pattern": {"shape": theme.UNKNOWN_PATTERN, "fgcolor": theme.UNKNOWN, "size": 6},
            },
            customdata=[interval_text(a, b, lang, lines) for a, b in zip(unknown["low"], unknown["high"], strict=True)],
            hovertemplate="%{y}<br>"
            + label("unknown", lang)
            + " ("
            + label("interval", lang)
            + ": %{customdata})<extra></extra>",
        )
    for name in rows.loc[~decided & empty, "shown_name"]:
        fig.add_scatter(y=[name], x=[None], mode="markers", showlegend=False, hoverinfo="skip")
        fig.add_annotation(
            y=name,
            x=0.01,
            xanchor="left",
            text=label("no_students", lang, most=SMALLEST_SHOWN - 1),
            showarrow=False,
            font={"color": "#444444", "size": theme.NOTE_FONT_SIZE},
        )
    # "+n kvinner" in a column right of the plot, not at the bar's end: a bar short of 40 %
    # ends left of the threshold lines, and its text ran through them
    flagged = rows[decided & (rows["status"] == "flagged")]
    needed = [
        (name, text)
        for name, text in zip(flagged["shown_name"], _needed_text(flagged, lang, threshold), strict=True)
        if text
    ]
    # an unknown unit says so in the same column: written over a narrow range, the words ran
    # through the lines as the counts did
    needed += [(name, label("unknown", lang)) for name in unknown["shown_name"]]
    # set at once: plotly's add_annotation checks every earlier one again, 14 ms a label for a
    # faculty's 60 programmes (cProfile, 2026-12-03)
    fig.layout.annotations = (
        *fig.layout.annotations,
        *(
            {
                "name": NEEDED_NAME,
                "y": name,
                "x": 1,
                "xref": "paper",
                "xanchor": "left",
                "xshift": NEEDED_GAP_PX,
                "showarrow": False,
                "text": text,
                **({"font": {"color": "#444444"}} if text == label("unknown", lang) else {}),
            }
            for name, text in needed
        ),
    )
    if needed:
        fig.add_annotation(
            name=NEEDED_NAME,
            text=label("students_needed", lang),
            x=1,
            xref="paper",
            xanchor="left",
            xshift=NEEDED_GAP_PX,
            y=1,
            yref="paper",
            yanchor="top",
            yshift=8,  # level with the threshold labels
            showarrow=False,
            font={"size": theme.NOTE_FONT_SIZE},
        )
        longest = max(CHAR_PX * max(len(t) for _, t in needed), NOTE_CHAR_PX * len(label("students_needed", lang)))
        # 24 px to spare: CHAR_PX is an average, and "+1860 women" is wide letters and digits
        fig.update_layout(margin={"r": int(NEEDED_GAP_PX + 24 + longest)})
    fig.update_layout(
        barmode="overlay", height=max(theme.HEIGHT_PX, _row_height(rows) * rows["shown_name"].nunique() + 230)
    )
    fig.update_xaxes(range=[0, 1], title=label("share_women", lang))
    percent_axis(fig, "x", lang)
    # unit codes like 271720 must stay categories, not become a numeric axis
    fig.update_yaxes(
        type="category",
        automargin=True,
        categoryorder="array",
        categoryarray=list(dict.fromkeys(rows["shown_name"]))[::-1],
        showgrid=False,
    )
    return finish(add_gender_threshold(fig, threshold, lang, axis="x"))


def _row_height(rows: pd.DataFrame) -> int:
    """Pixels from one bar to the next: BAR_HEIGHT_PX, or more where two neighbouring names
    together need more (each name stands centred on its bar; 2 px between them)."""
    lines = [str(name).count("<br>") + 1 for name in dict.fromkeys(rows["shown_name"])]
    needed = (int((a + b) * NAME_LINE_PX / 2) + 2 for a, b in zip(lines, lines[1:], strict=False))
    return max([BAR_HEIGHT_PX, *needed])


def _draw_unit(
    fig: go.Figure, unit: pd.DataFrame, colour: str, lang: str, cell: dict, lines: tuple[float, ...]
) -> list[tuple[object, float, float]]:
    """One unit's line (rows of one unit, by year) in ``cell`` (a panel's row and col, or none);
    returns the (year, low, high) ranges of its unknown years, which the caller draws grey."""
    # every calendar year between the first and the last: a year the source has no row
    # for breaks the line (2007 and 2016 are not joined across eight years without data)
    years = np.arange(int(unit["year"].min()), int(unit["year"].max()) + 1)
    share = unit.set_index(unit["year"].astype("int64"))["share"].reindex(years)
    name = unit["shown_name"].iloc[0]
    fig.add_scatter(
        name=name,
        x=years,
        y=share.to_numpy(dtype="float64"),  # NaN breaks the line: unknown years are never drawn as a value
        mode="lines+markers",
        connectgaps=False,
        line={"color": colour, "width": 2},
        marker={"color": colour, "size": 7},
        customdata=[share_text(v, lang, lines) for v in share],  # as the tables write it (``lines``)
        hovertemplate="%{fullData.name}<br>%{x}: %{customdata}<extra></extra>",
        **cell,
    )
    # unknown years get the range of possible shares; an empty year (total 0) only the gap
    missing = unit[~np.isfinite(unit["share"]) & (_floats(unit["total"]) != 0)]
    if missing.empty:
        return []
    low, high = unknown_range(missing)
    narrow = high - low <= TREND_INTERVAL_MAX
    if narrow.any():
        intervals = pd.DataFrame({"low": low[narrow], "high": high[narrow]}, index=missing["year"][narrow])
        _draw_intervals(
            fig, share, intervals.set_axis(intervals.index.astype("int64")), name, colour, lang, cell, lines
        )
    return list(zip(missing["year"][~narrow].astype("int64"), low[~narrow], high[~narrow], strict=True))


def _draw_unknown(fig: go.Figure, ranges: list[tuple[object, float, float]], lang: str, cell: dict) -> None:
    """The grey dotted ranges of possible shares in years whose share is unknown."""
    if not ranges:
        return
    x: list[object] = []
    y: list[object] = []
    for yr, lo, hi in ranges:
        x += [yr, yr, None]
        y += [lo, hi, None]
    fig.add_scatter(
        name=label("unknown", lang),
        x=x,
        y=y,
        mode="lines",
        line={"color": theme.UNKNOWN, "width": 6, "dash": "dot"},
        hovertemplate=label("unknown", lang) + "<extra></extra>",
        # one legend entry, however many panels have unknown years
        showlegend=False if any(t.name == label("unknown", lang) for t in fig.data) else None,
        **cell,
    )


#: The widest interval of possible shares that still carries a unit's trend line (5 percentage
#: points: a faculty with a few suppressed departments). A wider one would let its midpoint
#: stand for a share the data do not give: that year stays a gap with the grey range.
TREND_INTERVAL_MAX = 0.05
#: Name of the traces that draw a year known only as an interval (tests and readers find them).
INTERVAL_NAME = "interval"


def _draw_intervals(
    fig: go.Figure,
    share: pd.Series,
    intervals: pd.DataFrame,
    name: str,
    colour: str,
    lang: str,
    cell: dict,
    lines: tuple[float, ...],
) -> None:
    """Years whose share is known only as a narrow interval (``low``/``high`` by year): a bar
    from low to high with caps, in the unit's colour, and the line carried on through its
    midpoint as a dashed segment from the last exact year to the next. The mark there is open
    (not a value), and the hover gives the interval, never one share."""
    mid = (intervals["low"] + intervals["high"]) / 2
    fig.add_scatter(
        name=INTERVAL_NAME,
        showlegend=False,
        x=intervals.index,
        y=mid,
        mode="markers",
        # open, like every value in the report that is not one exact number: an interval of a
        # tenth of a point is thinner than its caps, and the mark must still show the year
        marker={"symbol": "circle-open", "color": colour, "size": 9, "line": {"width": 2}},
        error_y={
            "type": "data",
            "symmetric": False,
            "array": intervals["high"] - mid,
            "arrayminus": mid - intervals["low"],
            "color": colour,
            "thickness": 2,
            "width": 8,
        },
        customdata=[interval_text(a, b, lang, lines) for a, b in zip(intervals["low"], intervals["high"], strict=True)],
        hovertemplate=name  # already escaped (unit_labels)
        + "<br>%{x}: %{customdata} ("
        + label("interval", lang)
        + ")<extra></extra>",
        **cell,
    )
    # the dashed bridge: each run of interval years with the exact years on either side
    bridge = share.copy()
    bridge.loc[mid.index] = mid
    x: list[object] = []
    y: list[object] = []
    for yr in mid.index:
        for near in (yr - 1, yr, yr + 1):
            if near in bridge.index and np.isfinite(bridge[near]) and (not x or x[-1] is None or x[-1] < near):
                x.append(near)
                y.append(float(bridge[near]))
        if yr + 1 not in mid.index:
            x.append(None)
            y.append(None)
    fig.add_scatter(
        name=INTERVAL_NAME,
        showlegend=False,
        x=x,
        y=y,
        mode="lines",
        connectgaps=False,
        line={"color": colour, "width": 2, "dash": "dash"},
        hoverinfo="skip",
        **cell,
    )


#: The columns a unit's line is drawn from (:func:`_draw_unit`): an unknown year's range is over
#: the most students (``total_high``, :func:`unknown_range`).
UNIT_LINE_COLUMNS = ("year", "share", "shown_name", "total", "total_high", "women_low", "women_high")


def _rows_by_unit(rows: pd.DataFrame) -> dict[object, pd.DataFrame]:
    """Each unit's rows (in the flags' order) under its code, with only the columns its line is
    drawn from."""
    # NOTE: split once instead of a filter of the whole frame per unit: a filter takes all ~50
    # columns (most of them pyarrow strings) again for each of 30 units. report_content's CPU
    # (a warm call, median of 5 processes on the real data): 1.71 -> 1.49 s (2026-12-03)
    narrow = rows[["unit_code", *(c for c in UNIT_LINE_COLUMNS if c in rows.columns)]]
    return {code: unit for code, unit in narrow.groupby("unit_code", sort=False)}


def _mark_breaks(fig: go.Figure, rows: pd.DataFrame, breaks: pd.DataFrame | None, lang: str, cells: dict) -> None:
    """A dotted vertical line just before each break inside a drawn institution series (a merger:
    :mod:`analysis.series_breaks`), labelled "Sammenslåing 2016": the years on either side are not
    of the same institution. ``cells``: the panel of each unit, where the chart has panels."""
    inside = breaks_in(rows, breaks).drop_duplicates(["institution_code", "year"])
    if inside.empty:
        return
    series = rows[rows["level"].isin(BROKEN_LEVELS)]
    marks = {}  # one line per year and panel: two institutions merged into in one year share it
    for code, year in zip(inside["institution_code"], inside["year"].astype(int)):
        for unit in dict.fromkeys(series.loc[series["institution_code"] == code, "unit_code"]):
            cell = cells.get(unit, {})
            marks[year, tuple(cell.items())] = cell
    for (year, _), cell in marks.items():
        fig.add_vline(
            x=year - 0.5,
            line={"color": theme.ALL, "width": 1, "dash": "dot"},
            annotation={"text": label("series_break_marker", lang, year=year), "font": {"size": theme.NOTE_FONT_SIZE}},
            annotation_position="top right",
            **cell,
        )


#: Panels per row when a trend has more units than the colourway has colours.
PANEL_COLUMNS = 3
#: Height of one panel's plot and of the programme name over it: seven rows (21 programmes) fit
#: an A4 page at text width (the Word document scales a taller chart down).
PANEL_PX, PANEL_TITLE_PX = 92, 38
#: Characters of a unit's name on one line over its panel.
PANEL_NAME_CHARS = 34


def _trend_panels(
    fig: go.Figure, rows: pd.DataFrame, order: list, threshold: Fraction, lang: str, breaks: pd.DataFrame | None
) -> go.Figure:
    """The trend as small multiples: one panel per unit, on one share axis and one year axis,
    ordered by the share of women in the last year (lowest first), the line in the colour of
    its status that year (skewed, within, unknown).

    More lines than the colourway has colours repeat colours, and no reader tells 20 lines
    apart; a panel each shows every unit's own series with its name over it (what SSB and Our
    World in Data do with many series), and the order and colour show where the skewed ones are.
    """
    last = rows.sort_values("year").groupby("unit_code", sort=False).tail(1).set_index("unit_code")
    latest = int(rows["year"].max())
    units = [c for c in order if c in last.index]
    # a series that ended before the last year has no status and no share in it
    current = last["year"].astype("int64") == latest
    share = last["share"].where(current).to_dict()
    status_of = last["status"].astype("string").where(current, "unknown").to_dict()
    units.sort(key=lambda c: (not np.isfinite(share[c]), share[c]))
    colours = {"flagged": theme.FLAGGED, "ok": theme.OK}
    n_rows = -(-len(units) // PANEL_COLUMNS)
    names = ["<br>".join(textwrap.wrap(str(last.at[c, "shown_name"]), PANEL_NAME_CHARS)) for c in units]
    # the title and the source note are laid out again after the grid (make_subplots would
    # write the panel names over the figure's own annotations)
    notes = list(fig.layout.annotations)
    fig.layout.annotations = ()
    height = n_rows * (PANEL_PX + PANEL_TITLE_PX)
    make_subplots(
        rows=n_rows,
        cols=PANEL_COLUMNS,
        figure=fig,
        shared_xaxes=True,
        shared_yaxes=True,
        subplot_titles=names,
        horizontal_spacing=0.05,
        vertical_spacing=PANEL_TITLE_PX / height,
    )
    for note in fig.layout.annotations:  # the names: smaller than the chart's title
        note.font = {"size": theme.NOTE_FONT_SIZE + 1}
    for note in notes:
        fig.add_annotation(note)
    unknown_ranges = False
    by_unit = _rows_by_unit(rows)
    cells = {}
    for k, code in enumerate(units):
        unit = by_unit[code].sort_values("year")
        cell = cells[code] = {"row": k // PANEL_COLUMNS + 1, "col": k % PANEL_COLUMNS + 1}
        colour = colours.get(status_of[code], theme.UNKNOWN)
        ranges = _draw_unit(fig, unit, colour, lang, cell, thresholds_of(threshold))
        _draw_unknown(fig, ranges, lang, cell)
        unknown_ranges |= bool(ranges)
    _mark_breaks(fig, rows, breaks, lang, cells)
    for trace in fig.data:  # the panels name the units; the legend says what the colours mean
        if trace.name != label("unknown", lang):
            trace.showlegend = False
    for status in ("flagged", "ok"):
        if status in set(status_of.values()):
            fig.add_scatter(
                name=label("status_in_year", lang, status=label(f"status_{status}", lang), year=latest),
                x=[None],
                y=[None],
                mode="lines",
                line={"color": colours[status], "width": 2},
                showlegend=True,
                hoverinfo="skip",
            )
    subtitle = label("trend_panels_subtitle", lang, year=latest, pct=pct(threshold, lang))
    if any(t.name == INTERVAL_NAME for t in fig.data):
        subtitle += "<br>" + label("trend_interval_note", lang)
    fig.update_layout(title_subtitle_text=subtitle, height=height + 260)
    fig.update_yaxes(range=[0, 1.02])
    percent_axis(fig, "y", lang, step=0.5)
    # the years under the bottom panels only: over every panel they ran into the names below
    fig.update_xaxes(dtick=1 if latest - int(rows["year"].min()) <= 6 else 2)
    # the lines' names in the subtitle: beside panels so low the two labels overlapped
    return finish(add_gender_threshold(fig, threshold, lang, axis="y", labelled=False))


def gender_trend(
    flags: pd.DataFrame,
    *,
    scope: str,
    sources: Source | Iterable[Source],
    lang: str = "nb",
    threshold: Fraction,
    unit_codes: Sequence[str] | None = None,
    title: str | None = None,
    breaks: pd.DataFrame | None = None,
) -> go.Figure:
    """Share of women per year, one line per unit, with the threshold lines. The title names
    the years and ``scope`` (whose units, as :func:`gender_share_bars`' does). An institution's
    series with a merger inside (``breaks``: :func:`analysis.series_breaks.series_breaks`) is
    marked at the merger year.

    A year whose share is known only as a narrow interval (at most :data:`TREND_INTERVAL_MAX`
    wide: cells suppressed inside the unit) carries the line on, dashed, with an open mark and
    its interval (:func:`_draw_intervals`), and the subtitle says so. Other years where the
    share is unknown break the line and show a grey dotted range of the possible shares
    ("skjermet/ukjent") instead of a point.

    Args:
        flags: gender-flag rows of one measure (and normally one level).
        scope: the institution (or faculty) the units belong to, for the title.
        unit_codes: the units to draw (default all in ``flags``), in legend order.
    """
    rows = flags if unit_codes is None else flags[flags["unit_code"].isin(list(unit_codes))]
    measure = _measure_words(rows, lang) if len(rows) else label("measure_registered", lang)
    # the title names the years and the level of its lines, as the bar chart's does
    levels = (
        [
            level_text(lv, rows.loc[rows["level"] == lv, "unit_code"], lang)
            for lv in dict.fromkeys(rows["level"].dropna())
        ]
        if len(rows)
        else []
    )
    years_shown = year_span(rows["year"]) if len(rows) else ""
    default = label(
        "gender_trend_title", lang, years=years_shown, scope=theme.plain(scope), measure=", ".join([measure, *levels])
    )
    fig = new_figure(
        title or tidy_title(default),
        sources,
        lang,
    )
    if rows.empty:
        return empty_message(fig, lang)
    rows = rows.copy()
    rows["shown_name"] = unit_labels(rows, lang).to_numpy()
    rows["share"] = _floats(rows["share_women"])
    order = list(unit_codes) if unit_codes is not None else list(dict.fromkeys(rows["unit_code"]))
    if len(order) > len(theme.COLORWAY):
        return _trend_panels(fig, rows, order, threshold, lang, breaks)
    unknown: list[tuple[object, float, float]] = []
    by_unit = _rows_by_unit(rows)
    for i, code in enumerate(order):
        if code in by_unit:
            unit = by_unit[code].sort_values("year")
            unknown += _draw_unit(
                fig, unit, theme.COLORWAY[i % len(theme.COLORWAY)], lang, {}, thresholds_of(threshold)
            )
    _draw_unknown(fig, unknown, lang, {})
    _mark_breaks(fig, rows, breaks, lang, {})
    if any(t.name == INTERVAL_NAME for t in fig.data):
        fig.update_layout(title_subtitle_text=label("trend_interval_note", lang))
    fig.update_yaxes(range=[0, 1.02], title=label("share_women", lang))
    percent_axis(fig, "y", lang)
    span = int(rows["year"].max()) - int(rows["year"].min())
    fig.update_xaxes(title=label("year", lang), dtick=1 if span <= 12 else 2)
    return finish(add_gender_threshold(fig, threshold, lang, axis="y"))
