"""``kvalitet fetch`` against a local server that replays real recorded DBH-API answers.

Nothing here touches the network. The replay server (pytest-httpserver) answers each POST with
the recorded answer for the table asked for: NTNU's tables 123 and 210 (data/raw/dbh_api/) and
BI's table 379 (tests/fixtures/dbh_api/, provenance in its README). A failure is made from a real
answer (cut short, a row removed, the status changed) or from the server's side (no server, an
HTTP error, no answer in time, a connection that closes mid-body).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import stat
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from werkzeug import Response

from analysis import cli, paths
from analysis.errors import InputError
from analysis.fetch import dbh, presets, store
from analysis.fetch.dbh import DbhClient, query_body
from analysis.ingest import raw_files
from analysis.settings import load_settings

FIXTURES = Path(__file__).parent / "fixtures" / "dbh_api"
T123 = (paths.RAW / "dbh_api" / "dbh_api_t123_1150.json").read_bytes()
T210 = (paths.RAW / "dbh_api" / "dbh_api_t210_1150.json").read_bytes()
T379 = (FIXTURES / "dbh_api_t379_8241_totaler.json").read_bytes()
RECORDED = {123: T123, 210: T210, 379: T379}
JSON_PATH = "/Tabeller/hentJSONTabellData"
CSV_PATH = "/Tabeller/hentCSVTabellData"
TOKEN = "s3cr3t-DBH-token-7f9a"
NATIONAL = "dbh_national/dbh_t123_alle_institusjoner_1986_2022_semester_studentkategori.csv"

# The queries that produced the recordings (NMBU-sammenligning scripts/build-staff.py and its
# bi-kristiania cache), as `kvalitet fetch --table` arguments.
NTNU_123 = [
    "--table",
    "123",
    "--group-by",
    "Årstall",
    "Avdelingskode",
    "--filter",
    "Semester=3",
    "--institution",
    "1150",
    "--from",
    "2019",
    "--to",
    "2025",
]
NTNU_210 = [
    "--table",
    "210",
    "--variables",
    "Institusjonskode",
    "Avdelingskode",
    "Fakultetskode",
    "Fakultetsnavn",
    "Gyldig fra",
    "Gyldig til",
    "--institution",
    "1150",
]
BI_379 = [
    "--table",
    "379",
    "--group-by",
    "Årstall",
    "Studieprogramkode",
    "Opptakstype",
    "--institution",
    "8241",
    "--from",
    "2021",
    "--to",
    "2025",
]
ALL = {"filter": "all", "values": ["*"], "exclude": [""]}


class Replay:
    """Answers a query with the recording for its table; keeps every request it saw."""

    def __init__(self, answers: dict[int, bytes], *, status: int = 200, delay: float = 0.0):
        self.answers, self.status, self.delay = answers, status, delay
        self.bodies: list[bytes] = []
        self.headers: list[dict] = []
        self.staging_modes: list[int] = []
        self.raw_dir: Path | None = None

    def __call__(self, request):
        self.bodies.append(request.get_data())
        self.headers.append(dict(request.headers))
        if self.raw_dir is not None:  # the private staging folder exists while fetching
            self.staging_modes += [stat.S_IMODE(p.stat().st_mode) for p in self.raw_dir.glob(".kvalitet-fetch-*")]
        if self.delay:
            time.sleep(self.delay)
        content = self.answers.get(json.loads(request.get_data())["tabell_id"])
        if content is None:
            return Response("no recording of this table in the test", status=503)
        return Response(content, status=self.status, content_type="application/json; charset=utf-8")


def tree_state(root: Path) -> str:
    """One hash of every path, mode and byte under ``root``."""
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        h.update(p.relative_to(root).as_posix().encode() + oct(p.stat().st_mode).encode())
        if p.is_file():
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def every_byte(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


@pytest.fixture(autouse=True)
def no_dbh_environment(monkeypatch):
    monkeypatch.delenv(dbh.URL_ENV, raising=False)
    monkeypatch.delenv(dbh.TOKEN_ENV, raising=False)


@pytest.fixture
def data(tmp_path) -> Path:
    """A data folder whose raw/ is a copy of the product's data/raw (the real manifest)."""
    shutil.copytree(paths.RAW, tmp_path / "data" / "raw")
    return tmp_path / "data"


