"""Benchmark: Studiebarometeret aggregation at national scale, product vs DuckDB.

On the same synthetic Parquet file (``kvalitet synth``'s generator), run

* the product path, exactly what ``kvalitet survey FILE`` computes
  (``analysis.commands.survey.aggregate``): detect the file's kind, open it (keys read and
  checked), then read, classify (validate) and count every item column as it arrives, check
  the pandera contract on the witness, and build n, mean, sd, CI per programme × year × item,
  suppression, indices, faculty/institution rollups and the output contracts, and
* a DuckDB SQL query computing n, mean and sd per programme × year × item (9999 excluded),

each in its own subprocess (so the peak memory of one does not hide in the other's), check they
agree (n exact; mean and sd to 1e-9 wherever the product shows them; nothing shown below the
minimum n), and print times, the ratio product/DuckDB, peak RSS and the scaling from the small
to the large size. Year-on-year changes are timed separately (DuckDB's query has none).

Usage::

    .venv/bin/python benchmarks/bench_survey.py                  # 300 k and 3 M respondents × 60 items
    .venv/bin/python benchmarks/bench_survey.py --sizes 30000 300000 --repeat 1   # quick

The last line is machine-readable, e.g.
``ratio_vs_duckdb_3m=0.9 scaling_10x=10.2 peak_rss_gb_3m=1.1 answer_matrix_gb_3m=0.18``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KEYS = ("institusjonskode", "fakultetskode", "studprog_kod", "aar")


def _peak_rss_gb() -> float:
    """The process's peak resident set, from the kernel's high-water mark of its own memory.

    NOTE: not ``getrusage().ru_maxrss``: on Linux that survives ``exec``, so a worker started by
    this (large) benchmark process would report the parent's peak when it is higher (it did:
    both sides showed the parent's 0.66 GB). ``VmHWM`` belongs to the address space the worker
    got at ``exec``.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e9
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9  # not Linux


def _current_rss_gb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 1e9


def worker_product(path: Path, out: Path, repeat: int) -> None:
    from analysis.commands.survey import aggregate
    from analysis.settings import load_settings

    settings = load_settings()
    baseline = _current_rss_gb()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        aggregates = aggregate([str(path)], settings, changes=False)
        times.append(time.perf_counter() - start)
        del aggregates
    peak = _peak_rss_gb()  # before the extra work below, which is not part of the timed path
    # the whole command's work with year-on-year changes, timed once (DuckDB's query has none)
    start = time.perf_counter()
    with_changes = aggregate([str(path)], settings, changes=True)
    change_seconds = time.perf_counter() - start - min(times)
    items = with_changes.items
    programme = items[items["level"] == "programme"]
    programme[["unit_code", "year", "item", "n", "mean", "sd", "suppressed"]].astype(
        {"unit_code": str, "item": str}).to_parquet(out.with_suffix(".parquet"))
    json.dump({"seconds": min(times), "change_seconds": change_seconds,
               "peak_rss_gb": peak, "baseline_rss_gb": baseline,
               "rows_items": len(items), "rows_indices": len(with_changes.indices),
               "rows_changes": len(with_changes.changes), "validation": "witness"},
              out.open("w"))


def duckdb_query(path: Path, items: list[str]) -> str:
    """n, mean and sd per programme × year × item; 9999 ("vet ikke") and blanks excluded."""
    parts = []
    for item in items:
        value = f'CASE WHEN "{item}" BETWEEN 1 AND 5 THEN "{item}" END'
        parts.append(f'count({value}) AS "n|{item}", avg({value}) AS "mean|{item}", '
                     f'stddev_samp({value}) AS "sd|{item}"')
    return (f"SELECT studprog_kod, aar, {', '.join(parts)} FROM read_parquet('{path}') "
            "GROUP BY studprog_kod, aar")


