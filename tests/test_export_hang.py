"""A browser that hangs during the static export: the build gives it up in bounded, short time,
says what hung and what to do, stops it (no process of it left running) and leaves nothing of
it in the temporary folder. Real processes: a "browser" that never answers, and Debian's
Chromium stopped (SIGSTOP) in the middle of the export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths
from analysis.report.export import StaticExporter, find_browser

pytestmark = pytest.mark.slow

#: Seconds within which a hang is given up, the browser stopped and the build told: it waited 300
#: (and 30 more on closing). A normal start with plotly.js loaded takes ~3 s on two busy cores,
#: a picture ~0.15 s.
SHORT = 60

#: Exports 40 figures with the browser BROWSER_PATH names, stopping (SIGSTOP) its processes once
#: the first picture is written when asked to; prints what the build was told, as JSON.
EXPORT = r"""
import json, os, signal, sys, time
from pathlib import Path
import plotly.graph_objects as go
from analysis.report.export import StaticExporter

out, stop = Path(sys.argv[1]), sys.argv[2] == "stop"
(out / "figures").mkdir(parents=True)
figures = {
    f"chart_{i:02d}": go.Figure(go.Bar(x=list(range(40)), y=[(i * k) % 17 for k in range(40)])).to_json()
    for i in range(40)
}
lines = []
started = time.monotonic()
exporter = StaticExporter(lines.append, "en")
try:
    exporter.submit(figures, out)
    if stop:
        while not any(p.stat().st_size for p in out.glob("figures/*.png")):
            time.sleep(0.02)
        # the browser's processes: those named with its profile folder, in the temporary folder
        tmp = os.environ["TMPDIR"].encode()
        groups = set()
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and b"--user-data-dir=" + tmp in (entry / "cmdline").read_bytes():
                    groups.add(os.getpgid(int(entry.name)))
            except OSError:
                continue
        assert groups
        for group in groups:
            os.killpg(group, signal.SIGSTOP)  # the whole browser, as a hung machine would stop it
    written = exporter.result()
finally:
    exporter.close()
print(json.dumps({"seconds": time.monotonic() - started, "lines": lines, "written": written}))
"""


def processes_naming(text: str) -> list[int]:
    """The processes whose command line holds ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:  # gone meanwhile
                continue
    return found


def export_with(browser: str, tmp: Path, out: Path, stop: bool) -> dict:
    env = dict(os.environ, BROWSER_PATH=browser, TMPDIR=str(tmp), PYTHONPATH=str(paths.ROOT))
    done = subprocess.run(
        [sys.executable, "-c", EXPORT, str(out), "stop" if stop else "go"],
        env=env,
        capture_output=True,
        text=True,
        timeout=2 * SHORT,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_browser_that_never_answers_is_given_up_and_stopped(tmp_path, socket_tmp):
    """A "browser" that starts and never answers (here a script that sleeps): the export waited
    300 s for it, then 30 s more on closing, and left it running, with its profile folder in
    the temporary folder. It is given up once it has not started within the start's limit."""
    hung = tmp_path / "hung-browser"
    hung.write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")
    hung.chmod(0o755)
    result = export_with(str(hung), socket_tmp, tmp_path / "out", stop=False)
    assert result["written"] == {}
    assert result["seconds"] < SHORT, result
    (line,) = [line for line in result["lines"] if line.startswith("Static export failed")]
    # what hung, and what to do
    assert f"the browser did not start within {StaticExporter.START_TIMEOUT_S} s; it was stopped" in line
    assert str(hung) in line and "--no-static" in line
    assert processes_naming(str(hung)) == []
    assert sorted(p.name for p in socket_tmp.iterdir()) == []


@pytest.mark.skipif(find_browser() is None, reason="no Chrome/Chromium")
def test_a_browser_that_hangs_mid_export_is_given_up_and_stopped(tmp_path, socket_tmp):
    """Chromium stopped (SIGSTOP) once the first picture is written: the export waited 300 s for
    the rest. It is given up once no picture has come for the stall limit; the browser's
    processes are gone, no picture cut short is left, and nothing of it in the temporary folder."""
    out = tmp_path / "out"
    result = export_with(find_browser() or "", socket_tmp, out, stop=True)
    assert result["seconds"] < SHORT, result
    (line,) = [line for line in result["lines"] if line.startswith("Static export failed")]
    assert f"the browser stopped answering: no picture for {StaticExporter.STALL_TIMEOUT_S} s; it was stopped" in line
    assert result["written"] == {}
    assert not [p for p in out.glob("figures/*") if p.suffix in (".png", ".svg")]
    assert processes_naming(str(socket_tmp)) == []
    assert sorted(p.name for p in socket_tmp.iterdir()) == []
