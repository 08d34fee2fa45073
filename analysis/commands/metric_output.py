"""Writing a metric table: atomically, to CSV or Parquet, or as a readable table on stdout."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.errors import shown

if TYPE_CHECKING:  # loaded where a table is written (the CLI starts without pandas)
    import threading

    import pandas as pd

#: Output formats by file suffix: Parquet for machines (every column, codes and English values),
#: CSV and Excel for people (labelled headers and words in --lang; CSV for Norwegian Excel).
OUTPUT_SUFFIXES = (".csv", ".parquet", ".xlsx")


#: What ``--out FILE`` writes, for the commands that write one table.
TABLE_OUT_HELP = (
    "write the table to FILE.xlsx or FILE.csv (for people: headers and words in --lang; CSV for Norwegian Excel) "
    "or FILE.parquet (every column, for programs)"
)


def add_table_output_arguments(parser, out_help: str = TABLE_OUT_HELP, metavar: str = "FILE") -> None:
    """``--out`` and ``--lang`` (the language of a table for people), as every metric command has them."""
    parser.add_argument("--out", type=Path, metavar=metavar, help=out_help)
    parser.add_argument(
        "--lang",
        choices=["nb", "en"],
        default="nb",
        help="language of the headers and words in FILE.xlsx / FILE.csv (default: nb)",
    )


def unique_files(files: list[Path]) -> list[Path]:
    """Each file once, even when given twice (as a file and inside a folder): respondents or
    counts read twice would be counted twice."""
    seen: dict[Path, Path] = {}
    for f in files:
        try:
            key = f.resolve()
        except (OSError, RuntimeError):  # RuntimeError: a symbolic link that points to itself
            key = f
        seen.setdefault(key, f)
    return list(seen.values())


def check_out_path(out: Path | None, inputs: Iterable[str | Path] = ()) -> str | None:
    """A usage message when ``out`` cannot be written as a table (or is, or is inside, one of
    ``inputs``, or is a file of the adviser's: :func:`foreign_file_problem`), else None."""
    if out is None:
        return None
    return out_path_problem(out, inputs) or foreign_file_problem([out], out)


def out_path_problem(out: Path, inputs: Iterable[str | Path] = ()) -> str | None:
    """What :func:`check_out_path` checks from the path alone, before a file already there is
    looked at (:func:`foreign_file_problem`): ``kvalitet survey`` checks its companion files
    apart, after its settings."""
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        return f"--out must end in {' or '.join(OUTPUT_SUFFIXES)}, got {shown(out.name)}"
    # os.path's checks, not Path's: they answer False for a name too long instead of raising
    if os.path.isdir(out):
        return f"--out {shown(out)} is a folder; give a file name"
    if not os.path.isdir(out.parent):
        # the nearest part of the path that is there: a file where a folder should be, or none
        part = out.parent
        while not os.path.lexists(part) and part != part.parent:
            part = part.parent
        if os.path.lexists(part) and not os.path.isdir(part):
            return f"{shown(part)} is a file, not a folder: --out cannot be written inside it"
        return f"the folder {shown(out.parent)} does not exist"
    from analysis.outputs import input_problem, raw_data_problem  # (not for --help: the parser is built without it)

    return input_problem(out, inputs) or raw_data_problem(out)


def foreign_file_problem(files: Iterable[Path], out: Path) -> str | None:
    """Why a table may not be written over one of ``files`` (``out``, the ``--out`` given, and
    the files written beside it or into it): it is there, not empty, and not a file kvalitet
    wrote that is as kvalitet left it (:mod:`analysis.written`), so it may hold the adviser's own
    work (a workbook of notes, a table with a column of comments added). Else None.

    Writing again over kvalitet's own unchanged table is what a second run does and stays
    allowed; an empty file (``touch``, ``mktemp``) holds nothing to lose."""
    from analysis.written import unchanged_since_written

    for file in files:
        try:
            if not os.path.isfile(file) or os.path.getsize(file) == 0:
                continue
        except OSError:  # (gone meanwhile: nothing to lose)
            continue
        if not unchanged_since_written(Path(file)):
            named = f"--out {shown(file)}" if file == out else f"{shown(file)} (written for --out {shown(out)})"
            return (
                f"{named} is there, and it is not a file kvalitet wrote, or it was changed since; it is not "
                "written over (give a new file name, or move the file away and run again)"
            )
    return None


def write_table(
    frame: pd.DataFrame,
    out: Path,
    inputs: Iterable[str | Path] = (),
    *,
    table: str = "",
    lang: str = "nb",
    threshold=None,
    levels: Mapping[str, float] | None = None,
) -> None:
    """Write ``frame`` to ``out`` by its suffix: see :func:`write_tables`."""
    write_tables({out: frame}, inputs, table=table, lang=lang, threshold=threshold, levels=levels)


def write_tables(
    tables: dict[Path, Any],
    inputs: Iterable[str | Path] = (),
    *,
    table: str = "",
    lang: str = "nb",
    threshold=None,
    levels: Mapping[str, float] | None = None,
) -> dict[Path, int]:
    """Write each table to its file, all or nothing; the rows written per file.

    By suffix: **Parquet** for programs, every column as it is (a table may also be an iterable
    of Arrow tables of one schema, written batch by batch: a national table is never held
    whole); **CSV and Excel for people** (:mod:`analysis.report.tables`: headers and words in
    ``lang``, shares with the threshold-safe number of decimals; CSV ``;``-separated with decimal
    comma and a byte-order mark so Norwegian Excel opens æ, ø, å and numbers right). An Excel
    file may hold several sheets: give a dict of sheet name (a label key or a plain name) ->
    frame. Text that would start a formula stays text (:mod:`analysis.outputs`).

    The files are written in a private temporary folder and renamed into place only when every
    one is complete (:class:`analysis.outputs.OutputFiles`: crash-safe, one run at a time, never
    over an input), so a crash or a full disk never leaves half a file or half a set.

    Args:
        table: which metric table ("flags", "integration", "survey"), for the column kinds.
        threshold: the gender threshold (decides how many decimals a share needs).
        levels: the settings' confidence levels, which a confidence interval's header says
            (:func:`analysis.charts.labels.confidence_levels`); needed where the table has one.
    """

    def for_people(frame):
        # the labels and formats for people (pandas, the chart labels) are loaded only here: a
        # Parquet table is written without them
        from analysis.charts.labels import thresholds_of
        from analysis.report import tables as t

        thresholds = thresholds_of(threshold) if table == "flags" else ()
        return t.people_table(frame, t.generic_columns(frame, table), lang, thresholds, levels)

    from analysis.outputs import OutputFiles

    rows: dict[Path, int] = {}
    with OutputFiles(list(tables), inputs) as temps:
        in_batches = {
            out: (temp, data)
            for temp, (out, data) in zip(temps, tables.items())
            if temp.suffix.lower() == ".parquet" and not hasattr(data, "to_parquet")
        }
        rows |= _write_parquet_tables(in_batches)
        for temp, (out, data) in zip(temps, tables.items()):
            suffix = temp.suffix.lower()
            if out in in_batches:
                continue
            if suffix == ".xlsx":
                from analysis.charts.labels import LABELS, label
                from analysis.report import tables as t

                sheets = data if isinstance(data, dict) else {table or "table": data}
                t.write_workbook(
                    [
                        (label(name, lang) if name in LABELS else name, for_people(frame))
                        for name, frame in sheets.items()
                    ],
                    temp,
                    lang,
                )
                rows[out] = sum(len(frame) for frame in sheets.values())
            elif suffix == ".parquet":
                data.to_parquet(temp, index=False)
                rows[out] = len(data)
            else:
                from analysis.report import tables as t

                t.write_csv_for_people(for_people(data), temp, lang)
                rows[out] = len(data)
    return rows


def _write_parquet_tables(tables: dict[Path, tuple[Path, Iterable]]) -> dict[Path, int]:
    """Write tables given in batches (out -> its temporary file, the batches), two at a time;
    the rows written per table.

    NOTE: the two threads earn ~1 s of ``kvalitet survey`` at 3 M respondents (its items and
    changes tables, 2.9 M rows: 3.0 s written one after the other, 1.8 s at once, same run):
    Arrow encodes and compresses without the GIL. If one fails or the run is interrupted, the
    others stop before their next batch."""
    import threading
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    if len(tables) < 2:
        return {out: _write_parquet_batches(data, temp) for out, (temp, data) in tables.items()}
    stop = threading.Event()
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="write")
    try:
        written = {out: pool.submit(_write_parquet_batches, data, temp, stop) for out, (temp, data) in tables.items()}
        wait(written.values(), return_when=FIRST_EXCEPTION)
        if any(future.done() and future.exception() is not None for future in written.values()):
            stop.set()
        wait(written.values())
        for future in written.values():  # the error itself, not a writer stopped because of it
            error = future.exception()
            if error is not None and not isinstance(error, _Stopped):
                raise error
        return {out: future.result() for out, future in written.items()}
    finally:
        stop.set()  # an interrupt: the writers stop at their next batch (their files are dropped)
        pool.shutdown(wait=True, cancel_futures=True)


