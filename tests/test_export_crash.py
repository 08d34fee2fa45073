"""The static export when the browser dies under it: the build learns that the export failed,
and no picture cut short is left for the Word document or the page to read."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest

from analysis.report.export import StaticExporter, find_browser

pytestmark = [pytest.mark.slow, pytest.mark.skipif(find_browser() is None, reason="no Chrome/Chromium")]


def descendants(pid: int) -> dict[int, bytes]:
    """Every process below ``pid`` (from /proc), with its command line."""
    children: dict[int, list[int]] = {}
    cmdlines: dict[int, bytes] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdlines[int(entry.name)] = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):  # gone meanwhile
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found: dict[int, bytes] = {}
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = cmdlines.get(child, b"")
            todo.append(child)
    return found


def whole_png(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")


def test_a_browser_killed_mid_export_leaves_no_picture_cut_short(tmp_path):
    figures = {
        f"chart_{i:02d}": go.Figure(go.Bar(x=list(range(40)), y=[(i * k) % 17 for k in range(40)])).to_json()
        for i in range(40)
    }
    (tmp_path / "figures").mkdir()  # as the charts notebook leaves it, with the figures' JSON
    lines: list[str] = []
    exporter = StaticExporter(lines.append, "en")
    exporter.start()
    try:
        exporter.submit(figures, tmp_path)
        # the browser is killed once the first pictures are written, the others still to draw
        deadline = time.monotonic() + 120
        while not any(whole_png(p) for p in tmp_path.glob("figures/*.png") if p.stat().st_size):
            assert time.monotonic() < deadline, "no picture was written"
            time.sleep(0.05)
        browsers = [pid for pid, cmd in descendants(os.getpid()).items() if b"chrom" in cmd]
        assert browsers
        for pid in browsers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        written = exporter.result()
    finally:
        exporter.close()
    # what the build is told it has: whole pictures only
    for rels in written.values():
        for rel in rels:
            path = tmp_path / rel
            data = path.read_bytes()
            assert data.startswith(b"\x89PNG") if rel.endswith(".png") else data.startswith(b"<svg"), rel
    # and nothing cut short is left in the folder (the report's figures folder is shipped)
    left = sorted(tmp_path.glob("figures/*"))
    assert all(
        p.stat().st_size and (whole_png(p) if p.suffix == ".png" else p.read_bytes().rstrip().endswith(b"</svg>"))
        for p in left
    ), [(p.name, p.stat().st_size) for p in left]
    # the export did not finish, and the progress says so
    assert sum(len(r) for r in written.values()) < 2 * len(figures)
    assert any(line.startswith(("Static export failed", "Static export:")) for line in lines), lines


def test_an_export_whose_every_picture_failed_is_recorded_as_none_exported_and_built_again(tmp_path):
    """Every picture failing (here: the figures folder is not there to write into) gives the
    figures' names back with no file each; the manifest recorded ``static_export: true`` for
    that, and the next build with a browser found the report up to date and never tried again.
    It records none exported and every one failed, and the report is built again."""
    import json

    from analysis.report.build import MANIFEST_NAME, up_to_date
    from analysis.report.export import PICTURE_FORMATS, export_record

    figures = {name: go.Figure(go.Bar(x=[1, 2], y=[3, 4])).to_json() for name in ("chart_a", "chart_b")}
    exporter = StaticExporter(lambda line: None, "en")
    try:
        written = exporter.export(figures, tmp_path)
    finally:
        exporter.close()
    assert written and not any(written.values())  # names, but no picture of any
    record = export_record(len(figures), written)
    assert record == {"exported": 0, "failed": len(figures) * len(PICTURE_FORMATS)}
    manifest = {"fingerprint": "f", "outputs": [], "figures": len(figures), "static_export": record}
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    assert not up_to_date(tmp_path, "f", pictures=True)
    assert up_to_date(tmp_path, "f", pictures=False)  # no browser: nothing more to make
