"""The report's Studiebarometeret section from respondent-level data, checked against the
respondents themselves.

The respondents come from the product's own generator (:mod:`analysis.synth`), relabelled as
the report institution (NTNU, 1150) with NTNU's faculty codes, so that the real DBH files in
``data/raw`` give the institution its report year and name its faculties. Shaped for the checks:
in 2025 the teaching items rise one step and the overall-satisfaction item falls one step (a
significant rise and fall to find), and the medicine faculty (250) keeps three respondents
(below the minimum of 5, so it must be hidden, and another faculty with it).

Every expected number is computed here from the CSV as written, with pandas and scipy, following
the rules as the settings file and ``analysis.metrics.survey`` state them (a respondent's index
is the mean of the index items it answered, when at most ``index_max_missing`` are missing;
9999 "vet ikke" is no answer; Welch's t-test; Benjamini–Hochberg over one unit's indices in one
year) — never with the product's own aggregation.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import tomllib

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import paths
from analysis.report.content import report_content
from analysis.report.data import load_report_data
from tests.test_report_content import write_as_built

RAW = paths.RAW
CONFIG = tomllib.loads((paths.ROOT / "config" / "kvalitet.toml").read_text(encoding="utf-8"))["survey"]
INDICES: dict[str, list[str]] = CONFIG["indices"]
YEAR, PREVIOUS = 2025, 2024
#: The generator's faculty codes -> NTNU's faculty codes (DBH table 210).
FACULTY_OF = dict(
    zip(
        ["010", "020", "030", "040", "050", "060", "070", "080"],
        ["210", "220", "230", "250", "271", "272", "273", "274"],
        strict=True,
    )
)
TINY = "250"  # kept to three respondents in 2025
RISING, FALLING = "undervisning", "helhetsvurdering"
INDEX_WORDS = {
    "undervisning": "Undervisning",
    "tilbakemeldinger": "Tilbakemeldinger og veiledning",
    "vurderingsformer": "Vurderingsformer",
    "laeringsmiljo": "Læringsmiljø",
    "organisering": "Organisering",
    "yrkesrelevans": "Tilknytning til yrkeslivet",
    "engasjement": "Eget engasjement",
    "helhetsvurdering": "Helhetsvurdering",
}


# --- the data, written once ----------------------------------------------------------------


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    from analysis.synth import generate_respondents, write_respondents

    folder = tmp_path_factory.mktemp("survey") / "raw"
    folder.mkdir()
    shutil.copytree(RAW / "dbh_api", folder / "dbh_api")
    # the question texts, and the 2017 integration extract (respondent data of later years has no
    # integration items, and the integration step then reads the extract)
    for name in (
        "studiebarometeret_variabler_2021_2025_fra_oslomet_maler.csv",
        "seed_studiebarometeret_2017_integrering.csv",
    ):
        shutil.copy(RAW / name, folder / name)
    table = generate_respondents(3000, n_items=32, n_programmes=40, n_years=2, seed=3)
    frame = table.to_pandas()
    frame["institusjonskode"] = "1150"
    frame["fakultetskode"] = frame["fakultetskode"].map(FACULTY_OF)
    now = frame["aar"] == YEAR
    for items, step in ((INDICES[RISING], 1), (INDICES[FALLING], -1)):
        for item in items:
            answer = frame[item].between(1, 5) & now  # 9999 and blanks stay as they are
            frame.loc[answer, item] = (frame.loc[answer, item] + step).clip(1, 5)
    tiny = frame.index[now & (frame["fakultetskode"] == TINY)]
    frame = frame.drop(tiny[3:]).reset_index(drop=True)
    items = [c for c in frame.columns if c not in ("institusjonskode", "fakultetskode", "studprog_kod", "aar")]
    frame[items] = frame[items].astype("Int16")  # whole answers, as the generator writes them
    import pyarrow as pa

    write_respondents(pa.Table.from_pandas(frame, preserve_index=False), folder / "sb_respondenter.csv")
    return folder


@pytest.fixture(scope="module")
def respondents(raw) -> pd.DataFrame:
    """The CSV as written, read back with pandas (codes as text)."""
    codes = {"institusjonskode": str, "fakultetskode": str, "studprog_kod": str}
    return pd.read_csv(raw / "sb_respondenter.csv", sep=";", dtype=codes)


@pytest.fixture(scope="module")
def data(raw):
    return load_report_data(raw, None, "1150")


@pytest.fixture(scope="module")
def content(data):
    return report_content(data, "nb")


@pytest.fixture(scope="module")
def english(data):
    return report_content(data, "en")


# --- the rules, written out here --------------------------------------------------------------


def index_values(frame: pd.DataFrame, index: str) -> pd.Series:
    """Each respondent's index: the mean of its answers 1–5 to the index's items, when it
    answered all but at most ``index_max_missing`` of them (and at least one); else missing."""
    items = INDICES[index]
    answers = frame[items].where(frame[items].isin([1, 2, 3, 4, 5]))
    answered = answers.notna().sum(axis=1)
    enough = answered >= max(1, len(items) - CONFIG["index_max_missing"])
    return answers.mean(axis=1).where(enough)


def unit_rows(frame: pd.DataFrame, faculty: str | None = None) -> pd.DataFrame:
    return frame if faculty is None else frame[frame["fakultetskode"] == faculty]


def expected_index(frame: pd.DataFrame, index: str, year: int) -> tuple[int, float, float, float]:
    """n, mean and the t interval of the mean at the configured level, clipped to 1–5."""
    values = index_values(frame[frame["aar"] == year], index).dropna()
    n, mean, sd = len(values), float(values.mean()), float(values.std(ddof=1))
    low, high = stats.t.interval(CONFIG["confidence_level"], n - 1, loc=mean, scale=sd / math.sqrt(n))
    return n, mean, max(low, 1.0), min(high, 5.0)


def comma(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def faculty_names() -> dict[str, str]:
    """NTNU's faculty names valid in autumn 2025, from the raw DBH table 210 response."""
    rows = json.loads((RAW / "dbh_api" / "dbh_api_t210_1150.json").read_text(encoding="utf-8"))[1:]
    return {
        r["Fakultetskode"]: r["Fakultetsnavn"] for r in rows if int(r["Gyldig fra"]) <= 20253 <= int(r["Gyldig til"])
    }


