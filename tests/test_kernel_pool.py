"""The report build's kernels, started ahead of the notebooks (analysis.report.notebooks.KernelPool):
a notebook run in a warmed kernel is the same as in a kernel started for it, and no kernel is
left running after the pool is closed, whether its kernels were used or not."""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from analysis import paths
from analysis.report.notebooks import KernelPool, execute_notebooks, kernel_config, to_ipynb


def kernel_processes() -> set[int]:
    """Process ids of this process's ipykernel children still running."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        state, ppid = fields[0], int(fields[1])
        if ppid == os.getpid() and state != "Z" and b"ipykernel" in cmdline:
            found.add(int(entry.name))
    return found


def wait_until_gone(pids: set[int], seconds: float = 10.0) -> set[int]:
    deadline = time.monotonic() + seconds
    while pids & kernel_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    return pids & kernel_processes()


NOTEBOOK = """# %% tags=["parameters"]
value = 1

# %%
import sys
print(value * 6, "analysis.report.notebook" in sys.modules)

# %%
from analysis.charts.labels import pct
pct(0.4, "nb")
"""


@pytest.mark.slow
def test_a_warmed_kernel_runs_a_notebook_as_a_fresh_kernel_does_but_for_what_is_imported(tmp_path):
    """The one difference a notebook can see is that the report code is imported already (the
    notebook below prints it); its outputs are otherwise the same, execution counts included."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "01_probe.py").write_text(NOTEBOOK, encoding="utf-8")
    pooled = execute_notebooks({"value": 7}, tmp_path / "pooled", lambda line: None, notebooks, work=tmp_path)

    # the same notebook in a kernel papermill starts for it (no warm-up)
    fresh = tmp_path / "fresh.ipynb"
    pm.execute_notebook(
        str(to_ipynb(notebooks / "01_probe.py", tmp_path)),
        str(fresh),
        parameters={"value": 7},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(paths.ROOT),
        config=kernel_config(),
    )

    def outputs(path: Path) -> list:
        cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        return [(c.execution_count, c.outputs) for c in cells]

    warm, cold = outputs(pooled[0]), outputs(fresh)
    assert [count for count, _ in warm] == [count for count, _ in cold] == [1, 2, 3, 4]
    assert warm[2][1][0]["text"] == "42 True\n"  # warmed: the report code is there already
    assert cold[2][1][0]["text"] == "42 False\n"
    assert warm[3] == cold[3]  # what the notebook computes is the same ("40 %")
    assert "40" in warm[3][1][0]["data"]["text/plain"]
    assert not kernel_processes()


@pytest.mark.slow
def test_closing_the_pool_stops_the_kernels_it_did_not_hand_out():
    before = kernel_processes()
    with KernelPool(3, ahead=2) as pool:
        pool.start()
        taken = pool.take()  # the third kernel starts now
        time.sleep(0.5)
        running = kernel_processes() - before
        assert len(running) >= 2  # the taken one and at least one started ahead
    # the pool's own are stopped at once; the one handed out is its taker's to stop
    left = wait_until_gone(running)
    assert left == {taken.provisioner.process.pid}
    import asyncio

    asyncio.run(taken.shutdown_kernel(now=False))
    assert not wait_until_gone(left)


def test_a_pool_never_started_starts_nothing():
    before = kernel_processes()
    with KernelPool(6):
        pass
    assert kernel_processes() == before
