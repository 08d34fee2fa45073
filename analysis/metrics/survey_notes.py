"""The survey's notes in words: what the settings or the data kept from being counted or shown
(an index item the data lacks, an index whose items changed between years, a unit column in
some files only). ``kvalitet survey`` prints them; the derived stage keeps them beside its
tables, and the report shows them among the notes from reading the data."""

from __future__ import annotations

from analysis.words import joined
from schemas.survey_layout import FACULTY_KEY, FIRST_YEAR, INSTITUTION_KEY, not_on_the_scale_as


def note_lines(notes: dict, source: str | None) -> list[str]:
    """The survey's notes in words; a configured index item the data lacks as ``FILE: key:``,
    as a settings error names it (a typo in the settings, or another year's item names).

    A note is given only in the words written for it here, never as its key and value: the
    notes are published (the report's notes from reading the data), and some are counts of a
    respondent file's answers (``reading``: its "vet ikke" answers item by item, for a file of
    one respondent that respondent's). Printed as ``key: value``, any note without words here
    (one added, or one renamed) reached the report so."""
    config = source or "(built-in settings)"
    lines = []
    for index, absent in notes.get("index_items_not_in_data", {}).items():
        for item, closest in absent.items():
            hint = f"did you mean {closest}?" if closest else "check the name in that year's variable list"
            lines.append(
                f"{config}: survey.indices.{index}: {item} is not an item column of the data; missing for every "
                f"respondent, it counts toward survey.index_max_missing ({hint})"
            )
    for index in notes.get("indices_without_items", []):
        lines.append(
            f"{config}: survey.indices.{index}: none of its items is a column of the data; the index is left out "
            "(list that year's item names)"
        )
    # (an index over other items is another measure: its change is not shown, and the adviser
    # who wants one can configure an index of the items both years have)
    for index, places in notes.get("index_items_changed", {}).items():
        # one line per change of items, naming every institution that made it (NOKUT dropping
        # a question is one change, not one line per institution)
        institutions: dict[tuple, list] = {}
        for institution, *change in places:
            institutions.setdefault(tuple(change), []).append(institution)
        for (before, then, year, now), where in institutions.items():
            differ = [
                f"{', '.join(m for m in a if m not in b)} answered in {y}, not in {z}"
                for a, b, y, z in ((now, then, year, before), (then, now, before, year))
                if set(a) - set(b)
            ]
            named = [str(i) for i in where if i is not None]
            at = f" at institution{'s' if len(named) > 1 else ''} {joined(named, 'en')}" if named else ""
            lines.append(
                f"{config}: survey.indices.{index}: its items differ between {before} and {year}{at} "
                f"({'; '.join(differ)}): not the same measure in both years, so its change from {before} to "
                f"{year} is not shown (for a change, configure an index of the items both years have)"
            )
    # (the files of a year without institusjonskode are a place of their own, as in a run on
    # them alone: what they hold changes no institution's results, nor the other way round)
    apart = notes.get("unit_columns_not_in_every_file", {}).get(INSTITUTION_KEY, [])
    if apart:
        years = _years(apart)
        lines.append(
            f"{INSTITUTION_KEY} is a column of some of the files, not of every one: the respondents of the files of "
            f"{years} without it are in no institution: no institution results for them, and their programmes "
            "(and faculties) are counted apart from every institution's, those of the same code too; the "
            f"institutions' own {years} results are their files' (give every file of {years} the column)"
        )
    # (each institution's year, and the files of a year without institusjonskode, decide their
    # own faculties: what one's files lack takes nothing from another's)
    for year, places in notes.get("faculty_column_not_in_every_file_of", {}).items():
        others = year in notes.get("faculties_kept_beside", [])
        codes = joined([str(i) for i in places if i is not None], "en")
        several = sum(i is not None for i in places) > 1
        if codes:
            lines.append(
                f"{FACULTY_KEY} is not a column of every file with respondents of institution{'s' if several else ''} "
                f"{codes} in {year}: no faculty results for {codes} in {year}, as a faculty's would leave out the "
                f"respondents of the files without it"
                + (f"; the other institutions' {year} faculties are shown" if others else "")
                + f" (give every file with respondents of {codes} in {year} the column)"
            )
        if None not in places:
            continue
        if year in apart:
            lines.append(
                f"{FACULTY_KEY} is not a column of every file of {year} without {INSTITUTION_KEY}: no faculty results "
                f"for their respondents in {year}, as a faculty's would leave out the respondents of the files "
                "without it"
                + (f"; the institutions' {year} faculties are shown" if others else "")
                + f" (give every file of {year} the column)"
            )
        else:  # (no file of the run has institution codes: the year's files are all of one place)
            lines.append(
                f"{FACULTY_KEY} is a column of some of the files, not of every one: no faculty results for {year}, "
                f"as a faculty's would leave out the respondents of the files without it (give every file of "
                f"{year} the column)"
            )
    # (NOKUT's questions not answered on the 1–5 scale, passed over: said, as they look like items)
    off_scale = sorted({n for file in notes.get("reading", []) for n in file.get("not_on_the_scale", [])})
    if off_scale:
        answered_in = dict.fromkeys(not_on_the_scale_as(name) for name in off_scale)
        lines.append(
            f"{joined(off_scale, 'en')}: NOKUT's questions of {'; '.join(answered_in)}, not answered on the 1–5 "
            "scale: not counted as items (nothing to do)"
        )
    # (named as NOKUT names a question but with a year before the survey's: passed over, said)
    early = sorted({n for file in notes.get("reading", []) for n in file.get("year_before_the_survey", [])})
    if early:
        lines.append(
            f"{joined(early, 'en')}: named as NOKUT names a question, but with a year before the survey's first "
            f"({FIRST_YEAR}): not read as {'items' if len(early) > 1 else 'an item'} (a question: rename the column "
            "by NOKUT's variable name, as the survey's variable list writes it; a background column of your own: "
            "nothing to do)"
        )
    return lines


def _years(years: list[int]) -> str:
    """Survey years in words: 2024, 2025 and 2026."""
    return joined([str(y) for y in years], "en")