def workbook(folder, data, content, lang: str = "nb"):
    """The report's workbook of ``content``, written into ``folder`` as the build writes it."""
    return write_as_built(folder, data, content, lang)[0]


# --- the outline ---------------------------------------------------------------------------


def section(content) -> list[dict]:
    ids = [b.get("id") for b in content.blocks]
    return content.blocks[ids.index("survey") : ids.index("wellbeing")]


def index_table(content) -> dict:
    (table,) = [b for b in section(content) if b["kind"] == "table" and b["id"] == "survey-indices"]
    return table


def grouped(table: dict) -> dict[str, list[list[str]]]:
    """Group row text -> its rows' cells."""
    out: dict[str, list[list[str]]] = {}
    group = None
    for row in table["rows"]:
        if "group" in row:
            group = row["group"]
            out[group] = []
        else:
            out[group].append(row["cells"])
    return out


def section_text(content) -> str:
    """Every word and number the section prints: headings, paragraphs, table cells, figure
    titles, alt texts and captions."""
    parts = []
    for b in section(content):
        if b["kind"] == "table":
            parts += [b["caption"] or "", *b["columns"]]
            parts += [r.get("group", "") for r in b["rows"]] + [c for r in b["rows"] for c in r.get("cells", [])]
        else:
            parts += [str(b.get(k, "")) for k in ("text", "title", "alt", "caption")]
    return "\n".join(parts)


def test_the_section_is_for_the_report_year_and_the_institution(data, content):
    assert data.year == YEAR, "DBH's registered students set the report year"
    headings = [b["text"] for b in section(content) if b["kind"] == "heading"]
    assert headings[:2] == ["Studiebarometeret 2025 – NTNU (egen institusjon)", "Indekser 2025 – NTNU og fakultetene"]
    assert "Svarfordeling 2025 – NTNU (hele institusjonen)" in headings
    assert index_table(content)["columns"] == [
        "Indeks",
        "Antall svar",
        "Gjennomsnitt (95 % KI)",
        "Endring fra 2024",
        "Signifikant endring",
        "Merknad",
    ]


def test_faculties_are_named_by_name_with_the_code_beside(content):
    names = faculty_names()
    groups = list(grouped(index_table(content)))
    assert groups == ["NTNU (hele institusjonen)"] + [f"{names[c]} ({c})" for c in sorted(FACULTY_OF.values())]
    titles = [b["title"] for b in section(content) if b["kind"] == "figure"]
    assert (
        "Studiebarometeret 2025, NTNU: Fakultet for naturvitenskap (272) – spørsmål (gjennomsnitt med 95 % KI)"
        in titles
    )
    assert not [t for t in titles if re.search(r": \d{3,4} ", t)], "no unit titled by its code alone"


def test_a_faculty_no_file_names_is_said_to_be_a_faculty_by_its_code(data):
    """Respondent data whose faculty codes DBH's table 210 does not name (a synthetic file's 010,
    in an NTNU report, 2026-12-04) titled the chart "Studiebarometeret 2025, NTNU: 010 – spørsmål"
    and grouped the index table under a bare "010". Now the code is said as a faculty's."""
    import dataclasses

    from analysis.report.survey_section import survey_section

    unnamed = dataclasses.replace(data, flags=data.flags.assign(faculty_name=pd.NA))
    for lang, words in (("nb", "fakultet"), ("en", "faculty")):
        blocks, _figures, _year = survey_section(unnamed, lang)
        titles = [b["title"] for b in blocks if b["kind"] == "figure"]
        assert any(f": {words} 272 – " in t for t in titles), titles
        assert not [t for t in titles if re.search(r": \d{3,4} ", t)], "no unit titled by its code alone"
        (table,) = [b for b in blocks if b["kind"] == "table" and b["id"] == "survey-indices"]
        groups = list(grouped(table))
        assert groups[1:] == [f"{words} {c}" for c in sorted(FACULTY_OF.values())]


def test_the_index_table_gives_its_source_once(content):
    """The index table's source line was written twice, under the table and again as a
    paragraph after its notes ("Kilde: NOKUT, Studiebarometeret, rådata per respondent, …" two
    lines apart in the page and the Word document)."""
    blocks = section(content)
    start = blocks.index(index_table(content))
    end = next(i for i, b in enumerate(blocks) if i > start and b["kind"] == "heading")
    table = blocks[start]
    assert table["source"].startswith("Kilde: NOKUT, Studiebarometeret, rådata per respondent")
    said = [b["text"] for b in blocks[start + 1 : end] if b["kind"] == "paragraph"]
    assert table["source"] not in said, said


def test_institution_indices_are_the_respondents_mean_with_n_and_interval(content, respondents):
    rows = {cells[0]: cells for cells in grouped(index_table(content))["NTNU (hele institusjonen)"]}
    assert list(rows) == [INDEX_WORDS[i] for i in INDICES], "every configured index, in the configured order"
    for index in INDICES:
        n, mean, low, high = expected_index(respondents, index, YEAR)
        assert rows[INDEX_WORDS[index]][1:3] == [str(n), f"{comma(mean)} ({comma(low)}–{comma(high)})"], index