@pytest.fixture
def replay(httpserver, monkeypatch):
    def start(answers=RECORDED, **kw) -> Replay:
        handler = Replay(answers, **kw)
        httpserver.expect_request(JSON_PATH, method="POST").respond_with_handler(handler)
        httpserver.expect_request(CSV_PATH, method="POST").respond_with_handler(handler)
        monkeypatch.setenv(dbh.URL_ENV, httpserver.url_for("/"))
        return handler

    return start


def fetch(*args: str, data: Path) -> int:
    return cli.main(["fetch", *args, "--data", str(data)])


def manifest(data: Path) -> dict:
    return json.loads((data / "raw" / "MANIFEST.json").read_text(encoding="utf-8"))


def entry(data: Path, name: str) -> dict:
    return next(e for e in manifest(data)["files"] if e["file"] == f"dbh/{name}")


# --- the report's queries ------------------------------------------------------------------


def test_the_report_queries_are_exactly_these():
    def head(table):
        return {
            "tabell_id": table,
            "api_versjon": 1,
            "statuslinje": "J",
            "begrensning": "1000000",
            "kodetekst": "J",
            "desimal_separator": ".",
        }

    inst = {"variabel": "Institusjonskode", "selection": {"filter": "item", "values": ["1150"], "exclude": [""]}}
    years = {"variabel": "Årstall", "selection": {"filter": "between", "values": ["2016", "2025"], "exclude": [""]}}

    def every(*names):
        return [{"variabel": n, "selection": ALL} for n in names]

    def first(var):
        return {"variabel": var, "selection": {"filter": "item", "values": ["1"], "exclude": [""]}}

    dept = ["Institusjonskode", "Avdelingskode", "Årstall", "Semester", "Studentkategori"]
    prog = ["Institusjonskode", "Avdelingskode", "Studieprogramkode", "Årstall", "Semester"]
    expected = {
        "dbh_t123_1150_inst-avd-aar-sem-kat_2016-2025.json": {
            **head(123),
            "groupBy": dept,
            "sortBy": dept,
            "filter": [inst, years, *every("Avdelingskode", "Semester", "Studentkategori")],
        },
        "dbh_t123_1150_inst-avd-prog-aar-sem-kat_2016-2025.json": {
            **head(123),
            "groupBy": prog + ["Studentkategori"],
            "sortBy": prog + ["Studentkategori"],
            "filter": [inst, years, *every("Avdelingskode", "Studieprogramkode", "Semester", "Studentkategori")],
        },
        **{
            f"dbh_t{t}_1150_inst-avd-prog-aar-sem_2016-2025.json": {
                **head(t),
                "groupBy": prog,
                "sortBy": prog,
                "filter": [inst, years, *every("Avdelingskode", "Studieprogramkode", "Semester")],
            }
            for t in (110, 112, 132)
        },
        "dbh_t379_1150_inst-avd-prog-aar-sem-kjonn_2016-2025.json": {
            **head(379),
            "groupBy": prog + ["Kjønn"],
            "sortBy": prog + ["Kjønn"],
            "filter": [inst, years, *every("Avdelingskode", "Studieprogramkode", "Semester", "Kjønn")],
        },
        "dbh_t379_1150_inst-avd-prog-aar-sem-kjonn-prio_prio1_2016-2025.json": {
            **head(379),
            "groupBy": prog + ["Kjønn", "Prioritet"],
            "sortBy": prog + ["Kjønn", "Prioritet"],
            "filter": [
                inst,
                years,
                first("Prioritet"),
                *every("Avdelingskode", "Studieprogramkode", "Semester", "Kjønn"),
            ],
        },
        "dbh_t379_1150_inst-avd-prog-aar-sem-kjonn-kval_kval1_2016-2025.json": {
            **head(379),
            "groupBy": prog + ["Kjønn", "Kvalifisert"],
            "sortBy": prog + ["Kjønn", "Kvalifisert"],
            "filter": [
                inst,
                years,
                first("Kvalifisert"),
                *every("Avdelingskode", "Studieprogramkode", "Semester", "Kjønn"),
            ],
        },
        "dbh_t347_1150_rader_2016-2025.json": {
            **head(347),
            "variabler": ["*"],
            "sortBy": ["Institusjonskode", "Studieprogramkode", "Årstall", "Semester"],
            "filter": [inst, years],
        },
        "dbh_t210_1150_rader.json": {
            **head(210),
            "variabler": ["*"],
            "sortBy": ["Institusjonskode", "Avdelingskode"],
            "filter": [inst],
        },
        "dbh_t457_1150_rader_2016-2025.json": {
            **head(457),
            "variabler": ["*"],
            "sortBy": ["Institusjonskode", "Avdelingskode", "Årstall", "Semester"],
            "filter": [inst, years],
        },
        "dbh_t211_alle_rader.json": {
            **head(211),
            "variabler": ["*"],
            "sortBy": ["Institusjonskode"],
            "filter": [{"variabel": "Institusjonskode", "selection": ALL}],
        },
    }
    queries = presets.report_queries(["1150"], 2016, 2025)
    assert [q.name for q in queries] == list(expected)
    for q in queries:
        assert q.body == expected[q.name], q.name
        assert q.endpoint == "Tabeller/hentJSONTabellData"


