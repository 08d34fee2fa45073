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