def test_changes_carry_their_sign_and_the_benjamini_hochberg_mark(content, respondents):
    """Welch's t-test per index on the respondents' index values of 2025 against 2024, and the
    Benjamini–Hochberg adjustment over the institution's indices of 2025."""
    p, change = {}, {}
    for index in INDICES:
        now = index_values(respondents[respondents["aar"] == YEAR], index).dropna()
        before = index_values(respondents[respondents["aar"] == PREVIOUS], index).dropna()
        p[index] = stats.ttest_ind(now, before, equal_var=False).pvalue
        change[index] = now.mean() - before.mean()
    adjusted = dict(zip(p, stats.false_discovery_control(list(p.values()), method="bh"), strict=True))
    alpha = 1 - CONFIG["confidence_level"]
    rows = {cells[0]: cells for cells in grouped(index_table(content))["NTNU (hele institusjonen)"]}
    for index in INDICES:
        value = round(change[index], 2)
        sign = "+" if value > 0 else ("−" if value < 0 else "")
        words = (
            "ikke signifikant"
            if adjusted[index] >= alpha
            else "signifikant økning"
            if change[index] > 0
            else "signifikant nedgang"
        )
        assert rows[INDEX_WORDS[index]][3:5] == [sign + comma(abs(value)), words], index
    # the data was made so: teaching one step up, overall satisfaction one step down
    assert rows[INDEX_WORDS[RISING]][4] == "signifikant økning"
    assert rows[INDEX_WORDS[FALLING]][4] == "signifikant nedgang"


@pytest.mark.parametrize(
    "change, significant, words",
    [
        (0.4, True, "signifikant økning"),
        (-0.4, True, "signifikant nedgang"),
        (0.4, False, "ikke signifikant"),
        (0.4, pd.NA, "–"),  # shown, but no test (both years' sd 0): no mark, not "ikke signifikant"
        (np.nan, pd.NA, "–"),  # hidden
    ],
)
def test_the_significance_words_say_nothing_where_there_is_no_mark(change, significant, words):
    from analysis.report.survey_section import significance_words

    assert significance_words(pd.Series({"change": change, "significant": significant}), "nb") == words


def test_the_finding_counts_significant_rises_and_falls_at_the_institution(content):
    rows = grouped(index_table(content))["NTNU (hele institusjonen)"]
    up = sum(r[4] == "signifikant økning" for r in rows)
    down = sum(r[4] == "signifikant nedgang" for r in rows)
    assert up >= 1 and down >= 1
    assert (
        f"Studiebarometeret 2025 (rådata per respondent), NTNU (egen institusjon): {up} av {len(rows)} indekser "
        f"økte signifikant fra 2024, og {down} gikk signifikant ned (Benjamini–Hochberg-justert)."
    ) in content.findings


def test_a_shown_change_without_a_test_is_not_counted_as_a_rise(data, monkeypatch):
    """The teaching index's rise, had it no test (no mark), leaves the finding's rises one short."""
    from analysis.report import survey_section as report

    rows = report.survey_index_rows(data, YEAR)
    rising = (rows["level"] == "institution") & (rows["index_name"] == RISING)
    assert rows.loc[rising, "significant"].tolist() == [True]
    untested = rows.assign(significant=rows["significant"].mask(rising))
    before, _ = report.survey_finding(data, "nb")
    monkeypatch.setattr(report, "survey_index_rows", lambda *_: untested)
    after, _ = report.survey_finding(data, "nb")
    up = int(re.search(r": (\d+) av", before).group(1))
    assert after == before.replace(f": {up} av", f": {up - 1} av", 1)


def test_a_programme_under_two_faculties_leaves_the_index_table_as_it_is(data):
    """A programme delivered under two faculties is one unit code with a row under each faculty
    in the survey tables (``analysis.metrics.integration._hidden_in_survey`` says so). The report's
    index table shows the institution and its faculties only, so the programme's two change rows
    are not its business: the table is the same as without them. Before, its merge of the
    changes (every level) on level, unit code and index refused the two rows of one code
    (``MergeError``: not one-to-one), and the report build stopped (a second reader's attack,
    2026-12-03: a synthetic programme split between faculties 210 and 220)."""
    import dataclasses

    from analysis.report import survey_section as report

    changes = data.survey_changes
    programme = changes[changes["level"].astype(str) == "programme"]
    one = programme[programme["unit_code"].astype(str) == str(programme["unit_code"].iloc[0])]
    other_faculty = one.assign(faculty_code="999")  # the same code under a second faculty
    split = dataclasses.replace(data, survey_changes=pd.concat([changes, other_faculty], ignore_index=True))
    pd.testing.assert_frame_equal(report.survey_index_rows(split, YEAR), report.survey_index_rows(data, YEAR))


def test_a_suppressed_faculty_shows_no_number_anywhere(content, respondents, data):
    medicine = f"{faculty_names()[TINY]} ({TINY})"
    rows = grouped(index_table(content))[medicine]
    assert all(cells[1:5] == ["–"] * 4 and cells[5] == "skjermet¹" for cells in rows)
    # it is named once, by its group row: no paragraph, caption or chart title speaks of it
    assert section_text(content).count(medicine) == 1
    # no figure is of it, and every figure draws only results of its own unit that may be shown
    # (a value check against its means would not do: 3,00 or 3,33 is some other unit's mean too)
    items = content.tables["survey"].astype({"level": str, "unit_code": str})
    for figure in (f for f in content.figures if f.name.startswith("sporsmal_")):
        _, level, code = figure.name.split("_")
        own_items = items[(items["level"] == level) & (items["unit_code"] == code) & (items["year"] == YEAR)]
        shown = set(own_items.loc[~own_items["suppressed"], "mean"].astype(float).round(9))
        drawn = {
            round(float(x), 9) for t in figure.figure.data for x in (t.x if t.x is not None else []) if x is not None
        }
        assert drawn <= shown, figure.name
    assert len(unit_rows(respondents[respondents["aar"] == YEAR], TINY)) == 3
    assert not [f.name for f in content.figures if f.name.endswith(f"_{TINY}")], "no chart of a unit with nothing shown"
    assert not [s for s in content.findings if TINY in s or faculty_names()[TINY] in s]
    # the machine table and the workbook sheet show nothing of it either, not even its n
    table = content.tables["survey_indices"]
    mine = table[table["unit_code"] == TINY]
    assert len(mine) == len(INDICES)
    assert mine[["n", "mean", "ci_low", "ci_high", "change", "significant"]].isna().all().all()


