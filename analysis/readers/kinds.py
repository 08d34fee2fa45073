"""The kinds of input file a reader exists for: name, the validated dataset each feeds, a
description, and its reader (loaded when a file of the kind is read).

Kept apart from the detection (:mod:`analysis.readers.detect`) so that the command line lists
the kinds (``kvalitet validate --kind``) without loading a reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.readers.base import Col, ReadResult


@dataclass(frozen=True)
class Kind:
    name: str
    dataset: str
    description: str
    read: Callable[[Path], ReadResult]
    #: the columns its reader reads, loaded when asked (to tell a header with one of them
    #: deleted: :func:`analysis.readers.detect.nearly_known`); None where a header does not list
    #: them (JSON, a wide table, respondent data) or another kind's list stands for them
    columns: Callable[[], list[Col]] | None = None


def _lazy(module: str, function: str, **given) -> Callable[[Path], ReadResult]:
    def read(path: Path) -> ReadResult:
        import importlib

        return getattr(importlib.import_module(module), function)(path, **given)

    read.__name__ = function
    return read


def _columns(module: str, name: str, table: int | None = None) -> Callable[[], list[Col]]:
    """The reader's list of columns ``name`` in ``module`` (``table``: its entry for that DBH
    table), loaded when asked."""

    def columns() -> list[Col]:
        import importlib

        found = getattr(importlib.import_module(module), name)
        return found[table] if table is not None else found

    return columns


#: Where the reader of a DBH table's CSV export lists its columns. Tables 110, 112 and 132 are
#: laid out as 123 and have no entry: a header alone says 123 (dbh_tables.table_id), and a header
#: lacking a column is said to be 123's.
_DBH_COLUMNS = {
    123: ("analysis.readers.dbh", "COUNT_COLUMNS", None),
    210: ("analysis.readers.dbh", "T210_COLUMNS", None),
    **{tid: ("analysis.readers.dbh_programmes", "COLUMNS", tid) for tid in (379, 347, 457, 211)},
}


#: DBH tables by id: the dataset each feeds and how it is described.
_DBH_TABLES = {
    110: ("gender", "table 110 new students"),
    112: ("gender", "table 112 admissions"),
    123: ("gender", "table 123 registered students"),
    132: ("gender", "table 132 applications"),
    379: ("gender", "table 379 applicants, offers and met, by gender"),
    210: ("faculties", "table 210 faculties"),
    347: ("programmes", "table 347 study programmes"),
    457: ("departments", "table 457 department names"),
    211: ("institutions", "table 211 institution names"),
}

KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        *(
            Kind(
                f"dbh-{tid}-{fmt}",
                dataset,
                f"DBH{'-API JSON' if fmt == 'json' else ' CSV'}, {what}",
                # (a table is known from its status, query or header; failing them, from --kind)
                _lazy("analysis.readers.dbh", f"read_dbh_{fmt}", table=tid),
                _columns(*_DBH_COLUMNS[tid]) if fmt == "csv" and tid in _DBH_COLUMNS else None,
            )
            for tid, (dataset, what) in _DBH_TABLES.items()
            for fmt in ("json", "csv")
        ),
        Kind(
            "dbh-query",
            "dbh_queries",
            "DBH-API query body (provenance of an export)",
            _lazy("analysis.readers.dbh_query", "read_dbh_query"),
        ),
        Kind(
            "samordna-keyfigures",
            "gender",
            "Samordna opptak key figures (søkertall), JSON or CSV",
            _lazy("analysis.readers.samordna", "read_keyfigures"),
            _columns("analysis.readers.samordna", "KEYFIGURE_COLUMNS"),
        ),
        Kind(
            "samordna-sample",
            "gender",
            "Samordna opptak programme sample",
            _lazy("analysis.readers.samordna", "read_sample"),
            _columns("analysis.readers.samordna", "SAMPLE_COLUMNS"),
        ),
        Kind(
            "seed-admission",
            "gender",
            "share of women admitted, programme × year",
            _lazy("analysis.readers.seed", "read_admission_table"),
        ),
        Kind(
            "seed-integration",
            "integration_extract",
            "integration extract (mean 1–5)",
            _lazy("analysis.readers.seed", "read_integration_extract"),
            _columns("analysis.readers.seed", "INTEGRATION_COLUMNS"),
        ),
        Kind(
            "sb-respondents",
            "survey_respondents",
            "Studiebarometeret respondent-level data",
            _lazy("analysis.metrics.survey_counts", "read_survey_respondents"),
        ),
        Kind(
            "sb-portal-index",
            "portal_index",
            "Studiebarometeret portal indices",
            _lazy("analysis.readers.portal", "read_portal_index"),
            _columns("analysis.readers.portal", "INDEX_COLUMNS"),
        ),
        Kind(
            "sb-portal-items",
            "portal_items",
            "Studiebarometeret portal items",
            _lazy("analysis.readers.portal", "read_portal_items"),
            _columns("analysis.readers.portal", "ITEMS_COLUMNS"),
        ),
        Kind(
            "sb-portal-history",
            "portal_history",
            "Studiebarometeret portal time series",
            _lazy("analysis.readers.portal", "read_portal_history"),
            _columns("analysis.readers.portal", "HISTORY_COLUMNS"),
        ),
        Kind(
            "sb-portal-dbh-facts",
            "portal_dbh_facts",
            "Studiebarometeret portal DBH facts",
            _lazy("analysis.readers.portal", "read_portal_dbh_facts"),
            _columns("analysis.readers.portal", "DBH_FACTS_COLUMNS"),
        ),
        Kind(
            "sb-variables",
            "survey_variables",
            "Studiebarometeret variable list",
            _lazy("analysis.readers.portal", "read_survey_variables"),
            _columns("analysis.readers.portal", "VARIABLES_COLUMNS"),
        ),
        Kind(
            "shot-indicators",
            "shot",
            "SHoT indicator table",
            _lazy("analysis.readers.shot", "read_shot"),
            _columns("analysis.readers.shot", "SHOT_COLUMNS"),
        ),
    ]
}