def worker_duckdb(path: Path, out: Path, repeat: int) -> None:
    import duckdb
    import pyarrow.parquet as pq

    items = [c for c in pq.read_schema(path).names if c not in KEYS]
    query = duckdb_query(path, items)
    con = duckdb.connect()
    baseline = _current_rss_gb()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        table = con.sql(query).to_arrow_table()
        times.append(time.perf_counter() - start)
    import pyarrow.parquet as pq2

    pq2.write_table(table, out.with_suffix(".parquet"))
    json.dump({"seconds": min(times), "peak_rss_gb": _peak_rss_gb(), "baseline_rss_gb": baseline,
               "threads": con.sql("SELECT current_setting('threads')").fetchall()[0][0]}, out.open("w"))


def compare(product_file: Path, duckdb_file: Path, min_n: int) -> dict:
    """Check the two agree: n exact, mean/sd to 1e-9 where shown, nothing shown below min_n."""
    import numpy as np
    import pandas as pd

    product = pd.read_parquet(product_file)
    wide = pd.read_parquet(duckdb_file)
    long = []
    items = sorted({c.split("|", 1)[1] for c in wide.columns if "|" in c})
    for item in items:
        long.append(pd.DataFrame({"unit_code": wide["studprog_kod"].astype(str), "year": wide["aar"].astype(int),
                                  "item": item, "n_duck": wide[f"n|{item}"].astype(int),
                                  "mean_duck": wide[f"mean|{item}"], "sd_duck": wide[f"sd|{item}"]}))
    duck = pd.concat(long, ignore_index=True)
    product = product.assign(year=product["year"].astype(int))
    both = product.merge(duck, on=["unit_code", "year", "item"], how="outer", indicator=True)
    unmatched = int((both["_merge"] != "both").sum())
    both = both[both["_merge"] == "both"]
    n_equal = bool((both["n"].astype(int) == both["n_duck"]).all())
    shown = both["mean"].notna()
    mean_diff = float(np.nanmax(np.abs(both.loc[shown, "mean"].astype(float) - both.loc[shown, "mean_duck"]))) if shown.any() else 0.0
    sd_shown = both["sd"].notna()
    sd_diff = float(np.nanmax(np.abs(both.loc[sd_shown, "sd"].astype(float) - both.loc[sd_shown, "sd_duck"]))) if sd_shown.any() else 0.0
    leaked = int((both["mean"].notna() & (both["n"].astype(int) < min_n)).sum())
    return {"rows": len(both), "unmatched": unmatched, "n_equal": n_equal, "max_mean_diff": mean_diff,
            "max_sd_diff": sd_diff, "shown_below_min_n": leaked,
            "agree": unmatched == 0 and n_equal and mean_diff <= 1e-9 and sd_diff <= 1e-9 and leaked == 0}


