"""What a report folder says about the respondent files beside the numbers (an attack on every
artefact of one report folder, 2026-12-05, attacker C).

The survey tables hide a programme of one respondent (primary: 1 < ``min_n`` 5), and the
manifest names a respondent file without its size and sha256, and notebook 01 gives its rows as
"–" (``tests/test_disclosure_manifest.py``, ``tests/test_disclosure_report.py``): a small file's
answers are found by trying each against its checksum, and its rows count its respondents. Three
more ways the same file reached the report folder:

1. **A copy no stage reads.** The manifest listed every other file of the data folder with its
   size and sha256: a copy of the respondent file that is read as no data (a backup,
   ``….csv.bak``; NOKUT's delivery in another format beside the export) gave the hidden
   respondent's answers by the same 7⁴ tries.
2. **A note from reading the file.** A respondent workbook with rows hidden in Excel (as a filter
   leaves them) is read whole, and the note saying so, printed in the executed notebook 01, gave
   the number of rows hidden and the first one's row: here the one respondent of the hidden
   programme.
3. **A folder no reader looks into.** The manifest listed the files of a hidden folder too: the
   data folder kept in git gave ``.git/objects/…``, each named by the SHA-1 of a version of a
   file, the respondent file's too (found on a second reading, 2026-12-05).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import subprocess
import zipfile

import pandas as pd
import pytest

from analysis import paths

pytestmark = pytest.mark.slow

ITEMS = ["overord_altialt_13", "tilbveil_antall_16", "tilbveil_konstru_13", "tilbveil_fagdisk_18"]
KEYS = ["institusjonskode", "fakultetskode", "studprog_kod", "aar"]
#: the hidden programme's one respondent: two answers, a "vet ikke", a blank
SECRET = [4, 2, 9999, None]
#: programme -> respondents in 2025 (faculty 271); A271's one is below the minimum (5)
SIZES = {"B271": 12, "C271": 9}


def shown_rows() -> list[list]:
    return [
        ["1150", "271", programme, 2025, *[1 + (k * 7 + j * 3) % 5 for j in range(len(ITEMS))]]
        for programme, n in SIZES.items()
        for k in range(n)
    ]


def build(raw, tmp_path_factory):
    """The report of ``raw`` (2025, NTNU), built with a private state folder of its own (a
    module's fixture is made before the per-test one)."""
    from analysis.report.build import build_report

    out = raw.parent / "report"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KVALITET_STATE_DIR", str(tmp_path_factory.mktemp("state") / "kvalitet"))
        build_report(year=2025, institution="1150", data_dir=raw, out_dir=out, static=False, progress=lambda _: None)
    return out


def hidden_programme_rows(report) -> pd.DataFrame:
    items = pd.read_parquet(report / "tables" / "survey.parquet")
    rows = items[(items["unit_code"] == "A271") & (items["level"] == "programme")]
    assert len(rows) == len(ITEMS) and rows["suppressed"].all(), "the report hides A271"
    assert rows["mean"].isna().all() and rows["n"].isna().all()
    return rows


@pytest.fixture(scope="module")
def report_beside_a_backup(tmp_path_factory):
    raw = tmp_path_factory.mktemp("copy") / "raw"
    shutil.copytree(paths.RAW / "dbh_api", raw / "dbh_api")
    pd.DataFrame(shown_rows(), columns=KEYS + ITEMS).to_csv(raw / "sb_respondenter.csv", sep=";", index=False)
    small = pd.DataFrame([["1150", "271", "A271", 2025, *SECRET]], columns=KEYS + ITEMS)
    small.astype({i: "Int64" for i in ITEMS}).to_csv(raw / "sb_respondenter_a271.csv", sep=";", index=False)
    # the adviser's backup of the file before an edit: the same bytes, read as no data
    shutil.copy(raw / "sb_respondenter_a271.csv", raw / "sb_respondenter_a271.csv.bak")
    return build(raw, tmp_path_factory)


def test_a_copy_of_a_respondent_file_no_stage_reads_is_not_described_in_the_manifest(report_beside_a_backup):
    report = report_beside_a_backup
    hidden_programme_rows(report)
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    published = {e.get("sha256") for e in manifest["inputs"]} - {None}
    # the attacker's tries, as in tests/test_disclosure_manifest.py: the published codes and
    # year, each answer 1–5, 9999 or blank, in the layout of the delivery's files
    header = ";".join(KEYS + ITEMS) + "\n"
    found = [
        answers
        for answers in itertools.product(["1", "2", "3", "4", "5", "9999", ""], repeat=len(ITEMS))
        if hashlib.sha256((header + ";".join(["1150", "271", "A271", "2025", *answers]) + "\n").encode()).hexdigest()
        in published
    ]
    assert found == [], f"the hidden respondent's answers, from the manifest: {found}"
    entries = {e["file"]: e for e in manifest["inputs"]}
    backup = entries["sb_respondenter_a271.csv.bak"]
    assert "sha256" not in backup and "bytes" not in backup, backup  # named, as a file of the folder
    # the files read as data of no respondents keep their size and sha256 (what the report was
    # made from)
    read = [e for name, e in entries.items() if name.startswith("dbh_api/")]
    assert read and all(len(e["sha256"]) == 64 and e["bytes"] > 0 for e in read)


@pytest.fixture(scope="module")
def report_of_a_filtered_workbook(tmp_path_factory):
    import openpyxl

    raw = tmp_path_factory.mktemp("filtered") / "raw"
    shutil.copytree(paths.RAW / "dbh_api", raw / "dbh_api")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "svar"
    sheet.append(KEYS + ITEMS)
    rows = shown_rows()
    rows.insert(SIZES["B271"], ["1150", "271", "A271", 2025, *SECRET])  # sorted by programme
    for number, row in enumerate(rows, start=2):
        sheet.append(row)
        # the adviser filtered the sheet to B271 and C271 and saved it so
        sheet.row_dimensions[number].hidden = row[2] == "A271"
    book.save(raw / "sb_respondenter.xlsx")
    return build(raw, tmp_path_factory)


def published_texts(report) -> dict[str, str]:
    """Every text of the report folder a reader opens: the page, the notes, the tables, the
    executed notebooks' outputs, the Word draft and the workbook's strings."""
    texts = {}
    for path in report.rglob("*"):
        name = path.relative_to(report).as_posix()
        if path.suffix in (".html", ".json", ".csv"):
            texts[name] = path.read_text(encoding="utf-8-sig")
        elif path.suffix == ".ipynb":
            notebook = json.loads(path.read_text(encoding="utf-8"))
            texts[name] = "\n".join(
                "".join(o.get("text", []))
                + "".join("".join(v) for v in o.get("data", {}).values() if isinstance(v, list))
                for cell in notebook["cells"]
                for o in cell.get("outputs", [])
            )
        elif path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as document:
                texts[name] = "\n".join(
                    document.read(n).decode("utf-8") for n in document.namelist() if n.endswith(".xml")
                )
    return texts


def test_a_note_from_reading_a_respondent_file_gives_no_count_of_its_rows(report_of_a_filtered_workbook):
    report = report_of_a_filtered_workbook
    hidden_programme_rows(report)
    leaks = [
        f"{name}: {line.strip()[:160]}"
        for name, text in published_texts(report).items()
        for line in text.splitlines()
        # a row of the file (FILE:ROW), or a count of its rows ("1 rows of sheet 'svar' are hidden")
        if re.search(r"sb_respondenter\.xlsx:\d", line) or re.search(r"\b\d+ rows? of sheet 'svar'", line)
    ]
    assert not leaks, leaks
    # the adviser still learns that the file has notes, and where to see them
    notes = published_texts(report)["notebooks/01_datakvalitet.ipynb"]
    assert "sb_respondenter.xlsx:-:-: (empty) — notes from reading respondent-level data are not published" in notes
    assert "kvalitet validate sb_respondenter.xlsx prints them" in notes


@pytest.fixture(scope="module")
def report_of_a_folder_under_git(tmp_path_factory):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    raw = tmp_path_factory.mktemp("git") / "raw"
    shutil.copytree(paths.RAW / "dbh_api", raw / "dbh_api")
    pd.DataFrame(shown_rows(), columns=KEYS + ITEMS).to_csv(raw / "sb_respondenter.csv", sep=";", index=False)
    small = pd.DataFrame([["1150", "271", "A271", 2025, *SECRET]], columns=KEYS + ITEMS)
    small.astype({i: "Int64" for i in ITEMS}).to_csv(raw / "sb_respondenter_a271.csv", sep=";", index=False)
    # the adviser keeps the data folder's history in git: each file's version is an object
    # named by the SHA-1 of its bytes (.git/objects/d5/c635…)
    person = {
        "GIT_AUTHOR_NAME": "a",
        "GIT_AUTHOR_EMAIL": "a@b",
        "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@b",
    }
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "NOKUT's delivery"]):
        subprocess.run([git, "-C", str(raw), *command], check=True, env={**os.environ, **person})
    return build(raw, tmp_path_factory)


