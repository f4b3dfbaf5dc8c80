"""A small mutation run: change the code one operator at a time and see whether a test notices.

A test suite that passes says little unless it would fail on wrong code.
This script makes *mutants* of the core modules -- each a copy of the project
with one deliberate bug, of the kinds people make: a comparison flipped
(``==``/``!=``, ``<``/``<=``, ``in``/``not in``), ``and``/``or`` swapped, a
``not`` dropped, a condition negated, a number off by one, ``True``/``False``
swapped, a call whose result is ignored removed, a returned value replaced by
``None`` -- and runs the module's tests against each.  A mutant the tests
fail on is *killed*; one they pass is a *survivor*: either a behaviour no test
pins down, or an equivalent mutant (a change that alters nothing observable),
which a person must judge.

Mutants are drawn by a seeded random sample per module (all of them would
take hours on two cores), so a run is repeatable.  Each mutant runs in its own
copy of the tree, so the working tree is never touched.

    .venv/bin/python scripts/mutation.py                      # the core modules, 30 mutants each
    .venv/bin/python scripts/mutation.py --per-module 60 -j 2 --modules checks masking
    .venv/bin/python scripts/mutation.py --report tests/MUTATION.md

Exit code 0 always (a report, not a gate); the score is in the report.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each core module and the tests that exercise it (the doctests in the module run too).
MODULES = {
    "segment": ["tests/test_segment.py", "tests/test_build.py", "tests/test_invariants.py"],
    "catalog": ["tests/test_catalog.py", "tests/test_invariants.py", "tests/test_interop.py",
                "tests/test_concurrency.py"],
    "pofile": ["tests/test_pofile.py", "tests/test_catalog.py", "tests/test_interop.py"],
    "build": ["tests/test_build.py", "tests/test_invariants.py"],
    "checks": ["tests/test_checks.py", "tests/test_invariants.py", "tests/test_drugnames.py"],
    "masking": ["tests/test_masking.py", "tests/test_pretranslate.py"],
    "memory": ["tests/test_memory.py", "tests/test_pretranslate.py"],
    "release": ["tests/test_release.py"],
}

_COMPARE_SWAPS = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
_BINOP_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.FloorDiv: ast.Mult}


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first))
    return found


def mutation_sites(source: str) -> list[tuple[int, str]]:
    """Every (node number, description) that can be mutated, in walk order."""
    tree = ast.parse(source)
    docstrings = _docstring_nodes(tree)
    sites = []
    for number, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare) and type(node.ops[0]) in _COMPARE_SWAPS:
            sites.append((number, f"line {line}: {type(node.ops[0]).__name__} -> {_COMPARE_SWAPS[type(node.ops[0])].__name__}"))
        elif isinstance(node, ast.BoolOp):
            sites.append((number, f"line {line}: {type(node.op).__name__} -> {'Or' if isinstance(node.op, ast.And) else 'And'}"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            sites.append((number, f"line {line}: drop 'not'"))
        elif isinstance(node, (ast.If, ast.While)) or (isinstance(node, ast.IfExp)):
            sites.append((number, f"line {line}: negate condition"))
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAPS:
            sites.append((number, f"line {line}: {type(node.op).__name__} -> {_BINOP_SWAPS[type(node.op)].__name__}"))
        elif isinstance(node, ast.Constant) and type(node.value) is int and line:
            sites.append((number, f"line {line}: {node.value} -> {node.value + 1}"))
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            sites.append((number, f"line {line}: {node.value} -> {not node.value}"))
        elif isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            sites.append((number, f"line {line}: return None"))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and id(node) not in docstrings:
            sites.append((number, f"line {line}: drop call"))
    return sites


def mutate(source: str, site: int) -> str:
    """The module's source with the mutation at node number ``site`` applied."""
    tree = ast.parse(source)
    for number, node in enumerate(ast.walk(tree)):
        if number != site:
            continue
        if isinstance(node, ast.Compare):
            node.ops[0] = _COMPARE_SWAPS[type(node.ops[0])]()
        elif isinstance(node, ast.BoolOp):
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif isinstance(node, ast.UnaryOp):
            node.op = ast.UAdd()  # '+x' keeps the value: the 'not' is gone
            node.operand = ast.Call(ast.Name("bool", ast.Load()), [node.operand], [])
        elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
            node.test = ast.UnaryOp(ast.Not(), node.test)
        elif isinstance(node, ast.BinOp):
            node.op = _BINOP_SWAPS[type(node.op)]()
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            node.value = not node.value
        elif isinstance(node, ast.Constant):
            node.value = node.value + 1
        elif isinstance(node, ast.Return):
            node.value = ast.Constant(None)
        elif isinstance(node, ast.Expr):
            node.value = ast.Constant(None)
        break
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _run_tests(tree: Path, module: str, tests: list[str], timeout: float) -> str:
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", f"l10n/{module}.py", *tests]
    try:
        done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "killed (timeout)"
    return "survived" if done.returncode == 0 else "killed"


