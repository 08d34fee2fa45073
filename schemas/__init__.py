"""pandera contracts, one model per table per stage (raw -> validated -> derived).

Check errors are written ``"what is wrong|what to do"`` so that :mod:`analysis.errors` can
report them to an adviser as ``FILE:ROW:COLUMN: VALUE — what is wrong (what to do)``.
"""

import pandera.pandas as pa

#: Every tidy frame that comes from a file carries where each row came from.
PROVENANCE_COLUMNS = ("source_file", "source_row")

__all__ = ["pa", "PROVENANCE_COLUMNS"]
