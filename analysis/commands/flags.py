"""``kvalitet flags PATH… [--threshold 40] [--level …] [--out FILE]``: gender-imbalance flags."""

from __future__ import annotations

import argparse
from dataclasses import replace
import sys
from fractions import Fraction
from pathlib import Path

import pandas as pd

from analysis.commands.common import guarded, print_problems, read_inputs, settings_or_usage
from analysis.commands.metric_output import check_out_path, percent, write_or_print
from analysis.errors import InputError, Problem
from analysis.ingest import combine_gender
from analysis.metrics.gender import AGGREGATE_LEVELS, gender_flags
from analysis.parsing import ParseError, parse_percent

def _threshold_pct(text: str) -> Fraction:
    try:
        value = parse_percent(text)
    except ParseError as err:
        raise argparse.ArgumentTypeError(f"{text!r}: {err.message} ({err.hint})") from None
    if not 0 < value < 100:
        raise argparse.ArgumentTypeError(f"{text!r}: the threshold must be between 0 and 100 (percent)")
    return value / 100


def register(sub) -> None:
    p = sub.add_parser(
        "flags",
        help="flag units where the under-represented gender is below the threshold (40 %%)",
        description="Read gender counts or shares (DBH table 123 JSON/CSV, Samordna opptak key "
        "figures, the seed's admission table; DBH table 210 for faculty names) and say for every "
        "unit × year × measure whether the under-represented gender is below the threshold. "
        "40 % exactly is not below 40 %. Suppressed counts give 'unknown', never 0.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of files")
    p.add_argument("--threshold", type=_threshold_pct, metavar="PCT",
                   help="threshold in percent (default from the configuration: 40)")
    p.add_argument("--level", choices=AGGREGATE_LEVELS, default="department",
                   help="sum DBH department rows to this level (programme rows stay programmes)")
    p.add_argument("--config", type=Path, metavar="FILE", help="settings file (default config/kvalitet.toml)")
    p.add_argument("--out", type=Path, metavar="FILE",
                   help="write the table to FILE.xlsx or FILE.csv (for people: headers and words in --lang; CSV "
                        "for Norwegian Excel) or FILE.parquet (every column, for programs)")
    p.add_argument("--lang", choices=["nb", "en"], default="nb",
                   help="language of the headers and words in FILE.xlsx / FILE.csv (default: nb)")
    p.set_defaults(func=guarded(run))


def run(args) -> int:
    usage = check_out_path(args.out)
    if usage:
        print(f"kvalitet flags: {usage}", file=sys.stderr)
        return 2
    settings = settings_or_usage(args.config, "flags")
    if settings is None:
        return 2
    gender = replace(settings.gender, threshold=args.threshold) if args.threshold else settings.gender
    # an input problem is printed, and nothing written, by guarded()
    results = read_inputs(
        args.paths, {"gender", "faculties"},
        "a gender table (DBH table 123 or 210, Samordna opptak key figures, an admission table)")
    observations = [r.frame for r in results if r.dataset == "gender"]
    faculties = [r.frame for r in results if r.dataset == "faculties"]
    if not observations:
        raise InputError([Problem(" ".join(args.paths), None, None, None, "no gender table among the files",
                                  "give DBH table 123, Samordna opptak key figures or the admission table")])
    obs, notes = combine_gender(observations)
    print_problems(notes)
    fac = pd.concat(faculties, ignore_index=True) if faculties else None
    flags = gender_flags(obs, faculties=fac, level=args.level, settings=gender)
    counts = flags["status"].value_counts()
    return write_or_print(flags, args.out, "flags", readable,
                          f" ({counts.get('flagged', 0)} flagged, {counts.get('ok', 0)} ok, "
                          f"{counts.get('unknown', 0)} unknown)", lang=args.lang, threshold=gender.threshold)


def readable(flags: pd.DataFrame) -> pd.DataFrame:
    """The columns an adviser reads first, shares as percentages."""
    return pd.DataFrame({
        "level": flags["level"],
        "unit": flags["unit_code"],
        "name": flags["unit_name"],
        "year": flags["year"],
        "measure": flags["measure"],
        "women": _women_share(flags),
        "under-repr.": flags["underrepresented"].fillna("?"),
        "share": percent(flags["underrepresented_share"]),
        "status": flags["status"],
        "needed": flags["students_needed"].astype("string").fillna(""),
        "years flagged": flags["consecutive_years_flagged"],
        "trend": flags["trend"].fillna(""),
        "reason": flags["reason"].fillna(""),
    })


def _women_share(flags: pd.DataFrame) -> pd.Series:
    """The share of women, or its range where suppressed departments leave it open."""
    exact = percent(flags["share_women"])
    total = flags["total"].astype("Float64")
    low = percent(flags["women_low"].astype("Float64") / total)
    high = percent(flags["women_high"].astype("Float64") / total)
    interval = flags["share_women"].isna() & flags["women_low"].notna() & (flags["total"] > 0).fillna(False)
    return exact.where(~interval, low.str.removesuffix(" %") + "–" + high)
