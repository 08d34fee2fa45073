"""SHoT indicators by wave: change from the previous wave, definition breaks, conflicting figures.

Expected values are read by hand from data/raw/shot_headline_figures_national.csv.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.metrics.wellbeing import definition_part, scope_of, wellbeing_indicators, without_others_remarks

SHOT = Path("/work/shared/data/raw/shot_headline_figures_national.csv")


def shot(rows: list[tuple]) -> pd.DataFrame:
    """(year, indicator, group, value, definition_note) rows in the ShotIndicators contract."""
    df = pd.DataFrame(rows, columns=["year", "indicator", "group", "value_pct", "definition_note"])
    df["source_file"] = "shot.csv"
    df["source_row"] = range(2, len(df) + 2)
    df["source_url"] = None
    return df


def real_shot() -> pd.DataFrame:
    raw = pd.read_csv(SHOT, dtype=str)
    df = pd.DataFrame(
        {
            "source_file": SHOT.name,
            "source_row": range(2, len(raw) + 2),
            "year": raw["aar"].astype(int),
            "indicator": raw["indikator"],
            "group": raw["gruppe"],
            "value_pct": raw["verdi_pct"].astype(float),
            "definition_note": raw["definisjon_merknad"],
            "source_url": raw["kilde_url"],
        }
    )
    return df


def one(table: pd.DataFrame, indicator: str, group: str, year: int) -> pd.Series:
    hit = table[(table["indicator"] == indicator) & (table["group"] == group) & (table["year"] == year)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_change_from_the_previous_wave_of_the_same_indicator_and_group():
    table = wellbeing_indicators(
        shot(
            [
                (2014, "ensomhet", "alle", 16, "3 ledd"),
                (2018, "ensomhet", "alle", 29, "3 ledd; ved lansering"),
                (2018, "ensomhet", "kvinner", 31, "3 ledd"),
                (2022, "ensomhet", "alle", 25, "3 ledd (SHoT 2022)"),
            ]
        )
    )
    r2018 = one(table, "ensomhet", "alle", 2018)
    assert (r2018["previous_year"], r2018["change_pp"]) == (2014, 13)  # 29 − 16
    assert one(table, "ensomhet", "alle", 2022)["change_pp"] == -4  # 25 − 29
    # the remark after ";" and in parentheses is not part of the definition
    assert one(table, "ensomhet", "alle", 2022)["definition_changed"] == False  # noqa: E712
    # "kvinner" is its own series: no earlier wave
    assert pd.isna(one(table, "ensomhet", "kvinner", 2018)["change_pp"])


def test_a_changed_definition_is_marked():
    table = wellbeing_indicators(
        shot(
            [
                (2014, "ensomhet", "alle", 16, "sosial og/eller emosjonell ensomhet"),
                (2018, "ensomhet", "alle", 29, "3 ledd; 'ofte' på minst ett"),
                (2021, "ensomhet", "alle", 54, "samme 3 ledd som 2018 (TV2 oppgir 54,4; 2018: 23,6)"),
            ]
        )
    )
    assert bool(one(table, "ensomhet", "alle", 2018)["definition_changed"]) is True
    # "samme … som 2018" declares the definition unchanged
    assert bool(one(table, "ensomhet", "alle", 2021)["definition_changed"]) is False
    assert pd.isna(one(table, "ensomhet", "alle", 2014)["definition_changed"])  # first wave


@pytest.mark.skipif(not SHOT.exists(), reason="shared raw data not available")
def test_the_two_2010_figures_are_both_kept_and_marked_conflicting():
    table = wellbeing_indicators(real_shot())
    y2010 = table[
        (table["indicator"] == "alvorlige_psykiske_symptomplager")
        & (table["group"] == "alle")
        & (table["year"] == 2010)
    ]
    # 18 % "as given in SHoT 2022" and 16 % "as given at the 2018 launch"
    assert sorted(y2010["value_pct"]) == [16, 18]
    assert y2010["conflicting"].all() and (y2010["versions"] == 2).all()
    r2014 = one(table, "alvorlige_psykiske_symptomplager", "alle", 2014)
    # 2014 against a wave with two figures: no change chosen, and the note says why
    assert pd.isna(r2014["change_pp"]) and pd.isna(r2014["definition_changed"])
    assert "16 / 18" in r2014["note"]
    r2018 = one(table, "alvorlige_psykiske_symptomplager", "alle", 2018)
    assert r2018["change_pp"] == 10  # 29 − 19
    assert r2018["definition_changed"] == False  # noqa: E712  both "HSCL-25"
    # 2022 follows the 2021 extra survey: 35 − 45
    assert one(table, "alvorlige_psykiske_symptomplager", "alle", 2022)["change_pp"] == -10
    assert one(table, "ensomhet_minst_ett_av_tre_ofte", "alle", 2021)["change_pp"] == 25  # 54 − 29


@pytest.mark.skipif(not SHOT.exists(), reason="shared raw data not available")
def test_region_is_compared_with_the_national_figure():
    table = wellbeing_indicators(real_shot())
    bergen = one(table, "alvorlige_psykiske_symptomplager", "Bergen (Sammen)", 2022)
    assert bergen["scope"] == "region"
    # 33 % in Bergen against 35 % nationally
    assert bergen["national_value_pct"] == 35 and bergen["difference_to_national_pp"] == -2
    assert one(table, "mye_helseplager", "kvinner", 2022)["scope"] == "national"
    assert one(table, "mye_helseplager", "kvinner", 2022)["gender"] == "women"
    assert len(table) == 29  # every row of the file, none dropped


def test_scope_from_group_names():
    scope, place, gender = scope_of(pd.Series(["alle", "menn", "NTNU", "Universitetet i Bergen", "Bergen (Sammen)"]))
    assert scope.tolist() == ["national", "national", "institution", "institution", "region"]
    assert place.isna().tolist() == [True, True, False, False, False]
    assert gender.tolist() == ["all", "men", "all", "all", "all"]


def test_totalt_is_all_students_nationally_not_a_region_named_totalt():
    """SSB's and SHoT's tables head the all-students column "Totalt": read as a place it was a
    region "Totalt" compared with the national figure of all students (itself)."""
    scope, place, gender = scope_of(pd.Series(["Totalt", "total", "Alle", "Kvinner og menn"]))
    assert scope.tolist() == ["national"] * 4
    assert place.isna().all()
    assert gender.tolist() == ["all"] * 4


def test_a_national_group_spelt_two_ways_is_one_group_with_a_change():
    """ "alle" in one wave and "Alle" (or "Totalt") in the next were two groups: the later wave
    had no previous one ("første bølge i datagrunnlaget") and no change. By hand: 54 − 29 = 25
    points from 2018 to 2021, 24 − 17 = 7 for women."""
    table = wellbeing_indicators(
        shot(
            [
                (2018, "ensomhet", "alle", 29, "samme 3 ledd"),
                (2021, "ensomhet", "Alle", 54, "samme 3 ledd"),
                (2022, "ensomhet", "Totalt", 50, "samme 3 ledd"),
                (2018, "ensomhet", "kvinner", 17, "samme 3 ledd"),
                (2021, "ensomhet", "Kvinner", 24, "samme 3 ledd"),
            ]
        )
    )
    rows = {(r["group"], int(r["year"])): r for _, r in table.iterrows()}
    assert set(rows) == {("alle", 2018), ("alle", 2021), ("alle", 2022), ("kvinner", 2018), ("kvinner", 2021)}
    assert rows["alle", 2021]["previous_year"] == 2018 and rows["alle", 2021]["change_pp"] == 25
    assert rows["alle", 2022]["previous_year"] == 2021 and rows["alle", 2022]["change_pp"] == -4
    assert rows["kvinner", 2021]["change_pp"] == 7


def test_definition_part():
    notes = pd.Series(["HSCL-25, SHoT-terskel (se README); tall som gjengitt i SHoT 2022", "HSCL-25 (SHoT 2014)", None])
    assert definition_part(notes).tolist()[:2] == ["hscl-25, shot-terskel", "hscl-25"]
    assert pd.isna(definition_part(notes).iloc[2])


def test_a_value_above_100_percent_is_refused():
    with pytest.raises(InputError):
        wellbeing_indicators(shot([(2018, "x", "alle", 120, None)]))


def test_a_change_carries_the_sources_remark_on_the_wave_it_is_measured_against():
    """The national file's 2021 row of serious psychological distress reads "HSCL-25;
    tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir 48)": 2022's 35 % is 10 points below
    an extra survey during the pandemic, which the change's words say (the remark after the ";",
    as written: its bracket is a second source's figure). 2021 is measured against 2018, whose
    remark is "tall ved lansering 2018 (senere gjengitt som 32 i 2021-presse)". A wave with no
    remark (2014: "HSCL-25 (SHoT 2014)") gives none to the next."""
    from analysis.charts.labels import change_words, previous_wave_words

    table = wellbeing_indicators(real_shot())
    y2022 = one(table, "alvorlige_psykiske_symptomplager", "alle", 2022)
    assert y2022["previous_remark"] == "tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir 48)"
    assert change_words(y2022, "nb") + previous_wave_words(y2022, "nb") == (
        "10,0 prosentpoeng lavere enn i 2021 (om 2021 skriver kilden: «tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir 48)»)"
    )
    assert (
        one(table, "alvorlige_psykiske_symptomplager", "alle", 2021)["previous_remark"]
        == "tall ved lansering 2018 (senere gjengitt som 32 i 2021-presse)"
    )
    y2018 = one(table, "alvorlige_psykiske_symptomplager", "alle", 2018)
    assert y2018["previous_year"] == 2014 and pd.isna(y2018["previous_remark"])
    assert previous_wave_words(y2018, "en") == ""


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_workbooks_change_in_words_carries_the_remark_the_page_does(lang):
    """The SHoT sheet of the workbook (and the notebook's table, ``tables.WELLBEING``) words a
    change as the page's SHoT table and findings do: 2022's 35 % against 2021's 45 % with the
    source's remark on 2021 ("HSCL-25; tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir
    48)"). It gave the change without the remark, so the workbook did not say what the page says."""
    from analysis.charts.labels import change_words, label, previous_wave_words
    from analysis.report import tables as t

    table = wellbeing_indicators(real_shot())
    people = t.people_table(table, t.WELLBEING, lang).frame
    row = people[(people[label("col_wave", lang)] == 2022) & (people[label("col_group", lang)].isin(["alle", "all"]))]
    row = row[row[label("col_definition_note", lang)].str.startswith("HSCL-25")]
    y2022 = one(table, "alvorlige_psykiske_symptomplager", "alle", 2022)
    words = change_words(y2022, lang) + previous_wave_words(y2022, lang)
    assert "tilleggsundersøkelse under pandemien" in words
    assert row[label("col_change_text", lang)].tolist() == [words]


