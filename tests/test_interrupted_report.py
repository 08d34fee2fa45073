"""A report build stopped by Ctrl-C (SIGINT) or ``kill`` (SIGTERM) while its notebooks run:
it stops within seconds (not once the running notebooks are done), cleans up everything it
made (the kernels and their folders, the browser and its folder, the private folder beside the
output), leaves the earlier report as it was, and ends with one line and 128 + the signal's
number. A second signal while it cleans up (a person pressing Ctrl-C again) does not cut the
clean-up short. Real processes: ``python -m analysis report`` and the signals."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import PYTHON, tree_snapshot

from analysis import paths
from tests.test_export_hang import processes_naming as naming

pytestmark = pytest.mark.slow


def start_report(raw: Path, out: Path, env: dict, *args: str) -> subprocess.Popen:
    # started with Ctrl-C's own handling: a test run started with SIGINT ignored (in the
    # background of a shell, under nohup, mutmut's workers) passed that on, the build rightly
    # kept ignoring it, ran to its end and replaced the report the next tests build on
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(
            [str(PYTHON), "-m", "analysis", "report", "--data", str(raw), "--out", str(out), *args],
            cwd=paths.ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The embedded data and a report built from it (Norwegian), in folders of their own."""
    base = tmp_path_factory.mktemp("interrupted")
    raw = base / "data" / "raw"
    shutil.copytree(paths.RAW, raw)
    out = base / "report"
    state = base / "state"
    env = dict(os.environ, PYTHONIOENCODING="utf-8", KVALITET_STATE_DIR=str(state))
    first = start_report(raw, out, env)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    return raw, out, env


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_build_stopped_while_its_notebooks_run_cleans_up_at_once(built, socket_tmp, number):
    raw, out, env = built
    before = tree_snapshot(out)
    # the English report: the stages are up to date, the report is built again
    proc = start_report(raw, out, dict(env, TMPDIR=str(socket_tmp)), "--lang", "en")
    assert proc.stdout is not None
    for line in proc.stdout:
        if "06_rapportfigurer" in line:  # (the first notebook has started)
            break
    time.sleep(1.0)
    assert naming(str(socket_tmp)), "no kernel was running"
    proc.send_signal(number)
    stopped = time.monotonic()
    time.sleep(0.5)
    proc.send_signal(number)  # again, while it cleans up
    _, err = proc.communicate(timeout=120)
    took = time.monotonic() - stopped
    # nothing it made is left: no kernel, no browser, no folder of theirs, nothing beside the report
    assert naming(str(socket_tmp)) == []
    assert sorted(p.name for p in socket_tmp.iterdir()) == []
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".report")) == []
    assert tree_snapshot(out) == before
    assert (proc.returncode, err) == (128 + number, "kvalitet: interrupted; nothing was replaced\n")
    # bounded: the running notebooks' kernels are stopped, not waited for (a single Ctrl-C waited
    # 4-9 s for the charts notebook here; the second cut that short, leaving the folders). ~2-4 s
    # on two cores at a load of 6-7.5; the now-and-then ~10.7 s was a kernel still being launched
    # at the Ctrl-C, left to run its notebook (test_a_build_stopped_as_its_notebooks_start_…)
    assert took < 20, took


