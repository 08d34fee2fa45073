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


def test_an_entry_explains_every_mutant_line_it_has(tmp_path, monkeypatch):
    # one reason for two mutants of the line: both are explained (the second was once ignored)
    _survivors_list(tmp_path, monkeypatch, ENTRY.rstrip("\n") + "\n  mutant: `return x - 0`\n\nprose\n  mutant: `x`\n")
    assert mutate.report([_score(18, [("parse_count", "return x + 0"), ("parse_count", "return x - 0")])], 90.0) == 0
    # a mutant line after another kind of line belongs to no entry
    assert ("analysis/parsing.py", "parse_count", "x") not in mutate.explained()


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


# --- the order of a mutant's tests (tools/mutmut_fast_first.py) ------------------------------------


class _Item:
    def __init__(self, nodeid: str) -> None:
        self.nodeid = nodeid


class _Report:
    def __init__(self, nodeid: str, failed: bool) -> None:
        self.nodeid, self.failed = nodeid, failed


def _order(nodeids: list[str]) -> list[str]:
    from tools import mutmut_fast_first

    items = [_Item(n) for n in nodeids]
    mutmut_fast_first.pytest_collection_modifyitems(None, None, items)
    return [i.nodeid for i in items]


def test_a_mutants_tests_run_the_functions_catchers_first_then_fastest_first(tmp_path, monkeypatch):
    import json

    from tools import mutmut_fast_first

    monkeypatch.chdir(tmp_path)  # mutmut runs the tests inside mutants/
    monkeypatch.setattr(mutmut_fast_first, "_durations", None)
    durations = {"t::slow": 9.0, "t::mid": 2.0, "t::fast": 0.5, "t::catcher": 4.0, "t::twice": 6.0}
    (tmp_path / "mutmut-stats.json").write_text(json.dumps({"duration_by_test": durations}))
    names = ["t::slow", "t::mid", "t::fast", "t::catcher", "t::twice", "t::new"]
    # outside a mutant's run the order is left alone
    monkeypatch.delenv("MUTANT_UNDER_TEST", raising=False)
    assert _order(names) == names
    # nothing caught yet: fastest first, a test without a recorded duration last
    monkeypatch.setenv("MUTANT_UNDER_TEST", "analysis.parsing.x_parse_count__mutmut_3")
    assert _order(names) == ["t::fast", "t::mid", "t::catcher", "t::twice", "t::slow", "t::new"]
    # earlier mutants of the same function were caught by t::catcher once (4 s per catch) and by
    # t::twice twice (6 / 2 = 3 s per catch): those two first, cheapest per catch first
    for nodeid, failed in (("t::catcher", True), ("t::twice", True), ("t::twice", True), ("t::fast", False)):
        mutmut_fast_first.pytest_runtest_logreport(_Report(nodeid, failed))
    assert _order(names) == ["t::twice", "t::catcher", "t::fast", "t::mid", "t::slow", "t::new"]
    # another function's mutant does not use this function's catchers
    monkeypatch.setenv("MUTANT_UNDER_TEST", "analysis.parsing.x_parse_year__mutmut_1")
    assert _order(names) == ["t::fast", "t::mid", "t::catcher", "t::twice", "t::slow", "t::new"]