def test_a_national_group_with_a_qualifier_is_not_merged_with_the_group_without():
    """ "Kvinner 18-24" (women aged 18-24 nationally) is not "kvinner" (all women): given under
    "kvinner" as well since 1b53e66, the two were one group, 2021's two figures a conflict (24 and
    30: no change for either) and the age group's figure a change from all women's 2018. By hand:
    all women 24 − 17 = 7 points; the age group has no earlier wave; a region's women are set
    against all women (19 − 24 = −5), not against the age group too."""
    table = wellbeing_indicators(
        shot(
            [
                (2018, "ensomhet", "kvinner", 17, "samme 3 ledd"),
                (2021, "ensomhet", "Kvinner", 24, "samme 3 ledd"),
                (2021, "ensomhet", "Kvinner 18-24", 30, "samme 3 ledd"),
                (2021, "ensomhet", "Bergen (Sammen), kvinner", 19, "samme 3 ledd"),
                # a mark without a number is no other group: 54 − 29 = 25 points
                (2018, "ensomhet", "alle", 29, "samme 3 ledd"),
                (2021, "ensomhet", "Alle*", 54, "samme 3 ledd"),
            ]
        )
    )
    assert not table["conflicting"].any()
    assert one(table, "ensomhet", "alle", 2021)["change_pp"] == 25
    women = one(table, "ensomhet", "kvinner", 2021)
    assert women["change_pp"] == 7
    young = table[table["value_pct"] == 30].iloc[0]
    assert young["group"] != "kvinner" and young["scope"] == "national" and young["gender"] == "women"
    assert pd.isna(young["previous_year"]) and pd.isna(young["change_pp"])
    bergen = table[table["value_pct"] == 19].iloc[0]
    assert bergen["national_value_pct"] == 24 and bergen["difference_to_national_pp"] == -5


