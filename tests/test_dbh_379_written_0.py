"""Table 379 has no total of its own: a measure's total is its women and men added, each a cell
DBH writes 0 where it holds 1 or 2. What a row of it says, derived by hand below:

- women written 0 and men written 0: 0 to 2 of each, so 0 to 4 students (not 0 to 2, as a total
  DBH gives, table 123's, holds);
- women written 0 beside 7 men: 0 to 2 women of 7 to 9 students, judged on that interval
  (every share of it, 0/7, 1/8 and 2/9, is below 40 %: flagged); beside 3 men, 0 to 2 of 3 to 5,
  where 2 of 5 is 40 % exactly, not below: not known.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import pandas as pd

from analysis.readers import read_path
from tests.test_dbh_programmes import T379_PRIORITY, obs
from tests.test_disclosure_dbh import dbh_json, flags_of

#: Offers of 2025 by programme (women, men) as the file writes them: 0 is DBH's 0, 1 or 2.
PROGRAMMES = {"NULL": (0, 0), "SJU": (0, 7), "TRE": (0, 3), "FIRE": (4, 0)}
#: Offers of 2025 by department of faculty 170: 45 and 80 shown, both written 0, and 0 beside 7.
DEPARTMENTS = {"170100": (45, 80), "170200": (0, 0), "170300": (0, 7)}


def rows_379(offers: dict[str, tuple[int, int]], unit: str) -> list[dict]:
    """Table 379 long by Kjønn (1 women, 2 men): every applicant row shown, its offers as given."""
    row = {"Institusjonskode": "1150", "Årstall": "2025", "Semester": "3"}
    out = []
    for code, pair in offers.items():
        for gender, n in zip(("1", "2"), pair):
            counts = {
                "Søknadsalternativer": 20,
                "Tilbud om opptak": n,
                "Akseptert tilbud": n,
                "Møtt til studiestart": n,
            }
            out.append({**row, unit: code, "Kjønn": gender, **counts})
    return out


def by_hand(offers: list[tuple[int, int]]) -> str:
    """The status of the sum of ``offers`` (women, men) as written, every 0 one of 0, 1 or 2,
    over every count they may be: flagged where every one is below 40 % (40 % exactly is not),
    ok where none is, else unknown."""
    choices = [
        [(a, b) for a in ((0, 1, 2) if w == 0 else (w,)) for b in ((0, 1, 2) if m == 0 else (m,))] for w, m in offers
    ]
    below = set()
    for pick in product(*choices):
        women, men = sum(p[0] for p in pick), sum(p[1] for p in pick)
        if women + men:
            below.add(Fraction(min(women, men), women + men) < Fraction(2, 5))
    if len(below) != 1 or not any(w + m for w, m in offers):
        return "unknown"
    return "flagged" if below == {True} else "ok"


def test_a_379_measure_of_both_genders_written_0_holds_0_to_4_students(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    dbh_json(folder / "dbh_api_t379_1150_prog.json", rows_379({"NULL": (0, 0)}, "Studieprogramkode"), table=379)
    observed = read_path(folder / "dbh_api_t379_1150_prog.json").frame
    assert (obs(observed, "NULL", "offers")["total"], obs(observed, "NULL", "offers")["total_high"]) == (0, 4)
    row = obs(flags_of(folder, tmp_path), "NULL", "offers")
    assert (row["total"], row["total_high"]) == (0, 4)
    assert row["status"] == "unknown" and pd.isna(row["women"]) and pd.isna(row["women_low"])
    assert row["reason"] == "0–4 students: DBH shows fewer than 3 students as 0 (suppressed)"


def test_a_379_gender_written_0_beside_a_shown_one_is_judged_on_its_interval(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    dbh_json(folder / "dbh_api_t379_1150_prog.json", rows_379(PROGRAMMES, "Studieprogramkode"), table=379)
    observed = read_path(folder / "dbh_api_t379_1150_prog.json").frame
    seven = obs(observed, "SJU", "offers")
    # the masked gender is unknown, never 0; the shown one is DBH's own count
    assert seven["suppressed"] and pd.isna(seven["women"]) and seven["men"] == 7
    assert (seven["total"], seven["total_high"]) == (7, 9)
    flags = flags_of(folder, tmp_path)
    want = {"SJU": "flagged", "TRE": "unknown", "FIRE": "flagged", "NULL": "unknown"}
    assert {code: by_hand([pair]) for code, pair in PROGRAMMES.items()} == want
    for code, status in want.items():
        row = obs(flags, code, "offers")
        assert row["status"] == status, (code, row["status"])
        assert pd.isna(row["women"]) and pd.isna(row["men"]) and pd.isna(row["share_women"])
    seven, three, four = (obs(flags, code, "offers") for code in ("SJU", "TRE", "FIRE"))
    # 0–2 women of 7–9 students; 0–2 of 3–5 (2 of 5: 40 %, not below); 4 women, 0–2 men of 4–6
    assert (seven["women_low"], seven["women_high"], seven["total"], seven["total_high"]) == (0, 2, 7, 9)
    assert seven["underrepresented"] == "women" and seven["suppression"] == "small_cell"
    assert (three["women_low"], three["women_high"], three["total_high"]) == (0, 2, 5)
    assert four["underrepresented"] == "men" and (four["total"], four["total_high"]) == (4, 6)
    assert three["reason"] == (
        "one gender written 0 by the source (DBH shows fewer than 3 students as 0): women between 0 and 2 of 3–5"
        ", and the answer depends on the suppressed counts"
    )


def test_a_faculty_of_379_departments_written_0_is_judged_on_what_each_row_says(tmp_path):
    """Faculty 170: 45 women and 80 men, 0 and 0 (0–4 students), 0 women beside 7 men: women 45
    to 49 of 132 to 138, at most 49 of 136 (36.0 %): flagged. With the row of both written 0 taken
    as 0–2 and the 7 as of either gender, 45 + 7 + 2 of 134 (40.3 %) was not known."""
    folder = tmp_path / "raw"
    folder.mkdir()
    dbh_json(folder / "dbh_api_t379_1150_avd.json", rows_379(DEPARTMENTS, "Avdelingskode"), table=379)
    assert by_hand(list(DEPARTMENTS.values())) == "flagged"
    for level in ("faculty", "institution"):
        flags = flags_of(folder, tmp_path, "--level", level)
        row = flags[(flags["level"] == level) & (flags["measure"] == "offers")].iloc[0]
        assert (row["total"], row["total_high"]) == (132, 138), level
        # the 6 students beyond the total may be of either gender in the interval the flags give
        assert (row["women_low"], row["women_high"], row["suppressed_units"]) == (45, 51, 2), level
        assert row["status"] == "flagged" and row["underrepresented"] == "women", level


def test_the_real_shaped_379_file_s_women_written_0_twice_are_0_to_4_of_23_to_27():
    """The constructed file by Prioritet: B-AKVA met, women 0 and 0 (two cells), men 18 and 5."""
    r = obs(read_path(T379_PRIORITY).frame, "B-AKVA", "met")
    assert r["suppressed"] and pd.isna(r["women"]) and r["men"] == 23
    assert (r["total"], r["total_high"]) == (23, 27)


def test_the_report_lists_a_row_judged_on_its_interval_as_judged_not_as_masked(tmp_path):
    """The report's list of units that cannot be judged for their own masked cell had every row
    with ``suppression``: SJU (0–2 women of 7–9, flagged) is judged, TRE (0–2 of 3–5) is not; the
    reason says the interval in the report's words."""
    from types import SimpleNamespace

    from analysis.report.notebook import suppressed_cells
    from analysis.report.tables import reason_words

    folder = tmp_path / "raw"
    folder.mkdir()
    dbh_json(folder / "dbh_api_t379_1150_prog.json", rows_379(PROGRAMMES, "Studieprogramkode"), table=379)
    flags = flags_of(folder, tmp_path)
    offers = flags[flags["measure"] == "offers"]
    listed = suppressed_cells(SimpleNamespace(flags=offers), "nb")
    assert list(listed["Kode"]) == ["TRE"]  # (NULL, of 0 students, is no masked cell of its own)
    assert reason_words(obs(flags, "TRE", "offers"), "nb") == (
        "ett kjønn er skrevet som 0 i kilden (DBH viser færre enn 3 studenter som 0): kvinner mellom 0 og 2 av 3–5"
        ", og svaret avhenger av de skjermede tallene"
    )
    assert reason_words(obs(flags, "SJU", "offers"), "en") == (
        "one gender written 0 by the source (DBH shows fewer than 3 students as 0): women between 0 and 2 of 7–9"
        "; the status is the same across the whole interval"
    )


