"""``kvalitet synth``: synthetic data at national scale, reproducible from a seed.

    kvalitet synth --respondents 3000000 --items 60 --programmes 2000 --years 10 --seed 1 --out r.parquet
    kvalitet synth --kind dbh123 --institutions 20 --departments 40 --years 7 --seed 1 --out t123.json

Respondent-level Studiebarometeret data is written in the raw layout the ingest reads (Parquet
or semicolon CSV); the DBH kind writes a table-123 response as the DBH-API returns it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.errors import shown
from analysis.synth import ALL_ITEMS


def register(sub) -> None:
    p = sub.add_parser(
        "synth",
        help="write synthetic Studiebarometeret respondents or a national DBH table-123 response",
        description="Synthetic data for benchmarks and tests (never real): respondent-level "
        "Studiebarometeret answers with skewed programme sizes, correlated items, ~5 % 9999 and "
        "some blanks; or a DBH-API table-123 JSON response with suppressed cells.",
    )
    p.add_argument("--kind", choices=["respondents", "dbh123"], default="respondents")
    p.add_argument("--respondents", type=int, default=100_000, metavar="N")
    p.add_argument("--items", type=int, default=60, metavar="K", help=f"1–{len(ALL_ITEMS)} NOKUT items")
    p.add_argument("--programmes", type=int, default=500, metavar="P")
    p.add_argument("--years", type=int, default=5, metavar="Y")
    p.add_argument("--institutions", type=int, default=20, help="dbh123 only")
    p.add_argument("--departments", type=int, default=40, help="dbh123 only: departments per institution")
    p.add_argument(
        "--no-unit-codes", action="store_true", help="respondents only: leave out institusjonskode and fakultetskode"
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE",
        help="FILE.parquet or FILE.csv (respondents), FILE.json (dbh123)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.outputs import OutputFiles
    from analysis.synth import generate_dbh123, generate_respondents, write_dbh123, write_respondents

    out: Path = args.out
    if not out.parent.exists():
        print(f"kvalitet synth: the folder {shown(out.parent)} does not exist", file=sys.stderr)
        return 2
    # made-up respondents look like real ones: a real respondents file given as --out by mistake
    # would be replaced without a trace. Only a file synth wrote, unchanged since, is written over
    from analysis.commands.metric_output import foreign_file_problem

    foreign = foreign_file_problem([out], out)
    if foreign:
        print(f"kvalitet synth: {foreign}", file=sys.stderr)
        return 2
    try:
        if args.kind == "dbh123":
            if out.suffix.lower() != ".json":
                print("kvalitet synth: --kind dbh123 writes a .json file", file=sys.stderr)
                return 2
            response = generate_dbh123(args.institutions, args.departments, args.years, args.seed)
            with OutputFiles([out]) as (temp,):
                write_dbh123(response, temp)
            print(f"kvalitet synth: wrote {len(response) - 1} DBH rows to {shown(out)}", file=sys.stderr)
            return 0
        if out.suffix.lower() not in (".parquet", ".csv"):
            print("kvalitet synth: --out must end in .parquet or .csv", file=sys.stderr)
            return 2
        table = generate_respondents(
            args.respondents, args.items, args.programmes, args.years, args.seed, unit_codes=not args.no_unit_codes
        )
    except ValueError as err:
        print(f"kvalitet synth: {err}", file=sys.stderr)
        return 2
    with OutputFiles([out]) as (temp,):  # all or nothing; a full disk changes nothing
        write_respondents(table, temp)
    print(f"kvalitet synth: wrote {table.num_rows} respondents × {args.items} items to {shown(out)}", file=sys.stderr)
    return 0
