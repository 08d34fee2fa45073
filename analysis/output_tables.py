"""kvalitet's own output tables, known by their columns: a table kvalitet wrote and someone
copied back into a raw-data folder is said to be one, not read as raw data.

``kvalitet flags|integration|survey|wellbeing --out FILE`` writes every column of its metric
table: in Parquet by the machine names, in CSV and Excel by their labels in ``--lang`` (the
column ``share_basis`` is "Grunnlag for andel" / "Basis of the share"). Each table is known by a
few columns no source has (:data:`OUTPUT_TABLES`). The labels of those columns live here, below
the readers, and the chart labels take them into their
:data:`~analysis.charts.labels.LABELS` (as :mod:`analysis.words`' nouns): the readers know the
columns without loading the chart layer, and a label changed there changes the mark with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: The labels of the columns that mark an output table, as ``col_<machine name>`` (the key the
#: tables for people label a metric column by, :func:`analysis.report.tables.generic_columns`).
MARKING_LABELS: dict[str, dict[str, str]] = {
    "col_share_basis": {"nb": "Grunnlag for andel", "en": "Basis of the share"},
    "col_students_needed": {"nb": "Antall som trengs", "en": "Number needed"},
    "col_units_ranked": {"nb": "Antall rangert", "en": "Units ranked"},
    "col_gap_to_best": {"nb": "Avstand til beste", "en": "Distance to the best"},
    "col_item": {"nb": "Variabel", "en": "Variable"},
    "col_index_name": {"nb": "Indeks", "en": "Index"},
    "col_ci_low": {"nb": "95 % KI, nedre", "en": "95 % CI, lower"},
    "col_few_respondents": {"nb": "Få svarende", "en": "Few respondents"},
    "col_p_adjusted": {"nb": "p-verdi, BH-justert", "en": "p-value, BH adjusted"},
    "col_significant": {"nb": "Signifikant endring", "en": "Significant change"},
    "col_source_row": {"nb": "Rad i kildefil", "en": "Row in source file"},
    "col_definition_changed": {"nb": "Definisjon endret", "en": "Definition changed"},
}


@dataclass(frozen=True)
class OutputTable:
    """One table kvalitet writes: the command that writes it, what it holds, and the machine
    names of the columns it is known by (every one must be in a header)."""

    command: str
    what: str
    columns: tuple[str, ...]


#: The output tables. NOTE: the marking columns are ones no source has (measured against every
#: file in data/raw: none is taken for an output), and each table has at least two, so a raw
#: table with one such column by chance is still read as what it is. A share's column is never
#: among them: the CSV writes its header with " (%)" after the label.
OUTPUT_TABLES: tuple[OutputTable, ...] = (
    OutputTable("flags", "table of gender flags", ("share_basis", "students_needed")),
    OutputTable("integration", "table of integration scores", ("units_ranked", "gap_to_best")),
    OutputTable("survey", "table of results per item", ("item", "ci_low", "few_respondents")),
    OutputTable("survey", "table of results per index", ("index_name", "ci_low", "few_respondents")),
    OutputTable("survey", "table of changes from the year before", ("p_adjusted", "significant")),
    OutputTable("wellbeing", "table of SHoT indicators by wave", ("source_row", "definition_changed")),
)

_PERCENT = re.compile(r"\s*\(%\)$")


def _normal(header: object) -> str:
    """A header as compared: without spaces around it, a byte-order mark, or the CSV's " (%)",
    and in any case."""
    return _PERCENT.sub("", str(header).replace("\ufeff", "").strip()).casefold()


def _names(column: str) -> set[str]:
    """The headers a column is written under: its machine name and its label in each language."""
    return {_normal(column), *(_normal(text) for text in MARKING_LABELS[f"col_{column}"].values())}


def output_table(header: Iterable[object]) -> tuple[OutputTable, list[str]] | None:
    """The output table whose marking columns ``header`` has (by machine name or label in either
    language), and those columns as the header writes them; None for any other header."""
    given = [str(h) for h in header]
    normal = [_normal(h) for h in given]
    for table in OUTPUT_TABLES:
        found = []
        for column in table.columns:
            names = _names(column)
            at = next((i for i, h in enumerate(normal) if h in names), None)
            if at is None:
                break
            found.append(given[at].replace("\ufeff", "").strip())
        else:
            return table, found
    return None
