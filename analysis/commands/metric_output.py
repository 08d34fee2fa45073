"""Writing a metric table: atomically, to CSV or Parquet, or as a readable table on stdout."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import InputError, Problem

if TYPE_CHECKING:  # loaded where a table is written (the CLI starts without pandas)
    import pandas as pd

#: Output formats by file suffix.
OUTPUT_SUFFIXES = (".csv", ".parquet")


def unique_files(files: list[Path]) -> list[Path]:
    """Each file once, even when given twice (as a file and inside a folder): respondents or
    counts read twice would be counted twice."""
    seen: dict[Path, Path] = {}
    for f in files:
        try:
            key = f.resolve()
        except OSError:
            key = f
        seen.setdefault(key, f)
    return list(seen.values())


def check_out_path(out: Path | None) -> str | None:
    """A usage message when ``out`` cannot be written as a table, else None."""
    if out is None:
        return None
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        return f"--out must end in {' or '.join(OUTPUT_SUFFIXES)}, got {out.name}"
    if out.exists() and out.is_dir():
        return f"--out {out} is a folder; give a file name"
    if not out.parent.exists():
        return f"the folder {out.parent} does not exist"
    return None


def write_table(frame: pd.DataFrame, out: Path) -> None:
    """Write ``frame`` to ``out`` (CSV or Parquet by suffix) atomically.

    The table is written to a temporary file in the same folder and renamed over ``out`` only
    when complete, so a crash never leaves half a file and an earlier output stays intact.
    CSV is UTF-8 with a byte-order mark so that Excel shows æ, ø and å correctly.
    """
    suffix = out.suffix.lower()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}-", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual permissions
        os.replace(tmp, out)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise InputError([Problem(str(out), None, None, None, f"cannot be written: {err.strerror}",
                                  "check the folder and that the file is not open in another program")]) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_parquet_batches(batches: Iterable, out: Path) -> int:
    """Write Arrow tables of one schema, in order, as one Parquet file at ``out``, atomically
    (as :func:`write_table`); returns the rows written. A national table is written a batch at
    a time and never held whole."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}-", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    rows = 0
    try:
        writer = None
        for batch in batches:
            if writer is None:
                # NOTE: dictionary encoding only for the code columns: tried on every column (the
                # default), it doubles the time of writing the float columns and saves nothing
                coded = [f.name for f in batch.schema if pa.types.is_dictionary(f.type)]
                writer = pq.ParquetWriter(tmp, batch.schema, use_dictionary=coded)
            if batch.num_rows or not rows:
                writer.write_table(batch)
            rows += batch.num_rows
        if writer is not None:
            writer.close()
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, out)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise InputError([Problem(str(out), None, None, None, f"cannot be written: {err.strerror}",
                                  "check the folder and that the file is not open in another program")]) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return rows


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_or_print(table: pd.DataFrame, out: Path | None, command: str,
                   readable: Callable[[pd.DataFrame], pd.DataFrame], summary: str = "") -> int:
    """``--out FILE``: write the whole table and say so on stderr (with ``summary``); without
    it, print the columns an adviser reads first (``readable``). A closed pipe (``… | head``)
    is handled by the CLI."""
    if out:
        write_table(table, out)
        print(f"kvalitet {command}: wrote {len(table)} rows to {out}{summary}", file=sys.stderr)
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
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 60):
        print(frame.to_string(index=False), file=stream)


def percent(values: pd.Series, decimals: int = 1) -> pd.Series:
    """Fractions 0–1 as "40.0 %" text; missing stays empty.

    A share that is not a whole percentage but would round onto one gets one more decimal:
    799 of 2000 (39.95 %, flagged) reads "39.95 %", never "40.0 %".
    """
    pct = values.astype("Float64") * 100
    whole = pct.round(0)
    onto_whole = (pct.round(decimals) == whole) & ((pct - whole).abs() > 1e-9)
    shown = pct.round(decimals).where(~onto_whole.fillna(False), pct.round(decimals + 1))
    text = shown.astype("string") + " %"
    return text.fillna("")
