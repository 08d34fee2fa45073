"""Which DBH table a file is: from its status object, the query that produced it, or its header.

Kept apart from the readers (``analysis.readers.dbh``), and free of pandas, because a file's kind is
told before any reader is loaded: ``kvalitet survey`` on a respondent CSV asks whether it is a DBH
table first, and loaded pandas and pandera to be told no (0.29 s of a 300 k-row file's command).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from analysis import paths
from analysis.errors import InputError, Problem, file_problem
from analysis.parsing import normalise_header
from analysis.readers.raw_manifest import raw_manifest_entries

#: Tables with counts of women and men in the ``Antall totalt/kvinner/menn`` layout, and the
#: measure each one counts.
COUNT_TABLES = {110: "new_students", 112: "admissions", 123: "registered", 132: "applications"}
#: Every DBH table the product reads, and the dataset each feeds.
TABLE_DATASETS = {
    110: "gender",
    112: "gender",
    123: "gender",
    132: "gender",
    379: "gender",
    210: "faculties",
    347: "programmes",
    457: "departments",
    211: "institutions",
}

#: The count columns of the tables with counts (123, and the count tables laid out like it; 379),
#: tried before :data:`SIGNATURES`: a header with one of DBH's keys (:data:`DBH_KEYS`) and any one
#: of them is that table, whatever else it lacks, and its reader names the column missing. With
#: a signature of all its columns, the national 123 export with its "Antall totalt" (or its
#: "Årstall") column deleted matched table 457's (211's) by its name columns and was read as
#: names: exit 0, its counts unused (a bad-input hunt, 2026-12-03).
COUNT_SIGNATURES: list[tuple[int, set[str]]] = [
    (123, {"antall totalt", "antall kvinner", "antall menn"}),
    (379, {"søknadsalternativer", "tilbud om opptak", "akseptert tilbud", "møtt til studiestart"}),
]
#: DBH's keys, normalised: a count table has one beside its counts.
DBH_KEYS = frozenset({"årstall", "institusjonskode", "avdelingskode", "studieprogramkode"})

#: Header signatures (normalised names that must all be present), in the order they are tried.
SIGNATURES: list[tuple[int, set[str]]] = [
    (210, {"fakultetskode", "fakultetsnavn"}),
    (347, {"studieprogramkode"}),
    (457, {"avdelingskode", "avdelingsnavn", "årstall"}),
    (211, {"institusjonskode", "institusjonsnavn"}),
]

#: The keys that make a JSON object a DBH-API query body.
QUERY_KEYS = {"tabell_id", "api_versjon"}


def is_query(payload: object) -> bool:
    return isinstance(payload, dict) and set(payload) >= QUERY_KEYS and "status" not in payload


# --- The query of a raw file ---------------------------------------------------------------


@lru_cache(maxsize=32)
def _manifest_queries(manifest: Path, mtime_ns: int) -> dict[str, dict]:
    files = raw_manifest_entries(manifest)
    return {
        str(e["file"]): e["query"] for e in files if isinstance(e, dict) and "file" in e and is_query(e.get("query"))
    }


def query_for(path: Path) -> dict | None:
    """The query that produced the raw file ``path``, from the provenance manifest of the raw
    folder it is in (``query`` of its entry); None when no manifest names one."""
    path = Path(path).resolve()
    folder = paths.raw_folder_of(path)
    if folder is None:
        return None
    manifest = folder / paths.RAW_MANIFEST_NAME
    queries = _manifest_queries(manifest, manifest.stat().st_mtime_ns)
    return queries.get(path.relative_to(folder).as_posix())


def table_from_query(query: dict | None) -> int | None:
    try:
        return int((query or {})["tabell_id"])
    except (KeyError, TypeError, ValueError):
        return None


#: How a file's name says which count table it is (:func:`count_table_of_name`): its number
#: as a word of its own (``dbh_t110_…``, ``123_1150.json``, ``tabell 132``) or the table's name
#: (``Nye studenter.csv``; ``Registrerte studenter 2025.csv``).
_COUNT_TABLE_NAMES = (
    (re.compile(r"(?<![0-9])(110|112|123|132)(?![0-9])"), None),
    (re.compile(r"nye[ _-]?studenter"), 110),
    (re.compile(r"(?<![a-zæøå])opptak(?![a-zæøå])"), 112),
    (re.compile(r"registrerte"), 123),
    (re.compile(r"s(?:ø|o|oe)knader"), 132),
)


#: The column of table 123 that 110, 112 and 132 have not (DBH's table catalogue, bulk table 001:
#: 123 alone among them is grouped by ``Studentkategori``; the national export of 123 has it, as
#: HK-dir's recommended grouping does), normalised: a count table with it is 123.
ONLY_123 = "studentkategori"


def count_table_of_name(path: Path | str | None) -> set[int]:
    """The count tables (:data:`COUNT_TABLES`) the name of the file ``path`` names: 110, 112,
    123 and 132 have the same columns, so a CSV export without its query is told by its name."""
    if path is None:
        return set()
    name = Path(path).name.lower()
    found: set[int] = set()
    for pattern, tid in _COUNT_TABLE_NAMES:
        found |= {int(m) for m in pattern.findall(name)} if tid is None else ({tid} if pattern.search(name) else set())
    return found


def table_id(status: dict | None, columns, query: dict | None = None, path: Path | str | None = None) -> int | None:
    """The DBH table a response is: its status object says so; else its query; else its columns
    (the count tables 110/112/123/132 share one layout: 123 with :data:`ONLY_123`, else the one
    the file's name names, :func:`count_table_of_name`; 123 where it names none or several, which
    :func:`count_table_unknown` says cannot be told)."""
    if status and "tabell_id" in status:
        try:
            return int(status["tabell_id"])
        except (TypeError, ValueError):
            return None
    from_query = table_from_query(query)
    if from_query is not None:
        return from_query
    # matched like every header: ignoring case, spacing and hyphenation
    cols = {normalise_header(c) for c in columns}
    if cols & DBH_KEYS:
        for tid, counts in COUNT_SIGNATURES:
            if counts & cols:
                if tid != 123 or ONLY_123 in cols:
                    return tid
                named = count_table_of_name(path)
                return named.pop() if len(named) == 1 else tid
    for tid, signature in SIGNATURES:
        if signature <= cols:
            return tid
    return None


def kind_of(tid: int, fmt: str) -> str:
    return f"dbh-{tid}-{fmt}"


def not_read(path: Path, tid: object) -> InputError:
    return file_problem(
        path,
        tid,
        "a DBH-API response for a table the product does not read",
        "download one of the tables " + ", ".join(map(str, sorted(TABLE_DATASETS))),
    )


def csv_kind(path: Path | None, headers: list[str]) -> str | None:
    """The kind of a DBH CSV export from its query or its header (from the header alone when
    ``path`` is None), or None when it is not one."""
    tid = table_id(None, headers, query_for(path) if path is not None else None, path)
    return kind_of(tid, "csv") if tid in TABLE_DATASETS else None


def json_kind(path: Path, payload: object) -> str | None:
    """The kind of a DBH-API JSON response, None when it is not one; an :class:`InputError` for
    a response of a table the product does not read."""
    first = payload[0] if isinstance(payload, list) and payload else payload
    if isinstance(first, dict) and isinstance(first.get("status"), dict):
        tid = first["status"].get("tabell_id")
        try:
            tid = int(tid)
        except (TypeError, ValueError):
            raise not_read(path, tid) from None
        if tid not in TABLE_DATASETS:
            raise not_read(path, tid)
        return kind_of(tid, "json")
    rows = payload if isinstance(payload, list) else []
    keys = set(rows[0]) if rows and isinstance(rows[0], dict) else set()
    tid = table_id(None, keys, query_for(path), path) if keys else None
    return kind_of(tid, "json") if tid in TABLE_DATASETS else None


#: The start of :func:`count_table_unknown`'s message (how :func:`analysis.readers.read_path`
#: knows it: refused, or dropped where --kind said the table).
COUNT_TABLE_UNKNOWN = "which of DBH's count tables this is cannot be told"


def count_table_unknown(
    path: Path, status: dict | None, query: dict | None, tid: int | None, columns=()
) -> Problem | None:
    """Where a file of the count tables' layout is read as 123 only because nothing says which it
    is (no status object, no query, no :data:`ONLY_123` column, a name that names none of them or
    several; or a name of another beside that column): 110, 112 and 132 have the same columns,
    and new students, admissions or applications read as registered students would be another
    measure without a word (a bad-input hunt, 2026-12-05: a CSV of table 110 was read as 123, and
    ``--kind dbh-110-csv`` refused as not fitting). Attached to the result by its reader, which
    cannot tell whether --kind said the table; :func:`analysis.readers.read_path` refuses the
    file with it where --kind did not (a second reading, 2026-12-05: read as 123 with a warning,
    the report would have published new students as registered ones, exit 0)."""
    if tid != 123 or (status and "tabell_id" in status) or table_from_query(query) is not None:
        return None
    named = count_table_of_name(path)
    fmt = "json" if path.suffix.lower() == ".json" else "csv"
    if ONLY_123 in {normalise_header(c) for c in columns}:
        others = sorted(named - {123})
        if not others:
            return None
        said = (
            f"its name names table {' and '.join(map(str, others))}, but it has the column Studentkategori, "
            "which of them only 123 (registered students) has"
        )
        hint = f"name the file for its table (…_t123_…), or give --kind dbh-123-{fmt}"
    else:
        if named == {123}:
            return None
        which = f"its name names tables {' and '.join(map(str, sorted(named)))}" if named else "its name names none"
        said = (
            "110 (new students), 112 (admissions), 123 (registered students) and 132 (applications) have the "
            f"same columns, and nothing in the file says which it is ({which}); not read, as one would be "
            "counted as another"
        )
        hint = (
            f"give --kind dbh-123-{fmt} (or dbh-110-{fmt}, dbh-112-{fmt}, dbh-132-{fmt}), or put the table's "
            "number in the file's name (…_t123_…); a download by kvalitet fetch says it itself"
        )
    return Problem(str(path), None, None, path.name, f"{COUNT_TABLE_UNKNOWN}: {said}", hint)