def test_every_hidden_cell_is_a_dash_and_the_footnotes_say_why(content):
    table = content.tables["survey_indices"]
    groups = grouped(index_table(content))
    reasons = set()
    for (code, index), row in table.set_index(["unit_code", "index_name"]).iterrows():
        group = next(g for g in groups if g.endswith(f"({code})") or (code == "1150" and g.startswith("NTNU")))
        (cells,) = [c for c in groups[group] if c[0] == INDEX_WORDS[index]]
        if row["suppressed"]:
            reasons.add(row["suppression"])
            assert (
                cells[1:5] == ["–"] * 4
                and cells[5] == {"primary": "skjermet¹", "secondary": "skjermet²"}[row["suppression"]]
            ), (code, index)
    # a faculty below the minimum leaves the institution one hidden child short: a second one is
    # hidden with it (secondary suppression), and the note explains both marks
    assert reasons == {"primary", "secondary"}
    notes = [b["text"] for b in section(content) if b["kind"] == "paragraph" and b["style"] == "note"]
    assert any(n.startswith("– = ikke vist. ¹ Færre enn 5 svar. ² ") for n in notes)


def test_answer_distribution_of_the_institution_leaves_dont_know_out(content, respondents):
    (figure,) = [f for f in content.figures if f.name == "svarfordeling_1150"]
    fig = figure.figure
    # the survey, its year and the institution, as the portal's charts say them; the institution once
    assert fig.layout.title.text == "Studiebarometeret 2025, NTNU: hele institusjonen – svarfordeling"
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["1 (lavest)", "2", "3", "4", "5 (høyest)"]
    # the items of the configured indices, each once, in the indices' order
    items = list(dict.fromkeys(i for members in INDICES.values() for i in members))
    now = respondents[respondents["aar"] == YEAR]
    for answer, trace in zip(range(1, 6), bars, strict=True):
        # % of the answers 1–5: "vet ikke" (9999) and blanks are not in the bar
        expected = [(now[i] == answer).sum() / now[i].isin([1, 2, 3, 4, 5]).sum() for i in items]
        assert np.allclose(np.asarray(trace.x, dtype=float), expected, atol=1e-12), answer
    notes = [a.text for a in fig.layout.annotations if a.text.startswith("n = ")]
    # beside the bar: n (answers 1–5) and the share of "vet ikke" (9999) among the answers and
    # the "vet ikke"s, one decimal with a decimal comma
    expected = []
    for i in items:
        n, dont_know = now[i].isin([1, 2, 3, 4, 5]).sum(), (now[i] == 9999).sum()
        expected.append(f"n = {n} · vet ikke {100 * dont_know / (n + dont_know):.1f} %".replace(".", ","))
    assert notes == expected and any(now[i].eq(9999).any() for i in items)
    assert "«vet ikke» er ikke med i søylen, andelen står til høyre" in fig.layout.title.subtitle.text
    assert "Studiebarometeret 2025, NTNU: hele institusjonen – svarfordeling" in figure.alt


def test_a_suppressed_item_never_reaches_the_distribution_chart():
    from analysis.charts import Source, survey_distribution_chart

    def item(name, n, suppressed, few, pcts, dont_know):
        return {
            "level": "faculty",
            "unit_code": "271",
            "year": 2025,
            "item": name,
            "n": n,
            "suppressed": suppressed,
            "few_respondents": few,
            "dont_know_pct": dont_know,
            **{f"pct_{a}": p for a, p in zip(range(1, 6), pcts, strict=True)},
        }

    frame = pd.DataFrame(
        [
            item("a_x_13", 40, False, False, [10.0, 20.0, 30.0, 25.0, 15.0], 4.0),
            # a defect upstream must still not show: the shares of a suppressed item are never drawn
            item("a_y_13", 3, True, False, [33.3, 0.0, 66.7, 0.0, 0.0], 25.0),
            item("a_z_13", 7, False, True, [0.0, 14.3, 28.6, 28.6, 28.5], None),
        ]
    )
    fig = survey_distribution_chart(
        frame,
        unit_code="271",
        year=2025,
        institution="NTNU",
        unit_name="Fakultet for ingeniørvitenskap (271)",
        sources=Source("NOKUT"),
        groups={"a": ("a_x_13", "a_y_13", "a_z_13")},
    )
    bars = [t for t in fig.data if t.type == "bar"]
    assert all(list(t.y) == ["a_x_13", "a_z_13"] for t in bars)
    assert [float(t.x[0]) for t in bars] == [0.10, 0.20, 0.30, 0.25, 0.15]
    notes = [a.text for a in fig.layout.annotations if a.name != "source_note"]
    assert "skjermet" in notes and "n = 3" not in " ".join(notes) and "25,0" not in " ".join(notes)
    assert "n = 40 · vet ikke 4,0 %" in notes and "n = 7, få svarende" in notes
    assert fig.layout.title.text == "Studiebarometeret 2025, NTNU: Fakultet for ingeniørvitenskap (271) – svarfordeling"


# --- the same content in Word, in the workbook and in English ---------------------------------


def test_word_document_has_the_index_table_and_its_headings(tmp_path, content):
    from docx import Document

    from analysis.report.word import write_word

    path = write_word(content.blocks, tmp_path / "k.docx", "nb", title=content.title, figures_dir=None)
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Indekser 2025 – NTNU og fakultetene" in headings
    assert "Svarfordeling 2025 – NTNU (hele institusjonen)" in headings
    table = index_table(content)
    (word,) = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == table["columns"]]
    assert len(word.rows) == 1 + len(table["rows"])
    assert word.rows[1].cells[0].text == "NTNU (hele institusjonen)"
    assert [c.text for c in word.rows[2].cells] == table["rows"][1]["cells"]


