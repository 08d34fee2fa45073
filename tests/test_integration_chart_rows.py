"""Which rows the integration chart draws (:func:`analysis.charts.integration.chart_rows`).

A national respondent file ranks some 240 programmes of several institutions: drawn whole, the
chart was one bar row per programme, a 42 000 px PNG (five institutions, 291 programmes, a
synthetic file, 2026-12-04). The chart draws the own units, the comparison group's best few and
its median; a group that fits is drawn whole; a hidden row is never drawn nor one of the best.
Every expected value is worked out by hand from the frames as built.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.charts import Source, integration_ranking
from analysis.charts.integration import MAX_ROWS, ROW_PX, chart_rows, own_rows
from analysis.charts.labels import counted, label, value_label

SRC = Source("NOKUT", "Studiebarometeret, rådata per respondent")
#: the ranks of NTNU's eight programmes among the 240
OWN_RANKS = (3, 50, 100, 120, 150, 200, 239, 240)


def group_of_240(hidden: dict[int, float] | None = None) -> pd.DataFrame:
    """240 programmes ranked 1–240, the programme of rank r scoring 5 − r/100 on every score
    (4.99 … 2.60); NTNU's are those of :data:`OWN_RANKS`, the others are UiO's. ``hidden``:
    extra rows, hidden (too few answers), of the given rank and score: a table's row that the
    chart must not draw whatever it holds."""
    rows = []
    for r in range(1, 241):
        own = r in OWN_RANKS
        rows.append(("NTNU" if own else "Universitetet i Oslo", f"P{r:03d}", 5 - r / 100, r, False))
    for r, score in (hidden or {}).items():
        rows.append(("NTNU", f"H{r:03d}", score, r, True))
    frame = pd.DataFrame(rows, columns=["institution", "unit_code", "integration_score", "rank", "suppressed"])
    return frame.assign(
        source="respondents",
        level="all",
        unit_name=frame["unit_code"],
        year=2025,
        academic=frame["integration_score"],
        social=frame["integration_score"],
        n=40,
        units_ranked=240,
        gap_to_best=frame["integration_score"] - 4.99,
        gap_to_median=frame["integration_score"] - 3.795,
        gap_to_mean=0.0,
        source_kind="sb-respondents",
    ).astype({"rank": "Int64"})


def drawn_codes(fig) -> list[str]:
    """The units of the combined bars, top to bottom, as codes: bold (own) and the
    institution's name taken off; the median row as "median"."""
    median = label("integration_median_row", "nb", ranked=counted(240, "ranked", "nb"), fewer="")
    return [
        "median" if y.replace("<br>", " ").strip("<i>/") == median else y.strip("<b>/").split(" ")[0]
        for y in fig.data[2].y
    ]


def test_a_group_of_240_draws_the_own_units_the_best_five_and_the_median_in_order():
    """The best five are ranks 1–5 (NTNU's rank 3 among them, drawn once); NTNU's other seven
    follow in rank order, and the median of the 240 scores, (3.80 + 3.79)/2 = 3.795 (ranks 120
    and 121), stands after rank 120 (3.80) and before rank 150 (3.50): 13 rows, not 240."""
    fig = integration_ranking(
        group_of_240(), year=2025, level="all", highlight="NTNU", scope="NTNU", sources=SRC, best=5
    )
    assert drawn_codes(fig) == [
        "P001",
        "P002",
        "P003",
        "P004",
        "P005",
        "P050",
        "P100",
        "P120",
        "median",
        "P150",
        "P200",
        "P239",
        "P240",
    ]
    academic, social, combined = fig.data
    at = drawn_codes(fig).index("median")
    for trace in (academic, social, combined):  # every score's median: all three are 5 − r/100
        assert trace.base + trace.x[at] == pytest.approx(3.795)
    assert fig.layout.height <= ROW_PX * MAX_ROWS + 260 + 16 * 3
    subtitle = fig.layout.title.subtitle.text.replace("<br>", " ")
    assert "de 5 beste og medianen av 240 rangerte" in subtitle
    assert "tables/integration.csv" in subtitle


