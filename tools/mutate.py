"""``make mutate``: mutation testing of the modules that hold the rules, with mutmut.

Usage: ``python tools/mutate.py [MODULE ...] [--fresh] [--keep-stats] [--resume] [--no-run] [--jobs N] [--target PCT]``

MODULE is a file of ``[tool.mutmut] only_mutate`` in pyproject.toml or its name (``parsing``,
``wellbeing``, ``survey_raw``); without one, every listed module. The list of modules lives in
pyproject.toml only (``only_mutate``, and ``[tool.mutmut.functions]`` for a file of which only
some functions hold rules).

For each module, one ``mutmut run`` over that module's mutants on ``--jobs`` cores (mutmut
runs, per mutant, the fast tests that called the mutated function, fastest first); then the
score per module and every mutant left alive with FILE:LINE and the changed line. A survivor
listed in tests/MUTATION_SURVIVORS.md (an equivalent mutant, with the reason) is shown as
explained. Exit 1 when a module scores below the target or a survivor is unexplained.

mutmut keeps its work in ``mutants/`` (git-ignored). Its record of which test calls which
function is made again on every run (a few minutes: mutmut's own update only adds new tests,
so an existing test that now calls a new function would never be run against its mutants);
``--keep-stats`` reuses it while iterating on one module's tests. ``--fresh`` starts from
nothing. The mutants of the modules asked for are always run again, unless ``--resume``: then
only those not yet checked run (a run that was stopped goes on where it stopped; the gender
metric's ~1,800 mutants take hours).
"""

from __future__ import annotations

import argparse
import ast
import filecmp
import fnmatch
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
SURVIVORS_LIST = ROOT / "tests" / "MUTATION_SURVIVORS.md"
MUTMUT = Path(sys.executable).parent / "mutmut"
CLASS_SEPARATOR = "ǁ"  # mutmut's separator in the names of methods' mutants

#: mutmut's verdicts: which count as the tests catching the mutant
CAUGHT = {"killed", "timeout", "segfault", "caught by type check"}
ALIVE = {"survived", "no tests", "suspicious"}
NOT_RUN = {"not checked", "skipped", "check was interrupted by user"}


@dataclass
class Module:
    path: str  # as in only_mutate, e.g. analysis/parsing.py
    functions: list[str]  # only these (Class.method or function); empty: all

    @property
    def dotted(self) -> str:
        return self.path.removesuffix(".py").replace("/", ".")

    @property
    def name(self) -> str:
        return Path(self.path).stem

    def patterns(self) -> list[str]:
        """mutmut mutant-name patterns for this module's mutants."""
        if not self.functions:
            return [f"{self.dotted}.*"]
        out = []
        for function in self.functions:
            if "." in function:
                cls, method = function.split(".", 1)
                out.append(f"{self.dotted}.x{CLASS_SEPARATOR}{cls}{CLASS_SEPARATOR}{method}__mutmut_*")
            else:
                out.append(f"{self.dotted}.x_{function}__mutmut_*")
        return out

    def owns(self, mutant: str) -> bool:
        return any(fnmatch.fnmatchcase(mutant, p) for p in self.patterns())


@dataclass
class Survivor:
    mutant: str
    status: str
    file: str
    function: str
    line: int | None
    old: str
    new: str
    reason: str | None = None  # from tests/MUTATION_SURVIVORS.md


@dataclass
class Score:
    module: Module
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    survivors: list[Survivor] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(n for status, n in self.counts.items() if status not in NOT_RUN)

    @property
    def caught(self) -> int:
        return sum(n for status, n in self.counts.items() if status in CAUGHT)

    @property
    def equivalent(self) -> int:
        return sum(1 for s in self.survivors if s.reason)

    def percent(self, excluding_equivalent: bool = False) -> float:
        total = self.total - (self.equivalent if excluding_equivalent else 0)
        return 100.0 * self.caught / total if total else 100.0


