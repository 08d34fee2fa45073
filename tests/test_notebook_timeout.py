"""A report notebook's cell that hangs (it waits for a file, the network or a lock that never
comes) held the build until Ctrl-C. Each cell may run ``[report] cell_timeout_s`` seconds
(default 600): one that runs longer is stopped with its kernel, and the build fails as for any
notebook that fails, naming the notebook, the cell and what to do, the earlier report left as it
was. Real kernels, real sleeping cells, a small limit in the test's settings."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from conftest import PYTHON, tree_snapshot

from analysis import paths
from analysis.errors import ReportError
from analysis.report.build import build_report
from analysis.report.notebooks import execute_notebooks
from analysis.settings import ReportSettings, Settings, load_settings
from tests.test_export_hang import processes_naming

pytestmark = pytest.mark.slow  # (they start kernels)

PARAMETERS = '# %% tags=["parameters"]\nout_dir = None\n\n'
#: A cell that never ends, as one waiting for a file that never comes.
HANGS = "# %%\nimport time\nwhile True:\n    time.sleep(0.1)\n"


def _notebooks(folder: Path, **cells: str) -> Path:
    folder.mkdir()
    for name, body in cells.items():
        (folder / f"{name}.py").write_text(PARAMETERS + "# %%\nprint('started')\n\n" + body, encoding="utf-8")
    return folder


def test_a_cell_that_hangs_is_stopped_naming_the_notebook_and_the_cell(tmp_path, socket_tmp, monkeypatch, capfd):
    monkeypatch.setattr(tempfile, "tempdir", str(socket_tmp))  # (the kernels' folders: seen here)
    folder = _notebooks(tmp_path / "notebooks", **{"01_waits": HANGS, "02_quick": "# %%\nprint('done')\n"})
    started = time.monotonic()
    with pytest.raises(ReportError) as err:
        execute_notebooks(
            {"out_dir": str(tmp_path)}, tmp_path / "executed", lambda _: None, notebook_dir=folder, cell_timeout_s=2
        )
    took = time.monotonic() - started
    # code cell 3 as JupyterLab shows the notebook: the parameters, the print and this one
    assert str(err.value) == (
        "notebook 01_waits.py: code cell 3 (import time…) ran for more than 2 s and was stopped (report.cell_timeout_s): "
        "a cell that hangs waits for something that does not come (a file, the network); run the notebook in "
        "JupyterLab to see what; if it only needs longer, raise cell_timeout_s under [report] in the settings file "
        "(--config FILE)"
    )
    assert took < 30, took  # the limit, and the kernels' start and stop
    # nothing of the kernels is left running, nor their folders; nothing said on the terminal
    assert processes_naming(str(socket_tmp)) == []
    assert sorted(p.name for p in socket_tmp.iterdir()) == []
    out, terminal = capfd.readouterr()
    assert (out, terminal) == ("", "")


def test_the_limit_is_each_cells_not_the_notebooks(tmp_path):
    """Three cells of 1.2 s each, a limit of 2 s: the notebook (3.6 s) runs to its end."""
    cell = "# %%\nimport time\ntime.sleep(1.2)\nprint('slept')\n\n"
    folder = _notebooks(tmp_path / "notebooks", **{"01_slow": cell * 3})
    (executed,) = execute_notebooks(
        {"out_dir": str(tmp_path)}, tmp_path / "executed", lambda _: None, notebook_dir=folder, cell_timeout_s=2
    )
    assert executed.read_text(encoding="utf-8").count("slept") >= 3


def test_a_report_build_whose_cell_hangs_fails_and_leaves_the_earlier_report(tmp_path, socket_tmp, capfd):
    """The report built by the command (``kvalitet report``); built again with a notebook whose
    cell hangs and a limit of 3 s in the settings: the build fails naming the settings file the
    limit is in, and the report folder is as it was, nothing left beside it."""
    out = tmp_path / "report"
    env = dict(os.environ, KVALITET_STATE_DIR=str(tmp_path / "state"), PYTHONIOENCODING="utf-8")
    first = subprocess.run(
        [str(PYTHON), "-m", "analysis", "report", "--data", str(paths.RAW), "--out", str(out), "--no-static"],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    assert first.returncode == 0, first.stderr
    before = tree_snapshot(out)
    config = tmp_path / "kort.toml"
    config.write_text(
        paths.DEFAULT_CONFIG.read_text(encoding="utf-8").replace("cell_timeout_s = 600", "cell_timeout_s = 3")
    )
    settings = load_settings(config)
    assert settings.report == ReportSettings(cell_timeout_s=3) and settings != Settings()
    folder = _notebooks(tmp_path / "notebooks", **{"06_rapportfigurer": HANGS})
    tempfile.tempdir, kept = str(socket_tmp), tempfile.tempdir
    try:
        with pytest.raises(ReportError) as err:
            build_report(
                data_dir=paths.RAW,
                out_dir=out,
                progress=lambda _: None,
                static=False,
                notebook_dir=folder,
                settings=settings,
            )
    finally:
        tempfile.tempdir = kept
    assert re.fullmatch(
        r"notebook 06_rapportfigurer\.py: code cell 3 \(import time…\) ran for more than 3 s and was stopped .+ raise "
        rf"cell_timeout_s under \[report\] in {re.escape(str(config))}",
        str(err.value),
    ), str(err.value)
    assert tree_snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(["report", "state", "kort.toml", "notebooks"])
    assert processes_naming(str(socket_tmp)) == []
    assert "Task was destroyed" not in capfd.readouterr().err
