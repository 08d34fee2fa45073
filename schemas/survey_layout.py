"""NOKUT's respondent-level layout, as names only (no pandas): shared by the contract
(:mod:`schemas.studiebarometeret`), the reader and the counting engine."""

from __future__ import annotations

import re

from analysis.parsing import LAST_YEAR as LAST_YEAR  # (the survey's readers and contracts take it from here)

#: NOKUT's questions named as items whose answers are not on the 1–5 scale, by what they are
#: answered in (the variable list 2021–2025,
#: data/raw/studiebarometeret_variabler_2021_2025_fra_oslomet_maler.csv, none in an index:
#: ``er_indeks`` nei):
#:
#: * time use, hours a week (``tidsbruk_egeninns_14``, ``tidsbruk_laerakt_14``,
#:   ``tidsbruk_arbeid_14``; block TIDSBRUK, "Anslå hvor mange timer per uke …"; OsloMet's code,
#:   ``SB_add_sum_tid``, sums them as hours and keeps a sum of 12 to 60);
#: * attendance on campus, days a week (``campus_oppmote_25``, 2025, and its recoding
#:   ``campus_oppmote_25_omkoda``; block CAMPUS);
#: * why the student chose the place and the programme, 1–3 ("[1 (Ikke viktig) - 2 (Litt viktig)
#:   - 3 (Viktig)]": ``studsted_*_23``, ``studprog_*_23``; blocks VALG AV STUDIESTED and VALG AV
#:   STUDIEPROGRAM, 2023–);
#: * use of artificial intelligence, 1–4 ("[1 (Bruker ikke) - … - 4 (Bruker ofte)]":
#:   ``bruker_ki_23``);
#: * what AI is used for, ticked or not ("Flere svar mulig. (Andel avkrysset per bruksområde)":
#:   ``ki_gentekst_23`` … ``ki_multimed_23``, a share of those who ticked, not a mean).
#:
#: An answer of 15 hours read as an item refused the whole file ("not a valid answer"), and the
#: others were "means" of another scale beside the 1–5 scores (the 1–3 importance of a reason, a
#: share of ticks). Passed over as background columns are, and said in a note
#: (:func:`not_on_the_scale`); :data:`ITEM_NAME` leaves them out by this one list.
NOT_ON_THE_SCALE_QUESTIONS: dict[str, str] = {
    r"tidsbruk_[a-z0-9_]+": "time use (hours a week)",
    r"campus_oppmote_[a-z0-9_]+": "attendance on campus (days a week)",
    r"studsted_[a-z0-9]+_23": "why this place of study (1–3: not, a little, important)",
    r"studprog_[a-z0-9]+_23": "why this programme (1–3: not, a little, important)",
    r"bruker_ki_23": "use of artificial intelligence (1–4: not … often)",
    r"ki_(?:gentekst|redtekst|oversette|oppsum|forklare|partner|kode|multimed)_23": (
        "what artificial intelligence is used for (ticked or not)"
    ),
}
NOT_ON_THE_SCALE = re.compile(rf"^(?:{'|'.join(NOT_ON_THE_SCALE_QUESTIONS)})$")

#: A NOKUT item variable: lower-case words joined by "_" ending in the two-digit year the
#: question was introduced (``underv_engasj_18``, ``overord_altialt_13``). NOKUT's own indices
#: (``indeks_*``) and OsloMet's (``indx_*``) are derived values, not answers; the questions of
#: :data:`NOT_ON_THE_SCALE` are not answered on the 1–5 scale.
ITEM_NAME = re.compile(
    rf"^(?!(?:indeks|indx)_)(?!(?:{'|'.join(NOT_ON_THE_SCALE_QUESTIONS)})$)[a-z][a-z0-9]*(?:_[a-z0-9]+)*_\d{{2}}$"
)
PROGRAMME_KEY = "studprog_kod"
YEAR_KEY = "aar"
#: The columns that place a respondent's programme: its institution and its faculty there.
INSTITUTION_KEY = "institusjonskode"
FACULTY_KEY = "fakultetskode"
#: Each row's file and its row there (header = row 1), named as every validated dataset names
#: them (:class:`schemas.common.Provenance`).
SOURCE_FILE, SOURCE_ROW = "source_file", "source_row"
#: Studiebarometeret started in 2013; a year after :data:`LAST_YEAR` is a broken cell (as in
#: every source: :data:`analysis.parsing.LAST_YEAR`).
FIRST_YEAR = 2013


def item_columns(columns) -> list[str]:
    """The answer columns of a respondent-level table, in file order."""
    return [c for c in columns if isinstance(c, str) and ITEM_NAME.match(c)]


def not_on_the_scale(columns) -> list[str]:
    """The columns of NOKUT's questions not answered on the 1–5 scale (:data:`NOT_ON_THE_SCALE`),
    in file order: not items, and named so in the survey's notes."""
    return [c for c in columns if isinstance(c, str) and NOT_ON_THE_SCALE.match(c.strip().lower())]


def not_on_the_scale_as(name: str) -> str:
    """What the question ``name`` (one of :func:`not_on_the_scale`) is answered in."""
    key = name.strip().lower()
    return next(what for pattern, what in NOT_ON_THE_SCALE_QUESTIONS.items() if re.fullmatch(pattern, key))
