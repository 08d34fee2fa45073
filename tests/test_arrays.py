"""analysis.arrays: Arrow arrays read as numpy from their buffers (what kvalitet survey reads
cells through). Expected values are the cells as written."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from analysis.arrays import blank_of, values_of


def test_unsigned_cells_keep_their_value():
    # 200 as uint8 is 200; read as a signed byte it would be 200 - 256 = -56
    values = values_of(pa.array([200, 3], type=pa.uint8()))
    assert values.tolist() == [200, 3]
    assert values.dtype == np.uint8


def test_an_empty_array_without_buffer_is_empty_of_its_type():
    empty = pa.Array.from_buffers(pa.int16(), 0, [None, None])
    values = values_of(empty)
    assert len(values) == 0
    assert values.dtype == np.int16


def test_a_column_of_nulls_is_blank_everywhere_as_booleans():
    blank = blank_of(pa.nulls(3))
    assert blank.dtype == bool
    assert blank.tolist() == [True, True, True]
    # a boolean mask selects; a float one would not
    assert np.array([1, 2, 3])[~blank].tolist() == []


def test_signed_cells_keep_their_sign():
    # -1 as int8 is -1; read as an unsigned byte it would be 255
    assert values_of(pa.array([-1, 5], type=pa.int8())).tolist() == [-1, 5]
