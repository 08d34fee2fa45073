"""environment.yml (conda) lists the same packages, with the same lower bounds, as pyproject.toml."""

import re
import tomllib

from analysis import paths

# conda-forge names that differ from PyPI's
CONDA_NAMES = {"python-kaleido": "kaleido", "python-duckdb": "duckdb"}


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    return dict(re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", d).groups() for d in deps)


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


def test_lock_pins_every_direct_dependency():
    lock = (paths.ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = {m.group(1).lower() for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", lock, re.M)}
    for name in _pyproject():
        assert name.lower() in pinned, name