def _write_parquet_batches(batches: Iterable, path: Path, stop: threading.Event | None = None) -> int:
    """Write Arrow tables of one schema, in order, as one Parquet file; the rows written. A
    national table is written a batch at a time and never held whole. ``stop``: when set,
    writing ends before the next batch is made (the file is then incomplete)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 0
    writer = None
    given = iter(batches)
    try:
        while True:
            if stop is not None and stop.is_set():
                raise _Stopped
            batch = next(given, None)
            if batch is None:
                break
            if writer is None:
                # NOTE: dictionary encoding only for the code columns: tried on every column (the
                # default), it doubles the time of writing the float columns and saves nothing.
                # Compressed, with statistics (pyarrow's defaults): without them writing took
                # half the time (0.77 → 0.38 CPU s at 3 M respondents), but the files grew by
                # half (148 → 234 MB), and a table for others to read is kept in the usual form.
                # Statistics (min/max) on every column but the floats: rows are in unit order, so
                # a row group's floats span most of their range (synthetic 3 M file: every row
                # group's means from ≤ 3.0 to ≥ 4.2, p-values 0 to 1) and a reader skips almost
                # none by them; without them the survey's tables cost ~0.09 CPU s less at 3 M
                # respondents (the stage 1.73 → 1.65 CPU s, median of 9 in-process), 0.1 MB smaller
                # Values are encoded _ENCODED_AT_ONCE at a time (Arrow's default: 1 024), see there
                coded = [f.name for f in batch.schema if pa.types.is_dictionary(f.type)]
                summed = [f.name for f in batch.schema if not pa.types.is_floating(f.type)]
                writer = pq.ParquetWriter(
                    path,
                    batch.schema,
                    use_dictionary=coded,
                    write_statistics=summed,
                    write_batch_size=_ENCODED_AT_ONCE,
                )
            if batch.num_rows:  # (no empty row group: an empty table is its schema alone)
                writer.write_table(batch)
            rows += batch.num_rows
    finally:
        if writer is not None:
            writer.close()
    _flush_to_disk(path)
    return rows


def _flush_to_disk(path: Path) -> None:
    """Flush a finished file to disk now, in its writer's thread.

    NOTE: what it earns: the commit flushes every file before it swaps them in
    (``analysis.outputs.OutputFiles.commit``), and waited ~0.5 s at 3 M respondents for the
    survey's 150 MB; flushed here, the first table to finish is on disk while the other is
    still being written, and the commit's flush finds less to wait for."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)  # (as the commit opens it)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: Values of a column the Parquet writer encodes at a time. NOTE: Arrow's default, 1 024, made
