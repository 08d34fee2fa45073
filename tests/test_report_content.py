"""The report's content for one year, derived by hand from the embedded raw files.

Expected values are computed here from the raw DBH-API JSON, DBH's national table-123 export
(department names; institutions with no file of their own), Samordna opptak's national
key-figures excerpt and programme sample, and the seed's integration table with plain Python
and the policy's rule (under-represented gender below 40 %, compared exactly) — not with the
metric code. No notebooks run: the content is built in-process once per module.
"""

from __future__ import annotations

import csv
import json
import math
import re
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.charts.labels import confidence_levels, label
from analysis.errors import InputError
from analysis.report.content import report_content
from analysis.report.data import load_report_data
from analysis.report.gender_section import followup_units

RAW = paths.RAW
THRESHOLD = Fraction(2, 5)
NTNU = "Norges teknisk-naturvitenskapelige universitet"


# --- the raw files, read by hand -------------------------------------------------------------


def dbh_rows() -> list[dict]:
    """DBH table 123 for NTNU: (year, department, total, women, men) as integers."""
    data = json.loads((RAW / "dbh_api" / "dbh_api_t123_1150.json").read_text(encoding="utf-8"))
    return [
        {
            "year": int(r["Årstall"]),
            "code": r["Avdelingskode"],
            "total": int(r["Antall totalt"]),
            "women": int(r["Antall kvinner"]),
            "men": int(r["Antall menn"]),
        }
        for r in data[1:]
    ]


def faculty_names() -> dict[str, str]:
    data = json.loads((RAW / "dbh_api" / "dbh_api_t210_1150.json").read_text(encoding="utf-8"))
    # the name valid in autumn 2025 (validity codes are year + semester digit)
    return {
        r["Fakultetskode"]: r["Fakultetsnavn"]
        for r in data[1:]
        if int(r["Gyldig fra"]) <= 20253 <= int(r["Gyldig til"])
    }


def suppressed(r: dict) -> bool:  # DBH without a token: women = men = 0 while the total is not
    return r["women"] == 0 and r["men"] == 0 and r["total"] > 0


def below(under: int, total: int) -> bool:
    """The policy: under / total < 2/5, compared exactly."""
    return Fraction(under, total) < THRESHOLD


def needed(under: int, total: int) -> int:
    """The fewest k with (under + k) / (total + k) >= 2/5, the other gender unchanged."""
    return next(k for k in range(0, 10 * total + 1) if Fraction(under + k, total + k) >= THRESHOLD)


def judged_departments(year: int) -> dict[str, tuple[str, int, int]]:
    """Department -> (under-represented gender, its count, total) for units with exact counts."""
    out = {}
    for r in dbh_rows():
        if r["year"] != year or r["total"] == 0 or suppressed(r):
            continue
        gender = "women" if r["women"] < r["men"] else "men"
        out[r["code"]] = (gender, min(r["women"], r["men"]), r["total"])
    return out


NATIONAL_123 = RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
SEMESTER_WORDS = {"3": "autumn", "1": "spring", "2": "summer"}  # DBH's codes; the order is the policy's preference


def national_rows(institution: str) -> list[dict]:
    """DBH's national table-123 export, one institution's rows as they are (all strings)."""
    with NATIONAL_123.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f, delimiter=";") if r["Institusjonskode"] == institution]


def department_names(year: int) -> dict[str, str]:
    """NTNU department -> its name, for ``year``: the NTNU JSON names no department, so the name
    is the one DBH's national export gives in the year nearest ``year`` (ties: the earlier year;
    within a year autumn, then spring)."""
    best: dict[str, tuple[tuple[int, int, int], str]] = {}
    for r in national_rows("1150"):
        y = int(r["Årstall"])
        rank = (abs(y - year), int(y > year), list(SEMESTER_WORDS).index(r["Semester"]))
        if r["Avdelingskode"] not in best or rank < best[r["Avdelingskode"]][0]:
            best[r["Avdelingskode"]] = (rank, r["Avdelingsnavn"])
    return {code: name for code, (_, name) in best.items()}


def unit_cell(code: str, names: dict[str, str]) -> str:
    """ "Name (code)" where the data names the unit; where it does not, the report says so beside
    the code (a bare code would read as a name). A department <faculty>000 is the faculty's own
    unit (DBH names it as the faculty): the name says so."""
    if code not in names:
        return f"Enhet uten navn i kildene ({code})"
    own = " – fakultetets egen enhet" if code.endswith("000") and code != "000000" else ""
    return f"{names[code]}{own} ({code})"


