"""SHoT indicator tables: wave × indicator × group, a percentage with its definition note.

Definitions drift between waves and between reports, so the definition note is part of the
key: the same wave and indicator may appear twice as reported by two different reports.
"""

from __future__ import annotations

from pathlib import Path

from analysis.parsing import parse_year
from analysis.readers.base import Col
from analysis.readers.portal import _NUM, _pct, _read
from schemas.shot import ShotIndicators

SHOT_COLUMNS = [
    Col("year", "aar", parse_year),
    Col("indicator", "indikator"),
    Col("group", "gruppe"),
    Col("value_pct", "verdi_pct", _pct),
    Col("definition_note", "definisjon_merknad", nullable=True),
    Col("source_url", "kilde_url", nullable=True),
]


def read_shot(path: Path):
    return _read(
        path,
        SHOT_COLUMNS,
        ["year", "indicator", "group", "definition_note"],
        "shot-indicators",
        "shot",
        ShotIndicators,
        {**_NUM, "year": "Int64", "value_pct": "Float64"},
        # the indicator names the row; not gruppe, where "alle" (all students) is data, even
        # when it is the first cell of a row
        names=("indikator",),
        not_names=("gruppe",),
    )