#: the survey tables at 3 M respondents cost 1.06–1.16 CPU s (items) and 0.61–0.71 (changes) to
#: encode; 16 K (an output batch of ``analysis.metrics.survey_tables``) 0.91–0.95 and 0.51–0.53,
#: with the same bytes in the file (64 K: 1.02 and 0.55)
_ENCODED_AT_ONCE = 1 << 14


class _Stopped(Exception):
    """A writer stopped because the other failed or the run was interrupted (never reaches the
    user: the first error is the one raised)."""


def write_or_print(
    table: pd.DataFrame,
    out: Path | None,
    command: str,
    readable: Callable[[pd.DataFrame], pd.DataFrame],
    summary: str = "",
    *,
    inputs: Iterable[str | Path] = (),
    lang: str = "nb",
    threshold=None,
    levels: Mapping[str, float] | None = None,
) -> int:
    """``--out FILE``: write the whole table and say so on stderr (with ``summary``); without
    it, print the columns an adviser reads first (``readable``). A closed pipe (``… | head``)
    is handled by the CLI."""
    if out:
        write_table(table, out, inputs, table=command, lang=lang, threshold=threshold, levels=levels)
        print(f"kvalitet {command}: wrote {len(table)} rows to {shown(out)}{summary}", file=sys.stderr)
    else:
        print_table(readable(table))
    return 0


def print_table(frame: pd.DataFrame, stream=None) -> None:
    """A readable table for the terminal: every row, no index."""
    import pandas as pd

    stream = stream or sys.stdout
    if frame.empty:
        print("(no rows)", file=stream)
        return
    with pd.option_context(
        "display.max_rows", None, "display.max_columns", None, "display.width", 200, "display.max_colwidth", 60
    ):
        print(frame.to_string(index=False), file=stream)