def run_cli(path: Path, data: Path, size: int, min_n: int) -> dict:
    """The command itself on the file: ``python -m analysis survey FILE --out DIR``, timed from
    the outside, and its programme rows checked against DuckDB's result for the same file."""
    import pandas as pd

    out = data / f"cli_{size}"
    out.mkdir(exist_ok=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "survey", str(path), "--out", str(out)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    items = pd.read_parquet(out / "survey_items.parquet")
    programme = items[items["level"] == "programme"]
    mine = data / f"cli_{size}_programme.parquet"
    programme[["unit_code", "year", "item", "n", "mean", "sd", "suppressed"]].astype(
        {"unit_code": str, "item": str}).to_parquet(mine)
    return {"seconds": seconds, "check": compare(mine, data / f"duckdb_{size}.parquet", min_n)}


def _run(kind: str, path: Path, out: Path, repeat: int) -> dict:
    subprocess.run([sys.executable, __file__, "--worker", kind, str(path), str(out), "--repeat", str(repeat)],
                   check=True, cwd=ROOT)
    return json.loads(out.read_text())


def _best(runs: list[dict]) -> dict:
    best = dict(min(runs, key=lambda r: r["seconds"]))
    best["peak_rss_gb"] = max(r["peak_rss_gb"] for r in runs)
    best["all_seconds"] = [round(r["seconds"], 2) for r in runs]
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[300_000, 3_000_000], metavar=("SMALL", "LARGE"))
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--programmes", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; the best time counts")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "kvalitet-bench")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "PATH", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kind, path, out = args.worker
        {"product": worker_product, "duckdb": worker_duckdb}[kind](Path(path), Path(out), args.repeat)
        return 0

    from analysis.settings import load_settings
    from analysis.synth import generate_respondents, write_respondents

    min_n = load_settings().survey.min_n
    args.data.mkdir(parents=True, exist_ok=True)
    print(f"kvalitet survey benchmark: {args.items} items, {args.programmes} programmes, {args.years} years, "
          f"seed {args.seed}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
    results = {}
    for size in args.sizes:
        path = args.data / f"respondents_{size}_{args.items}_{args.programmes}_{args.years}_{args.seed}.parquet"
        if not path.exists():
            start = time.perf_counter()
            write_respondents(generate_respondents(size, args.items, args.programmes, args.years, args.seed), path)
            print(f"  generated {path.name} in {time.perf_counter() - start:.1f} s")
        # NOTE: the two sides alternate (product, DuckDB, product, …) so that a change in the
        # machine's load hits both alike; the best time and the highest peak of each side count.
        runs = {"product": [], "duckdb": []}
        for _ in range(args.repeat):
            for kind in runs:
                runs[kind].append(_run(kind, path, args.data / f"{kind}_{size}.json", 1))
        product, duck = (_best(runs[kind]) for kind in ("product", "duckdb"))
        check = compare(args.data / f"product_{size}.parquet", args.data / f"duckdb_{size}.parquet", min_n)
        matrix_gb = size * args.items / 1e9  # int8 answer matrix
        results[size] = (product, duck, check, matrix_gb)
        print(f"\n{size:>10,} respondents × {args.items} items ({path.stat().st_size / 1e6:.0f} MB Parquet, "
              f"answer matrix {matrix_gb:.3f} GB as int8)")
        print(f"  product  {product['seconds']:7.2f} s  (runs {product['all_seconds']})  "
              f"peak RSS {product['peak_rss_gb']:.2f} GB (after imports {product['baseline_rss_gb']:.2f} GB)")
        print(f"  duckdb   {duck['seconds']:7.2f} s  (runs {duck['all_seconds']})  peak RSS {duck['peak_rss_gb']:.2f} GB ({duck['threads']} threads)")
        print(f"  ratio product/duckdb {product['seconds'] / duck['seconds']:.2f}")
        print(f"  year-on-year changes (extra, not in DuckDB's query) {product['change_seconds']:.2f} s; "
              f"output rows: items {product['rows_items']:,}, indices {product['rows_indices']:,}, "
              f"changes {product['rows_changes']:,}")
        print(f"  agreement: {check}")
    small, large = args.sizes
    cli = run_cli(args.data / f"respondents_{large}_{args.items}_{args.programmes}_{args.years}_{args.seed}.parquet",
                  args.data, large, min_n)
    print(f"\nkvalitet survey FILE --out DIR on {large:,} respondents, end to end (start, imports, three "
          f"Parquet tables written): {cli['seconds']:.2f} s; its items table against DuckDB: {cli['check']}")
    p_small, _, _, _ = results[small]
    p_large, d_large, c_large, matrix_large = results[large]
    ratio = p_large["seconds"] / d_large["seconds"]
    scaling = p_large["seconds"] / p_small["seconds"]
    factor = large / small
    peak = p_large["peak_rss_gb"]
    agree = all(r[2]["agree"] for r in results.values()) and cli["check"]["agree"]
    print(f"\ntargets: ratio <= 1.0 -> {ratio:.2f}; {factor:.0f}x respondents <= {1.1 * factor:.0f}x time -> "
          f"{scaling:.1f}x; peak <= 3x answer matrix ({3 * matrix_large:.2f} GB) -> {peak:.2f} GB "
          f"({peak / matrix_large:.1f}x; {(peak - p_large['baseline_rss_gb']) / matrix_large:.1f}x above the "
          f"interpreter's own {p_large['baseline_rss_gb']:.2f} GB); agree={agree}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (numbers are noisy when it is above ~2 on 2 cores)")
    label = "3m" if large == 3_000_000 else f"{large}"
    print(f"ratio_vs_duckdb_{label}={ratio:.2f} scaling_{factor:.0f}x={scaling:.1f} peak_rss_gb_{label}={peak:.2f} "
          f"answer_matrix_gb_{label}={matrix_large:.2f} agree={str(agree).lower()}")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
