"""Which institution a text names, and the names an institution goes by: the one rule, used by
SHoT's places and remarks, the report's own rows and the integration extract's rows.

- A text **names an institution** (:func:`names_an_institution`) when it holds a word of the
  kinds of institution (:data:`INSTITUTION_WORDS`: *universitet*, *høgskole* …), a name DBH gives
  an institution (``data/reference/dbh_institusjonsnavn.csv``, as words, any case: "Noroff"), or
  a known abbreviation (:data:`INSTITUTION_ABBREVIATIONS`) written as one, with a capital after
  its first letter ("NTNU-nyhet", "UiT", "OsloMet"). "nord", "inn", "Nord-Norge" and "Kristiania"
  are words and places, not Nord universitet, INN and Høyskolen Kristiania: named in full, those
  are found by their words.
- The **names of institution X** (:func:`names_of`): its abbreviation
  (:data:`INSTITUTION_ABBREVIATIONS`, its short name :data:`SHORT_NAMES` among them), every name
  DBH gave its code (a name two codes had at different times is the one's that had it last, as
  the readers give it its code), and its data's own: DBH's
  name columns and table 211's short name, each part of a name written "A - B" ("Universitetet i
  Tromsø - Norges arktiske universitet") that DBH gives no other code ("Høyskolen Kristiania", a
  part of 1402's name, is 8253's), and the abbreviation DBH names its unspecified sub-unit
  by ("UiT (uspesifisert underenhet)").
- A text **names institution X** (:func:`names_one_of`) when one of X's names is in it as a word,
  any case, an abbreviation written as one ("UiT-tall" names UiT, "søker inn" not INN; "1130 svar"
  names no one: a code is no name in a text). A
  table's institution cell **is** institution X (:func:`is_institution`) when it is one of X's
  names or X's DBH code, compared as DBH's names are (:func:`analysis.readers.institution_names.name_key`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from analysis.org_units import UNSPECIFIED_DEPARTMENT

#: Institutions whose report says a short name where DBH's full name would be long: titles,
#: tables and charts say "NTNU". Each is one of its abbreviations (:data:`INSTITUTION_ABBREVIATIONS`
#: is made with them); its full name is DBH's. Add a line for another institution.
SHORT_NAMES: dict[str, str] = {"1150": "NTNU", "1173": "NMBU"}

#: Words of the kinds of institution: a text holding one names a university or university college.
INSTITUTION_WORDS = re.compile(
    r"universitet|høgskole|høgskule|høyskole|høyskule|akademi|handelshøyskole|politihøgskole", re.IGNORECASE
)
#: Norwegian universities and university colleges by their usual abbreviations, with the DBH
#: code of the one each names (data/reference/dbh_institusjonsnavn.csv): HVL is 0238's name
#: though its data never write it. NOTE: the Samordna opptak sample and the 2017 integration
#: extract name institutions instead of giving DBH codes, and write NTNU by its short name,
#: which DBH's name table does not hold.
INSTITUTION_ABBREVIATIONS: dict[str, str] = {
    **{short: code for code, short in SHORT_NAMES.items()},
    "UiO": "1110",
    "UiB": "1120",
    "UiT": "1130",
    "UiA": "1171",
    "UiS": "1160",
    "OsloMet": "1175",
    "USN": "1176",
    "HVL": "0238",
    "NHH": "1240",
    "NORD": "1174",
    "HiØ": "0256",
    "HiMolde": "0232",
    "HiM": "0232",
    "INN": "0264",
    "NIH": "1260",
    "NMH": "1210",
    "KHiO": "6220",
    "AHO": "1220",
    "BI": "8241",
    "VID": "8208",
    "MF": "8221",
    "DMMH": "8224",
    "SH": "0217",
    "PHS": "1301",
    "HVO": "0236",
    "NLA": "8223",
    "KRISTIANIA": "8253",
    "FIH": "8234",
}

_ABBREVIATIONS = {a.upper() for a in INSTITUTION_ABBREVIATIONS}


def _as_word(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for ``names`` as words, any case, "høgskole" in either spelling
    (:data:`analysis.readers.institution_names.HOGSKOLE`); None for no name."""
    from analysis.readers.institution_names import HOGSKOLE

    alternatives = sorted(
        {HOGSKOLE.sub("[gy]", re.escape(n.strip())) for n in names if n.strip()}, key=len, reverse=True
    )
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE) if alternatives else None


def _spelled(name: str) -> str:
    """``name`` as names are found in a text: any case, "høgskole" in either spelling."""
    from analysis.readers.institution_names import HOGSKOLE

    return HOGSKOLE.sub("g", name.strip().casefold())


