"""HK-dir's DBH-API: the query body, one POST, and the checks every answer must pass.

The API takes a POST of a JSON query to ``{base}/Tabeller/hentJSONTabellData`` (or
``hentCSVTabellData``)::

    {"tabell_id": 123, "api_versjon": 1, "statuslinje": "J", "begrensning": "1000000",
     "kodetekst": "J", "desimal_separator": ".",
     "groupBy": ["Institusjonskode", "Årstall"],      # aggregated tables (catalogue: Math = 1)
     "variabler": ["*"],                               # row tables (Math = 0), instead of groupBy
     "sortBy": ["Institusjonskode", "Årstall"],
     "filter": [{"variabel": "Institusjonskode",
                 "selection": {"filter": "item", "values": ["1150"], "exclude": [""]}}]}

The filter kinds are those of HK-dir's own R client (rdbhapi): ``item`` (these values), ``all``
(``["*"]``), ``top`` (the last N), ``between`` (from, to), ``lessthan`` / ``greaterthan`` (one
value); ``exclude`` leaves values out. As in rdbhapi, a groupBy variable without a filter of its
own gets ``all``. ``kodetekst: "J"`` adds the name columns (``Institusjonsnavn``,
``Avdelingsnavn``, …). ``statuslinje: "J"`` puts a status object before the rows of a JSON
answer, ``[{"status": {"tabell_id", "antall", "returkode", "melding", …}}, row, …]``: an answer
counts only when ``returkode`` is 0, it is the table asked for and ``antall`` equals the rows
delivered. A CSV answer has no status line, so only its shape can be checked.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from analysis.errors import Problem, caused_by_interrupt

JSON_ENDPOINT = "Tabeller/hentJSONTabellData"
CSV_ENDPOINT = "Tabeller/hentCSVTabellData"
URL_ENV = "KVALITET_DBH_URL"
TOKEN_ENV = "KVALITET_DBH_TOKEN"
FILTER_KINDS = ("item", "all", "top", "between", "lessthan", "greaterthan")
# NOTE: HK-dir's own query for its national export asks for up to a million rows. An answer
# that fills the limit may have been cut there, so it is refused rather than saved.
ROW_LIMIT = 1_000_000


def stated_row_limit(body: Mapping | None) -> int | None:
    """The query ``body``'s own row limit: its ``begrensning`` as a whole number above 0; None
    where it has none, or one no answer can have been cut at ("0", "-1": an answer with rows
    went past it, so DBH did not stop there) or that is no number ("alle")."""
    try:
        limit = int(str((body or {})["begrensning"]).strip())
    except (KeyError, TypeError, ValueError):
        return None
    return limit if limit > 0 else None


def row_limit(body: Mapping | None) -> int:
    """The most rows DBH-API returns for the query ``body``: its :func:`stated_row_limit`; where
    the query or its limit is not known, :data:`ROW_LIMIT` (kvalitet fetch's and HK-dir's own)."""
    stated = stated_row_limit(body)
    return ROW_LIMIT if stated is None else stated


def fills_row_limit(n_rows: int, body: Mapping | None) -> int | None:
    """The row limit of ``body`` (:func:`row_limit`) when an answer of ``n_rows`` rows reaches it,
    else None: such an answer may have been cut there. The one rule for ``kvalitet fetch`` and
    for a downloaded file read (:mod:`analysis.readers.dbh`).

    NOTE: whatever its status says. No source at hand (HK-dir's rdbhapi, the DBH-API responses
    NMBU-sammenligning kept, third-party clients that send ``begrensning: "1000"``; searched
    2026-12-04) says whether ``antall`` then counts the rows left out or the rows delivered; a
    status that counts more rows than came is refused on its own (``antall`` against the rows)."""
    limit = row_limit(body)
    return limit if n_rows >= limit else None


# Connecting is quick or not at all; DBH can think for minutes before a large answer (table 308
# for the whole country is ~170 MB), so reading waits longer. Seconds.
TIMEOUT = {"connect": 15.0, "read": 300.0, "write": 60.0, "pool": 15.0}
MOVED_HINT = f"if the service has moved, set {URL_ENV} or [dbh] base_url in config/kvalitet.toml"


@dataclass(frozen=True)
class Query:
    """One request: the table, its JSON body, the file its answer is saved as, and in words."""

    table: int
    body: dict
    name: str
    what: str
    csv: bool = False

    @property
    def endpoint(self) -> str:
        return CSV_ENDPOINT if self.csv else JSON_ENDPOINT


@dataclass(frozen=True)
class Answer:
    """An answer that passed the checks: the exact bytes, the status object (JSON), the rows."""

    content: bytes
    status: dict | None
    rows: int
    url: str
    retrieved: str  # UTC, ISO 8601


class FetchError(Exception):
    """A table could not be fetched. ``fatal``: the service cannot be reached at all, so the
    other tables would fail the same way (and each wait for the timeout)."""

    def __init__(self, problem: Problem, fatal: bool = False):
        self.problem, self.fatal = problem, fatal
        super().__init__(str(problem))


def selection(kind: str, values: Iterable[str] = (), exclude: Iterable[str] = ("",)) -> dict:
    if kind not in FILTER_KINDS:
        raise ValueError(f"unknown filter {kind!r} (use one of {', '.join(FILTER_KINDS)})")
    return {"filter": kind, "values": [str(v) for v in values], "exclude": [str(v) for v in exclude]}


def query_body(
    table: int,
    *,
    group_by: Iterable[str] = (),
    variables: Iterable[str] = (),
    filters: Mapping[str, dict] | None = None,
    sort_by: Iterable[str] | None = None,
    csv: bool = False,
) -> dict:
    """The JSON body of one query: ``group_by`` for an aggregated table, ``variables`` for a
    row table (``["*"]`` = every column); ``filters`` maps a variable to its :func:`selection`."""
    group_by, variables = list(group_by), list(variables)
    if bool(group_by) == bool(variables):
        raise ValueError(
            "give --group-by VAR … (an aggregated table) or --variables VAR … "
            "('*' for every column of a row table), not both or neither"
        )
    chosen = dict(filters or {})
    for var in group_by:
        chosen.setdefault(var, selection("all", ["*"]))
    body: dict = {
        "tabell_id": table,
        "api_versjon": 1,
        "statuslinje": "N" if csv else "J",
        "begrensning": str(ROW_LIMIT),
        "kodetekst": "J",
        "desimal_separator": ".",
    }
    if group_by:
        body["groupBy"] = group_by
    else:
        body["variabler"] = variables
    body["sortBy"] = list(sort_by) if sort_by is not None else group_by
    body["filter"] = [{"variabel": var, "selection": sel} for var, sel in chosen.items()]
    return body


def parse_filters(texts: Iterable[str]) -> dict[str, dict]:
    """``--filter`` arguments as selections: ``VAR=V1,V2`` (item), ``VAR=*`` (all),
    ``VAR=top:N``, ``VAR=between:A,B``, ``VAR=lessthan:X``, ``VAR=greaterthan:X``; and
    ``VAR!=V1,V2`` to leave values out of the variable's other filter (or of all its values)."""
    chosen: dict[str, dict] = {}
    excluded: dict[str, list[str]] = {}
    for text in texts:
        m = re.fullmatch(r"\s*([^=!]+?)\s*(!?=)(.*)", text)
        if not m or not m.group(3).strip():
            raise ValueError(f"--filter {text!r}: write VAR=V1,V2 (or VAR=*, VAR=top:N, VAR=between:A,B, VAR!=V)")
        var, op, rest = m.groups()
        if op == "!=":
            excluded.setdefault(var, []).extend(_values(rest))
            continue
        if var in chosen:
            raise ValueError(f"--filter {text!r}: {var} has a filter already; give one filter per variable")
        kind, _, vals = rest.partition(":") if ":" in rest and rest.split(":")[0] in FILTER_KINDS else ("", "", rest)
        if not kind:
            kind = "all" if rest.strip() == "*" else "item"
        values = _values(vals)
        wanted = {"top": 1, "lessthan": 1, "greaterthan": 1, "between": 2}.get(kind)
        if wanted and len(values) != wanted:
            raise ValueError(f"--filter {text!r}: {kind} takes {wanted} value{'s' if wanted > 1 else ''}")
        chosen[var] = selection(kind, values)
    for var, values in excluded.items():
        sel = chosen.setdefault(var, selection("all", ["*"]))
        if sel["filter"] == "item":
            raise ValueError(f"--filter {var}!=…: values cannot be left out of an item filter (list the ones you want)")
        sel["exclude"] = values
    return chosen


