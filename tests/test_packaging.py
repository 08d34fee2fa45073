"""The package as an adviser installs it: a wheel that builds a report from any folder, and
runtime dependencies that are exactly what the code imports."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from analysis import paths

ROOT = paths.ROOT
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: Runtime dependencies the code needs without importing them by name, and why.
USED_WITHOUT_IMPORT = {
    "ipykernel": "the kernel the report's notebooks run in (papermill starts it)",
    "xlsxwriter": "the workbook's writer, named as pandas' Excel engine",
}


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised as pip compares them (PEP 503:
    jupyter-client and jupyter_client are one)."""
    return _normal(requirement.split(">")[0].split("=")[0].split("<")[0].split("[")[0])


def _normal(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution.strip()).lower()


def _imported_top_level(folders: list[Path]) -> set[str]:
    names: set[str] = set()
    for folder in folders:
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names


def test_every_package_of_the_code_is_in_the_wheel():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in ("analysis", "schemas")
        for p in (ROOT / top).rglob("__init__.py")
    }
    assert found <= listed
    # and the shipped folders are mapped from where they live in the checkout
    mapped = PYPROJECT["tool"]["setuptools"]["package-dir"]
    assert {mapped[f"analysis.{name}"] for name in ("notebooks", "config", "reference")} == {
        "notebooks",
        "config",
        "data/reference",
    }


def test_runtime_dependencies_are_what_the_code_imports():
    declared = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    distribution_of = packages_distributions()
    imported = set()
    stdlib = sys.stdlib_module_names
    for module in _imported_top_level([ROOT / "analysis", ROOT / "schemas", ROOT / "notebooks"]):
        if module in stdlib or module in ("analysis", "schemas", "__future__"):
            continue
        assert module in distribution_of, f"{module} is imported but not installed"
        imported |= {_normal(d) for d in distribution_of[module]}
    # every imported package is declared (a package that comes with another is declared too,
    # IPython excepted: it is ipykernel's own)
    undeclared = imported - declared - {"ipython"}
    assert not undeclared, f"imported but not a runtime dependency: {sorted(undeclared)}"
    unused = declared - imported - set(USED_WITHOUT_IMPORT)
    assert not unused, f"runtime dependencies the code never imports: {sorted(unused)}"


@pytest.mark.slow
def test_a_wheel_installed_outside_the_checkout_builds_a_report(tmp_path):
    """Build the wheel, install it (not editable) into a fresh virtual environment outside the
    checkout, and run ``kvalitet`` from another folder on a copy of data/raw.

    Nothing is downloaded: the wheel is built with the setuptools installed here, and the fresh
    environment sees this environment's installed dependencies through a path file (its own
    site-packages, with the wheel, comes first)."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
        capture_output=True,
    )
    [wheel] = wheels.glob("kvalitet-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)  # pip from ensurepip: offline
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    data = elsewhere / "mine"
    shutil.copytree(ROOT / "data" / "raw", data)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def kvalitet(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(venv / "bin" / "kvalitet"), *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=900
        )

    where = subprocess.run(
        [
            str(python),
            "-c",
            "import analysis, analysis.paths as p; print(analysis.__file__); print(p.CHECKOUT); print(p.NOTEBOOKS)",
        ],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert where[0].startswith(str(site)) and where[1] == "False"
    assert len(list(Path(where[2]).glob("0*.py"))) >= 5  # the notebooks came with the wheel
    version = kvalitet("--version")
    assert version.returncode == 0 and version.stdout.startswith("kvalitet ")
    validated = kvalitet("validate", str(data))
    assert validated.returncode == 0, validated.stdout + validated.stderr
    report = kvalitet("report", "--no-static", "--data", str(data), "--out", "rapport")
    assert report.returncode == 0, report.stdout + report.stderr
    assert (elsewhere / "rapport" / "index.html").is_file()