def test_several_institutions_or_all_of_them():
    two = presets.report_queries(["1150", "1120"], 2020, 2021)[0]
    assert two.body["filter"][0]["selection"]["values"] == ["1150", "1120"]
    assert two.name == "dbh_t123_1150+1120_inst-avd-aar-sem-kat_2020-2021.json"
    everyone = presets.report_queries(["all"], 2020, 2021)[0]
    assert everyone.body["filter"][0] == {"variabel": "Institusjonskode", "selection": ALL}
    assert everyone.name == "dbh_t123_alle_inst-avd-aar-sem-kat_2020-2021.json"


def test_without_years_the_set_covers_the_last_ten_calendar_years():
    from analysis.commands import fetch as command

    args = cli.build_parser().parse_args(["fetch", "--institution", "1150"])
    this_year = date.today().year
    queries = command.plan(args)
    assert queries[0].body["filter"][1]["selection"]["values"] == [str(this_year - 9), str(this_year)]


def test_filters_in_every_form_hk_dir_uses():
    got = dbh.parse_filters(
        [
            "Semester=3",
            "Studieprogramkode=BIT,MLREAL",
            "Avdelingskode=*",
            "Årstall=between:2019,2025",
            "Kjønn=top:1",
            "Alder=lessthan:30",
            "Prioritet=greaterthan:2",
            "Avdelingskode!=000000",
        ]
    )
    assert got == {
        "Semester": {"filter": "item", "values": ["3"], "exclude": [""]},
        "Studieprogramkode": {"filter": "item", "values": ["BIT", "MLREAL"], "exclude": [""]},
        "Avdelingskode": {"filter": "all", "values": ["*"], "exclude": ["000000"]},
        "Årstall": {"filter": "between", "values": ["2019", "2025"], "exclude": [""]},
        "Kjønn": {"filter": "top", "values": ["1"], "exclude": [""]},
        "Alder": {"filter": "lessthan", "values": ["30"], "exclude": [""]},
        "Prioritet": {"filter": "greaterthan", "values": ["2"], "exclude": [""]},
    }
    for bad in (
        ["Semester"],
        ["Semester="],
        ["Årstall=between:2019"],
        ["Semester=3", "Semester=1"],
        ["Semester=3", "Semester!=1"],
    ):
        with pytest.raises(ValueError):
            dbh.parse_filters(bad)


