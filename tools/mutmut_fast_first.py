"""pytest plugin for ``make mutate``: run a mutant's tests in the order most likely to end it soon.

mutmut runs, per mutant, the tests that called the mutated function, with ``-x``: the first
failing test ends the run. The tests come in file order, so a mutant of the number parser could
wait for half a minute of pipeline tests before its unit test runs. Two things put the test that
catches a mutant first:

* **the tests that caught this function's other mutants**: mutants of one function are mostly
  caught by the same few tests. Each caught mutant's failing test is noted in
  ``mutmut-killers/FUNCTION`` (in ``mutants/``); those tests run first, cheapest per catch first
  (recorded seconds / mutants caught).
* then the rest **fastest first**, by the durations mutmut recorded in its first run.

Only active inside a mutant's run (``MUTANT_UNDER_TEST`` names a mutant); the order of an
ordinary test run is untouched. A survivor runs every test either way.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

KILLERS = Path("mutmut-killers")
_durations: dict[str, float] | None = None


def _recorded_durations() -> dict[str, float]:
    global _durations
    if _durations is None:
        try:
            stats = json.loads(Path("mutmut-stats.json").read_text(encoding="utf-8"))
            _durations = dict(stats.get("duration_by_test", {}))
        except (OSError, ValueError):
            _durations = {}
    return _durations


def _function() -> str | None:
    """The mangled function of the mutant under test (``pkg.mod.x_name``), or None outside one."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    return mutant.split("__mutmut_")[0] if "__mutmut_" in mutant else None


def _killers(function: str) -> Counter[str]:
    try:
        return Counter((KILLERS / function).read_text(encoding="utf-8").splitlines())
    except OSError:
        return Counter()


def pytest_collection_modifyitems(session, config, items) -> None:
    function = _function()
    if function is None:
        return
    durations = _recorded_durations()
    killers = _killers(function)

    def cost(item) -> tuple[int, float]:
        seconds = durations.get(item.nodeid, float("inf"))
        caught = killers.get(item.nodeid, 0)
        return (0, seconds / caught) if caught else (1, seconds)

    # sorted() is stable: tests of equal (or unknown) cost keep their file order
    items[:] = sorted(items, key=cost)


def pytest_runtest_logreport(report) -> None:
    function = _function()
    if function is None or not report.failed:
        return
    KILLERS.mkdir(exist_ok=True)
    # one short line appended per caught mutant: the two workers' appends do not interleave
    with open(KILLERS / function, "a", encoding="utf-8") as out:
        out.write(report.nodeid + "\n")
