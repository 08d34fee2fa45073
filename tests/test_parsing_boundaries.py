"""The number parsers at their limits (issue 13: survivors of ``make mutate`` in analysis/parsing.py).

Each limit is read from the parser's (or rule's) contract: a count or decimal is at most ``MAX_COUNT``
(10⁹ itself is still a number), a written number has at most 30 characters, a year lies in
1990–2100 (both ends included), a percentage is 0–100 and never negative, also when written
with the typographic minus sign; an empty cell is reported as empty, not as a malformed number.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from analysis import paths
from analysis.cli import main
from analysis.parsing import (
    MAX_COUNT,
    ParseError,
    code_number,
    only_fractions,
    parse_count,
    parse_decimal,
    parse_percent,
    parse_year,
)


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


@pytest.mark.parametrize(
    ("code", "number"),
    [
        ("001001", "1001"),  # the leading zeros go, and only those:
        ("00100", "100"),  # a zero at the end or inside is part of the number
        ("1001", "1001"),  # a code without leading zeros is its own number
        ("000", "0"),  # all zeros: the number 0, not an empty code
        ("0", "0"),
    ],
)
def test_a_code_of_digits_is_its_number_without_leading_zeros(code, number):
    """``parsing.code_number``: 001001 and 1001 are one code written two ways (a file saved
    again from Excel loses the leading zeros), so both give 1001; 000 is 0."""
    assert code_number(code) == number


@pytest.mark.parametrize("code", ["ØKAD", "B1001", "1001A", "10 01", " 1001", "", None, 1001, 10.0])
def test_a_code_that_is_not_all_digits_has_no_number(code):
    """Letters, a space, an empty code, or a value that is not text (a number the reader did
    not read as a code) have no number: None, never a guess."""
    assert code_number(code) is None


def test_a_table_is_of_fractions_only_when_every_share_and_at_least_two_look_like_one():
    """``parsing.only_fractions(fractions, shares, ones)``, by its rule: every share other than 0
    looks like a fraction (``fractions``) or is 1 without a % sign (``ones``: 100 % written as a
    fraction), and at least two fractions."""
    assert only_fractions(2, 2)  # two of two, no ones given: a table of fractions
    assert only_fractions(2, 3, 1)  # two fractions and a 1: all three shares
    assert not only_fractions(1, 1)  # a single one stays a warning (0.5 % is possible)
    assert not only_fractions(1, 2, 1)  # one fraction and a 1: still one fraction
    assert not only_fractions(2, 3)  # one share among them is a percentage
    assert not only_fractions(2, 4, 1)  # a percentage besides the fractions and the 1
    assert not only_fractions(0, 0)  # an empty table (or all zeros) is not one of fractions


@pytest.mark.parametrize("mark", [".", "..", ":", "*", "-", "–", "x"])
def test_a_mark_for_a_hidden_figure_is_named_as_such_and_never_read(mark):
    """A bad-input hunt (2026-12-04): a small cell an adviser marked by hand ('.' or SSB's ':')
    was "not a number (a count is written like 1468 or 1 468)": the advice to write a number
    there would make a hidden figure a known one. It is named as a mark, and the fix is the
    file as downloaded (DBH's own way of hiding a figure is read as unknown)."""
    with pytest.raises(ParseError) as err:
        parse_count(f" {mark} ")
    assert err.value.message == "a mark for a hidden or missing figure, not a count"
    assert err.value.hint.startswith("use the file as its source gave it") and "never 0" in err.value.hint


@pytest.mark.parametrize("mark", [".", ":", "*", "-", "–", "x"])
@pytest.mark.parametrize(("parse", "what"), [(parse_decimal, "a number"), (parse_percent, "a percentage")])
def test_a_mark_where_a_mean_or_a_share_should_be_is_named_as_one(mark, parse, what):
    """A real-file hunt (2026-12-04): '–' typed over a portal mean or a SHoT share was "not a
    number (write a decimal number like 2,3 or 2.3)", advice to write a figure the adviser does
    not have; counts said it as a mark already (one rule, parsing._mark)."""
    with pytest.raises(ParseError) as err:
        parse(f" {mark} ")
    assert err.value.message == f"a mark for a hidden or missing figure, not {what}"
    assert err.value.hint.startswith("use the file as its source gave it") and "never 0" in err.value.hint


def test_a_dash_over_a_shot_figure_is_named_in_the_real_file(tmp_path, capsys):
    # line 2 of the national headline figures: 2010, alvorlige_psykiske_symptomplager, alle, 18
    lines = (paths.RAW / "shot_headline_figures_national.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("2010,alvorlige_psykiske_symptomplager,alle,18,")
    lines[1] = lines[1].replace(",alle,18,", ",alle,–,", 1)
    path = tmp_path / "shot.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert f"{path}:2:verdi_pct: '–' — a mark for a hidden or missing figure, not a percentage (" in (
        capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("parse", "message"),
    [
        (parse_count, "a mark for a hidden or missing figure, not a count"),
        (parse_decimal, "a mark for a hidden or missing figure, not a number"),
        (parse_percent, "a mark for a hidden or missing figure, not a percentage"),
    ],
)
def test_a_minus_sign_typed_as_a_mark_is_one_in_every_parser(parse, message):
    # U+2212, the minus sign of a copied PDF table or Word: the decimal and percent parsers read
    # it as '-', a mark; the count parser said "not a number (a count is written like 1468)"
    with pytest.raises(ParseError) as err:
        parse("\u2212")
    assert err.value.message == message


def test_a_count_with_a_minus_sign_is_negative_as_with_a_hyphen():
    with pytest.raises(ParseError) as err:
        parse_count("\u22123")
    assert err.value.message == "a count cannot be negative"