def test_a_query_is_grouped_or_lists_columns_never_both():
    with pytest.raises(ValueError):
        query_body(123)
    with pytest.raises(ValueError):
        query_body(123, group_by=["Årstall"], variables=["*"])


# --- the base URL and the token -------------------------------------------------------------


def test_base_url_from_the_settings_file_and_the_environment(tmp_path):
    assert load_settings().dbh.base_url == "https://dbh.hkdir.no/api/"
    cfg = tmp_path / "k.toml"
    cfg.write_text('[dbh]\nbase_url = "https://dbh.example.org/api"\n', encoding="utf-8")
    configured = load_settings(cfg).dbh.base_url
    assert dbh.base_url(configured, {}) == "https://dbh.example.org/api/"
    assert dbh.base_url(configured, {dbh.URL_ENV: "http://127.0.0.1:9/x/"}) == "http://127.0.0.1:9/x/"
    with pytest.raises(ValueError):
        dbh.base_url("dbh.hkdir.no/api", {})


def test_a_token_with_a_line_break_is_refused_without_showing_it(data, capsys, monkeypatch):
    monkeypatch.setenv(dbh.TOKEN_ENV, "abc\ndef-" + TOKEN)
    assert fetch("--institution", "1150", data=data) == 2
    out = capsys.readouterr()
    assert "KVALITET_DBH_TOKEN" in out.err and TOKEN not in out.out + out.err


# --- verbatim files, provenance, cache --------------------------------------------------------


def test_answers_are_saved_verbatim_with_their_provenance(replay, data, capsys):
    server = replay()
    before = manifest(data)
    for args in (NTNU_123, NTNU_210, BI_379):
        assert fetch(*args, data=data) == 0
    names = {
        "dbh_t123_1150_aar-avd_sem3_2019-2025.json": T123,
        "dbh_t210_1150_inst-avd-fakultetskode-fakultetsnavn-gyldigfra-gyldigtil.json": T210,
        "dbh_t379_8241_aar-prog-opptak_2021-2025.json": T379,
    }
    for name, recorded in names.items():
        saved = (data / "raw" / "dbh" / name).read_bytes()
        assert saved == recorded
        e = entry(data, name)
        assert e["sha256"] == hashlib.sha256(recorded).hexdigest() and e["bytes"] == len(recorded)
        assert e["url"] == os.environ[dbh.URL_ENV] + "Tabeller/hentJSONTabellData"
        assert e["source"] == f"DBH-API POST {e['url']}"
        assert e["status"] == json.loads(recorded)[0]["status"]
        assert e["rows"] == e["status"]["antall"] == len(json.loads(recorded)) - 1
        assert e["retrieved"].endswith("Z") and e["authenticated"] is False
    # what was sent is exactly the body the manifest records, and the query that made the recording
    sent = [json.loads(b) for b in server.bodies]
    assert sent == [entry(data, n)["query"] for n in names]
    assert server.bodies[0] == json.dumps(sent[0], ensure_ascii=False).encode("utf-8")
    assert sent[0]["groupBy"] == ["Årstall", "Avdelingskode"]
    assert sent[0]["filter"][:3] == [
        {"variabel": "Institusjonskode", "selection": {"filter": "item", "values": ["1150"], "exclude": [""]}},
        {"variabel": "Årstall", "selection": {"filter": "between", "values": ["2019", "2025"], "exclude": [""]}},
        {"variabel": "Semester", "selection": {"filter": "item", "values": ["3"], "exclude": [""]}},
    ]
    assert sent[1]["variabler"][2:4] == ["Fakultetskode", "Fakultetsnavn"]
    # the earlier entries are untouched, and the manifest keeps the checks of tests/test_raw_manifest.py
    after = manifest(data)
    assert [e for e in after["files"] if not e["file"].startswith("dbh/")] == before["files"]
    assert after["description"] == before["description"]
    assert [e["file"] for e in after["files"]] == sorted(e["file"] for e in after["files"])
    on_disk = {p.relative_to(data / "raw").as_posix() for p in raw_files(data / "raw")}
    assert on_disk == {e["file"] for e in after["files"]}
    for e in after["files"]:
        assert all(
            str(e[k]).strip() for k in ("file", "sha256", "bytes", "source", "owner", "retrieved", "licence", "what")
        )
    out = capsys.readouterr().out
    assert "dbh_t379_8241_aar-prog-opptak_2021-2025.json: 47 rows" in out
    assert not list((data / "raw").glob(".kvalitet-fetch-*"))


