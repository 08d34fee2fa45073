"""The DBH tables the quality report needs, as exact queries (``kvalitet fetch --institution``).

Every query asks for one set of institutions (``item`` of their codes, or ``all``) and, where the
table has years, ``Årstall`` ``between`` the first and the last year. Every aggregated query is
grouped at least as finely as the report uses it, with the name columns (``kodetekst: "J"``):

============  ==========================================================================
table         grouping (every groupBy variable without a filter gets ``all``)
============  ==========================================================================
123 by dept.  Institusjonskode × Avdelingskode × Årstall × Semester × Studentkategori: HK-dir's
              own grouping of its national export. Semester and student category stay apart,
              so a measure never silently adds them up.
123 by prog.  the same × Studieprogramkode (registered students per study programme)
110, 112, 132 Institusjonskode × Avdelingskode × Studieprogramkode × Årstall × Semester (new
              students, admitted, applications; HK-dir's recommended grouping, 110 alike)
379           three queries, long by Kjønn, each per Institusjonskode × Avdelingskode ×
              Studieprogramkode × Årstall × Semester × Kjønn: (a) every applicant (søknads-
              alternativer, tilbud om opptak, akseptert tilbud, møtt til studiestart); (b) also
              × Prioritet, filtered to 1 (first-choice applicants); (c) also × Kvalifisert,
              filtered to 1 (qualified applicants).
347, 210,     row tables, every column (``variabler: ["*"]``): programme catalogue (names,
457, 211      Nivåkode, NUS-kode, owning department), department -> faculty, department names
              per year, institution names. 211 is asked for every institution: it is small, and
              a national comparison needs the other institutions' names too.
============  ==========================================================================

NOTE: 379 comes as three coarser queries rather than one grouped by Kjønn × Prioritet ×
Kvalifisert because DBH masks small cells in open data (1–2 shown as 0): the finer the grouping,
the more of a programme disappears into masked cells. Each measure is therefore asked at the
coarsest grouping that still gives it (as NMBU-sammenligning found, scripts/
fill-local-admissions.py).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from analysis.fetch.dbh import Query, query_body, selection

TABLE_NAMES = {
    110: "Nye studenter",
    112: "Opptak",
    123: "Registrerte studenter",
    132: "Søknader",
    210: "Avdeling",
    211: "Institusjon",
    347: "Studieprogram",
    379: "Søkertall og møtte",
    457: "Organisasjonsenheter",
}
ALL = "all"
INST, DEPT, PROG, YEAR = "Institusjonskode", "Avdelingskode", "Studieprogramkode", "Årstall"
SEMESTER, CATEGORY, GENDER = "Semester", "Studentkategori", "Kjønn"
SHORT = {
    INST: "inst",
    DEPT: "avd",
    PROG: "prog",
    YEAR: "aar",
    SEMESTER: "sem",
    CATEGORY: "kat",
    GENDER: "kjonn",
    "Kvalifisert": "kval",
    "Prioritet": "prio",
    "Opptakstype": "opptak",
}
MAX_NAME = 150


def report_queries(institutions: list[str], first_year: int, last_year: int) -> list[Query]:
    """The report's set for ``institutions`` (codes, or ``["all"]``) and the years given."""
    by_dept = [INST, DEPT, YEAR, SEMESTER, CATEGORY]
    by_prog = [INST, DEPT, PROG, YEAR, SEMESTER]
    applicants = by_prog + [GENDER]
    years = (first_year, last_year)

    def grouped(table, group_by, extra=None):
        return table_query(table, institutions, years, group_by=group_by, filters=extra)

    def rows(table, sort_by, with_years=True, everyone=False):
        return table_query(
            table, [ALL] if everyone else institutions, years if with_years else None, variables=["*"], sort_by=sort_by
        )

    return [
        grouped(123, by_dept),
        grouped(123, [INST, DEPT, PROG, YEAR, SEMESTER, CATEGORY]),
        grouped(110, by_prog),
        grouped(112, by_prog),
        grouped(132, by_prog),
        grouped(379, applicants),
        grouped(379, applicants + ["Prioritet"], {"Prioritet": selection("item", ["1"])}),
        grouped(379, applicants + ["Kvalifisert"], {"Kvalifisert": selection("item", ["1"])}),
        rows(347, [INST, PROG, YEAR, SEMESTER]),
        rows(210, [INST, DEPT], with_years=False),
        rows(457, [INST, DEPT, YEAR, SEMESTER]),
        rows(211, [INST], with_years=False, everyone=True),
    ]


