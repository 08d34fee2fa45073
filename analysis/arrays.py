"""numpy arrays to Arrow arrays and back, without pandas.

pyarrow imports pandas, when it is installed, the first time it converts between numpy and
Arrow (``pa.array``, ``Array.to_numpy``, ``pa.table`` of a dict): that costs ``kvalitet survey``
~60 MB and ~0.3 s, a quarter of its whole budget (benchmarks/bench_survey.py), for arrays it
never needs as pandas objects. These functions build the same arrays from the buffers
themselves, which pyarrow does not check for pandas. Reading and writing Parquet do not import
pandas either.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa


def values_of(array: pa.Array) -> np.ndarray:
    """A number array's values as they lie in Arrow's buffer (no copy); a blank cell holds
    whatever the writer put there (see :func:`blank_of`)."""
    kind = "f" if pa.types.is_floating(array.type) else "u" if pa.types.is_unsigned_integer(array.type) else "i"
    dtype = np.dtype(f"{kind}{array.type.bit_width // 8}")
    data = array.buffers()[1]
    if data is None:  # an empty array may have no buffer
        return np.zeros(0, dtype)
    return np.frombuffer(data, dtype=dtype, count=len(array) + array.offset)[array.offset :]


def blank_of(array: pa.Array) -> np.ndarray | None:
    """True where a cell is null, or None when none is."""
    if not array.null_count:
        return None
    if pa.types.is_null(array.type):
        return np.ones(len(array), dtype=bool)
    bits = np.unpackbits(np.frombuffer(array.buffers()[0], np.uint8), bitorder="little")
    return ~bits[array.offset : array.offset + len(array)].astype(bool)


def blanks_of(column: pa.ChunkedArray) -> np.ndarray | None:
    """True where a cell of a chunked column is null, or None when none is."""
    if not column.null_count:
        return None
    parts = [blank_of(chunk) for chunk in column.chunks]
    return np.concatenate([np.zeros(len(c), bool) if b is None else b for b, c in zip(parts, column.chunks)])


def array_of(values: np.ndarray, blank: np.ndarray | None = None) -> pa.Array:
    """A numpy array of numbers or booleans as an Arrow array, null where ``blank`` is True."""
    values = np.ascontiguousarray(values)
    validity = None
    nulls = 0
    if blank is not None and blank.any():
        validity = pa.py_buffer(np.packbits(~blank, bitorder="little"))
        nulls = int(blank.sum())
    if values.dtype == bool:
        return pa.Array.from_buffers(
            pa.bool_(), len(values), [validity, pa.py_buffer(np.packbits(values, bitorder="little"))], nulls
        )
    return pa.Array.from_buffers(
        pa.from_numpy_dtype(values.dtype), len(values), [validity, pa.py_buffer(values)], nulls
    )


def strings_of(words: list[str]) -> pa.Array:
    """A list of text as an Arrow string array."""
    data = [w.encode() for w in words]
    offsets = np.zeros(len(data) + 1, dtype=np.int32)
    np.cumsum([len(d) for d in data], out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(data), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))])


def dictionary_of(codes: np.ndarray, words: pa.Array, blank: np.ndarray | None = None) -> pa.Array:
    """Codes (positions in ``words``) as an Arrow dictionary array, null where ``blank`` is True."""
    indices = array_of(codes, blank)
    return pa.DictionaryArray.from_buffers(
        pa.dictionary(indices.type, words.type), len(indices), indices.buffers(), words, indices.null_count
    )
