"""The report build starts its notebooks' kernels early, while its stages run
(:func:`analysis.report.notebooks.start_kernels`): each imports what the notebooks import before
its first notebook, a failed early start is no error of its own (the notebook starts a kernel
as before), and a build that stops before its notebooks leaves no kernel running."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from analysis import paths
from analysis.errors import InputError
from analysis.report.kernel import FOLDER_PREFIX, NotebookKernel
from analysis.report.notebooks import kernel_config, notebook_imports, notebooks

pytestmark = pytest.mark.slow  # (they start kernels)


def _children() -> list[str]:
    """The command lines of this process's running children that are kernels."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])  # (the name may hold spaces)
        if parent == os.getpid() and "ipykernel" in cmdline:
            found.append(cmdline)
    return found


def test_the_warm_up_imports_every_module_a_notebook_imports_and_only_those():
    """Worked out from the notebooks' text: every line at column 0 that begins an import."""
    wanted = set()
    for py in notebooks():
        for line in py.read_text(encoding="utf-8").splitlines():
            if line.startswith(("import ", "from ")) and not line.startswith("from __future__"):
                wanted.add(line.split()[1])
    code = notebook_imports()
    got = set()
    for node in ast.parse(code).body:
        assert isinstance(node, ast.Import | ast.ImportFrom)
        got.update([node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names])
    assert got == wanted
    # it runs as it is, in a fresh interpreter with this checkout on the path
    env = {**os.environ, "PYTHONPATH": str(paths.ROOT)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=paths.ROOT, capture_output=True)


def test_a_kernel_whose_early_start_failed_is_stopped_and_said_so_without_a_traceback(capfd):
    kernel = NotebookKernel(kernel_name="python3", config=kernel_config())
    kernel.start_early("import sys", cwd=str(paths.ROOT / "no such folder"))
    assert kernel.fresh_session() is False  # (the notebook starts a new kernel)
    assert kernel.folder is None and not kernel.has_kernel
    assert _children() == []
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


def _kernel_folders() -> set[Path]:
    return {p for base in {Path(tempfile.gettempdir()), Path("/tmp")} for p in base.glob(f"{FOLDER_PREFIX}*")}


def test_a_build_that_stops_before_its_notebooks_leaves_no_kernel(tmp_path, raw_dir, monkeypatch):
    """--force starts the kernels before the stages; an institution without data stops the build
    after them (load_report_data): the kernels are stopped and their folders removed."""
    from analysis.report.build import build_report

    before = _kernel_folders()
    started = []
    real_start = NotebookKernel.start_early

    def start_early(self, *args, **kwargs):  # (a spy on the real start: the kernels did start)
        started.append(self)
        real_start(self, *args, **kwargs)

    monkeypatch.setattr(NotebookKernel, "start_early", start_early)
    with pytest.raises(InputError):
        build_report(
            institution="9999",
            data_dir=raw_dir,
            out_dir=tmp_path / "report",
            force=True,
            static=False,
            progress=lambda _: None,
        )
    assert len(started) == 2
    assert _children() == []
    assert all(k.folder is None and not k.has_kernel for k in started)
    assert _kernel_folders() <= before
