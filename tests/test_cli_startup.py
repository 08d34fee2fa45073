"""The command line answers at once: building the parser, ``--help``, ``--version`` and usage
errors load no data library (they are imported inside the command that needs them).

Checked in a fresh interpreter through ``sys.modules``, not by timing (``make bench`` times it).
"""

from __future__ import annotations

import json
import subprocess
import sys

from analysis.cli import COMMANDS

#: What must not be loaded to build the parser: each costs 0.1–0.8 s to import.
HEAVY = ["pandas", "pandera", "pyarrow", "scipy", "plotly", "numpy", "duckdb", "openpyxl", "httpx", "nbformat"]
#: Our own modules the parser does not need either: together ~0.1 s of ``kvalitet --help`` on
#: a slow hour (the readers, the output files, the settings)
OURS = ["analysis.readers.base", "analysis.readers.detect", "analysis.outputs", "analysis.settings"]

_PROBE = """
import contextlib, io, json, sys
from analysis.cli import main
codes = []
for argv in ARGVS:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            codes.append(main(argv))
        except SystemExit as exit:
            codes.append(exit.code)
print(json.dumps({
    "codes": codes,
    "loaded": sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY)),
    "ours": sorted(set(sys.modules) & set(OURS)),
}))
"""


def probe(argvs: list[list[str]]) -> dict:
    code = _PROBE.replace("ARGVS", repr(argvs)).replace("HEAVY", repr(HEAVY)).replace("OURS", repr(OURS))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_help_version_and_usage_errors_load_no_data_library():
    argvs = [
        ["--help"],
        ["--version"],
        [],
        ["survey"],
        ["flags", "--level", "nowhere", "x.csv"],
        *([command, "--help"] for command in COMMANDS),
    ]
    result = probe(argvs)
    assert result["loaded"] == []
    assert result["ours"] == []
    # --help and --version exit 0; a missing command and bad arguments are usage errors (2)
    assert result["codes"][:5] == [0, 0, 2, 2, 2]
    assert result["codes"][5:] == [0] * len(COMMANDS)


def test_version_names_the_package_version():
    from analysis import __version__

    out = subprocess.run([sys.executable, "-m", "analysis", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"kvalitet {__version__}"


def test_every_help_text_shows_a_percent_sign_once():
    """A description is not %-formatted as a help line is: synth's said '~5 %% 9999'."""
    for command in COMMANDS:
        out = subprocess.run(
            [sys.executable, "-m", "analysis", command, "--help"], capture_output=True, text=True, check=True
        )
        assert "%%" not in out.stdout, command


_NO_FCNTL = """
import contextlib, io, json, sys
sys.modules["fcntl"] = None  # as on Windows: `import fcntl` raises ImportError
from analysis.cli import main
out = []
for argv in ARGVS:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit:
            code = exit.code
    out.append([code, err.getvalue()])
print(json.dumps({"runs": out, "ours": sorted(set(sys.modules) & set(OURS))}))
"""


def test_a_system_without_posix_file_locks_is_told_to_use_wsl_before_anything_runs(tmp_path):
    """Windows has no ``fcntl``: every command stops at once with one line that says so and what to
    do (exit 2), not half-way through with an ImportError; ``--help`` still answers."""
    commands = [["validate", str(tmp_path)], ["report", "--data", str(tmp_path), "--out", str(tmp_path / "r")]]
    code = _NO_FCNTL.replace("ARGVS", repr([*commands, ["--help"]])).replace("OURS", repr(OURS))
    result = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    for (exit_code, stderr), argv in zip(result["runs"][:-1], commands, strict=True):
        assert exit_code == 2, (argv, stderr)
        assert stderr.startswith(f"kvalitet {argv[0]}: does not run on this system"), stderr
        assert "WSL" in stderr and "Traceback" not in stderr and stderr.count("\n") == 1, stderr
    assert result["runs"][-1][0] == 0
    assert "analysis.outputs" not in result["ours"]  # stopped before the outputs were touched
    assert list(tmp_path.iterdir()) == []