def test_the_best_few_is_a_setting():
    """``best`` = 2: ranks 1 and 2 from the group, and NTNU's eight (rank 3 now among them)."""
    fig = integration_ranking(
        group_of_240(), year=2025, level="all", highlight="NTNU", scope="NTNU", sources=SRC, best=2
    )
    assert drawn_codes(fig)[:4] == ["P001", "P002", "P003", "P050"]
    assert len(drawn_codes(fig)) == 2 + 8 + 1


def test_a_hidden_row_is_never_drawn_nor_one_of_the_best():
    """Two hidden NTNU programmes, one holding a score of 5.00 and rank 1 (as no table of the
    report gives a hidden row, but a chart must not trust that), one in the middle: neither is
    drawn, the best five are still ranks 1–5 of the shown ones, and the note counts the two."""
    frame = group_of_240(hidden={1: 5.0, 130: 3.7})
    chosen = chart_rows(frame, own_rows(frame, "NTNU"), 5)
    assert not chosen.rows["unit_code"].astype("string").str.startswith("H").any()
    top = chosen.rows.dropna(subset=["unit_code"]).head(5)
    assert list(top["unit_code"]) == ["P001", "P002", "P003", "P004", "P005"]
    assert chosen.hidden == 2 and chosen.ranked == 240
    median = chosen.rows.loc[chosen.rows["reference"].astype(bool), "integration_score"]
    assert list(median) == [pytest.approx(3.795)], "the median of the 240 shown, not of 242"
    fig = integration_ranking(frame, year=2025, level="all", highlight="NTNU", scope="NTNU", sources=SRC, best=5)
    assert "Ikke tegnet: 2 skjermede enheter (for få svar)." in fig.layout.title.subtitle.text.replace("<br>", " ")
    english = integration_ranking(
        frame.query("unit_code != 'H130'"),
        year=2025,
        level="all",
        highlight="NTNU",
        scope="NTNU",
        sources=SRC,
        best=5,
        lang="en",
    )
    assert "Not drawn: 1 suppressed unit (too few answers)." in english.layout.title.subtitle.text.replace("<br>", " ")


def test_a_group_that_fits_is_drawn_whole_without_hidden_rows():
    """Twelve programmes, one of them hidden: the eleven shown fit, so all are drawn, in rank
    order, with no median row; the hidden one is not drawn."""
    frame = group_of_240(hidden={6: 4.94}).query("rank <= 11 or suppressed").reset_index(drop=True)
    chosen = chart_rows(frame, own_rows(frame, "NTNU"), 5)
    assert not chosen.cut
    assert list(chosen.rows["unit_code"]) == [f"P{r:03d}" for r in range(1, 12)]
    assert not chosen.rows["reference"].any()


def test_too_many_own_units_keep_their_best_and_weakest():
    """An institution of 40 programmes ranked 201–240 among 240: the chart has room for 16 rows,
    so 5 best and the median leave 10: NTNU's five best (201–205) and five weakest (236–240);
    the note says 30 are left out."""
    frame = group_of_240()
    frame["institution"] = ["NTNU" if r > 200 else "Universitetet i Oslo" for r in frame["rank"]]
    chosen = chart_rows(frame, own_rows(frame, "NTNU"), 5)
    codes = list(chosen.rows["unit_code"].fillna("median"))
    assert codes == [
        *(f"P{r:03d}" for r in range(1, 6)),
        "median",
        *(f"P{r:03d}" for r in range(201, 206)),
        *(f"P{r:03d}" for r in range(236, 241)),
    ]
    assert len(codes) == MAX_ROWS
    assert chosen.own_left_out == 30


