"""The self-contained ``index.html``: plotly.js embedded once, every chart, findings, tables.

Safety: every string from data goes through :func:`html.escape` in the page, and the chart
JSON is embedded in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&``
written as ``\\u003c``/``\\u003e``/``\\u0026``, so no data value can close the script element or
open markup. Determinism: element ids come from the figure names, never from random uuids.
"""

from __future__ import annotations

import html
import json

import pandas as pd
from plotly.offline import get_plotlyjs

from analysis.charts.labels import label, pct, value_label
from analysis.report.data import source_labels

#: Offline and script-injection hardening: no network at all; scripts only inline.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:"
)

CSS = """
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; margin: 2rem auto; max-width: 980px;
       color: #222; line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.7rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.9rem; margin: 1rem 0; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; }
th { background: #f3f3f3; } td.num { text-align: right; }
figure { margin: 1.5rem 0; } figcaption { font-size: 0.85rem; color: #555; }
.warnings { font-size: 0.85rem; color: #555; }
@media print { .chart { break-inside: avoid; } }
"""

#: Report sections in order; headings are the labels ``section_<name>``.
SECTIONS = ["gender", "integration", "survey", "wellbeing"]


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survives."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def _cell(value: object, column: str, lang: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return '<td class="num">–</td>'
    if column == "share_women":
        return f'<td class="num">{share_text(float(value), lang)} %</td>'
    if column == "level":
        return f"<td>{html.escape(value_label('level', value, lang))}</td>"
    if column == "measure":
        return f"<td>{html.escape(value_label('measure', value, lang))}</td>"
    if column == "source_kind":
        return f"<td>{html.escape(source_text(str(value), lang))}</td>"
    if column == "underrepresented":
        return f"<td>{html.escape(label(value, lang) if value in ('women', 'men', 'none') else str(value))}</td>"
    if isinstance(value, (int, float)) or column in ("students_needed", "consecutive_years_flagged", "year"):
        return f'<td class="num">{html.escape(str(value))}</td>'
    return f"<td>{html.escape(str(value))}</td>"


FLAGGED_HEADERS = {
    "level": "col_level", "unit_name": "col_unit", "unit_code": "col_code", "measure": "col_measure",
    "year": "year", "share_women": "col_share_women", "underrepresented": "col_underrepresented",
    "students_needed": "col_students_needed", "consecutive_years_flagged": "col_years_flagged",
    "source_kind": "source",
}


def share_text(share: float, lang: str) -> str:
    """A share as a percentage with one decimal, or more where one decimal would round a share
    that is not a whole percentage onto one: 799 of 2000 (39.95 %, flagged) must not read
    "40,0 %" in the list of units below 40 %."""
    percent, digits = share * 100, 1
    whole = round(percent)
    while digits < 4 and round(percent, digits) == whole and abs(percent - whole) > 1e-9:
        digits += 1
    return pct(share, lang, digits)


def source_text(kind: str, lang: str) -> str:
    """Publisher and table of a source kind (``dbh-123-json`` -> "DBH (HK-dir), tabell 123 …");
    several kinds joined by "; " each get theirs."""
    out = []
    for k in kind.split("; "):
        out.append(", ".join(t for t in source_labels(k, lang) if t))
    return "; ".join(dict.fromkeys(out))


def flagged_table(flagged: pd.DataFrame, lang: str) -> str:
    if flagged.empty:
        return f"<p>{html.escape(label('no_flagged', lang))}</p>"
    heads = [label(FLAGGED_HEADERS[c], lang) for c in flagged.columns]
    head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
    body = "\n".join(
        "<tr>" + "".join(_cell(v, c, lang) for c, v in zip(flagged.columns, row, strict=True)) + "</tr>"
        for row in flagged.astype(object).itertuples(index=False, name=None)
    )
    return f'<table id="flagged"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>'


def render_index(
    *,
    title: str,
    lang: str,
    findings: list[str],
    flagged: pd.DataFrame,
    figures: list[dict],
    figure_json: dict[str, str],
    static_files: dict[str, list[str]],
    warnings: list[str],
    downloads: list[str] | None = None,
) -> str:
    """The complete page as text.

    Args:
        figures: ``[{"name", "section", "title"}]`` in report order.
        figure_json: figure name -> ``Figure.to_json()`` text.
        static_files: figure name -> relative paths of its PNG/SVG (may be empty).
        downloads: relative paths of the workbook, tables and notebooks to link to.
    """
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"nb" if lang == "nb" else "en"}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style>",
        f"<script>{get_plotlyjs()}</script>",
        "</head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<h2>{html.escape(label('key_findings', lang))}</h2>",
        "<ul id=\"findings\">" + "".join(f"<li>{html.escape(f)}</li>" for f in findings) + "</ul>",
        f"<h2>{html.escape(label('flagged_programmes', lang))}</h2>",
        flagged_table(flagged, lang),
    ]
    for section in SECTIONS:
        in_section = [f for f in figures if f["section"] == section]
        if not in_section:
            continue
        parts.append(f"<h2>{html.escape(label(f'section_{section}', lang))}</h2>")
        for f in in_section:
            files = static_files.get(f["name"], [])
            links = " · ".join(f'<a href="{html.escape(p)}">{html.escape(p.rsplit(".", 1)[-1].upper())}</a>' for p in files)
            parts.append(
                f'<figure><div class="chart" id="fig-{html.escape(f["name"])}"></div>'
                f"<figcaption>{links}</figcaption></figure>"
            )
    if downloads:
        parts.append(f"<h2>{html.escape(label('files', lang))}</h2><ul id=\"files\">"
                     + "".join(f'<li><a href="{html.escape(p)}">{html.escape(p)}</a></li>' for p in downloads)
                     + "</ul>")
    if warnings:
        parts.append('<div class="warnings"><h2>' + html.escape(label('notes', lang)) + '</h2><ul>'
                     + "".join(f"<li>{html.escape(w)}</li>" for w in warnings) + "</ul></div>")
    parts.append(f"<p class=\"warnings\">{html.escape(label('report_note', lang))}</p>")
    data = "{" + ",".join(
        f"{json.dumps(f['name'])}:{figure_json[f['name']]}" for f in figures
    ) + "}"
    parts.append(f'<script type="application/json" id="figure-data">{script_json(data)}</script>')
    parts.append(
        "<script>(function(){"
        "var specs=JSON.parse(document.getElementById('figure-data').textContent);"
        "Object.keys(specs).forEach(function(name){var s=specs[name];"
        "var div=document.getElementById('fig-'+name);"
        "Plotly.newPlot(div,s.data,s.layout,{displaylogo:false,responsive:true});});"
        "})();</script>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
