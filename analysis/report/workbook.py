"""The Excel workbook of the report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from analysis.charts.labels import label
from analysis.outputs import excel_writer

WORKBOOK_NAME = "kvalitetsmelding.xlsx"
#: Tables in the workbook, one sheet each, in this order.
WORKBOOK_SHEETS = ("flags", "integration", "survey", "wellbeing")
#: Fixed workbook properties so the same tables give the same file.
WORKBOOK_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: Packages whose versions go into the manifest.

def write_workbook(tables: dict[str, pd.DataFrame], path: Path, lang: str) -> Path:
    """One formatted sheet per table: bold frozen header, filters, widths, percent shares."""
    with excel_writer(path) as writer:  # text is always text: never a formula, number or link
        book = writer.book
        book.set_properties({
            "title": label("report_title", lang, year="", institution="").strip(" :"),
            "author": "kvalitet",
            "created": WORKBOOK_CREATED.replace(tzinfo=None),
        })
        header = book.add_format({"bold": True, "bg_color": "#F3F3F3", "border": 1, "text_wrap": True})
        percent = book.add_format({"num_format": "0.0%"})
        for sheet in WORKBOOK_SHEETS:
            frame = tables.get(sheet, pd.DataFrame())
            frame = frame.drop(columns=[c for c in ("source_row",) if c in frame.columns])
            frame.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            for col, name in enumerate(frame.columns):
                ws.write(0, col, name, header)
                values = frame[name].astype("string").str.len()
                width = min(60, max(len(str(name)), int(values.max()) if values.notna().any() else 0) + 2)
                is_share = name.startswith("share_") or name in ("underrepresented_share", "threshold", "ci_low", "ci_high")
                ws.set_column(col, col, width, percent if is_share and pd.api.types.is_float_dtype(frame[name]) else None)
            ws.freeze_panes(1, 0)
            if len(frame.columns):
                ws.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    return path
