"""``names_as_of``: a code's name as of a year, from a table that names its codes per year (the
report's institution, faculty and portal programme names)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.metrics.unit_names import names_as_of


def _table(extra_columns: int = 0) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "code": ["1", "1", "1", "2", "2", None, "3"],
            "name": ["A 2019", "A 2021", "A 2023", "B 2022", None, "nobody", "C 2025"],
            "year": [2019, 2021, 2023, 2022, 2020, 2021, 2025],
        }
    )
    for i in range(extra_columns):
        rows[f"other_{i}"] = pd.Series([f"x{i}"] * len(rows), dtype="string")
    return rows


def test_a_code_is_named_as_the_latest_year_not_after_the_year_knew_it_else_as_the_earliest_after():
    assert names_as_of(_table(), "code", "name", 2022) == {"1": "A 2021", "2": "B 2022", "3": "C 2025"}
    assert names_as_of(_table(), "code", "name", 2018) == {"1": "A 2019", "2": "B 2022", "3": "C 2025"}
    assert names_as_of(_table(), "code", "name") == {"1": "A 2023", "2": "B 2022", "3": "C 2025"}


def test_a_name_of_no_year_is_the_last_resort_after_a_name_from_after_the_year():
    """DBH's names as two downloads give them, concatenated: one grouped by ``Årstall``
    (``kodetekst: "J"``, every value a string), one not, whose rows have no year (the name as
    of the download). OsloMet (1175) was Høgskolen i Oslo og Akershus until 2017; a report of
    2015 whose table starts in 2016 is named by the name of 2016, the nearest year known, not
    by today's name, which may be from any year (it was named "OsloMet – storbyuniversitetet",
    a name from after 2017). A code with no dated row keeps the name of no year."""
    by_year = pd.DataFrame(
        {
            "Institusjonskode": ["1175", "1175", "1175", "1150"],
            "Institusjonsnavn": [
                "Høgskolen i Oslo og Akershus",
                "Høgskolen i Oslo og Akershus",
                "OsloMet – storbyuniversitetet",
                "Norges teknisk-naturvitenskapelige universitet",
            ],
            "Årstall": ["2016", "2017", "2018", "2016"],
        }
    )
    undated = pd.DataFrame(
        {
            "Institusjonskode": ["1175", "1150", "1120"],
            "Institusjonsnavn": [
                "OsloMet – storbyuniversitetet",
                "Norges teknisk-naturvitenskapelige universitet",
                "Universitetet i Bergen",
            ],
        }
    )
    for table in (pd.concat([by_year, undated], ignore_index=True), pd.concat([undated, by_year], ignore_index=True)):
        names = names_as_of(table, "Institusjonskode", "Institusjonsnavn", 2015, "Årstall")
        assert names == {
            "1175": "Høgskolen i Oslo og Akershus",
            "1150": "Norges teknisk-naturvitenskapelige universitet",
            "1120": "Universitetet i Bergen",
        }
        assert names_as_of(table, "Institusjonskode", "Institusjonsnavn", 2017, "Årstall")["1175"] == (
            "Høgskolen i Oslo og Akershus"
        )
        assert names_as_of(table, "Institusjonskode", "Institusjonsnavn", None, "Årstall")["1175"] == (
            "OsloMet – storbyuniversitetet"
        )


_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["1", "2", "3", None]),
        st.sampled_from(["A", "B", "C", None]),
        st.one_of(st.integers(min_value=2016, max_value=2024), st.none()),
    ),
    max_size=25,
)


def _named_as_of(rows: list[tuple], year: int | None) -> dict[str, str]:
    """The rule as :func:`names_as_of` states it, row by row: of a code's rows with a name, the
    one of the latest year not after ``year``, else of the earliest year after it, else one of
    no year (``year`` None: the latest year of any such row); of two such rows of one year (or
    of none), the first in the table."""
    named = [(code, name, y) for code, name, y in rows if code is not None and name is not None]
    if year is None:
        year = max((y for _code, _name, y in named if y is not None), default=0)
    best: dict[str, tuple[tuple[bool, bool, int], str]] = {}
    for code, name, y in named:
        rank = (y is None, y is not None and y > year, 0 if y is None else abs(y - year))
        if code not in best or rank < best[code][0]:
            best[code] = (rank, name)
    return {code: name for code, (_rank, name) in best.items()}


@settings(deadline=None)  # pandas frames per example: ms, more on a busy machine
@given(
    rows=_ROWS,
    year=st.one_of(st.none(), st.integers(min_value=2014, max_value=2026)),
    others=st.lists(st.sampled_from(["_after", "_distance", "other", "flag"]), unique=True),
    labels=st.lists(st.integers(min_value=0, max_value=3), min_size=25, max_size=25),
)
def test_a_code_s_name_is_its_row_s_by_the_rule_whatever_else_the_table_holds(rows, year, others, labels):
    """The name of each code, by the rule row by row, from tables with other columns (the gender
    flags have ~50; some named as the rule's own working columns), repeated index labels, rows
    with no code or no name, and two names of one code in one year (the first row's)."""
    table = pd.DataFrame(rows, columns=["code", "name", "year"], index=labels[: len(rows)])
    for other in others:
        table.insert(0, other, pd.Series([f"{other} {i}" for i in range(len(table))], index=table.index, dtype="str"))
    assert names_as_of(table, "code", "name", year) == _named_as_of(rows, year)


@settings(deadline=None)  # pandas frames per example: ms, more on a busy machine
@given(
    rows=_ROWS,
    unknown=st.lists(st.booleans(), min_size=25, max_size=25),
    year=st.one_of(st.none(), st.integers(min_value=2014, max_value=2026)),
)
def test_a_code_s_name_does_not_depend_on_the_table_s_other_columns(rows, unknown, year):
    """The same names from the three columns alone as from the table with its other columns,
    rows of no known year among them."""
    table = pd.DataFrame(rows, columns=["code", "name", "year"], dtype=object)
    table["year"] = pd.to_numeric(table["year"]).where(~pd.Series(unknown[: len(rows)], dtype=bool).to_numpy())
    wide = table.assign(**{f"flag_{i}": (table.index % (i + 2)) == 0 for i in range(40)}, _after=1, _distance="x")
    assert names_as_of(wide, "code", "name", year) == names_as_of(table[["code", "name", "year"]], "code", "name", year)