def test_a_faculty_report_draws_its_faculty_s_programmes_as_its_own():
    """``own_units``: the faculty's programme codes. NTNU's programmes of other faculties are no
    own units (P050 is not drawn); the faculty's P120 and P240 are."""
    fig = integration_ranking(
        group_of_240(),
        year=2025,
        level="all",
        highlight="NTNU",
        scope="NTNU",
        sources=SRC,
        best=5,
        own_units={"P120", "P240"},
        own_name="Fakultet for ingeniørvitenskap (271), NTNU",
    )
    assert drawn_codes(fig) == ["P001", "P002", "P003", "P004", "P005", "P120", "median", "P240"]
    assert "Viser Fakultet for ingeniørvitenskap (271), NTNU, de 5 beste" in fig.layout.title.subtitle.text.replace(
        "<br>", " "
    )


def test_the_embedded_extract_is_drawn_as_before():
    """The 2017 extract has five institutions a level, none hidden: drawn whole, in rank order
    (master: Steinerhøgskolen (5.0 + 5.0)/2, Kunsthøgskolen (4.4 + 4.1)/2, Politihøgskolen
    (3.8 + 4.2)/2, Høgskolen i Østfold (4.3 + 3.5)/2, NTNU (2.3 + 2.2)/2: DOMAIN.md's table),
    with no note of anything left out."""
    from analysis import paths
    from analysis.report.data import load_report_data
    from analysis.report.integration_section import integration_section

    data = load_report_data(paths.RAW, 2025, "1150")
    blocks, figures, year, _ = integration_section(data, "nb")
    assert year == 2017
    master = next(f.figure for f in figures if f.name == "integrering_master")
    assert list(master.data[2].y) == [
        "Steinerhøgskolen",
        "Kunsthøgskolen",
        "Politihøgskolen",
        "Høgskolen i Østfold",
        "<b>NTNU</b>",
    ]
    assert master.layout.height == ROW_PX * 5 + 260
    assert "Viser" not in str(blocks) and "<br>" not in master.layout.title.subtitle.text


def test_a_faculty_report_bolds_only_its_faculty_s_programmes():
    """P003 is NTNU's (rank 3, among the best five) but not the faculty's: drawn as one of the
    best, not bold and without the own units' rank and gaps. Before: bold, with "nr. 3 av 240"."""
    fig = integration_ranking(
        group_of_240(),
        year=2025,
        level="all",
        highlight="NTNU",
        scope="NTNU",
        sources=SRC,
        best=5,
        own_units={"P120", "P240"},
        own_name="Fakultet for ingeniørvitenskap (271), NTNU",
    )
    bold = [y for y in fig.data[2].y if y.startswith("<b>")]
    assert bold == ["<b>P120 (NTNU)</b>", "<b>P240 (NTNU)</b>"]
    ranks = [a.text.split("<br>")[0] for a in fig.layout.annotations if str(a.text).startswith("nr. ")]
    assert ranks == ["nr. 120 av 240", "nr. 240 av 240"]


def test_a_faculty_report_keeps_the_institution_s_own_row_of_an_extract():
    """An extract ranks institutions, not programmes: in a faculty report its own institution's
    row is still the own unit (bold; drawn when the chart is cut). 20 institutions, NTNU 20th:
    the best five, the median and NTNU. Before: NTNU was no own unit (it has no programme code),
    not drawn."""
    fig = integration_ranking(
        extract_of_20(), year=2017, level="master", highlight="NTNU", scope="NTNU", sources=SRC, best=5, own_units=set()
    )
    assert list(fig.data[2].y)[-1] == "<b>NTNU</b>"


def extract_of_20() -> pd.DataFrame:
    """An extract's master rows of 20 institutions scoring 4.9, 4.8 … 3.0, NTNU the last."""
    names = [f"Inst{r:02d}" for r in range(1, 20)] + ["NTNU"]
    return pd.DataFrame(
        {
            "institution": names,
            "unit_name": names,
            "unit_code": None,  # as the extract's rows: no programme
            "integration_score": [5 - r / 10 for r in range(1, 21)],
            "rank": pd.array(range(1, 21), dtype="Int64"),
            "suppressed": False,
            "source": "extract",
            "level": "master",
            "year": 2017,
            "units_ranked": 20,
            "gap_to_best": 0.0,
            "gap_to_median": 0.0,
        }
    ).assign(academic=lambda f: f["integration_score"], social=lambda f: f["integration_score"])


