"""A department shown beside programmes whose place is not known does not give a masked one back
(the two placement gaps left open on 2026-12-05, README "Rules the numbers keep").

The published flags name a department's figures, and a programme's (DBH masks a small one: 0
women and 0 men beside its total). Table 347 is public: whoever reads the flags knows which
department a programme belongs to, so a department's exact figures less those of its shown
programmes give a masked one back, whether or not the flags themselves name its department.

1. A department's rows without an institution code (table 123 or 379 grouped by Avdelingskode,
   the institution a filter of the query, nothing in the file's name), beside programme rows
   grouped by Studieprogramkode alone, which take their department and institution from table
   347: the department had no institution to match, was compared with none of its programmes,
   and kept its exact figures.
2. A programme placed in a department by neither its row nor table 347 (347 not in the folder,
   or its code at two institutions): the department beside it was compared with none of them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from analysis.gender_reasons import reason_words
from tests import test_disclosure_dbh as dbh
from tests.test_disclosure_dbh import dbh_json, with_queries

#: the department, 2022: 60 students, 20 women and 40 men; its programmes MTA (50: 18 and 32,
#: shown) and MTB (10, masked by DBH)
DEPARTMENT = {"Årstall": 2022, "Avdelingskode": "271720", "Antall totalt": 60, "Antall kvinner": 20, "Antall menn": 40}
PROGRAMMES = [
    {"Årstall": 2022, "Studieprogramkode": "MTA", "Antall totalt": 50, "Antall kvinner": 18, "Antall menn": 32},
    {"Årstall": 2022, "Studieprogramkode": "MTB", "Antall totalt": 10, "Antall kvinner": 0, "Antall menn": 0},
]


def catalogue(folder, placed: dict[str, list[str]]) -> None:
    """DBH table 347 in ``folder``: each programme code at the institutions given, in
    department 271720 (as the real download's rows name them: Institusjonskode, Avdelingskode)."""
    rows = [
        {
            "Institusjonskode": institution,
            "Avdelingskode": "271720",
            "Årstall": 2022,
            "Semester": 3,
            "Studieprogramkode": code,
            "Studieprogramnavn": f"Programme {code}",
        }
        for code, institutions in placed.items()
        for institution in institutions
    ]
    dbh_json(folder / "dbh_api_t347_utdrag.json", rows, table=347)


def flags_of(folder, tmp_path) -> pd.DataFrame:
    """``kvalitet flags`` of the folder (no ``--institution``: rows without a code are of none)."""
    out = tmp_path / "flags.parquet"
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "flags", str(folder), "--out", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return pd.read_parquet(out)


def masked_programme_given_back(flags: pd.DataFrame) -> str | None:
    """The attack on the published table, with table 347 in hand (MTA and MTB are 271720's): the
    department's women less its shown programme's, where both are exact and the rest of its
    students is the masked programme's."""
    department = flags[flags["level"] == "department"].iloc[0]
    shown = flags[flags["unit_code"] == "MTA"].iloc[0]
    masked = flags[flags["unit_code"] == "MTB"].iloc[0]
    assert pd.isna(masked["women"]) and int(masked["total"]) == 10, "DBH masked MTB"
    if pd.isna(department["women"]) or pd.isna(shown["women"]):
        return None
    if int(department["total"]) - int(shown["total"]) != int(masked["total"]):
        return None
    return f"MTB has {int(department['women']) - int(shown['women'])} women"


def folder_of(tmp_path, department_file: str) -> object:
    folder = tmp_path / "raw"
    folder.mkdir()
    dbh_json(folder / department_file, [DEPARTMENT])
    dbh_json(folder / "registrerte_per_studieprogram.json", PROGRAMMES)
    return folder


def test_a_department_without_its_institution_is_compared_with_the_programmes_347_places_in_it(tmp_path):
    """Gap 1: the department's row has no Institusjonskode (nor has its file's name), the
    programmes' rows have neither institution nor department; table 347 places MTA and MTB in
    271720 at 1150, the one institution the folder holds. Before: the department kept 20 women
    and 40 men beside MTA's 18 and 32, and gave MTB's masked 10 back as 2 women and 8 men."""
    folder = folder_of(tmp_path, "registrerte_per_avdeling.json")
    catalogue(folder, {"MTA": ["1150"], "MTB": ["1150"]})
    flags = flags_of(folder, tmp_path)
    assert masked_programme_given_back(flags) is None, masked_programme_given_back(flags)
    department = flags[flags["level"] == "department"].iloc[0]
    assert pd.isna(department["institution_code"]), "the flags show the row as read: of no institution"
    # the interval its programmes leave: 18 (MTA's) to 18 + 10 of 60
    assert (department["women_low"], department["women_high"], department["total"]) == (18, 28, 60)
    assert department["suppressed_inside"] == "programme"


def test_a_department_without_its_institution_beside_two_institutions_shows_no_figures(tmp_path):
    """Gap 1 where the folder holds two institutions (another's department, with its code, beside
    NTNU's programmes): which institution's the department without a code is, is not known, so
    it cannot be judged on the interval MTA and MTB leave; its own figures are not shown either
    (less MTA they gave MTB back): women anywhere from 0 to its 60, and the reason says why and
    what to do."""
    folder = folder_of(tmp_path, "registrerte_per_avdeling.json")
    catalogue(folder, {"MTA": ["1150"], "MTB": ["1150"]})
    other = {**DEPARTMENT, "Institusjonskode": "1120", "Avdelingskode": "110000"}
    dbh_json(folder / "dbh_api_t123_1120_avd.json", [other])
    flags = flags_of(folder, tmp_path)
    assert masked_programme_given_back(flags) is None, masked_programme_given_back(flags)
    department = flags[(flags["level"] == "department") & flags["institution_code"].isna()].iloc[0]
    assert (department["women_low"], department["women_high"]) == (0, 60)
    assert department["status"] == "unknown" and department["suppressed_inside"] == "unplaced_programme"
    assert "table 347" in department["reason"] and "institution" in department["reason"], department["reason"]
    # the other institution's department has no programme beside it: as DBH gave it
    coded = flags[(flags["level"] == "department") & (flags["institution_code"] == "1120")].iloc[0]
    assert (coded["women"], coded["men"]) == (20, 40)


def test_a_department_beside_programmes_no_table_347_places_shows_no_figures(tmp_path):
    """Gap 2, without table 347: the programmes (NTNU's, by Studieprogramkode alone: no
    department) are in no department, the department (NTNU's) was compared with none of them and
    kept its 20 women and 40 men. Now, with a masked programme that may be its, it shows none:
    women anywhere from 0 to its 60, and the reason says to download table 347."""
    folder = folder_of(tmp_path, "dbh_api_t123_1150_avd.json")
    (folder / "registrerte_per_studieprogram.json").rename(folder / "dbh_api_t123_1150_prog.json")
    flags = flags_of(folder, tmp_path)
    assert masked_programme_given_back(flags) is None, masked_programme_given_back(flags)
    department = flags[flags["level"] == "department"].iloc[0]
    assert (department["women_low"], department["women_high"], department["total"]) == (0, 60, 60)
    assert department["suppressed_inside"] == "unplaced_programme" and department["suppressed_units"] == 1
    for lang, words in (("nb", "tabell 347"), ("en", "table 347")):
        assert words in reason_words(department, lang), reason_words(department, lang)
    # the faculty sums it: the department's 60 students are in its interval too
    faculty = flags_of_level(folder, tmp_path, "faculty")
    assert (faculty["women_low"], faculty["women_high"]) == (0, 60)


def flags_of_level(folder, tmp_path, level: str) -> pd.Series:
    out = tmp_path / f"flags_{level}.parquet"
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "flags", str(folder), "--level", level, "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    flags = pd.read_parquet(out)
    return flags[flags["level"] == level].iloc[0]


def test_a_department_beside_programmes_347_has_at_two_institutions_shows_no_figures(tmp_path):
    """Gap 2 with table 347 at hand, but MTA's and MTB's codes at two institutions there: the
    programmes' rows (no institution, no department) are placed by neither, as before; the
    department beside them no longer keeps its counts."""
    folder = folder_of(tmp_path, "dbh_api_t123_1150_avd.json")
    catalogue(folder, {"MTA": ["1150", "1120"], "MTB": ["1150", "1120"]})
    flags = flags_of(folder, tmp_path)
    assert masked_programme_given_back(flags) is None, masked_programme_given_back(flags)
    department = flags[flags["level"] == "department"].iloc[0]
    assert (department["women_low"], department["women_high"]) == (0, 60)
    assert department["suppressed_inside"] == "unplaced_programme"


def test_a_department_beside_unplaced_programmes_all_shown_keeps_its_counts(tmp_path):
    """Nothing masked among the programmes no table places: the department keeps its figures
    (the rule withholds only where a masked one may be inside)."""
    folder = folder_of(tmp_path, "dbh_api_t123_1150_avd.json")
    shown = [PROGRAMMES[0], {**PROGRAMMES[1], "Antall kvinner": 2, "Antall menn": 8}]
    dbh_json(folder / "registrerte_per_studieprogram.json", shown)
    flags = flags_of(folder, tmp_path)
    department = flags[flags["level"] == "department"].iloc[0]
    assert (department["women"], department["men"]) == (20, 40)


def test_a_department_of_another_year_or_measure_than_the_unplaced_masked_programme_keeps_its_counts(tmp_path):
    """The masked programme of 2022 cannot be inside the department's row of 2023."""
    folder = folder_of(tmp_path, "dbh_api_t123_1150_avd.json")
    dbh_json(folder / "dbh_api_t123_1150_avd.json", [{**DEPARTMENT, "Årstall": 2023}])
    flags = flags_of(folder, tmp_path)
    department = flags[flags["level"] == "department"].iloc[0]
    assert (department["women"], department["men"]) == (20, 40)


def test_a_department_more_than_the_unplaced_programmes_beside_it_keeps_its_counts(tmp_path):
    """Only MTB (masked, 10 students) beside the department of 60, no table 347: whichever
    department MTB is in, the department less it leaves 50 students no programme row counts, so
    MTB's women do not follow (as a department with a rest of 3 or more beside its programmes)."""
    folder = folder_of(tmp_path, "dbh_api_t123_1150_avd.json")
    dbh_json(folder / "registrerte_per_studieprogram.json", PROGRAMMES[1:])
    flags = flags_of(folder, tmp_path)
    department = flags[flags["level"] == "department"].iloc[0]
    assert (department["women"], department["men"]) == (20, 40)


def test_om_tallene_says_a_department_beside_unplaced_masked_programmes_shows_no_figure():
    """The report's rule on masked figures names the withheld department, in both languages,
    and does not tell it as the interval its programmes leave (they are not its known parts)."""
    from analysis.charts.labels import label
    from analysis.report.about import suppression_rule
    from tests.test_disclosure_dbh import flags_of_rows
    from tests.test_rule_boundaries import counts, suppressed

    where = {"year": 2022, "semester": "autumn", "student_category": "S"}
    flags = flags_of_rows(
        [
            counts(20, 40, unit_code="271720", **where),
            counts(18, 32, level="programme", unit_code="MTA", **where),
            suppressed(10, level="programme", unit_code="MTB", **where),
        ]
    )
    department = flags[flags["level"] == "department"].iloc[0]
    assert department["suppressed_inside"] == "unplaced_programme"
    for lang in ("nb", "en"):
        rule = suppression_rule(flags, 2022, lang)
        parts = label("about_gender_inside_department", lang)
        assert label("about_gender_interval_unplaced", lang, parts=parts) in rule, rule
        assert label("about_gender_interval_programmes", lang, parts=parts) not in rule, rule


def test_a_department_beside_a_programme_placed_in_its_code_at_no_institution_shows_no_figures(tmp_path):
    """The programmes' rows name their department (Avdelingskode) but not its institution, in a
    folder of two institutions: the department 271720 of 1150 was compared with none of them
    (their institution not known) nor counted them among those that may be its parts, and kept
    its 20 women of 60; the flags name MTA's and MTB's department, and less MTA's 18 gave the
    masked MTB's 2."""
    folder = folder_of(tmp_path, "dbh_api_t123_1150_avd.json")
    placed = [{**programme, "Avdelingskode": "271720"} for programme in PROGRAMMES]
    dbh_json(folder / "registrerte_per_studieprogram.json", placed)
    other = {**DEPARTMENT, "Avdelingskode": "110000"}
    dbh_json(folder / "dbh_api_t123_1120_avd.json", [other])
    flags = flags_of(folder, tmp_path)
    department = flags[(flags["level"] == "department") & (flags["institution_code"] == "1150")].iloc[0]
    masked = flags[flags["unit_code"] == "MTB"].iloc[0]
    assert masked["department_code"] == department["unit_code"], "the flags place MTB in 271720"
    assert masked_programme_given_back(flags[flags["institution_code"] != "1120"]) is None
    assert (department["women_low"], department["women_high"]) == (0, 60)
    assert department["suppressed_inside"] == "unplaced_programme"
    # the other institution's department 110000 is not where MTB may be: as DBH gave it
    coded = flags[(flags["level"] == "department") & (flags["institution_code"] == "1120")].iloc[0]
    assert (coded["women"], coded["men"]) == (20, 40)


def categories_beside(folder, programme_grouping: list[str]) -> None:
    """The department 271720 of the categories added (60: 20 women) and by category (S 55: 18
    women, P 5: 2 women, DBH shows both), as ``kvalitet fetch`` records their queries, beside
    the programmes' file (no table 347: placed in no department)."""
    row = {"Årstall": 2022, "Avdelingskode": "271720"}
    dbh_json(
        folder / "dbh_api_t123_1150_avd_kat.json",
        [
            {**row, "Studentkategori": "S", "Antall totalt": 55, "Antall kvinner": 18, "Antall menn": 37},
            {**row, "Studentkategori": "P", "Antall totalt": 5, "Antall kvinner": 2, "Antall menn": 3},
        ],
    )
    with_queries(
        folder,
        {
            "dbh_api_t123_1150_avd.json": ["Årstall", "Avdelingskode"],
            "dbh_api_t123_1150_avd_kat.json": ["Årstall", "Avdelingskode", "Studentkategori"],
            "dbh_api_t123_1150_prog.json": programme_grouping,
        },
    )


def department_rows(flags: pd.DataFrame) -> pd.DataFrame:
    return flags[flags["level"] == "department"].set_index("student_category")


def test_a_department_withheld_beside_unplaced_programmes_is_not_its_categories_added(tmp_path):
    """The row of the categories added withheld (0..60) beside MTA and MTB (the categories
    added, placed in no department), but its categories S and P shown: S and P add up to it,
    20 women, and less MTA's 18 gave the masked MTB's 2. Its categories are withheld with it."""
    folder = folder_of(tmp_path, "dbh_api_t123_1150_avd.json")
    (folder / "registrerte_per_studieprogram.json").rename(folder / "dbh_api_t123_1150_prog.json")
    categories_beside(folder, ["Årstall", "Studieprogramkode"])
    rows = department_rows(flags_of(folder, tmp_path))
    assert rows.loc["all", "suppressed_inside"] == "unplaced_programme"
    shown = rows.loc[["S", "P"], "women"]
    assert shown.isna().any(), f"S and P add up to MTB's department: MTB has {int(shown.sum()) - 18} women"
    for category in ("S", "P"):
        assert (rows.loc[category, "women_low"], rows.loc[category, "women_high"]) == (0, rows.loc[category, "total"])
        assert rows.loc[category, "suppressed_inside"] == "unplaced_programme"
        assert rows.loc[category, "suppressed_units"] == 1


def test_a_category_withheld_beside_unplaced_programmes_is_not_the_added_row_less_the_others(tmp_path):
    """MTA (45) and MTB (10, masked) of category S, placed in no department: the department's S
    (55) is withheld, their 55 all of it; its row of the categories added (60) leaves 5 beside
    them and was kept, with P (5) shown: 20 less P's 2 gave S's 18, less MTA's the masked MTB's."""
    folder = folder_of(tmp_path, "dbh_api_t123_1150_avd.json")
    programmes = [
        {**PROGRAMMES[0], "Studentkategori": "S", "Antall totalt": 45, "Antall kvinner": 16, "Antall menn": 29},
        {**PROGRAMMES[1], "Studentkategori": "S"},
    ]
    (folder / "registrerte_per_studieprogram.json").unlink()
    dbh_json(folder / "dbh_api_t123_1150_prog.json", programmes)
    categories_beside(folder, ["Årstall", "Studieprogramkode", "Studentkategori"])
    rows = department_rows(flags_of(folder, tmp_path))
    assert rows.loc["S", "suppressed_inside"] == "unplaced_programme"
    exact = rows.loc[["all", "P"], "women"]
    assert exact.isna().any(), f"MTB has {int(exact['all']) - int(exact['P']) - 16} women"


def test_the_reason_of_one_unplaced_programme_speaks_of_one(tmp_path):
    """One masked programme beside the department (no table 347): the reason said "1 suppressed
    study programme … gives them no one department … would give them" (and "dem" in Norwegian);
    its words now fit one programme and several alike, in both languages."""
    folder = folder_of(tmp_path, "dbh_api_t123_1150_avd.json")
    department = flags_of(folder, tmp_path).query("level == 'department'").iloc[0]
    assert department["suppressed_units"] == 1
    for lang, them in (("nb", " dem"), ("en", " them")):
        words = reason_words(department, lang)
        assert them not in words, words
        assert ("347" in words) and (("institusjon" if lang == "nb" else "institution") in words), words


@pytest.mark.parametrize("fetched_for_both", ["programmes", "categories"])
def test_a_department_s_categories_beside_programmes_of_its_code_at_an_institution_not_known(
    tmp_path, fetched_for_both
):
    """The department 271720 of NTNU by category (S 20 women and 35 men, P of 5 masked) beside its
    programmes of the categories added (MTA 13 and 37, MTB 7 and 3; DBH shows both), in a folder
    of two institutions (a department of 1120 beside them), one of the two files fetched for both
    at once (filtered to 1150 and 1120, grouped without Institusjonskode: its rows name no
    institution). The programmes name 271720 as their department, and the flags show it, but the
    department was compared with none of them (one institution not known), kept S's 20 women,
    and the programmes' 20 less S gave P as 0 women and 5 men (a second reader, 2026-12-05).
    S is judged on the interval P leaves: 15 to 20 women of 55."""
    folder = tmp_path / "raw"
    folder.mkdir()
    rows = {
        "categories": [dbh.category("S", 55, 20, 35), dbh.category("P", 5, 0, 0)],
        "programmes": [dbh.programme("MTA", 50, 13, 37), dbh.programme("MTB", 10, 7, 3)],
    }
    grouped = {"categories": "Studentkategori", "programmes": "Studieprogramkode"}
    files = []
    for what, figures in rows.items():
        # the file fetched for both institutions names neither; the other is NTNU's, by its code
        named = {} if what == fetched_for_both else {"Institusjonskode": "1150"}
        dbh_json(folder / f"{what}.json", [{"Årstall": 2022, "Avdelingskode": "271720", **named, **f} for f in figures])
        group = ["Årstall", *named, "Avdelingskode", grouped[what]]
        files.append({"file": f"{what}.json", "query": query(group, ["1150", "1120"])})
    other = {"Årstall": 2022, "Institusjonskode": "1120", "Avdelingskode": "110000", **dbh.category("S", 60, 20, 40)}
    dbh_json(folder / "other.json", [other])
    group = ["Årstall", "Institusjonskode", "Avdelingskode", "Studentkategori"]
    files.append({"file": "other.json", "query": query(group, ["1120"])})
    (folder / "MANIFEST.json").write_text(json.dumps({"files": files}, ensure_ascii=False), encoding="utf-8")
    flags = flags_of(folder, tmp_path)
    mine = flags[(flags["unit_code"] == "271720") & (flags["level"] == "department")].set_index("student_category")
    programmes = flags[flags["level"] == "programme"]
    assert (programmes["department_code"] == "271720").all(), "the flags place MTA and MTB in 271720"
    assert pd.isna(mine.loc["P", "women"]) and mine.loc["P", "total"] == 5, "DBH masked P"
    s = mine.loc["S"]
    given = int(programmes["women"].sum()) - int(s["women"]) if pd.notna(s["women"]) else None
    assert given is None, f"the programmes less S give P as {given} women of 5"
    # the interval P's 5 students leave S: the programmes' 20 women less P's 5 at most, and less none
    assert (s["women_low"], s["women_high"], s["suppressed_inside"]) == (15, 20, "category_beside")
    # the other institution's department has no programme beside it: as DBH gave it
    coded = flags[(flags["level"] == "department") & (flags["institution_code"] == "1120")].iloc[0]
    assert (coded["women"], coded["men"]) == (20, 40)


def query(group: list[str], institutions: list[str]) -> dict:
    """A DBH-API query of table 123 as ``kvalitet fetch`` records it: autumn, the institutions
    given as a filter, grouped as given."""
    return {
        "tabell_id": 123,
        "api_versjon": 1,
        "statuslinje": "J",
        "groupBy": group,
        "filter": [
            {"variabel": "Institusjonskode", "selection": {"filter": "item", "values": institutions}},
            {"variabel": "Semester", "selection": {"filter": "item", "values": ["3"]}},
        ],
    }


def test_a_department_s_categories_beside_programmes_of_its_code_at_two_institutions_show_no_figures(tmp_path):
    """As above, the programmes fetched for both institutions at once (no institution in their
    rows), but 1120 has a department 271720 too, with its programme MTC (30: 10 women and 20
    men). MTA, MTB and MTC, all of 271720 at an institution not known, are 90 students, more than
    NTNU's 271720's 60, so nothing is judged by them; whoever has table 347 takes MTA and MTB,
    and their 20 women less S gave P as 0 women of 5 (open until 2026-12-05). S is withheld as
    beside programmes placed in no department (they may be its): women anywhere from 0 to its
    55; 1120's 271720, nothing masked in it, keeps its counts."""
    folder = tmp_path / "raw"
    folder.mkdir()
    year = {"Årstall": 2022, "Avdelingskode": "271720"}
    categories = [
        {**year, "Institusjonskode": "1150", **dbh.category("S", 55, 20, 35)},
        {**year, "Institusjonskode": "1150", **dbh.category("P", 5, 0, 0)},
        {**year, "Institusjonskode": "1120", **dbh.category("S", 30, 10, 20)},
    ]
    programmes = [
        {**year, **dbh.programme("MTA", 50, 13, 37)},
        {**year, **dbh.programme("MTB", 10, 7, 3)},
        {**year, **dbh.programme("MTC", 30, 10, 20)},
    ]
    dbh_json(folder / "categories.json", categories)
    dbh_json(folder / "programmes.json", programmes)
    files = [
        {"file": "categories.json", "query": query([*year, "Institusjonskode", "Studentkategori"], ["1150", "1120"])},
        {"file": "programmes.json", "query": query([*year, "Studieprogramkode"], ["1150", "1120"])},
    ]
    (folder / "MANIFEST.json").write_text(json.dumps({"files": files}, ensure_ascii=False), encoding="utf-8")
    flags = flags_of(folder, tmp_path)
    ntnu = flags[(flags["level"] == "department") & (flags["institution_code"] == "1150")]
    s = ntnu.set_index("student_category").loc["S"]
    theirs = flags[flags["unit_code"].isin(["MTA", "MTB"])]
    assert pd.isna(ntnu.set_index("student_category").loc["P", "women"]), "DBH masked P"
    given = int(theirs["women"].sum()) - int(s["women"]) if pd.notna(s["women"]) else None
    assert given is None, f"MTA and MTB less S give P as {given} women of 5"
    assert (s["women_low"], s["women_high"], s["suppressed_inside"]) == (0, 55, "category_beside_unplaced")
    other = flags[(flags["level"] == "department") & (flags["institution_code"] == "1120")].iloc[0]
    assert (other["women"], other["men"]) == (10, 20)


def test_a_department_beside_an_unplaced_programme_of_0_students_shows_no_figures(tmp_path):
    """A programme DBH writes as 0 students (it holds 1 or 2) is masked as one of 10 is: MTA 19
    women and 39 men of 58, MTB of 0, no table 347 (placed in no department); the department's 20
    women and 40 men of 60 less MTA gave MTB's 2 back as 1 woman and 1 man (helper E's note,
    2026-12-05). The department beside it shows no figures: women anywhere from 0 to its 60."""
    folder = folder_of(tmp_path, "dbh_api_t123_1150_avd.json")
    programmes = [
        {**PROGRAMMES[0], "Antall totalt": 58, "Antall kvinner": 19, "Antall menn": 39},
        {**PROGRAMMES[1], "Antall totalt": 0, "Antall kvinner": 0, "Antall menn": 0},
    ]
    dbh_json(folder / "registrerte_per_studieprogram.json", programmes)
    flags = flags_of(folder, tmp_path)
    department = flags[flags["level"] == "department"].iloc[0]
    mta, mtb = (flags[flags["unit_code"] == code].iloc[0] for code in ("MTA", "MTB"))
    assert pd.isna(mtb["women"]) and mtb["total"] == 0 and pd.isna(mta["department_code"]), "MTB 0-2, placed nowhere"
    exact = pd.notna(department["women"]) and pd.notna(mta["women"])
    assert not exact, f"MTB has {int(department['women']) - int(mta['women'])} women of 1 or 2"
    assert (department["women_low"], department["women_high"], department["total"]) == (0, 60, 60)
    assert department["suppressed_inside"] == "unplaced_programme" and department["suppressed_units"] == 1


def test_a_379_department_beside_an_unplaced_programme_of_both_genders_written_0_shows_no_figures(tmp_path):
    """Table 379 (offers, 2025): department 170100 20 women and 41 men, its programmes by
    Studieprogramkode alone and no table 347 (placed in no department): MTA 18 and 40, MTB written
    0 and 0 (0 to 4 students). The department less MTA is 2 women and 1 man, 3 students: more
    than a total DBH writes 0 holds, no more than MTB may (helper E's note, 2026-12-05). Its total
    is the interval MTA's 58 and MTB's 0 to 4 leave (a 379 total is its genders added), not 61."""
    from tests.test_dbh_379_written_0 import rows_379

    folder = tmp_path / "raw"
    folder.mkdir()
    dbh_json(folder / "dbh_api_t379_1150_avd.json", rows_379({"170100": (20, 41)}, "Avdelingskode"), table=379)
    programmes = rows_379({"MTA": (18, 40), "MTB": (0, 0)}, "Studieprogramkode")
    dbh_json(folder / "dbh_api_t379_1150_prog.json", programmes, table=379)
    flags = flags_of(folder, tmp_path)
    offers = flags[flags["measure"] == "offers"]
    department = offers[offers["level"] == "department"].iloc[0]
    mta, mtb = (offers[offers["unit_code"] == code].iloc[0] for code in ("MTA", "MTB"))
    assert pd.isna(mtb["women"]) and (mtb["total"], mtb["total_high"]) == (0, 4), "MTB 0-4 students"
    assert pd.isna(mta["department_code"]), "placed in no department"
    exact = pd.notna(department["women"]) and pd.notna(mta["women"])
    assert not exact, f"MTB has {int(department['women']) - int(mta['women'])} women of 3"
    low, high = 18 + 40 + 0, 18 + 40 + 2 + 2
    assert (department["women_low"], department["women_high"]) == (0, high)
    assert (department["total"], department["total_high"]) == (low, high)
    assert department["suppressed_inside"] == "unplaced_programme" and department["suppressed_units"] == 1


def test_om_tallene_says_a_department_s_category_beside_unplaced_programmes_shows_no_figure():
    """The report's rule on masked figures names the department withheld for a masked category
    beside programmes placed in no department, in both languages, in its own words (not those of
    a masked programme placed nowhere)."""
    from analysis.charts.labels import label
    from analysis.report.about import suppression_rule
    from tests.test_disclosure_dbh import flags_of_rows
    from tests.test_rule_boundaries import counts, suppressed

    where = {"year": 2022, "semester": "autumn"}
    programme = {"level": "programme", "student_category": "all", **where}
    flags = flags_of_rows(
        [
            counts(20, 35, unit_code="271720", student_category="S", **where),
            suppressed(5, unit_code="271720", student_category="P", **where),
            counts(13, 37, unit_code="MTA", **programme),
            counts(7, 3, unit_code="MTB", **programme),
        ]
    )
    s = flags[(flags["level"] == "department") & (flags["student_category"] == "S")].iloc[0]
    assert s["suppressed_inside"] == "category_beside_unplaced"
    for lang in ("nb", "en"):
        rule = suppression_rule(flags, 2022, lang)
        parts = label("about_gender_inside_department", lang)
        assert label("about_gender_interval_unplaced_beside", lang, parts=parts) in rule, rule
        assert label("about_gender_interval_unplaced", lang, parts=parts) not in rule, rule
