"""Each respondent once: a respondent file, or respondents, delivered twice is an error.

Respondent-level Studiebarometeret data delivered twice would be counted twice (n = 3 becomes
6, and a mean below the minimum is published). Among the respondent files of one run:

1. **The same file under two names** (byte for byte the same content) is an error naming both.
2. **The same respondent id twice in a year**, in two files or in one, is an error naming both
   rows and the id, where the files have a respondent id column (:data:`ID_COLUMNS`, any
   spelling).
3. **Without ids, the same respondents**: in a programme × year (× institution and faculty when
   given) that two files both hold, if at least half of the smaller file's respondents there
   (at least one) have a row in the other file that is identical, answer for answer, it is an
   error naming both files, the programme, the year and the rows. Different respondents who
   answered alike stay possible, so a single alike pair among many is not a repeat; such data
   should carry a respondent id. Codes of digits are compared without their leading zeros:
   a copy saved again from Excel writes programme 001001 as 1001.

Files that share no programme × year cannot repeat a respondent and are not read again; only
files that do are read whole for the comparison.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from analysis.errors import InputError, Problem
from analysis.parsing import code_number, normalise_header

if TYPE_CHECKING:  # pandas is loaded when two files are compared: one file is counted without it
    import pandas as pd

DATASET = "survey_respondents"
#: Headers of a respondent id column (compared after :func:`normalise_header`).
ID_COLUMNS = (
    "respondent_id",
    "respondentid",
    "respondent",
    "resp_id",
    "respid",
    "lopenr",
    "løpenr",
    "løpenummer",
    "id",
)
_HINT = "give each respondent once: leave out the repeated file or rows"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _keys(result) -> pd.DataFrame:
    """The key columns (units, programme, year) of a read or opened respondent file, as text
    (the year as a number), one row per respondent in file order."""
    import pandas as pd

    from analysis.readers.survey_raw import PROGRAMME_KEY, UNIT_KEYS, YEAR_KEY

    if hasattr(result, "frame"):  # a read file (ReadResult)
        frame = result.frame
        frame = frame[[c for c in (*UNIT_KEYS, PROGRAMME_KEY, YEAR_KEY) if c in frame.columns]]
    else:  # an opened file (RespondentFile): its key columns read now, nothing else
        names = {key: name for key, name in result.keys.items()}
        table = result.read(list(names.values())).to_pandas()
        frame = pd.DataFrame({key: table[name] for key, name in names.items()})
    frame = frame.astype({c: "string" for c in frame.columns if c != YEAR_KEY})
    year = pd.to_numeric(frame[YEAR_KEY].astype("string").str.strip(), errors="coerce")
    # a whole number (Int64, shown "2024" as text, as the read frame's Int16 year) or unknown
    return frame.assign(**{YEAR_KEY: year.where(year == year.round()).astype("Int64")})


def _comparable(codes: pd.Series) -> pd.Series:
    """Codes as two files are compared: a code of digits without its leading zeros (Excel drops
    them when it saves a CSV again: programme 000123 and 123 are one programme delivered twice),
    any other code as written."""
    text = codes.astype("string")
    return text.map(code_number, na_action="ignore").astype("string").fillna(text)


def _row_numbers(path: Path) -> np.ndarray:
    """Every respondent's row as the person sees it, in file order."""
    from analysis.readers.survey_raw import open_survey_respondents

    file = open_survey_respondents(path)
    if file.lines is not None:
        return np.asarray(file.lines, dtype=np.int64)
    return np.arange(1, file.rows + 1, dtype=np.int64)


def _ignored(result) -> list[str]:
    ignored = getattr(result, "ignored", None)
    if ignored is None:
        ignored = getattr(result, "notes", {}).get("ignored_columns", [])
    return list(ignored)


def _id_column(result) -> str | None:
    names = {normalise_header(n): n for n in _ignored(result)}
    return next((names[n] for n in map(normalise_header, ID_COLUMNS) if n in names), None)