def test_a_cut_extract_chart_writes_nokut_s_one_decimal():
    """The extract's scores are NOKUT's, with one decimal: a cut chart of 20 institutions writes
    them so, its median row too. Before: the median row, which has no source, took every bar to two decimals ("4,90")."""
    fig = integration_ranking(
        extract_of_20(), year=2017, level="master", highlight="NTNU", scope="NTNU", sources=SRC, best=5
    )
    academic = fig.data[0]
    assert list(academic.text)[:5] == ["4,9", "4,8", "4,7", "4,6", "4,5"]
    assert ":.1f}" in academic.hovertemplate


def tied(frame: pd.DataFrame, ranks: range, rank: int, score: float) -> pd.DataFrame:
    """``frame`` with the programmes of ``ranks`` tied: one ``score`` and rank ``rank`` (the
    rule's ``method='min'``)."""
    at = frame["rank"].isin(list(ranks))
    frame.loc[at, ["integration_score", "academic", "social"]] = score
    frame.loc[at, "rank"] = rank
    return frame


def test_a_tie_across_the_last_of_the_best_is_left_out_whole_and_the_chart_stays_bounded():
    """Ranks 5–7 tied at 4.95 (rank 5): the best five would end inside the tie, so the chart
    draws the four ahead of it (ranks 1–4), says "de 4 beste", and NTNU's eight: 4 + 7 (P003 is
    one of the four) + median = 12 rows. Before: all that tied were drawn as "de 5 beste"."""
    frame = tied(group_of_240(), range(5, 8), 5, 4.95)
    chosen = chart_rows(frame, own_rows(frame, "NTNU"), 5)
    assert list(chosen.rows["unit_code"].head(5)) == ["P001", "P002", "P003", "P004", "P050"]
    assert len(chosen.rows) == 4 + 7 + 1
    assert chosen.best == 4
    fig = integration_ranking(frame, year=2025, level="all", highlight="NTNU", scope="NTNU", sources=SRC, best=5)
    assert "de 4 beste og medianen av 240 rangerte" in fig.layout.title.subtitle.text.replace("<br>", " ")


@pytest.mark.parametrize("n_tied", [12, 240])
def test_a_tie_for_first_larger_than_the_best_keeps_the_chart_within_its_rows(n_tied):
    """12 (or all 240) tied for first: the chart draws five of them, not 12 or 240 (before: 20
    and 241 rows, a PNG as long as the one the row limit was made for)."""
    frame = tied(group_of_240(), range(1, n_tied + 1), 1, 4.99)
    chosen = chart_rows(frame, own_rows(frame, "NTNU"), 5)
    assert len(chosen.rows) <= MAX_ROWS
    assert chosen.best == 5
    assert set(chosen.rows.loc[~chosen.rows["reference"].astype(bool), "rank"].head(5)) == {1}


def test_the_cut_chart_s_note_is_said_on_the_chart_not_again_in_the_section():
    """What a cut chart leaves out travels on the chart (a PNG pasted alone keeps it) and is
    said once: the section beside it had the same note as a paragraph, read twice on the page
    and in Word. The group of 240 as the 2025 respondent rows of the embedded report's data."""
    from dataclasses import replace

    from analysis import paths
    from analysis.report.data import load_report_data
    from analysis.report.integration_section import integration_section

    data = load_report_data(paths.RAW, 2025, "1150")
    group = group_of_240().assign(institution=lambda f: f["institution"].replace("Universitetet i Oslo", "1110"))
    blocks, figures, year, _ = integration_section(replace(data, integration=group), "nb")
    assert year == 2025
    (figure,) = figures
    note = "Viser NTNU, de 5 beste og medianen av 240 rangerte."
    assert note in figure.figure.layout.title.subtitle.text.replace("<br>", " ")
    said = [b.get("text", "") for b in blocks]
    assert not [text for text in said if note in text], said


