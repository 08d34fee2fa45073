"""pandera contracts of the validated and derived stages, one model per table.

The raw stage is the text as the source delivers it. Its contract is the column specification
of each reader (``analysis/readers/*``: ``T123_COLUMNS``, ``SAMPLE_COLUMNS`` …), which reads
every cell with a parser that can say *why* a value is wrong ("a count cannot be negative",
"a percentage cannot be above 100 %") — something a pandera check on text can only say in one
fixed sentence per check. Everything after that is a pandera model here, validated lazily so
that all problems are reported at once.

Check errors are written ``"what is wrong|what to do"`` so that :mod:`analysis.errors` can
report them to an adviser as ``FILE:ROW:COLUMN: VALUE — what is wrong (what to do)``.

The package itself imports nothing, so that a light module here (``schemas.survey_layout``:
names only) can be used without loading pandera.
"""

#: Every tidy frame that comes from a file carries where each row came from.
PROVENANCE_COLUMNS = ("source_file", "source_row")

__all__ = ["PROVENANCE_COLUMNS"]
