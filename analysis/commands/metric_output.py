"""Writing a metric table: atomically, to CSV or Parquet, or as a readable table on stdout."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis.errors import InputError, Problem

#: Output formats by file suffix: Parquet for machines (every column, codes and English values),
#: CSV and Excel for people (labelled headers and words in --lang; CSV for Norwegian Excel).
OUTPUT_SUFFIXES = (".csv", ".parquet", ".xlsx")


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


def write_table(frame: pd.DataFrame, out: Path, *, table: str = "", lang: str = "nb", threshold=None) -> None:
    """Write ``frame`` to ``out`` atomically: Parquet as it is; CSV and Excel as a table for
    people (:mod:`analysis.report.tables`: headers and words in ``lang``, shares with the
    threshold-safe number of decimals, CSV ``;``-separated with decimal comma and a byte-order
    mark so Norwegian Excel opens æ, ø, å and numbers right).

    Args:
        table: which metric table ("flags", "integration", "survey"), for the column kinds.
        threshold: the gender threshold (decides how many decimals a share needs).
    """
    write_tables({table or "table": frame}, out, table=table, lang=lang, threshold=threshold)


def write_tables(frames: dict[str, pd.DataFrame], out: Path, *, table: str = "", lang: str = "nb",
                 threshold=None) -> None:
    """Several tables into one Excel file (one sheet each, named by the ``frames`` keys, which
    are label keys or plain names), or the first into a CSV/Parquet file. Atomic: written to a
    temporary file in the same folder and renamed over ``out`` only when complete, so a crash
    never leaves half a file and an earlier output stays intact."""
    from analysis.charts.labels import LABELS, label
    from analysis.report import tables as t

    suffix = out.suffix.lower()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}-", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    thresholds = t.thresholds_of(threshold) if table == "flags" else ()
    try:
        first = next(iter(frames.values()))
        if suffix == ".parquet":
            first.to_parquet(tmp, index=False)
        elif suffix == ".xlsx":
            sheets = [(label(name, lang) if name in LABELS else name,
                       t.people_table(frame, t.generic_columns(frame, table), lang, thresholds))
                      for name, frame in frames.items()]
            t.write_workbook(sheets, tmp, lang)
        else:
            t.write_csv_for_people(t.people_table(first, t.generic_columns(first, table), lang, thresholds), tmp, lang)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual permissions
        os.replace(tmp, out)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise InputError([Problem(str(out), None, None, None, f"cannot be written: {err.strerror}",
                                  "check the folder and that the file is not open in another program")]) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_or_print(table: pd.DataFrame, out: Path | None, command: str,
                   readable: Callable[[pd.DataFrame], pd.DataFrame], summary: str = "", *, lang: str = "nb",
                   threshold=None) -> int:
    """``--out FILE``: write the whole table and say so on stderr (with ``summary``); without
    it, print the columns an adviser reads first (``readable``). A closed pipe (``… | head``)
    is handled by the CLI."""
    if out:
        write_table(table, out, table=command, lang=lang, threshold=threshold)
        print(f"kvalitet {command}: wrote {len(table)} rows to {out}{summary}", file=sys.stderr)
    else:
        print_table(readable(table))
    return 0


def print_table(frame: pd.DataFrame, stream=None) -> None:
    """A readable table for the terminal: every row, no index."""
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
