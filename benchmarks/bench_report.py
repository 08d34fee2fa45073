"""Time ``kvalitet report`` on the embedded data (``make bench``).

Builds into a temporary folder (the real ``build/report`` is left alone) and prints the wall
time of the whole build and of each step as the build reports it.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from analysis import paths
from analysis.report.build import build_report


def main() -> None:
    started = time.perf_counter()

    def progress(line: str) -> None:
        print(f"{time.perf_counter() - started:6.1f} s  {line}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        build_report(data_dir=paths.RAW, out_dir=Path(tmp) / "report", progress=progress)
    print(f"kvalitet report on {paths.RAW}: {time.perf_counter() - started:.1f} s wall time")


if __name__ == "__main__":
    main()
