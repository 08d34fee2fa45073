"""kvalitet's own output tables, known by their columns: a table kvalitet wrote and someone
copied back into a raw-data folder is said to be one, not read as raw data. (Whether ``--out
FILE`` may be written over is not decided by columns but by :mod:`analysis.written`.)

``kvalitet flags|integration|survey|wellbeing --out FILE`` writes every column of its metric
table: in Parquet by the machine names, in CSV and Excel by their labels in ``--lang`` (the
column ``share_basis`` is "Grunnlag for andel" / "Basis of the share"). ``kvalitet report``
writes its follow-up list as the first sheet of ``kvalitetsmelding.xlsx`` and as
``tables/followup.csv``, and ``kvalitet ingest`` each dataset as ``data/validated/NAME.parquet``
(machine names only). Each table is known by a few columns no source has
(:data:`OUTPUT_TABLES`). The labels of those columns live here, below the readers, and the
chart labels take them into their
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
    "col_ci_low": {"nb": "{level} % KI, nedre", "en": "{level} % CI, lower"},
    "col_few_respondents": {"nb": "Få svarende", "en": "Few respondents"},
    "col_p_adjusted": {"nb": "p-verdi, BH-justert", "en": "p-value, BH adjusted"},
    "col_significant": {"nb": "Signifikant endring", "en": "Significant change"},
    "col_source_row": {"nb": "Rad i kildefil", "en": "Row in source file"},
    "col_definition_changed": {"nb": "Definisjon endret", "en": "Definition changed"},
    "col_students_needed_fewest": {"nb": "Antall som trengs (minst)", "en": "Number needed (fewest)"},
    "col_students_needed_most": {"nb": "Antall som trengs (høyst)", "en": "Number needed (most)"},
}


@dataclass(frozen=True)
class OutputTable:
    """One table kvalitet writes: what it holds, the command that writes it (``kvalitet flags
    --out``), and the machine names of the columns it is known by (every one must be in a
    header; by its label too where :data:`MARKING_LABELS` has one)."""

    what: str
    writer: str
    columns: tuple[str, ...]


#: The output tables. NOTE: the marking columns are ones no source has (measured against every
#: file in data/raw: none is taken for an output), and each table has at least two, so a raw
#: table with one such column by chance is still read as what it is. A share's column is never
#: among them: the CSV writes its header with " (%)" after the label.
OUTPUT_TABLES: tuple[OutputTable, ...] = (
    OutputTable("table of gender flags", "kvalitet flags --out", ("share_basis", "students_needed")),
    OutputTable("table of integration scores", "kvalitet integration --out", ("units_ranked", "gap_to_best")),
    OutputTable("table of results per item", "kvalitet survey --out", ("item", "ci_low", "few_respondents")),
    OutputTable("table of results per index", "kvalitet survey --out", ("index_name", "ci_low", "few_respondents")),
    OutputTable("table of changes from the year before", "kvalitet survey --out", ("p_adjusted", "significant")),
    OutputTable("table of SHoT indicators by wave", "kvalitet wellbeing --out", ("source_row", "definition_changed")),
    # the workbook's first sheet: the workbook is named by it before its other sheets (its
    # integration sheet is the table integration --out writes)
    OutputTable(
        "report's follow-up list (kvalitetsmelding.xlsx, first sheet; tables/followup.csv)",
        "kvalitet report",
        ("students_needed_fewest", "students_needed_most"),
    ),
    # NOTE: ingest writes no mark of its own in a Parquet file (pandas' metadata only, which any
    # pandas-written file has); every validated dataset keeps each row's source file and row,
    # which no source has. Last: an output table above that carries them is named as itself.
    OutputTable("validated table (data/validated)", "kvalitet ingest", ("source_file", "source_row")),
)

_PERCENT = re.compile(r"\s*\(%\)$")


def normal_header(header: object) -> str:
    """A header as compared: without spaces around it, a byte-order mark, or the CSV's " (%)",
    in any case, and a line break in it (a header wrapped in Excel with Alt+Enter, or Word's
    Shift+Enter pasted) one space, as every reader compares headers
    (:func:`analysis.parsing.normalise_header`, whose spaces the names here keep)."""
    return _PERCENT.sub("", re.sub(r"\s+", " ", str(header).replace("\ufeff", "")).strip()).casefold()


def _names(column: str) -> re.Pattern[str]:
    """The headers a column is written under: its machine name and its label in each language
    (source_file has none here: ingest writes it in Parquet only), a label's ``{level}`` any
    confidence level (the settings' ``confidence_level`` the table was written with)."""
    names = [normal_header(column), *(normal_header(text) for text in MARKING_LABELS.get(f"col_{column}", {}).values())]
    return re.compile("|".join(re.escape(n).replace(r"\{level\}", r"\d+(?:[.,]\d+)?") for n in names))


def output_table(header: Iterable[object]) -> tuple[OutputTable, list[str]] | None:
    """The output table whose marking columns ``header`` has (by machine name or label in either
    language), and those columns as the header writes them; None for any other header."""
    given = [str(h) for h in header]
    normal = [normal_header(h) for h in given]
    for table in OUTPUT_TABLES:
        found = []
        for column in table.columns:
            names = _names(column)
            at = next((i for i, h in enumerate(normal) if names.fullmatch(h)), None)
            if at is None:
                break
            found.append(given[at].replace("\ufeff", "").strip())
        else:
            return table, found
    return None
