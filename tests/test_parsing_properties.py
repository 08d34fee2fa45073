"""Property tests for the number and percent parsers: every Norwegian way of writing a number
reads exactly, and anything else is refused with a ParseError (never another exception)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from analysis.parsing import MAX_COUNT, ParseError, parse_count, parse_decimal, parse_percent, parse_year

THOUSANDS_SPACES = [" ", "\u00a0", "\u202f", "\u2009"]
counts = st.integers(min_value=0, max_value=MAX_COUNT)


def grouped(n: int, separators: list[str]) -> str:
    """1468 -> '1 468' with the given separator before each group of three (cycled)."""
    digits = str(n)
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    out = groups[0]
    for i, g in enumerate(groups[1:]):
        out += separators[i % len(separators)] + g
    return out


# --- parse_count ---------------------------------------------------------------------------


@given(counts)
def test_count_round_trip_plain(n):
    assert parse_count(str(n)) == n


@given(counts, st.lists(st.sampled_from(THOUSANDS_SPACES), min_size=1, max_size=3))
def test_count_round_trip_with_any_thousands_space(n, separators):
    text = grouped(n, separators)
    assert parse_count(text) == n
    assert parse_count(f"  {text}\t") == n  # surrounding blanks are not part of the value


@given(counts)
def test_count_round_trip_of_python_formatting(n):
    # what a script or a spreadsheet writes: f"{n:,}" with the comma replaced by a space
    assert parse_count(f"{n:,}".replace(",", " ")) == n
    assert parse_count(f"{n:,}".replace(",", "\u00a0")) == n


@pytest.mark.parametrize(
    "text, value",
    [("1 468", 1468), ("1\u00a0468", 1468), ("12 345 678", 12345678), ("0", 0), ("007", 7), ("1\u202f000", 1000)],
)
def test_count_examples(text, value):
    assert parse_count(text) == value


@given(st.integers(min_value=1, max_value=MAX_COUNT))
def test_negative_counts_are_refused(n):
    with pytest.raises(ParseError, match="negative"):
        parse_count(f"-{n}")


@pytest.mark.parametrize(
    "text",
    [
        "1 46",
        "14 68",
        "1  468",
        "1,468",
        "1.5",
        "12,5",
        "12.000",
        "tolv",
        "",
        "   ",
        "1e3",
        "0x10",
        "+5",
        "٣",
        "５７",
        "1_000",
        str(MAX_COUNT + 1),
        "9" * 5000,
    ],
)
def test_count_refuses_what_is_not_a_count(text):
    with pytest.raises(ParseError):
        parse_count(text)


# --- parse_percent -------------------------------------------------------------------------

tenths = st.integers(min_value=0, max_value=1000)  # 0,0 … 100,0 in tenths of a percent


@given(tenths, st.sampled_from(["", " ", "\u00a0", "\u202f"]))
def test_percent_norwegian_decimal_comma_is_exact(t, space):
    text = f"{t // 10},{t % 10}{space}%"
    value = parse_percent(text)
    assert isinstance(value, Fraction)
    assert value == Fraction(t, 10)


@given(st.integers(min_value=0, max_value=100), st.sampled_from(["%", " %", "\u00a0%", ""]))
def test_percent_whole_numbers_with_and_without_sign(n, suffix):
    assert parse_percent(f"{n}{suffix}") == n


@given(st.integers(min_value=0, max_value=10000))
def test_percent_point_and_comma_agree(hundredths):
    text = f"{hundredths // 100}.{hundredths % 100:02d}"
    assert parse_percent(text) == parse_percent(text.replace(".", ",")) == Fraction(hundredths, 100)


def test_forty_percent_stays_exactly_forty():
    # "40 % exactly is not below 40 %": no float noise may push it under the threshold
    for text in ["40 %", "40%", "40", "40,0 %", "40.00%", "40\u00a0%"]:
        value = parse_percent(text)
        assert value == 40 and not value < 40
        assert value / 100 == Fraction(2, 5)


def test_examples_from_the_sources():
    assert parse_percent("18,6 %") == Fraction(186, 10)
    assert parse_percent("33%") == 33
    assert parse_percent("13 %") == 13
    assert parse_percent("34,1 %") == Fraction(341, 10)


@given(st.integers(min_value=1001, max_value=10**6))
def test_percent_above_100_is_refused(t):
    with pytest.raises(ParseError, match="above 100"):
        parse_percent(f"{t // 10},{t % 10} %")


@pytest.mark.parametrize(
    "text",
    ["-1 %", "−5 %", "abc", "", "%", "18,6 %%", "1 468 %", "40 prosent", "NaN", "9" * 5000, "0," + "1" * 5000 + " %"],
)
def test_percent_refuses_what_is_not_a_percentage(text):
    with pytest.raises(ParseError):
        parse_percent(text)


# --- parse_decimal -------------------------------------------------------------------------


@given(st.integers(min_value=-(10**6), max_value=10**6), st.integers(min_value=1, max_value=4))
def test_decimal_comma_and_point_read_exactly(units, places):
    value = Fraction(units, 10**places)
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), 10**places)
    text = f"{sign}{whole}.{frac:0{places}d}"
    assert parse_decimal(text) == value
    assert parse_decimal(text.replace(".", ",")) == value
    assert parse_decimal(f" {text.replace('.', ',')} ") == value


def test_decimal_examples():
    assert parse_decimal("2,3") == Fraction(23, 10)
    assert parse_decimal("4.5") == Fraction(9, 2)
    assert parse_decimal("5,0") == 5
    assert parse_decimal("\u22122,5") == Fraction(-5, 2)  # a typographic minus sign
    assert parse_decimal(",5") == Fraction(1, 2)


@pytest.mark.parametrize("text", ["", "2,3,4", "2.3.4", "1 234,5x", "e", "inf", "nan", "1e5", "--2", "9" * 5000])
def test_decimal_refuses_what_is_not_a_number(text):
    with pytest.raises(ParseError):
        parse_decimal(text)


# --- whatever the text, a ParseError or a value: never a crash ------------------------------


@given(st.text(max_size=30))
def test_parsers_never_fail_with_anything_but_a_parse_error(text):
    for parse in (parse_count, parse_decimal, parse_percent, parse_year):
        try:
            parse(text)
        except ParseError as err:
            assert err.message and err.hint


@given(st.text(alphabet="0123456789 ,.%-\u00a0", max_size=12))
@example("113,0")  # a count with a decimal zero: 113 (parsing.whole_number_text)
def test_number_like_text_is_read_as_written_or_refused_with_a_hint(text):
    """What each parser promises for any text made of digits, separators, signs and spaces: the
    value the text says, within the parser's range, or a ParseError that says what is wrong and
    what to do."""
    s = text.strip()
    for parse in (parse_count, parse_decimal, parse_percent, parse_year):
        try:
            value = parse(text)
        except ParseError as err:
            assert err.message and err.hint, parse.__name__
            continue
        if parse is parse_count:
            # a whole number: its digits, with any thousands spaces taken out (and any decimal
            # zeros after it: 113,0 is 113)
            assert type(value) is int and 0 <= value <= MAX_COUNT
            assert value == Fraction(s.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        elif parse is parse_decimal:
            assert isinstance(value, Fraction) and abs(value) <= MAX_COUNT
            assert value == Fraction(s.replace(",", "."))
        elif parse is parse_percent:
            # the number before an optional "%", 0–100, exactly
            assert isinstance(value, Fraction) and 0 <= value <= 100
            assert value == Fraction(s.removesuffix("%").strip(" \u00a0").replace(",", "."))
        else:
            assert type(value) is int and 1990 <= value <= 2100 and str(value) == s
