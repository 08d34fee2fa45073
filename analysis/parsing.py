"""Text as advisers' files carry it: encodings, Norwegian numbers and percent strings.

Parsers are pure and strict: a value is either read exactly or refused with a reason that says
what to do. Nothing is guessed silently.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

# Spaces used as thousands separators in Norwegian exports: ordinary, no-break, narrow
# no-break and thin space ("1 468").
_THOUSANDS_SPACES = " \u00a0\u202f\u2009"
# NOTE: [0-9], not \d: \d also matches Arabic-Indic or full-width digits, which no Norwegian
# export writes; such a value is a broken file, not a number.
_COUNT_RE = re.compile(r"^[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+$|^[0-9]+$")
#: A number whose digits are grouped by three with "," or "." (1,468; 12.345.678)
_GROUPED_RE = re.compile(r"^[1-9][0-9]{0,2}(?:,[0-9]{3})+$|^[1-9][0-9]{0,2}(?:\.[0-9]{3})+$")
_DECIMAL_RE = re.compile(r"^[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)$")
_PERCENT_RE = re.compile(r"^(?P<num>[+-]?[0-9]+(?:[.,][0-9]+)?)\s*%?$")
#: No count of students, applicants or respondents comes near this; a larger number is a
#: broken cell (and would not fit the 64-bit integer columns).
MAX_COUNT = 10**9
_MOJIBAKE_RE = re.compile("[ÃÂ][\u0080-\u00bf\u2018-\u203a\u0152-\u0178\u02c6\u02dc€]")
#: Norwegian letters of a Mac Roman file (Excel for Mac's "CSV (Macintosh)") as Windows-1252
#: reads them (ø ¿, å Œ, æ ¾, Ø ¯, Æ ®, é Ž), beside a letter. Such a file has no æ, ø or å as
#: Windows-1252 reads it (Mac Roman keeps them at other bytes): a file that has one is
#: Windows-1252, whatever else it holds ("School®", "Željko"). NOTE: the mark alone is searched
#: for, and its word taken in Python: a pattern that matched the word ran in the square of a
#: long word's length (60 KB without a separator: ~1 min)
_MAC_ROMAN_RE = re.compile("(?<=[A-Za-z])[¿Œ¾¯®Ž]|[¿Œ¾¯®Ž](?=[A-Za-z])")
_WINDOWS_NORWEGIAN = frozenset("æøåÆØÅ")
_WORD_END = frozenset(' \t\r\n,;"')


class ParseError(ValueError):
    """A value that cannot be read; ``message`` says what is wrong, ``hint`` what to do.

    ``per_column``: (what, why, hint) where the cause is one a whole column has (Excel showed a
    column of years as dates): two or more cells of a column with it are said once for the
    column, "N cells of this column are WHAT (the first shown here)WHY (HINT)"
    (:func:`analysis.readers.table_shape.once_per_column`), not a line per row."""

    def __init__(self, message: str, hint: str, per_column: tuple[str, str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.per_column = per_column


#: What tables print for a figure that is hidden or not there (SSB's ":" and ".", "..", "*",
#: dashes, "x"): never a count.
HIDDEN_MARKS = frozenset({".", "..", "...", ":", "*", "**", "-", "–", "—", "x", "X"})


def _mark(what: str) -> ParseError:
    """A mark of :data:`HIDDEN_MARKS` where ``what`` ("a count", "a number", "a percentage")
    should be: typed over a figure, so not read as 0, nor guessed to be a hidden one; said so,
    not "not a number, write 2,3", which asks for a figure the adviser does not have."""
    return ParseError(
        f"a mark for a hidden or missing figure, not {what}",
        "use the file as its source gave it, not with marks typed in: a figure the source hid or lacks is "
        "read as the source writes it (DBH: women and men 0 beside the total), as unknown, never 0",
    )


#: The control characters a cell may carry (C0 but tab, LF and CR, which are spaces;
#: DEL; C1): a BEL or ESC pasted from a terminal or a report generator, a C1 character left where
#: a Windows-1252 file was once read as Latin-1 (U+0096 for an en dash). No name or code has one
#: (in a name, U+000B and U+000C are line breaks: :data:`LINE_BREAKS`); it would ring the
#: terminal, and a Word document cannot hold one.
CONTROL = "".join(chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\t\n\r")

#: The invisible characters a cell may carry (Unicode's format characters, Cf, that a
#: person cannot see: zero-width space, joiners, word joiner, the direction marks, soft hyphen,
#: U+FEFF, the byte-order mark, inside a file that was joined to another or pasted from a web
#: page; and the :data:`CONTROL` characters, which no one sees either). At a cell's ends they are
#: as blank as a space and read so (:func:`strip_cell`), as Unicode's identifier rules ignore the
#: format characters (UAX #31, NFKC_Casefold); inside a code they are refused by name
#: (:func:`invisible_inside`): there the code is not the code it looks like, and what stood
#: there cannot be told. Inside a name or other text, a control character is refused by name
#: too (:func:`control_inside`); a format character there is kept (it changes nothing shown).
INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff" + CONTROL
)
INVISIBLE_RE = re.compile(f"[{re.escape(INVISIBLE)}]")
CONTROL_RE = re.compile(f"[{re.escape(CONTROL)}]")


def strip_cell(text: str) -> str:
    """``text`` without the spaces and :data:`INVISIBLE` characters at its ends (in any mix:
    " \u200b1150\u00a0", "1150\x07")."""
    while True:
        stripped = text.strip().strip(INVISIBLE)
        if stripped == text:
            return text
        text = stripped


#: The line breaks a cell may hold: LF and CR (Excel's Alt+Enter, a CSV's quoted line), U+000B
#: (Word's manual line break, Shift+Enter, pasted into a cell), U+000C (Word's page break), and
#: Unicode's line and paragraph separators. Inside a name (a column ``…_name``, the seed's
#: programme) they are layout, not content: read as one space (:func:`text_cell`), as a header
#: reads them (:func:`normalise_header`). Inside a code a line break that is a :data:`CONTROL`
#: character (U+000B, U+000C) is refused as any is (:func:`invisible_inside`), and so inside a
#: key of text (a SHoT indicator); a note keeps its LF and CR. Not U+0085 (NEXT LINE): in a
#: name it is rather the "…" of a Windows-1252 file read as Latin-1, refused as a letter lost.
LINE_BREAKS = "\n\r\x0b\x0c\u2028\u2029"
LINE_BREAK_RE = re.compile(f"[{re.escape(LINE_BREAKS)}]")
_LINE_BREAK_RUN = re.compile(f"[ \t]*[{re.escape(LINE_BREAKS)}]+[ \t]*")


def text_cell(text: str) -> str:
    """A name or other text as it is read: its ends stripped (:func:`strip_cell`) and each line
    break inside it, with the spaces around it, one space ("Institutt for\x0bdatateknologi",
    "NTNU\r\n(uspesifisert underenhet)"). A control character other than a line break is left
    in, to be refused by :func:`control_inside`."""
    return _LINE_BREAK_RUN.sub(" ", strip_cell(text))


#: The names of the C0 control characters (ISO 6429; Unicode gives them none, only aliases), as
#: a person can look one up; a C1 character is named by its code point alone.
_CONTROL_NAMES = dict(
    enumerate(
        (
            "NULL",
            "START OF HEADING",
            "START OF TEXT",
            "END OF TEXT",
            "END OF TRANSMISSION",
            "ENQUIRY",
            "ACKNOWLEDGE",
            "BELL",
            "BACKSPACE",
            "CHARACTER TABULATION",
            "LINE FEED",
            "LINE TABULATION",
            "FORM FEED",
            "CARRIAGE RETURN",
            "SHIFT OUT",
            "SHIFT IN",
            "DATA LINK ESCAPE",
            "DEVICE CONTROL ONE",
            "DEVICE CONTROL TWO",
            "DEVICE CONTROL THREE",
            "DEVICE CONTROL FOUR",
            "NEGATIVE ACKNOWLEDGE",
            "SYNCHRONOUS IDLE",
            "END OF TRANSMISSION BLOCK",
            "CANCEL",
            "END OF MEDIUM",
            "SUBSTITUTE",
            "ESCAPE",
            "FILE SEPARATOR",
            "GROUP SEPARATOR",
            "RECORD SEPARATOR",
            "UNIT SEPARATOR",
        )  # fmt: skip
    )
) | {0x7F: "DELETE", 0x85: "NEXT LINE"}


def invisible_name(ch: str) -> str:
    """An invisible character as a person can look it up: its code point and Unicode name
    ("U+200B ZERO WIDTH SPACE"), the byte-order mark said as such, a control character by its
    name ("U+0007 BELL"; a C1 character by its code point, "U+0096")."""
    if ch in CONTROL:
        name = _CONTROL_NAMES.get(ord(ch))
        return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"
    name = "ZERO WIDTH NO-BREAK SPACE, a byte-order mark" if ch == "\ufeff" else unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}".rstrip()


def invisible_inside(text: str) -> str | None:
    """What is wrong with a code that has an :data:`INVISIBLE` character inside it (its ends
    stripped, :func:`strip_cell`), naming the first and where it is; None when it has none."""
    code = strip_cell(text)
    found = INVISIBLE_RE.search(code)
    if found is None:
        return None
    before, after = code[: found.start()], code[found.end() :]
    return (
        f"an invisible character inside the code, {invisible_name(found.group())}, between "
        f"'{INVISIBLE_RE.sub('', before)}' and '{INVISIBLE_RE.sub('', after)}': it looks like "
        f"{INVISIBLE_RE.sub('', code)} but is not that code, and whether something else stood there cannot be told"
    )


#: What to do about :func:`invisible_inside`.
INVISIBLE_HINT = "type the code again over the cell: a copy from a web page or a document carries such characters"


def control_inside(text: str) -> str | None:
    """What is wrong with a name (or other text) that has a :data:`CONTROL` character inside it
    (its ends stripped, :func:`strip_cell`), naming the first and where it is; None when it has
    none. Not dropped: what stood there (a letter the file lost, as U+0096 for '–') cannot be told."""
    name = strip_cell(text)
    found = CONTROL_RE.search(name)
    if found is None:
        return None
    before, after = _shortened(name[: found.start()], -20), _shortened(name[found.end() :], 20)
    return (
        f"a control character inside the text, {invisible_name(found.group())}, between '{CONTROL_RE.sub('', before)}' "
        f"and '{CONTROL_RE.sub('', after)}': no name holds one, and whether a letter stood there cannot be told"
    )


def _shortened(text: str, keep: int) -> str:
    """The last (``keep`` < 0) or first ``keep`` characters of ``text``, "…" for the rest."""
    if len(text) <= abs(keep):
        return text
    return "…" + text[keep:] if keep < 0 else text[:keep] + "…"


#: What to do about :func:`control_inside`.
CONTROL_HINT = "type the text again over the cell, or export the table again from the source"


#: A whole number written with decimal zeros: as pandas and R write a float column's value
#: (2024.0, 113.0: a column with a blank is a float column), a Norwegian CSV with one decimal
#: (113,0), SPSS's default format F8.2 (4.00), a code column given three decimals (1150.000).
#: Not a number a thousands separator may have grouped ("1.000", :data:`_GROUPED_RE`): with
#: only two zeros allowed, 1150.000 was a unit of its own beside 1150, without a word, while
#: its file's year 2025.000 was read as 2025.
_WHOLE_WITH_ZERO = re.compile(r"([0-9]+)[.,]0+")


def whole_number_text(text: str, grouped: bool = True) -> str:
    """``text`` (stripped) with the decimal zeros after a whole number dropped (``"2024.0"`` ->
    ``"2024"``, ``"113,0"`` -> ``"113"``, ``"4.00"`` -> ``"4"``); any other text as it is: the one
    rule for years, counts, codes and answers written from a float column. ``grouped``: the text
    may be a number whose thousands are grouped ("1.000" is then kept, to be refused); False for
    a code, never written so (271.000 is faculty 271)."""
    s = strip_cell(str(text))
    whole = None if grouped and _GROUPED_RE.match(s) else _WHOLE_WITH_ZERO.fullmatch(s)
    return whole.group(1) if whole else s


def parse_count(text: str) -> int:
    """A non-negative whole number: ``"1468"``, ``"1 468"`` (any thousands space), ``"1468.0"``
    (:func:`whole_number_text`)."""
    s = whole_number_text(str(text).replace("\u2212", "-"))  # the minus sign, as parse_decimal reads it
    if s == "":
        raise ParseError("value is empty", "fill in the count, or leave the whole row out")
    if s.startswith("-") and _COUNT_RE.match(s[1:].strip()):
        raise ParseError("a count cannot be negative", "check the export")
    if not _COUNT_RE.match(s):
        if _GROUPED_RE.match(s):
            # NOTE: not read as either: 1,468 is 1468 to an English-language Excel and 1.468 to
            # a Norwegian one (and "1.468" the other way round); a guess could read 1000 × a count
            raise ParseError(
                "a ',' or '.' between groups of three digits: a thousands separator or a decimal point? "
                "not read as either",
                "write counts without a thousands separator or with a space (1 468), as Norwegian Excel and "
                "Samordna do; a file saved by Excel in English has 1,468: save it with Norwegian settings",
            )
        if _DECIMAL_RE.match(s):
            raise ParseError("a count must be a whole number", "check the export")
        if s in HIDDEN_MARKS:
            raise _mark("a count")
        raise ParseError("not a number", "a count is written like 1468 or 1 468")
    digits = "".join(ch for ch in s if ch not in _THOUSANDS_SPACES)
    # NOTE: checked on the text first: int() refuses more than 4300 digits with a ValueError
    if len(digits.lstrip("0")) > len(str(MAX_COUNT)) or int(digits) > MAX_COUNT:
        raise ParseError("the number is too large to be a count", "check the export")
    return int(digits)


def parse_decimal(text: str) -> Fraction:
    """A decimal number with comma or point (``"2,3"``, ``"4.5"``), read exactly."""
    s = str(text).strip().replace("\u2212", "-")
    if s == "":
        raise ParseError("value is empty", "fill in the value")
    if not _DECIMAL_RE.match(s):
        if s in HIDDEN_MARKS:
            raise _mark("a number")
        raise ParseError("not a number", "write a decimal number like 2,3 or 2.3")
    if len(s) > 30:
        raise ParseError("the number has too many digits", "check the export")
    value = Fraction(s.replace(",", "."))
    if abs(value) > MAX_COUNT:
        raise ParseError("the number is too large", "check the export")
    return value


def parse_percent(text: str) -> Fraction:
    """A percentage, ``"18,6 %"``, ``"33%"``, ``"13 %"`` or ``"40"``: the percent value (18.6).

    The value is exact (a Fraction) so that ``40 %`` is exactly 40 and never 39.999….
    """
    s = str(text).strip().replace("\u2212", "-")
    for space in _THOUSANDS_SPACES[1:]:
        s = s.replace(space, " ")
    if s == "":
        raise ParseError("value is empty", "fill in the percentage")
    m = _PERCENT_RE.match(s)
    if not m:
        if s in HIDDEN_MARKS:
            raise _mark("a percentage")
        raise ParseError("not a percentage", "write a percentage like 18,6 % or 33%")
    if len(m.group("num")) > 30:
        raise ParseError("the number has too many digits", "check the export")
    value = Fraction(m.group("num").replace(",", "."))
    if value < 0:
        raise ParseError("a percentage cannot be negative", "check the export")
    if value > 100:
        raise ParseError("a percentage cannot be above 100 %", "check the export")
    return value


_DECIMALS = re.compile(r"[.,]([0-9]+)")


def decimals_written(text: object) -> int:
    """The decimals a number was written with (``"41,3 %"`` -> 1, ``"41 %"`` -> 0): how far a
    share the source rounded may be from the exact one (41,3 % is 41.25 % to 41.35 %). At most
    :data:`MOST_DECIMALS`: a share written with more (a formula's value pasted as text,
    "33,333333333333333 %") is read as a float, exact to about 15 digits, and ±half a unit of
    its 17th decimal is finer than that float (1 of 3 then "disagreed" with it)."""
    m = _DECIMALS.search(str(text))
    return min(len(m.group(1)), MOST_DECIMALS) if m else 0


#: The most decimals of a share taken as written (:func:`decimals_written`): 100 × 10⁹ is well
#: inside a float's exact digits.
MOST_DECIMALS = 9


def looks_like_fraction(text: str, percent: Fraction) -> bool:
    """A share written as a fraction in a column of percentages: ``0.13`` or ``0,13`` (no ``%``
    sign, above 0 and below 1) is far more likely 13 % than 0.13 %. The caller warns, naming the
    cell; the value is still read as written (a real 0.5 % stays possible)."""
    return "%" not in str(text) and 0 < percent < 1


#: A table whose every share reads as a fraction is refused, not warned about cell by cell: read
#: as written, every programme would be below 1 % and flagged (a bad-input hunt, 2026-12-03: an
#: admission table saved from Excel with the General format, 0,13 for 13 %, flagged all 20).
ALL_FRACTIONS = (
    "every share in the table is written like a fraction, without a % sign ({count} cells, the first "
    "shown here): read as percentages, every one would be below 1 %"
)
ALL_FRACTIONS_HINT = (
    "write the shares as percentages (13 % for 0,13), or give the cells a percent format in Excel and save again"
)


def only_fractions(fractions: int, shares: int, ones: int = 0) -> bool:
    """``fractions`` of a table's ``shares`` other than 0 look like a fraction
    (:func:`looks_like_fraction`) and ``ones`` are 1 without a % sign (100 % as a fraction): all
    of them, and at least two fractions, is a table of fractions. A single one, or one among
    percentages, stays a warning (0.5 % is possible)."""
    return fractions >= 2 and fractions + ones == shares


_DIGIT_CODE = re.compile(r"[0-9]+")


def code_number(code: object) -> str | None:
    """A code of digits as its number (``001001`` -> ``1001``, ``000`` -> ``0``): how one code
    written two ways is found (a file saved again from Excel loses the leading zeros); None for
    any other code (letters in it, or none)."""
    if not isinstance(code, str) or _DIGIT_CODE.fullmatch(code) is None:
        return None
    return code.lstrip("0") or "0"


def short_code(code: object, digits: int) -> bool:
    """A code of digits only with fewer than ``digits`` (DBH's width for the column): either its
    leading zeros were lost (:func:`lost_zeros`) or it is mistyped; never a code as DBH writes it."""
    return isinstance(code, str) and len(code) < digits and _DIGIT_CODE.fullmatch(code) is not None


def lost_zeros(rows_of: Mapping[str, int], digits: int) -> set[str]:
    """The codes of one column that lost their leading zeros (Excel reads "0211" as the number
    211 when it opens the CSV, and writes 211 when it saves it again), from the column's
    distinct codes and how many rows have each: a :func:`short_code` whose code with its zeros
    put back is seen in another row of the column (the same short code again, or written in
    full). A short code no other row has (a typo, 41000 for 410000, in a row of an institution
    whose code lost its zero) is no sign of it: it is named on its own, as a wrong code.

    The one rule for DBH's tables and the respondent files' DBH codes; it works on distinct
    codes, so a reader of millions of rows asks it once per code, not per row."""
    rows_of_full: dict[str, int] = {}
    for code, rows in rows_of.items():
        full = code.zfill(digits) if short_code(code, digits) else code
        rows_of_full[full] = rows_of_full.get(full, 0) + rows
    return {code for code in rows_of if short_code(code, digits) and rows_of_full[code.zfill(digits)] > 1}


#: A date as a CSV saved from Excel or a workbook's cell read as text writes it: 01.01.2024 (a
#: Norwegian Excel), 1/1/2024, 2024-01-01 (ISO, and a workbook's date as text,
#: "2024-01-01 00:00:00"), with a time of midnight at most.
_DATE_RE = re.compile(
    r"(?:(?P<day>[0-9]{1,2})[./-](?P<month>[0-9]{1,2})[./-](?P<year>[0-9]{4})"
    r"|(?P<iso_year>[0-9]{4})-(?P<iso_month>[0-9]{2})-(?P<iso_day>[0-9]{2}))"
    r"(?:[ T]0?0:00(?::00)?)?"
)


def excel_day(date: datetime.date) -> int:
    """The number Excel keeps for ``date`` (from 1 March 1900 on, which every year shown as a
    date is): the year 2019 given a date format is day 2019, shown as 11.07.1905."""
    return (date - datetime.date(1899, 12, 30)).days


_DATES_NOT_YEARS = (
    "dates, not years",
    ": a date was typed, or Excel made one, where the year alone belongs",
    "write the year alone in each row, 2024 for 01.01.2024: in Excel, =ÅR(…) (English =YEAR(…)) of the "
    "first date in a new column, filled down, gives the years; paste them over this column as values",
)
#: What to do about years Excel shows as dates, in a workbook or a CSV it saved
#: (:func:`analysis.readers.xlsx.read_sheet` says it of a workbook's cells)
YEARS_AS_DATES_HINT = "format the column as Number (Format Cells › Number) and save again"

_YEARS_AS_DATES = (
    "years shown as dates",
    ": the column has a date format in Excel, which shows the year 2019 as the date 11.07.1905",
    "in Excel, " + YEARS_AS_DATES_HINT,
)


def _dates(text: str) -> list[datetime.date]:
    """The dates ``text`` can be read as (:data:`_DATE_RE`): one, or two where day and month
    could be swapped (7/11/1905 is 7 November day first, 11 July month first as English Excel
    writes it), the day-first reading first, as Norwegian Excel writes it; empty for anything
    else."""
    found = _DATE_RE.fullmatch(text)
    if found is None:
        return []
    if found["iso_year"]:
        parts = [(int(found["iso_year"]), int(found["iso_month"]), int(found["iso_day"]))]
    else:
        day, month, year = int(found["day"]), int(found["month"]), int(found["year"])
        parts = [(year, month, day), (year, day, month)]  # 1/13/2024 is month first
    dates = []
    for year, month, day in parts:
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            continue
        if date not in dates:
            dates.append(date)
    return dates


#: A time of day after a date, as a download's timestamp writes it ("2026-09-22 14:03:11",
#: "22.09.2026 14:03", "2026-09-22T14:03:11.5+02:00").
_TIME_OF_DAY = re.compile(r"[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?")


def is_date(text: str) -> bool:
    """Whether ``text`` is a date as :data:`_DATE_RE` writes one (01.10.2026, 2026-10-01), with
    or without its time of day (a download's timestamp is the day of the download too)."""
    return bool(_dates(text)) or bool(_dates(_TIME_OF_DAY.sub("", text.strip(), count=1)))


#: The years a cell of a year may be, both allowed (:func:`parse_year`): a later year than
#: :data:`LAST_YEAR` is a broken cell, in every source and contract (``schemas.common``,
#: ``schemas.survey_layout``); a source starting later says so with its own lower bound.
FIRST_YEAR, LAST_YEAR = 1990, 2100


def parse_year(text: str, low: int = FIRST_YEAR, high: int = LAST_YEAR) -> int:
    """A four-digit year within a plausible range. A date is refused as one, said once for its
    column (:class:`ParseError` ``per_column``): a year shown as a date (Excel's date format on
    the year 2019 writes 11.07.1905, or 7/11/1905 in English) or a date typed for the year
    (01.01.2024). A date that reads either way is a year shown as a date if either reading is
    one: no typed date falls in 1905. ``"2024.0"`` is 2024 (:func:`whole_number_text`)."""
    s = whole_number_text(text)
    if not re.fullmatch(r"[0-9]{4}", s):
        dates = _dates(s)
        shown = [excel_day(date) for date in dates if low <= excel_day(date) <= high]
        if shown:
            # both readings of 7/8/1905 are years (2046 day first, 2016 month first): both named
            years = " or ".join(str(y) for y in dict.fromkeys(shown))
            raise ParseError(
                f"the year {years} shown as a date: the cell has a date format in Excel",
                _YEARS_AS_DATES[2],
                _YEARS_AS_DATES,
            )
        if dates and low <= dates[0].year <= high:
            raise ParseError("a date, not a year", f"write the year alone: {dates[0].year}", _DATES_NOT_YEARS)
        if dates:
            # its year is no year of the data either: nothing to advise but a look
            raise ParseError("a date, not a year", f"write the year alone, within {low}–{high}", _DATES_NOT_YEARS)
        raise ParseError("not a year", "write the year with four digits, e.g. 2024")
    year = int(s)
    if not low <= year <= high:
        raise ParseError(f"year outside {low}–{high}", "check the year")
    return year


def year_parser(low: int, high: int):
    """:func:`parse_year` with other bounds, with its column-at-once form (see :func:`vectorised`)."""

    def parse(text: str) -> int:
        return parse_year(text, low, high)

    parse.__name__ = f"parse_year_{low}_{high}"
    return vectorised(r"[0-9]{4}", low, high)(parse)


# --- Whole columns at once -------------------------------------------------------------------
#
# A national export has hundreds of thousands of cells; calling a parser per cell costs tens of
# seconds. A parser may carry a *fast form*: a regular expression that accepts only text the
# parser certainly reads, and reads to the same integer. Whole columns are matched at once;
# every cell the fast form does not accept goes to the parser itself, which reads it or says
# why not. So the fast form decides nothing the parser would decide differently.


def vectorised(pattern: str, low: int = 0, high: int = MAX_COUNT):
    """Give an integer parser its fast form: cells fully matching ``pattern`` (after
    stripping spaces) whose integer lies in ``low..high`` are read by ``int``."""

    def mark(parser):
        parser.fast_pattern = pattern
        parser.fast_bounds = (low, high)
        return parser

    return mark


# NOTE: plain digits only, at most nine (so at most MAX_COUNT); "1 468" and other spellings
# go to parse_count itself.
vectorised(r"[0-9]{1,9}")(parse_count)
vectorised(r"[0-9]{4}", FIRST_YEAR, LAST_YEAR)(parse_year)


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


class DecodeError(ValueError):
    def __init__(self, message: str, hint: str, value: object = None, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.value = value
        self.row = row  # the line (1-based), where the problem is at one


def _word_at(text: str, at: int) -> str:
    """The word around position ``at``: up to a space, tab, line end, comma, semicolon or quote."""
    start, end = at, at + 1
    while start > 0 and text[start - 1] not in _WORD_END:
        start -= 1
    while end < len(text) and text[end] not in _WORD_END:
        end += 1
    return text[start:end]


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: a spreadsheet, archive or image, not text."""
    head = data[:4096]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return control > max(2, len(head) // 100)


def _utf16_without_bom(data: bytes) -> DecodedText | None:
    """``data`` read as UTF-16 without a byte-order mark (R's ``fileEncoding = "UTF-16LE"``,
    SQL Server's ``bcp -w``), when that is the one reading: an even length, a NUL as the high
    byte of at least 9 in 10 of the first 2 048 characters and never as their low byte (text of
    Latin letters, digits and ``;``: Å, æ, ø are U+00C5, U+00E6, U+00F8), and the whole decodes
    strictly to text without NUL. No text of UTF-8 or Windows-1252 has NUL bytes, so this reads
    no file those would; None otherwise (the file is then refused as binary)."""
    if len(data) < 4 or len(data) % 2:
        return None
    head = data[:4096]
    for low, high, encoding in ((head[0::2], head[1::2], "utf-16-le"), (head[1::2], head[0::2], "utf-16-be")):
        if 0 not in low and high.count(0) >= 0.9 * len(high):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return None if "\x00" in text else DecodedText(text, encoding)
    return None


def decode_text(data: bytes) -> DecodedText:
    """Decode a text export: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text")
    or without it (:func:`_utf16_without_bom`), or Windows-1252.

    DBH and Excel exports on Norwegian Windows machines are often Windows-1252; the header
    ``Årstall`` must come out right either way. A file that was decoded wrongly once and saved
    again (``Ã…rstall``) is refused rather than read with broken names.
    """
    if len(data) == 0:
        raise DecodeError("the file is empty", "export the table again")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode("utf-16"), "utf-16"
    elif (utf16 := _utf16_without_bom(data)) is not None:
        text, encoding = utf16.text, utf16.encoding
    elif looks_binary(data):
        raise DecodeError(
            "not a text file (binary content)",
            "export the table as CSV or JSON; Excel files must end in .xlsx",
            data[:8].hex(" "),
        )
    elif data.startswith(b"\xef\xbb\xbf"):
        text, encoding = _utf8(data[3:]), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as not_utf8:
            try:
                text, encoding = data.decode("cp1252"), "windows-1252"
                if _MOJIBAKE_RE.search(text):
                    raise _mixed(data, not_utf8)
                mac = None if _WINDOWS_NORWEGIAN.intersection(text) else _MAC_ROMAN_RE.search(text)
                if mac:
                    raise DecodeError(
                        "the text looks like Mac Roman (Excel for Mac's 'CSV (Macintosh)'), not Windows-1252: "
                        "ø and å would be read as ¿ and Œ",
                        "save the file as UTF-8 (CSV UTF-8 in Excel)",
                        _word_at(text, mac.start()),
                        row=text.count("\n", 0, mac.start()) + 1,
                    )
            except UnicodeDecodeError as err:
                raise DecodeError(
                    "the text encoding is neither UTF-8 nor Windows-1252",
                    "save the file as UTF-8 (CSV UTF-8 in Excel)",
                    data[max(0, err.start - 10) : err.end + 10],
                ) from None
    mojibake = _MOJIBAKE_RE.search(text)
    if mojibake:
        start = max(0, mojibake.start() - 10)
        raise DecodeError(
            "the text is garbled: UTF-8 read as Windows-1252 and saved again",
            "export the table again from the source and save it as UTF-8",
            text[start : mojibake.end() + 10],
        )
    return DecodedText(text, encoding)


def _mixed(data: bytes, err: UnicodeDecodeError) -> DecodeError:
    """Text that is UTF-8 (ø written as two bytes) except where it is not: two exports of
    different encodings pasted together. Read as Windows-1252 the UTF-8 part would be garbled;
    the error names the first line that is not UTF-8."""
    line = data.count(b"\n", 0, err.start) + 1
    start = data.rfind(b"\n", 0, err.start) + 1
    end = data.find(b"\n", err.start)
    shown = data[start : end if end >= 0 else len(data)].decode("cp1252", errors="replace").rstrip("\r")
    return DecodeError(
        f"line {line} is not UTF-8, while the rest of the file is (ø and å written as UTF-8 elsewhere): "
        "two files of different text encodings pasted together?",
        "save the whole table again as UTF-8 (CSV UTF-8 in Excel)",
        shown,
    )


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DecodeError(
            "the file says it is UTF-8 but contains bytes that are not UTF-8",
            "save the file again as UTF-8",
            data[max(0, err.start - 10) : err.end + 10],
        ) from None


def normalise_header(name: str) -> str:
    """Header names vary in case, spaces and hyphenation (``Studie- kode`` = ``Studiekode``), and
    may carry :data:`INVISIBLE` characters (a name pasted from a web page): compared without them."""
    # (a control character that is a space, a vertical tab or U+001F, is one here too)
    s = INVISIBLE_RE.sub(lambda found: " " if found.group().isspace() else "", str(name)).strip().lower()
    s = re.sub(r"-\s+", "", s)  # a word broken across a line: "studie- kode"
    s = re.sub(r"[\s_]+", " ", s)
    return s
