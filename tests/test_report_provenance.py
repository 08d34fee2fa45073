"""The report's provenance is reproducible and private: the same raw data and settings, copied to
two folders, give the same outputs byte for byte, and no output names either folder.

The adviser's folders (``/home/ola/kvalitetsmelding/…``) are theirs, not the numbers': written
into the report's manifest, its notebooks or the stages' manifests, they handed the adviser's
home folder to a committee with the report, and made the same inputs and code give other bytes
in another folder. A source is identified by its name in the data folder, its size and sha256;
the settings file by its bare name and sha256 (:func:`analysis.paths.published_name`).

The data are the real files of ``data/raw``, a small respondent file of the product's own
generator (so that a respondent file is among the inputs, named without size and checksum, and
the survey's stage runs) and the default settings with one index item the data lack (so that a
derived step writes a note naming the settings file).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from analysis import paths
from analysis.ingest import sha256
from analysis.pipeline import Stages, run
from analysis.report.build import build_report
from analysis.report.export import find_browser
from analysis.report.provenance import MANIFEST_NAME
from analysis.settings import load_settings

#: An index item no respondent file has: the survey step's note names the settings file.
MISSING_ITEM = "overord_altialt_99"
STATIC = find_browser() is not None
#: The manifest's two timestamps (the only ones of the report: README, "manifest.json").
TIMESTAMPS = re.compile(rb'"(started_at|finished_at)": "[^"]*"')


def _inputs(root: Path) -> tuple[Path, Path]:
    """The raw folder and the settings file of one adviser's folder ``root``, written there."""
    from analysis.synth import generate_respondents, write_respondents

    raw = root / "data" / "raw"
    shutil.copytree(paths.RAW, raw)
    frame = generate_respondents(400, n_items=32, n_programmes=8, n_years=2, seed=5).to_pandas()
    frame["institusjonskode"] = "1150"
    frame["fakultetskode"] = "271"  # a faculty of NTNU's in DBH table 210
    import pyarrow as pa

    write_respondents(pa.Table.from_pandas(frame, preserve_index=False), raw / "sb_respondenter.csv")
    config = root / "kvalitet.toml"
    text = paths.DEFAULT_CONFIG.read_text(encoding="utf-8")
    overall = 'helhetsvurdering = ["overord_altialt_13"]'
    assert overall in text
    config.write_text(text.replace(overall, f'helhetsvurdering = ["overord_altialt_13", "{MISSING_ITEM}"]'), "utf-8")
    return raw, config


def _written(root: Path, before: set[Path]) -> dict[str, bytes]:
    """Every file under ``root`` that was not there before, by its path relative to ``root``."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p not in before
    }


def _texts(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """The file's bytes, and those of each member of a docx or xlsx (a zip of XML: the path
    could be in any member, compressed where the zip's own bytes do not show it)."""
    out = [(name, data)]
    if name.endswith((".docx", ".xlsx")):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            out += [(f"{name}:{member}", z.read(member)) for member in z.namelist()]
    return out


def _assert_same_and_private(roots: list[Path], written: list[dict[str, bytes]]) -> None:
    first, second = written
    assert sorted(first) == sorted(second)
    for name in first:
        a, b = first[name], second[name]
        if name.endswith(f"report/{MANIFEST_NAME}"):
            # the report's manifest with its build times set aside; its fingerprint and the
            # outputs' sha256 included
            assert len(TIMESTAMPS.findall(a)) == 2
            a, b = TIMESTAMPS.sub(b"", a), TIMESTAMPS.sub(b"", b)
        assert a == b, name
    # (identical bytes from two folders of different names and lengths already say that no file
    # holds its folder, a compressed Parquet column too; the folders' paths, sought in the
    # bytes, say which file it was)
    for root, files in zip(roots, written, strict=True):
        for name, data in files.items():
            for where, text in _texts(name, data):
                for folder in (root, root.parent):
                    assert str(folder).encode() not in text, (where, str(folder))


@pytest.fixture(scope="module")
def adviser_folders(tmp_path_factory) -> list[Path]:
    """Two folders of an adviser's (names of different lengths, one with letters beyond ASCII,
    which papermill escapes in a notebook's parameter cell), each with the same inputs."""
    roots = [
        tmp_path_factory.mktemp("home-ola") / "kvalitetsmelding-åse",
        tmp_path_factory.mktemp("shared") / "q",
    ]
    for root in roots:
        _inputs(root)
    return roots


def test_the_stages_from_two_folders_are_the_same_and_name_neither(tmp_path):
    """``kvalitet derive`` (the validated and derived stages) from the same inputs in two folders:
    the same files byte for byte, none naming its folder (the validated stage's notes named a raw
    file by its full path, the derived stage its settings file and a note of the survey step)."""
    roots = [tmp_path / "home-ola" / "kvalitetsmelding-åse", tmp_path / "shared" / "q"]
    written = []
    for root in roots:
        _inputs(root)
        before = {p for p in root.rglob("*") if p.is_file()}
        run(root / "data" / "raw", load_settings(root / "kvalitet.toml"), progress=lambda _: None)
        written.append(_written(root, before))
    stages = Stages.of(roots[0] / "data" / "raw")
    derived = json.loads((stages.derived / "manifest.json").read_text(encoding="utf-8"))
    # named by its name; what each step used of it is the step's own (the report's manifest
    # names the file's sha256)
    assert derived["settings"] == {"file": "kvalitet.toml"}
    notes = [n for step in derived["steps"].values() for n in step.get("notes", [])]
    assert any(n.startswith(f"survey: kvalitet.toml: survey.indices.helhetsvurdering: {MISSING_ITEM} ") for n in notes)
    _assert_same_and_private(roots, written)


