"""``kvalitet fetch --institution CODE …`` (the report's DBH tables) or ``--table N …`` (any
table): answers from HK-dir's DBH-API saved verbatim in data/raw/dbh/, provenance in the manifest."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from analysis.commands.common import guarded, settings_or_usage

#: Without --from/--to the report's set covers this many calendar years, up to this one.
DEFAULT_YEARS = 10


def _year(text: str) -> int:
    if not re.fullmatch(r"(19|20)\d\d", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year like 2025")
    return int(text)


def register(sub) -> None:
    p = sub.add_parser(
        "fetch",
        help="fetch this year's DBH tables from HK-dir's DBH-API into data/raw (the yearly update)",
        description="Fetch the DBH tables the report needs for one or more institutions (or any table "
        "with --table) from HK-dir's DBH-API. Every answer is saved verbatim in DATA/raw/dbh/ with its "
        "provenance in DATA/raw/MANIFEST.json, all tables or none. A query already fetched is not sent "
        "again (--refresh sends it). The address is [dbh] base_url in the settings or KVALITET_DBH_URL; "
        "an optional token for unsuppressed data comes from KVALITET_DBH_TOKEN. Exit 0 done, 1 a table "
        "failed (nothing written), 2 usage.",
    )
    p.add_argument(
        "--institution",
        action="append",
        metavar="CODE",
        help="institution code (1150 = NTNU); repeat it for more, or 'all'",
    )
    p.add_argument(
        "--from",
        dest="first_year",
        type=_year,
        metavar="YEAR",
        help=f"first year (default: {DEFAULT_YEARS - 1} years before --to)",
    )
    p.add_argument("--to", dest="last_year", type=_year, metavar="YEAR", help="last year (default: this year)")
    p.add_argument("--table", type=int, metavar="N", help="fetch this table with your own query instead")
    p.add_argument(
        "--group-by",
        nargs="+",
        action="extend",
        default=[],
        metavar="VAR",
        help="with --table: group an aggregated table by these variables",
    )
    p.add_argument(
        "--variables",
        nargs="+",
        action="extend",
        default=[],
        metavar="VAR",
        help="with --table: these columns of a row table ('*' for all)",
    )
    p.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="VAR=VALUES",
        help="with --table: VAR=V1,V2 | VAR=* | VAR=top:N | VAR=between:A,B | VAR!=V",
    )
    p.add_argument("--csv", action="store_true", help="with --table: ask for CSV (hentCSVTabellData)")
    p.add_argument("--data", type=Path, metavar="DIR", help="data folder (default data/); files go to DIR/raw")
    p.add_argument("--refresh", action="store_true", help="fetch again even what is already fetched")
    p.add_argument("--config", type=Path, metavar="FILE", help="settings file (default config/kvalitet.toml)")
    p.set_defaults(func=guarded(run))


def run(args) -> int:
    from analysis import paths
    from analysis.fetch import dbh, store

    settings = settings_or_usage(args.config, "fetch")
    if settings is None:
        return 2
    try:
        queries = plan(args)
        url = dbh.base_url(settings.dbh.base_url)
        token = dbh.token_from_env()
    except ValueError as err:
        print(f"kvalitet fetch: {err}", file=sys.stderr)
        return 2
    raw = (args.data or paths.DATA) / "raw"
    print(f"DBH-API {url}{' (with token)' if token else ''}: {len(queries)} table{'s' * (len(queries) != 1)}")
    with dbh.DbhClient(url, token) as client:
        outcome = store.fetch_into_raw(queries, client, raw, refresh=args.refresh)
    print(
        f"kvalitet fetch: {len(outcome.fetched)} fetched, {len(outcome.cached)} unchanged "
        f"(cached) in {raw / store.FOLDER}; provenance in {raw / paths.RAW_MANIFEST_NAME}"
    )
    return 0


def plan(args) -> list:
    """The queries the arguments ask for; ValueError (usage) when they do not fit together."""
    from analysis.fetch import dbh, presets

    institutions = [c.strip() for given in args.institution or [] for c in given.split(",") if c.strip()]
    if presets.ALL in institutions and len(institutions) > 1:
        raise ValueError("--institution all stands alone")
    bad = [c for c in institutions if c != presets.ALL and not re.fullmatch(r"\d{4}", c)]
    if bad:
        raise ValueError(f"--institution {bad[0]!r}: an institution code has four digits (1150 = NTNU)")
    if args.table is None:
        if args.group_by or args.variables or args.filter or args.csv:
            raise ValueError("--group-by, --variables, --filter and --csv go with --table N")
        if not institutions:
            raise ValueError("give --institution CODE (or all) for the report's tables, or --table N")
        return presets.report_queries(institutions, *_years(args))
    years = _years(args) if args.first_year or args.last_year else None
    return [
        presets.table_query(
            args.table,
            institutions or None,
            years,
            group_by=args.group_by,
            variables=args.variables,
            filters=dbh.parse_filters(args.filter),
            csv=args.csv,
        )
    ]


def _years(args) -> tuple[int, int]:
    """--from/--to; --to defaults to this year, --from to DEFAULT_YEARS years up to --to."""
    last = args.last_year or date.today().year
    first = args.first_year or last - DEFAULT_YEARS + 1
    if first > last:
        raise ValueError(f"--from {first} is after --to {last}")
    return first, last
