"""pytest plugin for ``make mutate``: run a mutant's tests fastest first.

mutmut runs, per mutant, the tests that called the mutated function, with ``-x``: the first
failing test ends the run. Most mutants are killed by a quick unit test, but the tests come in
file order, so a mutant of the number parser could wait for half a minute of pipeline tests
before its unit test runs. Ordered by the durations mutmut recorded in its first run, a killed
mutant costs about its killing test. Only active inside a mutant's run (``MUTANT_UNDER_TEST``
names a mutant); the order of an ordinary test run is untouched.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

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


def pytest_collection_modifyitems(session, config, items) -> None:
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return
    durations = _recorded_durations()
    # sorted() is stable: tests of equal (or unknown) duration keep their file order
    items[:] = sorted(items, key=lambda item: durations.get(item.nodeid, float("inf")))
