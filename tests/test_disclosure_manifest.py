"""The report's manifest gives no respondent file away by its checksum or size.

An attack on the published outputs (2026-12-04): ``manifest.json`` listed every input file with
its size and sha256. A respondent file holds personal answers, and a small one is a handful of
cells: with its header, codes and n published (the survey tables) and the layout of the export
known (every file of a delivery is written alike), the answers of a file of one respondent are
found by trying each (1–5, 9999 "vet ikke", blank: 7 per item) against the published sha256,
and its size alone counts its "vet ikke" (4 bytes against 1). Here the second file holds the one
respondent of a programme the survey tables hide (primary: 1 < 5); 7⁴ tries give the answers.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil

import pandas as pd
import pytest

from analysis import paths

pytestmark = pytest.mark.slow

ITEMS = ["overord_altialt_13", "tilbveil_antall_16", "tilbveil_konstru_13", "tilbveil_fagdisk_18"]
KEYS = ["institusjonskode", "fakultetskode", "studprog_kod", "aar"]
#: the hidden respondent: two answers, a "vet ikke", a blank
SECRET = [4, 2, 9999, None]


def write(frame: pd.DataFrame, path) -> None:
    frame.to_csv(path, sep=";", index=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from analysis.report.build import build_report

    raw = tmp_path_factory.mktemp("manifest") / "raw"
    shutil.copytree(paths.RAW / "dbh_api", raw / "dbh_api")
    rows = [
        ["1150", "271", programme, 2025, *[1 + (k * 7 + j * 3) % 5 for j in range(len(ITEMS))]]
        for programme, n in (("B271", 12), ("C271", 9))
        for k in range(n)
    ]
    write(pd.DataFrame(rows, columns=KEYS + ITEMS), raw / "sb_respondenter.csv")
    small = pd.DataFrame([["1150", "271", "A271", 2025, *SECRET]], columns=KEYS + ITEMS)
    write(small.astype({i: "Int64" for i in ITEMS}), raw / "sb_respondenter_a271.csv")
    out = raw.parent / "report"
    # built with a private state folder of its own (its fingerprint key: the builder's), not the
    # tester's (a module's fixture is made before the per-test state folder)
    BUILT_WITH["state"] = str(tmp_path_factory.mktemp("state") / "kvalitet")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KVALITET_STATE_DIR", BUILT_WITH["state"])
        build_report(year=2025, institution="1150", data_dir=raw, out_dir=out, static=False, progress=lambda _: None)
    return out


#: The private state folder the report was built with (its user's fingerprint key).
BUILT_WITH: dict[str, str] = {}


def test_the_manifest_gives_no_respondent_file_away_by_its_checksum_or_size(report):
    items = pd.read_parquet(report / "tables" / "survey.parquet")
    hidden = items[(items["unit_code"] == "A271") & (items["level"] == "programme")]
    assert len(hidden) == len(ITEMS) and hidden["suppressed"].all() and hidden["mean"].isna().all()
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["inputs"] if e["file"] == "sb_respondenter_a271.csv")
    # the attacker's tries: the published codes and year, each answer 1–5, 9999 or blank, in the
    # layout of the delivery's files
    header = ";".join(KEYS + ITEMS) + "\n"
    found = [
        answers
        for answers in itertools.product(["1", "2", "3", "4", "5", "9999", ""], repeat=len(ITEMS))
        if hashlib.sha256((header + ";".join(["1150", "271", "A271", "2025", *answers]) + "\n").encode()).hexdigest()
        == entry.get("sha256")
    ]
    assert found == [], f"the hidden respondent's answers, from the manifest: {found}"
    assert "sha256" not in entry and "bytes" not in entry
    # every other input keeps its checksum (what the report was made from, as before)
    others = [e for e in manifest["inputs"] if not e["file"].startswith("sb_respondenter")]
    assert others and all(len(e["sha256"]) == 64 and e["bytes"] > 0 for e in others)


def test_the_manifests_fingerprint_is_no_checksum_of_the_respondent_files(report, monkeypatch):
    """The manifest's ``fingerprint`` (what the report was made from) was a sha256 over the stage
    manifests' fingerprints, which are sha256 over each input's sha256, the respondent files'
    too, and over what the report publishes itself (the code at its git commit, the settings'
    sha256, the parameters, the notes and row counts). Whoever recomputes it from those with a
    candidate file's sha256 in the respondent file's place tries the answers against it as
    above: the size and sha256 left out of the inputs were still in it. Here it is recomputed
    with the true files (the one try that matches); the published fingerprint must not be it."""
    from analysis import pipeline
    from analysis.console import fingerprint_key
    from analysis.disclosure import personal_inputs
    from analysis.report.build import report_fingerprint
    from analysis.report.data import retrieval_dates
    from analysis.report.provenance import input_files

    raw = report.parent / "raw"
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    stages = pipeline.Stages.of(raw)
    validated = pipeline.read_manifest(stages.validated)
    # the respondent files reach the stage manifests as their sha256 only
    personal = {e["sha256"] for e in validated["inputs"] if e["kind"] == "sb-respondents"}
    assert personal == set(validated["datasets"]["survey_respondents"]["sources"])
    assert validated["fingerprint"] == pipeline.fingerprint(
        "validated",
        pipeline.code_fingerprint(),
        sorted((e["file"], e["sha256"]) for e in validated["inputs"]),
    )
    derived = pipeline.read_manifest(stages.derived)
    parameters = {k: v for k, v in manifest["parameters"].items() if k not in ("year_basis", "year_requested")}
    parameters |= {"year": manifest["parameters"]["year_requested"], "out_dir": None, "static": False}
    notebooks = [(p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in sorted(paths.NOTEBOOKS.glob("*.py"))]
    # the sources' dates and the data folder's files, as the report publishes them (its "Kilde"
    # lines and the manifest's inputs)
    dates = sorted((name, *date) for name, date in retrieval_dates(raw, validated).items())
    inputs = input_files(raw, personal_inputs(validated))
    assert inputs == manifest["inputs"]
    recomputed = pipeline.fingerprint(
        "report",
        derived["steps"],
        derived["validated"],
        manifest["settings_file"]["sha256"],
        pipeline.code_fingerprint(),
        notebooks,
        parameters,
        dates,
        inputs,
    )
    # the builder's key makes the published fingerprint of exactly this recomputation (so it is
    # the attacker's one matching try); without the key it is not the published one
    monkeypatch.setenv("KVALITET_STATE_DIR", BUILT_WITH["state"])
    assert report_fingerprint(stages, _settings(), parameters, paths.NOTEBOOKS) == manifest["fingerprint"]
    assert pipeline.keyed(recomputed, fingerprint_key()) == manifest["fingerprint"]
    assert recomputed != manifest["fingerprint"]


def _settings():
    from analysis.settings import load_settings

    return load_settings()


def test_the_fingerprint_key_is_the_users_kept_privately_and_made_once(private_state_dir):
    """The key is random (never derived from the data: a key made of the inputs could be made
    again by whoever tries the answers), made once and kept for the user's next runs (or every
    report would be rebuilt), readable by the user alone, and not in a stage (the stages stay
    byte for byte the same for the same inputs)."""
    import os
    import stat

    from analysis.console import KEY_DIR, KEY_FILE, fingerprint_key

    first = fingerprint_key()
    assert len(first) == 32 and fingerprint_key() == first
    kept = private_state_dir / KEY_DIR / KEY_FILE
    assert kept.read_bytes() == first
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert [p.name for p in kept.parent.iterdir()] == [KEY_FILE]  # (no half-made key left beside it)
    kept.unlink()  # another user, or another machine: another key
    assert fingerprint_key() != first


def test_the_derived_stages_manifest_is_no_checksum_of_the_respondent_files(report):
    """``data/derived`` (the aggregate tables an adviser may share, the survey tables' hidden
    cells as "–") carried in its ``manifest.json`` the validated stage's fingerprint, a sha256
    over each input's sha256, the respondent files' too, and each step's, a sha256 over the
    validated datasets' sha256: the report's manifest had those too before it was keyed (above).
    Whoever recomputes them from a candidate file's sha256 in the respondent file's place tries
    the answers against them as above (an attack on the derived folder, 2026-12-04). Here they are
    recomputed with the true files (the one try that matches); the derived manifest must not hold
    them."""
    from analysis import pipeline

    raw = report.parent / "raw"
    stages = pipeline.Stages.of(raw)
    validated = pipeline.read_manifest(stages.validated)
    derived = pipeline.read_manifest(stages.derived)
    with_true_files = pipeline.fingerprint(
        "validated",
        pipeline.code_fingerprint(),
        sorted((e["file"], e["sha256"]) for e in validated["inputs"]),
    )
    assert derived["validated"] != with_true_files
    settings = _settings()
    survey = next(s for s in pipeline.STEPS if s.name == "survey")
    lineage = {n: validated["datasets"][n] for n in (*survey.needs, *survey.uses) if n in validated["datasets"]}
    assert "survey_respondents" in lineage
    from dataclasses import asdict

    chosen = {section: asdict(getattr(settings, section)) for section in survey.settings}
    before = {name: derived["steps"][name]["fingerprint"] for name in survey.after if name in derived["steps"]}
    step_with_true_files = pipeline.fingerprint(
        "derived", "survey", pipeline.code_fingerprint(), lineage, chosen, before
    )
    assert derived["steps"]["survey"]["fingerprint"] != step_with_true_files
    # no respondent file's sha256 in it as such either
    text = (stages.derived / "manifest.json").read_text(encoding="utf-8")
    assert not any(e["sha256"] in text for e in validated["inputs"] if e["kind"] == "sb-respondents")