def _copy_tree(into: Path) -> Path:
    tree = into / "tree"
    skip = shutil.ignore_patterns(".git", ".venv", "build", "dist", ".l10n", "__pycache__")

    def ignore(folder: str, names: list[str]) -> set[str]:
        if Path(folder).name == "bench":  # its scripts only (test_concurrency makes a corpus), not its data
            return {n for n in names if not n.endswith(".py")}
        return skip(folder, names)

    shutil.copytree(ROOT, tree, ignore=ignore)
    return tree


def run(modules: list[str], per_module: int, jobs: int, seed: int, timeout: float,
        only: list[dict] | None = None) -> list[dict]:
    plan = []
    for module in modules:
        source = (ROOT / "l10n" / f"{module}.py").read_text(encoding="utf-8")
        sites = mutation_sites(source)
        chosen = random.Random(f"{seed}:{module}").sample(sites, min(per_module, len(sites)))
        if only is not None:  # --rerun: just these mutants (the code must not have moved since)
            wanted = {(r["module"], r.get("site", r["mutation"])) for r in only}  # older reports: by description
            chosen = [(site, description) for site, description in sites
                      if (module, site) in wanted or (module, description) in wanted]
        plan.extend((module, site, description) for site, description in sorted(chosen))
    print(f"{len(plan)} mutants over {len(modules)} modules", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="l10n-mutant-") as scratch:  # unmutated, the tests must pass
        tree = _copy_tree(Path(scratch))
        for module in modules:  # twice before giving up: a timing test may lose once on a loaded machine
            if "survived" not in (_run_tests(tree, module, MODULES[module], timeout) for _ in range(2)):
                sys.exit(f"mutation: the tests of l10n/{module}.py fail without any mutation; fix them first")

    def one(item):
        module, site, description = item
        with tempfile.TemporaryDirectory(prefix="l10n-mutant-") as scratch:
            tree = _copy_tree(Path(scratch))
            path = tree / "l10n" / f"{module}.py"
            original = path.read_text(encoding="utf-8")
            mutated = mutate(original, site)
            if mutated == ast.unparse(ast.parse(original)) + "\n":
                return {"module": module, "site": site, "mutation": description, "outcome": "unchanged"}
            path.write_text(mutated, encoding="utf-8")
            started = time.monotonic()
            outcome = _run_tests(tree, module, MODULES[module], timeout)
            return {"module": module, "site": site, "mutation": description, "outcome": outcome,
                    "seconds": round(time.monotonic() - started, 1)}

    results = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for done, result in enumerate(pool.map(one, plan), 1):
            results.append(result)
            print(f"[{done}/{len(plan)}] {result['module']}: {result['mutation']}: {result['outcome']}", file=sys.stderr)
    return results


def report(results: list[dict]) -> str:
    lines = ["| module | mutants | killed | survived | score |", "| --- | --- | --- | --- | --- |"]
    total_killed = total = 0
    for module in dict.fromkeys(r["module"] for r in results):
        mine = [r for r in results if r["module"] == module and r["outcome"] != "unchanged"]
        killed = sum(r["outcome"].startswith("killed") for r in mine)
        total_killed, total = total_killed + killed, total + len(mine)
        lines.append(f"| {module} | {len(mine)} | {killed} | {len(mine) - killed} | {killed / max(len(mine), 1):.0%} |")
    lines.append(f"| **all** | {total} | {total_killed} | {total - total_killed} | {total_killed / max(total, 1):.0%} |")
    lines += ["", "Survivors:", ""]
    lines += [f"- `l10n/{r['module']}.py` {r['mutation']}" for r in results if r["outcome"] == "survived"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", nargs="*", default=list(MODULES), choices=list(MODULES))
    parser.add_argument("--per-module", type=int, default=30)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300, help="seconds for one mutant's tests")
    parser.add_argument("--report", type=Path, help="write the Markdown table here")
    parser.add_argument("--json", type=Path, help="write every mutant's outcome here")
    parser.add_argument("--rerun", type=Path, metavar="JSON",
                        help="run again only the survivors of an earlier --json (after writing tests for them)")
    args = parser.parse_args()
    only = None
    if args.rerun:
        only = [r for r in json.loads(args.rerun.read_text(encoding="utf-8")) if r["outcome"] == "survived"]
        args.modules = [m for m in args.modules if any(r["module"] == m for r in only)]
    results = run(args.modules, args.per_module, args.jobs, args.seed, args.timeout, only)
    table = report(results)
    print(table)
    if args.report:
        args.report.write_text(table, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
