"""The notebooks' tables read as the report's do: headers and words in the report's language,
numbers as the report writes them (decimal comma, a share as "26,2 %"), "–" where a value is
missing, never pandas' "<NA>", "NaN", "None" or a bare fraction 0.262026, and never the machine
table's English words ("registered", "women and men suppressed by the source"). Expected texts by hand."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.report.notebook import people, read_summary, suppressed_cells, year_on_year


def flagged_faculty() -> pd.DataFrame:
    """Faculty 210 in 2025: 2168 men of 8274 (26.2 %), 1903 more needed (5·(2168+k) ≥ 2·(8274+k)
    <=> 3k ≥ 5708 <=> k ≥ 1902⅔), no field benchmark (no NUS codes)."""
    return pd.DataFrame(
        {
            "faculty_code": ["210"],
            "faculty_name": ["Fakultet for samfunns- og utdanningsvitenskap"],
            "level": ["faculty"],
            "unit_code": ["210"],
            "unit_name": ["Fakultet for samfunns- og utdanningsvitenskap"],
            "measure": ["registered"],
            "semester": ["autumn"],
            "student_category": ["all"],
            "underrepresented": ["men"],
            "underrepresented_share": pd.array([2168 / 8274], dtype="Float64"),
            "total": pd.array([8274], dtype="Int64"),
            "field_underrepresented_share": pd.array([None], dtype="Float64"),
            "students_needed_fewest": pd.array([1903], dtype="Int64"),
            "students_needed_most": pd.array([1903], dtype="Int64"),
            "consecutive_years_flagged": pd.array([7], dtype="Int64"),
            "trend": ["flat"],
            "year": pd.array([2025], dtype="Int64"),
            "source_kind": ["dbh-123-json"],
            # nothing suppressed: neither its own cell nor cells inside it
            "suppressed_units": pd.array([0], dtype="Int64"),
            "suppression": [None],
            "suppressed_inside": [None],
        }
    )


def test_a_share_is_a_percentage_and_a_missing_value_a_dash():
    nb = people(flagged_faculty(), "followup", "nb", 0.4).iloc[0]
    assert nb["Andel av underrepresentert kjønn"] == "26,2 %"
    assert nb["Fagfeltet nasjonalt"] == "–"
    assert nb["Antall som trengs (minst)"] == "1903" and nb["Antall i alt"] == "8274"
    assert nb["Mål"] == "registrerte studenter, høst, alle kategorier"
    en = people(flagged_faculty(), "followup", "en", 0.4).iloc[0]
    assert en["Share of the under-represented gender"] == "26.2 %" and en["Field, national"] == "–"


def test_notebook_01_says_its_notes_are_technical_messages_in_english_as_the_report_does(tmp_path):
    """The notes from reading the data are the product's error interface, in English by design;
    the report lists them under "Merknader fra innlesingen (tekniske meldinger, på engelsk)". Notebook
    01 printed them in a Norwegian run under no such word, English lines in a Norwegian notebook.
    It prints them under the report's heading now, in either language; none: "Ingen advarsler"."""
    from analysis.report.notebook import warning_lines

    note = "a.csv:3:aar: 'x' — not a year (write the year as digits)"
    data = SimpleNamespace(
        data_dir=tmp_path,
        validated={"inputs": [{"file": "a.csv", "warnings": [note]}]},
        warnings=["b.csv:-:-: 2 — two"],
    )
    assert warning_lines(data, "nb") == [
        "Merknader fra innlesingen (tekniske meldinger, på engelsk)",
        f"• {note}",
        "• b.csv:-:-: 2 — two",
    ]
    assert warning_lines(data, "en")[0] == "Notes from reading the data"
    none = SimpleNamespace(data_dir=tmp_path, validated={"inputs": [{"file": "a.csv"}]}, warnings=[])
    assert warning_lines(none, "nb") == ["Ingen advarsler."]


