"""Time ``kvalitet validate`` on the national DBH table-123 export against a plain pandas read.

Both sides run as whole processes (interpreter start, imports, reading; nothing kept warm), in
turn — product, pandas, product, pandas … — so that a change in the machine's load hits both;
the median of each side counts. The yardstick is what any reader of this file must at least
do: start Python, import pandas and parse the 3.4 MB of semicolon-separated text
(``pandas.read_csv(FILE, sep=";", dtype=str)``). The product also detects the file's kind,
reads every cell with the parser that can say why a value is wrong, checks codes, semesters,
categories and duplicates, marks masked cells, and validates the pandera contract.

The last line is machine-readable, e.g. ``validate_s=1.9 read_csv_s=0.62 ratio=3.1 rows=25443 agree=true``.
Target (issue 9): ratio ≤ 5.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT / "data" / "raw" / "dbh_national" / "dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"
ROWS = 25443


def run(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    proc = subprocess.run(
        cmd, capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=dict(os.environ, PYTHONIOENCODING="utf-8")
    )
    return time.perf_counter() - started, proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side (default 5)")
    parser.add_argument("--file", type=Path, default=NATIONAL)
    args = parser.parse_args()

    python = sys.executable
    product = [python, "-m", "analysis", "validate", str(args.file)]
    yardstick = [python, "-c", f"import pandas; pandas.read_csv({str(args.file)!r}, sep=';', dtype=str)"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"file: {args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file} "
        f"({args.file.stat().st_size / 1e6:.1f} MB); load average {load:.1f}",
        flush=True,
    )

    run(product)  # warm the file cache and the interpreter's bytecode
    run(yardstick)
    product_s, yardstick_s = [], []
    agree = True
    for i in range(args.repeat):
        t, proc = run(product)
        product_s.append(t)
        expected = f"{args.file}: reads — dbh-123-csv, {ROWS} rows" if args.file == NATIONAL else ": reads — "
        agree &= proc.returncode == 0 and expected in proc.stdout
        t2, proc2 = run(yardstick)
        yardstick_s.append(t2)
        agree &= proc2.returncode == 0
        print(
            f"  run {i + 1}: kvalitet validate {t:5.2f} s   pandas.read_csv {t2:5.2f} s   ratio {t / t2:4.2f}",
            flush=True,
        )
    validate_s = statistics.median(product_s)
    read_csv_s = statistics.median(yardstick_s)
    ratio = statistics.median(p / y for p, y in zip(product_s, yardstick_s, strict=True))
    print(
        f"median: kvalitet validate {validate_s:.2f} s, pandas.read_csv {read_csv_s:.2f} s, "
        f"ratio {ratio:.2f} (target ≤ 5)"
    )
    print(
        f"validate_s={validate_s:.2f} read_csv_s={read_csv_s:.2f} ratio={ratio:.2f} rows={ROWS} "
        f"agree={'true' if agree else 'false'}"
    )


if __name__ == "__main__":
    main()