def test_the_report_set_is_fetched_in_one_staged_step(replay, data, capsys):
    server = replay()
    server.raw_dir = data / "raw"
    queries = [q for q in presets.report_queries(["1150"], 2019, 2025) if q.table in RECORDED]
    with DbhClient(os.environ[dbh.URL_ENV]) as client:
        outcome = store.fetch_into_raw(queries, client, data / "raw")
    assert outcome.fetched == [q.name for q in queries] and len(queries) == 6
    assert [json.loads(b) for b in server.bodies] == [q.body for q in queries]
    assert server.staging_modes and set(server.staging_modes) == {0o700}
    for q in queries:
        assert (data / "raw" / "dbh" / q.name).read_bytes() == RECORDED[q.table]
    assert entry(data, queries[2].name)["what"].startswith("table 379 Søkertall og møtte, by ")


def test_a_second_run_sends_no_request_and_says_so(replay, data, capsys, httpserver):
    replay()
    assert fetch(*NTNU_123, data=data) == 0
    state, requests = tree_state(data / "raw"), len(httpserver.log)
    capsys.readouterr()
    assert fetch(*NTNU_123, data=data) == 0
    assert len(httpserver.log) == requests
    assert tree_state(data / "raw") == state
    out = capsys.readouterr().out
    assert "dbh_t123_1150_aar-avd_sem3_2019-2025.json: cached, no request sent" in out
    assert "0 fetched, 1 unchanged" in out
    assert fetch(*NTNU_123, "--refresh", data=data) == 0
    assert len(httpserver.log) == requests + 1


def test_a_changed_file_or_another_address_is_fetched_again(replay, data, httpserver, monkeypatch):
    replay()
    assert fetch(*NTNU_123, data=data) == 0
    saved = data / "raw" / "dbh" / "dbh_t123_1150_aar-avd_sem3_2019-2025.json"
    saved.write_bytes(saved.read_bytes().replace(b'"121"', b'"122"'))
    assert fetch(*NTNU_123, data=data) == 0
    assert len(httpserver.log) == 2 and saved.read_bytes() == T123
    monkeypatch.setenv(dbh.URL_ENV, httpserver.url_for("/").replace("localhost", "127.0.0.1"))  # same server
    assert fetch(*NTNU_123, data=data) == 0
    assert len(httpserver.log) == 3