def test_the_files_read_are_listed_in_the_report_language():
    data = SimpleNamespace(
        validated={
            "inputs": [
                {"file": "raw/b.json", "kind": "dbh-123-json", "dataset": "gender", "rows": 349, "suppressed": 3},
                {"file": "raw/a.csv", "kind": "shot-indicators", "dataset": "shot", "rows": 29},
            ]
        }
    )
    table = read_summary(data, "nb")
    assert list(table.columns) == ["Fil", "Filtype", "Datasett", "Rader", "Skjermede celler", "Advarsler"]
    assert table.to_dict("records") == [
        {
            "Fil": "b.json",
            "Filtype": "DBH-API (JSON), tabell 123 Registrerte studenter",
            "Datasett": "Kjønnstall (søkere, opptak, registrerte studenter)",
            "Rader": "349",
            "Skjermede celler": "3",
            "Advarsler": "0",
        },
        # a SHoT file has no cells to suppress: "–", not NaN
        {
            "Fil": "a.csv",
            "Filtype": "SHoT-indikatortabell",
            "Datasett": "SHoT-indikatorer",
            "Rader": "29",
            "Skjermede celler": "–",
            "Advarsler": "0",
        },
    ]
    # the kinds in English where the notebook is in English
    assert read_summary(data, "en")["Kind of file"].tolist() == [
        "DBH API (JSON), table 123 registered students",
        "SHoT indicator table",
    ]


def test_a_suppressed_department_is_listed_in_words():
    row = {
        "faculty_code": "271",
        "faculty_name": "Fakultet for ingeniørvitenskap",
        "level": "department",
        "unit_code": "271740",
        "unit_name": "Institutt for bygg- og miljøteknikk",
        "measure": "registered",
        "semester": "autumn",
        "student_category": "all",
        "total": 9,
        "suppressed_units": 1,
        "suppression": "small_cell",
        "status": "unknown",
        "reason": "women and men suppressed by the source (small cell, 9 students)",
        "year": 2025,
        "source_kind": "dbh-123-json",
    }
    table = suppressed_cells(SimpleNamespace(flags=pd.DataFrame([row])), "nb")
    (listed,) = table.to_dict("records")
    assert listed["Enhet"] == "Institutt for bygg- og miljøteknikk" and listed["Kode"] == "271740"
    assert listed["Mål"] == "registrerte studenter, høst, alle kategorier"
    assert listed["Hvorfor"] == "kvinner og menn er skjermet i kilden (lite tall, 9 studenter)"


def test_a_change_from_a_withheld_year_is_a_dash():
    history = pd.DataFrame(
        {
            "sb_id": ["1150_maar"] * 3,
            "dimension_key": ["undervisning"] * 3,
            "survey_year": [2022, 2023, 2024],
            "value": pd.array([4.2, 4.3, None], dtype="Float64"),  # 2024 withheld by the portal
        }
    )
    index = pd.DataFrame(
        {"sb_id": ["1150_maar"], "survey_year": [2024], "programme_name": ["Arkitektur (master 5 år)"]}
    )
    table = people(year_on_year(history, index, 2024), "portal_change", "nb")
    assert list(table.columns) == [
        "Program",
        "Kode",
        "Indeks",
        "Undersøkelsesår",
        "Studieprogrammet",
        "Året før",
        "Endring",
    ]
    # the programme by its name on the portal, its id beside it
    assert table["Program"].tolist() == ["Arkitektur (master 5 år)"] * 3
    assert table["Kode"].tolist() == ["1150_maar"] * 3
    assert table["Indeks"].tolist() == ["Undervisning"] * 3
    # 4.3 − 4.2 = 0.1; 2022 has no year before; 2024 is withheld
    assert table["Endring"].tolist() == ["–", "0,1", "–"]
    assert table["Studieprogrammet"].tolist() == ["4,2", "4,3", "–"]