def test_a_folder_no_stage_looks_into_is_not_listed_in_the_manifest(report_of_a_folder_under_git):
    """A hidden folder of the data folder (``.git``, as the readers never look into one) is not
    listed: its files' names were in the manifest, and git names a file's version by the SHA-1
    of its bytes, which gave the hidden respondent's answers by the same 7⁴ tries."""
    report = report_of_a_folder_under_git
    hidden_programme_rows(report)
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    # every 40 hex digits a name gives, as git writes them (two, a slash, thirty-eight)
    published = {
        "".join(found)
        for e in manifest["inputs"]
        for found in re.findall(r"(?<![0-9a-f])([0-9a-f]{2})/([0-9a-f]{38})(?![0-9a-f])", e["file"])
    }
    header = ";".join(KEYS + ITEMS) + "\n"
    found = []
    for answers in itertools.product(["1", "2", "3", "4", "5", "9999", ""], repeat=len(ITEMS)):
        file = (header + ";".join(["1150", "271", "A271", "2025", *answers]) + "\n").encode()
        if hashlib.sha1(b"blob %d\0" % len(file) + file).hexdigest() in published:
            found.append(answers)
    assert found == [], f"the hidden respondent's answers, from the manifest's names: {found}"
    names = {e["file"] for e in manifest["inputs"]}
    assert not [n for n in names if n.startswith(".git/")], sorted(names)[:5]
    # the data files are listed as before: the respondent files by name, DBH's with their sha256
    assert {"sb_respondenter.csv", "sb_respondenter_a271.csv"} <= names
    assert all(len(e["sha256"]) == 64 for e in manifest["inputs"] if e["file"].startswith("dbh_api/"))