def configured_modules() -> list[Module]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    functions = config.get("functions", {})
    unknown = set(functions) - set(config["only_mutate"])
    if unknown:
        sys.exit(f"pyproject.toml: [tool.mutmut.functions] names files not in only_mutate: {sorted(unknown)}")
    return [Module(path, list(functions.get(path, []))) for path in config["only_mutate"]]


def select(modules: list[Module], wanted: list[str]) -> list[Module]:
    if not wanted:
        return modules
    chosen = []
    for want in wanted:
        hits = [m for m in modules if want in (m.path, m.name, m.dotted)]
        if not hits:
            sys.exit(
                f"unknown module {want!r}; the modules under mutation testing (pyproject.toml "
                f"[tool.mutmut] only_mutate): {', '.join(m.name for m in modules)}"
            )
        chosen += [m for m in hits if m not in chosen]
    return chosen


def sync_copies() -> None:
    """mutmut copies the source tree into mutants/ once and then only re-mutates the mutated
    files: bring the other (unmutated) files up to date, so that a run tests today's code."""
    if not MUTANTS.exists():
        return
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    mutated = set(config["only_mutate"])
    for source in config["source_paths"]:
        for original in (ROOT / source).rglob("*"):
            relative = original.relative_to(ROOT).as_posix()
            if not original.is_file() or "__pycache__" in relative or relative in mutated:
                continue
            copy = MUTANTS / relative
            if not copy.exists() or not filecmp.cmp(original, copy, shallow=False):
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(original, copy)


def run_mutmut(module: Module, jobs: int, log: Path, resume: bool = False) -> float:
    start = time.monotonic()
    log.write_text("", encoding="utf-8")
    if not (resume and (MUTANTS / "mutmut-stats.json").exists()):
        _mutmut_run(module.patterns(), jobs, log)
        return time.monotonic() - start
    # named mutants are run again whatever their verdict: name only those not yet checked. The
    # mutants of a function changed since the last run are reset when mutmut makes them again,
    # at the start of a run (the first pass, with one mutant at least): a second pass runs them.
    # A module without mutants yet is run whole.
    for first in (True, False):
        owned = {m: status for m, status in results().items() if module.owns(m)}
        names = [m for m, status in owned.items() if status in NOT_RUN] if owned else module.patterns()
        if not names and first:
            names = sorted(owned)[:1]
        if not names:
            break
        _mutmut_run(names, jobs, log)
    return time.monotonic() - start