def test_the_token_is_sent_as_a_header_and_written_nowhere(replay, data, capsys, monkeypatch):
    server = replay()
    monkeypatch.setenv(dbh.TOKEN_ENV, TOKEN)
    assert fetch(*NTNU_123, data=data) == 0
    assert server.headers[0]["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN.encode() not in every_byte(data)
    assert entry(data, "dbh_t123_1150_aar-avd_sem3_2019-2025.json")["authenticated"] is True
    out = capsys.readouterr()
    assert TOKEN not in out.out + out.err and "(with token)" in out.out
    assert TOKEN not in repr(DbhClient("http://x/", TOKEN))


def test_an_answer_holding_the_token_is_not_saved(replay, data, capsys, monkeypatch):
    replay({123: T123.replace(b"Data levert", TOKEN.encode())})
    monkeypatch.setenv(dbh.TOKEN_ENV, TOKEN)
    state = tree_state(data / "raw")
    assert fetch(*NTNU_123, data=data) == 1
    out = capsys.readouterr()
    assert "holds the token itself" in out.err and TOKEN not in out.out + out.err
    assert tree_state(data / "raw") == state


def test_a_refused_token_is_not_repeated_in_the_message(httpserver, data, capsys, monkeypatch):
    # a server that echoes the request headers in its error page
    httpserver.expect_request(JSON_PATH).respond_with_handler(
        lambda r: Response(f"denied: {r.headers.get('Authorization')}", status=401)
    )
    monkeypatch.setenv(dbh.URL_ENV, httpserver.url_for("/"))
    monkeypatch.setenv(dbh.TOKEN_ENV, TOKEN)
    state = tree_state(data / "raw")
    assert fetch(*NTNU_123, data=data) == 1
    out = capsys.readouterr()
    assert "not allowed" in out.err and "KVALITET_DBH_TOKEN" in out.err and "***" in out.err
    assert TOKEN not in out.out + out.err
    assert tree_state(data / "raw") == state


# --- every failure leaves data/raw as it was ---------------------------------------------------


def cut(content: bytes, at: float = 0.5) -> bytes:
    return content[: int(len(content) * at)]


def one_row_less(content: bytes) -> bytes:
    doc = json.loads(content)
    return json.dumps(doc[:-1], ensure_ascii=False).encode("utf-8")


def refused(content: bytes) -> bytes:
    doc = json.loads(content)
    doc[0]["status"].update(returkode=2, antall=0, melding="Ukjent variabel: Avdelingskoden")
    return json.dumps(doc[:1], ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    "answers, status, expected",
    [
        ({123: cut(T123)}, 200, "not complete JSON"),
        ({123: b"<html><body>502 Bad Gateway</body></html>"}, 200, "not complete JSON"),
        ({123: b""}, 200, "the answer is empty"),
        ({123: one_row_less(T123)}, 200, "the status says 349 rows but 348 came"),
        ({123: refused(T123)}, 200, "the service refused the query: 'Ukjent variabel: Avdelingskoden'"),
        ({123: T210}, 200, "the answer is for another table than 123"),
        ({123: json.dumps({"message": "Invalid filter"}).encode()}, 200, "an error object instead of a table"),
        ({123: json.dumps(json.loads(T123)[1:]).encode()}, 200, "no status object before the rows"),
        ({123: b"Internal Server Error"}, 500, "the service is busy or failed"),
        ({123: b"Bad Request"}, 400, "the service refused the query"),
        ({123: b"Not Found"}, 404, "no such address"),
    ],
    ids=[
        "cut-off",
        "html",
        "empty",
        "antall",
        "returkode",
        "other-table",
        "error-object",
        "no-status",
        "http-500",
        "http-400",
        "http-404",
    ],
)
def test_a_bad_answer_names_the_table_and_writes_nothing(replay, data, capsys, answers, status, expected):
    replay(answers, status=status)
    state = tree_state(data / "raw")
    assert fetch(*NTNU_123, data=data) == 1
    err = capsys.readouterr().err
    assert err.startswith("DBH table 123 (dbh_t123_1150_aar-avd_sem3_2019-2025.json):")
    assert expected in err and "kvalitet fetch: nothing was written" in err
    assert tree_state(data / "raw") == state


def test_one_failed_table_keeps_the_whole_set_out(replay, data):
    """Tables 123 and 210 come; 379 is refused: none of them is written, and every failure is
    reported at once (a refused table does not stop the others)."""
    server = replay({123: T123, 210: T210, 379: refused(T379)})
    state = tree_state(data / "raw")
    queries = [q for q in presets.report_queries(["1150"], 2019, 2025) if q.table in RECORDED]
    with DbhClient(os.environ[dbh.URL_ENV]) as client, pytest.raises(InputError) as caught:
        store.fetch_into_raw(queries, client, data / "raw", say=lambda line: None)
    assert len(server.bodies) == 6
    assert [p.file for p in caught.value.problems] == [f"DBH table 379 ({q.name})" for q in queries if q.table == 379]
    assert tree_state(data / "raw") == state


def test_the_whole_report_set_fails_without_recordings_of_every_table(replay, data, capsys):
    server = replay()
    state = tree_state(data / "raw")
    assert fetch("--institution", "1150", "--from", "2016", "--to", "2025", data=data) == 1
    sent = [json.loads(b) for b in server.bodies]
    assert [b["tabell_id"] for b in sent] == [123, 123, 110, 112, 132, 379, 379, 379, 347, 210, 457, 211]
    assert sent == [q.body for q in presets.report_queries(["1150"], 2016, 2025)]
    err = capsys.readouterr().err
    for table in (110, 112, 132, 347, 457, 211):
        assert f"DBH table {table} (" in err
    assert tree_state(data / "raw") == state


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "url, expected",
    [
        (lambda: f"http://127.0.0.1:{free_port()}/api/", "cannot reach http://127.0.0.1:"),
        (lambda: "http://dbh.no-such-host.invalid/api/", "cannot reach http://dbh.no-such-host.invalid/api/"),
    ],
    ids=["connection-refused", "unknown-host"],
)
def test_no_service_stops_at_the_first_table_and_writes_nothing(data, capsys, monkeypatch, url, expected):
    monkeypatch.setenv(dbh.URL_ENV, url())
    state = tree_state(data / "raw")
    assert fetch("--institution", "1150", data=data) == 1
    out = capsys.readouterr()
    assert out.err.count("DBH table") == 1  # the other tables would fail the same way
    assert expected in out.err and "KVALITET_DBH_URL" in out.err
    assert tree_state(data / "raw") == state


