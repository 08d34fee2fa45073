"""A unit flagged from an interval of women (suppressed departments inside a faculty) needs a
number of students in a range: the fewest at the interval's highest count of the
under-represented gender, the most at its lowest. Expected values by hand from the policy:
the smallest k with (u + k) / (total + k) ≥ 40 %, the other gender unchanged."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from analysis.metrics.students_needed import students_needed_range

THRESHOLD = Fraction(2, 5)


def rows(*specs: tuple[int, int | None, int | None, str | None]) -> pd.DataFrame:
    """(total, women_low, women_high, under-represented gender) per row."""
    return pd.DataFrame(
        {
            "total": pd.array([s[0] for s in specs], dtype="Int64"),
            "women_low": pd.array([s[1] for s in specs], dtype="Int64"),
            "women_high": pd.array([s[2] for s in specs], dtype="Int64"),
            "underrepresented": pd.array([s[3] for s in specs], dtype="string"),
        }
    )


def test_the_range_of_students_needed_runs_over_the_interval():
    frame = rows(
        # women 10–12 of 50: 12 + 14 = 26 of 64 is 40,6 % (13 more: 25 of 63, 39,7 %);
        # 10 + 17 = 27 of 67 is 40,3 % (16 more: 26 of 66, 39,4 %)
        (50, 10, 12, "women"),
        # women 70–75 of 100, so men 25–30: 30 + 17 = 47 of 117 is 40,2 % (16: 46 of 116, 39,7 %);
        # 25 + 25 = 50 of 125 is 40 % exactly, which is not below (24: 49 of 124, 39,5 %)
        (100, 70, 75, "men"),
        # exact counts: 20 of 50 is 40 %, none needed; one number, fewest = most
        (50, 20, 20, "women"),
        # a share given as a percentage (no counts), an empty unit, no under-represented gender
        (34, None, None, "women"),
        (0, 0, 0, None),
        (40, 20, 20, "none"),
    )
    fewest, most = students_needed_range(frame, THRESHOLD)
    assert fewest.tolist()[:3] == [14, 17, 0] and most.tolist()[:3] == [17, 25, 0]
    assert fewest.iloc[3:].isna().all() and most.iloc[3:].isna().all()


def test_a_dash_for_a_unit_flagged_whose_gender_is_unknown_is_explained():
    """A faculty of 3 students, all in a suppressed department: every split of 3 leaves at most
    1 of the smaller gender (33 % < 40 %), so it is flagged, but 0–3 of them may be women and the
    under-represented gender is not known: "–" under "antall som trengs". The note that explains
    "–" must say so, not only "the source gives only a percentage" (a second reader, 2026-12-03:
    the interval clause was taken out when intervals got a range)."""
    from analysis.charts.labels import label
    from analysis.report.gender_section import needed_cells

    frame = rows((3, 0, 3, None)).assign(students_needed=pd.array([None], dtype="Int64"))
    assert needed_cells(frame, THRESHOLD).tolist() == ["–"]
    assert "skjermet" in label("followup_needed_unknown", "nb")
    assert "suppressed" in label("followup_needed_unknown", "en")


def test_the_notes_on_the_number_needed_say_what_the_workbook_shows():
    """The notes go to the workbook's notes sheet too, whose follow-up sheet has no "–" and no
    "12–15": empty cells, and two number columns (fewest, most). The notes say so, naming the
    two columns by the words of their headers."""
    from analysis.charts.labels import label

    for lang in ("nb", "en"):
        _say_what_the_workbook_shows(label, lang)


def _say_what_the_workbook_shows(label, lang: str) -> None:
    unknown, interval = label("followup_needed_unknown", lang), label("followup_needed_range", lang)
    assert ("tomme" if lang == "nb" else "empty") in unknown
    for column in ("col_students_needed_fewest", "col_students_needed_most"):
        word = label(column, lang).rsplit("(", 1)[1].rstrip(")")  # "minst" of "Antall som trengs (minst)"
        assert word in interval, (word, interval)