def test_a_379_department_less_its_shown_programmes_is_not_a_programme_of_both_genders_written_0(tmp_path):
    """Offers of 2025: department 170100 20 women and 41 men (by Avdelingskode); its programmes
    MTA 18 and 40, MTB written 0 and 0 (0 to 4 students). The department less MTA is 2 women and
    1 man: MTB, given back. Its 3 students no programme's total counts were not guarded (a rest
    of fewer than 3 was: a total DBH writes 0 holds up to 2), and MTB may hold 4. Now the
    department is judged on the interval its programmes leave: 18 to 22 women of 58 to 62 (its
    own total, 61, less MTA's was MTB's: :func:`test_a_379_department_s_total_is_the_interval_its_programmes_leave`)."""
    folder = tmp_path / "raw"
    folder.mkdir()
    dbh_json(folder / "dbh_api_t379_1150_avd.json", rows_379({"170100": (20, 41)}, "Avdelingskode"), table=379)
    programmes = [
        {**row, "Avdelingskode": "170100"} for row in rows_379({"MTA": (18, 40), "MTB": (0, 0)}, "Studieprogramkode")
    ]
    dbh_json(folder / "dbh_api_t379_1150_prog.json", programmes, table=379)
    flags = flags_of(folder, tmp_path)
    department = flags[(flags["level"] == "department") & (flags["measure"] == "offers")].iloc[0]
    assert pd.isna(department["women"]) and pd.isna(department["men"]), department.to_dict()
    assert (department["women_low"], department["women_high"]) == (18, 22)
    assert (department["total"], department["total_high"]) == (58, 62)
    assert department["suppressed_inside"] == "programme"