def _mutmut_run(names: list[str], jobs: int, log: Path) -> None:
    with log.open("a", encoding="utf-8") as out:
        proc = subprocess.run(
            [str(MUTMUT), "run", "--max-children", str(jobs), *names],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").replace("\r", "\n").splitlines()[-40:]
        print("\n".join(tail))
        sys.exit(f"mutmut failed (exit {proc.returncode}); the whole output is in {log}")


def results() -> dict[str, str]:
    """Every mutant's verdict, from ``mutmut results --all true``."""
    out = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    verdicts = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            verdicts[name] = status
    return verdicts


def function_of(mutant: str) -> tuple[str, str | None]:
    """(function, class) of a mutant's name: ``…x_parse_count__mutmut_3`` -> parse_count."""
    mangled = mutant.rpartition(".")[2].partition("__mutmut_")[0]
    if CLASS_SEPARATOR in mangled:
        _, cls, function = mangled.split(CLASS_SEPARATOR)
        return function, cls
    return mangled.removeprefix("x_"), None


def function_start(path: Path, function: str, cls: str | None) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    scope = tree.body
    if cls is not None:
        scope = next(n.body for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
    node = next(n for n in scope if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == function)
    return min([node.lineno] + [d.lineno for d in node.decorator_list])


def locate(mutant: str, status: str, module: Module) -> Survivor:
    """FILE:LINE and the changed line of a mutant, from ``mutmut show`` (a diff of the
    function, numbered from its ``def``)."""
    diff = subprocess.run([str(MUTMUT), "show", mutant], cwd=ROOT, capture_output=True, text=True).stdout
    function, cls = function_of(mutant)
    qualified = f"{cls}.{function}" if cls else function
    old = new = ""
    line = None
    relative = None
    for text in diff.splitlines():
        hunk = re.match(r"^@@ -(\d+)", text)
        if hunk:
            relative = int(hunk.group(1))
            continue
        if relative is None or text.startswith(("---", "+++")):
            continue
        if text.startswith("-") and not old:
            old, line = text[1:], relative
        elif text.startswith("+") and not new:
            new = text[1:]
        if not text.startswith("+"):
            relative += 1
    source = ROOT / module.path
    if line is not None:
        start = function_start(source, function, cls)
        lines = source.read_text(encoding="utf-8").splitlines()
        guess = start + line - 1
        # the diff numbers from the function's first line; confirm on the text itself
        candidates = [i + 1 for i, t in enumerate(lines) if t.strip() == old.strip()]
        line = min(candidates, key=lambda n: abs(n - guess)) if candidates else guess
    return Survivor(mutant, status, module.path, qualified, line, old.strip(), new.strip())


def unmutated(module: Module) -> list[str]:
    """Functions mutmut leaves alone: decorated ones (other than staticmethod/classmethod).
    Their bodies are a blind spot of the score; keep rules out of them (a decorated entry
    point can call an undecorated function that holds the rule)."""
    tree = ast.parse((ROOT / module.path).read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        members = [(None, node)] if not isinstance(node, ast.ClassDef) else [(node.name, n) for n in node.body]
        for cls, function in members:
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            simple = [
                d
                for d in function.decorator_list
                if not (isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod"))
            ]
            qualified = f"{cls}.{function.name}" if cls else function.name
            if simple and (not module.functions or qualified in module.functions):
                found.append(qualified)
    return found


def explained() -> dict[tuple[str, str, str], str]:
    """The equivalent mutants listed in tests/MUTATION_SURVIVORS.md: (file, function, mutated
    line) -> reason. An entry is two lines, or more when one reason holds for several mutants
    of the line (each on a ``mutant:`` line of its own)::

        - `analysis/parsing.py:52` `parse_count` — why no test can tell it from the original
          mutant: `the line as the mutant has it`
    """
    if not SURVIVORS_LIST.exists():
        return {}
    out = {}
    entry = None
    for text in SURVIVORS_LIST.read_text(encoding="utf-8").splitlines():
        head = re.match(r"^- `(?P<file>[^`:]+):\d+` `(?P<function>[^`]+)` — (?P<reason>.+)$", text)
        if head:
            entry = head
            continue
        code = re.match(r"^\s+mutant: `(?P<code>.*)`\s*$", text)
        if code and entry:
            out[(entry["file"], entry["function"], code["code"].strip())] = entry["reason"].strip()
        else:  # (every mutant line of an entry counts, up to the next line of another kind)
            entry = None
    return out


def report(scores: list[Score], target: float) -> int:
    reasons = explained()
    failing = False
    print()
    print(
        f"{'module':<42} {'mutants':>7} {'caught':>7} {'alive':>6} {'equiv.':>6} {'score':>7} "
        f"{'w/o eq.':>7} {'time':>7}"
    )
    for s in scores:
        for survivor in s.survivors:
            survivor.reason = reasons.get((survivor.file, survivor.function, survivor.new))
        alive = sum(n for status, n in s.counts.items() if status in ALIVE)
        print(
            f"{s.module.path:<42} {s.total:>7} {s.caught:>7} {alive:>6} {s.equivalent:>6} "
            f"{s.percent():>6.1f}% {s.percent(True):>6.1f}% {s.seconds / 60:>5.1f}min"
        )
        if s.percent() < target or any(not v.reason for v in s.survivors):
            failing = True
    for s in scores:
        if not s.survivors:
            continue
        print(
            f"\n{s.module.path}: {len(s.survivors)} left alive "
            f"({sum(1 for v in s.survivors if v.reason)} explained in {SURVIVORS_LIST.relative_to(ROOT)})"
        )
        for v in sorted(s.survivors, key=lambda v: (v.line or 0, v.mutant)):
            mark = "equivalent" if v.reason else v.status.upper()
            print(f"  {v.file}:{v.line} {v.function} [{mark}] {v.mutant.rpartition('.')[2]}")
            print(f"      - {v.old}\n      + {v.new}")
    matched = {(v.file, v.function, v.new) for s in scores for v in s.survivors if v.reason}
    stale = [key for key in reasons if key[0] in {s.module.path for s in scores} and key not in matched]
    if stale:
        # the code of such an entry's line changed or a test now catches it: the entry only misleads
        print(f"\nlisted in {SURVIVORS_LIST.relative_to(ROOT)} but no longer alive (delete these entries):")
        for file, function, code in sorted(stale):
            print(f"  {file} {function}: {code}")
    blind = {s.module.path: unmutated(s.module) for s in scores}
    if any(blind.values()):
        print("\nnot mutated (decorated functions: mutmut skips them; their rules are not scored):")
        for path, names in blind.items():
            if names:
                print(f"  {path}: {', '.join(names)}")
    not_run = {status: n for s in scores for status, n in s.counts.items() if status in NOT_RUN}
    if not_run:
        print(f"\nnot run: {not_run}")
    print(
        f"\ntarget: {target:g} % caught per module, every mutant left alive explained: "
        f"{'NOT MET' if failing else 'met'}"
    )
    return 1 if failing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="modules to run (default: all in pyproject.toml)")
    parser.add_argument("--fresh", action="store_true", help="delete mutants/ first")
    parser.add_argument(
        "--keep-stats", action="store_true", help="reuse mutmut's record of which test calls which function"
    )
    parser.add_argument(
        "--resume", action="store_true", help="run only the mutants not yet checked (implies --keep-stats)"
    )
    parser.add_argument(
        "--no-run", action="store_true", help="only report the modules' verdicts from the last run in mutants/"
    )
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--target", type=float, default=95.0, help="percent caught per module (default 95)")
    args = parser.parse_args(argv)
    if not MUTMUT.exists():
        sys.exit(f"mutmut is not installed in {MUTMUT.parent} (pip install -e '.[test]')")
    modules = select(configured_modules(), args.modules)
    if args.no_run:
        return score_and_report([Score(m, 0.0) for m in modules], args.target)
    if args.fresh and MUTANTS.exists():
        shutil.rmtree(MUTANTS)
    sync_copies()
    MUTANTS.mkdir(exist_ok=True)
    if not (args.keep_stats or args.resume):
        (MUTANTS / "mutmut-stats.json").unlink(missing_ok=True)
    scores = []
    for module in modules:
        first = not (MUTANTS / "mutmut-stats.json").exists()
        print(
            f"{module.path}{' (' + ', '.join(module.functions) + ')' if module.functions else ''}: "
            f"running{' (first run: records which tests call which function)' if first else ''} …",
            flush=True,
        )
        seconds = run_mutmut(module, args.jobs, MUTANTS / f"mutate-{module.name}.log", args.resume)
        scores.append(Score(module, seconds))
    return score_and_report(scores, args.target)


def score_and_report(scores: list[Score], target: float) -> int:
    verdicts = results()
    for s in scores:
        for mutant, status in verdicts.items():
            if s.module.owns(mutant):
                s.counts[status] = s.counts.get(status, 0) + 1
                if status in ALIVE:
                    s.survivors.append(locate(mutant, status, s.module))
    return report(scores, target)


if __name__ == "__main__":
    sys.exit(main())
