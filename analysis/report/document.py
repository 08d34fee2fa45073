"""The report as an outline of blocks, written once and rendered twice: to ``index.html``
(:mod:`analysis.report.html`) and to ``kvalitetsmelding.docx`` (:mod:`analysis.report.word`).

Blocks are plain dictionaries (they travel in ``content.json`` from the report-charts
notebook to the build). Every text in them is final: in the report's language, numbers
formatted. A renderer only lays them out, so the page and the Word document say the same.

- ``{"kind": "heading", "level": 1|2|3, "text", "id"}``
- ``{"kind": "paragraph", "text", "style": None|"note"}``
- ``{"kind": "bullets", "items": [text, …], "id"}``
- ``{"kind": "table", "id", "columns": [text, …], "numeric": [bool, …],
  "rows": [{"group": text} | {"cells": [text, …]}, …], "caption": text, "source": text}``
- ``{"kind": "figure", "name", "title", "alt", "caption"}``
"""

from __future__ import annotations

Block = dict


def heading(text: str, level: int = 2, id: str | None = None) -> Block:
    return {"kind": "heading", "level": level, "text": text, "id": id}


#: The style of a section's line saying it has nothing for the report year: the workbook's notes
#: carry it (its sheet for the section is empty, and the workbook travels without the page).
NO_DATA = "no-data"


def paragraph(text: str, style: str | None = None) -> Block:
    return {"kind": "paragraph", "text": text, "style": style}


def bullets(items: list[str], id: str | None = None) -> Block:
    return {"kind": "bullets", "items": list(items), "id": id}


def table(
    id: str, columns: list[str], rows: list[dict], numeric: list[bool] | None = None, *, caption: str, source: str
) -> Block:
    """A table with its caption (what, when, whose) above and its source line below: a table
    copied out of the report, or read in the Word document, says both, as a chart does."""
    numeric = numeric or [False] * len(columns)
    if len(numeric) != len(columns):
        raise ValueError("one numeric flag per column")
    if not caption or not source:
        raise ValueError(f"table {id}: a table needs a caption and a source line")
    for row in rows:
        if "cells" in row and len(row["cells"]) != len(columns):
            raise ValueError(f"table {id}: a row has {len(row['cells'])} cells for {len(columns)} columns")
    return {
        "kind": "table",
        "id": id,
        "columns": columns,
        "numeric": numeric,
        "rows": rows,
        "caption": caption,
        "source": source,
    }


def figure(name: str, title: str, alt: str, caption: str) -> Block:
    return {"kind": "figure", "name": name, "title": title, "alt": alt, "caption": caption}


def group_row(text: str) -> dict:
    return {"group": text}


def cells_row(cells: list[str]) -> dict:
    return {"cells": [c if isinstance(c, str) else ("" if c is None else str(c)) for c in cells]}
