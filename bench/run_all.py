"""Run every benchmark, print its table, write bench/results/<YYYY-MM-DD>.md.

    make bench                                   # SQLite file under var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saraban_bench make bench

The database named by DATABASE_URL is never used as it is: on PostgreSQL the run drops and
recreates `saraban_bench` on that server, on SQLite it uses var/bench/bench.sqlite3.
`--only 1,3` runs a subset (for working on one benchmark).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import traceback
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DIR, Section, Target, machine_description, markdown_table, prepare_environment  # noqa: E402

# The whole run must stay within 15 minutes on the reference machine (2 cores); each
# benchmark gets a time budget and bounds its own counts.
ORDER = [3, 1, 5, 4, 6, 2, 8, 9]
# Not in a plain `make bench` (about 12 minutes of its own): `bench/run_all.py --only 7`.
OPT_IN = [7]


def _run_one(number: int) -> Section:
    if number == 1:
        from bench import b1_approval

        return b1_approval.run()
    if number == 2:
        from bench import b2_inbox

        return b2_inbox.run()
    if number == 3:
        from bench import b3_docx

        return b3_docx.run()
    if number == 4:
        from bench import b4_fanout

        return b4_fanout.run()
    if number == 5:
        from bench import b5_numbering

        return b5_numbering.run()
    if number == 6:
        from bench import b6_http

        return b6_http.run()
    if number == 7:
        from bench import b7_fault

        return b7_fault.run()
    if number == 8:
        from bench import b8_burst

        return b8_burst.run()
    if number == 9:
        from bench import b9_load

        return b9_load.run()
    raise ValueError(number)


TITLES = {
    1: "Approval step vs its floor",
    2: "Inbox and unit queue at scale",
    3: "Document build vs the python-docx floor",
    4: "Directive fan-out",
    5: "Numbering under contention",
    6: "Load through HTTP",
    7: "Fault trial: kill -9 of a worker mid fan-out",
    8: "Burst on the embedded default",
    9: "Mixed HTTP load of 50 users on the production recipe",
}


def render(sections: list[Section], machine: list[tuple[str, str]], total_s: float, only: list[int]) -> str:
    out = [f"# Benchmark results {dt.date.today().isoformat()}", ""]
    out.append("Every figure below was measured in the run that wrote this file (`make bench`).")
    out.append("")
    out.append("## Machine")
    out.append("")
    out.append(markdown_table(["", ""], machine))
    out.append("")
    out.append(f"Total run time: {total_s:.0f} s" + ("" if only == ORDER else f" (benchmarks {only} only)") + ".")
    out.append("")
    out.append("## Targets")
    out.append("")
    rows = []
    for s in sorted(sections, key=lambda s: s.number):
        for t in s.targets:
            rows.append([str(s.number), t.name, t.mark, t.detail])
    out.append(markdown_table(["#", "target", "result", "measured"], rows))
    out.append("")
    for s in sorted(sections, key=lambda s: s.number):
        out.append(f"## {s.number}. {s.title}")
        out.append("")
        if s.headers:
            out.append(s.table())
            out.append("")
        for note in s.notes:
            out.append(f"- {note}")
        if s.notes:
            out.append("")
        for block in s.extra:
            out.append(block)
            out.append("")
        out.append(f"_({s.seconds:.0f} s)_")
        out.append("")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated benchmark numbers, e.g. 1,3")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write bench/results/")
    args = parser.parse_args()
    only = [int(n) for n in args.only.split(",") if n.strip()] or ORDER
    only = [n for n in ORDER + OPT_IN if n in only]

    started = time.monotonic()
    # whitenoise warns once per process that STATIC_ROOT does not exist: static files are
    # not part of any measurement here.
    warnings.filterwarnings("ignore", message="No directory at")
    url = prepare_environment()
    print(f"bench: database {url}", flush=True)
    from bench.common import setup_django

    setup_django()
    machine = machine_description()
    print(markdown_table(["", ""], machine), flush=True)

    sections: list[Section] = []
    failed = False
    for number in only:
        print(f"\n== {number}. {TITLES[number]} ==", flush=True)
        t0 = time.monotonic()
        try:
            section = _run_one(number)
        except Exception:
            failed = True
            text = traceback.format_exc()
            print(text, file=sys.stderr, flush=True)
            section = Section(number, TITLES[number])
            section.targets.append(Target("benchmark ran", False, "crashed: " + text.strip().splitlines()[-1]))
            section.extra.append("```\n" + text[-3000:] + "\n```")
            section.seconds = time.monotonic() - t0
        sections.append(section)
        if section.headers:
            print(section.table())
        for note in section.notes:
            print(f"  - {note}")
        for block in section.extra:
            print(block)
        for target in section.targets:
            print(f"  target: {target.name}: {target.mark} ({target.detail})")
        print(f"  ({section.seconds:.0f} s, {time.monotonic() - started:.0f} s so far)", flush=True)

    total = time.monotonic() - started
    report = render(sections, machine, total, only)
    if not args.no_write:
        results = BENCH_DIR / "results"
        results.mkdir(exist_ok=True)
        path = results / f"{dt.date.today().isoformat()}.md"
        path.write_text(report + "\n", encoding="utf-8")
        print(f"\nbench: wrote {path.relative_to(BENCH_DIR.parent)} ({total:.0f} s in all)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
