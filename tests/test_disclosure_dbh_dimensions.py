"""A count DBH masked, given back by the rows of another grouping beside it (an attack on the
published gender flags, 2026-12-05, a third reader).

The guard of ``analysis/metrics/gender.py`` (README "Rules the numbers keep") judges a row of
the student categories added on the interval its categories leave, and a department on the
interval its programmes leave. Two other groupings of DBH's table 123 add up the same way, and
the same rule (``_added_as_their_sum``) has their values as the parts (open until 2026-12-05):

* **semesters**: a download without ``Semester`` counts the semesters its query kept added
  together ("vår + høst", or ``all``); beside a download by ``Semester`` (HK-dir's recommended
  grouping, the national export's) the semesters added less the shown one give the masked one;
* **a filter of the download** (``measure_filter``: a column of one value, "Nivåkode B3"): a
  download without the filter less the downloads of the filter's other values gives the masked
  one.

And DBH table 379, long by ``Kjønn``, summed over a finer grouping (``Prioritet``,
``Opptakstype``): a row DBH masked (a gender written 0 beside the other's count: 1 or 2 shown as
0) is added in as 0, and the sum is read as exact.

Each test builds the data folder an adviser would have (DBH-API JSON as ``hentJSONTabellData``
writes it, the queries in the folder's provenance manifest as ``kvalitet fetch`` records them),
runs ``kvalitet flags`` on it, and attacks what it publishes.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.metrics.gender import gender_flags
from analysis.readers import read_path
from tests.test_disclosure_dbh import GENDER, dbh_json, flags_of, flags_of_rows
from tests.test_rule_boundaries import counts, observations, suppressed

#: One unit's rows of one year, measure and category: what the semesters (or filters) split.
UNIT = ["level", "institution_code", "unit_code", "year", "measure", "student_category"]


def with_queries(folder, queries: dict[str, dict]) -> None:
    """The folder's provenance manifest: each file's query, as ``kvalitet fetch`` records it."""
    files = [{"file": name, "query": query} for name, query in queries.items()]
    (folder / "MANIFEST.json").write_text(json.dumps({"files": files}, ensure_ascii=False), encoding="utf-8")


def query_123(group_by: list[str], semesters: list[str]) -> dict:
    """Table 123 for NTNU, the semesters kept ``semesters`` (DBH's codes: 1 vår, 3 høst)."""
    return {
        "tabell_id": 123,
        "api_versjon": 1,
        "statuslinje": "J",
        "groupBy": group_by,
        "filter": [
            {"variabel": "Institusjonskode", "selection": {"filter": "item", "values": ["1150"]}},
            {"variabel": "Semester", "selection": {"filter": "item", "values": semesters}},
        ],
    }


def semesters_given_back(flags: pd.DataFrame) -> list[str]:
    """The attack: a unit's exact row of several semesters added ("spring+autumn") less its
    exact rows of those semesters one by one; where one of them is masked and the others count
    every student of the added row, its women are the difference."""
    rows = flags.assign(**{c: flags[c].astype("string").fillna("–") for c in UNIT if c != "year"})
    found = []
    for key, unit in rows.groupby(UNIT):
        semester = unit["semester"].astype("string")
        for _, added in unit[semester.str.contains("+", regex=False) & unit["women"].notna()].iterrows():
            parts = unit[semester.isin(str(added["semester"]).split("+"))]
            masked = parts[parts["women"].isna()]
            if len(masked) == 1 and int(parts["total"].sum()) == int(added["total"]):
                women = int(added["women"]) - int(parts["women"].sum())
                found.append(f"{key}: {masked['semester'].iloc[0]} has {women} women")
    return found


def test_the_attack_finds_a_semester_given_back():
    """The attack has teeth: 505 students of spring and autumn with 303 women, spring 500 with
    300, autumn masked: autumn had 3 women."""
    row = {"level": "department", "institution_code": "1150", "unit_code": "210630", "year": 2024}
    row |= {"measure": "registered", "student_category": "S"}
    flags = pd.DataFrame(
        [
            {**row, "semester": "spring+autumn", "total": 505, "women": 303},
            {**row, "semester": "spring", "total": 500, "women": 300},
            {**row, "semester": "autumn", "total": 5, "women": pd.NA},
        ]
    )
    assert len(semesters_given_back(flags)) == 1 and "autumn has 3 women" in semesters_given_back(flags)[0]


def dbh_row(code: str, total: int, women: int, men: int, **more: str) -> dict:
    """A row of table 123 for NTNU's department ``code`` in 2024, category S."""
    return {"Årstall": 2024, "Studentkategori": "S", "Avdelingskode": code, **more} | {
        "Antall totalt": total,
        "Antall kvinner": women,
        "Antall menn": men,
    }


def semester_folder(tmp_path):
    """NTNU's table 123 for 2024, category S, twice: by ``Semester`` (spring and autumn; DBH
    masked 210630's autumn of 5 students) and without it, the query keeping spring and autumn
    (each department's two semesters added)."""
    folder = tmp_path / "raw"
    folder.mkdir()
    by_semester = [
        dbh_row("210630", 500, 300, 200, Semester="1"),
        dbh_row("210630", 5, 0, 0, Semester="3"),
        dbh_row("210640", 200, 100, 100, Semester="1"),
        dbh_row("210640", 200, 100, 100, Semester="3"),
    ]
    dbh_json(folder / "dbh_api_t123_1150_semester.json", by_semester)
    dbh_json(
        folder / "dbh_api_t123_1150_vaar_og_host.json",
        [dbh_row("210630", 505, 303, 202), dbh_row("210640", 400, 200, 200)],
    )
    grouping = ["Årstall", "Avdelingskode", "Studentkategori"]
    with_queries(
        folder,
        {
            "dbh_api_t123_1150_semester.json": query_123([*grouping, "Semester"], ["1", "3"]),
            "dbh_api_t123_1150_vaar_og_host.json": query_123(grouping, ["1", "3"]),
        },
    )
    return folder


def test_the_two_downloads_are_read_as_the_measures_they_are(tmp_path):
    """A guard, passing before: the download without ``Semester`` is the two semesters added
    (its query says so), beside each semester of the other; the masked autumn is unknown."""
    flags = flags_of(semester_folder(tmp_path), tmp_path)
    department = flags[(flags["level"] == "department") & (flags["unit_code"] == "210630")]
    assert sorted(department["semester"]) == ["autumn", "spring", "spring+autumn"]
    autumn = department[department["semester"] == "autumn"].iloc[0]
    assert pd.isna(autumn["women"]) and autumn["status"] == "unknown" and int(autumn["total"]) == 5


@pytest.mark.parametrize("level", ["department", "faculty", "institution"])
def test_a_masked_semester_is_not_the_semesters_added_less_the_other(tmp_path, level):
    """210630's spring and autumn added (303 women of 505) less its spring (300 of 500) gave the
    autumn DBH masked as 3 women and 2 men; the faculty's and the institution's sums likewise
    (503 − 400, less 210640's 100). The categories' rule with the semesters as the parts
    (``_added_as_their_sum`` in ``analysis/metrics/gender.py``): a row of several semesters
    added, beside rows of those semesters one of which is masked (or that leave fewer than 3 of
    its students uncounted), judged on the interval they leave (here women 300 to 305)."""
    flags = flags_of(semester_folder(tmp_path), tmp_path, "--level", level)
    assert not semesters_given_back(flags), semesters_given_back(flags)
    added = flags[(flags["level"] == level) & (flags["semester"] == "spring+autumn")]
    if level == "department":  # (210640's semesters are all shown: its row is exact)
        added = added[added["unit_code"] == "210630"]
        assert (int(added["women_low"].iloc[0]), int(added["women_high"].iloc[0])) == (300, 305)
    inside = "semester" if level == "department" else "department"
    assert len(added) == 1 and added["women"].isna().all() and (added["suppressed_inside"] == inside).all()


def test_a_row_of_the_categories_added_whose_category_its_semesters_put_on_an_interval_is_not_exact():
    """The two rules, each on its own, leave a chain: 210630's spring and autumn of all
    categories (353 women of 605) less their P (50 of 100) is their S (303 of 505), and that less
    the spring's S (300 of 500) the autumn's S DBH masked (3 women). The S row of the semesters
    added is judged on its semesters; the row of all categories, whose parts were all exact when
    the categories were judged first, is judged again over them (women 350 to 355)."""
    both = {"unit_code": "210630", "semester": "spring+autumn"}
    rows = [
        counts(300, 200, unit_code="210630", semester="spring", student_category="S"),
        suppressed(5, unit_code="210630", semester="autumn", student_category="S"),
        counts(303, 202, student_category="S", **both),
        counts(50, 50, student_category="P", **both),
        counts(353, 252, student_category="all", **both),
        counts(100, 100, unit_code="210640", semester="spring+autumn", student_category="all"),
    ]
    flags = flags_of_rows(rows, level="department")
    mine = flags[(flags["unit_code"] == "210630") & (flags["semester"] == "spring+autumn")]
    added = mine[mine["student_category"] == "all"].iloc[0]
    assert pd.isna(added["women"]), f"autumn's S has {int(added['women']) - 50 - 300} women"
    assert (int(added["women_low"]), int(added["women_high"])) == (350, 355)
    assert added["suppressed_inside"] == "student_category"


def filtered_folder(tmp_path):
    """NTNU's table 123 for 2024, autumn, category S, three downloads: without a filter, and
    filtered on ``Nivåkode`` B3 and M2 (the file's one-value column says so), the two levels
    its departments have. DBH masked 210630's M2 (5 students)."""
    folder = tmp_path / "raw"
    folder.mkdir()
    dbh_json(folder / "dbh_api_t123_1150.json", [dbh_row("210630", 505, 303, 202), dbh_row("210640", 400, 200, 200)])
    dbh_json(
        folder / "dbh_api_t123_1150_b3.json",
        [dbh_row("210630", 500, 300, 200, Nivåkode="B3"), dbh_row("210640", 200, 100, 100, Nivåkode="B3")],
    )
    dbh_json(
        folder / "dbh_api_t123_1150_m2.json",
        [dbh_row("210630", 5, 0, 0, Nivåkode="M2"), dbh_row("210640", 200, 100, 100, Nivåkode="M2")],
    )
    grouping = ["Årstall", "Avdelingskode", "Studentkategori"]
    with_queries(
        folder,
        {
            name: query_123(grouping, ["3"])
            for name in ("dbh_api_t123_1150.json", "dbh_api_t123_1150_b3.json", "dbh_api_t123_1150_m2.json")
        },
    )
    return folder


@pytest.mark.parametrize("level", ["department", "faculty", "institution"])
def test_a_masked_filtered_download_is_not_the_whole_less_the_other_filters(tmp_path, level):
    """210630 without a filter (303 women of 505) less its B3 download (300 of 500) gave the M2
    download DBH masked as 3 women of 5; the faculty's and the institution's sums likewise. The
    filters of one column (``Nivåkode``) with different values are parts of the row without that
    filter as semesters and categories are: the row is judged on the interval they leave."""
    flags = flags_of(filtered_folder(tmp_path), tmp_path, "--level", level)
    unit = flags[flags["level"] == level]
    if level == "department":
        unit = unit[unit["unit_code"] == "210630"]
        masked = unit[unit["measure_filter"] == "Nivåkode M2"].iloc[0]
        assert pd.isna(masked["women"]) and int(masked["total"]) == 5  # the guard of a masked cell holds
    whole = unit[unit["measure_filter"].isna()].iloc[0]
    parts = unit[unit["measure_filter"].notna()]
    assert int(parts["total"].sum()) == int(whole["total"])  # the parts are all of it
    assert pd.isna(whole["women"]), f"M2 has {int(whole['women']) - int(parts['women'].sum())} women"
    assert whole["suppressed_inside"] == ("filter_value" if level == "department" else "department")


def test_a_masked_download_of_two_filters_is_not_the_one_filter_less_the_other_value():
    """A download filtered on ``Nivåkode`` B3 (303 women of 505) beside ones filtered on B3 and
    each ``Statsborgerskap`` (Norsk 300 of 500, Utenlandsk masked, 5): B3 less B3 and Norsk gave
    the masked one back (3 women). The filters one more than a row's are its parts, as a row
    without a filter has the filters of one column (a reader, 2026-12-05)."""
    place = {"unit_code": "210630", "semester": "autumn", "student_category": "S"}
    obs = observations(
        [
            counts(303, 202, **place),
            counts(300, 200, **place),
            suppressed(5, **place),
            counts(100, 100, unit_code="210640", semester="autumn", student_category="S"),
        ]
    )
    b3 = "Nivåkode B3"
    obs["measure_filter"] = [b3, f"{b3}, Statsborgerskap Norsk", f"{b3}, Statsborgerskap Utenlandsk", b3]
    flags = gender_flags(obs, level="department", settings=GENDER)
    whole = flags[(flags["unit_code"] == "210630") & (flags["measure_filter"] == b3)].iloc[0]
    assert pd.isna(whole["women"]), f"Utenlandsk has {int(whole['women']) - 300} women"
    assert (int(whole["women_low"]), int(whole["women_high"])) == (300, 305)
    assert whole["suppressed_inside"] == "filter_value"
    other = flags[flags["unit_code"] == "210640"].iloc[0]
    assert int(other["women"]) == 100  # nothing of its own split: exact


def t379_priorities(tmp_path, second_choice_women: int, first_choice_men: int = 51, second_choice_men: int = 10):
    """DBH table 379 for one programme, long by ``Kjønn`` × ``Prioritet`` (autumn 2025):
    priority 1 39 women and ``first_choice_men`` (51) men applied, priority 2
    ``second_choice_women`` and ``second_choice_men`` (10) men."""
    row = {"Institusjonskode": "1150", "Årstall": "2025", "Semester": "3", "Studieprogramkode": "MTA"}
    other = {"Tilbud om opptak": 0, "Akseptert tilbud": 0, "Møtt til studiestart": 0}
    rows = [
        {**row, "Kjønn": gender, "Prioritet": priority, "Søknadsalternativer": n, **other}
        for priority, women, men in (("1", 39, first_choice_men), ("2", second_choice_women, second_choice_men))
        for gender, n in (("1", women), ("2", men))  # Kjønn 1 women, 2 men
    ]
    path = tmp_path / "dbh_api_t379_1150_prioritet.json"
    dbh_json(path, rows, table=379)
    applications = read_path(path).frame
    return applications[(applications["measure"] == "applications") & (applications["unit_code"] == "MTA")].iloc[0]


def test_379_a_finer_grouping_without_a_masked_row_is_read_exactly(tmp_path):
    """A guard, passing before: every row has both genders above 0, so the sum is exact."""
    applications = t379_priorities(tmp_path, second_choice_women=5)
    assert (applications["women"], applications["men"], applications["total"]) == (44, 61, 105)
    assert not applications["suppressed"]


def test_a_379_row_masked_inside_a_finer_grouping_is_refused_not_added_as_0(tmp_path):
    """Priority 2 has women written 0 beside 10 men, DBH's mask of 1 or 2 (the reader's own rule
    for a measure's sum, ``analysis/readers/dbh_programmes.py``); added as 0, applications were
    read as 39 women of 100 exactly, 39 % and flagged, where the women are 39 to 41 of 100 to 102
    (41 of 102 is 40.2 %: not below 40 %). A masked cell is unknown, never 0: the file is refused,
    naming the row, the count and what to download instead (the observations hold no interval
    of a unit's own total; ``kvalitet fetch`` filters Prioritet to 1)."""
    from analysis.errors import InputError

    with pytest.raises(InputError) as refused:
        t379_priorities(tmp_path, second_choice_women=0)
    (problem,) = refused.value.problems
    # the JSON's data rows (1 the first): priority 1 women (1), men (2), priority 2 women (3), men (4)
    assert (problem.row, problem.column, problem.value) == (3, "Søknadsalternativer", 0)
    assert "DBH shows 1 or 2 as 0" in problem.message and "Prioritet or Kvalifisert filtered to 1" in problem.hint


def test_a_379_row_of_both_genders_written_0_inside_a_finer_grouping_is_refused(tmp_path):
    """Priority 2 written 0 women and 0 men: a row of 379 is there for its applicants, so each is
    1 or 2 (DBH's mask), 0 to 4 applications in all. Added as 0, applications were read as 39
    women of 100 exactly (39 %, flagged), where they may be 41 of 102 (40.2 %: not below 40 %) or
    39 of 102. Refused as the row beside the other gender's count is, naming both rows."""
    from analysis.errors import InputError

    with pytest.raises(InputError) as refused:
        t379_priorities(tmp_path, second_choice_women=0, first_choice_men=61, second_choice_men=0)
    # the JSON's data rows (1 the first): priority 2 women (3), men (4)
    assert [(p.row, p.column, p.value) for p in refused.value.problems] == [
        (3, "Søknadsalternativer", 0),
        (4, "Søknadsalternativer", 0),
    ]


# --- a row DBH writes as 0 students: 0, 1 or 2 of them ------------------------------------------


def zero_row_flags() -> pd.DataFrame:
    """Faculty 271 in 2023 as the embedded DBH-API JSON has it, cut down: 271520 written "0;0;0"
    (0 to 2 students: README "Rules the numbers keep"), 271530 of 41 women and 59 men."""
    from analysis.metrics.gender import gender_flags_all_levels
    from analysis.settings import GenderSettings
    from tests.test_rule_boundaries import counts, observations

    rows = [counts(0, 0, unit_code="271520", year=2023), counts(41, 59, unit_code="271530", year=2023)]
    obs = observations(rows)
    obs["measure_filter"] = None
    return gender_flags_all_levels(obs, settings=GenderSettings())


def test_a_row_of_0_students_is_unknown_and_has_no_share():
    """A guard, passing before: the row is unknown, without a share (README)."""
    flags = zero_row_flags()
    row = flags[flags["unit_code"] == "271520"].iloc[0]
    assert row["status"] == "unknown" and pd.isna(row["share_women"]) and pd.isna(row["underrepresented"])


def test_a_row_of_0_students_shows_no_0_women_or_men():
    """The row DBH writes as 0 students holds 0 to 2 (its reason says so: "0–2 studenter: DBH
    viser færre enn 3 studenter som 0 (skjermet)"); the flags, the workbook's appendix and the
    CSV published it with 0 women and 0 men (``Kvinner 0``, ``Menn 0``; the embedded data:
    271520 in 2021–2023, 271740 and 271750 in 2023, 272425 in 2019). A suppressed cell is
    unknown, never 0: its women and men, and their bounds, are missing (``_judge`` in
    ``analysis/metrics/gender.py``), the reason the one of a row of 0, never flagged."""
    row = zero_row_flags().query("unit_code == '271520'").iloc[0]
    assert pd.isna(row["women"]) and pd.isna(row["men"]), (row["women"], row["men"])
    assert pd.isna(row["women_low"]) and pd.isna(row["women_high"]), (row["women_low"], row["women_high"])
    assert row["status"] == "unknown" and row["reason"].startswith("0–2 students: DBH shows fewer than 3")
    assert pd.isna(row["students_needed"]) and pd.isna(row["ci_low"])


def test_a_sum_with_a_row_of_0_students_inside_is_not_exact():
    """The faculty's sum added 271520's 0 to 2 students as 0 and was published as exact (41
    women of 100, ``suppressed_units`` 0; the embedded data: faculty 271 in 2023, 2059 women of
    6487 beside three such rows, and NTNU's row). Its students are 100 to 102 and its women 41 to
    43: ``total`` to ``total_high``, ``women_low`` to ``women_high``, the row of 0 a masked unit
    inside it. 41 of 102 is 40.2 %: ok across the interval."""
    faculty = zero_row_flags().query("level == 'faculty'").iloc[0]
    assert pd.isna(faculty["women"]) and pd.isna(faculty["men"]) and pd.isna(faculty["share_women"])
    assert (faculty["total"], faculty["total_high"]) == (100, 102)
    assert (faculty["women_low"], faculty["women_high"]) == (41, 43)
    assert faculty["suppressed_units"] == 1 and faculty["suppressed_inside"] == "department"
    assert faculty["status"] == "ok" and faculty["students_needed"] == 0


def sum_beside_a_row_of_0(women: int, men: int) -> pd.Series:
    """A faculty of one department of ``women`` and ``men`` and one written 0 (0 to 2 students)."""
    from analysis.metrics.gender import gender_flags_all_levels
    from analysis.settings import GenderSettings
    from tests.test_rule_boundaries import counts, observations

    obs = observations([counts(0, 0, unit_code="271520", year=2023), counts(women, men, unit_code="271530", year=2023)])
    obs["measure_filter"] = None
    return gender_flags_all_levels(obs, settings=GenderSettings()).query("level == 'faculty'").iloc[0]


@pytest.mark.parametrize(
    ("women", "men", "status"),
    [
        # 40 of 100 is 40 % (not below); 40 of 101 or 102 (the row of 0 holding men) is below
        (40, 60, "unknown"),
        # 41 of 102 is 40.2 %: every total and count in the interval is at or above 40 %
        (41, 59, "ok"),
        # 38 of 100 to 40 of 102: below whichever (40 of 102 is 39.2 %)
        (38, 62, "flagged"),
        # 39 of 100 below, 41 of 102 (the row of 0 two women) 40.2 %: not known
        (39, 61, "unknown"),
        # men under-represented alike: 40 men of 100 with the row of 0 two women is 40 of 102
        (60, 40, "unknown"),
    ],
)
def test_a_sum_with_a_row_of_0_inside_is_decided_only_where_its_whole_interval_is(women, men, status):
    """The status of a sum with a row of 0 (0 to 2 students) inside is decided only where every
    total from ``total`` to ``total_high`` and every count of women in it give it; 40 % exactly
    is not below. Each case worked by hand in its comment."""
    faculty = sum_beside_a_row_of_0(women, men)
    assert faculty["status"] == status, faculty[["women_low", "women_high", "total", "total_high"]].to_dict()


def test_students_needed_by_a_sum_with_a_row_of_0_inside_are_counted_over_its_whole_interval():
    """38 women of 100 beside a row of 0 (0 to 2 students): flagged, and it needs at least 2 women
    more (40 of 102, the row of 0 two women: 42 of 104 is 40.4 %, 41 of 103 39.8 %) and at most
    5 (38 of 102, the row two men: 43 of 107 is 40.2 %, 42 of 106 39.6 %), not the 4 of 38 of 100
    exactly (42 of 104). By hand; ``students_needed_range`` over ``total_high``."""
    from fractions import Fraction

    from analysis.metrics.students_needed import students_needed_range

    faculty = sum_beside_a_row_of_0(38, 62)
    assert faculty["status"] == "flagged" and faculty["underrepresented"] == "women"
    fewest, most = students_needed_range(faculty.to_frame().T, Fraction(2, 5))
    assert (int(fewest.iloc[0]), int(most.iloc[0])) == (2, 5)


def test_the_report_tables_give_a_sum_with_a_row_of_0_inside_its_students_as_a_range():
    """The follow-up list and the list of units not judged (Word and HTML) wrote a sum with a row
    of 0 inside (0 to 2 students) as "100" in "Antall i alt", a count no one knows, beside a reason
    "... av 100–102". 38 women of 100 beside a row of 0: flagged, its students 100 to 102 (the
    row's 0 to 2); 39 of 100: unknown (39 % below, 41 of 102 is 40.2 %), students 100 to 102."""
    from fractions import Fraction

    from analysis.report.gender_section import followup_block, unknown_block

    flagged = sum_beside_a_row_of_0(38, 62).to_frame().T
    block = followup_block(flagged, "nb", Fraction(2, 5), caption="Tabell", source="Kilde")
    (row,) = [r for r in block["rows"] if r.get("cells") and len(r["cells"]) == len(block["columns"])]
    assert row["cells"][block["columns"].index("Antall i alt")] == "100–102", row["cells"]
    unknown = sum_beside_a_row_of_0(39, 61).to_frame().T
    assert unknown.iloc[0]["status"] == "unknown"
    block = unknown_block(unknown, "nb", caption="Tabell", source="Kilde")
    (row,) = [r for r in block["rows"] if r.get("cells") and len(r["cells"]) == len(block["columns"])]
    assert row["cells"][block["columns"].index("Antall i alt")] == "100–102", row["cells"]
