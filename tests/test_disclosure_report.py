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


def published_numbers(report) -> set[float]:
    """Every number an artefact of the build holds, to 9 decimals: the tables (Parquet), the
    workbook's cells, the charts' data (plotly's JSON, where arrays are base64 ``bdata``: in
    ``figures/``, the page's embedded figures and the notebooks' outputs) and every number
    written with three or more decimals in a text (the page, the Word draft, the notebooks'
    printed tables, the CSV files)."""
    import base64
    import json
    import re
    import zipfile

    import numpy as np
    import openpyxl

    found: set[float] = set()

    def add(values) -> None:
        for v in np.asarray(values, dtype="float64").ravel():
            if np.isfinite(v):
                found.add(round(float(v), 9))

    def walk(node) -> None:
        if isinstance(node, dict):
            if "bdata" in node and "dtype" in node:
                add(np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            add([v for v in node if isinstance(v, int | float) and not isinstance(v, bool)])
            for value in node:
                walk(value)

    def text(t: str) -> None:
        add([float(m.replace(",", ".")) for m in re.findall(r"\d+[.,]\d{3,}", t)])

    for table in (report / "tables").glob("*.parquet"):
        frame = pd.read_parquet(table)
        for column in frame.columns:
            if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
                add(frame[column].astype("float64").to_numpy())
    for table in (report / "tables").glob("*.csv"):
        text(table.read_text(encoding="utf-8-sig"))
    book = openpyxl.load_workbook(report / "kvalitetsmelding.xlsx", read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            add([v for v in row if isinstance(v, int | float) and not isinstance(v, bool)])
    for figure in (report / "figures").glob("*.json"):
        walk(json.loads(figure.read_text(encoding="utf-8")))
    page = (report / "index.html").read_text(encoding="utf-8")
    embedded = re.search(r'<script type="application/json" id="figure-data">(.*?)</script>', page, flags=re.S)
    assert embedded, "the page embeds its figures"
    walk(json.loads(embedded.group(1)))
    text(re.sub(r"<script.*?</script>", "", page, flags=re.S))
    with zipfile.ZipFile(report / "kvalitetsmelding.docx") as docx:
        text(docx.read("word/document.xml").decode("utf-8"))
    for notebook in (report / "notebooks").glob("*.ipynb"):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                text("".join(output.get("text", [])))
                for kind, data in output.get("data", {}).items():
                    walk(data) if "json" in kind else text("".join(data) if isinstance(data, list) else str(data))
    return found


def test_no_artefact_of_the_build_holds_a_hidden_cells_mean_or_sd(report):
    """A hidden cell's mean or standard deviation, worked out here from the respondents, is in no
    artefact of the build: not in a chart's data (plotly's base64 arrays, the page's embedded
    figures, a notebook's outputs), nor the workbook, the Word draft, the tables or a printed
    table (an attack on every artefact of one build together, 2026-12-04, found none). Left
    out are values a shown cell of the survey tables has too, and values of three decimals or
    fewer (3.75, 4.5: a mean of a few answers is such a value as often as a portal score or a
    share is): found, they would not say whose they are."""
    import numpy as np

    answers = respondents()
    keys = ["institusjonskode", "fakultetskode", "studprog_kod", "aar"]
    items = [c for c in answers.columns if c not in keys]
    long = answers.melt(id_vars=keys, value_vars=items, var_name="item", value_name="answer")
    long = long[long["answer"].between(1, 5)]  # "vet ikke" (9999) and blanks are no answer
    truth = {}
    for level, by in (("programme", ["fakultetskode", "studprog_kod"]), ("faculty", ["fakultetskode"])):
        for (*unit, year, item), group in long.groupby([*by, "aar", "item"]):
            truth[level, str(unit[-1]), int(year), str(item)] = group["answer"].astype("float64").to_numpy()
    derived = pd.read_parquet(report.parent / "derived" / "survey_items.parquet")
    shown = set()
    for name in ("survey_items", "survey_indices"):
        frame = pd.read_parquet(report.parent / "derived" / f"{name}.parquet")
        frame = frame[~frame["suppressed"].astype(bool)]
        for column in frame.columns:
            if pd.api.types.is_float_dtype(frame[column]):
                shown |= {round(float(v), 9) for v in frame[column].dropna()}
    hidden = derived[derived["suppressed"].astype(bool) & (derived["n"] > 0) & (derived["level"] != "institution")]
    secrets = {}
    for r in hidden.itertuples():
        values = truth[str(r.level), str(r.unit_code), int(r.year), str(r.item)]
        assert len(values) == r.n
        for statistic in (values.mean(), values.std(ddof=1) if len(values) > 1 else np.nan):
            value = round(float(statistic), 9)
            if np.isfinite(value) and value != round(value, 3) and value not in shown:
                secrets[value] = f"{r.year} {r.item} {r.level} {r.unit_code} (n {r.n})"
    assert len(secrets) >= 8, "the attack has hidden values to look for"
    leaked = {secrets[v] for v in secrets.keys() & published_numbers(report)}
    assert not leaked, sorted(leaked)