def check_deliveries(results: Sequence) -> None:
    """Raise :class:`InputError` when a respondent file or respondent is delivered twice among
    ``results`` (read or opened files; others are ignored). See the module docstring."""
    files = [r for r in results if getattr(r, "dataset", None) == DATASET]
    problems = [p for r in files for p in _ids_twice_in(r)]
    if len(files) > 1:
        problems += _same_files(files)
    if problems:
        raise InputError(problems)
    for i, first in enumerate(files):
        for second in files[i + 1 :]:
            try:
                problems.extend(_repeated_respondents(first, second))
            except InputError:
                # a file with invalid answers: its problems are reported when it is read (all
                # files' problems together); the comparison waits for valid files
                continue
    if problems:
        raise InputError(problems)


def _same_files(files: Sequence) -> list[Problem]:
    by_size: dict[int, list] = {}
    for r in files:
        by_size.setdefault(Path(r.path).stat().st_size, []).append(r)
    problems = []
    for group in by_size.values():
        if len(group) < 2:
            continue
        first_of: dict[str, object] = {}
        for r in group:
            digest = _sha256(Path(r.path))
            if digest in first_of:
                problems.append(
                    Problem(
                        str(r.path),
                        None,
                        None,
                        f"sha256 {digest[:12]}…",
                        f"the same respondent file as {first_of[digest].path} (the same content under two names); "
                        "its respondents would be counted twice",
                        "give only one of the two files",
                    )
                )
            else:
                first_of[digest] = r
    return problems


def _repeated_respondents(a, b) -> list[Problem]:
    from analysis.readers.survey_raw import YEAR_KEY

    keys_a, keys_b = _keys(a), _keys(b)
    years = set(keys_a[YEAR_KEY].dropna().astype(int)) & set(keys_b[YEAR_KEY].dropna().astype(int))
    if not years:
        return []
    id_a, id_b = _id_column(a), _id_column(b)
    if id_a and id_b:
        return _same_ids(a, b, id_a, id_b, years)
    common = [c for c in keys_a.columns if c in keys_b.columns]
    codes = [c for c in common if c != YEAR_KEY]
    keys_a, keys_b = (k.assign(**{c: _comparable(k[c]) for c in codes}) for k in (keys_a, keys_b))
    groups_a = keys_a[common].astype("string").drop_duplicates()
    shared = groups_a.merge(keys_b[common].astype("string").drop_duplicates(), how="inner")
    if shared.empty:
        return []
    return _same_rows(a, b, common, shared)


def _column_of(path: Path, name: str) -> pd.Series:
    """One column of a respondent file, as text, in file order (rows as the reader keeps them)."""
    import pandas as pd

    from analysis.readers.survey_raw import open_survey_respondents

    scan = open_survey_respondents(path)
    if scan.fmt == "parquet":
        return pd.read_parquet(path, columns=[name])[name].astype("string").reset_index(drop=True)
    if scan.fmt == "xlsx":
        from analysis.readers.xlsx import read_sheet

        sheet = read_sheet(path)
        values = [row[sheet.header.index(name)] if sheet.header.index(name) < len(row) else None for row in sheet.rows]
        return pd.Series(values, dtype="object").map(lambda v: None if v is None else str(v)).astype("string")
    from analysis.readers.base import read_text_table

    return pd.Series(read_text_table(path).frame()[name].tolist(), dtype="string").str.strip()


def _ids_of(r, name: str) -> pd.DataFrame:
    """A file's respondent ids with their year and row (rows without an id left out)."""
    import pandas as pd

    from analysis.readers.survey_raw import YEAR_KEY

    ids = pd.DataFrame(
        {
            "id": _column_of(Path(r.path), name).to_numpy(),
            "year": _keys(r)[YEAR_KEY].to_numpy(),
            "row": _row_numbers(Path(r.path)),
        }
    )
    return ids[ids["id"].notna() & (ids["id"] != "")]


def _ids_twice_in(r) -> list[Problem]:
    """Rule 2 within one file: a respondent id twice in a year (a file with an id column)."""
    name = _id_column(r)
    if name is None:
        return []
    ids = _ids_of(r, name)
    twice = ids[ids.duplicated(["id", "year"], keep=False)]
    if twice.empty:
        return []
    first_id, first_year = twice.iloc[0]["id"], twice.iloc[0]["year"]
    rows = twice.loc[(twice["id"] == first_id) & (twice["year"] == first_year), "row"].astype(int).tolist()
    repeated = twice[["id", "year"]].drop_duplicates()
    return [
        Problem(
            str(r.path),
            rows[1],
            name,
            first_id,
            f"respondent id {first_id} ({int(first_year)}) is also in row {rows[0]} of this file"
            + (f"; {len(repeated)} respondent ids are given more than once" if len(repeated) > 1 else "")
            + "; they would be counted twice",
            _HINT,
        )
    ]


