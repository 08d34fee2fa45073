"""JSON read the way a DBH-API response can be trusted: hostile content is a clear error.

:func:`load_json` is ``json.loads`` that refuses, with ``FILE:ROW:COLUMN`` (ROW the data-row
number, 1 = first row after the status object; COLUMN the row's key):

* a number longer than :data:`MAX_NUMBER_CHARS` characters (a 5,000-digit number would stop
  Python's integer conversion), or one too large to be a float (``1e999`` would become
  infinity);
* ``NaN``, ``Infinity`` and ``-Infinity``, which JSON does not allow;
* nesting too deep for the parser (100,000 levels would exhaust its stack; a DBH response is a
  list of flat rows): named where it passes :data:`MAX_DEPTH` levels;
* a key that appears twice in one object (the last would silently win).

Anything else that is not JSON raises :class:`json.JSONDecodeError` as ``json.loads`` does, so
the reader can say where the file breaks (a truncated download).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from analysis.errors import InputError, Problem

#: Where nesting too deep for the parser is named (DBH responses are 2 levels deep).
MAX_DEPTH = 64
#: Longer numbers are refused (the same limit as :func:`analysis.parsing.parse_decimal`).
MAX_NUMBER_CHARS = 30

_HINT = "download the table again from DBH-API (hentJSONTabellData)"
_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*+")'
    r"|(?P<num>-?(?:\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<lit>true|false|null|NaN|-?Infinity)"
    r"|(?P<punct>[\[\]{}:,]))",
    re.S,
)


class _Hostile(Exception):
    """Found by a parser hook; :func:`_locate` finds where."""


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Hostile(text)
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if len(text) > MAX_NUMBER_CHARS or not math.isfinite(value):
        raise _Hostile(text)
    return value


def _constant(text: str) -> float:
    raise _Hostile(text)


def _object(pairs: list[tuple[str, object]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Hostile("duplicate key")
    return obj


def decode_error(text: str, err: json.JSONDecodeError) -> str:
    """What is wrong with text that is not JSON, for a person: more text after the data (an
    error page, or a second download, added to the file), a file that ends too early (a
    truncated download), or where the JSON breaks."""
    if err.msg == "Extra data":
        return "more text after the JSON data (an error page, or a second download, added to the file?)"
    end = text.rstrip()
    if err.pos >= len(end) - 1 or not end.endswith(("]", "}")):
        return "the JSON ends too early (truncated download)"
    return f"not valid JSON: {err.msg}"


def load_json(path: Path | str, text: str) -> object:
    """``json.loads(text)`` refusing hostile content (see the module docstring).

    Raises:
        InputError: hostile content, naming file, data row, key and value.
        json.JSONDecodeError: text that is not JSON.
    """
    try:
        # NOTE: nesting is not measured up front (a scan of every character costs more than the
        # parse): the C parser refuses nesting near Python's recursion limit with RecursionError,
        # and the error path then names where the nesting passes MAX_DEPTH.
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant, object_pairs_hook=_object)
    except (_Hostile, RecursionError, ValueError) as err:
        if isinstance(err, json.JSONDecodeError):
            raise
        raise InputError([_locate(path, text)]) from None


def _locate(path: Path | str, text: str) -> Problem:
    """The first hostile construct in ``text`` as a problem (a scan of the tokens, only on error)."""
    has_status = re.match(r'\s*\[\s*\{\s*"status"', text) is not None
    stack: list[list] = []  # ["[", index] or ["{", keys, expecting_key, key]
    pos = 0

    def place(at: int, value: object, message: str) -> Problem:
        row = column = None
        if stack and stack[0][0] == "[":
            row = stack[0][1] + (0 if has_status else 1)
            if len(stack) > 1 and stack[1][0] == "{" and stack[1][3] is not None:
                column = stack[1][3]
        line = text.count("\n", 0, at) + 1
        char = at - (text.rfind("\n", 0, at) + 1) + 1
        return Problem(str(path), row, column, value, f"{message} (line {line}, character {char} of the file)", _HINT)

    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        at, pos = m.start(m.lastgroup), m.end()
        token = m.group(m.lastgroup)
        top = stack[-1] if stack else None
        if m.lastgroup == "punct":
            if token in "[{":
                stack.append(["[", 0] if token == "[" else ["{", set(), True, None])
                if len(stack) > MAX_DEPTH:
                    return place(
                        at,
                        text[at : at + 20],
                        f"the JSON is nested more than {MAX_DEPTH} levels deep; "
                        "a DBH-API response is a list of flat rows",
                    )
            elif token in "]}":
                if stack:
                    stack.pop()
            elif token == "," and top is not None:
                if top[0] == "[":
                    top[1] += 1
                else:
                    top[2] = True
            elif token == ":" and top is not None and top[0] == "{":
                top[2] = False
            continue
        if m.lastgroup == "str":
            if top is not None and top[0] == "{" and top[2]:
                key = json.loads(token)
                if key in top[1]:
                    return place(
                        at,
                        key,
                        f"the key {key!r} appears twice in the same object; one value would silently replace the other",
                    )
                top[1].add(key)
                top[3] = key
            continue
        if m.lastgroup == "lit" and token in ("NaN", "Infinity", "-Infinity"):
            return place(at, token, f"{token} is not a value JSON allows")
        if m.lastgroup == "num":
            if len(token) > MAX_NUMBER_CHARS:
                return place(
                    at, token, f"a number with {len(token)} characters; no value in a DBH-API response is that long"
                )
            if not math.isfinite(float(token)):
                return place(at, token, "a number too large to read (it would become infinity)")
    return Problem(
        str(path),
        None,
        None,
        None,
        "the JSON holds content no DBH-API response has (a huge number, NaN, deep nesting or a repeated key)",
        _HINT,
    )
