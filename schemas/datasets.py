"""Names of validated datasets that code refers to as a group, as names only (no pandas, no
pandera): the report notebooks read the stages through :mod:`analysis.pipeline`, which names
them, and need not load the contracts to do so."""

from __future__ import annotations

#: DBH's name tables (210, 347, 457, 211) by their validated dataset names: what names the units
#: in the gender flags (``analysis.metrics.gender.gender_flags`` takes each as an argument).
NAME_TABLES = ("faculties", "programmes", "departments", "institutions")
