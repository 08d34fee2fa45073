"""The finished report read as a quality adviser reads it: the page's text, the Word document,
the workbook and the chart files, opened back after a real build from the embedded data.

Each test states what a reader must be able to tell from the output alone. Expected values are
derived here from the raw files by hand (plain Python, the policy's rule), not from the program.
"""

from __future__ import annotations

import csv
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.report.build import build_report
from tests.test_report_content import dbh_rows, suppressed

RAW = paths.RAW
THRESHOLD = Fraction(2, 5)  # the policy's 40 %

#: What the report calls a unit no file names (never its bare code, which reads as a name).
UNNAMED = "Enhet uten navn i kildene"


# --- the raw files, read by hand -------------------------------------------------------------


def unnamed_departments(year: int) -> set[str]:
    """NTNU departments of ``year`` that no file of the data names: the NTNU JSON names no
    department and table 210 maps departments to faculties without naming them, so a name can
    only come from DBH's national export, which has NTNU rows up to 2022."""
    national = RAW / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
    with national.open(encoding="utf-8") as f:
        named = {r["Avdelingskode"] for r in csv.DictReader(f, delimiter=";") if r["Institusjonskode"] == "1150"}
    return {r["code"] for r in dbh_rows() if r["year"] == year} - named


# --- the report, built once ------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("read") / "report"
    build_report(data_dir=RAW, out_dir=out, progress=lambda _: None, static=False)
    return out


@pytest.fixture(scope="module")
def page(report) -> BeautifulSoup:
    soup = BeautifulSoup((report / "index.html").read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return soup


@pytest.fixture(scope="module")
def word(report):
    from docx import Document

    return Document(str(report / "kvalitetsmelding.docx"))


@pytest.fixture(scope="module")
def book(report):
    import openpyxl

    return openpyxl.load_workbook(report / "kvalitetsmelding.xlsx")


def html_table_cells(page: BeautifulSoup) -> list[list[str]]:
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])] for tr in page.find_all("tr")]


def word_table_cells(word) -> list[list[str]]:
    return [[c.text for c in row.cells] for t in word.tables for row in t.rows]


def sheet_rows(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]


def figure_json(report: Path, name: str) -> dict:
    return json.loads((report / "figures" / f"{name}.json").read_text(encoding="utf-8"))


# --- names, not bare codes -------------------------------------------------------------------


@pytest.mark.slow
def test_a_department_no_file_names_is_said_to_have_no_name_never_shown_as_a_bare_code(report, page, word, book):
    unnamed = unnamed_departments(2025)
    assert unnamed == {"210220", "220560"}  # found by hand above; both have students in 2025
    # 210220: 222 men of 611 (36,3 %) is below 40 %: it is in the follow-up list
    r = next(r for r in dbh_rows() if r["year"] == 2025 and r["code"] == "210220")
    assert Fraction(r["men"], r["total"]) < THRESHOLD
    listed = f"{UNNAMED} (210220)"
    assert any(row and row[0] == listed for row in html_table_cells(page))
    assert any(row and row[0] == listed for row in word_table_cells(word))
    for cells in (html_table_cells(page), word_table_cells(word)):
        assert not any(cell in unnamed for row in cells for cell in row), "a bare code where a name belongs"
    # the reader is told why the name is missing and what to fetch
    text = page.get_text(" ")
    assert f"«{UNNAMED}»" in text and "tabell 457" in text
    assert any(p.text.startswith(f"«{UNNAMED}»") for p in word.paragraphs)
    # the workbook: the name column says so, the code column keeps the code
    for sheet in ("Oppfølging 2025", "Kjønnsbalanse 2025"):
        rows = [row for row in sheet_rows(book[sheet]) if row["Kode"] in unnamed]
        assert rows and all(row["Enhet"] == UNNAMED for row in rows), sheet
    # the department chart: both units by their code, said to be unnamed
    # (a long name wraps over two lines beside its bar)
    labels = {
        y.replace("<br>", " ") for trace in figure_json(report, "kjonn_institutt")["data"] for y in trace.get("y") or []
    }
    assert {f"{UNNAMED} ({code})" for code in unnamed} <= labels
    assert not labels & unnamed


# --- the words say what the numbers say --------------------------------------------------------


