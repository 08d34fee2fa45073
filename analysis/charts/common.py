"""What every chart shares: the source note, the base figure, the threshold line."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts import theme
from analysis.charts.labels import label, pct

#: The least height of the plot area itself.
MIN_PLOT_PX = 280
#: Right margin of a chart whose threshold lines are labelled beside the plot.
THRESHOLD_LABEL_PX = 95
#: Name of the shape/annotation that marks the gender threshold (tests and readers find it).
THRESHOLD_NAME = "threshold"
SOURCE_NOTE_NAME = "source_note"
UNKNOWN_NAME = "unknown"


def floats(series: pd.Series) -> np.ndarray:
    """Numbers as a float array; missing and non-numeric values become NaN (never 0)."""
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def year_span(years: Iterable[object]) -> str:
    """The years a chart or table holds, as its title says them: "2019–2025", "2017", or ""."""
    found = sorted({int(y) for y in pd.Series(list(years)).dropna()})
    if len(found) > 1:
        return f"{found[0]}–{found[-1]}"
    return str(found[0]) if found else ""


def tidy_title(text: str) -> str:
    """A title whose years are empty (an empty chart: :func:`year_span` gives ""), without the
    gap they leave: "Andel kvinner per år , NTNU" reads "Andel kvinner per år, NTNU"."""
    return " ".join(text.split()).replace(" ,", ",")


@dataclass(frozen=True)
class Source:
    """Where a chart's numbers come from, as printed under the chart.

    Attributes:
        name: the publisher and product, e.g. "DBH (HK-dir)".
        table: the table or view, e.g. "123 Registrerte studenter"; empty if none.
        retrieved: the date as ISO text (``2026-09-23``), the latest of the files' where the
            numbers come from several; ``None`` if none is known.
        dated_by: how the dates are known (``analysis.readers.file_dates``): ``"retrieved"``
            (recorded at retrieval), ``"named"`` (the files' names say so) or ``"partly_named"``
            (some of them by their names).
        earliest: the earliest of the files' dates where they differ (a range), else ``None``.
        dated: how many files the dates are of.
        named: how many of them are dated by their names (``dated`` when ``dated_by`` is
            ``"named"``; the words say "the file name" for one, "the file names" for more).
        undated: how many further files no date is known of (said beside the known dates: a
            date of some files is not the date of all).
    """

    name: str
    table: str = ""
    retrieved: str | None = None
    dated_by: str = "retrieved"
    earliest: str | None = None
    dated: int = 1
    undated: int = 0
    named: int | None = None

    def text(self, lang: str) -> str:
        parts = [theme.plain(self.name)]
        if self.table[:1].isdigit():  # a numbered table (DBH's "123 Registrerte studenter")
            parts.append(f"{label('table', lang)} {theme.plain(self.table)}")
        elif self.table:  # a view or an extract ("studiebarometeret.no, indekser"): no "tabell"
            parts.append(theme.plain(self.table))
        if not self.retrieved:
            parts.append(label("retrieved_unknown", lang))
            return ", ".join(parts)
        if self.earliest and self.earliest != self.retrieved:
            when = label("retrieved_between", lang, first=theme.plain(self.earliest), last=theme.plain(self.retrieved))
        else:
            when = label("retrieved_on", lang, date=theme.plain(self.retrieved))
        if self.dated_by in ("named", "partly_named"):
            named = self.dated if self.named is None else self.named
            partly = "partly_" if self.dated_by == "partly_named" else ""
            when = f"{when} {label(f'dated_{partly}by_name' + ('' if named == 1 else 's'), lang)}"
        parts.append(when)
        if self.undated:
            parts.append(label("retrieved_unknown_for", lang, n=self.undated, of=self.dated + self.undated))
        return ", ".join(parts)


NOTE_LINE_CHARS = 120  # a source note line that fits WIDTH_PX at NOTE_FONT_SIZE


def source_note_text(sources: Source | Iterable[Source], lang: str) -> str:
    """``Kilde: DBH (HK-dir), tabell 123, hentet 2026-09-23; …``, one source per line when
    they do not fit on one."""
    if isinstance(sources, Source):
        sources = [sources]
    texts = list(dict.fromkeys(s.text(lang) for s in sources))
    if not texts:
        raise ValueError("a chart needs at least one source")
    one_line = f"{label('source', lang)}: " + "; ".join(texts)
    return "<br>".join(textwrap.wrap(one_line, NOTE_LINE_CHARS, break_long_words=False, break_on_hyphens=False))


def new_figure(title: str, sources: Source | Iterable[Source], lang: str, subtitle: str | None = None) -> go.Figure:
    """An empty figure in the report theme with title and the source note under the plot."""
    fig = go.Figure(layout={"template": theme.template(lang)})
    title_spec: dict = {"text": title}
    if subtitle:
        title_spec["subtitle"] = {"text": subtitle}
    fig.update_layout(title=title_spec)
    fig.add_annotation(
        name=SOURCE_NOTE_NAME,
        text=source_note_text(sources, lang),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-75,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": theme.NOTE_FONT_SIZE, "color": "#555555"},
    )
    return fig


def _across_every_plot(fig: go.Figure, y: float, line: dict) -> None:
    """A horizontal threshold line at ``y`` across every plot of ``fig`` (each panel of small
    multiples too), as plotly's ``add_hline`` draws it. Written as shapes here because
    ``add_hline`` looks through every trace for every panel to find the panels with data: 4.3 of
    the report's 10 s of chart building for the 21-panel first-choice trend (cProfile,
    2026-12-03). As there, a panel without data (the grid's last cells) gets no line."""
    with_data = {"yaxis" + (t.yaxis or "y")[1:] for t in fig.data}
    axes = sorted((k for k in fig.layout.to_plotly_json() if k in with_data), key=lambda k: int(k[5:] or 1))
    shapes = [
        {
            "type": "line",
            "name": THRESHOLD_NAME,
            "line": line,
            "x0": 0,
            "x1": 1,
            "xref": f"{fig.layout[axis].anchor or 'x'} domain",
            "y0": y,
            "y1": y,
            "yref": "y" + axis[5:],
        }
        for axis in axes or ["yaxis"]
    ]
    fig.layout.shapes = (*fig.layout.shapes, *shapes)


def add_gender_threshold(
    fig: go.Figure, threshold: Fraction, lang: str, axis: str = "y", labelled: bool = True
) -> go.Figure:
    """Draw the policy threshold on a share-of-women axis: at ``threshold`` (too few women)
    and at ``1 - threshold`` (too few men), both dashed and labelled.

    The two labels point away from each other (the women's line labelled on its low side, the
    men's on its high side), so they never run into one another however close the lines are.

    Args:
        axis: "y" for vertical share axes (trend lines), "x" for horizontal bars.
        labelled: False where the chart names the lines elsewhere (small panels, whose two
            lines lie too close for a label each).
    """
    for value, key, side in ((threshold, "threshold_women", "left"), (1 - threshold, "threshold_men", "right")):
        share = float(value)
        text = label(key, lang, pct=pct(threshold, lang))
        line = {"color": theme.THRESHOLD, "width": 1.5, "dash": "dash"}
        if axis == "y":
            # labelled in the right margin, beside the line's end: never over a data line (the
            # latest year, where the lines end, is where a label inside the plot covered them)
            _across_every_plot(fig, share, line)
            if not labelled:
                continue
            fig.add_annotation(
                name=THRESHOLD_NAME,
                text=text.replace(" (", "<br>("),
                xref="paper",
                x=1.01,
                xanchor="left",
                y=share,
                yref="y",
                yanchor="middle",
                showarrow=False,
                align="left",
                font={"size": theme.NOTE_FONT_SIZE},
            )
            fig.update_layout(margin={"r": THRESHOLD_LABEL_PX})
        else:
            fig.add_vline(
                x=share,
                line=line,
                name=THRESHOLD_NAME,
                annotation_text=text,
                annotation_position=f"top {side}",
                annotation_font_size=theme.NOTE_FONT_SIZE,
                annotation_yshift=8,
            )
    return fig


def percent_axis(fig: go.Figure, axis: str, lang: str, top: float = 1.0, step: float = 0.2) -> go.Figure:
    """A 0–100 % share axis with ticks written the language's way ("40 %", not "40%")."""
    values = [round(i * step, 6) for i in range(int(round(top / step)) + 1)]
    text = [f"{pct(v, lang, 0)} %" for v in values]
    spec = {"tickvals": values, "ticktext": text}
    if axis == "x":
        fig.update_xaxes(**spec)
    else:
        fig.update_yaxes(**spec)
    return fig


#: Pixels of the layout's top block: title line, subtitle line, one legend row, one more line
#: of a label over the plot.
TITLE_PX, SUBTITLE_PX, LEGEND_ROW_PX, LABEL_LINE_PX = 44, 26, 24, 16
#: Each further line of a wrapped title (TITLE_FONT_SIZE and its line gap, measured in Chromium).
TITLE_LINE_PX = 22


def _legend_entries(fig: go.Figure) -> list[str]:
    """The names the legend will show (one per legend group), or none when plotly shows no
    legend: fewer than two entries and neither the layout nor a trace asks for one."""
    names, groups = [], set()
    for trace in fig.data:
        if trace.showlegend is False or not trace.name:
            continue
        if trace.legendgroup:
            if trace.legendgroup in groups:
                continue
            groups.add(trace.legendgroup)
        names.append(str(trace.name))
    if fig.layout.showlegend is False:
        return []
    asked = fig.layout.showlegend is True or any(t.showlegend is True for t in fig.data)
    return names if len(names) >= 2 or asked else []


#: Average width of a character of the report font at the base size, a little generous
#: (DejaVu Sans, the fallback where Liberation Sans is missing, is the wider of the two).
CHAR_PX = 7.6
#: The same for the note font (NOTE_FONT_SIZE): the right margins that hold notes beside bars.
NOTE_CHAR_PX = 6.2
#: The same for legend rows, closer to the mean (an overestimate there leaves an empty band).
LEGEND_CHAR_PX = 6.7
#: The same for the title font (TITLE_FONT_SIZE), as generous as CHAR_PX.
TITLE_CHAR_PX = CHAR_PX * theme.TITLE_FONT_SIZE / theme.BASE_FONT_SIZE
#: The legend's and title's distance from the figure's left edge.
LEFT_EDGE_PX = 14


_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _category_labels(fig: go.Figure) -> list[str]:
    """The lines of the category names on a horizontal chart's y axis (unit or item names; a
    long name wrapped with ``<br>`` is as wide as its longest line), as plain text."""
    labels: list[str] = []
    for trace in fig.data:
        ys = trace.y if getattr(trace, "y", None) is not None else ()
        if len(ys) and all(isinstance(v, str) for v in ys):
            labels += [html.unescape(re.sub(r"<[^>]+>", "", line)) for v in ys for line in _LINE_BREAK.split(v)]
    return labels


def _wrap_title(fig: go.Figure, width: int) -> int:
    """Wraps the title at words to the figure's width and returns its number of lines.

    Plotly draws a title on one line and cuts it off at the figure's edge: a faculty report's
    titles, which name the faculty and the institution, lost their last words ("…, alle
    kategorier, i") in the page, the PNG and the SVG. Wrapping again gives the same lines."""
    text = fig.layout.title.text
    if not text:
        return 1
    chars = int((width - 2 * LEFT_EDGE_PX) / TITLE_CHAR_PX)
    lines = [
        line
        for part in _LINE_BREAK.split(str(text))
        for line in textwrap.wrap(part, chars, break_long_words=False, break_on_hyphens=False) or [""]
    ]
    fig.update_layout(title={"text": "<br>".join(lines)})
    return len(lines)


def finish(fig: go.Figure) -> go.Figure:
    """Last layout step of every chart, so the page, the PNG and the SVG lay out alike:

    - the left margin fits the longest category name (estimated from its length, so the plot
      area is known here and not only after plotly measures the text);
    - the title wraps at the figure's width (:func:`_wrap_title`);
    - the top margin is exactly the title block (title lines, subtitle, legend rows, threshold
      labels), so no chart has an empty band;
    - the legend sits under the title, from the figure's left edge, as wide as the figure (plotly
      wraps a horizontal legend at the plot's width unless it starts left of the plot and above
      it: placed so, long unit names no longer fold it into a column);
    - the bottom margin fits the source note, which starts at the figure's left edge; the size
      is fixed (no autosize).
    """
    height = fig.layout.height or theme.HEIGHT_PX
    width = fig.layout.width or theme.WIDTH_PX
    right = fig.layout.margin.r if fig.layout.margin.r is not None else theme.MARGIN["r"]
    left = fig.layout.margin.l if fig.layout.margin.l is not None else theme.MARGIN["l"]
    labels = _category_labels(fig)
    if labels:
        left = max(left, int(24 + CHAR_PX * max(len(t) for t in labels)))
    subtitle = bool(fig.layout.title.subtitle and fig.layout.title.subtitle.text)
    top = TITLE_PX + TITLE_LINE_PX * (_wrap_title(fig, width) - 1) + (SUBTITLE_PX if subtitle else 0)
    legend_top = top
    horizontal = fig.layout.legend.orientation in (None, "h")
    entries = _legend_entries(fig)
    if horizontal and entries:
        # Plotly wraps a legend placed as below at the width left of the right margin. One row
        # when every entry surely fits (a generous estimate of the text); otherwise every entry
        # gets the same fixed width, so the columns and rows are known here instead of depending
        # on measured text: an entry is symbol (40 px) + text + gap (5 px).
        available = width - right
        entry_width = None
        if sum(CHAR_PX * len(name) + 45 for name in entries) - 5 < available - LEFT_EDGE_PX:
            rows = 1
        else:
            entry_width = int(LEGEND_CHAR_PX * max(len(name) for name in entries))
            step = 40 + entry_width + 5
            per_row = max(1, -(-(available + 5) // step) - 1)  # the most n with n·step − 5 < available
            rows = -(-len(entries) // per_row)
            # the columns then share the width: plotly cuts an entry's text off at its fixed width,
            # and a name of wide letters is longer than the estimate ("… første bølge i
            # datagrunnlage" in a legend of one column); the rows stay as counted
            entry_width = max(entry_width, int((available - LEFT_EDGE_PX + 5) / per_row) - 45 - 1)
        # legend groups put a gap (tracegroupgap, 10 px) between rows
        grouped = any(t.legendgroup for t in fig.data)
        top += (LEGEND_ROW_PX + (10 if grouped else 0)) * rows + 6
    labels_on_top = [
        a
        for a in fig.layout.annotations
        if a.name != SOURCE_NOTE_NAME
        # 1 - 1e-9: make_subplots puts the top row's names at 0.9999999999999999
        and (getattr(a, "yref", None) == "y domain" or (a.yref == "paper" and (a.y or 0) >= 1 - 1e-9))
    ]
    # a label of two lines over the plot (a long name over a panel) needs a line more
    extra_lines = max((str(a.text).count("<br>") for a in labels_on_top), default=0)
    top += 30 + LABEL_LINE_PX * extra_lines if labels_on_top else 10
    note_lines = 1 + sum(str(a.text).count("<br>") for a in fig.layout.annotations if a.name == SOURCE_NOTE_NAME)
    bottom = 95 + 14 * note_lines
    # a tall title block must not squeeze the plot: the figure grows instead
    height = max(height, top + bottom + MIN_PLOT_PX)
    plot_w, plot_h = width - left - right, height - top - bottom
    # the source note from the figure's left edge, like the title and the legend: anchored to
    # the plot, it ran off the right edge of a chart with long category names
    for note in fig.layout.annotations:
        if note.name == SOURCE_NOTE_NAME:
            note.x = (LEFT_EDGE_PX - left) / plot_w
    if not entries and fig.layout.showlegend is None:
        # no room was reserved for a legend: plotly would still draw one for a lone series
        # beside hidden helper traces, over the title
        fig.update_layout(showlegend=False)
    if horizontal and entries:
        fig.update_layout(
            legend={
                "orientation": "h",
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "top",
                "x": (LEFT_EDGE_PX - left) / plot_w,
                "y": 1 + (top - legend_top) / plot_h,
            }
        )
        if entry_width is not None:
            fig.update_layout(legend={"entrywidth": entry_width, "entrywidthmode": "pixels"})
    # the size is the layout's own, not the template's: plotly.js sizes a figure without an
    # explicit width to its container, so the page drew charts wider than their PNG and SVG
    fig.update_layout(
        margin={"l": left, "t": top, "b": bottom},
        width=width,
        height=height,
        autosize=False,
        # the title at a fixed distance from the top, however tall the chart
        title={"y": 1 - 12 / height, "yanchor": "top"},
    )
    return fig


def empty_message(fig: go.Figure, lang: str) -> go.Figure:
    """A figure with nothing to show says so instead of showing empty axes."""
    fig.add_annotation(text=label("no_data", lang), xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig)
