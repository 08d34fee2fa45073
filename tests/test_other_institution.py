"""The report of an institution other than NTNU, read as its quality adviser reads it: one who
has only the national sources (DBH's national export of table 123, Samordna, the portal samples,
SHoT) and the shipped settings.

UiT (1130) is in the national export with its departments named but, without DBH table 210, with
faculties only where DBH names a faculty's own unit (510000): its faculty 610 (Kunstakademiet's)
has no name in any file.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import paths
from analysis.charts.labels import label
from analysis.errors import InputError
from analysis.report.content import report_content
from analysis.report.data import for_faculty, load_report_data
from analysis.report.findings import key_findings
from analysis.report.gender_section import break_notes, policy_line, policy_sentence
from analysis.report.tables import faculty_words
from analysis.report.workbook import notes_table
from analysis.settings import SettingsError, load_settings

SHIPPED_POLICY = "NTNUs politikk for mangfold og likestilling 2018–2021"


@pytest.fixture(scope="module")
def shipped():
    return load_settings(paths.DEFAULT_CONFIG)


@pytest.fixture(scope="module")
def uit(shipped):
    return load_report_data(paths.RAW, None, "1130", settings=shipped)


def test_another_institution_s_report_does_not_cite_ntnu_s_policy_as_its_duty(uit, shipped):
    # the shipped file names NTNU's policy (1150's); UiT's units are not bound by it
    assert shipped.gender.policy == SHIPPED_POLICY
    for lang in ("nb", "en"):
        assert policy_sentence(uit, lang) == label("policy_none", lang)
        assert "NTNU" not in policy_line(uit, lang, "UiT")


def test_ntnu_s_report_still_cites_its_policy(shipped):
    ntnu = load_report_data(paths.RAW, None, "1150", settings=shipped)
    assert policy_sentence(ntnu, "nb") == label("policy_duty", "nb", policy=SHIPPED_POLICY)


def test_the_institution_a_policy_is_of_is_a_dbh_code(tmp_path):
    file = tmp_path / "kvalitet.toml"
    file.write_text('[gender]\npolicy = "UiTs handlingsplan"\npolicy_institution = "1130"\n', encoding="utf-8")
    gender = load_settings(file).gender
    assert (gender.policy_of("1130"), gender.policy_of("1150")) == ("UiTs handlingsplan", "")
    file.write_text("[gender]\npolicy_institution = 1130\n", encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(file)
    assert str(err.value).startswith(f"{file}:2:1: 'policy_institution = 1130' — gender.policy_institution: must be")


def test_a_policy_without_its_institution_is_refused_not_cited_in_every_report(tmp_path):
    # a file from before policy_institution (the shipped policy, no code) made UiT's report tell
    # its units to act under NTNU's policy again: which institution's it is must be said
    file = tmp_path / "kvalitet.toml"
    file.write_text('[gender]\nthreshold_pct = 40\npolicy = "NTNUs plan"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(file)
    assert str(err.value).startswith(f"{file}:3:1: 'policy = \"NTNUs plan\"' — gender.policy: names")
    assert 'policy_institution = "' in str(err.value)
    for empty in ('policy_institution = ""\n', ""):  # the code left empty, or no key at all
        file.write_text(f'[gender]\npolicy = "{SHIPPED_POLICY}"\n{empty}', encoding="utf-8")
        with pytest.raises(SettingsError):
            load_settings(file)
    file.write_text('[gender]\npolicy = ""\npolicy_institution = ""\n', encoding="utf-8")
    assert load_settings(file).gender.policy_of("1130") == ""  # no policy: none cited, no code needed


def test_a_faculty_no_file_names_is_said_to_be_unnamed_not_shown_as_a_bare_code(uit):
    # the follow-up list's group heading (and the workbook's faculty column) over Kunstakademiet
    (faculty,) = uit.flags.loc[uit.flags["unit_code"] == "610230", "faculty_code"].unique()
    assert faculty == "610"
    row = pd.Series({"level": "department", "faculty_code": "610", "faculty_name": None})
    assert faculty_words(row, "nb") == "Enhet uten navn i kildene (610)"
    assert faculty_words(row, "en") == "Unit not named in the sources (610)"
    # a named faculty keeps its name
    named = pd.Series(
        {"level": "department", "faculty_code": "510", "faculty_name": "Det helsevitenskapelige fakultet"}
    )
    assert faculty_words(named, "nb") == "Det helsevitenskapelige fakultet (510)"


def test_the_workbook_s_notes_say_why_a_section_s_sheet_is_empty(uit):
    # UiT has no Studiebarometeret rows in the data (nor integration scores in the national
    # sources alone): its workbook's sheet for them is empty, and the workbook travels without
    # the page that says why
    content = report_content(uit, "nb")
    said = [b for b in content.blocks if b["kind"] == "paragraph" and b["text"].startswith("Ingen ")]
    assert said  # the page says it
    notes = notes_table(content.blocks, "nb").frame
    for block in said:
        assert block["text"] in set(notes[label("col_note", "nb")]), block["text"]


def test_the_key_findings_say_whether_the_institution_as_a_whole_is_below_the_threshold(shipped):
    # By hand from the national file, UiB (1120), spring 2022, category S: 11 368 women and 7 395
    # men (18 763): men 7 395 / 18 763 = 39.41 % < 40 %, the institution as a whole is flagged; it
    # was in the follow-up list ("Hele institusjonen") but no key finding said it
    uib = load_report_data(paths.RAW, None, "1120", settings=shipped)
    assert 7395 / 18763 < 0.40
    now, _ = key_findings(uib, "nb")
    assert (
        "Universitetet i Bergen som helhet har 39,4 % menn (registrerte studenter, vår, kategori S, 2022): "
        "under 40 %." in now
    )
    # UiT's whole cannot be judged: women between 9 466 and 9 481 of 15 793 (a suppressed unit
    # of 15 inside), so men between 39.97 % and 40.06 %
    now, _ = key_findings(load_report_data(paths.RAW, None, "1130", settings=shipped), "nb")
    (whole,) = [s for s in now if "som helhet" in s]
    assert whole.startswith(
        "Universitetet i Tromsø - Norges arktiske universitet som helhet kan ikke vurderes for 2022 "
        "(registrerte studenter, vår, kategori S): "
    )


def test_an_institution_formed_by_a_merger_says_so_where_its_series_starts(shipped):
    # Høgskulen på Vestlandet (0238) was formed on 1 January 2017 of Høgskolen i Bergen (0231),
    # Høgskulen i Sogn og Fjordane (0233) and Høgskolen Stord/Haugesund (0235) (royal decree 17
    # June 2016); the national file has 0238 from 2017 only, and its report's history began in 2017
    # with no word of why nor of where the colleges' earlier figures are
    hvl = load_report_data(paths.RAW, None, "0238", settings=shipped)
    assert int(hvl.flags.loc[hvl.flags["level"] == "institution", "year"].min()) == 2017
    (note,) = [n for n in break_notes(hvl, "nb") if "2017" in n]
    assert note.startswith("Høgskulen på Vestlandet ble til i 2017 ved sammenslåing av ")
    for college in (
        "Høgskolen i Bergen (0231)",
        "Høgskolen i Sogn og Fjordane (0233)",
        "Høgskolen Stord/Haugesund (0235)",
    ):
        assert college in note
    # a series that runs across its mergers keeps its break notes, and gets no such line (UiT)
    uit = load_report_data(paths.RAW, None, "1130", settings=shipped)
    assert not [n for n in break_notes(uit, "nb") if "ble til" in n]


def test_an_unknown_faculty_is_refused_with_the_faculties_by_code_never_a_name_nan(uit):
    # UiT's faculties 550 and 610 have no name in any file of the national sources
    with pytest.raises(InputError) as err:
        for_faculty(uit, "999")
    text = str(err.value)
    assert "no faculty 999 in the gender data of institution 1130" in text
    assert "nan" not in text.split("give one of")[1]
    assert "610" in text and "510 Det helsevitenskapelige fakultet" in text


def test_the_faculties_offered_are_the_report_year_s_first_and_an_old_one_needs_its_year(uit):
    """UiT's list of faculties began with 17 gone by 2009 (205 Examen philosophicum …) before its
    seven of 2022. The faculties of the report year come first; the others after, each with its
    years and how to have it (--year). An old faculty in a year it has no data for is refused
    as an institution is (a report of "no data" in every section), saying the years it has."""
    with pytest.raises(InputError) as err:
        for_faculty(uit, "999")
    text = str(err.value)
    now, _, other = text.partition("; or one of other years with --year in its years: ")
    assert now.endswith(
        "give one of the faculties of 2022: 510 Det helsevitenskapelige fakultet, 520 Fakultet for naturvitenskap og "
        "teknologi, 530 Fakultet for humaniora, samfunnsvitenskap og lærerutdanning, 540 Fakultet for biovitenskap, "
        "fiskeri og økonomi, 560 Det juridiske fakultet, 580 Fakultet for ingeniørvitenskap og teknologi, 610"
    )
    assert other.startswith("205 Examen philosophicum (")
    assert "255 Det medisinske fakultet (1997–2009)" in other and "510" not in other
    # every faculty offered once, in one of the two lists
    # (it checked only that each code is somewhere in the text: a faculty listed twice passed)
    offered = [c for c in uit.flags["faculty_code"].dropna().unique() if c != "000"]
    listed = re.findall(r"(?:: |, )(\d{3})(?=[ ,;)]|$)", text.split("give one of")[1])
    assert sorted(listed) == sorted(offered)

    with pytest.raises(InputError) as err:
        for_faculty(uit, "255")
    text = str(err.value)
    assert "faculty 255 has no data for 2022: its data are of 1997–2009" in text
    assert "give --year 2009 or another year of its data, or a faculty of 2022: 510 " in text


def test_a_share_known_as_an_interval_never_reads_as_one_value_twice():
    # NTNU as a whole in 2022 (--year 2022): women 22 773–22 784 of 43 823, so men 21 039–21 050,
    # 48,009–48,034 %; the key finding read "NTNU som helhet har 48,0–48,0 % menn": an interval
    # said as one number twice. Written with as many decimals as tell the ends apart.
    from analysis.charts.labels import interval_text

    assert interval_text(21039 / 43823, 21050 / 43823, "nb") == "48,01–48,03 %"
    assert interval_text(0.336, 0.337, "nb") == "33,6–33,7 %"  # ends apart at one decimal: as before


def test_an_institution_whose_total_is_not_known_is_said_to_be_unknown_not_a_crash(uit):
    # the "as a whole" finding passes over an empty institution (total 0); a total the data do not
    # give (NA) is not 0: the finding says it cannot be judged, and comparing NA with 0 stopped the
    # report with "boolean value of NA is ambiguous"
    from dataclasses import replace

    flags = uit.flags.copy()
    whole = (flags["level"] == "institution") & (flags["year"] == uit.year)
    for column in ("total", "suppressed_units", "women_low", "women_high", "share_women", "underrepresented_share"):
        flags.loc[whole, column] = pd.NA  # no counts at all for the whole
    flags.loc[whole, "suppressed_inside"] = None  # and so no masked cells inside it either
    flags.loc[whole, "status"] = "unknown"
    now, _ = key_findings(replace(uit, flags=flags), "nb")
    assert [f for f in now if "som helhet kan ikke vurderes for 2022" in f]


def test_a_shot_remark_quoting_ntnu_s_news_is_not_in_another_institution_s_report(uit):
    """The national file's note on 2021 reads "HSCL-25; tilleggsundersøkelse under pandemien
    (NTNU-nyhet oppgir 48)": UiT's findings quoted NTNU's news beside a national figure. The
    remark on the wave stays; the aside on another institution's news goes, from the findings and
    from the SHoT table's notes alike."""
    findings, _ = key_findings(uit, "nb")
    shot = [f for f in findings if f.startswith("SHoT")]
    assert shot and "«tilleggsundersøkelse under pandemien»" in shot[0]
    assert not [f for f in findings if "NTNU" in f]
    notes = pd.concat([uit.wellbeing["definition_note"], uit.wellbeing["previous_remark"]]).dropna()
    assert "HSCL-25; tilleggsundersøkelse under pandemien" in set(notes)
    assert not notes.str.contains("NTNU").any()