def test_a_shown_gender_s_cell_written_0_inside_a_masked_measure_is_beyond_its_total(tmp_path):
    """Offers of 2025 by Prioritet: women written 0 in both rows, men 3 in the first and 0 in the
    second. Each 0 is 0, 1 or 2: women 0 to 4, men 3 to 5, so 3 to 9 students (by hand below).
    The men's 0 was read as none (total_high 7): men of 5 and women of 4 were beyond the most
    the flags said the row holds."""
    rows = [
        {"Institusjonskode": "1150", "Årstall": "2025", "Semester": "3", "Studieprogramkode": "TRE"}
        | {"Kjønn": gender, "Prioritet": priority, "Søknadsalternativer": 20}
        | {"Tilbud om opptak": n, "Akseptert tilbud": n, "Møtt til studiestart": n}
        for priority, men in (("1", 3), ("2", 0))
        for gender, n in (("1", 0), ("2", men))
    ]
    folder = tmp_path / "raw"
    folder.mkdir()
    dbh_json(folder / "dbh_api_t379_1150_prog.json", rows, table=379)
    written = [(0, 3), (0, 0)]  # (women, men) of each row
    totals = [sum(pick) for pick in product(*[(0, 1, 2) if n == 0 else (n,) for row in written for n in row])]
    observed = obs(read_path(folder / "dbh_api_t379_1150_prog.json").frame, "TRE", "offers")
    assert (observed["total"], observed["total_high"]) == (min(totals), max(totals)) == (3, 9)
    row = obs(flags_of(folder, tmp_path), "TRE", "offers")
    assert (row["total"], row["total_high"]) == (3, 9)
    assert row["status"] == by_hand([(0, 3), (0, 0)]) == "unknown"


