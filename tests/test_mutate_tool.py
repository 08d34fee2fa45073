"""tools/mutate.py's verdict: the per-module target, the survivors' list, and entries that went stale.

The verdict is what `make mutate` exits with, so it must fail when a module is below the target or
a survivor is neither killed nor explained — and say which entries of the list no longer match."""

from __future__ import annotations

import pytest

from tools import mutate


def _survivors_list(tmp_path, monkeypatch, entries: str) -> None:
    listing = tmp_path / "MUTATION_SURVIVORS.md"
    listing.write_text("# list\n\n## parsing\n\n" + entries, encoding="utf-8")
    monkeypatch.setattr(mutate, "SURVIVORS_LIST", listing)
    monkeypatch.setattr(mutate, "ROOT", tmp_path)
    # the report also lists the module's decorated (unmutated) functions: it reads the module
    (tmp_path / "analysis").mkdir()
    (tmp_path / "analysis" / "parsing.py").write_text("def parse_count(x):\n    return x\n", encoding="utf-8")


def _score(caught: int, alive: list[tuple[str, str]]) -> mutate.Score:
    module = mutate.Module("analysis/parsing.py", [])
    score = mutate.Score(module, 60.0, {"killed": caught, "survived": len(alive)})
    score.survivors = [
        mutate.Survivor(f"analysis.parsing.x_{f}__mutmut_{i}", "survived", module.path, f, 10 + i, "old", new)
        for i, (f, new) in enumerate(alive)
    ]
    return score


ENTRY = "- `analysis/parsing.py:10` `parse_count` — the same number either way\n  mutant: `return x + 0`\n"


def test_an_explained_survivor_within_the_target_passes(tmp_path, monkeypatch, capsys):
    _survivors_list(tmp_path, monkeypatch, ENTRY)
    # 19 caught of 20 = 95 %: exactly the target is met
    assert mutate.report([_score(19, [("parse_count", "return x + 0")])], 95.0) == 0
    out = capsys.readouterr().out
    assert "equivalent" in out
    assert "no longer alive" not in out  # the entry matched its survivor


def test_below_the_target_fails_even_when_every_survivor_is_explained(tmp_path, monkeypatch):
    _survivors_list(tmp_path, monkeypatch, ENTRY)
    # 18 caught of 19 ≈ 94.7 % < 95 %
    assert mutate.report([_score(18, [("parse_count", "return x + 0")])], 95.0) == 1


def test_an_unexplained_survivor_fails(tmp_path, monkeypatch, capsys):
    _survivors_list(tmp_path, monkeypatch, ENTRY)
    assert mutate.report([_score(99, [("parse_count", "return x - 1")])], 95.0) == 1
    assert "SURVIVED" in capsys.readouterr().out


@pytest.mark.parametrize("alive", [[], [("parse_count", "return x - 1")]])
def test_an_entry_no_survivor_matches_is_named_as_stale(tmp_path, monkeypatch, capsys, alive):
    _survivors_list(tmp_path, monkeypatch, ENTRY)
    mutate.report([_score(100, alive)], 95.0)
    out = capsys.readouterr().out
    assert "no longer alive" in out
    assert "analysis/parsing.py parse_count: return x + 0" in out