def test_workbook_has_a_sheet_of_the_indices_in_the_report_language(tmp_path, data, content, english, respondents):
    import openpyxl

    sheets = {}
    for lang, c in (("nb", content), ("en", english)):
        folder = tmp_path / lang
        folder.mkdir()
        sheets[lang] = openpyxl.load_workbook(workbook(folder, data, c, lang))
    nb, en = sheets["nb"], sheets["en"]
    # the survey table holds both years (named so: a sheet named for one year holds that year
    # alone); the index table the report year's
    survey = f"Studiebarometeret {PREVIOUS}–{YEAR}"
    assert nb.sheetnames.index("Studiebarometeret indekser 2025") == nb.sheetnames.index(survey) + 1
    assert "Student Survey indices 2025" in en.sheetnames
    ws = nb["Studiebarometeret indekser 2025"]
    header = [c.value for c in ws[1]]
    assert header[:7] == ["Undersøkelsesår", "Nivå", "Enhet", "Kode", "Indeks", "Antall svar", "Gjennomsnitt"]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    first = rows[0]
    n, mean, _, _ = expected_index(respondents, RISING, YEAR)
    assert (first["Enhet"], first["Indeks"], first["Antall svar"]) == ("NTNU", "Undervisning", n)
    assert first["Gjennomsnitt"] == pytest.approx(mean) and first["Signifikant endring"] == "ja"
    medicine = [r for r in rows if r["Kode"] == TINY]
    assert medicine and all(r["Antall svar"] is None and r["Gjennomsnitt"] is None for r in medicine)
    # a hidden change has no mark: an empty cell as its change, never "nei"
    assert all(r["Endring"] is None and r["Signifikant endring"] is None for r in medicine)
    assert {r["Skjerming"] for r in medicine} == {"skjermet: for få svar"}
    # nor whether it has few respondents: "nei"/"ja" beside it told whether its n is under warn_n
    assert all(r["Få svarende"] is None for r in medicine)


def test_english_report_says_the_same_in_english(english, respondents):
    headings = [b["text"] for b in section(english) if b["kind"] == "heading"]
    assert "Indices 2025 – NTNU and its faculties" in headings
    rows = grouped(index_table(english))["NTNU (whole institution)"]
    n, mean, low, high = expected_index(respondents, RISING, YEAR)
    assert rows[0][:3] == ["Teaching", str(n), f"{mean:.2f} ({low:.2f}–{high:.2f})"]
    assert rows[0][4] == "significant rise"
    assert [
        f
        for f in english.findings
        if f.startswith("Student Survey 2025 (raw data per respondent), NTNU (own institution): ")
    ]


def test_the_respondent_charts_name_the_survey_its_year_and_the_institution(content, english):
    """A chart handed on without the report still says whose results it shows, as the portal's
    charts do ("Studiebarometeret 2025, NTNU: …")."""
    for built, prefix in ((content, "Studiebarometeret 2025, NTNU: "), (english, "Student Survey 2025, NTNU: ")):
        charts = {
            f.name: f.figure.layout.title.text
            for f in built.figures
            if f.name.startswith(("svarfordeling_", "sporsmal_"))
        }
        assert charts and all(t.startswith(prefix) for t in charts.values()), charts
    items = {f.name: f.figure.layout.title.text for f in english.figures}
    assert (
        items["sporsmal_institution_1150"] == "Student Survey 2025, NTNU: whole institution – items (mean with 95 % CI)"
    )


@pytest.fixture(scope="module")
def faculty_273(raw):
    """The report of faculty 273 from the same stages as the institution's."""
    return report_content(load_report_data(raw, None, "1150", faculty="273"), "nb")


def test_a_faculty_report_shows_its_faculty_and_speaks_of_it(faculty_273, respondents):
    content = faculty_273
    name = f"{faculty_names()['273']} (273)"
    assert name in grouped(index_table(content))
    (finding,) = [f for f in content.findings if f.startswith("Studiebarometeret")]
    assert finding.startswith(f"Studiebarometeret 2025 (rådata per respondent), {name}, NTNU: ")
    rows = {c[0]: c for c in grouped(index_table(content))[name]}
    n, mean, _, _ = expected_index(unit_rows(respondents, "273"), "organisering", YEAR)
    assert rows["Organisering"][1] == str(n) and rows["Organisering"][2].startswith(comma(mean) + " (")
    (distribution,) = [f.figure for f in content.figures if f.name.startswith("svarfordeling_")]
    # a title longer than the chart is wide wraps: read as one line
    assert (
        distribution.layout.title.text.replace("<br>", " ") == f"Studiebarometeret 2025, NTNU: {name} – svarfordeling"
    )


def test_a_faculty_report_shows_the_institution_and_the_faculty_as_its_report_does_and_no_programme_index(
    faculty_273, content
):
    """An adviser reads a faculty's indices beside the institution's; the faculty report's index
    table showed the faculty alone. Now the institution (as its own report shows it, cell for
    cell), then the faculty (likewise). Not the faculty's programmes: a programme's index beside
    its items gives away a lone respondent who skipped an item (README, *Not guarded*; a second
    reader's attack on a faculty report that showed them got two respondents' answer sums, none
    from the faculties' cells), and the institution's report shows no index below the faculty."""
    table = grouped(index_table(faculty_273))
    whole = grouped(index_table(content))
    institution, name = "NTNU (hele institusjonen)", f"{faculty_names()['273']} (273)"
    assert list(table) == [institution, name]
    assert table[institution] == whole[institution] and table[name] == whole[name]


