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

from analysis.commands.common import guarded, open_respondents, read_inputs, settings_or_usage
from analysis.commands.metric_output import check_out_path, print_table, write_table, write_tables
from analysis.metrics.survey import survey_aggregates


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
                   help="FILE.xlsx (three sheets: items, indices, changes), FILE.csv / FILE.parquet (items; "
                        "indices and changes as FILE_indices, FILE_changes) or an existing folder (three Parquet "
                        "files)")
    p.add_argument("--lang", choices=["nb", "en"], default="nb",
                   help="language of the headers and words in FILE.xlsx / FILE.csv (default: nb)")
    p.set_defaults(func=guarded(run))


def _outputs(out: Path) -> dict[str, Path] | str:
    if out.is_dir():
        return {name: out / f"survey_{name}.parquet" for name in ("items", "indices", "changes")}
    if out.suffix.lower() == ".xlsx":
        usage = check_out_path(out)
        return usage if usage else {"workbook": out}
    usage = check_out_path(out)
    if usage:
        return usage + " (or give an existing folder)"
    return {"items": out, "indices": out.with_name(f"{out.stem}_indices{out.suffix}"),
            "changes": out.with_name(f"{out.stem}_changes{out.suffix}")}


def aggregate(paths: list[str], settings, *, changes: bool = True):
    """What ``kvalitet survey PATH…`` computes: every respondent file's answers read once,
    validated and counted (the benchmark times exactly this)."""
    respondents = read_inputs(paths, {"survey_respondents"},
                              "respondent-level Studiebarometeret data (studprog_kod, aar and NOKUT item columns)",
                              read=open_respondents)
    return survey_aggregates(respondents, settings=settings, changes=changes)


def run(args) -> int:
    outputs = _outputs(args.out) if args.out else None
    if isinstance(outputs, str):
        print(f"kvalitet survey: {outputs}", file=sys.stderr)
        return 2
    settings = settings_or_usage(args.config, "survey")
    if settings is None:
        return 2
    aggregates = aggregate(args.paths, settings)
    for key, value in aggregates.notes.items():
        if key != "levels":
            print(f"kvalitet survey: note: {key}: {value}", file=sys.stderr)
    tables = {"items": aggregates.items, "indices": aggregates.indices, "changes": aggregates.changes}
    if outputs and "workbook" in outputs:
        write_tables({f"sheet_{name}": table for name, table in tables.items()}, outputs["workbook"], table="survey",
                     lang=args.lang)
        print(f"kvalitet survey: wrote {', '.join(f'{len(t)} {n}' for n, t in tables.items())} rows to "
              f"{outputs['workbook']}", file=sys.stderr)
        return 0
    if outputs:
        for name, table in tables.items():
            write_table(table, outputs[name], table="survey", lang=args.lang)
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
