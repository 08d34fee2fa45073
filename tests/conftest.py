"""Shared fixtures for the reader, ingest and CLI tests.

``run_cli`` runs ``python -m analysis`` in a subprocess with the project's own interpreter, so a
test sees exactly what an adviser sees: exit code, standard output and standard error.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from analysis import paths

ROOT = paths.ROOT
RAW = paths.RAW
#: The project's virtualenv interpreter (the one ``make`` sets up), else the running one.
PYTHON = ROOT / ".venv" / "bin" / "python"


#: Root reads and writes past file permissions: without these two capabilities (dropped by
#: util-linux's setpriv before the command starts) a permission test means for root what it
#: means for an adviser.
WITHOUT_ROOTS_OVERRIDE = [
    "setpriv",
    "--bounding-set=-dac_override,-dac_read_search",
    "--inh-caps=-dac_override,-dac_read_search",
]


def run_cli_command(
    args: Sequence[str | os.PathLike], cwd: Path | None = None, timeout: float = 120, permissions: bool = False
) -> tuple[int, str, str]:
    """Run ``python -m analysis ARGS``; return (exit code, stdout, stderr). With
    ``permissions`` file permissions hold even when the tests run as root (skipped where
    setpriv is missing)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    prefix = []
    if permissions and os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root ignores file permissions, and setpriv is not there to drop that")
        prefix = WITHOUT_ROOTS_OVERRIDE
    proc = subprocess.run(
        [*prefix, str(PYTHON) if PYTHON.exists() else sys.executable, "-m", "analysis", *map(str, args)],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    return proc.returncode, proc.stdout, proc.stderr


def cli_in_process(capsys, *args: object) -> tuple[int, str, str]:
    """``kvalitet ARGS`` in this process (``analysis.cli.main``): (exit code, stdout, stderr),
    an argparse usage error's exit included; never a traceback."""
    from analysis.cli import main

    try:
        rc = main([str(a) for a in args])
    except SystemExit as stop:  # argparse usage errors
        rc = stop.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return rc, out, err


@pytest.fixture
def run_cli() -> Callable[..., tuple[int, str, str]]:
    """``run_cli(["validate", path])`` -> (rc, stdout, stderr)."""
    return run_cli_command


#: The national DBH files (table 123 of every institution, and its query): what an adviser of
#: another institution than NTNU has of DBH's, without NTNU's own downloads.
NATIONAL_DBH = (
    "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv",
    "dbh_t123_alle_institusjoner_query.json",
)


@pytest.fixture
def national_raw(tmp_path: Path) -> Path:
    """A raw folder with the national DBH files alone (:data:`NATIONAL_DBH`), writable."""
    target = tmp_path / "raw"
    (target / "dbh_national").mkdir(parents=True)
    for name in NATIONAL_DBH:
        shutil.copyfile(RAW / "dbh_national" / name, target / "dbh_national" / name)
    return target


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A writable copy of ``data/raw`` (the real files, provenance manifest included)."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    for p in target.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)  # the originals are read-only
    return target


@pytest.fixture
def real_file() -> Callable[[str], Path]:
    """Path of a real file in ``data/raw`` by its name relative to that folder."""

    def get(name: str) -> Path:
        path = RAW / name
        assert path.exists(), f"missing real fixture {name}"
        return path

    return get


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path with its bytes, to prove nothing changed."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path_factory, monkeypatch) -> Path:
    """Logs of unexpected errors and kept notebooks go to a folder of the test, never to the
    tester's own ``~/.local/state/kvalitet`` (see analysis/console.py)."""
    folder = tmp_path_factory.mktemp("state") / "kvalitet"
    monkeypatch.setenv("KVALITET_STATE_DIR", str(folder))
    return folder


@pytest.fixture
def socket_tmp() -> Iterator[Path]:
    """A temporary folder ($TMPDIR) short enough for the report kernels' sockets to be made in
    it: pytest's ``tmp_path`` is too deep for a Unix socket's path, so a build given that one
    makes its kernels' folders in /tmp (``analysis.report.kernel``), where a test cannot tell
    them from other builds'. Removed after the test."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kv-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def wait_until_unlocked(lock: Path, seconds: float = 30) -> None:
    """Once no process (a killed build's kernel, which ends within a second or so of its build:
    it watches its parent) holds a report kernel folder's lock."""
    import fcntl
    import time

    fd = os.open(lock, os.O_RDWR)
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    finally:
        os.close(fd)  # (the lock with it: the next kernel's start is to find it free)
