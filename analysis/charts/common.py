"""What every chart shares: the source note, the base figure, the threshold line."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.charts import theme
from analysis.charts.labels import label, pct

#: Name of the shape/annotation that marks the gender threshold (tests and readers find it).
THRESHOLD_NAME = "threshold"
SOURCE_NOTE_NAME = "source_note"
UNKNOWN_NAME = "unknown"


def floats(series: pd.Series) -> np.ndarray:
    """Numbers as a float array; missing and non-numeric values become NaN (never 0)."""
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


@dataclass(frozen=True)
class Source:
    """Where a chart's numbers come from, as printed under the chart.

    Attributes:
        name: the publisher and product, e.g. "DBH (HK-dir)".
        table: the table or view, e.g. "123 Registrerte studenter"; empty if none.
        retrieved: retrieval date as ISO text (``2026-09-23``); ``None`` if unknown.
    """

    name: str
    table: str = ""
    retrieved: str | None = None

    def text(self, lang: str) -> str:
        parts = [theme.plain(self.name)]
        if self.table:
            parts.append(f"{label('table', lang)} {theme.plain(self.table)}")
        if self.retrieved:
            parts.append(f"{label('retrieved', lang)} {theme.plain(self.retrieved)}")
        else:
            parts.append(label("retrieved_unknown", lang))
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


def add_gender_threshold(fig: go.Figure, threshold: Fraction, lang: str, axis: str = "y") -> go.Figure:
    """Draw the policy threshold on a share-of-women axis: at ``threshold`` (too few women)
    and at ``1 - threshold`` (too few men), both dashed and labelled.

    Args:
        axis: "y" for vertical share axes (trend lines), "x" for horizontal bars.
    """
    for value, key in ((threshold, "threshold_women"), (1 - threshold, "threshold_men")):
        share = float(value)
        text = label(key, lang, pct=pct(threshold, lang))
        line = {"color": theme.THRESHOLD, "width": 1.5, "dash": "dash"}
        if axis == "y":
            fig.add_hline(y=share, line=line, name=THRESHOLD_NAME, annotation_text=text,
                          annotation_position="top right", annotation_font_size=theme.NOTE_FONT_SIZE)
        else:
            fig.add_vline(x=share, line=line, name=THRESHOLD_NAME, annotation_text=text,
                          annotation_position="top", annotation_font_size=theme.NOTE_FONT_SIZE)
    return fig


def finish(fig: go.Figure) -> go.Figure:
    """Last layout step of every chart: the legend sits under the title block at a fixed
    distance from the top whatever the figure's height, clear of the threshold labels that
    sit on top of the plot area; the bottom margin fits the source note."""
    height = fig.layout.height or theme.HEIGHT_PX
    if fig.layout.legend.orientation in (None, "h"):
        fig.update_layout(legend={"yref": "container", "y": 1 - 72 / height, "yanchor": "top",
                                  "orientation": "h", "x": 0, "xanchor": "left"})
    note_lines = 1 + sum(
        str(a.text).count("<br>") for a in fig.layout.annotations if a.name == SOURCE_NOTE_NAME
    )
    fig.update_layout(margin={"b": 95 + 14 * note_lines})
    return fig


def empty_message(fig: go.Figure, lang: str) -> go.Figure:
    """A figure with nothing to show says so instead of showing empty axes."""
    fig.add_annotation(text=label("no_data", lang), xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
