"""Kernels warmed ahead of the notebooks (``analysis.report.notebooks.WarmKernels``): a notebook
run in one gives the notebook it gives in a kernel of its own, and no kernel outlives the build."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from analysis import paths
from analysis.report import notebooks as nbs

#: A notebook that shows where and how it ran: its folder, its first execution count, whether
#: the warm-up's imports are visible to it (they are: the same process), and one output.
PROBE = (
    '# %% tags=["parameters"]\nout_dir = None\n\n'
    "# %%\nimport os, pathlib, sys\n"
    'pathlib.Path(out_dir, pathlib.Path(out_dir).name + ".txt").write_text(os.getcwd())\n'
    "print(2 + 2)\n"
)


def kernel_pids() -> set[int]:
    """The ipykernel processes this test process started (children, from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"ipykernel" in cmdline:
            found.add(int(entry.name))
    return found


def run(folder: Path, out: Path, kernels: nbs.WarmKernels | None) -> nbformat.NotebookNode:
    out.mkdir()
    executed = nbs.execute_notebooks(
        {"out_dir": str(out)}, out / "executed", lambda _: None, notebook_dir=folder, kernels=kernels
    )
    return nbformat.read(executed[0], as_version=4)


@pytest.fixture
def probe(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "01_probe.py").write_text(PROBE, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_a_notebook_in_a_warm_kernel_is_the_notebook_of_its_own_kernel(probe, tmp_path):
    before = kernel_pids()
    own = run(probe, tmp_path / "own", None)
    kernels = nbs.WarmKernels(1)
    kernels.start()
    try:
        warm = run(probe, tmp_path / "warm", kernels)
    finally:
        kernels.close()
    # the same cells, outputs and execution counts (the warm-up left nothing in the notebook);
    # only the out_dir parameter differs, as the two runs were given different folders
    strip = [(c.source.replace("/warm", "/own"), c.get("outputs"), c.get("execution_count")) for c in warm.cells]
    assert strip == [(c.source, c.get("outputs"), c.get("execution_count")) for c in own.cells]
    assert [c.execution_count for c in warm.cells if c.cell_type == "code"][0] == 1
    assert warm.cells[-1].outputs[0]["text"] == "4\n"
    # the warm kernel ran in the project folder, as papermill starts a notebook's own kernel
    assert (tmp_path / "warm" / "warm.txt").read_text() == str(paths.ROOT)
    assert kernel_pids() == before


@pytest.mark.slow
def test_kernels_not_handed_out_are_shut_down(probe, tmp_path):
    before = kernel_pids()
    kernels = nbs.WarmKernels(3, ahead=2)
    kernels.start()
    first = kernels.take()
    assert first is not None
    # two more were asked for and at most two wait at once: both are started and left unused
    kernels._thread.join(60)  # (the last one started once the first was taken)
    assert len(kernel_pids() - before) == 3
    kernels.close()
    assert kernels.take() is None  # closed: nothing more handed out
    assert len(kernel_pids() - before) == 1  # the one taken belongs to its notebook
    import asyncio

    asyncio.run(nbs._shut_down(first))
    assert kernel_pids() == before


@pytest.mark.slow
def test_a_kernel_whose_warm_up_fails_is_not_used(probe, tmp_path, monkeypatch):
    """A warm-up that fails (here an import that cannot be made) hands no kernel over: the
    notebook starts its own, runs as ever, and the failed kernel is shut down."""
    monkeypatch.setattr(nbs, "WARM_IMPORTS", "import a_module_that_is_not_there")
    before = kernel_pids()
    kernels = nbs.WarmKernels(1)
    kernels.start()
    try:
        assert kernels.take() is None
        assert kernel_pids() == before
        notebook = run(probe, tmp_path / "own", kernels)
    finally:
        kernels.close()
    assert notebook.cells[-1].outputs[0]["text"] == "4\n"
    assert kernel_pids() == before
