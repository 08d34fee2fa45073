"""What a report build killed outright (``kill -9``: it cannot clean up) leaves in the temporary
folder is removed by the next build, and only what is provably a dead build's; the build says
so. Real processes: a build's browser killed with it, a kernel folder of a process that is gone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from analysis import paths
from analysis.report import kernel as kernel_module
from analysis.report.export import StaticExporter, find_browser

#: A build's browser in a process of its own: started and warmed up, then it waits to be killed.
HOLD_A_BROWSER = """\
import sys
from analysis.report.export import StaticExporter
exporter = StaticExporter(lambda line: None, "en")
exporter.start()
exporter._ready.wait(120)
print("ready", flush=True)
sys.stdin.read()
"""


def dead_pid() -> int:
    """The process id of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def running_in(folder: Path) -> list[int]:
    """The processes whose command line names ``folder`` (a browser's profile in it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(folder).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.slow
@pytest.mark.skipif(find_browser() is None, reason="no Chrome/Chromium")
def test_a_killed_builds_browser_folders_are_removed_by_the_next_export(socket_tmp, monkeypatch, tmp_path):
    """kaleido's page and Chromium's profile were folders ``tmp…`` in the temporary folder, like
    anyone's: a build killed with -9 left them there for good (886 of them in this machine's
    /tmp). They are in a folder of the build's own now, which the next export removes once the
    killed build's browser has ended."""
    import plotly.graph_objects as go

    env = dict(os.environ, TMPDIR=str(socket_tmp), PYTHONPATH=str(paths.ROOT))
    build = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_BROWSER], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert build.stdout.readline().strip() == "ready"
        assert running_in(socket_tmp)
        build.kill()
        build.wait()
    finally:
        build.communicate("")
    deadline = time.monotonic() + 30
    while running_in(socket_tmp):  # (its browser ends once it sees its pipe closed)
        assert time.monotonic() < deadline, "the killed build's browser is still running"
        time.sleep(0.1)
    left = sorted(p.name for p in socket_tmp.iterdir())
    assert left, "the killed build left nothing to remove"
    monkeypatch.setattr(tempfile, "tempdir", str(socket_tmp))
    (tmp_path / "figures").mkdir()
    exporter = StaticExporter(lambda line: None, "en")
    try:
        written = exporter.export({"empty": go.Figure().to_json()}, tmp_path)
    finally:
        exporter.close()
    assert written == {"empty": ["figures/empty.png", "figures/empty.svg"]}
    assert sorted(p.name for p in socket_tmp.iterdir()) == [], left


def test_a_kernel_folder_without_its_lock_is_removed_once_its_build_is_gone(socket_tmp, monkeypatch):
    """A build killed between making a kernel's folder and its lock file left the folder for
    good (a folder without its lock may be one being made, so none was ever removed). Named with
    its build's process id, it is removed once that process is gone; one of a living build is
    left alone."""
    monkeypatch.setattr(tempfile, "tempdir", str(socket_tmp))
    prefix = kernel_module.FOLDER_PREFIX
    dead = socket_tmp / f"{prefix}{dead_pid()}-deadbeef"
    living = socket_tmp / f"{prefix}{os.getpid()}-0badcafe"
    other_form = socket_tmp / f"{prefix}abcdefgh"  # (no process id: whose it is is not known)
    for folder in (dead, living, other_form):
        folder.mkdir(mode=0o700)
    folder, lock = kernel_module._private_folder()  # (what a kernel's start does)
    try:
        left = sorted(p.name for p in socket_tmp.iterdir())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(lock)
    assert left == sorted([living.name, other_form.name, Path(folder).name])


def test_the_build_says_what_it_removed_of_a_killed_build(tmp_path, socket_tmp, monkeypatch):
    """The next build removes what a killed build left in the temporary folder, and says so,
    naming the folders; a folder of a living build is left and not named."""
    from analysis.charts.labels import label
    from analysis.errors import InputError
    from analysis.report.build import build_report
    from analysis.report.tmp_folders import BROWSER_PREFIX

    monkeypatch.setattr(tempfile, "tempdir", str(socket_tmp))
    dead = socket_tmp / f"{BROWSER_PREFIX}{dead_pid()}-deadbeef"
    living = socket_tmp / f"{BROWSER_PREFIX}{os.getpid()}-0badcafe"
    for folder in (dead, living):
        folder.mkdir(mode=0o700)
    (dead / "index.html").write_text("<html></html>", encoding="utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "x.csv").write_text("Studieprogram;2017\nA;abc\n", encoding="utf-8")  # stops the build early
    said: list[str] = []
    with pytest.raises(InputError):
        build_report(data_dir=raw, out_dir=tmp_path / "report", progress=said.append, lang="en", static=False)
    assert said[0] == label("progress_removed_dead", "en", n="1 folder", names=dead.name)
    assert sorted(p.name for p in socket_tmp.iterdir()) == [living.name]
