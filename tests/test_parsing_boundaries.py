"""The number parsers at their limits (issue 13: survivors of ``make mutate`` in analysis/parsing.py).

Each limit is read from the parser's contract: a count or decimal is at most ``MAX_COUNT``
(10⁹ itself is still a number), a written number has at most 30 characters, a year lies in
1990–2100 (both ends included), a percentage is 0–100 and never negative, also when written
with the typographic minus sign; an empty cell is reported as empty, not as a malformed number.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from analysis.parsing import MAX_COUNT, ParseError, parse_count, parse_decimal, parse_percent, parse_year


@pytest.mark.parametrize("parse", [parse_count, parse_decimal, parse_percent])
@pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
def test_an_empty_cell_is_reported_as_empty(parse, text):
    with pytest.raises(ParseError) as err:
        parse(text)
    # "fill in …", not "not a number, write it like …": the cell is missing, not malformed
    assert err.value.message == "value is empty"
    assert err.value.hint.startswith("fill in")


def test_a_year_at_either_end_of_the_range_is_a_year():
    assert parse_year("1990") == 1990
    assert parse_year("2100") == 2100
    assert parse_year(" 2024 ") == 2024
    for outside in ("1989", "2101"):
        with pytest.raises(ParseError, match="outside 1990–2100"):
            parse_year(outside)


def test_a_given_range_is_inclusive_too():
    assert parse_year("2013", low=2013, high=2013) == 2013
    with pytest.raises(ParseError, match="outside 2013–2013"):
        parse_year("2014", low=2013, high=2013)


def test_a_decimal_of_exactly_max_count_is_read_and_above_it_refused():
    assert parse_decimal(str(MAX_COUNT)) == MAX_COUNT  # 10⁹ is not above 10⁹
    assert parse_decimal(f"-{MAX_COUNT}") == -MAX_COUNT
    with pytest.raises(ParseError, match="too large"):
        parse_decimal(f"{MAX_COUNT},5")
    assert parse_count(str(MAX_COUNT)) == MAX_COUNT
    with pytest.raises(ParseError, match="too large"):
        parse_count(str(MAX_COUNT + 1))


def test_thirty_characters_are_read_exactly_and_thirty_one_refused():
    thirty = "0," + "0" * 27 + "1"  # 30 characters: 10⁻²⁸
    assert len(thirty) == 30
    assert parse_decimal(thirty) == Fraction(1, 10**28)
    assert parse_percent(thirty + " %") == Fraction(1, 10**28)
    thirty_one = "0," + "0" * 28 + "1"
    for parse in (parse_decimal, parse_percent):
        with pytest.raises(ParseError, match="too many digits"):
            parse(thirty_one)


def test_a_typographic_minus_makes_a_negative_percentage():
    # "−5 %" (U+2212, as word processors write it) is minus five: refused as negative, not
    # as unreadable text
    for text in ("\u22125 %", "-5 %", "\u22120,1%"):
        with pytest.raises(ParseError) as err:
            parse_percent(text)
        assert err.value.message == "a percentage cannot be negative"
    assert parse_percent("\u22120") == 0  # minus zero is zero, which is allowed
