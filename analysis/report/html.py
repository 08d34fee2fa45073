"""The self-contained ``index.html``: the report outline (:mod:`analysis.report.document`) as a
page, plotly.js embedded once, every chart drawn from its JSON.

Safety: every string goes through :func:`html.escape` in the page, and the chart JSON is
embedded in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` written as
``\\u003c``/``\\u003e``/``\\u0026``, so no data value can close the script element or open
markup. Determinism: element ids come from the figure names, never from random uuids.
Accessibility: each chart is an ``role="img"`` element with its ``aria-label`` (the figure's
alt text) and a caption with its source line.
"""

from __future__ import annotations

import html
import json

from plotly.offline import get_plotlyjs

from analysis.charts.labels import label

#: Offline and script-injection hardening: no network at all; scripts only inline.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:"
)

CSS = """
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; margin: 2rem auto; max-width: 980px;
       color: #222; line-height: 1.45; padding: 0 1rem; }
/* a word longer than the line (a file's path, a URL in "Om tallene") breaks where it must: at
   360 px "notebooks/04_studiebarometeret.ipynb" ran past the window and the page scrolled
   sideways. break-word, not anywhere: a table's columns keep the width of their longest word */
body { overflow-wrap: break-word; }
h1 { font-size: 1.7rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc; font-size: 1.3rem; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
table { border-collapse: collapse; font-size: 0.8rem; margin: 1rem 0; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.45rem; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; } td.num { text-align: right; white-space: nowrap; }
tr.group th { background: #e8eef5; text-align: left; font-weight: bold; }
td.src { white-space: nowrap; }
/* A table wider than the text column (the follow-up list's ten columns need about 1060 px) may
   take the page's right margin, and scrolls in its own box where the window is narrower still,
   the unit's name (first column) kept in view: it ran past the window below ~1120 px and the
   whole page scrolled sideways. */
.table-box { overflow-x: auto; margin: 1rem 0;
             width: calc(100% + min(240px, max(0px, (100vw - 100%) / 2 - 2rem))); }
/* a table that fits the text column keeps to it (its long text wraps there) */
.table-box table { margin: 0; max-width: min(980px, 100vw - 2rem); }
.table-box tbody td:first-child, .table-box thead th:first-child { position: sticky; left: 0; background: #fff;
                                                                   box-shadow: inset -1px 0 #ddd; }
.table-box thead th:first-child { background: #f3f3f3; }
.table-box tr.group th span { position: sticky; left: 0.45rem; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 0.3rem 0; }
figure { margin: 1.5rem 0; } figcaption { font-size: 0.8rem; color: #555; }
/* a chart is laid out at its PNG's width (900 px): in a narrower window it scrolls in its own
   box, as a wide table does, and the page does not */
figure { overflow-x: auto; }
p.note, .warnings { font-size: 0.85rem; color: #555; }
@page { size: A4; margin: 15mm; }
@media print {
  /* A4 less 15 mm margins is 180 mm, 680 px, of text width. A chart is laid out 900 px wide (as
     its PNG): printed at its size it lost its right part (100 %, "Antall som trengs"), so it is
     scaled to the width; the follow-up list's ten columns need smaller text to fit. */
  body { margin: 0; padding: 0; }
  .chart { break-inside: avoid; zoom: 0.75; }
  table { font-size: 0.55rem; } th, td { padding: 0.15rem 0.2rem; } td.src { white-space: normal; }
  .table-box, figure { overflow: visible; width: auto; }
  .table-box tbody td:first-child, .table-box thead th:first-child { position: static; box-shadow: none; }
}
"""


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survives."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _id(value: object) -> str:
    return f' id="{html.escape(str(value))}"' if value else ""


