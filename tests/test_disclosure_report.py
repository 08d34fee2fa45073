"""The disclosure pass holds where an adviser publishes: the report's own tables.

``tests/test_disclosure.py`` attacks ``kvalitet survey --out`` with random hierarchies; here one
hierarchy that primary suppression alone would leak (a faculty with one programme of 2
respondents beside two of 10 and 12) goes through ``kvalitet report``, and the tables the report
publishes (``tables/survey.parquet``, the same rows as the workbook's survey sheet), told every
cell's n, are attacked with the same linear-algebra attack. The workbook is read back too: no mean of a hidden cell.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis import paths
from tests.test_disclosure import attack

pytestmark = pytest.mark.slow

MIN_N = 5  # config/kvalitet.toml [survey] min_n
#: faculty -> programme -> respondents per year: 271's programme A (2) is below the minimum; with
#: only primary suppression, faculty 271 minus B and C gives A exactly
HIERARCHY = {"271": {"A271": 2, "B271": 10, "C271": 12}, "250": {"D250": 7, "E250": 20}}


def respondents() -> pd.DataFrame:
    from analysis.synth import generate_respondents

    per_year = sum(n for programmes in HIERARCHY.values() for n in programmes.values())
    base = generate_respondents(2 * per_year, n_items=4, n_programmes=5, n_years=2, seed=11).to_pandas()
    keys = [
        (faculty, programme, year)
        for year in (2024, 2025)
        for faculty, programmes in HIERARCHY.items()
        for programme, n in programmes.items()
        for _ in range(n)
    ]
    base["institusjonskode"] = "1150"
    base["fakultetskode"] = [k[0] for k in keys]
    base["studprog_kod"] = [k[1] for k in keys]
    base["aar"] = [k[2] for k in keys]
    return base


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from analysis.report.build import build_report

    raw = tmp_path_factory.mktemp("sdc") / "raw"
    shutil.copytree(paths.RAW / "dbh_api", raw / "dbh_api")
    shutil.copy(paths.RAW / "seed_studiebarometeret_2017_integrering.csv", raw)
    # programme A271's 2025 respondents in a file of their own, as a programme's own delivery
    everyone = respondents()
    own = (everyone["studprog_kod"] == "A271") & (everyone["aar"] == 2025)
    everyone[~own].to_csv(raw / "sb_respondenter.csv", index=False)
    everyone[own].to_csv(raw / "sb_respondenter_a271_2025.csv", index=False)
    out = raw.parent / "report"
    build_report(year=2025, institution="1150", data_dir=raw, out_dir=out, static=False, progress=lambda _: None)
    return out


def test_the_report_tables_give_no_hidden_programme_away(report):
    items = pd.read_parquet(report / "tables" / "survey.parquet")
    # the report shows no n of a hidden cell; the attacker is told them all (the derived table
    # beside the data keeps them), so the attack is the stronger one
    assert items.loc[items["suppressed"].fillna(False).astype(bool), "n"].isna().all()
    derived = pd.read_parquet(report.parent / "derived" / "survey_items.parquet")
    keys = ["level", "faculty_code", "unit_code", "year", "item"]
    every_n = derived.astype({k: str for k in keys}).set_index(keys)["n"]
    items["n"] = [every_n[k] for k in zip(*(items[k].astype(str) for k in keys), strict=True)]
    items = items[items["n"].notna()].astype({"n": int, "mean": "float64"})
    items["suppressed"] = items["suppressed"].fillna(False).astype(bool)
    # the hierarchy is in the published table, and A is hidden in both years
    a = items[(items["level"] == "programme") & (items["unit_code"] == "A271")]
    assert len(a) and a["mean"].isna().all() and a["suppressed"].all()
    # secondary suppression hid one more cell in faculty 271 (else the attack below finds A)
    hidden_271 = items[(items["faculty_code"] == "271") & (items["level"] == "programme") & items["suppressed"]]
    assert set(hidden_271["unit_code"]) > {"A271"}
    assert attack(items, MIN_N) == []
    # the attack has teeth on these tables: with the secondary cells shown (primary suppression
    # alone), faculty 271 minus its shown programmes gives A away
    secondary = items["suppression"].astype("string").eq("secondary").fillna(False).to_numpy(dtype=bool)
    primary_only = items.assign(mean=items["mean"].mask(secondary, 1.0), suppressed=items["suppressed"] & ~secondary)
    assert any("programme A271" in leak for leak in attack(primary_only, MIN_N))


def test_the_workbook_shows_no_mean_of_a_hidden_cell(report):
    import openpyxl

    items = pd.read_parquet(report / "tables" / "survey.parquet")
    hidden = items[items["suppressed"].fillna(False).astype(bool)]
    keys = {
        (str(u), int(y), str(i)) for u, y, i in zip(hidden["unit_code"], hidden["year"], hidden["item"], strict=True)
    }
    assert ("A271", 2025, "overord_altialt_13") in keys
    book = openpyxl.load_workbook(report / "kvalitetsmelding.xlsx", read_only=True)
    sheet = book[next(name for name in book.sheetnames if name.startswith("Studiebarometeret 20"))]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    unit, year, item = header.index("Enhetskode"), header.index("År"), header.index("Variabel")
    numbers = [header.index(h) for h in ("Gjennomsnitt", "Standardavvik", "95 % KI, nedre", "95 % KI, øvre")]
    published = {(str(r[unit]), int(r[year]), str(r[item])): r for r in rows[1:]}
    assert keys <= set(published), "every hidden cell is listed, marked"
    for key in keys:
        assert all(published[key][c] is None for c in numbers), key


def test_the_data_quality_notebook_counts_no_respondent_file(report):
    """Notebook 01's table of the files read gave each file's rows: a respondent file's rows are
    its respondents, and a file of one programme's year (A271's 2 in 2025, whose n the survey
    sheet empties) gave that n, and faculty 271's n less it the other hidden programme's (an
    attack on the executed notebook, 2026-12-04). Its table of rows per dataset gave every
    respondent of every year: the institution's shown years' n less it a hidden year's."""
    import json

    items = pd.read_parquet(report / "tables" / "survey.parquet")
    a = items[(items["unit_code"] == "A271") & (items["year"] == 2025)]
    assert len(a) and a["n"].isna().all(), "the report hides A271's n in 2025"
    notebook = json.loads((report / "notebooks" / "01_datakvalitet.ipynb").read_text(encoding="utf-8"))
    tables = [
        "".join(output["data"]["text/html"])
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    ]
    from io import StringIO

    files = next(pd.read_html(StringIO(t))[0] for t in tables if "sb_respondenter_a271_2025.csv" in t)
    row = files[files["Fil"] == "sb_respondenter_a271_2025.csv"].iloc[0]
    assert row["Rader"] == "–", row.to_dict()  # 2 (HIERARCHY) before
    assert files.loc[files["Fil"] == "sb_respondenter.csv", "Rader"].tolist() == ["–"]
    per_dataset = next(
        pd.read_html(StringIO(t), index_col=0)[0]
        for t in tables
        if "Studiebarometeret, respondentdata" in t and "sb_respondenter.csv" not in t
    )
    assert per_dataset.loc["Studiebarometeret, respondentdata", "rader"] == "–"  # 120 before
