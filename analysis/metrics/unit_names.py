"""Names for the units of a derived table, from the data: no list of names is kept in code.

A unit is named, in this order, by the name the source gave on the row itself (DBH's
``kodetekst: "J"`` columns: ``Institusjonsnavn``, ``Avdelingsnavn``, ``Studieprogramnavn``), then
by DBH's name tables: 347 *Studieprogram* (programme name, department, level, NUS code), 457
*Organisasjonsenheter* (department names per year), 210 (faculty names, valid from–to) and 211
*Institusjon* (institution name, short name, valid from–to). A department without a name of
its own on a row is named by the same code in another file or year: the name of the nearest
year (ties: the earlier year), autumn before spring before summer. A faculty without a name in
table 210 is named by its own unit, the department code ``<faculty code>000`` of the same
institution (DBH registers a faculty's administration under that code, e.g. ``460000 Fakultet
for realfag og teknologi``). Codes always stay beside the names; where no name is found the
code stands in for it.
"""

from __future__ import annotations

import pandas as pd

from analysis.org_units import faculty_of, faculty_own_unit

#: Which semester's name is preferred when a year has several.
_SEMESTER_ORDER = {"autumn": 0, "spring": 1, "summer": 2}


def nearest(want: pd.DataFrame, have: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    """For every row of ``want`` (index = row id; ``keys`` and ``year``) the ``values`` of the row
    of ``have`` with the same keys and the nearest year (ties: the earlier year; within a year
    autumn, spring, summer). Rows without a match are left out."""
    empty = pd.DataFrame(columns=values)
    if have is None or have.empty or want.empty:
        return empty
    have = have.dropna(subset=[*keys, "year"])
    order = have["semester"].map(_SEMESTER_ORDER).fillna(len(_SEMESTER_ORDER)) if "semester" in have else 0
    # one candidate per key and year: the preferred semester's
    have = (
        have.assign(_order=order)
        .sort_values("_order", kind="stable")
        .drop_duplicates([*keys, "year"])[[*keys, "year", *values]]
    )
    rows = want[[*keys, "year"]].dropna()
    if rows.empty:
        return empty
    asked = rows.drop_duplicates()
    m = asked.merge(have, on=keys, how="inner", suffixes=("", "_have"))
    if m.empty:
        return empty
    year = m["year"].astype("int64")
    other = m["year_have"].astype("int64")
    m = m.assign(_distance=(other - year).abs(), _later=(other > year).astype(int))
    # the nearest first, then the first row of each key and year (a candidate per year of its
    # keys: no two tie); sorting by the text keys as well gave the same rows, 157 k of them for
    # the national table's departments, at a cost
    m = m.sort_values(["_distance", "_later"], kind="stable").drop_duplicates([*keys, "year"])
    found = rows.reset_index(names="_row").merge(m[[*keys, "year", *values]], on=[*keys, "year"], how="inner")
    return found.set_index("_row")[values]


def _valid_in_year(want: pd.DataFrame, table: pd.DataFrame, key: str, values: list[str]) -> pd.DataFrame:
    """Rows of a table with ``valid_from``/``valid_to`` (year + semester digit; ``11111`` and
    ``99999`` open-ended) valid in autumn of the wanted year; several: the one introduced last;
    none valid: the one valid last."""
    if table is None or table.empty or want.empty:
        return pd.DataFrame(columns=values)
    t = table[[key, "valid_from", "valid_to", *values]].copy()
    t["valid_from"] = pd.to_numeric(t["valid_from"]).fillna(0)
    t["valid_to"] = pd.to_numeric(t["valid_to"]).fillna(99999)
    w = want[[key, "year"]].dropna().assign(_row=want.index[want[[key, "year"]].notna().all(axis=1)])
    m = w.merge(t, on=key, how="inner")
    if m.empty:
        return pd.DataFrame(columns=values)
    autumn = m["year"].astype("int64") * 10 + 3
    m["_valid"] = ((m["valid_from"] <= autumn) & (autumn <= m["valid_to"])).astype(int)
    m = m.sort_values(
        ["_row", "_valid", "valid_to", "valid_from"], ascending=[True, False, False, False], kind="stable"
    ).drop_duplicates("_row")
    return m.set_index("_row")[values]


def _fill(frame: pd.DataFrame, column: str, found: pd.DataFrame, source: str | None = None) -> None:
    """Fill the missing values of ``frame[column]`` from ``found[source or column]``."""
    if found.empty:
        return
    values = found[source or column]
    missing = frame.loc[values.index, column].isna()
    idx = missing.index[missing.to_numpy(dtype=bool)]
    frame.loc[idx, column] = values.loc[idx].to_numpy()


def faculty_names(units: pd.DataFrame, faculties: pd.DataFrame | None) -> pd.Series:
    """The faculty's name valid in the unit's year (autumn semester), from DBH table 210.

    Where several names are valid, the most recently introduced one wins. No name: missing.
    """
    out = pd.Series(pd.NA, index=units.index, dtype="str")
    if faculties is None or len(faculties) == 0:
        return out
    fac = faculties[["institution_code", "faculty_code", "faculty_name", "valid_from", "valid_to"]].copy()
    fac["valid_from"] = pd.to_numeric(fac["valid_from"]).fillna(0)
    fac["valid_to"] = pd.to_numeric(fac["valid_to"]).fillna(99999)
    want = units[["institution_code", "faculty_code", "year"]].copy()
    want["row"] = units.index
    institutions = fac["institution_code"].dropna().unique()
    if len(institutions) == 1:
        # A DBH response for one institution may not name it on every row.
        want["institution_code"] = want["institution_code"].fillna(institutions[0])
    want = want.dropna(subset=["faculty_code"])
    m = want.merge(fac, on=["institution_code", "faculty_code"], how="inner")
    autumn = m["year"].astype("int64") * 10 + 3
    m = m[(m["valid_from"] <= autumn) & (autumn <= m["valid_to"])]
    m = m.sort_values(["row", "valid_from"]).drop_duplicates("row", keep="last")
    out.loc[m["row"].to_numpy()] = m["faculty_name"].to_numpy()
    return out


def _department_names(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The department names some rows give, a department row's own name before a programme
    row's name for its department (whichever frame either comes from): the names a unit is
    given do not depend on which other rows are named with it."""
    own, mentioned = [], []
    for rows in frames:
        department = rows["level"] == "department"
        named = rows.loc[department & rows["unit_name"].notna(), ["institution_code", "unit_code", "year", "unit_name"]]
        own.append(named.rename(columns={"unit_code": "department_code", "unit_name": "department_name"}))
        if "department_name" in rows:
            programme = (rows["level"] == "programme") & rows["department_name"].notna()
            mentioned.append(rows.loc[programme, ["institution_code", "department_code", "year", "department_name"]])
    return pd.concat(own + mentioned, ignore_index=True)


def attach_names(
    units: pd.DataFrame,
    *,
    observations: pd.DataFrame | None = None,
    faculties: pd.DataFrame | None = None,
    programmes: pd.DataFrame | None = None,
    departments: pd.DataFrame | None = None,
    institutions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``units`` (one row per unit × year …) with its names filled in, codes kept.

    Fills ``institution_name``, ``institution_short_name``, ``unit_name``, ``department_code``,
    ``department_name``, ``faculty_code``, ``faculty_name``, ``study_level``, ``nus_code`` and
    ``field_code`` (the 2nd and 3rd digit of the NUS code, see
    :func:`analysis.readers.dbh_programmes.field_of`). ``observations`` are the rows the units
    were made from: the names they give name departments and faculties at every level.
    """
    from analysis.readers.dbh_programmes import field_of

    out = units.copy()
    for column in (
        "institution_name",
        "institution_short_name",
        "unit_name",
        "department_code",
        "department_name",
        "faculty_code",
        "faculty_name",
        "study_level",
        "nus_code",
    ):
        if column not in out:
            out[column] = pd.Series(pd.NA, index=out.index, dtype="str")
        else:
            out[column] = out[column].astype("str")
    level = out["level"]
    programme = level == "programme"
    department = level == "department"

    # programmes: table 347
    if programmes is not None and len(programmes):
        want = out.loc[programme, ["institution_code", "unit_code", "year"]].rename(
            columns={"unit_code": "programme_code"}
        )
        found = nearest(
            want,
            programmes,
            ["institution_code", "programme_code"],
            ["programme_name", "department_code", "department_name", "study_level", "nus_code", "institution_name"],
        )
        _fill(out, "unit_name", found, "programme_name")
        for column in ("department_code", "department_name", "study_level", "nus_code", "institution_name"):
            _fill(out, column, found)
    dept_of_programme = out["department_code"].where(programme)
    out["faculty_code"] = out["faculty_code"].fillna(faculty_of(dept_of_programme))
    out.loc[department, "department_code"] = out.loc[department, "department_code"].fillna(
        out.loc[department, "unit_code"]
    )

    # departments: names given on rows of any file or year, then table 457
    known = [_department_names([out] if observations is None else [out, observations])]
    if departments is not None and len(departments):
        known.append(departments[["institution_code", "department_code", "year", "semester", "department_name"]])
    known = [k for k in known if len(k)]
    known = pd.concat(known, ignore_index=True) if known else None
    if known is not None:
        known = known.drop_duplicates(["institution_code", "department_code", "year", "department_name"])
        want = out.loc[out["department_code"].notna(), ["institution_code", "department_code", "year"]]
        found = nearest(want, known, ["institution_code", "department_code"], ["department_name"])
        _fill(out, "department_name", found)
        rows = department & out["unit_name"].isna()
        out.loc[rows, "unit_name"] = out.loc[rows, "department_name"]

    # faculties: table 210, else the faculty's own unit <code>000
    faculty_rows = out["faculty_code"].notna()
    out["faculty_name"] = out["faculty_name"].fillna(faculty_names(out, faculties))
    if known is not None:
        rows = faculty_rows & out["faculty_name"].isna()
        want = out.loc[rows, ["institution_code", "faculty_code", "year"]].assign(
            department_code=lambda d: faculty_own_unit(d["faculty_code"])
        )[["institution_code", "department_code", "year"]]
        found = nearest(want, known, ["institution_code", "department_code"], ["department_name"])
        _fill(out, "faculty_name", found, "department_name")
    faculty = level == "faculty"
    out.loc[faculty, "unit_name"] = out.loc[faculty, "unit_name"].fillna(out.loc[faculty, "faculty_name"])

    # institutions: table 211 (the short name only there)
    if institutions is not None and len(institutions):
        found = _valid_in_year(out, institutions, "institution_code", ["institution_name", "institution_short_name"])
        _fill(out, "institution_name", found)
        _fill(out, "institution_short_name", found)
    # an institution named on some rows (kodetekst J) names its other rows too
    named = pd.concat(
        [frame[["institution_code", "year", "institution_name"]] for frame in (out, observations) if frame is not None],
        ignore_index=True,
    )
    named = named.dropna(subset=["institution_code", "institution_name"])
    if len(named):
        found = nearest(
            out[["institution_code", "year"]],
            named[["institution_code", "year", "institution_name"]],
            ["institution_code"],
            ["institution_name"],
        )
        _fill(out, "institution_name", found)
    inst = level == "institution"
    out.loc[inst, "unit_name"] = out.loc[inst, "unit_name"].fillna(out.loc[inst, "institution_name"])

    out["field_code"] = field_of(out["nus_code"]).where(programme)
    out["unit_name"] = out["unit_name"].fillna(out["unit_code"])
    return out


def names_as_of(
    rows: pd.DataFrame, key: str, name: str, year: int | None = None, year_column: str = "year"
) -> dict[str, str]:
    """Code -> name from a table that names its codes per year: the name of the latest year not
    after ``year``, else of the earliest year after it, else a name of no year (``year`` None:
    the latest year). A unit renamed after the report year keeps the name the report year knew
    it by; a name of no year (DBH's rows of a download not grouped by year: the name as of the
    download, whenever that was) is the last resort, as near to the year as nothing says."""
    if rows is None or rows.empty or name not in rows.columns:
        return {}
    # the three columns the rule reads, not every column of the table copied by each step below
    # (the gender flags' ~40: 0.08 s of every load_report_data)
    rows = rows[list(dict.fromkeys([key, name, year_column]))].dropna(subset=[key, name])
    years = pd.to_numeric(rows[year_column], errors="coerce")
    if year is None:
        year = int(years.max()) if years.notna().any() else 0
    rows = rows.assign(_undated=years.isna(), _after=years > year, _distance=(years - year).abs())
    rows = rows.sort_values(["_undated", "_after", "_distance"], kind="stable").drop_duplicates(key)
    return dict(zip(rows[key].astype(str), rows[name].astype(str), strict=True))


def portal_programme_names(
    portal_index: pd.DataFrame | None, year: int | None = None, set_aside: pd.DataFrame | None = None
) -> dict[str, str]:
    """A Studiebarometeret portal programme (``sb_id``) -> the programme's name on the portal
    (``programnavn``), as of ``year`` (:func:`names_as_of`). The one rule by which the report,
    its charts and the notebooks name a portal programme; a programme neither names is named by
    its ``sb_id``, by whoever asks (``names.get(sb_id, sb_id)``).

    ``set_aside`` is the derived stage's ``portal_set_aside`` (the portal's rows of the years
    NOKUT's respondent files cover, each with its ``programme_name``): its names stand as the
    index view's of their year, so a programme whose index-view rows were all set aside is named
    as it would be without them, not by its ``sb_id``."""
    cols = ["sb_id", "programme_name", "survey_year"]
    frames = [f[cols] for f in (portal_index, set_aside) if f is not None and set(cols) <= set(f.columns)]
    if not frames:
        return {}
    return names_as_of(pd.concat(frames, ignore_index=True), "sb_id", "programme_name", year, "survey_year")