def test_the_median_row_says_how_many_units_a_score_s_median_is_of_where_it_is_fewer():
    """A score outside the combined one (combine = academic alone) may be hidden for a ranked
    unit: here social is hidden for ranks 1 and 2. Its median is of the other 238, ranks
    3–240: the 119th and 120th of them are ranks 121 and 122, (3.79 + 3.78)/2 = 3.785; academic
    and the combined score stay the median of all 240, 3.795. The row's name says so. Before:
    "(240 rangerte)" under a social bar of 238."""
    frame = group_of_240()
    frame.loc[frame["rank"] <= 2, "social"] = float("nan")
    fig = integration_ranking(frame, year=2025, level="all", highlight="NTNU", scope="NTNU", sources=SRC, best=5)
    names = [y.replace("<br>", " ").strip("<i>/") for y in fig.data[2].y]
    name = "Median for sammenligningsgruppen (240 rangerte; sosial integrering av 238)"
    assert name in names
    at = names.index(name)
    academic, social, combined = fig.data
    assert academic.base + academic.x[at] == pytest.approx(3.795)
    assert social.base + social.x[at] == pytest.approx(3.785)
    assert combined.base + combined.x[at] == pytest.approx(3.795)
    english = integration_ranking(
        frame, year=2025, level="all", highlight="NTNU", scope="NTNU", sources=SRC, best=5, lang="en"
    )
    assert "Median of the comparison group (240 ranked; social integration of 238)" in [
        y.replace("<br>", " ").strip("<i>/") for y in english.data[2].y
    ]


def test_without_the_image_export_the_word_draft_still_says_what_the_cut_chart_leaves_out(tmp_path):
    """The cut chart's note is said on the chart only (its subtitle): without a browser for
    the PNG export the Word draft has no picture, only "Figuren mangler", and the note (what
    the chart leaves out, where the rest is) was then in no text of the document. The missing
    chart is said in words instead, as its alt text says it to a reader who cannot see it. The
    group of 240 as in the test above; the note as the chart's subtitle has it."""
    from dataclasses import replace

    from docx import Document

    from analysis import paths
    from analysis.report.data import load_report_data
    from analysis.report.integration_section import integration_section
    from analysis.report.parts import figure_blocks
    from analysis.report.word import write_word

    data = load_report_data(paths.RAW, 2025, "1150")
    group = group_of_240().assign(institution=lambda f: f["institution"].replace("Universitetet i Oslo", "1110"))
    blocks, figures, _year, _ = integration_section(replace(data, integration=group), "nb")
    note = "Viser NTNU, de 5 beste og medianen av 240 rangerte."
    (figure,) = figures
    assert note in figure.figure.layout.title.subtitle.text.replace("<br>", " ")
    path = write_word(blocks + figure_blocks(figures), tmp_path / "k.docx", "nb", title="t", figures_dir=None)
    text = [p.text for p in Document(str(path)).paragraphs]
    assert label("figure_missing", "nb") in text
    assert [t for t in text if note in t], text


@pytest.mark.parametrize(
    ("lang", "name"),
    [("nb", "Median for sammenligningsgruppen (240 rangerte)"), ("en", "Median of the comparison group (240 ranked)")],
)
def test_the_median_row_says_nothing_of_a_score_no_ranked_unit_has(lang, name):
    """Settings whose combined score is one of their own naming ([integration.scores] may name a
    score anything, "tilhorighet") leave academic and social empty in every row: the chart has
    no bar of them, and no median of them to say what it is of. The row's name said
    "faglig integrering av 0; sosial integrering av 0" of scores the settings do not have."""
    frame = group_of_240().assign(academic=float("nan"), social=float("nan"))
    fig = integration_ranking(
        frame, year=2025, level="all", highlight="NTNU", scope="NTNU", sources=SRC, best=5, lang=lang
    )
    names = [y.replace("<br>", " ").strip("<i>/") for y in fig.data[2].y]
    assert name in names, names


