"""Every answer kept verbatim in ``data/raw/dbh/`` with its provenance, all or nothing.

The answers are staged in a private folder inside ``data/raw`` (mode 0700; the same file system,
so moving them in is a rename). Only when every table of the set passed its checks are the files
moved into ``data/raw/dbh/`` and ``data/raw/MANIFEST.json`` replaced in one step (written aside,
then ``os.replace``). A failure, an interruption or a bug leaves ``data/raw`` as it was.

The manifest is the cache: an entry records the URL, the query body and whether a token was
used (never the token); its ``cache_key`` is the sha256 of those three. A query whose key has an
entry whose file is still unchanged (same sha256) is not sent again unless ``refresh``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths
from analysis.errors import InputError, Problem
from analysis.fetch.dbh import DbhClient, FetchError, Query

FOLDER = "dbh"
OWNER = "HK-dir (DBH-API)"
LICENCE = (
    "DBH open data published by HK-dir (Direktoratet for høgare utdanning og kompetanse); check "
    "HK-dir's terms of use at https://dbh.hkdir.no before publishing"
)
DESCRIPTION = (
    "Provenance of every raw file; sha256 is checked by tests/test_raw_manifest.py. "
    "Entries with a url and query were written by `kvalitet fetch`."
)


@dataclass
class Outcome:
    fetched: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)


def cache_key(url: str, body: dict, authenticated: bool) -> str:
    """Same address, same query, same kind of access -> same key (the token itself is never part)."""
    canonical = json.dumps(
        {"url": url, "query": body, "authenticated": authenticated},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_manifest(raw_dir: Path) -> dict:
    path = raw_dir / paths.RAW_MANIFEST_NAME
    if not path.exists():
        return {"description": DESCRIPTION, "files": []}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    None,
                    f"the provenance manifest cannot be read: {err}",
                    "repair the file (it is JSON) before fetching more data",
                )
            ]
        ) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise InputError(
            [
                Problem(
                    str(path),
                    None,
                    "files",
                    None,
                    "the provenance manifest has no list of files",
                    "repair the file before fetching more data",
                )
            ]
        )
    return manifest


def fetch_into_raw(
    queries: list[Query], client: DbhClient, raw_dir: Path, *, refresh: bool = False, say: Callable[[str], None] = print
) -> Outcome:
    """Fetch every query not already in the cache; on success the new files and the manifest
    are in place, otherwise :class:`InputError` with every table's problem and nothing changed."""
    names = [q.name for q in queries]
    if len(set(names)) != len(names):
        raise ValueError(f"two queries would be saved under the same name: {names}")
    manifest = read_manifest(raw_dir)
    by_key = {e.get("cache_key"): e for e in manifest["files"] if isinstance(e, dict)}
    # the top-most folder this run creates, removed again if the run writes nothing
    made = next((d for d in reversed([raw_dir, *raw_dir.parents]) if not d.exists()), None)
    raw_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kvalitet-fetch-", dir=raw_dir))  # 0700
    outcome, entries, problems = Outcome(), [], []
    try:
        for query in queries:
            key = cache_key(client.url(query), query.body, client.authenticated)
            if not refresh and _unchanged(raw_dir, by_key.get(key)):
                say(f"{query.name}: cached, no request sent (--refresh fetches it again)")
                outcome.cached.append(query.name)
                continue
            start = time.monotonic()
            try:
                answer = client.fetch(query)
            except FetchError as err:
                problems.append(err.problem)
                say(f"{query.name}: failed")
                if err.fatal:
                    break
                continue
            (staging / query.name).write_bytes(answer.content)
            entries.append(_entry(query, answer, key, client.authenticated))
            outcome.fetched.append(query.name)
            say(f"{query.name}: {answer.rows} rows, {len(answer.content):,} bytes in {time.monotonic() - start:.1f} s")
        if problems:
            raise InputError(problems)
        if entries:
            _commit(raw_dir, staging, manifest, entries)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if made is not None and not any(p.is_file() for p in made.rglob("*")):
            shutil.rmtree(made, ignore_errors=True)
    return outcome


def _unchanged(raw_dir: Path, entry: dict | None) -> bool:
    if not entry or "file" not in entry:
        return False
    path = raw_dir / entry["file"]
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == entry.get("sha256")


def _entry(query: Query, answer, key: str, authenticated: bool) -> dict:
    count = f"status antall {answer.status['antall']}" if answer.status else f"{answer.rows} rows (CSV, no status line)"
    return {
        "file": f"{FOLDER}/{query.name}",
        "sha256": hashlib.sha256(answer.content).hexdigest(),
        "bytes": len(answer.content),
        "source": f"DBH-API POST {answer.url}",
        "owner": OWNER,
        "retrieved": answer.retrieved,
        "licence": LICENCE,
        "what": f"{query.what}; {count}; saved verbatim by kvalitet fetch",
        "url": answer.url,
        "query": query.body,
        "status": answer.status,
        "rows": answer.rows,
        "authenticated": authenticated,
        "cache_key": key,
    }


def _commit(raw_dir: Path, staging: Path, manifest: dict, entries: list[dict]) -> None:
    """Move the staged files in, then replace the manifest in one step."""
    new = {e["file"]: e for e in entries}
    kept = [e for e in manifest["files"] if not (isinstance(e, dict) and e.get("file") in new)]
    manifest = {**manifest, "files": sorted(kept + entries, key=lambda e: str(e.get("file", "")))}
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    staged_manifest = staging / paths.RAW_MANIFEST_NAME
    staged_manifest.write_text(text, encoding="utf-8")
    target = raw_dir / FOLDER
    target.mkdir(exist_ok=True)
    for entry in entries:
        os.replace(staging / Path(entry["file"]).name, raw_dir / entry["file"])
    os.replace(staged_manifest, raw_dir / paths.RAW_MANIFEST_NAME)