def _values(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def base_url(configured: str, environ: Mapping[str, str] = os.environ) -> str:
    """The API's address: ``KVALITET_DBH_URL`` if set, else the settings' ``[dbh] base_url``."""
    url = (environ.get(URL_ENV) or configured).strip()
    if not re.match(r"https?://[^/\s]+", url):
        where = URL_ENV if environ.get(URL_ENV) else "[dbh] base_url"
        raise ValueError(f"{where} = {url!r} is not an http(s) address (e.g. https://dbh.hkdir.no/api/)")
    return url if url.endswith("/") else url + "/"


def token_from_env(environ: Mapping[str, str] = os.environ) -> str | None:
    """The optional bearer token (an institution's own unsuppressed data), or None."""
    token = environ.get(TOKEN_ENV, "").strip()
    if token and not re.fullmatch(r"[\x21-\x7e]+", token):
        raise ValueError(
            f"{TOKEN_ENV} is not a usable token: it holds spaces, line breaks or non-ASCII "
            "characters (set it to the token alone)"
        )
    return token or None


class DbhClient:
    """POSTs queries to one base URL. The token, if any, goes in the ``Authorization`` header
    and nowhere else: every message this client makes has it blanked out."""

    def __init__(self, base: str, token: str | None = None):
        import httpx  # not at import time: the command line starts without it

        self.base = base
        self._token = token
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        # redirects are not followed: a moved service is reported, and the token is never
        # sent to another host
        self._http = httpx.Client(timeout=httpx.Timeout(**TIMEOUT), headers=headers, follow_redirects=False)

    @property
    def authenticated(self) -> bool:
        return self._token is not None

    def __repr__(self) -> str:
        return f"DbhClient({self.base!r}, token={'given' if self._token else 'none'})"

    def __enter__(self) -> DbhClient:
        return self

    def __exit__(self, *exc) -> None:
        self._http.close()

    def url(self, query: Query) -> str:
        return self.base + query.endpoint

    def fetch(self, query: Query) -> Answer:
        """The checked answer to ``query``; :class:`FetchError` naming the table otherwise."""
        try:
            return self._fetch(query)
        except FetchError as err:
            raise FetchError(self._blank(err.problem), err.fatal) from None
        except Exception as err:  # a bug still reaches the adviser, token blanked
            if caused_by_interrupt(err):  # a kill while a class was built: the run ends as interrupted
                raise
            raise FetchError(
                self._blank(
                    problem(
                        query,
                        None,
                        type(err).__name__,
                        f"unexpected error: {err}",
                        "please report this to the maintainers",
                    )
                )
            ) from None

    def _fetch(self, query: Query) -> Answer:
        import httpx

        url = self.url(query)
        host = httpx.URL(url).host
        try:
            resp = self._http.post(url, content=json.dumps(query.body, ensure_ascii=False).encode("utf-8"))
        except httpx.TimeoutException as err:
            raise FetchError(
                problem(
                    query,
                    None,
                    type(err).__name__,
                    f"{host} did not answer in time",
                    "try again later, or narrow the query with --from/--to",
                ),
                fatal=True,
            ) from None
        except (httpx.ConnectError, httpx.UnsupportedProtocol) as err:
            raise FetchError(
                problem(
                    query,
                    None,
                    str(err) or type(err).__name__,
                    f"cannot reach {url} (no network, unknown host or connection refused)",
                    f"check the network connection; {MOVED_HINT}",
                ),
                fatal=True,
            ) from None
        except httpx.HTTPError as err:  # e.g. the connection closed before the whole body came
            raise FetchError(
                problem(query, None, str(err) or type(err).__name__, f"the answer from {host} broke off", "try again")
            ) from None
        retrieved = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        secret = self._token.encode() if self._token else None
        if resp.status_code != 200:  # an error page may echo the request's headers
            said = resp.content.replace(secret, b"***") if secret else resp.content
            raise FetchError(http_problem(query, resp.status_code, resp.headers.get("location"), said))
        if secret and secret in resp.content:
            raise FetchError(
                problem(
                    query,
                    None,
                    None,
                    "the answer holds the token itself, so it is not saved",
                    f"unset {TOKEN_ENV} and fetch the open data, and tell HK-dir",
                )
            )
        status, rows = (check_csv if query.csv else check_json)(query, resp.content)
        return Answer(resp.content, status, rows, url, retrieved)

    def _blank(self, p: Problem) -> Problem:
        if not self._token:
            return p

        def blank(x):
            return x.replace(self._token, "***") if isinstance(x, str) else x

        return Problem(blank(p.file), p.row, blank(p.column), blank(p.value), blank(p.message), blank(p.hint))


def problem(query: Query, column: str | None, value: object, message: str, hint: str) -> Problem:
    """A fetch problem in the product's ``FILE:ROW:COLUMN: VALUE — what (what to do)`` form;
    FILE names the table and the file its answer was to be saved as."""
    return Problem(f"DBH table {query.table} ({query.name})", None, column, value, message, hint)


def http_problem(query: Query, code: int, location: str | None, content: bytes) -> Problem:
    said = content[:300].decode("utf-8", "replace").strip()
    value = f"HTTP {code}" + (f" {said!r}" if said else "")
    if 300 <= code < 400:
        return problem(
            query,
            None,
            f"HTTP {code}",
            f"the service answered with a move to {location}",
            f"set {URL_ENV} or [dbh] base_url in config/kvalitet.toml to the new address",
        )
    if code in (401, 403):
        return problem(
            query,
            None,
            value,
            "not allowed (the token was refused or is needed)",
            f"check {TOKEN_ENV} (it may have expired), or unset it for the open data",
        )
    if code == 404:
        return problem(query, None, value, f"no such address at {query.endpoint}", MOVED_HINT)
    if code == 429 or code >= 500:
        return problem(query, None, value, "the service is busy or failed", "try again later")
    return problem(
        query,
        None,
        value,
        "the service refused the query",
        "check the table number and the variable names in --group-by/--filter "
        "(HK-dir's query builder: https://dbh.hkdir.no/dbhapiklient/)",
    )


def check_json(query: Query, content: bytes) -> tuple[dict, int]:
    """The status object and the number of rows of a complete, accepted JSON answer."""

    def bad(column, value, message, hint="try again; if it repeats, the service is not answering as DBH-API"):
        return FetchError(problem(query, column, value, message, hint))

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise bad(None, content[max(err.start - 20, 0) : err.start + 20], "the answer is not UTF-8 text") from None
    if not text.strip():
        raise bad(None, None, "the answer is empty")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise bad(
            None,
            text[:60],
            f"the answer is not complete JSON (it breaks off or is something else; "
            f"fault at character {err.pos} of {len(text)})",
        ) from None
    if isinstance(doc, dict):
        raise bad(
            None,
            json.dumps(doc, ensure_ascii=False)[:200],
            "an error object instead of a table",
            "check the query's variable names and filters",
        )
    first = doc[0] if isinstance(doc, list) and doc else None
    if not isinstance(first, dict) or not isinstance(first.get("status"), dict):
        raise bad(
            None,
            str(first)[:60],
            "no status object before the rows",
            'ask with "statuslinje": "J" (kvalitet fetch always does; is this DBH-API?)',
        )
    status, rows = first["status"], doc[1:]
    if str(status.get("returkode")) != "0":
        raise bad(
            "returkode",
            status.get("returkode"),
            f"the service refused the query: {status.get('melding')!r}",
            "check the table number and the variable names in --group-by/--filter",
        )
    if str(status.get("tabell_id")) != str(query.table):
        raise bad("tabell_id", status.get("tabell_id"), f"the answer is for another table than {query.table}")
    if str(status.get("antall")) != str(len(rows)):
        raise bad(
            "antall",
            status.get("antall"),
            f"the status says {status.get('antall')} rows but {len(rows)} came (the answer was cut off)",
        )
    if not all(isinstance(r, dict) for r in rows):
        raise bad(None, None, "a row is not a JSON object")
    limit = fills_row_limit(len(rows), query.body)
    if limit is not None:
        raise bad(
            "antall",
            len(rows),
            f"the answer fills the row limit of {limit}, so rows may be missing",
            "narrow the query with --from/--to or fewer institutions",
        )
    return status, len(rows)


def check_csv(query: Query, content: bytes) -> tuple[None, int]:
    """The number of rows of a CSV answer whose every row has the header's fields (a body cut
    off inside a row is caught; one cut exactly at a line break cannot be told apart)."""

    def bad(value, message):
        return FetchError(
            problem(query, None, value, message, "try again; or fetch the JSON answer, which is checked row by row")
        )

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", "replace")
    if not text.strip():
        raise bad(None, "the answer is empty")
    if text.lstrip()[:1] in ("{", "["):
        raise bad(text.strip()[:200], "a JSON message instead of CSV rows")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True))
    except csv.Error as err:
        raise bad(text[-60:], f"the CSV breaks off ({err})") from None
    width = len(records[0])
    for number, record in enumerate(records[1:], start=2):
        if len(record) != width:
            raise bad(
                ";".join(record)[:60],
                f"line {number} has {len(record)} fields, the header {width} (the answer was cut off)",
            )
    return None, len(records) - 1