@pytest.mark.slow
def test_a_judged_faculty_with_a_suppressed_department_is_not_said_to_depend_on_it(book):
    # faculty 271 in 2025: one department (271740, 9 students) suppressed. Women are at least the
    # known departments' women and at most that plus the 9, and both ends are below 40 %: the
    # faculty is flagged whatever the 9 are, so "the answer depends on the suppressed counts" is false.
    rows = [r for r in dbh_rows() if r["year"] == 2025 and r["code"].startswith("271")]
    low = sum(r["women"] for r in rows if not suppressed(r))
    hidden = sum(r["total"] for r in rows if suppressed(r))
    total = sum(r["total"] for r in rows)
    assert hidden == 9 and Fraction(low + hidden, total) < THRESHOLD
    (row,) = [r for r in sheet_rows(book["Kjønnsbalanse 2025"]) if r["Kode"] == "271"]
    assert row["Status"] == "skjev (under terskel)"
    assert f"kvinner mellom {low} og {low + hidden} av {total}" in row["Hvorfor"]
    decided = [r for r in sheet_rows(book["Kjønnsbalanse 2025"]) if r["Status"] != "kan ikke vurderes"]
    assert not [r["Kode"] for r in decided if "avhenger" in (r["Hvorfor"] or "")]


@pytest.mark.slow
def test_a_dash_in_students_needed_is_explained(page, word):
    # Samordna opptak gives the share of women among first-choice applicants as a percentage only
    # ("34,1 %"), not counts: how many more are needed cannot be computed, and the list shows "–"
    header = next(row for row in html_table_cells(page) if "Antall som trengs" in row)
    col = header.index("Antall som trengs")
    dashes = [row for row in html_table_cells(page) if len(row) == len(header) and row[col] == "–"]
    assert any(row[2] == "førstevalgssøkere" for row in dashes)
    note = "«–» under «antall som trengs»"
    assert note in page.get_text(" ")
    assert any(p.text.startswith(note) for p in word.paragraphs)


# --- every chart and sheet says its years ------------------------------------------------------


def samordna_years() -> set[int]:
    """The years of NTNU's rows in Samordna opptak's programme sample."""
    with (RAW / "samordna_opptak_sokertall_sample_ntnu_og_konkurrenter_2021_2026.csv").open(encoding="utf-8") as f:
        return {
            int(r["aar"])
            for r in csv.DictReader(f)
            if r["institusjon"] == "Norges teknisk-naturvitenskapelige universitet"
        }