def table_query(
    table: int,
    institutions: list[str] | None,
    years: tuple[int, int] | None,
    *,
    group_by=(),
    variables=(),
    filters=None,
    sort_by=None,
    csv=False,
) -> Query:
    """One query with the institution and year filters first, and a file name that says the
    table, the institutions, the grouping, any other filter and the years."""
    chosen = {}
    if institutions:
        chosen[INST] = selection("all", ["*"]) if institutions == [ALL] else selection("item", institutions)
    if years:
        chosen[YEAR] = selection("between", [str(years[0]), str(years[1])])
    chosen.update(filters or {})
    body = query_body(table, group_by=group_by, variables=variables, filters=chosen, sort_by=sort_by, csv=csv)
    return Query(table, body, file_name(body, csv), describe(body), csv)


def file_name(body: dict, csv: bool = False) -> str:
    """``dbh_t123_1150_inst-avd-aar-sem-kat_2016-2025.json``: table, institutions, grouping
    (``rader`` for every column of a row table), other filters, years."""
    filters = {f["variabel"]: f["selection"] for f in body["filter"]}
    inst = filters.get(INST)
    parts = [
        f"dbh_t{body['tabell_id']}",
        "alle" if inst is None or inst["filter"] == "all" else "+".join(inst["values"]),
    ]
    columns = body.get("groupBy") or body.get("variabler")
    parts.append("rader" if columns == ["*"] else "-".join(_short(v) for v in columns))
    for var, sel in filters.items():
        if var in (INST, YEAR) or sel == selection("all", ["*"]):
            continue
        kind = "" if sel["filter"] in ("item", "all") else sel["filter"]
        parts.append(_short(var) + kind + "+".join(sel["values"]) + "".join(f"-ikke{v}" for v in sel["exclude"] if v))
    year = filters.get(YEAR)
    if year and year != selection("all", ["*"]):
        parts.append(
            "-".join(year["values"]) if year["filter"] == "between" else year["filter"] + "+".join(year["values"])
        )
    name = re.sub(r"[^A-Za-z0-9+_.-]", "", "_".join(parts))
    if len(name) > MAX_NAME:  # a long custom query: keep it readable and unique
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:10]
        name = name[: MAX_NAME - 11] + "_" + digest
    return name + (".csv" if csv else ".json")


def describe(body: dict) -> str:
    table = body["tabell_id"]
    title = f"{table} {TABLE_NAMES[table]}" if table in TABLE_NAMES else str(table)
    filters = [
        f"{f['variabel']} {f['selection']['filter']} {','.join(f['selection']['values'])}"
        for f in body["filter"]
        if f["selection"] != selection("all", ["*"])
    ]
    shape = ("by " + " × ".join(body["groupBy"])) if "groupBy" in body else "columns " + ", ".join(body["variabler"])
    return f"table {title}, {shape}" + (f" ({'; '.join(filters)})" if filters else "")


def _short(variable: str) -> str:
    if variable in SHORT:
        return SHORT[variable]
    ascii_name = unicodedata.normalize(
        "NFKD",
        variable.replace("å", "aa")
        .replace("Å", "Aa")
        .replace("ø", "o")
        .replace("Ø", "O")
        .replace("æ", "ae")
        .replace("Æ", "Ae"),
    )
    return re.sub(r"[^a-z0-9]", "", ascii_name.lower())[:16] or "var"
