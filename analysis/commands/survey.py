"""``kvalitet survey PATH… [--config FILE] [--out FILE.csv|FILE.parquet|DIR]``: Studiebarometeret
aggregates from respondent-level data.

Writes three tables: items (one row per unit × year × item), indices (unit × year × index) and
changes (year-on-year, Welch p-value). ``--out FILE.csv`` writes the items table to FILE.csv and
the others next to it as FILE_indices.csv and FILE_changes.csv (the same with .parquet);
``--out DIR`` writes survey_items.parquet, survey_indices.parquet and survey_changes.parquet
into DIR. Without ``--out`` a summary is printed. Results with n below the minimum are written
with n only: their mean, sd and interval stay empty.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analysis.commands.common import guarded, read_inputs, settings_or_usage
from analysis.commands.metric_output import check_out_path, print_table, write_table
from analysis.metrics.survey import survey_aggregates
from schemas.studiebarometeret import item_columns


def register(sub) -> None:
    p = sub.add_parser(
        "survey",
        help="Studiebarometeret: n, mean, sd, 95 %% CI per programme × year × item and index, changes",
        description="Aggregate respondent-level Studiebarometeret data (CSV, XLSX or Parquet with "
        "studprog_kod, aar and NOKUT item columns) per programme × year × item, with indices from "
        "the configuration, year-on-year changes with a Welch p-value, and faculty and institution "
        "rollups when the data has fakultetskode / institusjonskode. 9999 (vet ikke) never enters a "
        "mean; results with n below the minimum (setting survey.min_n) are suppressed.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of files")
    p.add_argument("--config", type=Path, metavar="FILE", help="settings file (default config/kvalitet.toml)")
    p.add_argument("--out", type=Path, metavar="FILE|DIR",
                   help="FILE.csv / FILE.parquet (items; indices and changes as FILE_indices, FILE_changes) "
                        "or an existing folder (three Parquet files)")
    p.set_defaults(func=guarded(run))


def _outputs(out: Path) -> dict[str, Path] | str:
    if out.is_dir():
        return {name: out / f"survey_{name}.parquet" for name in ("items", "indices", "changes")}
    usage = check_out_path(out)
    if usage:
        return usage + " (or give an existing folder)"
    return {"items": out, "indices": out.with_name(f"{out.stem}_indices{out.suffix}"),
            "changes": out.with_name(f"{out.stem}_changes{out.suffix}")}


def run(args) -> int:
    outputs = _outputs(args.out) if args.out else None
    if isinstance(outputs, str):
        print(f"kvalitet survey: {outputs}", file=sys.stderr)
        return 2
    settings = settings_or_usage(args.config, "survey")
    if settings is None:
        return 2
    frames = [r.frame for r in read_inputs(
        args.paths, {"survey_respondents"},
        "respondent-level Studiebarometeret data (studprog_kod, aar and NOKUT item columns)")]
    respondents = frames[0] if len(frames) == 1 else _combine(frames)
    aggregates = survey_aggregates(respondents, settings=settings)
    for key, value in aggregates.notes.items():
        if key != "levels":
            print(f"kvalitet survey: note: {key}: {value}", file=sys.stderr)
    tables = {"items": aggregates.items, "indices": aggregates.indices, "changes": aggregates.changes}
    if outputs:
        for name, table in tables.items():
            write_table(table, outputs[name])
            print(f"kvalitet survey: wrote {len(table)} {name} rows to {outputs[name]}", file=sys.stderr)
        return 0
    items = aggregates.items
    summary = (items.groupby(["level", "year"], observed=True)
               .agg(units=("unit_code", "nunique"), results=("n", "size"), suppressed=("suppressed", "sum"),
                    few_respondents=("few_respondents", "sum"))
               .reset_index())
    print_table(summary)
    if len(aggregates.indices):
        latest = aggregates.indices[aggregates.indices["year"] == aggregates.indices["year"].max()]
        print()
        print_table(latest.head(40)[["level", "institution_code", "unit_code", "year", "index_name", "n",
                                     "mean", "ci_low", "ci_high", "suppressed", "few_respondents"]])
    print(f"\n(give --out FILE.csv or --out DIR for all {len(items)} item rows, "
          f"{len(aggregates.indices)} index rows and {len(aggregates.changes)} changes)", file=sys.stderr)
    return 0


def _combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Several deliveries (years) in one frame; an item a file lacks is missing for its rows."""
    # A rollup needs the unit code of every respondent: keep a unit column only if every file has it.
    units = ("institusjonskode", "fakultetskode")
    frames = [f.drop(columns=[u for u in units if u in f.columns and not all(u in g.columns for g in frames)])
              for f in frames]
    combined = pd.concat(frames, ignore_index=True)
    for item in item_columns(combined.columns):
        combined[item] = combined[item].astype("Int8")
    return combined