def samordna_2025() -> dict[str, tuple[str, float]]:
    """NTNU's programmes with a 2025 figure, code -> (name, % women among first-choice applicants),
    from both Samordna files: the national key-figures excerpt (the "Førstevalgssøkere (kvinner)"
    record, ``"5,3 %"`` with a no-break space) and the 16-programme sample. One count in two files:
    the report shows every programme of either; a programme in both must agree."""
    out: dict[str, tuple[str, float]] = {}
    records = json.loads(
        (RAW / "samordna_national" / "so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json").read_text(
            encoding="utf-8"
        )
    )
    for r in records:
        value = r["2025"]
        if r["Institusjon"] == NTNU and r["Nøkkeltall"] == "Førstevalgssøkere (kvinner)" and value not in (None, "NA"):
            number = value.replace("\xa0", " ").removesuffix("%").strip().replace(",", ".")
            out[r["Studie- kode"]] = (r["Studienavn"], float(number))
    with (RAW / "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["institusjon"] == NTNU and r["aar"] == "2025" and r["forstevalgssokere_kvinner_pct"]:
                share = float(r["forstevalgssokere_kvinner_pct"])
                assert out.get(r["studiekode"], (None, share))[1] == share, r["studiekode"]
                out.setdefault(r["studiekode"], (r["programnavn_beskrivende"], share))
    return out


# --- the content, built once ---------------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    return load_report_data(RAW, None, "1150")


@pytest.fixture(scope="module")
def content(data):
    return report_content(data, "nb")


@pytest.fixture(scope="module")
def english(data):
    return report_content(data, "en")


def block(content, kind: str, id_: str) -> dict:
    (found,) = [b for b in content.blocks if b["kind"] == kind and b.get("id") == id_]
    return found


def unit_rows(table: dict) -> list[list[str]]:
    return [r["cells"] for r in table["rows"] if "cells" in r]


FOLLOWUP_COLUMNS = [
    "Enhet (kode)",
    "Nivå",
    "Mål",
    "Underrepresentert kjønn og andel",
    "Antall i alt",
    "Fagfeltet nasjonalt",
    "Antall som trengs",
    "År på rad",
    "Utvikling",
    "Kilde",
]


def followup_rows(content) -> dict[str, dict[str, str]]:
    """The follow-up list's rows by unit code, each cell under its column's header."""
    table = block(content, "table", "followup")
    assert table["columns"] == FOLLOWUP_COLUMNS
    return {code_of(r[0]): dict(zip(table["columns"], r, strict=True)) for r in unit_rows(table)}


def code_of(cell: str) -> str:
    """The unit's code in a table's unit cell: "Name (code)" ("Enhet uten navn i kildene (code)"
    when no source names it)."""
    match = re.fullmatch(r".*\((\w+)\)", cell)
    return match.group(1) if match else cell


def test_a_share_of_applicants_is_listed_with_its_base_in_applicants(content):
    """Samordna opptak gives first-choice applicants as a count and women among them as a
    percentage: the list shows the count as the share's base ("Antall i alt", in the row's own
    measure: applicants, not students) and "–" for the number needed, which the percentage alone
    cannot give."""
    path = RAW / "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv"
    with path.open(encoding="utf-8") as f:
        (source,) = [r for r in csv.DictReader(f) if r["studiekode"] == "194798" and r["aar"] == "2025"]
    assert float(source["forstevalgssokere_kvinner_pct"]) < 40  # 17,9 %: below the threshold
    row = followup_rows(content)["194798"]
    assert row["Mål"].startswith("førstevalgssøkere")
    assert row["Antall i alt"] == source["forstevalgssokere"]
    assert row["Antall som trengs"] == "–"


# --- one report year -----------------------------------------------------------------------


def test_default_year_is_the_latest_year_of_registered_students(data, content):
    # DBH table 123 runs to 2025; the Samordna sample reaches 2026 (the admission round for
    # autumn 2026), which must not make the report a 2026 report
    assert max(r["year"] for r in dbh_rows()) == 2025
    assert data.year == 2025 and data.year_basis == "registered"
    assert content.title == "Kvalitetsmelding 2025: NTNU"
    assert block(content, "heading", "findings")["text"] == "Hovedfunn 2025"
    # every finding of the year is about 2025; older figures are listed apart, with their year
    assert all("2025" in f for f in content.findings)
    assert all(not any(str(y) in f for y in (2017, 2018, 2022, 2026)) for f in content.findings)
    assert any("2017" in f for f in content.earlier_findings)
    assert any(f.startswith("SHoT 2022, nasjonale tall") for f in content.earlier_findings)
    # 2022 against 2021, an extra survey during the pandemic: said beside the change (the source's remark)
    (shot,) = [f for f in content.earlier_findings if f.startswith("SHoT 2022")]
    assert (
        "lavere enn i 2021 (om 2021 skriver kilden: «tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir 48)»)"
        in shot
    )


@pytest.mark.parametrize("spelling", ["Alle", "ALLE", "Totalt"])
def test_the_shot_headline_finding_reads_all_students_in_any_spelling(data, content, spelling, tmp_path):
    """The headline finding matched the group "alle" exactly: a SHoT file writing "Alle" (or
    "Totalt", SSB's column head) had no SHoT finding. The group is read by the SHoT metric's one
    rule (scope_of). The figure by hand from the raw file: serious psychological distress, all
    students, 2022: 35 %, 2021: 45 %."""
    from dataclasses import replace

    from analysis.metrics.wellbeing import wellbeing_indicators
    from analysis.readers.shot import read_shot
    from analysis.report.findings import key_findings

    raw = (RAW / "shot_headline_figures_national.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(raw.splitlines()))
    value = {
        int(r["aar"]): r["verdi_pct"]
        for r in rows
        if r["indikator"] == "alvorlige_psykiske_symptomplager" and r["gruppe"] == "alle" and int(r["aar"]) >= 2021
    }
    assert value == {2021: "45", 2022: "35"}
    expected = (
        "SHoT 2022, nasjonale tall: alvorlige psykiske symptomplager 35,0 % – 10,0 prosentpoeng lavere enn i 2021 "
        "(om 2021 skriver kilden: «tilleggsundersøkelse under pandemien (NTNU-nyhet oppgir 48)»)."
    )
    assert expected in content.earlier_findings
    written = raw.replace(",alle,", f",{spelling},")
    assert written != raw
    path = tmp_path / "shot_headline_figures_national.csv"
    path.write_text(written, encoding="utf-8")
    wellbeing = wellbeing_indicators(read_shot(path).frame).assign(source_kind="shot-indicators")
    _now, earlier = key_findings(replace(data, wellbeing=wellbeing), "nb")
    assert expected in earlier


def test_the_shot_headline_finding_is_all_students_not_an_age_group_of_them(data, content, tmp_path):
    """A national age group ("Alle 18-24", all students aged 18 to 24) is all students by its
    words, but not the figure of all students: added in the headline's wave, the finding said its
    figure. By hand from the raw file: serious psychological distress, all students, 2022: 35 %
    (2021: 45 %); the age group's 2022 row, 60 %, is one this test adds."""
    from dataclasses import replace

    from analysis.metrics.wellbeing import wellbeing_indicators
    from analysis.readers.shot import read_shot
    from analysis.report.findings import key_findings

    raw = (RAW / "shot_headline_figures_national.csv").read_text(encoding="utf-8")
    line = next(x for x in raw.splitlines() if x.startswith("2022,alvorlige_psykiske_symptomplager,alle,35,"))
    added = line.replace(",alle,35,", ",Alle 18-24,60,")
    path = tmp_path / "shot_headline_figures_national.csv"
    path.write_text(raw.rstrip("\n") + "\n" + added + "\n", encoding="utf-8")
    wellbeing = wellbeing_indicators(read_shot(path).frame).assign(source_kind="shot-indicators")
    _now, earlier = key_findings(replace(data, wellbeing=wellbeing), "nb")
    (shot,) = [f for f in earlier if f.startswith("SHoT 2022")]
    assert "alvorlige psykiske symptomplager 35,0 % – 10,0 prosentpoeng lavere enn i 2021" in shot


def test_the_institution_s_own_programmes_are_its_own_beside_the_extract_that_names_it(data):
    """With the 2017 extract (NTNU by name) and respondent-level scores of the report year (NTNU's
    programmes under its code, 1150, as NOKUT's raw data gives it), the report took "NTNU" as the
    institution's name in the data for every year: its 2025 programmes were not its own (not in
    bold, the title "sammenligningsgruppen"), and a comparison group left them unranked. By hand:
    two NTNU programmes and one of UiB (1120), all three NTNU's own but the last."""
    from dataclasses import replace

    from analysis.report.integration_section import integration_scores, integration_section

    assert data.integration is not None and (data.integration["institution"] == "NTNU").any()
    programmes = pd.DataFrame(
        {
            "source": "respondents",
            "level": "all",
            "institution": ["1150", "1150", "1120"],
            "unit_code": ["MTDT", "000006", "MTDT"],
            "unit_name": ["MTDT", "000006", "MTDT"],
            "year": 2025,
            "academic": [4.5, 4.0, 3.5],
            "social": [4.5, 4.0, 3.5],
            "integration_score": [4.5, 4.0, 3.5],
            "n": 40,
            "suppressed": False,
            # ranked as the metric ranks them (every institution in the data: no group set); a
            # level with none ranked has no chart
            "rank": pd.array([1, 2, 3], dtype="Int64"),
            "units_ranked": 3,
        }
    )
    both = replace(data, integration=pd.concat([data.integration, programmes], ignore_index=True))
    _scores, own, _group = integration_scores(both)
    assert own == "NTNU"  # one name in its every row, however the data writes it
    _blocks, figures, yr, _rows = integration_section(both, "nb")
    assert yr == 2025
    (figure,) = figures
    # UiB by the name DBH's national table 123 gives code 1120, not by the bare code
    assert set(figure.figure.data[2].y) == {
        "<b>MTDT (NTNU)</b>",
        "<b>000006 (NTNU)</b>",
        "MTDT (Universitetet i Bergen)",
    }
    assert "NTNU og sammenligningsgruppen" in figure.figure.layout.title.text
    # a peer group of UiB: NTNU's programmes are ranked among it (they were left unranked)
    peers = replace(both.settings, integration=replace(both.settings.integration, comparison_group=["1120"]))
    ranked, _own, _group = integration_scores(replace(both, settings=peers))
    now = ranked[ranked["year"] == 2025]
    assert now["rank"].notna().all() and set(now["units_ranked"]) == {3}


def test_the_integration_charts_name_the_extract_and_its_retrieval_date(content, english):
    """The 2017 integration extract's source line read "Studiebarometeret, tabell 2017, …,
    hentedato ukjent": the survey year as a table number, and no date though the raw manifest
    dates the file (2018-11-28, the LMU meeting it was transcribed from)."""
    manifest = json.loads((RAW / "MANIFEST.json").read_text(encoding="utf-8"))
    (entry,) = [f for f in manifest["files"] if f["file"] == "seed_studiebarometeret_2017_integrering.csv"]
    assert entry["retrieved"] == "2018-11-28"
    for c, expected in (
        (
            content,
            "Kilde: NOKUT, Studiebarometeret, uttrekk internasjonalisering 2017 (LMU-vedlegg), hentet 2018-11-28",
        ),
        (
            english,
            "Source: NOKUT, Student Survey (Studiebarometeret), internationalisation extract 2017 (LMU appendix), "
            "retrieved 2018-11-28",
        ),
    ):
        captions = [b["caption"] for b in c.blocks if b["kind"] == "figure" and b["name"].startswith("integrering_")]
        assert captions and all(caption == expected for caption in captions), captions


def test_no_id_is_given_twice_in_the_page(content):
    """A section's heading and its table both had the id "followup" ("unknown", "wellbeing"):
    a link to #followup, a screen reader's list of landmarks and a script's query each found
    one of two. Every id of the page (plotly.js's own script text left out) is one element's."""
    from analysis.report.html import render_index

    page = render_index(
        title=content.title,
        lang="nb",
        blocks=content.blocks,
        figure_json={f.name: "{}" for f in content.figures},
        static_files={},
        warnings=content.warnings,
    )
    body = page.split("</head>", 1)[1]
    ids = re.findall(r'<[a-z0-9]+[^>]*\sid="([^"]+)"', body)
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []
    assert "followup" in ids and "table-followup" in ids  # the heading's and the table's


def test_the_department_chart_names_its_level_as_the_finding_counts_it(content):
    """The finding counts "34 av 47 enheter på instituttnivå": DBH's department level holds
    faculties' own units (271000) and the unspecified sub-unit (000000), which are no
    departments. The chart of those units was titled "…, institutt", the appendix's row
    "…, institutt" and each own unit's level in the list "institutt". By hand: the 2025 codes
    with students include XXX000 codes."""
    codes = {r["code"] for r in dbh_rows() if r["year"] == 2025 and r["total"] > 0}
    assert {c for c in codes if c.endswith("000")}
    assert any("enheter på instituttnivå" in f for f in content.findings)
    chart = next(f for f in content.figures if f.name == "kjonn_institutt").figure
    assert chart.layout.title.text.startswith(
        "Kjønnsbalanse 2025, NTNU – registrerte studenter, høst, alle kategorier, instituttnivå"
    )
    history = [r["cells"][0] for r in block(content, "table", "history")["rows"]]
    assert "registrerte studenter, høst, alle kategorier, instituttnivå (DBH tabell 123)" in history
    levels = {code_of(r[0]): r[1] for r in unit_rows(block(content, "table", "followup"))}
    assert levels["210000"] == "instituttnivå" and levels["210630"] == "institutt"
    assert content.tables["gender"]["level"].eq("department").any()  # the machine table keeps the code


def test_follow_up_list_for_2025_holds_exactly_the_flagged_departments(content):
    expected = {code for code, (_, under, total) in judged_departments(2025).items() if below(under, total)}
    listed = set(content.followup.loc[content.followup["level"] == "department", "unit_code"])
    assert listed == expected
    assert len(expected) == 34


def test_follow_up_rows_give_the_under_represented_gender_its_share_and_students_needed(content):
    rows = followup_rows(content)
    names = department_names(2025)
    for code, (gender, under, total) in judged_departments(2025).items():
        if not below(under, total):
            continue
        row = rows[code]
        word = {"women": "kvinner", "men": "menn"}[gender]
        share = f"{100 * under / total:.1f}".replace(".", ",")
        assert row["Enhet (kode)"] == unit_cell(code, names), code
        assert row["Mål"] == "registrerte studenter, høst, alle kategorier", code  # the JSON: autumn, categories summed
        assert row["Underrepresentert kjønn og andel"] == f"{word} {share} %", code
        # the share's base, in the row's measure (DBH's "Antall totalt")
        assert row["Antall i alt"] == str(total), code
        assert row["Antall som trengs"] == str(needed(under, total)), code
        # no NUS codes in the data: the field benchmark is unknown, shown as such, never 0
        assert row["Fagfeltet nasjonalt"] == "–", code
        assert row["Kilde"] == "DBH tabell 123", code
    # e.g. 250000 (medicine): 1450 women, 330 men -> men 18,4 %, (1780·2 − 330·5) / 3 = 636.7 -> 637 …
    # (the exact numbers of each row are checked above against the rule; one is spelled out here)
    r = next(r for r in dbh_rows() if r["year"] == 2025 and r["code"] == "250000")
    k = math.ceil((2 * r["total"] - 5 * r["men"]) / 3)
    assert rows["250000"]["Antall som trengs"] == str(k)


def test_years_in_a_row_and_trend_in_words(content):
    rows = followup_rows(content)
    by_unit: dict[str, dict[int, dict]] = {}
    for r in dbh_rows():
        by_unit.setdefault(r["code"], {})[r["year"]] = r
    for code in ("210630", "220414", "274310", "250630"):
        years = by_unit[code]
        run, y = 0, 2025
        while (
            y in years
            and not suppressed(years[y])
            and years[y]["total"]
            and below(min(years[y]["women"], years[y]["men"]), years[y]["total"])
        ):
            run, y = run + 1, y - 1
        assert rows[code]["År på rad"] == str(run), code
        # least-squares slope of the under-represented gender's share, 2021–2025, in points a year
        gender = "women" if years[2025]["women"] < years[2025]["men"] else "men"
        xs = [y for y in range(2021, 2026) if y in years and years[y]["total"] and not suppressed(years[y])]
        slope = np.polyfit(xs, [100 * years[y][gender] / years[y]["total"] for y in xs], 1)[0]
        direction = "er stabil" if abs(slope) < 1 else ("øker" if slope > 0 else "synker")
        word = {"women": "kvinneandelen", "men": "mannsandelen"}[gender]
        assert rows[code]["Utvikling"] == f"{word} {direction}", (code, slope)


def test_follow_up_list_is_grouped_by_faculty_with_names(content):
    names = faculty_names()
    table = block(content, "table", "followup")
    group = None
    for row in table["rows"]:
        if "group" in row:
            group = row["group"]
            continue
        code = code_of(row["cells"][0])
        if row["cells"][1] == "institutt":
            fac = code[:3]
            assert group == f"{names[fac]} ({fac})", code
    # the faculty itself is named, code beside, first in its group
    assert ["Fakultet for medisin og helsevitenskap (250)", "fakultet"] in [r[:2] for r in unit_rows(table)]


def test_faculty_with_a_suppressed_department_is_an_interval_in_the_list(content):
    """271 (engineering) in 2025: 271740 (9 students) is suppressed. Women are known for the
    rest; every split of the 9 leaves women below 40 %, so the faculty is flagged, and the list
    shows the interval the chart draws, not "–" beside a bar."""
    rows = [r for r in dbh_rows() if r["year"] == 2025 and r["code"].startswith("271")]
    hidden = sum(r["total"] for r in rows if suppressed(r))
    women = sum(r["women"] for r in rows if not suppressed(r))
    men = sum(r["men"] for r in rows if not suppressed(r))
    total = sum(r["total"] for r in rows)
    assert hidden == 9
    assert all(below(min(women + k, men + hidden - k), total) for k in range(hidden + 1))
    low, high = f"{100 * women / total:.1f}", f"{100 * (women + hidden) / total:.1f}"
    row = followup_rows(content)["271"]
    assert row["Underrepresentert kjønn og andel"] == f"kvinner {low}–{high} %".replace(".", ",")


def test_a_faculty_flagged_from_an_interval_needs_a_range_of_students(content):
    """271 in 2025 is flagged for every split of its suppressed 9 students: it needs at least
    the number at the most women the interval allows and at most the number at the fewest, and
    the list gives both, not "–"."""
    rows = [r for r in dbh_rows() if r["year"] == 2025 and r["code"].startswith("271")]
    hidden = sum(r["total"] for r in rows if suppressed(r))
    women = sum(r["women"] for r in rows if not suppressed(r))
    total = sum(r["total"] for r in rows)
    fewest, most = needed(women + hidden, total), needed(women, total)
    assert fewest < most
    assert followup_rows(content)["271"]["Antall som trengs"] == f"{fewest}–{most}"
    notes = [b["text"] for b in content.blocks if b["kind"] == "paragraph" and b["style"] == "note"]
    assert any(n.startswith("Et intervall under «antall som trengs»") for n in notes)


def test_the_workbook_gives_the_students_needed_as_two_numbers(written):
    """The workbook's follow-up sheet is sorted and summed in a spreadsheet: the students needed
    are two numbers, the fewest and the most (a second reader: the one number column was empty
    for 271, "700–715" in the report). 271 in 2025 as the list gives it; an exact unit has the
    same number twice."""
    import openpyxl

    rows = [r for r in dbh_rows() if r["year"] == 2025 and r["code"].startswith("271")]
    hidden = sum(r["total"] for r in rows if suppressed(r))
    women = sum(r["women"] for r in rows if not suppressed(r))
    total = sum(r["total"] for r in rows)
    follow = sheet_rows(openpyxl.load_workbook(written["nb"][0])["Oppfølging 2025"])
    (faculty,) = [r for r in follow if r["Kode"] == "271"]
    assert (faculty["Antall som trengs (minst)"], faculty["Antall som trengs (høyst)"]) == (
        needed(women + hidden, total),
        needed(women, total),
    )
    exact = [r for r in follow if r["Kode"] != "271" and r["Antall som trengs (minst)"] is not None]
    assert exact and all(r["Antall som trengs (minst)"] == r["Antall som trengs (høyst)"] for r in exact)


def test_samordna_programmes_of_2025_by_name_with_code(content):
    programmes = samordna_2025()
    expected = {f"{name} ({code})": pct for code, (name, pct) in programmes.items() if min(pct, 100 - pct) < 40}
    # both files contribute (the excerpt has none of the sample's NTNU programmes)
    assert len(programmes) == 21 and len(expected) == 18
    listed = {r["Enhet (kode)"]: r for r in followup_rows(content).values() if r["Nivå"] == "studieprogram"}
    assert set(listed) == set(expected)
    for unit, pct in expected.items():
        word, share = ("kvinner", pct) if pct < 50 else ("menn", 100 - pct)
        assert listed[unit]["Underrepresentert kjønn og andel"] == f"{word} {share:.1f} %".replace(".", ",")
        assert listed[unit]["Mål"] == "førstevalgssøkere"
        assert listed[unit]["Kilde"] == "Samordna opptak"
    # one finding about the measure, counting the programmes of both files (never one per file)
    about = [f for f in content.findings if "førstevalgssøkere" in f]
    assert about == [
        f"{len(expected)} av {len(programmes)} studieprogrammer i datagrunnlaget har under 40 % av det "
        "underrepresenterte kjønnet (førstevalgssøkere, 2025)."
    ]
    # units without a faculty in the source are grouped as such, never left out
    groups = [r["group"] for r in block(content, "table", "followup")["rows"] if "group" in r]
    assert groups[-1] == "Fakultet ikke oppgitt i kilden"


def test_older_figures_are_not_in_the_follow_up_list(content):
    # the seed's admission table ends in 2018: Datateknologi (29 % in 2018) is history, not 2025
    assert "Datateknologi" not in " ".join(r[0] for r in unit_rows(block(content, "table", "followup")))
    assert "kjonn_program_admitted_seed_admission" in [f.name for f in content.figures if f.section == "appendix"]


def test_unknown_units_in_their_own_list_with_the_reason(content):
    rows = unit_rows(block(content, "table", "unknown"))
    expected = [r for r in dbh_rows() if r["year"] == 2025 and suppressed(r)]
    assert [code_of(r[0]) for r in rows] == [r["code"] for r in expected] == ["271740"]
    assert rows[0][0] == unit_cell("271740", department_names(2025))
    assert rows[0][4] == "kvinner og menn er skjermet i kilden (lite tall, 9 studenter)"
    # a unit with no students at all is not "unknown": nothing to judge
    empty = {r["code"] for r in dbh_rows() if r["year"] == 2025 and r["total"] == 0}
    assert not empty & {code_of(r[0]) for r in rows}


def test_every_section_heading_states_its_year_and_scope(content, english):
    headings = {b["id"]: b["text"] for b in content.blocks if b["kind"] == "heading"}
    assert headings["followup"] == "Oppfølging 2025: enheter med skjev kjønnsbalanse – NTNU (egen institusjon)"
    assert headings["gender"] == "Kjønnsbalanse 2025 – NTNU (egen institusjon)"
    assert headings["integration"] == (
        "Integrering av internasjonale studenter – Studiebarometeret 2017, "
        "sammenligningsgruppe: alle institusjoner i datagrunnlaget"
    )
    assert headings["survey"] == "Studiebarometeret 2025 – NTNU (egen institusjon)"
    # SHoT: the latest wave up to 2025 is the 2023 extra survey; the figures are national (and
    # one regional figure for Bergen), never NTNU's
    assert headings["wellbeing"] == (
        "Studentenes helse og trivsel (SHoT) 2023 – nasjonale tall og region Bergen (Sammen)"
    )
    en = {b["id"]: b["text"] for b in english.blocks if b["kind"] == "heading"}
    assert en["followup"] == "Follow-up 2025: units with skewed gender balance – NTNU (own institution)"
    assert en["wellbeing"] == "Student health and well-being (SHoT) 2023 – national figures and region Bergen (Sammen)"


def test_integration_ranks_within_all_institutions_in_the_data_by_default(content):
    # bachelor: 4.5, 4.45, 4.0, 3.75, 2.45 -> NTNU 5th of 5; 2.45 − 4.5 = −2.05; median 4.0: −1.55
    (bachelor,) = [f for f in content.earlier_findings if "bachelor" in f]
    assert "NTNU er nr. 5 av 5 (sammenligningsgruppe: alle institusjoner i datagrunnlaget)" in bachelor
    assert bachelor.endswith("2,05 under beste og 1,55 under medianen.")


def test_integration_ranks_within_a_configured_peer_group(tmp_path):
    config = tmp_path / "peers.toml"
    config.write_text('[integration]\ncomparison_group = ["Kunsthøgskolen", "Steinerhøgskolen"]\n', encoding="utf-8")
    content = report_content(load_report_data(RAW, None, "1150", config=config), "nb")
    # the own institution is ranked among the peers: bachelor Steiner 4.0, Kunst 3.75, NTNU 2.45
    # -> 3rd of 3, 2.45 − 4.0 = −1.55, median 3.75: −1.30; master Steiner 5.0, Kunst 4.25, NTNU
    # 2.25 -> 3rd of 3, −2.75, median 4.25: −2.00
    (bachelor,) = [f for f in content.earlier_findings if "bachelor" in f]
    (master,) = [f for f in content.earlier_findings if "master" in f]
    group = "sammenligningsgruppe: Kunsthøgskolen, NTNU, Steinerhøgskolen"
    assert f"NTNU er nr. 3 av 3 ({group}), 1,55 under beste og 1,30 under medianen." in bachelor
    assert f"NTNU er nr. 3 av 3 ({group}), 2,75 under beste og 2,00 under medianen." in master
    assert block(content, "heading", "integration")["text"].endswith(group)


def test_an_institution_without_data_is_an_error_unless_asked_for():
    # 9999 is no institution: no row of any file has it (1110 is in DBH's national export)
    assert not national_rows("9999")
    with pytest.raises(InputError) as err:
        load_report_data(RAW, None, "9999")
    message = str(err.value)
    assert "9999" in message and "--allow-empty" in message
    assert "no gender, Studiebarometeret or portal data for this institution" in message
    data = load_report_data(RAW, None, "9999", allow_empty=True)
    content = report_content(data, "nb")
    texts = [b.get("text", "") for b in content.blocks]
    # nothing was judged: the list says so, never "no unit below the threshold"
    assert "Ingen kjønnsbalansedata for 9999 (egen institusjon) i datagrunnlaget – ingen enheter er vurdert." in texts
    assert "Ingen Studiebarometer-resultater for 9999 (egen institusjon) i datagrunnlaget." in texts
    assert not any("Ingen enheter under terskelen" in t for t in texts)
    assert data.year_basis == "national" and content.followup.empty
    # the integration extract (seed) does not have 9999: the note does not say it shows it
    assert (
        "Uttrekket viser bare noen institusjoner (blant dem de med høyest skår), ikke alle; 9999 er ikke med i det."
    ) in texts
    assert not any(t.startswith("Uttrekket viser bare 9999") for t in texts)


def test_an_institution_in_the_national_export_only_is_reported_on_its_latest_count():
    """1110 has no file of its own; DBH's national export has it per semester and category up to
    the spring of 2022 (the export was made in April 2022). Its report year is that latest count,
    and the one version shown is the latest year's preferred semester and category."""
    rows = national_rows("1110")
    last = max(int(r["Årstall"]) for r in rows)
    semester = next(
        code for code in SEMESTER_WORDS if any(r["Semester"] == code for r in rows if int(r["Årstall"]) == last)
    )
    category = next(
        c
        for c in ("S", "P", "A")
        if any(r["Studentkategori"] == c for r in rows if int(r["Årstall"]) == last and r["Semester"] == semester)
    )
    assert (last, SEMESTER_WORDS[semester], category) == (2022, "spring", "S")
    data = load_report_data(RAW, None, "1110")
    assert data.has_own_data and data.year == last and data.year_basis == "registered"
    registered = data.flags[data.flags["measure"] == "registered"]
    assert set(registered["semester"]) == {"spring"} and set(registered["student_category"]) == {"S"}
    # the follow-up list: the departments of that count below 40 %, masked rows (0/0) not judged
    expected = set()
    for r in rows:
        if (int(r["Årstall"]), r["Semester"], r["Studentkategori"]) != (last, semester, category):
            continue
        total, women, men = int(r["Antall totalt"]), int(r["Antall kvinner"]), int(r["Antall menn"])
        if total and (women or men) and below(min(women, men), total):
            expected.add(r["Avdelingskode"])
    followup = followup_units(data.flags, data.year, data.threshold)
    departments = followup[followup["level"] == "department"]
    assert set(departments["unit_code"]) == expected and expected
    assert set(departments["source_kind"]) == {"dbh-123-csv"}


def test_cli_refuses_an_institution_without_data(tmp_path, capsys):
    from analysis.cli import main

    out = tmp_path / "report"
    assert main(["report", "--institution", "9999", "--no-static", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "9999" in err and "--allow-empty" in err and "uendret" in err
    assert not out.exists()


def test_a_faculty_report(data):
    from analysis.report.data import for_faculty

    faculty = for_faculty(data, "271")
    content = report_content(faculty, "nb")
    assert content.title == "Kvalitetsmelding 2025: Fakultet for ingeniørvitenskap, NTNU"
    assert set(faculty.flags["faculty_code"]) == {"271"} and "institution" not in set(faculty.flags["level"])
    rows = unit_rows(block(content, "table", "followup"))
    expected = {code for code, (_, u, t) in judged_departments(2025).items() if code.startswith("271") and below(u, t)}
    # DBH's department level: departments, and the faculty's own unit 271000 ("instituttnivå")
    assert {code_of(r[0]) for r in rows if r[1] in ("institutt", "instituttnivå")} == expected
    # its charts name the faculty and the institution, not the institution alone (a long title
    # wraps at the chart's width: read as one line)
    titles = {f.name: f.figure.layout.title.text.replace("<br>", " ") for f in content.figures}
    assert titles["kjonn_institutt"] == (
        "Kjønnsbalanse 2025, Fakultet for ingeniørvitenskap (271), NTNU – "
        "registrerte studenter, høst, alle kategorier, instituttnivå"
    )
    # its follow-up list comes from one source: "Kilde:", not "Kilder:"
    assert block(content, "table", "followup")["source"].startswith("Kilde: DBH (HK-dir), tabell 123")
    # the integration extract ranks institutions: its charts name the institution, not the faculty
    assert titles["integrering_master"] == (
        "Integrering av internasjonale studenter 2017, NTNU og sammenligningsgruppen – master"
    )
    # the portal extract does not say which faculty a programme belongs to: said, not guessed
    assert "Ingen Studiebarometer-resultater for Fakultet for ingeniørvitenskap (271), NTNU i datagrunnlaget." in [
        b.get("text") for b in content.blocks
    ]
    with pytest.raises(InputError, match="no faculty 999") as refused:
        for_faculty(data, "999")
    # the faculties it offers are faculties: not DBH's unspecified sub-unit ("000 NTNU
    # (uspesifisert underenhet)" was offered, and "--faculty 000" made a faculty report of it)
    assert "271 Fakultet for ingeniørvitenskap" in str(refused.value) and "000" not in str(refused.value)
    with pytest.raises(InputError, match="000 is DBH's unspecified sub-unit, not a faculty"):
        for_faculty(data, "000")


def shot_rows() -> list[dict]:
    with (RAW / "shot_headline_figures_national.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_chart_title_says_whose_figures_and_which_years(content, english):
    """A chart handed on without the report still says whose units it counts and when, as the
    portal's charts do ("Studiebarometeret 2025, NTNU: …"); SHoT's figures say they are national
    (and name the region SHoT reports), never NTNU's."""
    dbh = sorted({r["year"] for r in dbh_rows()})
    measure = "registrerte studenter, høst, alle kategorier"
    titles = {f.name: f.figure.layout.title.text for f in content.figures}
    assert titles["kjonn_fakultet"] == f"Kjønnsbalanse 2025, NTNU – {measure}, fakultet"
    # faculties' own units and the unspecified sub-unit among the departments: "instituttnivå"
    assert titles["kjonn_institutt"] == f"Kjønnsbalanse 2025, NTNU – {measure}, instituttnivå"
    assert titles["kjonn_fakultet_utvikling"] == f"Andel kvinner per år {dbh[0]}–{dbh[-1]}, NTNU – {measure}, fakultet"
    programmes = [t for n, t in titles.items() if n.startswith("kjonn_program_")]
    assert programmes and all(re.match(r"Andel kvinner per år \d{4}–\d{4}, NTNU – ", t) for t in programmes)
    # SHoT: the headline indicator's waves up to 2025 and its places, from the raw file
    headline = [
        r for r in shot_rows() if r["indikator"] == "alvorlige_psykiske_symptomplager" and int(r["aar"]) <= 2025
    ]
    years = sorted({int(r["aar"]) for r in headline})
    places = sorted({r["gruppe"] for r in headline} - {"alle", "kvinner", "menn"})
    assert places == ["Bergen (Sammen)"]
    assert titles["shot_alvorlige_psykiske_symptomplager"] == (
        f"SHoT {years[0]}–{years[-1]}, nasjonale tall og region Bergen (Sammen): Alvorlige psykiske symptomplager"
    )
    shot = [t for n, t in titles.items() if n.startswith("shot_")]
    assert all(re.match(r"SHoT \d{4}–\d{4}, nasjonale tall", t) and "NTNU" not in t for t in shot), shot
    # integration: the seed extract's one survey year (2017), NTNU among its group
    for level in ("bachelor", "master"):
        assert titles[f"integrering_{level}"] == (
            f"Integrering av internasjonale studenter 2017, NTNU og sammenligningsgruppen – {level}"
        )
    en = {f.name: f.figure.layout.title.text for f in english.figures}
    assert en["kjonn_fakultet"] == "Gender balance 2025, NTNU – registered students, autumn, all categories, faculty"
    assert en["shot_ensomhet_foler_seg_isolert"] == "SHoT 2018–2021, national figures: Feel isolated"


def test_the_shot_table_says_its_unit_once(content):
    """Its cells carry the unit ("33,0 %"); the header over them says what, not "(%)" again (an
    adviser's reading, 2026-12-03: "Andel studenter (%)" over "33,0 %")."""
    table = block(content, "table", "wellbeing")
    col = table["columns"].index("Andel studenter")
    cells = [r[col] for r in unit_rows(table)]
    assert cells and all(re.fullmatch(r"\d+,\d %( / \d+,\d %)*", c) for c in cells), cells
    assert not any("%" in c for c in table["columns"])


def test_wellbeing_one_indicator_per_chart_with_scope_and_distinct_colours(content):
    charts = [f for f in content.figures if f.section == "wellbeing"]
    assert charts and all(f.name.startswith("shot_") for f in charts)
    for f in charts:
        lines = [t for t in f.figure.data if t.mode == "lines+markers"]
        named = [t for t in lines if t.showlegend]
        colours = [t.line.color for t in named]
        assert len(colours) == len(set(colours)), f.name
        assert all("(nasjonalt)" in t.name or t.name.startswith("region ") for t in named), f.name
    # a place's kind before its name: SHoT's "Bergen (Sammen)" has brackets of its own
    places = [t.name for f in charts for t in f.figure.data if t.showlegend and "Bergen" in (t.name or "")]
    assert places and all(n.startswith("region Bergen (Sammen)") for n in places), places
    headline = next(f for f in charts if f.name == "shot_alvorlige_psykiske_symptomplager")
    (national,) = [t for t in headline.figure.data if t.showlegend and t.name.startswith("alle")]
    # 2022: 35 %, 2021: 45 %, same definition (HSCL-25): 10 points lower
    assert national.name == "alle (nasjonalt) – 2022: 10,0 prosentpoeng lavere enn i 2021"


def test_percentages_in_tables_have_one_decimal(content):
    for row in unit_rows(block(content, "table", "followup")):
        for part in row[3].replace("–", " ").split():
            if part[0].isdigit():
                assert len(part.split(",")[1]) == 1, row


def test_every_figure_has_alt_text_and_a_source_caption(content):
    for b in (b for b in content.blocks if b["kind"] == "figure"):
        assert len(b["alt"]) > 40 and b["title"] in b["alt"], b["name"]
        assert b["caption"].startswith("Kilde: "), b["name"]


# --- the workbook, the CSV files and the Word document ---------------------------------------

NB_SHEETS = [
    "Oppfølging 2025",
    "Ikke vurdert 2025",
    "Kjønnsbalanse 2025",
    "Integrering 2017",
    "Studiebarometeret 2025",
    "SHoT 2010–2023",  # every wave, each row with its year
    "Vedlegg kjønnsbalanse 2007–2025",  # the seed's 2007 to the report year (Samordna's 2026 round is left out)
    "Merknader",  # the report's notes
]
EN_SHEETS = [
    "Follow-up 2025",
    "Not judged 2025",
    "Gender balance 2025",
    "Integration 2017",
    "Student Survey 2025",
    "SHoT 2010–2023",
    "Appendix gender 2007–2025",
    "Notes",
]


def write_as_built(folder, data, content, lang: str = "nb"):
    """The report's workbook and CSV files of ``content``, written into ``folder`` as the build
    writes them: (workbook, CSV files)."""
    from analysis.report.workbook import write_report_tables

    return write_report_tables(
        content.tables,
        folder,
        folder,
        lang,
        threshold=data.threshold,
        levels=confidence_levels(data.settings),
        section_years=content.section_years,
        title=content.title,
        blocks=content.blocks,
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory, data, content, english):
    out = {}
    for lang, c in (("nb", content), ("en", english)):
        book, csvs = write_as_built(tmp_path_factory.mktemp(f"tables-{lang}"), data, c, lang)
        out[lang] = (book, {p.stem: p for p in csvs})
    return out


def sheet_rows(sheet) -> list[dict]:
    """A sheet's rows under its header row, as header -> value."""
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_workbook_says_why_the_integration_sheet_has_no_count_of_answers(written, content):
    """The 2017 extract gives means only, no number of answers: "Antall svar" stays an empty
    cell of a numeric column (never 0, never a text among numbers), and the notes sheet says why
    under the integration section's heading, as the charts' subtitle does."""
    import openpyxl

    for lang, sheet, notes_sheet, part, note, column in (
        ("nb", "Integrering 2017", "Merknader", "Del av rapporten", "Merknad", "Antall svar"),
        ("en", "Integration 2017", "Notes", "Part of the report", "Note", "Answers"),
    ):
        book = openpyxl.load_workbook(written[lang][0])
        rows = sheet_rows(book[sheet])
        assert rows and all(r[column] is None for r in rows)
        heading = next(
            str(r[part])
            for r in sheet_rows(book[notes_sheet])
            if str(r[part]).startswith(("Integrering", "Integration"))
        )
        under = [r[note] for r in sheet_rows(book[notes_sheet]) if r[part] == heading]
        expected = {
            "nb": "Kilden oppgir ikke antall svar bak snittene for 2017: antallet er ukjent, ikke 0, og står tomt "
            "under «Antall svar» i regnearket.",
            "en": "The source does not give the number of answers behind the means for 2017: the number is "
            'unknown, not 0, and left empty under "Answers" in the workbook.',
        }[lang]
        assert expected in under, under


def test_the_workbook_carries_the_notes_that_explain_its_empty_cells(written, content):
    """The workbook goes to a committee without the report: its last sheet holds the report's
    notes, each under its part. This data has no NUS codes, so "Fagfeltet nasjonalt" is empty in
    every row of the follow-up sheet, and Samordna gives shares without counts, so "Antall som
    trengs" is empty for its programmes: the notes that say why are there, under the follow-up
    list's heading."""
    import openpyxl

    book = openpyxl.load_workbook(written["nb"][0])
    follow = sheet_rows(book["Oppfølging 2025"])
    assert all(r["Fagfeltet nasjonalt"] is None for r in follow)
    assert any(r["Antall som trengs (minst)"] is None and r["Antall som trengs (høyst)"] is None for r in follow)
    notes = [(r["Del av rapporten"], r["Merknad"]) for r in sheet_rows(book["Merknader"])]
    heading = block(content, "heading", "followup")["text"]
    under = [text for part, text in notes if part == heading]
    assert any(text.startswith("Fagfeltet kan ikke beregnes") for text in under), under
    assert any(text.startswith("«–» under «antall som trengs»") for text in under), under
    # where the numbers come from, with the dates they were fetched: the follow-up table's source line
    assert any(text.startswith("Kilder: DBH (HK-dir), tabell 123") for text in under), under
    # every note of the report, every table's source line and the rules of "Om tallene", in their
    # order, and nothing else
    report_notes = []
    for b in content.blocks:
        if b["kind"] == "paragraph" and b["style"] == "note":
            report_notes.append(b["text"])
        elif b["kind"] == "table":
            report_notes.append(b["source"])
        elif b["kind"] == "bullets" and b["id"] == "about-list":
            report_notes += b["items"]
    assert [text for _, text in notes] == report_notes


def test_workbook_sheets_and_headers_in_the_report_language(written, content):
    import openpyxl

    nb = openpyxl.load_workbook(written["nb"][0])
    en = openpyxl.load_workbook(written["en"][0])
    assert nb.sheetnames == NB_SHEETS and en.sheetnames == EN_SHEETS
    headers = [c.value for c in nb["Oppfølging 2025"][1]]
    assert headers == [
        "Fakultet",
        "Nivå",
        "Enhet",
        "Kode",
        "Mål",
        "Underrepresentert kjønn",
        "Andel av underrepresentert kjønn",
        "Antall i alt",
        "Antall i alt, høyst",
        "Fagfeltet nasjonalt",
        "Antall som trengs (minst)",
        "Antall som trengs (høyst)",
        "År på rad",
        "Utvikling",
        "År",
        "Kilde",
    ]
    assert [c.value for c in en["Follow-up 2025"][1]][:4] == ["Faculty", "Level", "Unit", "Code"]
    # first sheet = this year's follow-up list, one row per flagged unit
    assert nb.worksheets[0].max_row == 1 + len(content.followup)
    # category values in words of the language, never the machine's English codes
    ws = nb["Oppfølging 2025"]
    first = {h: c for h, c in zip(headers, ws[2], strict=True)}
    assert first["Nivå"].value == "fakultet" and first["Mål"].value == "registrerte studenter, høst, alle kategorier"
    assert first["Underrepresentert kjønn"].value == "menn" and first["Utvikling"].value == "mannsandelen er stabil"
    # numbers stay numbers with a format; codes stay text
    assert first["Andel av underrepresentert kjønn"].number_format == "0.0%"
    assert isinstance(first["Andel av underrepresentert kjønn"].value, float)
    # the field benchmark is unknown in this data (no NUS codes): an empty cell, never 0 %
    field = headers.index("Fagfeltet nasjonalt")
    assert {r[field].value for r in ws.iter_rows(min_row=2)} == {None}
    assert first["Kode"].data_type == "s" and first["Kode"].number_format == "@"
    history = nb["Vedlegg kjønnsbalanse 2007–2025"]
    # the code column (the unit column beside it now holds the unit's name, where the data has one)
    code = [c.value for c in history[1]].index("Kode")
    codes = [r[code].value for r in history.iter_rows(min_row=2) if r[code].value == "000000"]
    assert codes, "the unspecified sub-unit 000000 keeps its zeros"
    # (empty only for the LMU table's programmes, which it names without a code)
    assert all(r[code].data_type == "s" for r in history.iter_rows(min_row=2) if r[code].value is not None)
    assert nb["Oppfølging 2025"].column_dimensions["A"].width > 20, "column widths are set"


def test_csv_for_norwegian_excel_reads_back(written, content):
    path = written["nb"][1]["followup"]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    table = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"Kode": str})
    assert len(table) == len(content.followup)
    # shares as percentages with one decimal: 250000's men 18,4 %
    r = next(r for r in dbh_rows() if r["year"] == 2025 and r["code"] == "250000")
    row = table[table["Kode"] == "250000"].iloc[0]
    assert row["Andel av underrepresentert kjønn (%)"] == pytest.approx(round(100 * r["men"] / r["total"], 1))
    assert table["Andel av underrepresentert kjønn (%)"].dtype == float
    # the unit's name in its own column, the code in the next (the NTNU JSON names no department:
    # the name is DBH's national export's); 250000 is the faculty's own unit, and says so
    assert department_names(2025)["250000"] == "Fakultet for medisin og helsevitenskap"
    assert row["Enhet"] == "Fakultet for medisin og helsevitenskap – fakultetets egen enhet"
    assert row["Mål"] == "registrerte studenter, høst, alle kategorier"
    en = pd.read_csv(written["en"][1]["followup"], sep=";", decimal=".", encoding="utf-8-sig")
    assert "Share of the under-represented gender (%)" in en.columns


def test_word_document_has_the_outline_and_the_follow_up_table(tmp_path, content):
    from docx import Document

    from analysis.report.word import write_word

    path = write_word(content.blocks, tmp_path / "k.docx", "nb", title=content.title, figures_dir=None)
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name in ("Title", "Heading 1", "Heading 2")]
    assert headings[:3] == ["Kvalitetsmelding 2025: NTNU", "Hovedfunn 2025", "Nyeste tall fra tidligere år"]
    assert "Oppfølging 2025: enheter med skjev kjønnsbalanse – NTNU (egen institusjon)" in headings
    followup = doc.tables[0]
    table = block(content, "table", "followup")
    assert len(followup.rows) == 1 + len(table["rows"])
    assert [c.text for c in followup.rows[0].cells][0] == "Enhet (kode)"
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert bullets[: len(content.findings)] == content.findings
    # without the PNG export the document says each chart is missing, never a silent gap
    missing = [p for p in doc.paragraphs if p.text == label("figure_missing", "nb")]
    assert len(missing) == len(content.figures)


def test_a_year_outside_the_institutions_data_is_refused():
    from analysis.errors import InputError

    # NTNU's own data (the seed's 2007 admission table to Samordna's 2026 round) do not reach 1800
    with pytest.raises(InputError) as err:
        load_report_data(RAW, 1800, "1150")
    problem = err.value.problems[0]
    assert problem.column == "--year" and problem.value == 1800
    assert "its own data run from 2007 to 2026" in problem.message


def test_a_unit_without_a_gender_split_is_not_called_a_small_cell():
    from analysis.report.tables import reason_words

    # the 1990s rows of DBH's national export: 0/0 with thousands of students is no split, not masking
    row = pd.Series({"level": "department", "total": 4140, "suppressed_units": 1, "suppression": "no_gender_split"})
    assert (
        reason_words(row, "nb")
        == "kilden oppgir ingen kjønnsfordeling for enheten (4140 studenter): kvinner og menn ukjent"
    )
    masked = row.copy()
    masked["total"], masked["suppression"] = 9, "small_cell"
    assert reason_words(masked, "nb") == "kvinner og menn er skjermet i kilden (lite tall, 9 studenter)"


def test_a_programme_its_source_names_without_a_code_is_shown_by_its_name(content, written):
    """The LMU appendix's admission table lists programmes by name ("Kybernetikk"), with no
    code: the name is the unit's name, never "Enhet uten navn i kildene (Kybernetikk)", and the
    code column stays empty rather than repeat the name as a code."""
    import openpyxl

    with (RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv").open(encoding="utf-8") as f:
        names = sorted({row["Studieprogram"].strip() for row in csv.DictReader(f, delimiter=";")})
    assert "Kybernetikk" in names
    (chart,) = [f for f in content.figures if f.name.startswith("kjonn_program_admitted")]
    assert sorted(t.name for t in chart.figure.data if t.showlegend is not False) == names
    book = openpyxl.load_workbook(written["nb"][0])
    (appendix,) = [s for s in book.sheetnames if s.startswith("Vedlegg")]
    seed = [r for r in sheet_rows(book[appendix]) if r["Mål"] == "tatt opp (hovedopptak)"]
    assert sorted({r["Enhet"] for r in seed}) == names
    assert all(r["Kode"] is None for r in seed)


def test_every_table_says_what_whose_and_when_above_it_and_its_source_below_it(tmp_path, content):
    """A table read in the Word document, or copied out of the page, says what it counts, for
    whom and when (its caption) and where the numbers come from (its source line), as every
    chart does; in Word the captions are numbered like the figures'. Expected texts from the
    policy (40 %), the report year 2025, the raw SHoT file's waves and the sources' names."""
    from docx import Document

    from analysis.report.word import write_word

    tables = {b["id"]: b for b in content.blocks if b["kind"] == "table"}
    assert set(tables) == {"followup", "unknown", "wellbeing", "history"}
    assert tables["followup"]["caption"] == (
        "Enheter med skjev kjønnsbalanse 2025, NTNU: under 40 % av det underrepresenterte kjønnet"
    )
    assert tables["unknown"]["caption"] == "Enheter som ikke kan vurderes 2025, NTNU"
    waves = sorted({int(r["aar"]) for r in shot_rows() if int(r["aar"]) <= 2025})
    assert tables["wellbeing"]["caption"] == (
        f"SHoT, nasjonale tall og region Bergen (Sammen): siste bølge per indikator og gruppe, til og med {waves[-1]}"
    )
    assert tables["history"]["caption"] == "Enheter under terskelen per år, NTNU"
    dbh, samordna, lmu = "DBH (HK-dir), tabell 123 Registrerte studenter, hentet ", "Samordna opptak", "NTNU LMU"
    # "Kilde:" for one source, "Kilder:" for several
    assert tables["followup"]["source"].startswith("Kilder: " + dbh) and samordna in tables["followup"]["source"]
    assert tables["unknown"]["source"].startswith("Kilde: " + dbh) and ";" not in tables["unknown"]["source"]
    assert tables["wellbeing"]["source"].startswith("Kilde: SHoT")
    assert all(s in tables["history"]["source"] for s in (dbh, samordna, lmu))
    # the Word document: "Tabell n. caption." above, the source line below, in the outline's order
    path = write_word(content.blocks, tmp_path / "k.docx", "nb", title=content.title, figures_dir=None)
    body = Document(str(path)).element.body
    children = list(body.iterchildren())
    words = []
    for i, child in enumerate(children):
        if child.tag.endswith("}tbl"):
            before, after = (
                "".join(t.text or "" for t in children[j].iter() if t.tag.endswith("}t")) for j in (i - 1, i + 1)
            )
            words.append((before, after))
    expected = [
        (f"Tabell {n}. {t['caption']}.", t["source"])
        for n, t in enumerate((b for b in content.blocks if b["kind"] == "table"), start=1)
    ]
    assert words == expected


def test_the_workbook_leaves_no_cell_with_an_empty_text_and_names_every_note_s_part(written, content):
    """A unit with a decided status has no reason: its "Hvorfor" cell is empty (Excel's filter
    finds it under blanks), not a text of no characters; the notes before the report's first
    section are about the whole report, and say so."""
    import openpyxl

    book = openpyxl.load_workbook(written["nb"][0])
    for sheet in book.worksheets:
        assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.value == ""], sheet.title
    # decided from exact counts (a unit decided from an interval says so in its reason)
    rows = sheet_rows(book["Kjønnsbalanse 2025"])
    decided = [r for r in rows if r["Status"] in ("innenfor", "skjev (under terskel)") and r["Kvinner"] is not None]
    assert decided and all(r["Hvorfor"] is None for r in decided)
    notes = sheet_rows(book["Merknader"])
    first_section = next(b["text"] for b in content.blocks if b["kind"] == "heading" and b["level"] == 2)
    before = [r for r in notes if r["Del av rapporten"] != first_section][:2]
    assert before and all(r["Del av rapporten"] == "Hele rapporten" for r in before)
    assert all(r["Del av rapporten"] for r in notes)


def test_the_faculty_finding_counts_faculties_not_the_unspecified_sub_unit(content):
    """DBH's unspecified sub-unit 000000 is no faculty (its "faculty" 000 is no faculty's code):
    "5 av 9 fakulteter" counted it as one. By hand from the raw rows of 2025: each faculty (the
    first three digits of its departments' codes, 000 left out) holds its departments' women
    and men; a department DBH masks adds its students to either, so the women are an interval,
    and a faculty is judged where every split of it gives the same answer."""
    rows = [r for r in dbh_rows() if r["year"] == 2025 and r["total"] > 0 and r["code"] != "000000"]
    faculties: dict[str, list[int]] = {}  # code -> [known women, known men, masked students]
    for r in rows:
        f = faculties.setdefault(r["code"][:3], [0, 0, 0])
        if suppressed(r):
            f[2] += r["total"]
        else:
            f[0] += r["women"]
            f[1] += r["men"]
    flagged = judged = 0
    for women, men, masked in faculties.values():
        total = women + men + masked
        answers = {below(min(w, total - w), total) for w in range(women, women + masked + 1)}
        if len(answers) == 1:
            judged += 1
            flagged += answers.pop()
    assert len(faculties) == 8
    assert (
        f"{flagged} av {judged} fakulteter i datagrunnlaget har under 40 % av det underrepresenterte kjønnet "
        "(registrerte studenter, høst, alle kategorier, 2025)."
    ) in content.findings


def test_the_faculty_chart_and_follow_up_list_show_the_faculties_the_finding_counts(data, content):
    """DBH's unspecified sub-unit 000000 is no faculty: the faculty chart drew it as a ninth bar
    ("NTNU (uspesifisert underenhet)") beside "5 av 8 fakulteter", and a 2024 report listed it
    for follow-up twice, as a faculty and as a department. One rule: it is not among the
    faculties anywhere, and a note says where its students are. The faculties by hand: the
    first three digits of the 2025 department codes with students, 000 left out."""
    from dataclasses import replace

    codes = {r["code"][:3] for r in dbh_rows() if r["year"] == 2025 and r["total"] > 0 and r["code"] != "000000"}
    names = faculty_names()
    chart = next(f for f in content.figures if f.name == "kjonn_fakultet").figure
    bars = {str(y).replace("<br>", " ") for trace in chart.data if trace.type == "bar" for y in trace.y}
    assert bars == {names[c] for c in codes}
    assert len(codes) == 8  # "5 av 8 fakulteter" (the test above)
    unspecified = next(r for r in dbh_rows() if r["year"] == 2025 and r["code"] == "000000")
    note = (
        f"«NTNU (uspesifisert underenhet)» ({unspecified['total']} studenter i 2025) er DBHs uspesifiserte "
        "underenhet, ikke et fakultet: den er ikke med i fakultetsfiguren eller blant fakultetene som telles, "
        "men er med som enhet på instituttnivå (000000) og i institusjonens tall."
    )
    assert {"kind": "paragraph", "text": note, "style": "note"} in content.blocks

    # 2024: 000000 is below 40 % (105 women, 57 men): listed once, as the unit it is
    r2024 = next(r for r in dbh_rows() if r["year"] == 2024 and r["code"] == "000000")
    assert below(min(r2024["women"], r2024["men"]), r2024["total"])
    earlier = report_content(replace(data, year=2024), "nb")
    listed = earlier.followup[earlier.followup["unit_code"].astype(str).str.startswith("000")]
    assert listed[["level", "unit_code"]].values.tolist() == [["department", "000000"]]
    assert not (earlier.tables["gender"]["unit_code"].astype(str) == "000").any()
    # and it is listed in no faculty: its group in the list says so, not "… (000)" as a faculty
    groups = [r["group"] for r in block(earlier, "table", "followup")["rows"] if "group" in r]
    assert "Uten fakultet (DBHs uspesifiserte underenhet)" in groups
    assert not any("(000)" in g for g in groups)


def test_the_appendix_table_says_which_years_between_its_columns_the_data_do_not_hold(data, content, english):
    """The appendix table "Enheter under terskelen per år" shows the years with data, 2007 beside
    2016: a note under it names the years between (as runs, "2008–2015"), since a column
    skipped says nothing. Years read by hand from the raw files: the LMU appendix's admission
    table (header years), the NTNU DBH-API JSON (registered students, autumn, all categories)
    and Samordna's two files up to the report year 2025. (DBH's national export has NTNU per
    student category, a count the report does not show beside the JSON's all-categories count.)
    A report whose columns skip no year has no note (faculty 271: DBH's 2019–2025 only)."""
    from analysis.report.data import for_faculty

    with (RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv").open(encoding="utf-8") as f:
        seed_years = {int(y) for y in next(csv.reader(f, delimiter=";"))[1:]}
    years = seed_years | {r["year"] for r in dbh_rows()}
    with (RAW / "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv").open(encoding="utf-8") as f:
        years |= {int(r["aar"]) for r in csv.DictReader(f) if r["institusjon"] == NTNU}
    years = {y for y in years if y <= 2025}
    gap = sorted(set(range(min(years), 2026)) - years)
    assert gap == list(range(2008, 2016))

    for c, text in (
        (content, "År uten tall i datagrunnlaget, og derfor uten kolonne i tabellen: 2008–2015."),
        (english, "Years the data hold no figures for, and so without a column in the table: 2008–2015."),
    ):
        at = next(i for i, b in enumerate(c.blocks) if b["kind"] == "table" and b["id"] == "history")
        assert c.blocks[at]["columns"][1:3] == ["2007", "2016"]
        assert c.blocks[at + 1] == {"kind": "paragraph", "text": text, "style": "note"}

    faculty = report_content(for_faculty(data, "271"), "nb")
    at = next(i for i, b in enumerate(faculty.blocks) if b["kind"] == "table" and b["id"] == "history")
    assert faculty.blocks[at]["columns"][1:] == [str(y) for y in range(2019, 2026)]
    assert not any(b["kind"] == "paragraph" and "uten kolonne" in b["text"] for b in faculty.blocks)


def test_a_faculty_reports_appendix_gives_the_faculty_its_status_each_year_not_a_count_of_one(data):
    """In faculty 271's report the appendix "Enheter under terskelen per år" counted the faculty
    level as "1 av 1" each year: the faculty itself, counted as one of a group of one. Its row
    says the faculty's status each year in the report's words for it ("skjev (under terskel)",
    "innenfor", "kan ikke vurderes"); the department level below it is still counted, and so is
    the faculty level of the institution's report (its faculties). The embedded data have 271
    flagged in every year: 2020 made "ok" and 2021 "unknown" show each status."""
    import dataclasses

    from analysis.report.data import for_faculty
    from analysis.report.gender_section import history_blocks

    faculty = for_faculty(data, "271")
    flags = faculty.flags.copy()
    own = flags["level"] == "faculty"
    flags.loc[own & (flags["year"] == 2020), "status"] = "ok"
    flags.loc[own & (flags["year"] == 2021), "status"] = "unknown"
    varied = dataclasses.replace(faculty, flags=flags)
    status = dict(zip(flags.loc[own, "year"], flags.loc[own, "status"], strict=True))
    count = re.compile(r"^\d+ (av|of) \d+$")
    for lang in ("nb", "en"):
        table = history_blocks(varied, lang)[0]
        rows = {r["cells"][0]: r["cells"][1:] for r in table["rows"]}
        level = f", {label('level_faculty', lang)} ("
        (faculty_row,) = [cells for name, cells in rows.items() if level in name]
        years = [int(y) for y in table["columns"][1:]]
        assert faculty_row == [label(f"status_{status[y]}", lang) for y in years]
        assert {"flagged", "ok", "unknown"} <= {status[y] for y in years}
        others = [cells for name, cells in rows.items() if level not in name]
        assert others and all(count.match(c) for cells in others for c in cells if c != "–")
    institution = {r["cells"][0]: r["cells"][1:] for r in history_blocks(data, "nb")[0]["rows"]}
    (faculties,) = [cells for name, cells in institution.items() if ", fakultet (" in name]
    assert all(count.match(c) for c in faculties if c != "–") and any(c.endswith(" av 8") for c in faculties)


def test_a_study_level_is_written_one_way_in_every_sheet(written):
    """NOKUT's portal writes the study level "Bachelor"/"Master", the 2017 integration extract
    "Bachelorstudenter"/"Masterstudenter" (read as bachelor, master): the workbook writes a level one way in both sheets,
    as the report's text does ("Studiebarometeret 2017, bachelor"). Levels read by hand from the
    raw portal file (NTNU's programmes, 2025) and the extract's level column."""
    import openpyxl

    with (RAW / "studiebarometeret_2025_portal_index_sample.csv").open(encoding="utf-8") as f:
        portal = {
            r["nivaa"] for r in csv.DictReader(f) if r["institusjonskode"] == "1150" and r["survey_year"] == "2025"
        }
    assert portal == {"Bachelor", "Master"}
    with (RAW / "seed_studiebarometeret_2017_integrering.csv").open(encoding="utf-8") as f:
        extract = {r["Nivå"] for r in csv.DictReader(f, delimiter=";")}
    assert extract == {"Bachelorstudenter", "Masterstudenter"}
    for lang, sheets, column in (
        ("nb", ("Studiebarometeret 2025", "Integrering 2017"), "Studienivå"),
        ("en", ("Student Survey 2025", "Integration 2017"), "Study level"),
    ):
        book = openpyxl.load_workbook(written[lang][0])
        survey, integration = ({r[column] for r in sheet_rows(book[s])} for s in sheets)
        assert survey == {"bachelor", "master"}, (lang, survey)
        assert integration == {"bachelor", "master"}, (lang, integration)


def test_the_department_finding_says_units_at_department_level_where_not_all_are_institutes(content):
    """DBH's department level holds, beside the institutes, each faculty's own unit (<faculty>000)
    and the unspecified sub-unit 000000: "34 av 47 institutter" counted them as institutes. By
    hand from the raw rows of 2025: every department row with students and exact counts is
    judged; the finding names them units at department level."""
    rows = [r for r in dbh_rows() if r["year"] == 2025 and r["total"] > 0 and not suppressed(r)]
    not_institutes = [r["code"] for r in rows if r["code"].endswith("000")]
    assert "000000" in not_institutes and "271000" in not_institutes
    flagged = sum(below(min(r["women"], r["men"]), r["total"]) for r in rows)
    assert (
        f"{flagged} av {len(rows)} enheter på instituttnivå i datagrunnlaget har under 40 % av det "
        "underrepresenterte kjønnet (registrerte studenter, høst, alle kategorier, 2025)."
    ) in content.findings


def test_an_appendix_table_cut_to_its_last_years_says_which_earlier_years_are_left_out(data):
    """A long series shows its last 12 years with data; the earlier ones must not vanish without
    a word, or the table reads as the whole series. The embedded data hold 2007 and 2016–2025
    (see the test above); the same units' 2016 rows copied to 1995–2006 make 23 years with
    data. By hand: the last 12 are 2006, 2007 and 2016–2025, so 1995–2005 are left out, and
    2008–2015 are still years without figures between the columns."""
    import dataclasses

    from analysis.report.gender_section import history_blocks

    base = data.flags[data.flags["year"] == 2016]
    earlier = pd.concat([base.assign(year=y) for y in range(1995, 2007)], ignore_index=True)
    long = dataclasses.replace(data, flags=pd.concat([earlier, data.flags], ignore_index=True))

    for lang, cut, gap in (
        (
            "nb",
            "Tabellen viser de 12 siste årene med tall; tallene for 1995–2005 står i arbeidsbokens vedleggsark "
            "om kjønnsbalanse.",
            "År uten tall i datagrunnlaget, og derfor uten kolonne i tabellen: 2008–2015.",
        ),
        (
            "en",
            "The table shows the last 12 years with figures; those for 1995–2005 are in the workbook's "
            "gender-balance appendix sheet.",
            "Years the data hold no figures for, and so without a column in the table: 2008–2015.",
        ),
    ):
        table, *notes = history_blocks(long, lang)
        assert table["columns"][1:] == ["2006", "2007"] + [str(y) for y in range(2016, 2026)]
        assert [n["text"] for n in notes] == [gap, cut]
    # the series as embedded (11 years) is not cut: no such note
    assert not any(
        "1995" in b.get("text", "") or "siste årene" in b.get("text", "") for b in history_blocks(data, "nb")
    )


def test_the_followup_list_cites_the_policy_the_settings_name_or_none(data):
    """The follow-up list's introduction cites the policy named in the settings (the shipped
    file names NTNU's, as its LMU papers do: "NTNUs politikk for mangfold og likestilling
    2018–2021"); with none named it claims no duty, only the settings' threshold."""
    import dataclasses
    import tomllib

    from analysis.report.gender_section import followup_section

    shipped = tomllib.loads(paths.DEFAULT_CONFIG.read_text(encoding="utf-8"))["gender"]["policy"]
    assert shipped == "NTNUs politikk for mangfold og likestilling 2018–2021"

    def intro(settings, lang="nb") -> str:
        d = dataclasses.replace(data, settings=settings)
        blocks = followup_section(d, lang, followup_units(d.flags, d.year, d.threshold), d.flags.iloc[:0])
        return blocks[1]["text"]

    text = intro(data.settings)
    assert (
        "Enheter der det underrepresenterte kjønnet er under 40 % i 2025. Etter NTNUs politikk for mangfold og "
        "likestilling 2018–2021 skal disse sette inn tiltak (40 % er ikke under 40 %)."
    ) in text
    none = dataclasses.replace(data.settings, gender=dataclasses.replace(data.settings.gender, policy=""))
    text = intro(none)
    assert "Terskelen er den i innstillingene (40 % er ikke under 40 %)." in text
    assert "tiltak" not in text and "NTNUs" not in text
    assert "The threshold is the one in the settings (40 % is not below 40 %)." in intro(none, "en")


def test_an_english_report_cites_the_policy_by_its_english_name(data):
    """The English report cited the policy by its Norwegian name as English words: "Under NTNUs
    politikk for mangfold og likestilling 2018–2021 they shall take measures". The settings give
    its English name too (``policy_en``; the shipped file: NTNU's policy as DOMAIN.md names it);
    without one the Norwegian name is cited as the title it is, in quotes. The Norwegian report
    and the gender notebook's line keep the name as given."""
    import dataclasses
    import tomllib

    from analysis.report.gender_section import followup_section, policy_line

    shipped = tomllib.loads(paths.DEFAULT_CONFIG.read_text(encoding="utf-8"))["gender"]
    assert shipped["policy_en"] == "NTNU's policy for diversity and gender equality 2018–2021"
    assert data.settings.gender.policy_en == shipped["policy_en"]  # the report's settings are the shipped file's

    def intro(d, lang) -> str:
        blocks = followup_section(d, lang, followup_units(d.flags, d.year, d.threshold), d.flags.iloc[:0])
        return blocks[1]["text"]

    assert f"Under {shipped['policy_en']} they shall take measures (40 % is not below 40 %)." in intro(data, "en")
    assert f"under {shipped['policy_en']}, every study programme" in policy_line(data, "en", "NTNU")
    assert f"Etter {shipped['policy']} skal disse sette inn tiltak" in intro(data, "nb")
    assert f"etter {shipped['policy']} skal alle studieprogram" in policy_line(data, "nb", "NTNU")
    untranslated = dataclasses.replace(
        data,
        settings=dataclasses.replace(data.settings, gender=dataclasses.replace(data.settings.gender, policy_en="")),
    )
    assert f"Under “{shipped['policy']}” they shall take measures" in intro(untranslated, "en")


def test_an_english_finding_says_has_of_one_and_have_of_several(data):
    """ "1 of 1 faculty in the data have under 40 %" was the English faculty report's finding on
    its one faculty: the verb agrees with the count before "of" ("1 of 21 has", "18 of 21
    have"; none, as in Norwegian, is plural). (A faculty report now says it of the faculty
    itself: test_a_faculty_report_says_its_finding_of_the_faculty_itself.)"""
    from analysis.report.data import for_faculty
    from analysis.report.findings import key_findings

    faculty_now, _ = key_findings(for_faculty(data, "271"), "en")
    institution_now, _ = key_findings(data, "en")
    counts = [re.match(r"(\d+) of \d+ .* in the data (has|have) under", f) for f in faculty_now + institution_now]
    found = [(int(m[1]), m[2]) for m in counts if m]
    assert len(found) >= 4 and all((verb == "has") == (n == 1) for n, verb in found), found


def test_a_faculty_report_says_its_finding_of_the_faculty_itself(data):
    """A faculty report counted its one faculty: "1 av 1 fakultet i datagrunnlaget har under
    40 %". It says it of the faculty, as an institution's report says it of the institution, with
    its share as the follow-up list gives it: 271 in 2025, women among the known students
    (271740's 9 suppressed, so an interval) from the DBH file; its departments are still counted
    ("3 av 3 enheter på instituttnivå": the faculty's own unit 271000, 271760 and 271770 are
    below 40 %, 271740 cannot be judged)."""
    from analysis.report.data import for_faculty
    from analysis.report.findings import key_findings

    rows = [r for r in dbh_rows() if r["year"] == 2025 and r["code"].startswith("271")]
    hidden = sum(r["total"] for r in rows if suppressed(r))
    women = sum(r["women"] for r in rows if not suppressed(r))
    total = sum(r["total"] for r in rows)
    share = {
        lang: f"{100 * women / total:.1f}–{100 * (women + hidden) / total:.1f}".replace(".", sep)
        for lang, sep in (("nb", ","), ("en", "."))
    }
    measure = {
        "nb": "registrerte studenter, høst, alle kategorier",
        "en": "registered students, autumn, all categories",
    }
    faculty = for_faculty(data, "271")
    nb, _ = key_findings(faculty, "nb")
    assert nb[0] == (
        f"Fakultet for ingeniørvitenskap som helhet har {share['nb']} % kvinner ({measure['nb']}, 2025): under 40 %."
    )
    assert not [f for f in nb if " fakultet i datagrunnlaget" in f]
    # counted among the departments that can be judged (exact counts), not among those below
    judged = [r for r in rows if r["total"] and not suppressed(r)]
    flagged = [r for r in judged if below(min(r["women"], r["men"]), r["total"])]
    assert f"{len(flagged)} av {len(judged)} enheter på instituttnivå i datagrunnlaget har under 40 %" in " ".join(nb)
    en, _ = key_findings(faculty, "en")
    assert en[0] == (
        f"Fakultet for ingeniørvitenskap as a whole has {share['en']} % women ({measure['en']}, 2025): below 40 %."
    )


def test_a_faculty_report_says_which_figures_it_leaves_out_for_want_of_a_faculty(data):
    """Samordna's programme figures and the studiebarometeret.no extract do not say which faculty a
    programme belongs to, so a faculty report has none of them: it said so nowhere (the first-choice
    applicants of NTNU's programmes, several of them engineering ones, were simply missing from the
    engineering faculty's report). Counted from the raw files: NTNU's programmes with a 2025
    figure in either Samordna file, and the portal extract's NTNU programmes."""
    from analysis.report.data import for_faculty

    with (RAW / "studiebarometeret_2025_portal_index_sample.csv").open(encoding="utf-8") as f:
        portal = {r["sb_id"] for r in csv.DictReader(f) if r["institusjonskode"] == "1150"}
    texts = [b.get("text") or "" for b in report_content(for_faculty(data, "271"), "nb").blocks]
    (note,) = [t for t in texts if "hvilket fakultet" in t]
    assert f"førstevalgssøkere (Samordna opptak): {len(samordna_2025())} studieprogrammer, 2021–2025" in note
    assert f"Studiebarometeret (studiebarometeret.no): {len(portal)} studieprogrammer, 2025" in note
    assert note.endswith("Rapporten for NTNU har dem.")
    # the institution's own report leaves nothing out
    assert not [t for t in (b.get("text") or "" for b in report_content(data, "nb").blocks) if "hvilket fakultet" in t]


def test_an_english_portal_finding_of_one_value_below_says_is(data):
    """ "1 of 30 index values … are below the field average": the verb agrees with the count
    before "of", as in the gender finding. The extract's own values, all of those at or above
    their field average and one below."""
    from dataclasses import replace

    from analysis.report.findings import key_findings

    index = data.portal_index
    below = index["value"] < index["field_average"]
    one_below = pd.concat([index[~below & index["field_average"].notna()], index[below].head(1)])
    now, _ = key_findings(replace(data, portal_index=one_below), "en")
    (finding,) = [f for f in now if "studiebarometeret.no" in f]
    assert re.search(
        r": 1 of \d+ index values of \d+ study programmes in the data's figures from "
        r"studiebarometeret\.no is below the field average\.$",
        finding,
    ), finding
    several, _ = key_findings(data, "en")
    assert any(re.search(r": \d\d? of \d+ index values .* are below", f) for f in several), several


def test_a_unit_of_0_students_is_published_with_no_0_women_or_men(written):
    """DBH writes a unit of 1 or 2 students as 0 (README "Rules the numbers keep"): the
    workbook's appendix and its CSV published 271520's rows of 2021–2023 with ``Kvinner 0`` and
    ``Menn 0`` (an attack, 2026-12-05). A masked cell is unknown, never 0: their women and men
    (and the bounds of women) are empty cells, and the reason is the one of a row of 0."""
    import openpyxl

    book, csvs = written["nb"]
    (appendix,) = [s for s in openpyxl.load_workbook(book).worksheets if s.title.startswith("Vedlegg")]
    rows = [r for r in sheet_rows(appendix) if r["Antall i alt"] == 0]
    assert {(r["Kode"], r["År"]) for r in rows} >= {("271520", 2021), ("271520", 2022), ("271520", 2023)}
    for r in rows:
        assert [r.get(c) for c in ("Kvinner", "Menn", "Kvinner, minst", "Kvinner, høyst")] == [None] * 4, r
    for path in csvs.values():
        table = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
        if {"Antall i alt", "Kvinner"} <= set(table.columns):
            zero = table[table["Antall i alt"] == "0"]
            assert zero[[c for c in ("Kvinner", "Menn") if c in table.columns]].isna().all().all(), path.name


def test_a_sum_with_units_of_0_students_inside_gives_its_most_students_in_the_workbook(written):
    """The workbook's sheets wrote a faculty's sum with departments of 0 students inside (0 to 2
    each: DBH writes 1 or 2 as 0) as "Antall i alt" alone, 6487 for faculty 271 in 2023, a count
    no one knows (its reason: "av 6487–6493"). Beside it "Antall i alt, høyst": the total and 2 more
    for each department of the faculty written 0 that year (counted here from the appendix)."""
    import openpyxl

    book, _ = written["nb"]
    (appendix,) = [s for s in openpyxl.load_workbook(book).worksheets if s.title.startswith("Vedlegg")]
    rows = sheet_rows(appendix)
    faculty = [r for r in rows if r["Kode"] == "271" and r["År"] == 2023 and r["Nivå"] == "fakultet"]
    assert faculty and all(r["Mål"].startswith("registrerte") for r in faculty)
    (faculty,) = faculty
    zeros = [
        r
        for r in rows
        if r["År"] == 2023 and r["Nivå"] == "institutt" and str(r["Kode"]).startswith("271") and r["Antall i alt"] == 0
    ]
    assert zeros, "the embedded data has departments of 271 written 0 in 2023"
    assert faculty["Antall i alt, høyst"] == faculty["Antall i alt"] + 2 * len(zeros)
