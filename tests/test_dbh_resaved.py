"""Real DBH files saved again the ways advisers do (a bad-input hunt, 2026-12-04)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.readers import read_path

T210_JSON = "dbh_api/dbh_api_t210_1150.json"


def test_table_210_saved_from_pandas_with_numbers_names_the_lost_zeros_as_the_count_tables_do(tmp_path, real_file):
    """Table 210 read into pandas and saved to Excel: the codes are numbers, 000000 and 000 are 0.
    Said as codes to keep as text, as in table 123, not "check the code in the source system"
    (DBH's code is right; the copy lost its zeros)."""
    rows = json.loads(real_file(T210_JSON).read_text(encoding="utf-8"))[1:]
    frame = pd.DataFrame(rows)
    assert (frame.loc[0, "Avdelingskode"], frame.loc[0, "Fakultetskode"]) == ("000000", "000")
    for column in frame.columns:
        if frame[column].str.fullmatch(r"\d+").all():
            frame[column] = frame[column].astype(int)
    path = tmp_path / "dbh_t210_1150.xlsx"
    frame.to_excel(path, index=False)
    with pytest.raises(InputError) as err:
        read_path(path)
    said = {(p.row, p.column, str(p.value)): (p.message, p.hint) for p in err.value.problems}
    assert said == {
        (2, "Avdelingskode", "0"): (
            "Avdelingskode must be six digits",
            "keep codes as text so leading zeros stay (000000)",
        ),
        (2, "Fakultetskode", "0"): (
            "Fakultetskode must be three digits",
            "keep codes as text so leading zeros stay (000)",
        ),
    }