def test_a_remark_naming_another_institution_is_left_out_of_that_institution_s_notes_only():
    """A bracket or a remark after a ";" that names an institution is that institution's remark:
    kept in its own report (by any of its names), left out of another's; the definition before
    the first ";" and remarks naming no institution stay as written ("inn" is a word, not INN)."""
    notes = pd.Series(
        [
            "HSCL-25; tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir 48)",
            "HSCL-25; tall ved lansering 2018 (senere gjengitt som 32 i 2021-presse)",
            "3 ledd; tall fra Universitetet i Bergen; gikk inn i 2018-målet",
            None,
        ]
    )
    ntnu = ("NTNU", "Norges teknisk-naturvitenskapelige universitet", "1150")
    assert without_others_remarks(notes, ntnu).tolist()[:3] == [
        "HSCL-25; tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir 48)",
        "HSCL-25; tall ved lansering 2018 (senere gjengitt som 32 i 2021-presse)",
        "3 ledd; gikk inn i 2018-målet",
    ]
    uit = ("1130", "Universitetet i Tromsø - Norges arktiske universitet")
    assert without_others_remarks(notes, uit).tolist()[:3] == [
        "HSCL-25; tilleggsundersøkelse under pandemien",
        "HSCL-25; tall ved lansering 2018 (senere gjengitt som 32 i 2021-presse)",
        "3 ledd; gikk inn i 2018-målet",
    ]
    assert pd.isna(without_others_remarks(notes, uit).iloc[3])
    uib = ("1120", "Universitetet i Bergen")
    assert (
        without_others_remarks(notes, uib).iloc[2] == "3 ledd; tall fra Universitetet i Bergen; gikk inn i 2018-målet"
    )