@pytest.mark.slow
def test_the_report_from_two_folders_is_the_same_and_names_neither(adviser_folders):
    """``kvalitet report --data …/data/raw --config …/kvalitet.toml --out …/report`` from the same
    inputs in two folders: every file of the report (the manifest but for its build times, the
    executed notebooks, the workbook and the Word document, whose zip members carry fixed times;
    PNG and SVG where a browser exports them) and of the stages is the same byte for byte, and
    none names either folder."""
    written = []
    for root in adviser_folders:
        before = {p for p in root.rglob("*") if p.is_file()}
        build_report(
            data_dir=root / "data" / "raw",
            out_dir=root / "report",
            settings=load_settings(root / "kvalitet.toml"),
            progress=lambda _: None,
            static=STATIC,
        )
        written.append(_written(root, before))
    assert any(name.startswith("report/notebooks/") for name in written[0])
    if STATIC:
        assert any(name.endswith(".png") for name in written[0])
    manifest = json.loads(written[0][f"report/{MANIFEST_NAME}"])
    config = adviser_folders[0] / "kvalitet.toml"
    assert manifest["settings_file"] == {"file": "kvalitet.toml", "sha256": sha256(config)}
    # the inputs by their names in the data folder (a respondent file without size and sha256)
    assert {i["file"] for i in manifest["inputs"]} >= {"sb_respondenter.csv", "dbh_api/dbh_api_t123_1150.json"}
    _assert_same_and_private(adviser_folders, written)


def test_a_data_folder_with_the_same_data_and_another_file_beside_them_gives_another_report(tmp_path):
    """The report's manifest lists every file of the data folder with its size and sha256, its
    README.md too, which no stage reads. With the data folder named by its name alone, a folder
    with the same data files and another README.md (or a file more) found the report built from
    the first folder up to date, and its manifest went on listing the first folder's files. The
    same files in a moved folder still give the same fingerprint (nothing to rebuild)."""
    from analysis.report.build import report_fingerprint
    from analysis.report.provenance import input_files
    from analysis.settings import Settings

    folders = {name: tmp_path / name / "data" / "raw" for name in ("first", "moved", "readme", "more")}
    for raw in folders.values():
        raw.mkdir(parents=True)
        for name in ("shot_headline_figures_national.csv", "README.md"):
            shutil.copy2(paths.RAW / name, raw / name)
    with (folders["readme"] / "README.md").open("a", encoding="utf-8") as readme:
        readme.write("\nLastet ned på nytt 2026-12-01.\n")
    (folders["more"] / "metode.pdf").write_bytes(b"%PDF-1.4\n")
    fingerprints, listed = {}, {}
    for name, raw in folders.items():
        run(raw, Settings(), progress=lambda _: None)
        fingerprints[name] = report_fingerprint(Stages.of(raw), Settings(), {"data_dir": "raw"}, paths.NOTEBOOKS)
        listed[name] = input_files(raw)
    # the data files are the same in all four: the stages cannot tell the folders apart
    validated = {
        n: json.loads((Stages.of(r).validated / "manifest.json").read_bytes())["fingerprint"]
        for n, r in folders.items()
    }
    assert len(set(validated.values())) == 1
    assert listed["moved"] == listed["first"] and fingerprints["moved"] == fingerprints["first"]
    for other in ("readme", "more"):
        assert listed[other] != listed["first"]
        assert fingerprints[other] != fingerprints["first"], other


def test_a_link_to_a_file_of_the_advisers_elsewhere_is_named_by_its_name(tmp_path):
    """A link in the data folder to a downloaded file that is gone is named in a note with where
    it leads (``'→ /home/ola/Nedlastinger/dbh_t123.csv'``): the validated stage's manifest, and
    from it the report's notes and notebook 01, gave that folder of the adviser's in full. There
    the link and its target are named by their names; the terminal keeps the paths (a file to
    look for)."""
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy2(paths.RAW / "shot_headline_figures_national.csv", raw)
    target = tmp_path / "Nedlastinger" / "dbh_t123_hentet.csv"
    (raw / "dbh_t123.csv").symlink_to(target)
    lines: list[str] = []
    run(raw, load_settings(), progress=lines.append)
    # (the target as far as a value is shown: analysis.errors.MAX_VALUE_CHARS)
    assert any(f"{raw / 'dbh_t123.csv'}:-:-: '→ {tmp_path}"[:120] in line for line in lines), lines
    text = (Stages.of(raw).validated / "manifest.json").read_text(encoding="utf-8")
    (note,) = json.loads(text)["notes"]
    assert note.startswith("dbh_t123.csv:-:-: '→ dbh_t123_hentet.csv' — a link that leads nowhere"), note
    assert str(tmp_path) not in text