def test_a_change_over_a_gap_of_years_is_not_the_year_before():
    """2021: 4.0, no row for 2022 (the portal has no figure that year), 2023: 4.4, 2024: 4.1.
    2023's "the year before" is 2022's, which is not there: no change (4.4 − 4.0 is a change over
    two years); 2024's is 2023's 4.4: 4.1 − 4.4 = −0.3."""
    history = pd.DataFrame(
        {
            "sb_id": ["1150_maar"] * 3,
            "dimension_key": ["undervisning"] * 3,
            "survey_year": [2021, 2023, 2024],
            "value": pd.array([4.0, 4.4, 4.1], dtype="Float64"),
        }
    )
    index = pd.DataFrame({"sb_id": ["1150_maar"], "survey_year": [2024], "programme_name": ["Arkitektur"]})
    table = people(year_on_year(history, index, 2024), "portal_change", "nb")
    assert table["Undersøkelsesår"].tolist() == ["2021", "2023", "2024"]
    assert table["Året før"].tolist() == ["–", "–", "4,4"]
    assert table["Endring"].tolist() == ["–", "–", "-0,3"]


def test_a_portal_programme_is_named_as_of_the_report_year():
    """One rule names a portal programme wherever the report or a notebook shows it: its name on
    the portal in the latest survey year not after the report year, else in the earliest year
    after it; a programme the index does not name keeps its id."""
    from analysis.metrics.unit_names import portal_programme_names

    index = pd.DataFrame(
        {
            "sb_id": ["1150_x", "1150_x", "1150_x", "1150_y"],
            "survey_year": [2022, 2024, 2025, 2025],
            "programme_name": ["Gammelt navn", "Navn 2024", "Nytt navn", "Yngre program"],
        }
    )
    # 2024 is the latest year not after 2024; 1150_y has only 2025, the earliest after
    assert portal_programme_names(index, 2024) == {"1150_x": "Navn 2024", "1150_y": "Yngre program"}
    assert portal_programme_names(index, 2023) == {"1150_x": "Gammelt navn", "1150_y": "Yngre program"}
    assert portal_programme_names(index) == {"1150_x": "Nytt navn", "1150_y": "Yngre program"}
    history = pd.DataFrame(
        {
            "sb_id": ["1150_x", "1150_z"],
            "dimension_key": ["undervisning"] * 2,
            "survey_year": [2024, 2024],
            "value": pd.array([4.0, 3.0], dtype="Float64"),
        }
    )
    table = people(year_on_year(history, index, 2024), "portal_change", "nb")
    assert table["Program"].tolist() == ["Navn 2024", "1150_z"]


def test_every_kind_of_file_has_words_in_both_languages():
    """Notebook 01 says what kind of file it read in words, not by the reader's machine name
    ("dbh-123-json", "sb-portal-index"): every kind a reader exists for has its words."""
    from analysis.charts.labels import LABELS
    from analysis.readers.kinds import KINDS

    lacking = sorted(k for k in KINDS if set(LABELS.get(f"filekind_{k}", {})) != {"nb", "en"})
    assert not lacking, lacking


def test_every_dataset_has_a_name_in_both_languages():
    """Notebook 01 names the datasets it read in words, not by their machine names ("gender",
    "faculties"): every dataset a reader feeds, and Samordna's key figures ("admissions")."""
    from analysis.charts.labels import LABELS
    from analysis.readers.kinds import KINDS
    from analysis.report.notebook import dataset_rows

    names = {k.dataset for k in KINDS.values()} | {"admissions"}
    assert all(set(LABELS.get(f"dataset_{n}", {})) == {"nb", "en"} for n in names), sorted(
        n for n in names if f"dataset_{n}" not in LABELS
    )
    data = SimpleNamespace(validated={"datasets": {"shot": {"rows": 29}, "faculties": {"rows": 380}}})
    rows = dataset_rows(data, "nb")
    assert rows.name == "rader"
    assert rows.to_dict() == {"Fakultetsnavn (DBH tabell 210)": 380, "SHoT-indikatorer": 29}