def test_a_remark_is_another_institution_s_only_by_a_name_of_it_as_written():
    """The own institution is known by any of its names as a word ("UiT-tall" is UiT's; a count
    "1130 svar" is not UiT's code); a place ("Nord-Norge") is not Nord universitet; a bracket
    in the definition is the definition's (read as :func:`definition_part` reads it), and a ";"
    inside a kept bracket does not split it."""
    uit = ("Universitetet i Tromsø - Norges arktiske universitet", "Universitetet i Tromsø", "UiT")
    notes = pd.Series(
        [
            "HSCL-25; UiT-tall (UiT oppgir 30)",
            "HSCL-25; tall fra Universitetet i Tromsø; UiB oppgir 1130 svar",
            "HSCL-25; regionalt tall for Nord-Norge",
            "HSCL-25 (terskel som i UiB-studien); regionalt tall",
            "samme 3 ledd (UiT 54,4; UiB 23,6); x (NTNU oppgir 48)",
            "HSCL-25; (NTNU oppgir 48)",
        ]
    )
    assert without_others_remarks(notes, uit).tolist() == [
        "HSCL-25; UiT-tall (UiT oppgir 30)",
        "HSCL-25; tall fra Universitetet i Tromsø",
        "HSCL-25; regionalt tall for Nord-Norge",
        "HSCL-25 (terskel som i UiB-studien); regionalt tall",
        "samme 3 ledd (UiT 54,4; UiB 23,6); x",
        "HSCL-25",
    ]
    # a remark on its own (the previous wave's, read by remark_part) has no definition to keep
    remarks = pd.Series(["tilleggsundersøkelse (NTNU-nyhet oppgir 48)", "NTNU oppgir 48", "2018: 14"])
    kept = without_others_remarks(remarks, uit, definitions=False)
    assert kept.iloc[0] == "tilleggsundersøkelse" and pd.isna(kept.iloc[1]) and kept.iloc[2] == "2018: 14"