def seed_years() -> list[int]:
    header = (RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv").read_text(encoding="utf-8").splitlines()[0]
    return [int(y) for y in header.split(";")[1:]]


@pytest.mark.slow
def test_a_chart_over_years_names_its_years_and_level_in_its_caption(word):
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption" and p.text.startswith("Figur")]
    dbh = sorted({r["year"] for r in dbh_rows()})
    first_choice = sorted(y for y in samordna_years() if y <= 2025)  # the report year is DBH's last, 2025
    seed = seed_years()
    with (RAW / "studiebarometeret_index_history_sample.csv").open(encoding="utf-8") as f:
        # NTNU's Arkitektur in the portal's time series (2024 withheld: too few answers, still a year shown)
        portal = sorted({int(r["survey_year"]) for r in csv.DictReader(f) if r["sb_id"] == "1150_maar-trondheim"})
    expected = [
        f"Andel kvinner per år {dbh[0]}–{dbh[-1]}, NTNU – registrerte studenter, høst, alle kategorier, fakultet.",
        f"Andel kvinner per år {first_choice[0]}–{first_choice[-1]}, NTNU – førstevalgssøkere, studieprogram.",
        f"Andel kvinner per år {seed[0]}–{seed[-1]}, NTNU – tatt opp (hovedopptak), studieprogram.",
        f"Studiebarometeret {portal[0]}–{portal[-1]}, NTNU: Arkitektur (master 5 år), indekser per år.",
    ]
    for text in expected:
        assert any(text in c for c in captions), (text, captions)
    # no caption of a chart over several years leaves them out
    assert not [c for c in captions if re.search(r"per år –|Utvikling over tid", c)]


@pytest.mark.slow
def test_the_appendix_sheet_names_the_years_its_rows_hold(book):
    (name,) = [n for n in book.sheetnames if n.startswith("Vedlegg")]
    years = [r["År"] for r in sheet_rows(book[name])]
    # the seed's first column is 2007; the report year is DBH's last, 2025 (Samordna's 2026
    # admission round is after it, and left out)
    assert min(years) == seed_years()[0] and max(years) == max(r["year"] for r in dbh_rows())
    assert name == f"Vedlegg kjønnsbalanse {min(years)}–{max(years)}"


def faculty_names_2025() -> dict[str, str]:
    """Faculty code -> the name DBH table 210 gives it in autumn 2025 (validity: year + semester digit)."""
    data = json.loads((RAW / "dbh_api" / "dbh_api_t210_1150.json").read_text(encoding="utf-8"))
    return {
        r["Fakultetskode"]: r["Fakultetsnavn"]
        for r in data[1:]
        if int(r["Gyldig fra"]) <= 20253 <= int(r["Gyldig til"])
    }


@pytest.mark.slow
def test_a_faculty_own_unit_among_departments_is_not_read_as_the_faculty(report):
    # DBH registers a faculty's administration as department <faculty>000 and the national export
    # names it after the faculty ("Fakultet for ingeniørvitenskap"): in the department chart that
    # name alone is the whole faculty's; the code tells the two apart
    faculties = faculty_names_2025()
    own = {r["code"] for r in dbh_rows() if r["year"] == 2025 and r["code"].endswith("000") and r["total"] > 0}
    assert {"271000", "273000"} <= own
    # (a long name wraps over two lines beside its bar)
    labels = {
        y.replace("<br>", " ") for trace in figure_json(report, "kjonn_institutt")["data"] for y in trace.get("y") or []
    }
    own = "– fakultetets egen enhet"
    assert f"{faculties['271']} {own} (271000)" in labels and f"{faculties['273']} {own} (273000)" in labels
    assert not labels & set(faculties.values()), "a department shown under its faculty's bare name"


@pytest.mark.slow
def test_a_finding_counts_the_units_in_the_data_not_all_of_the_institution(page):
    # Samordna's files here are an extract (a 16-programme sample and 24 programmes of the
    # national file): "18 av 21 studieprogrammer" must not read as 18 of NTNU's programmes
    findings = [li.get_text(" ", strip=True) for li in page.find_all("li")]
    about = [f for f in findings if "førstevalgssøkere" in f and "under 40 %" in f]
    assert len(about) == 1 and re.search(r"^\d+ av \d+ studieprogrammer i datagrunnlaget har under 40 %", about[0])


@pytest.mark.slow
def test_the_page_and_the_workbook_say_a_shot_figure_s_scope_in_the_same_words(page, book):
    # SHoT's national file: every row is a national figure ("alle", "kvinner", "menn"), except the
    # regional figure the report adds for Bergen (Sammen). One figure, one word for its scope.
    (table,) = [t for t in page.find_all("table") if "Omfang" in [th.get_text(strip=True) for th in t.find_all("th")]]
    cells = html_table_cells(table)
    assert cells[0][:4] == ["Indikator", "Gruppe", "Omfang", "Bølge"]
    on_page = {(row[0], row[1], int(row[3])): row[2] for row in cells[1:]}
    (sheet,) = [n for n in book.sheetnames if n.startswith("SHoT")]
    in_book = {(r["Indikator"], r["Gruppe"], r["Bølge"]): r["Omfang"] for r in sheet_rows(book[sheet])}
    shared = on_page.keys() & in_book.keys()
    assert len(shared) == len(on_page) > 10
    assert {k: in_book[k] for k in shared} == {k: on_page[k] for k in shared}
    assert on_page[("Alvorlige psykiske symptomplager", "alle", 2022)] == "nasjonalt"


# --- numbers with the precision their source publishes -----------------------------------------


def integration_extract() -> dict[tuple[str, str], tuple[str, str]]:
    """(study level, institution) -> (academic, social) as the 2017 extract writes them: one
    decimal, "2,3"."""
    with (RAW / "seed_studiebarometeret_2017_integrering.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=";"))[1:]
    level = {"Bachelorstudenter": "bachelor", "Masterstudenter": "master"}
    return {(level[r[0]], r[1]): (r[2], r[3]) for r in rows}


@pytest.mark.slow
def test_integration_scores_are_shown_with_the_one_decimal_the_source_publishes(report, book):
    extract = integration_extract()
    assert extract[("master", "NTNU")] == ("2,3", "2,2")  # as DOMAIN.md quotes the seed
    # the workbook: the extract's number, displayed with one decimal
    (name,) = [n for n in book.sheetnames if n.startswith("Integrering")]
    ws = book[name]
    header = [c.value for c in ws[1]]
    cols = {h: header.index(h) for h in ("Studienivå", "Institusjon", "Faglig integrering", "Sosial integrering")}
    seen = set()
    for row in ws.iter_rows(min_row=2):
        key = (row[cols["Studienivå"]].value, row[cols["Institusjon"]].value)
        for cell, text in zip((row[cols["Faglig integrering"]], row[cols["Sosial integrering"]]), extract[key]):
            assert cell.number_format == "0.0", (key, cell.number_format)
            assert cell.value == float(text.replace(",", "."))
        seen.add(key)
    assert seen == set(extract)
    # the CSV for people: the extract's own text
    with (report / "tables" / "integration.csv").open(encoding="utf-8-sig") as f:
        shown = {
            (r["Studienivå"], r["Institusjon"]): (r["Faglig integrering"], r["Sosial integrering"])
            for r in csv.DictReader(f, delimiter=";")
        }
    assert shown == extract
    # the charts on the page (and their PNG in the Word document): the bars' numbers as published
    for level in ("bachelor", "master"):
        fig = figure_json(report, f"integrering_{level}")
        for trace in fig["data"][:2]:  # academic, then social
            which = 0 if trace["name"] == "Faglig integrering" else 1
            names = [re.sub(r"</?b>", "", y) for y in trace["y"]]
            assert trace["text"] == [extract[(level, n)][which] for n in names]
            assert ":.1f}" in trace["hovertemplate"]
    # the machine table keeps what the data gives: the combined score of 2,4 and 2,5 is 2,45
    import pandas as pd

    machine = pd.read_parquet(report / "tables" / "integration.parquet")
    ntnu = machine[(machine["institution"] == "NTNU") & (machine["level"] == "bachelor")].iloc[0]
    assert ntnu["integration_score"] == pytest.approx(2.45) and ntnu["gap_to_best"] == pytest.approx(-2.05)


# --- a report for a year holds that year and the years before ----------------------------------

#: The workbook's and the CSV's headers of a column of years.
YEAR_HEADERS = {"År", "Undersøkelsesår", "Bølge", "Forrige bølge", "Forrige år"}


@pytest.mark.slow
def test_no_table_holds_a_year_after_the_report_year_and_the_notes_name_the_years_left_out(report, page, word, book):
    report_year = max(r["year"] for r in dbh_rows())  # the default: DBH's last year of NTNU
    assert report_year == 2025
    later = sorted(y for y in samordna_years() if y > report_year)
    assert later == [2026]  # the sample's 2026 admission round: first-choice applicants
    # no sheet and no CSV holds a row of a later year
    for ws in book:
        for header in YEAR_HEADERS & {c.value for c in ws[1]}:
            years = [r[header] for r in sheet_rows(ws) if r[header] is not None]
            assert max(years, default=report_year) <= report_year, (ws.title, header)
    for path in sorted((report / "tables").glob("*.csv")):
        with path.open(encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f, delimiter=";"))
        for header in YEAR_HEADERS & set(rows[0] if rows else ()):
            assert all(int(r[header]) <= report_year for r in rows if r[header]), (path.name, header)
    # nor does a table on the page (the history table's columns are years)
    for table in page.find_all("table"):
        years = [int(th.get_text(strip=True)) for th in table.find_all("th") if th.get_text(strip=True).isdigit()]
        assert max(years, default=report_year) <= report_year

    # the reader is told the data hold 2026 for first-choice applicants, and that it was left out
    def says_so(text: str) -> bool:
        return "2026" in text and "førstevalgssøkere" in text and "holdt utenfor" in text

    (notes,) = [n for n in book.sheetnames if n == "Merknader"]
    assert any(says_so(r["Merknad"]) for r in sheet_rows(book[notes]))
    assert any(says_so(p.get_text(" ", strip=True)) for p in page.find_all("p"))
    assert any(says_so(p.text) for p in word.paragraphs)


@pytest.mark.slow
def test_the_portal_finding_says_how_many_programmes_its_index_values_are_of(page):
    # the portal file is a sample of NTNU's programmes: "12 av 32 indeksverdier" alone reads as
    # all of NTNU; the finding says they are the index values of the programmes in the data
    with (RAW / "studiebarometeret_2025_portal_index_sample.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["institusjonskode"] == "1150" and r["survey_year"] == "2025"]
    assert all(int(r["respondents"]) >= 10 for r in rows)  # none hidden, none marked
    below = sum(float(r["value"]) < float(r["field_average"]) for r in rows)
    programmes = len({r["sb_id"] for r in rows})
    expected = (
        f"Studiebarometeret 2025, NTNU (egen institusjon): {below} av {len(rows)} indeksverdier for "
        f"{programmes} studieprogrammer i datagrunnlagets tall fra studiebarometeret.no ligger under snittet "
        "for fagfeltet."
    )
    assert expected in [li.get_text(" ", strip=True) for li in page.find_all("li")]