def test_a_section_without_data_of_the_report_year_claims_no_year_in_its_heading(uit):
    """UiT's data hold no Studiebarometeret results: the section was headed "Studiebarometeret
    2022" all the same. Its heading names no year, its text says there are none; a section whose
    figures all come after the report year (SHoT in a 2005 report: the national file's waves are
    2010, 2014, 2018, 2021, 2022 and 2023) names those years in its text."""
    from dataclasses import replace

    from analysis.report.survey_section import survey_section
    from analysis.report.wellbeing_section import wellbeing_section

    scope = f"{uit.institution_short} (egen institusjon)"
    heading, text = survey_section(uit, "nb")[0][:2]
    assert heading["text"] == f"Studiebarometeret – {scope}"
    assert text["text"] == f"Ingen Studiebarometer-resultater for {scope} i datagrunnlaget."
    assert survey_section(uit, "en")[0][0]["text"] == f"Student Survey – {uit.institution_short} (own institution)"

    heading, text = wellbeing_section(replace(uit, year=2005), "nb")[0][:2]
    assert heading["text"] == "Studentenes helse og trivsel (SHoT) – nasjonale tall"
    assert text["text"] == (
        f"Ingen SHoT-tall for {scope} fra 2005 eller tidligere; datagrunnlaget har dem for "
        "2010, 2014, 2018, 2021–2023 (etter rapportåret)."
    )
    # a section with figures of the report year keeps its year
    assert wellbeing_section(uit, "nb")[0][0]["text"].startswith("Studentenes helse og trivsel (SHoT) 2022 – ")


