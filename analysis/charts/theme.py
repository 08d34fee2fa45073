"""The one chart theme: Okabe–Ito colours, one font, sizes that read in an A4 report.

Importing this module registers the plotly template ``"kvalitet"``; every chart function in
:mod:`analysis.charts` uses it, so a figure looks the same in JupyterLab, in ``index.html``
and in the PNG/SVG files.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go
import plotly.io as pio

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common form of
#: colour-vision deficiency, and in greyscale by lightness for the pairs we use together.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: Order of colours for series without a fixed meaning (yellow last: weak on white paper).
COLORWAY = [
    OKABE_ITO[k]
    for k in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "black", "yellow")
]

# Colours with a fixed meaning, so a reader learns them once for the whole report.
WOMEN = OKABE_ITO["vermillion"]
MEN = OKABE_ITO["blue"]
ALL = OKABE_ITO["black"]
FLAGGED = OKABE_ITO["vermillion"]
OK = OKABE_ITO["blue"]
HIGHLIGHT = OKABE_ITO["vermillion"]  # the report's own institution
OTHERS = OKABE_ITO["sky_blue"]
FIELD_AVERAGE = OKABE_ITO["black"]
THRESHOLD = OKABE_ITO["black"]
#: Unknown / suppressed values: grey and hatched, so they can never be read as a real value.
UNKNOWN = "#999999"
UNKNOWN_PATTERN = "/"

#: One font. Liberation Sans is metric-compatible with Arial and ships with Debian's Chromium,
#: so PNG/SVG exports and the browser lay text out alike.
FONT_FAMILY = "Liberation Sans, Arial, Helvetica, sans-serif"
BASE_FONT_SIZE = 13  # px at WIDTH_PX; ≈ 9 pt when the figure is printed 170 mm wide
TITLE_FONT_SIZE = 16
NOTE_FONT_SIZE = 10

# A4 text width is about 170 mm (6.7 in). Figures are laid out at WIDTH_PX and exported at
# EXPORT_SCALE so the PNG has 300 dpi at that width.
WIDTH_PX = 900
HEIGHT_PX = 560
PRINT_WIDTH_IN = 6.7
PRINT_DPI = 300
EXPORT_SCALE = round(PRINT_WIDTH_IN * PRINT_DPI / WIDTH_PX, 3)  # 2.233 -> 2010 px wide

TEMPLATE_NAME = "kvalitet"
MARGIN = {"l": 70, "r": 30, "t": 150, "b": 110}

_template = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": BASE_FONT_SIZE, "color": "#222222"},
        title={
            "font": {"size": TITLE_FONT_SIZE},
            # from the figure's left edge, not the plot's: long unit names push the plot right,
            # and a title over the plot alone left an empty corner
            "x": 14 / WIDTH_PX,
            "xanchor": "left",
            "xref": "container",
            "y": 0.98,
            "yanchor": "top",
            "yref": "container",
        },
        colorway=COLORWAY,
        paper_bgcolor="white",
        plot_bgcolor="white",
        width=WIDTH_PX,
        height=HEIGHT_PX,
        # room at the top for title, subtitle and legend; at the bottom for the source note
        # (charts.common.finish fits both to the chart)
        margin=MARGIN,
        xaxis={"showgrid": False, "linecolor": "#444444", "ticks": "outside", "zeroline": False},
        yaxis={"showgrid": True, "gridcolor": "#E5E5E5", "linecolor": "#444444", "zeroline": False},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.07, "xanchor": "left", "x": 0.0},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        separators=", ",  # Norwegian: decimal comma, thin space for thousands
    )
)
pio.templates[TEMPLATE_NAME] = _template


def template(lang: str = "nb") -> go.layout.Template:
    """The registered template; English reports use a decimal point."""
    if lang == "en":
        english = go.layout.Template(_template)
        english.layout.separators = ".,"
        return english
    return _template


def plain(text: object) -> str:
    """A data-derived string made safe for plotly text, which interprets a subset of HTML.

    Plotly renders ``&lt;`` as ``<``, so a programme named ``<script>…`` shows as text in the
    chart, the PNG and the SVG, and is never markup.
    """
    return html.escape(str(text), quote=False)
