"""NOKUT's respondent-level layout, as names only (no pandas): shared by the contract
(:mod:`schemas.studiebarometeret`), the reader and the counting engine."""

from __future__ import annotations

import re

#: NOKUT's questions named as items whose answers are not on the 1–5 scale: time use, hours a
#: week (``tidsbruk_egeninns_14``, ``tidsbruk_laerakt_14``, ``tidsbruk_arbeid_14``), and
#: attendance on campus, days a week (``campus_oppmote_25``, 2025; ``campus_oppmote_25_omkoda``
#: its recoding in OsloMet's variable list). NOTE: the variable list 2021–2025 has them in the
#: blocks TIDSBRUK ("Anslå hvor mange timer per uke …", derived as ``tid_*``) and CAMPUS ("Hvor
#: mange dager i uken møter du opp ved lærestedet …"), neither in an index (``er_indeks`` nei);
#: OsloMet's code (Studentsvar, ``SB_add_sum_tid``) sums the three ``tidsbruk_*_14`` columns of
#: NOKUT's delivery as hours and keeps a sum of 12 to 60. An answer of 15 hours read as an item
#: refused the whole file ("not a valid answer"), and a day count within 1–5 would have been a
#: "mean" beside the scores. Passed over as background columns are, and said in a note
#: (:func:`not_on_the_scale`); :data:`ITEM_NAME` leaves them out by this one list.
HOURS_OR_DAYS = ("tidsbruk", "campus_oppmote")
NOT_ON_THE_SCALE = re.compile(rf"^(?:{'|'.join(HOURS_OR_DAYS)})_")

#: A NOKUT item variable: lower-case words joined by "_" ending in the two-digit year the
#: question was introduced (``underv_engasj_18``, ``overord_altialt_13``). NOKUT's own indices
#: (``indeks_*``) and OsloMet's (``indx_*``) are derived values, not answers; the questions of
#: :data:`NOT_ON_THE_SCALE` are answered in hours or days.
ITEM_NAME = re.compile(
    rf"^(?!(?:{'|'.join(('indeks', 'indx', *HOURS_OR_DAYS))})_)[a-z][a-z0-9]*(?:_[a-z0-9]+)*_\d{{2}}$"
)
PROGRAMME_KEY = "studprog_kod"
YEAR_KEY = "aar"
#: Each row's file and its row there (header = row 1), named as every validated dataset names
#: them (:class:`schemas.common.Provenance`).
SOURCE_FILE, SOURCE_ROW = "source_file", "source_row"
#: Studiebarometeret started in 2013; a later year than this is a broken cell.
FIRST_YEAR, LAST_YEAR = 2013, 2100


def item_columns(columns) -> list[str]:
    """The answer columns of a respondent-level table, in file order."""
    return [c for c in columns if isinstance(c, str) and ITEM_NAME.match(c)]


def not_on_the_scale(columns) -> list[str]:
    """The columns of NOKUT's questions answered in hours or days (:data:`NOT_ON_THE_SCALE`), in
    file order: not items, and named so in the survey's notes."""
    return [c for c in columns if isinstance(c, str) and NOT_ON_THE_SCALE.match(c.strip().lower())]