def test_the_cut_chart_s_alt_text_ends_its_note_with_one_full_stop():
    """The alt text (the page's aria-label, and the Word draft's text where the picture is
    missing) puts a full stop after the subtitle; the cut chart's note ends the subtitle with
    its own, and the reader got "tables/integration.csv.."."""
    from analysis.report.parts import report_figure

    fig = integration_ranking(
        group_of_240(), year=2025, level="all", highlight="NTNU", scope="NTNU", sources=SRC, best=5
    )
    alt = report_figure("integrering_all", "integration", fig, "nb").alt
    assert "tables/integration.csv. " in alt + " ", alt
    assert ".." not in alt, alt


def test_the_combined_bars_say_which_scores_they_are_the_mean_of():
    """``combine = ["academic"]`` makes the combined score academic alone (the rows' scores_used,
    as the metric writes it): the legend said "Samlet (snitt av faglig og sosial)", a definition
    the bars were not. The default combination keeps its short name."""
    frame = group_of_240().assign(scores_used="academic")
    fig = integration_ranking(frame, year=2025, level="all", highlight="NTNU", scope="NTNU", sources=SRC, best=5)
    assert fig.data[2].name == "Samlet (snitt av faglig integrering)"
    both = integration_ranking(
        frame.assign(scores_used="academic+social"),
        year=2025,
        level="all",
        highlight="NTNU",
        scope="NTNU",
        sources=SRC,
        best=5,
        lang="en",
    )
    assert both.data[2].name == "Combined (mean of academic and social)"


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("nb", "Viser NTNU, den beste og medianen av 240 rangerte."),
        ("en", "Shows NTNU, the best and the median of 240 ranked."),
    ],
)
def test_a_cut_chart_of_one_best_says_the_best_not_the_1_best(lang, note):
    """[integration] chart_best = 1 (allowed, 1–10), or a tie across the last place that leaves
    one: the note said "de 1 beste" / "the 1 best"."""
    fig = integration_ranking(
        group_of_240(), year=2025, level="all", highlight="NTNU", scope="NTNU", sources=SRC, best=1, lang=lang
    )
    assert note in fig.layout.title.subtitle.text.replace("<br>", " ")


def section_of(group: pd.DataFrame, lang: str, comparison_group: tuple[str, ...] = ()):
    """The report's integration section (blocks, figures) of the embedded 2025 report's data
    with ``group`` as its integration rows and ``comparison_group`` as the setting."""
    from dataclasses import replace

    from analysis import paths
    from analysis.report.data import load_report_data
    from analysis.report.integration_section import integration_section

    data = load_report_data(paths.RAW, 2025, "1150")
    settings = replace(data.settings, integration=replace(data.settings.integration, comparison_group=comparison_group))
    blocks, figures, _year, _ = integration_section(replace(data, integration=group, settings=settings), lang)
    return blocks, figures


@pytest.mark.parametrize(
    ("lang", "subtitle", "note", "median"),
    [
        ("nb", "1 rangert,", "medianen av 1 rangert.", "(1 rangert)"),
        ("en", "1 ranked,", "the median of 1 ranked.", "(1 ranked)"),
    ],
)
def test_one_ranked_unit_is_counted_in_the_singular(lang, subtitle, note, median):
    """A cut chart of one ranked unit (the others outside the comparison group: scores, no
    rank) said "1 rangerte" in its subtitle's note and its median row; its subtitle "1 rangert"
    was right only by chance: 240 were "240 rangert" there."""
    one = group_of_240().assign(institution=lambda f: f["institution"].replace("Universitetet i Oslo", "1110"))
    one["rank"] = one["rank"].where(one["unit_code"] == "P001")
    (figure,) = section_of(one, lang)[1]
    text = figure.figure.layout.title.subtitle.text.replace("<br>", " ")
    names = [y.replace("<br>", " ") for y in figure.figure.data[2].y]
    assert text.startswith(subtitle) and note in text, text
    assert any(median in name for name in names), names
    assert "1 rangerte" not in text + " ".join(names)
    (whole,) = section_of(group_of_240(), lang)[1]
    assert whole.figure.layout.title.subtitle.text.startswith("240 rangerte," if lang == "nb" else "240 ranked,")