def test_a_build_stopped_as_its_notebooks_start_runs_none_of_them(built, socket_tmp):
    """Ctrl-C as the first notebooks start, a kernel not yet launched: the kernels are
    killed as soon as they are, and no notebook runs. A kernel still being launched at the
    Ctrl-C was not killed (it had no process yet), and its notebook ran to its end (the charts
    notebook 4-12 s: the "now and then ~10.7 s" of helper C's report, 1 run in 3 at a 1 s wait)."""
    raw, out, env = built
    before = tree_snapshot(out)
    proc = start_report(raw, out, dict(env, TMPDIR=str(socket_tmp)), "--lang", "en")
    assert proc.stdout is not None
    for line in proc.stdout:
        if "06_rapportfigurer" in line:  # (said as it starts, before its kernel is launched)
            break
    # the moment its kernel's folder is made, just before the kernel is launched
    deadline = time.monotonic() + 60
    while not any(p.name.startswith("kvalitet-kernel-") for p in socket_tmp.iterdir()):
        assert time.monotonic() < deadline, "no kernel was started"
        time.sleep(0.002)
    proc.send_signal(signal.SIGINT)
    stopped = time.monotonic()
    rest, err = proc.communicate(timeout=120)
    took = time.monotonic() - stopped
    assert " done (" not in rest, rest  # no notebook ran to its end
    assert (proc.returncode, err) == (130, "kvalitet: interrupted; nothing was replaced\n")
    assert naming(str(socket_tmp)) == []
    assert sorted(p.name for p in socket_tmp.iterdir()) == []
    assert tree_snapshot(out) == before
    assert took < 20, took


#: Holds the lock of the output folder argv[1], as a build writing it does, until its input ends.
HOLD_THE_LOCK = """\
import sys
from pathlib import Path
from analysis.outputs import OutputFolder
staged = OutputFolder(Path(sys.argv[1]), "report").open()
print("held", flush=True)
sys.stdin.read()
staged.close()
"""


def test_a_build_into_a_folder_another_run_writes_is_refused_at_once(tmp_path, socket_tmp):
    """A second build into an --out another run is writing is told so at once: it rebuilt the
    stages, read the data and started the browser first, and was refused only when it came to
    write the report."""
    raw = tmp_path / "data" / "raw"
    shutil.copytree(paths.RAW, raw)
    out = tmp_path / "report"
    env = dict(os.environ, PYTHONIOENCODING="utf-8", KVALITET_STATE_DIR=str(tmp_path / "state"), TMPDIR=str(socket_tmp))
    holder = subprocess.Popen(
        [str(PYTHON), "-c", HOLD_THE_LOCK, str(out)],
        cwd=paths.ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        second = start_report(raw, out, env, "--force")
        said, err = second.communicate(timeout=300)
    finally:
        holder.communicate("")
    assert second.returncode == 1
    assert "another kvalitet run" in err and f"is writing {out}" in err, err
    assert said == ""  # nothing read, validated or rebuilt
    assert sorted(p.name for p in raw.parent.iterdir()) == ["raw"]  # (no stage written)
    assert sorted(p.name for p in socket_tmp.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".report")) == []


def test_two_builds_at_once_into_one_folder_never_mix_their_files(built, socket_tmp):
    """Two builds started together into the same --out (one Norwegian, one English): each
    finishes, or the second says another run is writing the folder and exits 1; the folder is
    then one whole report (every file its manifest lists, none else, all of one language) and
    nothing of either build is left beside it or in the temporary folder."""
    raw, out, env = built
    env = dict(env, TMPDIR=str(socket_tmp))
    procs = [start_report(raw, out, env, "--lang", lang, "--force", "--no-static") for lang in ("nb", "en")]
    errors = [proc.communicate(timeout=300)[1] for proc in procs]
    results = [(proc.returncode, err) for proc, err in zip(procs, errors, strict=True)]
    for code, err in results:
        assert code == 0 or (code == 1 and "another kvalitet run" in err and f"is writing {out}" in err), err
        assert "Traceback" not in err
    assert any(code == 0 for code, _ in results)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = tree_snapshot(out)
    assert sorted(o["file"] for o in manifest["outputs"]) == sorted(
        name for name in files if name not in ("manifest.json", ".kvalitet-output.json")
    )
    assert all(hashlib.sha256(files[o["file"]]).hexdigest() == o["sha256"] for o in manifest["outputs"])
    lang = manifest["parameters"]["lang"]
    page = files["index.html"].decode("utf-8")
    assert f'<html lang="{"nb" if lang == "nb" else "en"}"' in page
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".report")) == []
    assert sorted(p.name for p in socket_tmp.iterdir()) == []