@lru_cache(maxsize=1)
def _dbh_table() -> pd.DataFrame:
    """DBH's institution names with their codes (``data/reference/dbh_institusjonsnavn.csv``)."""
    from analysis.readers.institution_names import INSTITUTION_NAMES

    if not INSTITUTION_NAMES.exists():
        return pd.DataFrame({"Institusjonskode": [], "Institusjonsnavn": []}, dtype=str)
    return pd.read_csv(INSTITUTION_NAMES, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")


@lru_cache(maxsize=1)
def _dbh_names() -> dict[str, tuple[str, ...]]:
    """DBH institution code -> every name DBH gave it, a name two codes had at different times
    being the one's that had it last ("Høyskolen for dansekunst" 8254's, 1408's until 2018): as
    the readers give a name without a year its code
    (:func:`analysis.readers.institution_names.codes_of_name`)."""
    from analysis.readers.institution_names import codes_of_each

    names: dict[str, tuple[str, ...]] = {}
    every = list(dict.fromkeys(_dbh_table()["Institusjonsnavn"]))
    for name, codes in zip(every, codes_of_each(every), strict=True):
        if len(codes) == 1:
            names[codes[0]] = (*names.get(codes[0], ()), name)
    return names


def _with_parts(name: str) -> tuple[str, ...]:
    """``name`` and each part of it written "A - B" (any dash)."""
    return (name, *(p for p in re.split(r"\s+[-–—]\s+", name) if p != name))


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, frozenset[str]]:
    """Every DBH code each name or part of a name (compared as :func:`name_key` compares them)
    belongs to: a part one code goes by may be another's whole name ("Høyskolen Kristiania" is
    8253's, and a part of 1402's and 1403's)."""
    from analysis.readers.institution_names import name_key

    table = _dbh_table()
    pairs = [
        (code, n) for code, name in zip(table["Institusjonskode"], table["Institusjonsnavn"]) for n in _with_parts(name)
    ]
    codes: dict[str, set[str]] = {}
    for (code, _name), key in zip(pairs, name_key(pd.Series([n for _c, n in pairs], dtype="string"))):
        codes.setdefault(key, set()).add(code)
    return {key: frozenset(c) for key, c in codes.items()}


@lru_cache(maxsize=1)
def _any_dbh_name() -> re.Pattern[str] | None:
    return _as_word(n for names in _dbh_names().values() for n in names)


def _as_abbreviation(word: str) -> bool:
    """Whether ``word`` is a known abbreviation written as one, with a capital after its first
    letter ("UiT", "HVL"): "inn", "Nord" and "vid" are words."""
    return word.upper() in _ABBREVIATIONS and word[1:] != word[1:].lower()


def names_an_institution(text: str) -> bool:
    """Whether ``text`` names a university or university college (the module's rule)."""
    if INSTITUTION_WORDS.search(text):
        return True
    if any(_as_abbreviation(w) for w in re.findall(r"[^\W\d_]+", text)):
        return True
    dbh = _any_dbh_name()
    return dbh is not None and dbh.search(text) is not None


def names_of(code: str, own: pd.DataFrame | None = None) -> tuple[str, ...]:
    """Every name institution ``code`` goes by (the module's rule), ``own`` being its rows of the
    data (columns ``institution_name``, ``institution_short_name``, ``unit_code``, ``unit_name``,
    each where present). UiT has no short name (:data:`SHORT_NAMES`): its report dropped its own
    "UiT" remarks as another institution's until its data's names counted."""
    own = pd.DataFrame() if own is None else own
    abbreviations = [a for a, of in INSTITUTION_ABBREVIATIONS.items() if of == code]
    names = [*_dbh_names().get(code, ()), *abbreviations]
    for column in ("institution_name", "institution_short_name"):
        names += [str(name) for name in (own[column].dropna().unique() if column in own else ())]
    # each part of a name "A - B" is a name too, DBH's as much as the data's, unless DBH gives it
    # another code: a part two codes go by is neither's, as a whole name two codes had is not
    from analysis.readers.institution_names import name_key

    parts = [p for name in names for p in _with_parts(name)[1:]]
    others = [
        bool(_codes_by_name().get(key, frozenset({code})) - {code})
        for key in name_key(pd.Series(parts, dtype="string"))
    ]
    names += [p for p, theirs in zip(parts, others) if not theirs]
    if {"unit_code", "unit_name"} <= set(own):
        unspecified = own.loc[own["unit_code"] == UNSPECIFIED_DEPARTMENT, "unit_name"].dropna()
        names += [str(n).split(" (uspesifisert")[0] for n in unspecified.unique() if "(uspesifisert" in str(n)]
    return tuple(dict.fromkeys(n.strip() for n in names if n.strip()))


@lru_cache(maxsize=16)
def _naming(names: tuple[str, ...]) -> tuple[re.Pattern[str] | None, frozenset[str]]:
    """One pattern for ``names`` and every name DBH gives an institution, and ``names`` as found."""
    return _as_word((*names, *_dbh_table()["Institusjonsnavn"])), frozenset(_spelled(n) for n in names)


def names_one_of(text: str, names: Iterable[str]) -> bool:
    """Whether ``text`` names one of ``names`` (an institution's, :func:`names_of`) as a word, any
    case, where no longer name DBH gives an institution begins ("Høgskolen i Oslo og Akershus"
    names 0257, not 0253 "Høgskolen i Oslo")."""
    pattern, own = _naming(tuple(names))
    # the pattern tries the longest name first, so each match is the whole name written there
    # an abbreviation counts written as one, as for :func:`names_an_institution` ("inn" is no INN)
    return pattern is not None and any(
        _spelled(m.group(0)) in own and (m.group(0).upper() not in _ABBREVIATIONS or _as_abbreviation(m.group(0)))
        for m in pattern.finditer(text)
    )


def is_institution(values: pd.Series, code: str, names: Iterable[str]) -> pd.Series:
    """Whether each of ``values`` (a table's institution cells) is institution ``code``: its code
    or one of its ``names`` (:func:`names_of`), ignoring case, spacing and the kind of dash."""
    from analysis.readers.institution_names import name_key

    wanted = set(name_key(pd.Series([code, *names], dtype="string")))
    return (name_key(values).isin(wanted) & values.notna()).astype(bool)