def test_a_level_with_no_unit_ranked_has_no_chart_and_says_why():
    """A level none of whose units is ranked was drawn as a cut chart of the own units, with no
    best, no median and the note "medianen av 0 rangerte". It has no chart; the section says
    why: every unit hidden for too few answers, or none in the comparison group the settings
    name (a group whose members are not in the year's data). Another level beside it, ranked,
    is drawn as before."""
    master = group_of_240().assign(level="master")
    hidden = group_of_240().assign(level="bachelor", suppressed=True, rank=pd.NA).astype({"rank": "Int64"})
    blocks, figures = section_of(pd.concat([hidden, master], ignore_index=True), "nb")
    assert [f.name for f in figures] == ["integrering_master"]
    notes = [b["text"] for b in blocks if b["kind"] == "paragraph" and "ingen enhet er rangert" in b["text"]]
    assert notes == [
        "Integrering 2025 – bachelor: ingen enhet er rangert, og det er ingen figur: alle har for få svar til å "
        "vises (240 skjermede enheter)."
    ]

    others = group_of_240().assign(institution="Universitetet i Oslo")
    for lang, said in (
        (
            "nb",
            "Integrering 2025 – alle nivåer: ingen enhet er rangert, og det er ingen figur: ingen av enhetene hører "
            "til sammenligningsgruppen i innstillingene (Høgskolen i Østfold).",
        ),
        (
            "en",
            "Integration 2025 – all levels: no unit is ranked, and there is no chart: none of the units belongs to "
            "the comparison group in the settings (Høgskolen i Østfold).",
        ),
    ):
        blocks, figures = section_of(others, lang, ("Høgskolen i Østfold",))
        assert figures == []
        assert said in [b.get("text") for b in blocks]


def test_a_comparison_group_none_of_whose_members_has_data_is_named_as_the_settings_name_it():
    """The section's heading named the configured group by its members in the data: none there,
    it ended "sammenligningsgruppe: " with nothing after it."""
    others = group_of_240().assign(institution="Universitetet i Oslo")
    for lang, scope in (("nb", "sammenligningsgruppe"), ("en", "comparison group")):
        blocks, _ = section_of(others, lang, ("Høgskolen i Østfold", "Kunsthøgskolen i Oslo"))
        (heading,) = [b["text"] for b in blocks if b["kind"] == "heading"]
        assert heading.endswith(f"{scope}: Høgskolen i Østfold, Kunsthøgskolen i Oslo"), heading


def test_a_group_whose_units_in_the_data_are_all_hidden_is_not_said_to_be_absent():
    """The note of a level with no unit ranked looked for comparison-group members among the
    shown rows only: with the group's units in the data but every one hidden for too few answers
    (here the own institution's, NTNU being ranked with the group it is compared with) and other
    institutions' units shown, it said none of the units belongs to the comparison group, which
    the table (the group's units, each with "–") contradicts. It says the group's units have too
    few answers, and how many are hidden, as the chart's note counts hidden units."""
    others = group_of_240()
    own = others["institution"] == "NTNU"
    others.loc[own, "suppressed"] = True
    others.loc[own, ["integration_score", "academic", "social"]] = float("nan")
    others["rank"] = others["rank"].mask(own)
    for lang in ("nb", "en"):
        blocks, figures = section_of(others, lang, ("Høgskolen i Østfold",))
        assert figures == []
        hidden = counted(int(own.sum()), "suppressed_unit", lang)
        reason = label("integration_none_ranked_group_hidden", lang, hidden=hidden)
        said = label("integration_none_ranked", lang, year=2025, level=value_label("level", "all", lang), reason=reason)
        assert said in [b.get("text") for b in blocks], [b.get("text") for b in blocks if b["kind"] == "paragraph"]
        outside = label("integration_none_ranked_outside", lang, members="Høgskolen i Østfold")
        assert not any(outside in str(b.get("text")) for b in blocks)
