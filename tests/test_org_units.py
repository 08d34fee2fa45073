"""DBH's organisation codes, by hand from DBH's numbering (NTNU: 271760 Institutt for
havromsoperasjoner og byggteknikk under faculty 271; 271000 the faculty's own unit; 000000
"NTNU (uspesifisert underenhet)")."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.org_units import UNSPECIFIED_FACULTY, faculty_of, faculty_own_unit, is_faculty_own_unit


def test_a_departments_faculty_is_its_first_three_digits():
    codes = pd.Series(["271760", "000000", None], dtype="string")
    assert faculty_of(codes).tolist() == ["271", "000", pd.NA]
    assert faculty_own_unit(pd.Series(["271", "050"], dtype="string")).tolist() == ["271000", "050000"]
    assert UNSPECIFIED_FACULTY == "000"


@pytest.mark.parametrize(
    ("code", "own"),
    [("271000", True), ("050000", True), ("000000", False), ("271760", False), ("2710", False), ("27100A", False)],
)
def test_a_faculty_own_unit_is_a_department_code_ending_in_000(code, own):
    assert is_faculty_own_unit(code) is own
