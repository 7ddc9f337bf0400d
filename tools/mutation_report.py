"""Kill rate of each rule module after `mutmut run`; exits 1 if any module is below the floor.

The rule modules are `[tool.mutmut] only_mutate` in pyproject.toml, the one list of them.
mutmut leaves one verdict per mutant in mutants/<module>.meta.

    python tools/mutation_report.py            # the table, then the surviving mutants
    python tools/mutation_report.py --check    # before a run: is every package copied?

`mutmut show <name>` prints the diff of a surviving mutant.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parent.parent
FLOOR = 90.0
# A timeout or a type error is a mutant the checks caught; a skipped one was never a candidate.
CAUGHT = {"killed", "timeout", "caught by type check"}
NOT_COUNTED = {"skipped"}
# Packages no test imports: the benchmarks run on their own.
NOT_TESTED = {"tests", "bench"}


def mutmut_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]


def check_source_paths(config: dict) -> list[str]:
    """Top-level packages that mutmut would not copy into mutants/, where the tests run.

    A package left out makes every test there fail on import, and mutmut then reports only
    "failed to run clean test"; this names the package instead.
    """
    listed = {Path(p).parts[0] for p in config.get("source_paths", [])}
    packages = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file() and p.name not in NOT_TESTED)
    return [p for p in packages if p not in listed]


def module_results(path: str) -> Counter[str] | None:
    meta = ROOT / "mutants" / f"{path}.meta"
    if not meta.is_file():
        return None
    exit_codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return Counter(status_by_exit_code[code] for code in exit_codes.values())


def survivors(path: str) -> list[str]:
    meta = ROOT / "mutants" / f"{path}.meta"
    exit_codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return sorted(k for k, code in exit_codes.items() if status_by_exit_code[code] not in CAUGHT | NOT_COUNTED)


def report(config: dict) -> int:
    failed = False
    rows = []
    for path in config["only_mutate"]:
        results = module_results(path)
        if results is None:
            rows.append((path, "-", "no results: moved, or no `mutmut run` yet"))
            failed = True
            continue
        total = sum(n for status, n in results.items() if status not in NOT_COUNTED)
        killed = sum(results[s] for s in CAUGHT)
        rate = 100.0 * killed / total if total else 100.0
        other = ", ".join(f"{n} {s}" for s, n in sorted(results.items()) if s not in CAUGHT and n)
        below = rate < FLOOR or results["not checked"] > 0
        failed |= below
        rows.append(
            (path, f"{killed}/{total}", f"{rate:5.1f} %" + (f"  ({other})" if other else "") + ("  ✗" if below else ""))
        )
    width = max(len(r[0]) for r in rows)
    print(f"\n{'module':<{width}}  {'killed':>9}  rate (floor {FLOOR:.0f} %)")
    for path, fraction, note in rows:
        print(f"{path:<{width}}  {fraction:>9}  {note}")
    left = [name for path in config["only_mutate"] if module_results(path) is not None for name in survivors(path)]
    if left:
        print("\nnot killed (mutmut show <name> prints the change):")
        for name in left:
            print(f"  {name}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check the configuration before a run")
    args = parser.parse_args()
    config = mutmut_config()
    if args.check:
        missing = check_source_paths(config)
        if missing:
            print(f"[tool.mutmut] source_paths in pyproject.toml lacks {', '.join(missing)}: the tests import them")
            return 1
        return 0
    return report(config)


if __name__ == "__main__":
    sys.exit(main())
