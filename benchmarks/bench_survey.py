"""Benchmark: ``kvalitet survey`` as a user runs it, beside a plain DuckDB query, and the CLI's start.

On one synthetic NOKUT-layout Parquet file per size (or CSV with ``--format csv``; written once by
``kvalitet synth``: 60 items, 2 000 programmes, 10 years, seed 2025), two processes are started in
turn, several times:

* **A** — the command itself: ``kvalitet survey FILE --out DIR/survey.parquet`` (start, read,
  check every cell, count, indices, rollups, disclosure, changes with Welch and BH, three
  Parquet tables written);
* **B** — DuckDB, the yardstick: a Python process that imports duckdb and writes n, mean and sd
  per programme × year × item (9999 and blanks excluded) to Parquet with one SQL query.

Each run's wall time is taken from outside the process (start to exit) and its peak memory is the
kernel's high-water mark of the finished process (``ru_maxrss`` from ``wait4``: VmHWM, the
whole process with interpreter and libraries). This driver imports nothing heavy, so that a
child's figure is its own: on Linux ``ru_maxrss`` survives ``exec``, and a child of a large
driver would report the driver's size. Medians count; the ratios A/B are taken pair by pair
(A B A B …), so that a change in the machine's load hits both sides alike.

The command's items table (programme rows) is then checked against DuckDB's result in a separate
process: the same cells, ``n`` equal everywhere, means and sds within 1e-9 wherever the command
shows them, and nothing shown below the minimum n.

Each side's CPU time (user + system, every thread, from ``wait4``) is printed beside its wall
time, and so is the share of the machine's CPU time the hypervisor *stole* during the runs
(``/proc/stat``): on a shared virtual machine both sides then run on less than their cores, and
the wall-time ratio moves with it (the CPU ratio much less).

Last, ``kvalitet --help`` is timed as a process (``cli_help_s``, median).

Usage::

    .venv/bin/python benchmarks/bench_survey.py                    # 300 k and 3 M respondents, 5 runs each
    .venv/bin/python benchmarks/bench_survey.py --sizes 30000 300000 --runs 3   # a quick look
    .venv/bin/python benchmarks/bench_survey.py --format csv --sizes 30000 300000   # the CSV an adviser keeps

The last line is machine-readable, per size in the order given, e.g. ``survey_ratio_time_300k=…
survey_ratio_rss_300k=… survey_ratio_cpu_300k=… steal_pct_300k=… survey_ratio_time_3m=0.95
survey_ratio_rss_3m=0.98 survey_ratio_cpu_3m=1.10 steal_pct_3m=3 cli_help_s=0.12 agree=true``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("institusjonskode", "fakultetskode", "studprog_kod", "aar")


def kvalitet() -> list[str]:
    """The command as installed beside this interpreter (the console script), else ``-m analysis``."""
    script = Path(sys.executable).with_name("kvalitet")
    return [str(script)] if script.exists() else [sys.executable, "-m", "analysis"]


def run(argv: list[str]) -> tuple[float, float, float]:
    """Start ``argv``, wait for it; its wall seconds, peak resident memory in MiB and CPU
    seconds (user + system, every thread)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{error}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def cpu_ticks() -> tuple[int, int]:
    """(all, stolen) CPU time of the machine so far, in clock ticks (/proc/stat; (0, 0) where
    there is none). *Steal* is time the hypervisor gave this virtual machine's CPUs to others:
    while it is high, both sides of a pair run slower, and a wall-time figure says less."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0, 0
    ticks = [int(f) for f in fields]
    return sum(ticks[:8]), ticks[7] if len(ticks) > 7 else 0


def steal_pct(before: tuple[int, int], after: tuple[int, int]) -> float:
    """Percent of the CPU time between two :func:`cpu_ticks` readings that was stolen."""
    total = after[0] - before[0]
    return 100.0 * (after[1] - before[1]) / total if total > 0 else 0.0


# --------------------------------------------------------------------------------------------
# The yardstick and the check (each in its own process)


def duckdb_worker(path: Path, out: Path) -> None:
    """n, mean and sd per programme × year × item with one DuckDB query, written to Parquet."""
    import duckdb

    con = duckdb.connect()
    if path.suffix == ".csv":
        # the codes as text (leading zeros), the items as DuckDB guesses them (integers; a blank is NULL)
        codes = ", ".join(f"'{k}': 'VARCHAR'" for k in KEYS if k != "aar")
        source = f"read_csv('{path}', delim=';', header=true, types={{{codes}}})"
    else:
        source = f"read_parquet('{path}')"
    columns = [row[0] for row in con.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    parts = []
    for item in (c for c in columns if c not in KEYS):
        value = f'CASE WHEN "{item}" BETWEEN 1 AND 5 THEN "{item}" END'
        parts.append(
            f'count({value}) AS "n|{item}", avg({value}) AS "mean|{item}", stddev_samp({value}) AS "sd|{item}"'
        )
    con.sql(
        f"COPY (SELECT studprog_kod, aar, {', '.join(parts)} FROM {source} "
        f"GROUP BY studprog_kod, aar) TO '{out}' (FORMAT parquet)"
    )


def check_worker(items_file: Path, duckdb_file: Path, min_n: int) -> None:
    """Print, as JSON, how the command's programme rows agree with DuckDB's result."""
    import numpy as np
    import pandas as pd

    items = pd.read_parquet(items_file)
    ours = items[items["level"] == "programme"]
    ours = pd.DataFrame(
        {
            "unit_code": ours["unit_code"].astype(str),
            "year": ours["year"].astype(int),
            "item": ours["item"].astype(str),
            "n": ours["n"].astype(int),
            "mean": ours["mean"].astype(float),
            "sd": ours["sd"].astype(float),
        }
    )
    wide = pd.read_parquet(duckdb_file)
    names = sorted({c.split("|", 1)[1] for c in wide.columns if "|" in c})
    theirs = pd.concat(
        [
            pd.DataFrame(
                {
                    "unit_code": wide["studprog_kod"].astype(str),
                    "year": wide["aar"].astype(int),
                    "item": item,
                    "n_duckdb": wide[f"n|{item}"].astype(int),
                    "mean_duckdb": wide[f"mean|{item}"],
                    "sd_duckdb": wide[f"sd|{item}"],
                }
            )
            for item in names
        ],
        ignore_index=True,
    )
    both = ours.merge(theirs, on=["unit_code", "year", "item"], how="outer", indicator=True)
    unmatched = int((both["_merge"] != "both").sum())
    both = both[both["_merge"] == "both"]
    shown = both["mean"].notna()
    sd_shown = both["sd"].notna()
    report = {
        "cells": len(both),
        "unmatched": unmatched,
        "n_equal": bool((both["n"] == both["n_duckdb"]).all()),
        "max_mean_diff": float(
            np.max(np.abs((both.loc[shown, "mean"] - both.loc[shown, "mean_duckdb"]).to_numpy()), initial=0)
        ),
        "max_sd_diff": float(
            np.max(np.abs((both.loc[sd_shown, "sd"] - both.loc[sd_shown, "sd_duckdb"]).to_numpy()), initial=0)
        ),
        "shown_below_min_n": int((shown & (both["n"] < min_n)).sum()),
        "shown": int(shown.sum()),
    }
    report["agree"] = (
        report["unmatched"] == 0
        and report["n_equal"]
        and report["max_mean_diff"] <= 1e-9
        and report["max_sd_diff"] <= 1e-9
        and report["shown_below_min_n"] == 0
    )
    print(json.dumps(report))


# --------------------------------------------------------------------------------------------


def label(size: int) -> str:
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300_000, 3_000_000], metavar="N")
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--programmes", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--format",
        choices=["parquet", "csv"],
        default="parquet",
        help="the respondent file's format (csv: as kvalitet synth writes it, ';' and quoted codes)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of each side per size (median counts)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "kvalitet-bench")
    parser.add_argument("--duckdb", nargs=2, type=Path, metavar=("FILE", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--check", nargs=3, metavar=("ITEMS", "DUCKDB", "MIN_N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.duckdb:
        duckdb_worker(*args.duckdb)
        return 0
    if args.check:
        check_worker(Path(args.check[0]), Path(args.check[1]), int(args.check[2]))
        return 0

    from analysis.settings import load_settings  # stdlib only: the driver stays small

    min_n = load_settings().survey.min_n
    args.data.mkdir(parents=True, exist_ok=True)
    print(
        f"kvalitet survey benchmark: {args.items} items, {args.programmes} programmes, {args.years} years, "
        f"seed {args.seed}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}; {args.runs} runs a side"
    )
    figures: dict[str, str] = {}
    agree = True
    for size in args.sizes:
        # "15": its items are NOKUT's questions on the 1–5 scale only (a file written before
        # 2026-12-05 had questions on other scales among its 60, which the command passes over)
        name = f"respondents_{size}_{args.items}_{args.programmes}_{args.years}_{args.seed}_15.{args.format}"
        path = args.data / name
        if not path.exists():
            seconds, *_ = run(
                [
                    *kvalitet(),
                    "synth",
                    "--respondents",
                    str(size),
                    "--items",
                    str(args.items),
                    "--programmes",
                    str(args.programmes),
                    "--years",
                    str(args.years),
                    "--seed",
                    str(args.seed),
                    "--out",
                    str(path),
                ]
            )
            print(f"  wrote {path.name} with kvalitet synth in {seconds:.1f} s")
        out = args.data / f"survey_{size}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        duck_out = args.data / f"duckdb_{size}.parquet"
        command = [*kvalitet(), "survey", str(path), "--out", str(out / "survey.parquet")]
        yardstick = [sys.executable, str(Path(__file__).resolve()), "--duckdb", str(path), str(duck_out)]
        a, b = [], []
        ticks = cpu_ticks()
        for _ in range(args.runs):  # A B A B …
            a.append(run(command))
            b.append(run(yardstick))
        steal = steal_pct(ticks, cpu_ticks())
        time_ratio = statistics.median(x[0] / y[0] for x, y in zip(a, b))
        rss_ratio = statistics.median(x[1] / y[1] for x, y in zip(a, b))
        check = json.loads(
            subprocess.run(
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "--check",
                    str(out / "survey.parquet"),
                    str(duck_out),
                    str(min_n),
                ],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            ).stdout
        )
        agree &= check["agree"]
        print(f"\n{size:>10,} respondents × {args.items} items ({path.stat().st_size / 1e6:.0f} MB {args.format})")
        for name, runs in (("kvalitet survey", a), ("duckdb query", b)):
            print(
                f"  {name:16s} wall {statistics.median(r[0] for r in runs):6.2f} s "
                f"(runs {', '.join(f'{r[0]:.2f}' for r in runs)})   "
                f"peak {statistics.median(r[1] for r in runs):6.0f} MiB (runs {', '.join(f'{r[1]:.0f}' for r in runs)})   "
                f"CPU {statistics.median(r[2] for r in runs):6.2f} s"
            )
        print(f"  ratio A/B (median of pairs): time {time_ratio:.2f}, peak memory {rss_ratio:.2f}")
        print(
            f"  CPU time stolen by the hypervisor during these runs: {steal:.0f} % (above a few per cent, both "
            "sides ran on less than the machine's cores)"
        )
        print(f"  items table against DuckDB: {check}")
        figures[f"survey_ratio_time_{label(size)}"] = f"{time_ratio:.2f}"
        figures[f"survey_ratio_rss_{label(size)}"] = f"{rss_ratio:.2f}"
        figures[f"survey_ratio_cpu_{label(size)}"] = f"{statistics.median(x[2] / y[2] for x, y in zip(a, b)):.2f}"
        figures[f"steal_pct_{label(size)}"] = f"{steal:.0f}"

    help_runs = [run([*kvalitet(), "--help"])[0] for _ in range(max(args.runs, 5))]
    figures["cli_help_s"] = f"{statistics.median(help_runs):.3f}"
    print(f"\nkvalitet --help: {figures['cli_help_s']} s (median of {len(help_runs)} runs)")
    print(
        f"load average at the end: {os.getloadavg()[0]:.1f} (figures are noisy above ~1 on 2 cores: both sides "
        "share the cores with whatever else runs)"
    )
    print(" ".join(f"{k}={v}" for k, v in figures.items()) + f" agree={str(agree).lower()}")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