def test_a_faculty_report_names_the_institution_for_comparison_only_where_the_table_has_it(data):
    """Files with fakultetskode but no institusjonskode give a year faculty and programme
    results and none for the institution (README, disclosure control: the hierarchy). A faculty
    report's index table then had no NTNU rows, yet its heading and caption said "… med NTNU til
    sammenligning" (a second reader's build of such a file, 2026-12-04). Now they name the faculty
    alone; with NTNU's rows in the table they name NTNU for comparison."""
    import dataclasses

    from analysis.report.data import for_faculty
    from analysis.report.survey_section import respondent_survey_blocks

    def below_institution(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["level"].astype(str) != "institution"].reset_index(drop=True)

    no_institution = dataclasses.replace(
        data,
        survey=below_institution(data.survey),
        survey_indices=below_institution(data.survey_indices),
        survey_changes=below_institution(data.survey_changes),
    )
    name = f"{faculty_names()['273']} (273)"
    for lang, institution, alone, compared in (
        ("nb", "NTNU (hele institusjonen)", name, ", med NTNU til sammenligning"),
        ("en", "NTNU (whole institution)", name, ", with NTNU for comparison"),
    ):
        for source, units in ((data, alone + compared), (no_institution, alone)):
            blocks, _figures = respondent_survey_blocks(for_faculty(source, "273"), lang)
            (table,) = [b for b in blocks if b["kind"] == "table" and b["id"] == "survey-indices"]
            assert (institution in grouped(table)) == (source is data)
            (heading,) = [b["text"] for b in blocks if b["kind"] == "heading" and b.get("id") == "survey-indices"]
            assert heading.endswith(f" {YEAR} – {units}"), heading
            assert f" {YEAR}, {units}: " in table["caption"], table["caption"]


def test_integration_rows_from_respondents_name_the_respondent_data_as_their_source(raw, tmp_path):
    """The 2017 extract and respondent data that holds the configured integration items: the
    integration table has rows of each, and the workbook's source column says which row by row
    (every row named the extract when the extract was among the inputs)."""
    import dataclasses

    import openpyxl

    from analysis.settings import load_settings

    folder = tmp_path / "raw"  # stages of its own: other settings than the module's report
    shutil.copytree(raw, folder)
    settings = load_settings()
    items = {"academic": (INDICES[RISING][0],), "social": (INDICES[RISING][1],)}
    settings = dataclasses.replace(settings, integration=dataclasses.replace(settings.integration, scores=items))
    data = load_report_data(folder, None, "1150", settings=settings)
    assert set(data.integration["source"]) == {"extract", "respondents"}
    content = report_content(data, "nb")
    book = workbook(tmp_path, data, content)
    header, *rows = openpyxl.load_workbook(book)[f"Integrering 2017–{YEAR}"].iter_rows(values_only=True)
    source_of = {}
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        source_of.setdefault(cells["Undersøkelsesår"], set()).add(cells["Kilde"])
    assert source_of == {2017: {"NOKUT 2017 (LMU-vedlegg)"}, PREVIOUS: {"NOKUT rådata"}, YEAR: {"NOKUT rådata"}}
    # a hidden row shows no number, not even its n, as the survey sheets (an attack, 2026-12-04:
    # the survey sheet emptied the n of a programme's hidden item, this sheet gave it as the
    # n of the programme's one-item score); faculty 250's programmes have 3 respondents in 2025
    hidden = [dict(zip(header, row, strict=True)) for row in rows]
    hidden = [r for r in hidden if r["Kilde"] == "NOKUT rådata" and r["Skjermet"] == "ja"]
    assert hidden and all(r["Antall svar"] is None and r["Få svarende"] is None for r in hidden)
    shown_n = [r.n for r in data.integration.itertuples() if r.year == YEAR and not r.suppressed]
    (chart,) = [f.figure.to_json() for f in content.figures if f.name.startswith("integrering_")]
    # the chart's "n–m svar" counts the rows it shows
    assert re.findall(r"(\d+)\\u2013(\d+) svar", chart) == [(str(min(shown_n)), str(max(shown_n)))]
    # the section is of 2025, from respondents alone: its charts name them, and no note speaks of the extract
    captions = [b["caption"] for b in content.blocks if b["kind"] == "figure" and b["name"].startswith("integrering_")]
    assert captions and all("rådata per respondent" in c and "uttrekk" not in c for c in captions)
    assert not [b for b in content.blocks if b["kind"] == "paragraph" and "Uttrekket" in b["text"]]
    # and it says which items its scores are the mean of, each with its question: the settings'
    # items need not be the 2017 extract's ("integrering mellom norske og internasjonale
    # studenter"; the introduction says so, test_report_about), and it did not say which they were
    variables = pd.read_csv(RAW / "studiebarometeret_variabler_2021_2025_fra_oslomet_maler.csv", dtype=str)
    question = variables.sort_values("aar").drop_duplicates("variabel", keep="last").set_index("variabel")
    academic, social = INDICES[RISING][0], INDICES[RISING][1]
    expected = (
        f"Skårene for {YEAR} er regnet fra rådata per respondent, av spørsmålene innstillingene velger "
        f"([integration.scores]): faglig integrering: {academic} («{question.loc[academic, 'sporsmalstekst']}»); "
        f"sosial integrering: {social} («{question.loc[social, 'sporsmalstekst']}»). "
        "De måler det disse spørsmålene spør om."
    )
    assert expected in [b["text"] for b in content.blocks if b["kind"] == "paragraph"]