def test_a_379_department_s_total_is_the_interval_its_programmes_leave(tmp_path):
    """Offers of 2025: department 170100 (by Avdelingskode) of programmes MTA 18 women and 32 men,
    MTB 2 women (written 0) beside 10 men, MTC 2 and 2 (both written 0); department 170200 30 and
    30. The programmes' totals are 50, 10 and 0 (a 379 total is its women and men added), and
    the department's own total, 76, less them was their cells written 0: 6, each of them 2. Every
    count those cells may hold (0, 1 or 2 each) is to be as possible from what the flags show of
    the department and of the faculty (beside 170200's exact 60) as from the programmes' own."""
    folder = tmp_path / "raw"
    folder.mkdir()
    programmes = {"MTA": (18, 32), "MTB": (0, 10), "MTC": (0, 0)}  # as written
    departments = {"170100": (18 + 2 + 2, 32 + 10 + 2), "170200": (30, 30)}
    dbh_json(folder / "dbh_api_t379_1150_avd.json", rows_379(departments, "Avdelingskode"), table=379)
    rows = [{**row, "Avdelingskode": "170100"} for row in rows_379(programmes, "Studieprogramkode")]
    dbh_json(folder / "dbh_api_t379_1150_prog.json", rows, table=379)
    for level, code, beside in (("department", "170100", 0), ("faculty", "170", 60)):
        flags = flags_of(folder, tmp_path, "--level", level)
        row = flags[(flags["level"] == level) & (flags["unit_code"] == code) & (flags["measure"] == "offers")].iloc[0]
        assert pd.isna(row["women"]), level
        # (MTB's women, MTC's women, MTC's men) that the row's figures allow
        possible = [
            cells
            for cells in product((0, 1, 2), repeat=3)
            if row["total"] <= beside + 50 + 10 + sum(cells) <= row["total_high"]
            and row["women_low"] <= 18 + (30 if beside else 0) + cells[0] + cells[1] <= row["women_high"]
        ]
        for cell in range(3):
            assert {cells[cell] for cells in possible} == {0, 1, 2}, (level, cell, row.to_dict())


def test_a_379_department_beside_programmes_it_cannot_place_is_not_their_cells_written_0(tmp_path):
    """Offers of 2025: department 170100 (by Avdelingskode) of MTA 18 women and 32 men (its
    department named) and MTB and MTC, each 2 women written 0 beside 10 men, in a file by
    Studieprogramkode alone and no table 347 to place them. The department, 22 women of 74, less
    MTA gave 4 women to whoever places MTB and MTC there: 2 each, as each is 0 to 2. Every count
    their cells may hold is to be as possible from the department's figures."""
    folder = tmp_path / "raw"
    folder.mkdir()
    dbh_json(folder / "dbh_api_t379_1150_avd.json", rows_379({"170100": (22, 52)}, "Avdelingskode"), table=379)
    placed = [{**row, "Avdelingskode": "170100"} for row in rows_379({"MTA": (18, 32)}, "Studieprogramkode")]
    dbh_json(folder / "dbh_api_t379_1150_prog.json", placed, table=379)
    dbh_json(
        folder / "dbh_api_t379_1150_prog2.json",
        rows_379({"MTB": (0, 10), "MTC": (0, 10)}, "Studieprogramkode"),
        table=379,
    )
    flags = flags_of(folder, tmp_path)
    row = flags[(flags["level"] == "department") & (flags["measure"] == "offers")].iloc[0]
    possible = [
        cells
        for cells in product((0, 1, 2), repeat=2)
        if row["total"] <= 50 + 20 + sum(cells) <= row["total_high"]
        and (pd.isna(row["women_low"]) or row["women_low"] <= 18 + sum(cells) <= row["women_high"])
        and (pd.isna(row["women"]) or row["women"] == 18 + sum(cells))
    ]
    for cell in range(2):
        assert {cells[cell] for cells in possible} == {0, 1, 2}, (cell, row.to_dict())