def markdown_of(path) -> str:
    """The text cells of a notebook kept as jupytext percent .py: what the adviser reads."""
    text, inside = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# %%"):
            inside = "[markdown]" in line
        elif inside:
            text.append(line.removeprefix("#").strip())
    return " ".join(text)


def test_the_notebooks_text_is_in_the_reports_words():
    """The notebooks' prose is read by the adviser beside the report: it says a status, a
    table and a file as the report says them, not by the program's or the developers' names
    for them (the report says "kan ikke vurderes", never "ukjent"; "LMU 28.11.2018 (vedlegg)",
    never "seed"; "Filtype", never *kind*; respondent data, never `survey_respondents`)."""
    from analysis import paths
    from analysis.charts.labels import label

    prose = {p.stem: markdown_of(p) for p in sorted(paths.NOTEBOOKS.glob("0*.py"))}
    machine = ["*kind*", "`survey_respondents`", "`ukjent`", "seed-tabellen", "flagget enhet", "uten token"]
    found = {name: [w for w in machine if w in text] for name, text in prose.items()}
    assert not any(found.values()), found
    # what the suppressed units become, as the report's own table names them
    assert f"«{label('status_unknown')}»" in prose["01_datakvalitet"]


def test_the_portal_explorer_offers_the_survey_years_up_to_the_report_year(monkeypatch):
    """Notebook 04's explorer offers the years the report speaks of: its time series stops at
    the report year (load_report_data), so a later year the portal download holds is not in
    the year list. The embedded index is NTNU's 2025; the same programmes given for 2024 and
    2026 as well, a 2025 report offers 2025 and 2024, never 2026."""
    from dataclasses import replace

    import IPython.display

    from analysis import paths
    from analysis.report.data import load_report_data
    from analysis.report.notebook import portal_explorer

    data = load_report_data(paths.RAW, 2025, "1150")
    index = data.portal_index
    assert set(index["survey_year"]) == {2025}
    years = pd.concat([index.assign(survey_year=y) for y in (2024, 2025, 2026)], ignore_index=True)
    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    portal_explorer(replace(data, portal_index=years), "nb")
    (box,) = shown
    programme, year = box.children[0].children
    assert list(year.options) == [2025, 2024]
    assert year.value == 2025


def test_the_notes_from_reading_name_a_file_as_the_report_does(tmp_path):
    """Notebook 01's warnings and notes name a file by its path in the data folder, as the report's
    "Merknader fra innlesingen" does, never by the adviser's folders above it: Samordna's national excerpt
    has a cell 'NA' (the reader's warning), and a table in a format that is not read (a
    .numbers file put beside the data) gives a note, in the notebook and in the report alike."""
    import shutil

    from analysis import paths
    from analysis.report.data import load_report_data
    from analysis.report.notebook import all_warnings

    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    (raw / "tabell.numbers").write_bytes(b"PK")
    data = load_report_data(raw, 2025, "1150")
    shown = all_warnings(data)
    assert not [w for w in shown if str(tmp_path) in w], shown
    # by its path in the data folder, as the sources and the validated rows name it
    samordna = "samordna_national/so_sokertall_programnivaa_2021-2026_hentet_2026-09-22_utdrag.json:"
    assert any(w.startswith(samordna) and "'NA'" in w for w in shown), shown
    stray = "tabell.numbers:-:-: '.numbers' — a table in a format that is not read (export it as .xlsx or .csv)"
    assert stray in shown and stray in data.warnings  # data.warnings: the report's notes