def test_the_survey_sheet_names_its_faculties_and_questions(tmp_path, data, content):
    """Codes alone are not enough for a committee: each row of the survey sheet has its unit's
    name beside the code (faculty 272 is "Fakultet for naturvitenskap" in DBH table 210) and
    the question's text beside the variable ("overord_altialt_13" is "Alt tilfreds med
    studieprogrammet jeg går på" in NOKUT's variable list, every year 2021–2025)."""
    import openpyxl

    book = workbook(tmp_path, data, content)
    ws = openpyxl.load_workbook(book)[f"Studiebarometeret {PREVIOUS}–{YEAR}"]
    header = [c.value for c in ws[1]]
    assert header.index("Enhet") == header.index("Enhetskode") + 1
    assert header.index("Spørsmål") == header.index("Variabel") + 1
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    faculty = [r for r in rows if r["Nivå"] == "fakultet" and r["Enhetskode"] == "272"]
    assert faculty and {r["Enhet"] for r in faculty} == {"Fakultet for naturvitenskap"}
    overall = [r for r in rows if r["Variabel"] == "overord_altialt_13"]
    assert overall and {r["Spørsmål"] for r in overall} == {"Alt tilfreds med studieprogrammet jeg går på"}
    # a programme keeps its code as its name (no source names the survey's programme codes)
    programme = next(r for r in rows if r["Nivå"] == "studieprogram")
    assert programme["Enhet"] == programme["Enhetskode"]
    # a hidden cell shows no number, not even its n, as in the index sheet (faculty 250 has
    # three respondents in 2025)
    tiny = [r for r in rows if r["Enhetskode"] == TINY and r["År"] == YEAR]
    assert tiny and all(r["Antall svar"] is None and r["Gjennomsnitt"] is None for r in tiny)
    # nor anything read from its n: its "få svarende" mark is as unknown as the n, in the sheet
    # and in the CSV alike (an empty cell, not "nei"/"ja" beside "skjermet: for få svar")
    hidden = [r for r in rows if r["Skjerming"] is not None]
    assert hidden and all(r["Få svarende"] is None for r in hidden)
    assert {r["Få svarende"] for r in rows if r["Skjerming"] is None} == {"ja", "nei"}
    csv = pd.read_csv(tmp_path / "survey.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert csv.loc[csv["Skjerming"].notna(), "Få svarende"].isna().all()
    # the derived table keeps the mark (only what is published is emptied)
    assert data.survey.loc[data.survey["suppressed"], "few_respondents"].notna().all()


def test_about_the_figures_gives_the_survey_rules_with_the_settings_used(data):
    """ "Om tallene" of a report with respondent-level data tells the hiding rule, the "few
    respondents" mark and the index rule with the values the numbers were made with (here set to
    7, 12 and 2, none of them a default), not NOKUT's portal sentence."""
    from dataclasses import replace

    from analysis.report.about import about_section

    survey = replace(data.settings.survey, min_n=7, warn_n=12, index_max_missing=2, confidence_level=0.9)
    rules = _about_rules(about_section(replace(data, settings=replace(data.settings, survey=survey)), "nb"))
    assert any(r.startswith("Et resultat med færre enn 7 svar vises ikke") and "færre enn 12 svar" in r for r in rules)
    assert any("når høyst 2 av dem mangler" in r for r in rules)
    # the level of the intervals and the level of the significance mark: 90 % and 1 − 0.9 = 10 %
    assert any("90 % konfidensintervall" in r and "Benjamini–Hochberg, 10 %" in r for r in rules)
    assert any("«Vet ikke / ikke relevant» og blanke svar er ikke med i snittet" in r for r in rules)
    assert any("spørsmålene og indeksene hver for seg" in r for r in rules)  # two families of tests
    assert not any("NOKUTs egne" in r for r in rules)  # no portal download in this data
    # respondent data without indices configured: the items' rules all the same, no index rule
    items_only = _about_rules(about_section(replace(data, survey_indices=None), "nb"))
    assert any(r.startswith("Et resultat med færre enn 5 svar vises ikke") for r in items_only)
    assert not any(r.startswith("En indeks er") or "NOKUTs egne" in r for r in items_only)


def test_about_the_figures_says_a_hidden_row_shows_no_number_of_answers(content, data):
    """ "Om tallene" said of a hidden result "antallet svar står likevel" (the number of answers
    is shown all the same), while the index table shows "–" for the n of a hidden faculty (and the
    workbook an empty cell): the rule said one thing, the table did the other."""
    from analysis.report.about import ABOUT_LIST, about_section

    medicine = f"{faculty_names()[TINY]} ({TINY})"
    assert all(cells[1] == "–" for cells in grouped(index_table(content))[medicine])  # n of the hidden faculty
    for lang, shown, hidden in (
        ("nb", "antallet svar står likevel", "i en skjult rad står heller ikke antallet svar, bare «–»"),
        ("en", "number of answers is shown all the same", "a hidden row does not show its number of answers either"),
    ):
        rules = " ".join(next(b["items"] for b in about_section(data, lang) if b.get("id") == ABOUT_LIST))
        assert shown not in rules and hidden in rules


def _about_rules(blocks: list[dict]) -> list[str]:
    from analysis.report.about import ABOUT_LIST

    assert blocks[0] == {"kind": "heading", "text": "Om tallene", "level": 2, "id": "about"}
    return next(b["items"] for b in blocks if b.get("id") == ABOUT_LIST)


def test_an_index_whose_items_changed_says_so_where_its_change_would_be(data):
    """Where an index's items differ between the two years (the survey table's
    ``definition_changed``), its change is empty though both years are shown. A "–" alone reads
    as a hidden cell everywhere else in the report: the note column says "definisjon endret"
    (a second reader, 2026-12-04: the Word/HTML table said nothing). Made here by marking the
    institution's "undervisning" of the report year as the survey step marks it."""
    import dataclasses

    changes = data.survey_changes.copy()
    at = (
        (changes["level"].astype(str) == "institution")
        & (changes["kind"].astype(str) == "index")
        & (changes["name"].astype(str) == "undervisning")
        & (changes["year"] == YEAR)
    )
    assert at.sum() == 1 and not changes.loc[at, "definition_changed"].any()
    changes.loc[at, ["change", "p_value", "p_adjusted"]] = pd.NA
    changes.loc[at, ["significant"]] = pd.NA
    changes.loc[at, "definition_changed"] = True
    marked = report_content(dataclasses.replace(data, survey_changes=changes), "nb")
    rows = {cells[0]: cells for cells in next(iter(grouped(index_table(marked)).values()))}
    teaching = rows["Undervisning"]
    assert teaching[3] == "–" and teaching[-1] == "definisjon endret"
    # the other indices, unmarked, keep their change and an empty note (or their own mark)
    assert all("definisjon" not in cells[-1] for name, cells in rows.items() if name != "Undervisning")


def test_programme_results_alone_are_said_not_left_as_an_empty_section(data):
    """Respondent files without institusjonskode and fakultetskode (``kvalitet synth
    --no-unit-codes``) give results per programme only. The section showed its introduction
    and then nothing, without a word of why or where the programmes' results are (a report
    built from such a file, 2026-12-04). Now a note names the year, the missing columns and the
    workbook."""
    import dataclasses

    from analysis.report.survey_section import respondent_survey_blocks

    def programmes(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["level"].astype(str) == "programme"].reset_index(drop=True)

    alone = dataclasses.replace(
        data,
        survey=programmes(data.survey),
        survey_indices=programmes(data.survey_indices),
        survey_changes=programmes(data.survey_changes),
    )
    blocks, figures = respondent_survey_blocks(alone, "nb")
    assert figures == []
    texts = [b.get("text", "") for b in blocks]
    assert any(
        t.startswith(f"Rådataene for {YEAR} gir resultater bare per studieprogram") and "regnearket" in t for t in texts
    ), texts


def test_each_survey_finding_says_which_of_the_two_sources_it_counts(data):
    """With respondent data beside the portal's figures, two findings began "Studiebarometeret
    2025, NTNU (egen institusjon):": one counted the portal's index values of 4 programmes "i
    datagrunnlaget" (whose respondent data had 60), the other the respondents' institution
    indices, and neither said which (a report built from a synthetic respondent file,
    2026-12-04). Each now names its source."""
    import dataclasses

    portal_index = load_report_data(RAW, YEAR, "1150").portal_index  # the embedded portal figures
    content = report_content(dataclasses.replace(data, portal_index=portal_index), "nb")
    survey = [f for f in content.findings if f.startswith("Studiebarometeret")]
    assert len(survey) == 2, content.findings
    portal = [f for f in survey if "studiebarometeret.no" in f]
    respondents = [f for f in survey if f.startswith("Studiebarometeret 2025 (rådata per respondent), NTNU")]
    assert len(portal) == 1 and len(respondents) == 1, survey


def test_the_english_index_note_says_at_most_one_is_missing(english, data):
    """ "when at most 1 are missing": the verb agrees with the setting's count, as the findings'
    do. The shipped settings allow one missing item per index (config/kvalitet.toml)."""
    assert data.settings.survey.index_max_missing == 1
    notes = [b.get("text") or "" for b in english.blocks if "index value is the mean" in (b.get("text") or "")]
    assert notes and all("when at most 1 is missing;" in t for t in notes), notes


def test_every_interval_is_labelled_with_the_confidence_level_it_was_computed_with(raw, data, tmp_path):
    """The confidence levels are settings ([survey] and [gender] confidence_level), but the
    index table's header and caption, the item charts' titles and the workbook's and CSV files'
    interval columns all said "95 %" (2026-12-04): at 0.9 those were 90 % intervals labelled 95 %.
    Built here at 0.9 for both, every one of them says 90 % and none says 95 %."""
    from dataclasses import replace

    from openpyxl import load_workbook

    settings = replace(
        data.settings,
        survey=replace(data.settings.survey, confidence_level=0.9),
        gender=replace(data.settings.gender, confidence_level=0.9),
    )
    at_90 = load_report_data(raw, None, "1150", settings=settings)
    ninety_five = re.compile(r"(?<![\d,.])95 %")  # not a share's "39,95 %"
    for lang, ci, interval in (("nb", "KI", "konfidensintervall"), ("en", "CI", "confidence interval")):
        content = report_content(at_90, lang)
        table = index_table(content)
        assert table["columns"][2] == ("Gjennomsnitt (90 % KI)" if lang == "nb" else "Mean (90 % CI)")
        assert f"90 % {interval}" in table["caption"]
        titles = [b["title"] for b in section(content) if b["kind"] == "figure" and "– " in b["title"]]
        items = [t for t in titles if f"90 % {ci})" in t]
        assert items, titles  # the item charts: "(gjennomsnitt med 90 % KI)"
        text = "\n".join(
            [str(b.get(k, "")) for b in content.blocks for k in ("text", "title", "alt", "caption")]
            + [c for b in content.blocks for c in b.get("columns", [])]
            + [item for b in content.blocks for item in b.get("items", [])]
        )
        assert not ninety_five.findall(text)
        folder = tmp_path / lang
        folder.mkdir()
        book, csvs = write_as_built(folder, at_90, content, lang)
        headers = [str(c.value) for ws in load_workbook(book, read_only=True) for c in next(ws.iter_rows(max_row=1))]
        headers += [c.read_text(encoding="utf-8-sig").splitlines()[0] for c in csvs]
        lower, upper = ("nedre", "øvre") if lang == "nb" else ("lower", "upper")
        said = " ".join(headers)
        for end in (lower, upper):  # the gender sheet's shares and the survey sheet's means
            assert said.count(f"90 % {ci}, {end}") >= 4, said  # two sheets, each in the workbook and CSV
        assert not ninety_five.findall(said)


def test_the_significance_level_is_written_with_the_digits_it_has():
    """The index note's "adjusted p under {alpha}" is 1 − the confidence level: two decimals wrote
    0.975's 0.025 as "0,03", a level the tests were not run at."""
    from analysis.charts.labels import significance_level

    assert [significance_level(level, "nb") for level in (0.95, 0.975, 0.9, 0.999)] == [
        "0,05",
        "0,025",
        "0,10",
        "0,001",
    ]
    assert significance_level(0.975, "en") == "0.025"