def table_html(block: dict) -> str:
    """A table block: header row, faculty group rows spanning the table, right-aligned numbers;
    the last column named like the source is kept on one line."""
    columns, numeric = block["columns"], block["numeric"]
    source_col = label("source", "nb"), label("source", "en")
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for row in block["rows"]:
        if "group" in row:
            # (the faculty's name in a span, kept in view as the unit names are where the table scrolls)
            body.append(
                f'<tr class="group"><th colspan="{len(columns)}"><span>{html.escape(row["group"])}</span></th></tr>'
            )
            continue
        cells = []
        for text, is_num, col in zip(row["cells"], numeric, columns, strict=True):
            css = ' class="num"' if is_num else (' class="src"' if col in source_col else "")
            cells.append(f"<td{css}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"<caption>{html.escape(block['caption'])}</caption>" if block.get("caption") else ""
    source = f'\n<p class="note">{html.escape(block["source"])}</p>' if block.get("source") else ""
    # "table-": the section's heading has the block's id (#followup is the heading a link goes
    # to); the table had it too, one id twice in the page
    table_id = f"table-{block['id']}" if block.get("id") else None
    return (
        f'<div class="table-box"><table{_id(table_id)}>{caption}<thead><tr>{head}</tr></thead><tbody>\n'
        + "\n".join(body)
        + "\n</tbody></table></div>"
        + source
    )


def _figure_html(block: dict, static_files: dict[str, list[str]]) -> str:
    name = block["name"]
    files = static_files.get(name, [])
    links = " · ".join(f'<a href="{html.escape(p)}">{html.escape(p.rsplit(".", 1)[-1].upper())}</a>' for p in files)
    caption = html.escape(block["caption"]) + (f" · {links}" if links else "")
    return (
        f'<figure><div class="chart" id="fig-{html.escape(name)}" role="img" '
        f'aria-label="{html.escape(block["alt"])}"></div><figcaption>{caption}</figcaption></figure>'
    )


def render_blocks(blocks: list[dict], static_files: dict[str, list[str]]) -> list[str]:
    parts = []
    for b in blocks:
        kind = b["kind"]
        if kind == "heading":
            level = min(max(int(b["level"]), 1), 4)
            parts.append(f"<h{level}{_id(b.get('id'))}>{html.escape(b['text'])}</h{level}>")
        elif kind == "paragraph":
            css = f' class="{html.escape(b["style"])}"' if b.get("style") else ""
            parts.append(f"<p{css}>{html.escape(b['text'])}</p>")
        elif kind == "bullets":
            parts.append(
                f"<ul{_id(b.get('id'))}>" + "".join(f"<li>{html.escape(i)}</li>" for i in b["items"]) + "</ul>"
            )
        elif kind == "table":
            parts.append(table_html(b))
        elif kind == "figure":
            parts.append(_figure_html(b, static_files))
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    return parts


def render_index(
    *,
    title: str,
    lang: str,
    blocks: list[dict],
    figure_json: dict[str, str],
    static_files: dict[str, list[str]],
    warnings: list[str],
    downloads: list[str] | None = None,
) -> str:
    """The complete page as text.

    Args:
        blocks: the report outline (:mod:`analysis.report.document`), title heading first.
        figure_json: figure name -> ``Figure.to_json()`` text, for every figure block.
        static_files: figure name -> relative paths of its PNG/SVG (may be empty).
        downloads: relative paths of the Word document, workbook, tables and notebooks.
    """
    figures = [b["name"] for b in blocks if b["kind"] == "figure"]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"nb" if lang == "nb" else "en"}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style>",
        f"<script>{get_plotlyjs()}</script>",
        "</head><body>",
        *render_blocks(blocks, static_files),
    ]
    if downloads:
        parts.append(
            f'<h2>{html.escape(label("files", lang))}</h2><ul id="files">'
            + "".join(f'<li><a href="{html.escape(p)}">{html.escape(p)}</a></li>' for p in downloads)
            + "</ul>"
        )
    if warnings:
        parts.append(
            '<div class="warnings"><h2>'
            + html.escape(label("notes", lang))
            + "</h2><ul>"
            + "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
            + "</ul></div>"
        )
    parts.append(f'<p class="warnings">{html.escape(label("report_note", lang))}</p>')
    data = "{" + ",".join(f"{json.dumps(name)}:{figure_json[name]}" for name in figures) + "}"
    parts.append(f'<script type="application/json" id="figure-data">{script_json(data)}</script>')
    parts.append(
        "<script>(function(){"
        "var specs=JSON.parse(document.getElementById('figure-data').textContent);"
        "Object.keys(specs).forEach(function(name){var s=specs[name];"
        "var div=document.getElementById('fig-'+name);"
        # the layout's own width and height, as in the PNG and SVG: the same chart everywhere
        "Plotly.newPlot(div,s.data,s.layout,{displaylogo:false,responsive:false});});"
        "})();</script>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