def test_no_answer_in_time(replay, data, capsys, monkeypatch, httpserver):
    replay(delay=1.5)
    monkeypatch.setitem(dbh.TIMEOUT, "read", 0.3)
    state = tree_state(data / "raw")
    assert fetch(*NTNU_123, data=data) == 1
    assert "did not answer in time" in capsys.readouterr().err
    assert tree_state(data / "raw") == state
    # the server still answers, 1.5 s late: wait for it here, or its answer is logged in the
    # next test's server log (a test that counts requests then sees one it never made)
    deadline = time.monotonic() + 10
    while not httpserver.log and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(httpserver.log) == 1


def test_a_connection_closed_in_the_middle_of_the_answer(data, capsys, monkeypatch):
    """The server promises the whole recording (Content-Length) and closes after half of it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve():
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(T123)}\r\n\r\n".encode()
                + cut(T123)
            )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    monkeypatch.setenv(dbh.URL_ENV, f"http://127.0.0.1:{listener.getsockname()[1]}/")
    state = tree_state(data / "raw")
    try:
        assert fetch(*NTNU_123, data=data) == 1
    finally:
        thread.join(5)
        listener.close()
    assert "the answer from 127.0.0.1 broke off" in capsys.readouterr().err
    assert tree_state(data / "raw") == state


def test_an_unreadable_manifest_stops_before_any_request(replay, data, capsys, httpserver):
    replay()
    (data / "raw" / "MANIFEST.json").write_text("{ not json", encoding="utf-8")
    state = tree_state(data / "raw")
    assert fetch(*NTNU_123, data=data) == 1
    assert "the provenance manifest cannot be read" in capsys.readouterr().err
    assert len(httpserver.log) == 0 and tree_state(data / "raw") == state


def test_a_new_data_folder_gets_a_manifest_and_a_failed_one_is_left_absent(replay, tmp_path):
    replay({123: T123})
    fresh = tmp_path / "fresh"
    assert fetch(*NTNU_210, data=fresh) == 1
    assert not fresh.exists()
    assert fetch(*NTNU_123, data=fresh) == 0
    files = manifest(fresh)["files"]
    assert [e["file"] for e in files] == ["dbh/dbh_t123_1150_aar-avd_sem3_2019-2025.json"]


# --- usage ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--institution", "NTNU"],
        ["--institution", "all", "--institution", "1150"],
        ["--institution", "1150", "--from", "2025", "--to", "2020"],
        ["--institution", "1150", "--from", "25"],
        ["--institution", "1150", "--group-by", "Årstall"],
        ["--table", "123"],
        ["--table", "123", "--group-by", "Årstall", "--variables", "*"],
        ["--table", "123", "--group-by", "Årstall", "--filter", "Semester"],
    ],
)
def test_usage_errors_exit_2_and_send_nothing(replay, data, httpserver, args, capsys):
    replay()
    state = tree_state(data / "raw")
    try:
        code = fetch(*args, data=data)
    except SystemExit as stop:  # argparse's own check of a value
        code = stop.code
    assert code == 2
    assert "kvalitet fetch" in capsys.readouterr().err
    assert len(httpserver.log) == 0 and tree_state(data / "raw") == state


# --- CSV (hentCSVTabellData) ---------------------------------------------------------------------


def national_export() -> Path | None:
    for folder in (paths.RAW, paths.ROOT.parent / "shared" / "data" / "raw"):
        if (folder / NATIONAL).is_file():
            return folder / NATIONAL
    return None


@pytest.mark.skipif(national_export() is None, reason="HK-dir's national table-123 CSV export is not here")
def test_a_csv_answer_is_saved_verbatim_and_counted(httpserver, data, monkeypatch, capsys):
    """HK-dir's national export of table 123 (a real hentCSVTabellData answer, 25,443 rows)."""
    recorded = national_export().read_bytes()
    bodies = []

    def handler(request):
        bodies.append(json.loads(request.get_data()))
        return Response(recorded, content_type="text/csv; charset=utf-8")

    httpserver.expect_request(CSV_PATH, method="POST").respond_with_handler(handler)
    monkeypatch.setenv(dbh.URL_ENV, httpserver.url_for("/"))
    grouping = ["Institusjonskode", "Avdelingskode", "Årstall", "Semester", "Studentkategori"]
    assert fetch("--table", "123", "--csv", "--group-by", *grouping, data=data) == 0
    name = "dbh_t123_alle_inst-avd-aar-sem-kat.csv"
    assert (data / "raw" / "dbh" / name).read_bytes() == recorded
    assert entry(data, name)["rows"] == 25443 and entry(data, name)["status"] is None
    assert bodies[0]["statuslinje"] == "N" and bodies[0]["groupBy"] == grouping
    # the same answer cut inside a row is refused
    state = tree_state(data / "raw")
    httpserver.clear()
    httpserver.expect_request(CSV_PATH, method="POST").respond_with_data(cut(recorded, 0.3), content_type="text/csv")
    assert fetch("--table", "123", "--csv", "--group-by", *grouping, "--refresh", data=data) == 1
    assert "DBH table 123" in capsys.readouterr().err
    assert tree_state(data / "raw") == state


def test_an_interrupt_wrapped_while_a_table_is_fetched_is_passed_on_not_taken_for_a_bug(monkeypatch):
    """A kill that lands while a class is built on first use (Python 3.11 raises it as a
    RuntimeError caused by the interrupt) was 'unexpected error: …' with 'please report this to
    the maintainers', a table failed as if by a bug; it is passed on, so the run ends as
    interrupted."""

    def fetch_interrupted(self, query):
        class Field:
            def __set_name__(self, owner, name):
                raise KeyboardInterrupt

        type("Answer", (), {"value": Field()})

    monkeypatch.setattr(DbhClient, "_fetch", fetch_interrupted)
    query = presets.report_queries(["1150"], 2024, 2025)[0]
    with DbhClient("http://127.0.0.1:9/") as client, pytest.raises(RuntimeError) as raised:
        client.fetch(query)
    assert isinstance(raised.value.__cause__, KeyboardInterrupt)
