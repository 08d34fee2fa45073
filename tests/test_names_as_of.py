"""``names_as_of``: a code's name as of a year, from a table that names its codes per year (the
report's institution, faculty and portal programme names)."""

from __future__ import annotations

import pandas as pd

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


def test_only_the_code_name_and_year_columns_are_sorted_whatever_else_the_table_holds(monkeypatch):
    """The rule reads three columns; the gender flags it is asked of have ~50, each copied by
    every step (0.08 s of each of the seven load_report_data of a build)."""
    sorted_widths = []
    sort_values = pd.DataFrame.sort_values

    def spy(self, *args, **kwargs):
        sorted_widths.append(self.shape[1])
        return sort_values(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "sort_values", spy)
    wide = _table(extra_columns=40)
    assert names_as_of(wide, "code", "name", 2022) == names_as_of(_table(), "code", "name", 2022)
    assert sorted_widths and max(sorted_widths) <= 3 + 2  # the three columns and the two sort keys
