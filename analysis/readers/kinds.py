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
    from analysis.readers.base import ReadResult


@dataclass(frozen=True)
class Kind:
    name: str
    dataset: str
    description: str
    read: Callable[[Path], ReadResult]


def _lazy(module: str, function: str, **given) -> Callable[[Path], ReadResult]:
    def read(path: Path) -> ReadResult:
        import importlib

        return getattr(importlib.import_module(module), function)(path, **given)

    read.__name__ = function
    return read


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
                # (a CSV's table is known from its query or header; failing both, from --kind)
                _lazy("analysis.readers.dbh", f"read_dbh_{fmt}", **({"table": tid} if fmt == "csv" else {})),
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
        ),
        Kind(
            "samordna-sample",
            "gender",
            "Samordna opptak programme sample",
            _lazy("analysis.readers.samordna", "read_sample"),
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
        ),
        Kind(
            "sb-portal-items",
            "portal_items",
            "Studiebarometeret portal items",
            _lazy("analysis.readers.portal", "read_portal_items"),
        ),
        Kind(
            "sb-portal-history",
            "portal_history",
            "Studiebarometeret portal time series",
            _lazy("analysis.readers.portal", "read_portal_history"),
        ),
        Kind(
            "sb-portal-dbh-facts",
            "portal_dbh_facts",
            "Studiebarometeret portal DBH facts",
            _lazy("analysis.readers.portal", "read_portal_dbh_facts"),
        ),
        Kind(
            "sb-variables",
            "survey_variables",
            "Studiebarometeret variable list",
            _lazy("analysis.readers.portal", "read_survey_variables"),
        ),
        Kind("shot-indicators", "shot", "SHoT indicator table", _lazy("analysis.readers.shot", "read_shot")),
    ]
}
