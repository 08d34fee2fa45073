"""Why a unit's gender balance could not be judged, in words: one text per reason, in Norwegian
and English, and the one rule that picks it from a gender flags row.

The flags' machine ``reason`` (:mod:`analysis.metrics.gender`, in English) and the report's
words for the same unit (its list of units that cannot be judged, the workbook and CSV, notebook
01: :func:`analysis.report.tables.reason_words`) are one text, :func:`reason_words` of the row:
before, the metric wrote its own English beside the report's labels, and the two had drifted ("1
suppressed department … the outcome differs within that range" where the report said "1
suppressed unit … the answer depends on the suppressed counts"). It lives below the metrics, as
the nouns of :mod:`analysis.words` do, so that the metric need not load the chart labels
(:mod:`analysis.charts.labels` takes these texts into its ``LABELS``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from analysis.words import LANGS, counted

#: How the reason of a unit judged on an interval ends where every number of women in the
#: interval gives the same status (``flagged`` or ``ok``): the ``reason_KEY_decided`` of each
#: such reason is its text with this end in place of what the undecided one says.
_DECIDED = {
    "nb": "; statusen er den samme i hele intervallet",
    "en": "; the status is the same across the whole interval",
}

#: How the reason of a unit judged on an interval ends where the interval does not decide it:
#: what a sum with contradicting parts inside says (the interval of suppressed counts alone
#: says it in its own words, below).
_NOT_KNOWN = {"nb": ", og svaret er ukjent", "en": ", and the answer is not known"}


def _interval_reasons(key: str, interval: dict[str, str], undecided: dict[str, str]) -> dict[str, dict[str, str]]:
    """``reason_KEY`` and its ``reason_KEY_decided``: the text up to and with the interval,
    ended by ``undecided`` or by :data:`_DECIDED`."""
    return {
        key: {lang: interval[lang] + undecided[lang] for lang in LANGS},
        f"{key}_decided": {lang: interval[lang] + _DECIDED[lang] for lang in LANGS},
    }


#: How the reason of a unit withheld beside study programmes placed in no department ends where
#: its interval does not decide it: what to do (whoever has table 347 places them).
_PUT_347 = {
    "nb": _NOT_KNOWN["nb"] + " (legg DBH-tabell 347 i datamappen, og gi hver fil institusjonskoden)",
    "en": _NOT_KNOWN["en"] + " (put DBH table 347 in the data folder, and give each file its institution code)",
}

#: The reasons, each ``reason_KEY`` with its ``{placeholders}``.
REASONS: dict[str, dict[str, str]] = {
    "reason_empty": {
        "nb": "0–{most} studenter: DBH viser færre enn {shown} studenter som 0 (skjermet)",
        "en": "0–{most} students: DBH shows fewer than {shown} students as 0 (suppressed)",
    },
    "reason_no_split": {
        "nb": "kilden oppgir ingen kjønnsfordeling for enheten ({total}): kvinner og menn ukjent",
        "en": "the source reports no gender split for this unit ({total}): women and men unknown",
    },
    "reason_suppressed": {
        "nb": "kvinner og menn er skjermet i kilden (lite tall, {total})",
        "en": "women and men suppressed by the source (small cell, {total})",
    },
    # a row of one gender masked beside the other's count (table 379: women written 0 beside 7
    # men), judged on the interval it says (analysis.metrics.gender)
    **_interval_reasons(
        "reason_one_gender_masked",
        {
            "nb": "ett kjønn er skrevet som 0 i kilden (DBH viser færre enn {shown} studenter som 0): kvinner "
            "mellom {low} og {high} av {total}",
            "en": "one gender written 0 by the source (DBH shows fewer than {shown} students as 0): women between "
            "{low} and {high} of {total}",
        },
        undecided={
            "nb": ", og svaret avhenger av de skjermede tallene",
            "en": ", and the answer depends on the suppressed counts",
        },
    ),
    **_interval_reasons(
        "reason_interval",
        {
            "nb": "{units} med {students} inni: kvinner mellom {low} og {high} av {total}",
            "en": "{units} with {students} inside: women between {low} and {high} of {total}",
        },
        undecided={
            "nb": ", og svaret avhenger av de skjermede tallene",
            "en": ", and the answer depends on the suppressed counts",
        },
    ),
    # a department's row of the student categories added that its rows by category contradict
    # (analysis.metrics.gender: categories_disagree): its women anywhere in its total
    **_interval_reasons(
        "reason_categories_disagree",
        {
            "nb": "tallene for alle studentkategorier sammen stemmer ikke med tallene for hver kategori (en "
            "kategori har flere kvinner eller menn enn alle til sammen; DBH har trolig revidert tallene mellom "
            "nedlastingene), og {units}: kvinner mellom {low} og {high} av {total}",
            "en": "the figures of all student categories together do not agree with those of each category (a "
            "category has more women or men than all of them together; DBH probably revised the figures "
            "between the downloads), and {units}: women between {low} and {high} of {total}",
        },
        undecided=_NOT_KNOWN,
    ),
    # a department's row of the semesters added (a download without Semester) that its rows by
    # semester contradict (analysis.metrics.gender: categories_disagree, suppressed_inside semester)
    **_interval_reasons(
        "reason_semesters_disagree",
        {
            "nb": "tallene for semestrene sammen stemmer ikke med tallene for hvert semester (et semester har "
            "flere kvinner eller menn enn alle til sammen; DBH har trolig revidert tallene mellom "
            "nedlastingene), og {units}: kvinner mellom {low} og {high} av {total}",
            "en": "the figures of the semesters together do not agree with those of each semester (a semester "
            "has more women or men than all of them together; DBH probably revised the figures between the "
            "downloads), and {units}: women between {low} and {high} of {total}",
        },
        undecided=_NOT_KNOWN,
    ),
    # a row of a download without a filter that the downloads of each of its values contradict
    # (analysis.metrics.gender: categories_disagree, suppressed_inside filter_value)
    **_interval_reasons(
        "reason_filters_disagree",
        {
            "nb": "tallene uten filteret stemmer ikke med tallene for hver verdi av det (en verdi har flere "
            "kvinner eller menn enn alle til sammen; DBH har trolig revidert tallene mellom nedlastingene), og "
            "{units}: kvinner mellom {low} og {high} av {total}",
            "en": "the figures without the filter do not agree with those of each of its values (a value has "
            "more women or men than all of them together; DBH probably revised the figures between the "
            "downloads), and {units}: women between {low} and {high} of {total}",
        },
        undecided=_NOT_KNOWN,
    ),
    # a department's row that its programmes' rows contradict (table 123 by department beside it
    # by programme; analysis.metrics.gender: categories_disagree, suppressed_inside programme)
    **_interval_reasons(
        "reason_programmes_disagree",
        {
            "nb": "tallene for enheten stemmer ikke med tallene for hvert studieprogram (et studieprogram har "
            "flere kvinner eller menn enn enheten; DBH har trolig revidert tallene mellom nedlastingene), og "
            "{units}: kvinner mellom {low} og {high} av {total}",
            "en": "the unit's figures do not agree with those of each study programme (a programme has more "
            "women or men than the unit; DBH probably revised the figures between the downloads), and {units}: "
            "women between {low} and {high} of {total}",
        },
        undecided=_NOT_KNOWN,
    ),
    # a faculty's or an institution's sum with such a row inside (categories_disagree of a sum):
    # that row's whole total is in the interval, so no count of students "inside" is told
    **_interval_reasons(
        "reason_disagree_inside",
        {
            "nb": "for minst én enhet inni stemmer ikke enhetens tall med tallene for delene (studentkategoriene "
            "eller studieprogrammene; DBH har trolig revidert tallene mellom nedlastingene; enhetens kvinner kan "
            "være hvor som helst i totalen), og {units}: kvinner mellom {low} og {high} av {total}",
            "en": "for at least one unit inside, its figures do not agree with those of its parts (student "
            "categories or study programmes; DBH probably revised the figures between the downloads; that "
            "unit's women may be anywhere in its total), and {units}: women between {low} and {high} of {total}",
        },
        undecided=_NOT_KNOWN,
    ),
    # a department's row beside masked programmes that may be its parts, but are placed in no
    # department (no table 347) or its institution is not known (analysis.metrics.gender:
    # suppressed_inside unplaced_programme): its own figures not shown, women anywhere in its total
    **_interval_reasons(
        "reason_unplaced",
        {
            "nb": "{units} ved siden av enheten kan ikke plasseres i eller utenfor den (tabell 347 gir ikke ett "
            "institutt, eller institusjonen er ukjent), og enheten minus de andre studieprogrammene ville gitt det "
            "skjermede tallet: kvinnene blant {students} er ukjent, mellom {low} og {high} av {total}",
            "en": "{units} beside the unit cannot be placed in it or outside it (table 347 gives no one department, "
            "or the institution is not known), and the unit less the other study programmes would give the masked "
            "figure: the women of {students} are not known, between {low} and {high} of {total}",
        },
        undecided=_PUT_347,
    ),
    # a department's row beside masked student categories of its own, where study programmes
    # placed in no department (no table 347), all shown, may add up to its categories added
    # (analysis.metrics.gender: suppressed_inside category_beside_unplaced): its own figures not
    # shown, women anywhere in its total
    **_interval_reasons(
        "reason_unplaced_beside",
        {
            "nb": "{units} ved siden av i samme enhet, og studieprogrammer som ikke kan plasseres i eller utenfor "
            "enheten (tabell 347 gir ikke ett institutt, eller institusjonen er ukjent), kan gi enhetens tall for "
            "alle studentkategorier sammen (minus de viste kategoriene ville de gitt det skjermede tallet): "
            "kvinnene blant {students} er ukjent, mellom {low} og {high} av {total}",
            "en": "{units} beside it in the same unit, and study programmes that cannot be placed in the unit or "
            "outside it (table 347 gives no one department, or the institution is not known) may give the unit's "
            "figures of all student categories together (less the categories shown they would give the masked "
            "figure): the women of {students} are not known, between {low} and {high} of {total}",
        },
        undecided=_PUT_347,
    ),
    # a department's row of one student category beside a masked one, where its programmes' rows
    # give all its categories added (analysis.metrics.gender: suppressed_inside category_beside)
    **_interval_reasons(
        "reason_beside",
        {
            "nb": "{units} med {students} ved siden av i samme enhet, og studieprogrammenes tall gir enhetens tall "
            "for alle studentkategorier sammen (minus denne kategorien ville de gitt det skjermede tallet): kvinner "
            "mellom {low} og {high} av {total}",
            "en": "{units} with {students} beside it in the same unit, and the study programmes' figures give the "
            "unit's figures of all student categories together (less this category they would give the masked "
            "figure): women between {low} and {high} of {total}",
        },
        undecided={
            "nb": ", og svaret avhenger av de skjermede tallene",
            "en": ", and the answer depends on the suppressed counts",
        },
    ),
    "reason_no_gender": {
        "nb": "kilden gir verken antall kvinner og menn eller andel kvinner",
        "en": "the source gives neither counts of women and men nor a share of women",
    },
}

#: The columns of a gender flags row its reason is read from.
REASON_COLUMNS = [
    "total",
    "total_high",
    "status",
    "suppression",
    "suppressed_inside",
    "suppressed_units",
    "suppressed_total",
    "categories_disagree",
    "women_low",
    "women_high",
    "share_women",
]

#: Which words a row judged on an interval whose parts contradict it gets, by what is inside it
#: (``suppressed_inside``): a sum's departments (which unit's parts disagree is not told), a
#: row's student categories or its study programmes.
_DISAGREE = {
    "department": "reason_disagree_inside",
    "student_category": "reason_categories_disagree",
    "semester": "reason_semesters_disagree",
    "filter_value": "reason_filters_disagree",
    "programme": "reason_programmes_disagree",
    "unplaced_programme": "reason_programmes_disagree",
    "category_beside": "reason_categories_disagree",
    "category_beside_unplaced": "reason_categories_disagree",
}

#: What is suppressed inside a row judged on an interval, by its ``suppressed_inside``, as a noun
#: (:data:`analysis.words.NOUNS`): a sum's departments are units (a faculty's own units and the
#: unspecified sub-unit are among them), a row's student categories or study programmes are
#: named (a second reader, 2026-12-05: the programmes of a department were "1 skjermet enhet",
#: where the metric's own English had said "1 suppressed study programme").
_INSIDE_NOUNS = {
    "department": "suppressed_unit",
    "student_category": "suppressed_category",
    "semester": "suppressed_semester",
    "filter_value": "suppressed_filter_value",
    "programme": "suppressed_programme",
    "unplaced_programme": "suppressed_programme",
    "category_beside": "suppressed_category",
    "category_beside_unplaced": "suppressed_category",
}


def _missing(value: object) -> bool:
    import pandas as pd  # (a flags row is pandas' already)

    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _text(key: str, lang: str, **values: object) -> str:
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, got {lang!r}")
    return REASONS[key][lang].format(**values)


def reason_words(row: Mapping[str, Any], lang: str) -> str | None:
    """Why the unit of a gender flags row could not be judged, or how it was judged on an
    interval, in ``lang``; None where it was judged on exact counts or a given share.

    Read from the row's own columns, as the metric wrote them: what the source suppressed is
    its ``suppression`` (the unit's own cell) or its ``suppressed_inside`` (cells inside it),
    never worked out again here (``schemas.flags.SUPPRESSED_BY_SOURCE``). A total of 0 is never
    "no students": DBH writes 1 or 2 students as 0. A unit judged on an interval whose status
    the interval decides says so (its status does not depend on the suppressed counts). Where
    rows of 0 students are inside (``total_high`` above ``total``: up to 2 more each), its
    students and those inside the masked cells are ranges ("6487–6493")."""
    from analysis.readers.dbh_cells import SMALLEST_SHOWN

    total = row["total"]
    # (a row made without ``total_high``: no row of 0 inside is known)
    high = row.get("total_high", total)
    more = 0 if high is None or _missing(high) or _missing(total) else int(high) - int(total)
    if not _missing(total) and int(total) == 0:
        return _text("reason_empty", lang, most=more or SMALLEST_SHOWN - 1, shown=SMALLEST_SHOWN)
    total = int(total) if not _missing(total) else None
    suppression = row["suppression"]
    decided = "_decided" if row.get("status") in ("flagged", "ok") else ""
    one_masked = not _missing(row.get("women_low")) and not _missing(row.get("suppressed_total"))
    if suppression == "small_cell" and one_masked and int(row["suppressed_total"]) == 0:
        # one gender masked beside the other's count: its students are beyond the total
        of = f"{total}–{total + more}" if more and total is not None else total
        low, high = int(row["women_low"]), int(row["women_high"])
        return _text(f"reason_one_gender_masked{decided}", lang, shown=SMALLEST_SHOWN, low=low, high=high, total=of)
    if not _missing(suppression):
        # DBH's small-cell masking, or a unit that reported no gender split
        key = "reason_no_split" if suppression == "no_gender_split" else "reason_suppressed"
        return _text(key, lang, total=counted(total if total is not None else "?", "student", lang))
    inside = row["suppressed_inside"]
    if not _missing(inside):
        units = counted(int(row["suppressed_units"]), _INSIDE_NOUNS[str(inside)], lang)
        of = f"{total}–{total + more}" if more and total is not None else total
        interval = {"low": int(row["women_low"]), "high": int(row["women_high"]), "total": of}
        disagree = row["categories_disagree"]
        if not _missing(disagree) and bool(disagree):
            # its parts contradict it (or a row's inside a sum): the interval holds that row's
            # whole total, not only the students of the masked cells
            return _text(f"{_DISAGREE[str(inside)]}{decided}", lang, units=units, **interval)
        inside_students = int(row["suppressed_total"])
        students = counted(f"{inside_students}–{inside_students + more}" if more else inside_students, "student", lang)
        # masked programmes that may be its parts, not placed (analysis.metrics.gender.UNPLACED_INSIDE)
        # or masked categories beside it (analysis.metrics.gender.BESIDE_INSIDE), and beside
        # programmes not placed (analysis.metrics.gender.UNPLACED_BESIDE)
        kinds = {
            "unplaced_programme": "reason_unplaced",
            "category_beside": "reason_beside",
            "category_beside_unplaced": "reason_unplaced_beside",
        }
        kind = kinds.get(str(inside), "reason_interval")
        return _text(f"{kind}{decided}", lang, units=units, students=students, **interval)
    if _missing(row["share_women"]) and _missing(row["women_low"]):
        return _text("reason_no_gender", lang)
    return None
