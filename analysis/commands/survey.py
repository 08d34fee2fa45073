"""``kvalitet survey PATH… [--config FILE] [--out FILE.csv|FILE.parquet|DIR]``: Studiebarometeret
results from respondent-level data.

Writes three tables: items (one row per unit × year × item, with the answer distribution),
indices (unit × year × index) and changes (year-on-year, Welch p-value, Benjamini–Hochberg
mark). ``--out FILE.csv`` writes the items table to FILE.csv and the others next to it as
FILE_indices.csv and FILE_changes.csv (the same with .parquet); ``--out DIR`` writes
survey_items.parquet, survey_indices.parquet and survey_changes.parquet into DIR. Without
``--out`` a summary is printed. A hidden result (``analysis.disclosure``) is written with n only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from analysis.commands.common import add_sheet_argument, guarded, inputs

TABLES = ("items", "indices", "changes")


def register(sub) -> None:
    p = sub.add_parser(
        "survey",
        help="Studiebarometeret: n, mean, sd, CI and answer distribution per programme × year × item and index, "
        "changes",
        description="Aggregate respondent-level Studiebarometeret data (CSV, XLSX or Parquet with "
        "studprog_kod, aar and NOKUT item columns) per programme × year × item, with the answer "
        "distribution, indices from the configuration, year-on-year changes with a Welch p-value and a "
        "Benjamini–Hochberg significance mark, and faculty and institution rollups when the data has "
        "fakultetskode / institusjonskode. 9999 (vet ikke) never enters a mean; results with n below "
        "the minimum (setting survey.min_n), or that would reveal one, are suppressed.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of files")
    p.add_argument("--config", type=Path, metavar="FILE", help="settings file (default config/kvalitet.toml)")
    from analysis.commands.metric_output import add_table_output_arguments

    add_table_output_arguments(
        p,
        "FILE.xlsx (three sheets: items, indices, changes), FILE.csv / FILE.parquet (items; indices and "
        "changes as FILE_indices, FILE_changes) or an existing folder (three Parquet files)",
        metavar="FILE|DIR",
    )
    add_sheet_argument(p)
    p.set_defaults(func=guarded(run))


def _outputs(out: Path, given: list[Path]) -> dict[str, Path] | str:
    from analysis.commands.metric_output import OUTPUT_SUFFIXES, out_path_problem
    from analysis.outputs import input_problem, raw_data_problem

    if os.path.isdir(out):
        files = {name: out / f"survey_{name}.parquet" for name in TABLES}
        return input_problem(out, given) or raw_data_problem(files["items"]) or files
    usage = out_path_problem(out, given)
    if usage:
        # (a name without a table's suffix may have been meant as a folder)
        return usage + (" (or give an existing folder)" if out.suffix.lower() not in OUTPUT_SUFFIXES else "")
    if out.suffix.lower() == ".xlsx":
        return {"workbook": out}
    return {
        "items": out,
        "indices": out.with_name(f"{out.stem}_indices{out.suffix}"),
        "changes": out.with_name(f"{out.stem}_changes{out.suffix}"),
    }


def aggregate(paths: list[str], settings):
    """What ``kvalitet survey PATH…`` computes: every respondent file read once, checked and
    counted; the output tables (``analysis.metrics.survey_tables.SurveyTables``)."""
    from analysis.commands.common import open_respondents, read_inputs
    from analysis.metrics.survey import survey_settings
    from analysis.metrics.survey_tables import survey_tables

    respondents = read_inputs(
        paths,
        {"survey_respondents"},
        "respondent-level Studiebarometeret data (studprog_kod, aar and NOKUT item columns)",
        read=open_respondents,
    )
    return survey_tables(respondents, settings=survey_settings(settings))


def run(args) -> int:
    from analysis.commands.common import settings_or_usage

    outputs = _outputs(args.out, inputs(args)) if args.out else None
    if isinstance(outputs, str):
        print(f"kvalitet survey: {outputs}", file=sys.stderr)
        return 2
    settings = settings_or_usage(args.config, "survey")
    if settings is None:
        return 2
    _return_freed_memory()
    if outputs:
        from analysis.commands.metric_output import foreign_file_problem

        # every file written, FILE_indices and FILE_changes too, may be the adviser's own (a
        # look at the record of written files, no file read: pyarrow stays unloaded until the
        # allocators' settings above are made)
        foreign = foreign_file_problem(outputs.values(), args.out)
        if foreign:
            print(f"kvalitet survey: {foreign}", file=sys.stderr)
            return 2
    from analysis.metrics.survey_notes import note_lines

    tables = aggregate(args.paths, settings)
    for line in note_lines(tables.notes, settings.source):
        print(f"kvalitet survey: note: {line}", file=sys.stderr)
    if outputs:
        from analysis.commands.metric_output import write_tables
        from analysis.errors import shown

        if "workbook" in outputs:  # one workbook, a sheet per table
            frames = {name: tables.frame(name) for name in TABLES}
            write_tables(
                {outputs["workbook"]: {f"sheet_{name}": frame for name, frame in frames.items()}},
                inputs(args),
                table="survey",
                lang=args.lang,
                levels={"survey": settings.survey.confidence_level},
            )
            print(
                f"kvalitet survey: wrote {', '.join(f'{len(f)} {n}' for n, f in frames.items())} rows to "
                f"{shown(outputs['workbook'])}",
                file=sys.stderr,
            )
            return 0
        # the three files together, all or nothing; Parquet a batch at a time
        written = write_tables(
            {
                outputs[name]: tables.batches(name)
                if outputs[name].suffix.lower() == ".parquet"
                else tables.frame(name)
                for name in TABLES
            },
            inputs(args),
            table="survey",
            lang=args.lang,
            levels={"survey": settings.survey.confidence_level},
        )
        for name in TABLES:
            print(
                f"kvalitet survey: wrote {written[outputs[name]]} {name} rows to {shown(outputs[name])}",
                file=sys.stderr,
            )
        return 0
    _summary(tables)
    return 0


def _return_freed_memory() -> None:
    """Memory the command frees is used again, not kept aside (see the NOTE). Called at the
    command's start, before pyarrow is imported and before a thread is started; it holds for
    this process only (a notebook that counts keeps the defaults), and never over the user's
    own ARROW_DEFAULT_MEMORY_POOL, JE_ARROW_MALLOC_CONF, MALLOC_ARENA_MAX or glibc arena_max
    tunable.

    NOTE: what each setting earns, peak memory of the whole command (benchmarks/bench_survey.py):

    * Arrow's jemalloc pool for the columns read (where the build has it): the default pool
      (mimalloc) keeps the buffers of the columns already counted, ~30 MB; and the C library's
      malloc gave 263–332 MB at 3 M respondents against 240–256 MB with jemalloc (275–277 MB
      against 226–234 MB, measured again with the settings below).
    * One jemalloc arena (``JE_ARROW_MALLOC_CONF=narenas:1``): by default each counting thread
      reads into an arena of its own, and each keeps the pages it freed for a while. Peak at 3 M
      respondents 216–224 MB against 227–239 MB (four pairs, in turn), in the same time.
    * The C library's malloc for Arrow's own C++ code (writing Parquet, ``ARROW_DEFAULT_MEMORY_POOL``:
      ``pyarrow.set_memory_pool`` does not reach it). Its default (mimalloc) keeps what each
      writer thread freed for that thread: 265–271 MB at 3 M respondents against 240–256 MB,
      and 285 MB at 300 k against 236 MB, in the same time. ("system": every build has it.)
    * One glibc arena for all threads: by default each thread that allocates gets its own,
      and what one frees the others do not reuse. With the two counting threads the peak at
      3 M respondents was 348 MB against 267 MB with one arena, in the same time."""
    import contextlib
    import ctypes
    import os
    import sys

    # Arrow and its jemalloc read these variables once: jemalloc when pyarrow is loaded, Arrow
    # when its default pool is first asked for. They are set only around those moments, so that
    # they pass to no child process, and only before pyarrow is loaded (in a process that has it
    # already, e.g. a test calling main(), both have read theirs)
    given = {
        # Arrow's own C++ code (writing Parquet) on the C library's malloc
        "ARROW_DEFAULT_MEMORY_POOL": "system",
        # one jemalloc arena for the columns read, as one glibc arena below
        "JE_ARROW_MALLOC_CONF": "narenas:1",
    }
    ours = [] if "pyarrow" in sys.modules else [name for name in given if name not in os.environ]
    user_arenas = "MALLOC_ARENA_MAX" in os.environ or "arena_max" in os.environ.get("GLIBC_TUNABLES", "")
    if sys.platform.startswith("linux") and not user_arenas:
        with contextlib.suppress(AttributeError):  # a C library without mallopt: its own arenas
            ctypes.CDLL(None).mallopt(_M_ARENA_MAX, 1)
    for name in ours:
        os.environ[name] = given[name]
    try:
        import pyarrow as pa

        pa.default_memory_pool()  # Arrow's default pool is made here, from its variable
    finally:
        for name in ours:
            del os.environ[name]
    with contextlib.suppress(NotImplementedError):  # a pyarrow built without jemalloc: the default pool
        pa.set_memory_pool(pa.jemalloc_memory_pool())


#: glibc's mallopt() parameter for the most arenas (malloc.h)
_M_ARENA_MAX = -8


def _summary(tables) -> None:
    from analysis.commands.metric_output import print_table

    items = tables.frame("items")
    summary = (
        items.groupby(["level", "year"], observed=True)
        .agg(
            units=("unit_code", "nunique"),
            results=("n", "size"),
            suppressed=("suppressed", "sum"),
            few_respondents=("few_respondents", "sum"),
        )
        .reset_index()
    )
    print_table(summary)
    indices = tables.frame("indices")
    if len(indices):
        latest = indices[indices["year"] == indices["year"].max()]
        print()
        print_table(
            latest.head(40)[
                [
                    "level",
                    "institution_code",
                    "unit_code",
                    "year",
                    "index_name",
                    "n",
                    "mean",
                    "ci_low",
                    "ci_high",
                    "suppressed",
                    "few_respondents",
                ]
            ]
        )
    print(
        f"\n(give --out FILE.csv or --out DIR for all {len(items)} item rows and {len(indices)} index rows, "
        "and the changes)",
        file=sys.stderr,
    )