@pytest.mark.slow
def test_notebook_04_says_how_many_programmes_it_charts_and_draws_none_that_is_all_hidden(tmp_path):
    """Notebook 04 charts the items of a few programmes of the respondent data. It charted the
    first 10 codes and said nothing of the other 50 (a silent drop), and among the 10 drew
    programmes of which every cell is hidden: a chart of "skjermet" only, 86 rows of it (a
    report built from a synthetic respondent file of 60 programmes, 2026-12-04). Now the charts
    are of programmes with a result that may be shown, and a sentence says how many of how many
    are charted, and how many have only hidden results."""
    import shutil

    from analysis import paths
    from analysis.report.data import load_report_data
    from analysis.report.notebook import programme_item_charts
    from analysis.synth import generate_respondents, write_respondents

    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    respondents = generate_respondents(1500, n_items=8, n_programmes=60, n_years=1, seed=3)
    write_respondents(respondents, raw / "sb_respondenter.csv")
    data = load_report_data(raw, max(respondents.column("aar").to_pylist()), "1110")
    survey = data.survey
    programmes = survey[(survey["year"] == survey["year"].max()) & (survey["level"] == "programme")]
    hidden = programmes.groupby("unit_code")["suppressed"].all()
    shown_codes = sorted(hidden.index[~hidden])
    assert hidden.sum() > 0 and len(shown_codes) > 3  # the case: some all hidden, more than the limit shown

    figures, note = programme_item_charts(data, "nb", limit=3)
    titles = [f.layout.title.text for f in figures]
    assert len(figures) == 3
    assert all(any(code in t for t in titles) for code in shown_codes[:3])
    assert not any(code in t for code in hidden.index[hidden] for t in titles)
    assert f"3 av {len(shown_codes)} studieprogram" in note
    assert f"{int(hidden.sum())} studieprogram har bare skjermede resultater" in note


@pytest.mark.slow
def test_notebook_04_draws_a_programme_under_two_faculties_once_per_faculty(tmp_path):
    """A programme delivered under two faculties has a row per item under each (the survey
    tables key a programme by its faculty too). Notebook 04 picked a programme's rows by its
    code alone, so both faculties' means of an item were drawn on the item's one row, one
    over the other, under one title. Now each faculty's programme is a chart of its own, whose
    title names the faculty."""
    import dataclasses
    import shutil

    from analysis import paths
    from analysis.report.data import load_report_data
    from analysis.report.notebook import programme_item_charts
    from analysis.synth import generate_respondents, write_respondents

    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    respondents = generate_respondents(1500, n_items=8, n_programmes=6, n_years=1, seed=3)
    write_respondents(respondents, raw / "sb_respondenter.csv")
    data = load_report_data(raw, max(respondents.column("aar").to_pylist()), "1110")
    survey = data.survey
    programmes = survey[survey["level"] == "programme"]
    shown = programmes[~programmes["suppressed"].astype(bool)]
    code = sorted(shown["unit_code"].unique())[0]
    one = programmes[programmes["unit_code"] == code].assign(faculty_code="999")  # the same code, a second faculty
    split = dataclasses.replace(data, survey=pd.concat([survey, one], ignore_index=True))

    figures, _note = programme_item_charts(split, "nb")
    mine = [f for f in figures if f" {code}" in f.layout.title.text]
    assert len(mine) == 2, [f.layout.title.text for f in figures]
    assert any("999" in f.layout.title.text for f in mine)
    for fig in mine:
        rows = [y for trace in fig.data if trace.x is not None and len(trace.x) for y in trace.y]
        assert len(rows) == len(set(rows)), fig.layout.title.text  # one mean per item row


def test_a_notebook_shows_its_table_whole():
    """Notebook 04's table of the portal's changes (embedded data: 64 rows, 7 columns) was cut by
    pandas' display limit to its first and last five rows around "..." rows, and nothing said
    so. After the notebooks' set-up, the table as the notebook shows it (IPython's HTML and text
    forms) has every row and no "..." row, column or cell."""
    from analysis.report.data import load_report_data
    from analysis.report.notebook import setup

    data = load_report_data()
    change = people(year_on_year(data.portal_history, data.portal_index, data.year), "portal_change", "nb")
    assert len(change) > 60  # beyond pandas' own limit of rows shown
    with pd.option_context("display.max_rows", 60, "display.max_columns", 20, "display.max_colwidth", 50):
        setup()  # sets the notebooks' options; the context restores pandas' defaults after the test
        html, text = change._repr_html_(), repr(change)
    assert html.count("<tr") == len(change) + 1  # the header row and every row
    assert "..." not in html and "..." not in text
    assert f"{len(change)} rows" not in text  # pandas' footer of a cut table
    for code in change["Kode"].unique():
        assert code in html


