"""One rule for which institution a text names and for the names of an institution
(``analysis.institutions``): SHoT's groups and remarks, the report's own rows and the integration
extract's rows read by it alike."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import paths
from analysis.metrics.wellbeing import scope_of, without_others_remarks
from analysis.report.data import load_report_data
from analysis.report.integration_section import integration_scores
from analysis.settings import load_settings


def test_an_institution_dbh_names_is_an_institution_as_a_shot_group_without_a_word_of_its_kind():
    """DBH's national table 123 lists Noroff (1409) and Barratt Due Musikkinstitutt (8227) as
    institutions (data/reference/dbh_institusjonsnavn.csv): a SHoT figure for them is an
    institution's, not a region's compared as a student-welfare area."""
    scope, place, _gender = scope_of(pd.Series(["Noroff", "Barratt Due Musikkinstitutt", "Bergen (Sammen)"]))
    assert scope.tolist() == ["institution", "institution", "region"]
    assert place.tolist() == ["Noroff", "Barratt Due Musikkinstitutt", "Bergen (Sammen)"]


def test_a_place_that_is_also_an_abbreviation_is_read_alike_as_a_group_and_in_a_remark():
    """ "Nord", "Inn" and "Kristiania" are places as well as the abbreviations of Nord universitet,
    INN and Høyskolen Kristiania. A remark naming them was kept as naming no institution, while a
    group of the same word was an institution: one rule now, a place either way (named in full,
    "Nord universitet", it is an institution)."""
    places = ["Nord", "Inn", "Kristiania"]
    scope, _place, _gender = scope_of(pd.Series([*places, "Nord universitet", "UiT", "NTNU, kvinner"]))
    assert scope.tolist() == ["region"] * 3 + ["institution"] * 3
    remarks = pd.Series([f"HSCL-25; tall fra {p}" for p in places])
    assert without_others_remarks(remarks, ["NTNU"]).tolist() == remarks.tolist()


def test_the_integration_extract_s_row_written_as_uit_s_data_names_it_is_uit_s_own(national_raw):
    """UiT (1130) is not among the institutions the code knows by name. Its data call it
    "Universitetet i Tromsø - Norges arktiske universitet" and its unspecified sub-unit "UiT
    (uspesifisert underenhet)": an extract row "UiT" or "Universitetet i Tromsø" is UiT's own in
    its report, as a SHoT remark saying so already was; only the whole DBH name counted there."""
    raw = national_raw
    extract = (paths.RAW / "seed_studiebarometeret_2017_integrering.csv").read_text(encoding="utf-8")
    extract += "Masterstudenter;UiT;3,1;3,0\nBachelorstudenter;Universitetet i Tromsø;3,3;3,2\n"
    (raw / "seed_studiebarometeret_2017_integrering.csv").write_text(extract, encoding="utf-8")

    data = load_report_data(raw, 2017, "1130", settings=load_settings(paths.DEFAULT_CONFIG))
    scores, own, _group = integration_scores(data)
    assert scores is not None and own == data.institution_short
    mine = scores[scores["institution"] == own]
    assert sorted(zip(mine["level"], mine["academic"])) == [("bachelor", 3.3), ("master", 3.1)]
    # NTNU's rows stay NTNU's
    assert (scores["institution"] == "NTNU").sum() == 2


def test_an_institution_s_names_without_its_data_are_dbh_s_and_each_part_of_them():
    """With no data of its own (a report with --allow-empty), UiT's names are DBH's for its code
    (data/reference/dbh_institusjonsnavn.csv: "Universitetet i Tromsø - Norges arktiske
    universitet;1130") and each part of it, as they are from its data, and its known abbreviation: a SHoT remark saying
    "Universitetet i Tromsø oppgir 31" is its own, one on NTNU's news is not."""
    from analysis.institutions import names_of

    assert names_of("1130") == (
        "Universitetet i Tromsø - Norges arktiske universitet",
        "UiT",
        "Universitetet i Tromsø",
        "Norges arktiske universitet",
    )
    notes = pd.Series(["HSCL-25; Universitetet i Tromsø oppgir 31; NTNU-nyhet oppgir 48"])
    assert without_others_remarks(notes, names_of("1130")).tolist() == ["HSCL-25; Universitetet i Tromsø oppgir 31"]


def test_a_part_of_one_institution_s_name_that_another_goes_by_is_neither_s():
    """DBH names 1402 "Høyskolen Kristiania - Norges Kreative Høyskole" and 1403 "Høyskolen
    Kristiania - Norges Helsehøyskole", while "Høyskolen Kristiania" is its name of 8253
    (data/reference/dbh_institusjonsnavn.csv); "Unit" is a part of both 1142's and 1145's names. A
    part of a name two codes go by is no name of either, as a whole name two codes had is not:
    Høyskolen Kristiania's rows are 8253's alone, not taken by the report of 1402 or 1403."""
    from analysis.institutions import names_of
    from analysis.report.data import own_rows

    rows = pd.DataFrame({"institution_code": [pd.NA] * 2, "institution_name": ["Høyskolen Kristiania", "Unit"]})
    assert own_rows(rows, "8253").tolist() == [True, False]
    for code in ("1402", "1403", "1142", "1145"):
        assert own_rows(rows, code).tolist() == [False, False], code
    assert "Norges Helsehøyskole" in names_of("1403")
    assert "Medisinsk fakultet" in names_of("1145")


def test_a_remark_naming_a_longer_name_of_another_institution_does_not_name_the_shorter():
    """DBH names 0253 "Høgskolen i Oslo" and 0257 "Høgskolen i Oslo og Akershus"
    (data/reference/dbh_institusjonsnavn.csv): a remark quoting HiOA's figure is HiOA's, not
    HiO's, though HiO's whole name begins it; one quoting HiO itself stays HiO's."""
    from analysis.institutions import names_of

    notes = pd.Series(["HSCL-25; Høgskolen i Oslo og Akershus oppgir 30", "HSCL-25; Høgskolen i Oslo oppgir 28"])
    assert without_others_remarks(notes, names_of("0253")).tolist() == [
        "HSCL-25",
        "HSCL-25; Høgskolen i Oslo oppgir 28",
    ]
    assert without_others_remarks(notes, names_of("0257")).tolist() == [
        "HSCL-25; Høgskolen i Oslo og Akershus oppgir 30",
        "HSCL-25",
    ]


def test_a_remark_by_an_institution_s_known_abbreviation_is_its_own_written_as_one():
    """ "HVL" names an institution (the module's abbreviations) and is Høgskulen på Vestlandet's
    (DBH 0238): its report, from the national export, which never writes "HVL", dropped its own
    "HVL oppgir 30" as another institution's, as INN's (0264, whose data say "HINN") dropped
    "INN oppgir 26". Written as a word ("flere søker inn") it names no one: INN's report keeps no
    other institution's remark for it."""
    from analysis.institutions import names_of

    national = pd.read_csv(
        paths.RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv",
        sep=";",
        dtype=str,
        usecols=["Institusjonskode", "Institusjonsnavn", "Avdelingskode", "Avdelingsnavn"],
    ).set_axis(["institution_code", "institution_name", "unit_code", "unit_name"], axis=1)

    def own(code: str) -> tuple[str, ...]:
        return names_of(code, national[national["institution_code"] == code])

    assert without_others_remarks(pd.Series(["HSCL-25; HVL oppgir 30"]), own("0238")).tolist() == [
        "HSCL-25; HVL oppgir 30"
    ]
    notes = pd.Series(["HSCL-25; INN oppgir 26", "HSCL-25; NTNU-nyhet: flere søker inn"])
    assert without_others_remarks(notes, own("0264")).tolist() == ["HSCL-25; INN oppgir 26", "HSCL-25"]


def test_hoegskole_and_hoyskole_are_one_word_in_a_table_s_cell_and_in_a_remark():
    """The 2017 integration extract writes "Steinerhøgskolen" and "Norges dansehøgskole"; DBH
    names 8225 "Steinerhøyskolen" and 8228 "Norges dansehøyskole"
    (data/reference/dbh_institusjonsnavn.csv): the same names in the word's two spellings, in a
    table's institution cell and in a SHoT remark alike."""
    from analysis.institutions import is_institution, names_of

    cells = pd.Series(["Steinerhøgskolen", "Norges dansehøgskole", "Steinerhøyskolen", "Kunsthøgskolen"])
    assert is_institution(cells, "8225", names_of("8225")).tolist() == [True, False, True, False]
    assert is_institution(cells, "8228", names_of("8228")).tolist() == [False, True, False, False]
    notes = pd.Series(["HSCL-25; Steinerhøgskolen oppgir 31; Norges dansehøgskole oppgir 12"])
    assert without_others_remarks(notes, names_of("8225")).tolist() == ["HSCL-25; Steinerhøgskolen oppgir 31"]


def test_an_institution_s_short_name_is_written_once_and_is_one_of_its_names():
    """NTNU and NMBU were listed twice, as known institutions with their names and among the
    abbreviations: one list now. A short name the report titles an institution by is one of its
    abbreviations and so one of its names, and its full name is DBH's
    (data/reference/dbh_institusjonsnavn.csv)."""
    from analysis.institutions import INSTITUTION_ABBREVIATIONS, SHORT_NAMES, names_of

    dbh = pd.read_csv(paths.REFERENCE / "dbh_institusjonsnavn.csv", sep=";", dtype=str)
    for code, short in SHORT_NAMES.items():
        assert INSTITUTION_ABBREVIATIONS[short] == code
        latest = dbh[dbh["Institusjonskode"] == code].sort_values("Siste årstall")["Institusjonsnavn"].iloc[-1]
        assert {short, latest} <= set(names_of(code)), code
    assert names_of("1150").count("NTNU") == 1


def test_a_name_dbh_gave_two_codes_is_the_one_s_that_had_it_last():
    """DBH names two codes alike at different times (data/reference/dbh_institusjonsnavn.csv):
    "Høyskolen for dansekunst" 1408 in 2016–2018 and 8254 in 2019–2022, "Samisk høgskole" 5204 in
    1993–1994 and 0217 in 1995–2022, "Høgskolen i Harstad" 2212 in 1992–1994 and 0213 in
    1994–2015. Such a name was neither's, so a report of 8254 without name columns in its data
    dropped its own "Høyskolen for dansekunst oppgir 12" as another's. A name without a year is
    the code's that had it last, as the readers give a name without a year its code
    (analysis.readers.institution_names.institution_codes)."""
    from analysis.institutions import names_of
    from analysis.readers.institution_names import institution_codes

    shared = {"Høyskolen for dansekunst": ("8254", "1408"), "Samisk høgskole": ("0217", "5204")}
    shared["Høgskolen i Harstad"] = ("0213", "2212")
    for name, (latest, earlier) in shared.items():
        assert name in names_of(latest) and name not in names_of(earlier), name
        notes = pd.Series([f"HSCL-25; {name} oppgir 12"])
        assert without_others_remarks(notes, names_of(latest)).tolist() == notes.tolist()
        assert without_others_remarks(notes, names_of(earlier)).tolist() == ["HSCL-25"]
    # the readers' rule, the same answer
    codes, _warnings = institution_codes(paths.RAW, pd.Series(list(shared)), np.arange(3), "Institusjon")
    assert codes.tolist() == [latest for latest, _earlier in shared.values()]


def _codes_of_one_name(name, years):
    """A name's codes in each of ``years`` as ``codes_of_name`` gave them before 2026-12-05, the
    name keyed alone: the reference ``codes_of_each`` answers as."""
    from analysis.readers.institution_names import INSTITUTION_NAMES, _codes_in, _spans_by_name, name_key

    spans = _spans_by_name(INSTITUTION_NAMES).get(str(name_key(pd.Series([name], dtype="string")).iloc[0]))
    return [_codes_in(spans, year) if spans else [] for year in years]


def test_each_of_many_names_gets_the_codes_it_gets_alone_in_every_year():
    """``codes_of_each`` keys its names together: each name gets the codes it gets alone, for every
    one of DBH's names (data/reference/dbh_institusjonsnavn.csv), the same names written otherwise
    (case, spacing, dash), names DBH does not know, a missing name and repeats, in years before,
    within and after the table and with none; the three names two codes had over time are the
    later code's with no year, the nearer code's in a year, both codes' in the year they shared
    it (Harstad 1994)."""
    from analysis.institutions import _dbh_table
    from analysis.readers.institution_names import codes_of_each

    dbh = list(dict.fromkeys(_dbh_table()["Institusjonsnavn"]))
    assert len(dbh) > 100  # the real table, not an empty one
    names = [*dbh, *(n.upper() for n in dbh), *(f"  {n.replace(' ', '  ')} " for n in dbh)]
    dashed = [n.replace("-", "\u2013") for n in dbh if "-" in n]
    assert dashed  # OsloMet - storbyuniversitetet, ...
    names += [*dashed, "Nowhere University", "", None, dbh[0], dbh[0]]
    years = (None, 1980, 1994, 2010, 2018, 2019, 2022, 2030)
    alone = [_codes_of_one_name(n, years) for n in names]
    for i, year in enumerate(years):
        assert codes_of_each(names, year) == [codes[i] for codes in alone], year
    shared = ["Høyskolen for dansekunst", "Samisk høgskole", "Høgskolen i Harstad"]
    assert codes_of_each(shared) == [["8254"], ["0217"], ["0213"]]
    assert codes_of_each(shared, 1994) == [["1408"], ["5204"], ["0213", "2212"]]  # 1408's 2016 is nearer


def test_dbh_names_take_each_name_s_code_by_the_readers_rule():
    """Every name DBH gives a code is that code's by the rule the readers give a name its code
    (the name alone, no year: its latest year); a name two codes had is the later one's."""
    from analysis import institutions

    table = institutions._dbh_table()
    expected: dict[str, tuple[str, ...]] = {}
    for name in dict.fromkeys(table["Institusjonsnavn"]):
        (codes,) = _codes_of_one_name(name, [None])
        if len(codes) == 1:
            expected[codes[0]] = (*expected.get(codes[0], ()), name)
    assert len(expected) > 100  # the real table, not an empty one
    assert institutions._dbh_names() == expected
    assert "Høyskolen for dansekunst" in expected["8254"] and "Høyskolen for dansekunst" not in expected.get("1408", ())
