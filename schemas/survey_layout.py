"""NOKUT's respondent-level layout, as names only (no pandas): shared by the contract
(:mod:`schemas.studiebarometeret`), the reader and the counting engine."""

from __future__ import annotations

import re

#: A NOKUT item variable: lower-case words joined by "_" ending in the two-digit year the
#: question was introduced (``underv_engasj_18``, ``overord_altialt_13``). NOKUT's own indices
#: (``indeks_*``) and OsloMet's (``indx_*``) are derived values, not answers.
ITEM_NAME = re.compile(r"^(?!indeks_|indx_)[a-z][a-z0-9]*(?:_[a-z0-9]+)*_\d{2}$")
PROGRAMME_KEY = "studprog_kod"
YEAR_KEY = "aar"
#: Each row's file and its row there (header = row 1), named as every validated dataset names
#: them (:class:`schemas.common.Provenance`).
SOURCE_FILE, SOURCE_ROW = "source_file", "source_row"
#: Studiebarometeret started in 2013; a later year than this is a broken cell.
FIRST_YEAR, LAST_YEAR = 2013, 2100


def item_columns(columns) -> list[str]:
    """The answer columns of a respondent-level table, in file order."""
    return [c for c in columns if isinstance(c, str) and ITEM_NAME.match(c)]