def test_a_notebook_table_longer_than_an_adviser_reads_says_it_is_cut_and_where_the_whole_is(capsys):
    """Lifting pandas' limits outright put a national respondent file's integration table (4 362
    rows) whole into notebook 03: 5.6 MB instead of 0.65 MB. Up to ROWS_SHOWN rows a table is
    shown whole; a longer one shows its first and last ROWS_SHOWN / 2 rows, and people() says
    how many rows it has and where the whole table is. The portal's changes of the embedded data
    twenty times over (1 280 rows) stand in for the long table."""
    from analysis.report.data import load_report_data
    from analysis.report.notebook import ROWS_SHOWN, setup

    data = load_report_data()
    change = year_on_year(data.portal_history, data.portal_index, data.year)
    long = pd.concat([change] * 20, ignore_index=True)
    with pd.option_context(
        "display.max_rows", 60, "display.min_rows", 10, "display.max_columns", 20, "display.max_colwidth", 50
    ):
        setup()  # the context restores pandas' defaults after the test
        table = people(long, "portal_change", "nb")
        html = table._repr_html_()
    assert len(table) == 20 * len(change) > ROWS_SHOWN
    # the header, the rows shown and pandas' one "..." row
    assert html.count("<tr") == 1 + ROWS_SHOWN + 1
    assert f"{len(table)} rows × {len(table.columns)} columns" in html
    said = capsys.readouterr().out
    assert (
        f"Tabellen har {len(table)} rader; her vises de {ROWS_SHOWN // 2} første og de {ROWS_SHOWN // 2} siste" in said
    )
    assert "Hele tabellen står i rapportens regneark" in said
    capsys.readouterr()
    people(change, "portal_change", "nb")  # a short table: whole, and nothing said
    assert capsys.readouterr().out == ""


def test_the_notebooks_text_names_no_confidence_level_of_its_own():
    """An interval is said at the level it was computed with, [survey]/[gender] confidence_level
    (the charts' titles and the tables' headers say it): the prose, which cannot follow the
    settings, names none ("med 95 % konfidensintervall" beside a chart titled "90 % KI")."""
    import re

    from analysis import paths

    prose = {p.stem: markdown_of(p) for p in sorted(paths.NOTEBOOKS.glob("0*.py"))}
    level = re.compile(r"\d+(?:[.,]\d+)?\s*%\s*(?:konfidens|KI\b|confidence|CI\b)")
    found = {name: level.findall(text) for name, text in prose.items()}
    assert not any(found.values()), found


def test_a_table_with_intervals_says_their_level_or_what_to_pass():
    """people(flags, "gender") in an adviser's own notebook cell: its interval headers say the
    settings' level ("90 % KI, nedre" at gender.confidence_level 0.9); without the levels the
    message says what to pass, not only that a level is missing."""
    from analysis.charts.labels import confidence_levels
    from analysis.settings import GenderSettings, Settings

    frame = flagged_faculty().assign(
        share_women=pd.array([6106 / 8274], dtype="Float64"),
        ci_low=pd.array([0.25], dtype="Float64"),
        ci_high=pd.array([0.27], dtype="Float64"),
    )
    levels = confidence_levels(Settings(gender=GenderSettings(confidence_level=0.9)))
    shown = people(frame, "gender", "nb", levels=levels)
    assert {"90 % KI, nedre", "90 % KI, øvre"} <= set(shown.columns)
    with pytest.raises(ValueError, match=r"levels=confidence_levels\(data\.settings\)"):
        people(frame, "gender", "nb")