def test_the_gender_section_of_a_year_without_gender_data_claims_no_year_in_its_heading(uit):
    """UiT's registered counts in the national export end with 2022: a 2024 report's gender
    section was headed "Kjønnsbalanse 2024"; its text says the last year with data."""
    from dataclasses import replace

    content = report_content(replace(uit, year=2024), "nb")
    blocks = content.blocks
    at = next(i for i, b in enumerate(blocks) if b.get("id") == "gender")
    scope = f"{uit.institution_short} (egen institusjon)"
    assert blocks[at]["text"] == f"Kjønnsbalanse – {scope}"
    assert blocks[at + 1]["text"].startswith(f"Ingen kjønnsbalansedata for {scope} for 2024 (siste år med data: 2022)")


def test_uit_s_own_shot_remark_stays_in_uit_s_report(national_raw, shipped):
    """UiT is not among the institutions the code knows by name: its data call it "Universitetet
    i Tromsø - Norges arktiske universitet" and its unspecified sub-unit "UiT (uspesifisert
    underenhet)". A remark on a national figure saying "UiT-tall" or "Universitetet i Tromsø"
    is UiT's own and stays in UiT's report; one on another institution goes, even with UiT's
    code as a count in it ("1130 svar")."""
    raw = national_raw
    shot = (paths.RAW / "shot_headline_figures_national.csv").read_text(encoding="utf-8")
    ntnu = "HSCL-25; tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir 48)"
    assert ntnu in shot
    shot = shot.replace(ntnu, "HSCL-25; UiT-tall 30; Universitetet i Tromsø oppgir 31; UiB oppgir 1130 svar")
    (raw / "shot_headline_figures_national.csv").write_text(shot, encoding="utf-8")

    data = load_report_data(raw, 2022, "1130", settings=shipped)
    notes = set(data.wellbeing["definition_note"].dropna())
    assert "HSCL-25; UiT-tall 30; Universitetet i Tromsø oppgir 31" in notes
    assert not [n for n in notes if "UiB" in n]