def _same_ids(a, b, id_a: str, id_b: str, years: set[int]) -> list[Problem]:

    fa, fb = (f[f["year"].isin(years)] for f in (_ids_of(a, id_a), _ids_of(b, id_b)))
    both = fa.merge(fb, on=["id", "year"], suffixes=("_a", "_b"))
    if both.empty:
        return []
    first = both.iloc[0]
    return [
        Problem(
            str(b.path),
            int(first["row_b"]),
            id_b,
            first["id"],
            f"respondent id {first['id']} ({int(first['year'])}) is also in {a.path} row {int(first['row_a'])}"
            + (f"; {len(both)} respondent ids of {int(first['year'])} are in both files" if len(both) > 1 else "")
            + "; they would be counted twice",
            _HINT,
        )
    ]


def _same_rows(a, b, common: list[str], shared: pd.DataFrame) -> list[Problem]:
    import pandas as pd

    from analysis.readers.detect import read_path
    from analysis.readers.survey_raw import KIND, PROGRAMME_KEY, YEAR_KEY
    from schemas.survey_layout import SOURCE_ROW, item_columns

    tables = []
    for r in (a, b):
        frame = read_path(Path(r.path), KIND).frame  # the validated respondent frame
        # (its rows as the person sees them: the frame keeps them)
        tables.append(frame.assign(_row=frame[SOURCE_ROW].to_numpy(dtype=np.int64)))
    # the answers compared (not the file and row each respondent came from)
    items = [c for c in item_columns(tables[0].columns) if c in tables[1].columns]
    cols = common + items
    codes = [c for c in common if c != YEAR_KEY]
    ta, tb = (
        t[cols + ["_row"]]
        .astype({c: "string" for c in common})
        .assign(_written=lambda t: t[PROGRAMME_KEY])
        .assign(**{c: (lambda t, c=c: _comparable(t[c])) for c in codes})
        .merge(shared, on=common, how="inner")
        for t in tables
    )
    ha = pd.util.hash_pandas_object(ta[cols].astype("string").fillna("\x00"), index=False)
    hb = pd.util.hash_pandas_object(tb[cols].astype("string").fillna("\x00"), index=False)
    ta, tb = ta.assign(_hash=ha.to_numpy()), tb.assign(_hash=hb.to_numpy())
    problems = []
    for group, rows_a in ta.groupby(common, sort=True, dropna=False):
        key = dict(zip(common, group if isinstance(group, tuple) else (group,)))
        rows_b = tb.loc[(tb[common] == pd.Series(key)).all(axis=1)]
        smaller, other = (rows_a, rows_b) if len(rows_a) <= len(rows_b) else (rows_b, rows_a)
        repeated = smaller[smaller["_hash"].isin(set(other["_hash"]))]
        if len(repeated) == 0 or 2 * len(repeated) < len(smaller):
            continue
        match_b = rows_b[rows_b["_hash"].isin(set(rows_a["_hash"]))]
        match_a = rows_a[rows_a["_hash"].isin(set(rows_b["_hash"]))]
        written_a, written_b = match_a["_written"].iloc[0], match_b["_written"].iloc[0]
        programme = written_b if written_a == written_b else f"{written_b} ({written_a} there)"
        unit = f"programme {programme}, {key[YEAR_KEY]}"
        problems.append(
            Problem(
                str(b.path),
                int(match_b["_row"].iloc[0]),
                None,
                f"{len(match_b)} respondents",
                f"the same respondents as in {a.path} ({unit}: rows {_rows(match_b['_row'])} here are identical, "
                f"answer for answer, to rows {_rows(match_a['_row'])} there); they would be counted twice",
                _HINT + " (respondents who really answered alike need a respondent id column, e.g. respondent_id)",
            )
        )
    return problems


def _rows(rows: pd.Series, most: int = 5) -> str:
    shown = ", ".join(str(int(r)) for r in rows.iloc[:most])
    return shown + (f" and {len(rows) - most} more" if len(rows) > most else "")
