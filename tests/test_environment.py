"""environment.yml (conda) lists the same packages, with the same lower bounds, as pyproject.toml
(runtime and every extra); the lock files pin them."""

import re
import tomllib

from analysis import paths

# conda-forge names that differ from PyPI's
CONDA_NAMES = {
    "python-kaleido": "kaleido",
    "jupyter_client": "jupyter-client",
    "python-duckdb": "duckdb",
    "playwright-python": "playwright",
}


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = list(data["project"]["dependencies"])
    for extra in data["project"]["optional-dependencies"].values():
        deps += extra
    return dict(re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", d).groups() for d in deps)


def _runtime() -> set[str]:
    data = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {re.match(r"^([A-Za-z0-9_.-]+)", d).group(1).lower() for d in data["project"]["dependencies"]}


def _pinned(lock: str) -> set[str]:
    text = (paths.ROOT / lock).read_text(encoding="utf-8")
    return {m.group(1).lower() for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", text, re.M)}


def _environment() -> dict[str, str]:
    out = {}
    in_deps = False
    for line in (paths.ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        m = re.match(r"^\s+-\s+([A-Za-z0-9_.-]+)\s*(.*)$", line)
        if in_deps and m:
            name, spec = m.groups()
            if name in ("python", "pip"):
                continue
            out[CONDA_NAMES.get(name, name)] = spec
    return out


def test_same_packages_and_bounds():
    assert _environment() == _pyproject()


def test_the_locks_pin_every_direct_dependency():
    assert {n.lower() for n in _pyproject()} <= _pinned("requirements-dev.lock")
    assert _runtime() <= _pinned("requirements.lock")


def test_the_adviser_lock_holds_no_test_or_benchmark_tool():
    runtime = _pinned("requirements.lock")
    assert not runtime & {"pytest", "hypothesis", "playwright", "duckdb", "ruff", "mypy", "jupyterlab"}