def test_a_renamed_faculty_is_offered_and_titled_by_its_name_of_the_report_year(uit):
    """A faculty code kept through a renaming (as NTNU's faculties were in 2017) is called by its
    name of the report year: the first name in the data (UiT's 510 called by an earlier name in
    2010–2014 here) titled its 2022 report and stood in the list of 2022's faculties."""
    from dataclasses import replace

    flags = uit.flags.copy()
    earlier = (flags["faculty_code"] == "510") & (flags["year"] < 2015)
    flags.loc[earlier, "faculty_name"] = "Det medisinske og helsefaglige fakultet"
    renamed = replace(uit, flags=flags)
    assert for_faculty(renamed, "510").faculty_name == "Det helsevitenskapelige fakultet"
    assert for_faculty(replace(renamed, year=2012), "510").faculty_name == "Det medisinske og helsefaglige fakultet"
    with pytest.raises(InputError) as err:
        for_faculty(renamed, "999")
    assert "faculties of 2022: 510 Det helsevitenskapelige fakultet, 520 " in str(err.value)
    assert "medisinske og helsefaglige" not in str(err.value)


def test_an_old_faculty_is_refused_with_the_years_it_has_gaps_and_all(uit):
    """A faculty's years are said as they are: "from 2010 to 2018" hid that 2013 has none."""
    from dataclasses import replace

    flags = uit.flags[~((uit.flags["faculty_code"] == "550") & (uit.flags["year"] == 2013))]
    with pytest.raises(InputError) as err:
        for_faculty(replace(uit, flags=flags), "550")
    assert "faculty 550 has no data for 2022: its data are of 2010–2012, 2014–2018" in str(err.value)


def test_a_report_year_before_all_gender_data_says_the_data_come_after_it(shipped):
    """UiT's registered counts start in 1989. A 1985 report (--allow-empty) said "Ingen
    kjønnsbalansedata … for 1985 (siste år med data: 2022)", as if 2022 were before 1985; it says
    the years come after the report year, as the other sections do, in the follow-up list and
    the gender section alike."""
    data = load_report_data(paths.RAW, 1985, "1130", settings=shipped, allow_empty=True)
    texts = [b.get("text") for b in report_content(data, "nb").blocks]
    scope = f"{data.institution_short} (egen institusjon)"
    said = (
        f"Ingen kjønnsbalansedata for {scope} fra 1985 eller tidligere; datagrunnlaget har dem for 1989–2022 "
        "(etter rapportåret)."
    )
    assert texts.count(said) == 2
    assert not [t for t in texts if t and "siste år med data" in t]
