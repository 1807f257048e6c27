#!/usr/bin/env python3
"""Run every benchmark in one go and print one table (make bench).

cts against its peers on the same synthetic global history (bench/generate.py), as wall time, throughput,
peak RSS and the ratio to the reference in each group. Peers install from PyPI into bench/.venv.

    python3 bench/run.py [--countries 200] [--years 30] [--frictionless-rows 200000]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work")
VENV = os.path.join(ROOT, "bench", ".venv")
PEERS = ["frictionless==5.18.1", "duckdb==1.5.2", "pandas==3.0.2"]


def sh(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, check=True, **kw)


def timed(cmd, ok=(0,)):
    """Wall seconds and peak RSS (MB) of one command, from /usr/bin/time."""
    out = os.path.join(WORK, "time.txt")
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", out] + cmd, cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode not in ok:
        sys.exit(f"bench: {' '.join(cmd)} failed ({p.returncode}): {p.stderr[-500:]}")
    seconds, kb = open(out).read().split()[-2:]
    return float(seconds), int(kb) / 1024


def median_timed(cmd, ok=(0,), runs=3):
    """The run with the median wall time of `runs` runs: this machine is noisy."""
    results = sorted(timed(cmd, ok) for _ in range(runs))
    return results[len(results) // 2]


def instructions(cmd):
    """Instructions executed by `cmd` under callgrind: repeatable whatever else the machine does. valgrind
    cannot read Swift's debug info, so a copy of the binary without it is run."""
    binary = os.path.join(WORK, "cts-nodebug")
    sh(["strip", "--strip-debug", "-o", binary, cmd[0]])
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + os.path.join(WORK, "callgrind.out")]
                       + [binary] + cmd[1:], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in p.stderr.splitlines():
        if "Collected" in line:
            return int(line.split()[-1])
    sys.exit(f"bench: callgrind failed: {p.stderr[-500:]}")


def setup(args):
    os.makedirs(WORK, exist_ok=True)
    if not os.path.exists(os.path.join(VENV, "bin", "python")):
        sh([sys.executable, "-m", "venv", VENV])
        sh([os.path.join(VENV, "bin", "pip"), "install", "-q"] + PEERS)
    sh(["bash", "scripts/setup.sh"])
    if not shutil.which("sqlite3"):  # the SQLite shell runs the copy floor
        sh(["apt-get", "install", "-y", "-qq", "sqlite3"])
    sh(["swift", "build", "-c", "release", "--product", "cts"], stdout=subprocess.DEVNULL)
    sh(["cc", "-O2", "bench/csvfloor.c", "-o", os.path.join(WORK, "csvfloor"), "-lcsv"])
    sh(["cc", "-O2", "bench/sqlitefloor.c", "-o", os.path.join(WORK, "sqlitefloor"), "-lcsv", "-lsqlite3"])
    stamp = os.path.join(WORK, "scale.txt")
    scale = f"{args.countries} {args.years}\n"
    if not os.path.exists(stamp) or open(stamp).read() != scale:
        sh([sys.executable, "bench/generate.py", "--countries", str(args.countries), "--years", str(args.years)])
        open(stamp, "w").write(scale)
    with open(os.path.join(WORK, "global.csv"), encoding="utf-8") as f, \
            open(os.path.join(WORK, "subset.csv"), "w", encoding="utf-8") as out, \
            open(os.path.join(WORK, "first100k.csv"), "w", encoding="utf-8") as first:
        for i, line in enumerate(f):
            if i <= 100_000:
                first.write(line)
            if i > args.frictionless_rows:
                break
            out.write(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--frictionless-rows", type=int, default=200_000)
    args = ap.parse_args()
    setup(args)
    cts = os.path.join(ROOT, ".build", "release", "cts")
    py = os.path.join(VENV, "bin", "python")
    data = os.path.join(WORK, "global.csv")
    subset = os.path.join(WORK, "subset.csv")
    mb = os.path.getsize(data) / 1e6
    sub_mb = os.path.getsize(subset) / 1e6
    cells = int(open(os.path.join(WORK, "errors.txt")).read().split()[1])
    q = ["--questionnaires", os.path.join(WORK, "questionnaires"), "--reference", "reference"]
    store = os.path.join(WORK, "cts.sqlite")
    for f in (store, store + "-wal", store + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    rows = []

    def row(group, tool, seconds, rss, amount, unit, note=""):
        rows.append((group, tool, seconds, rss, amount / seconds if seconds else 0, unit, note))

    # The floor is timed as cts is, median of three: a single first run also paid for reading the file
    # from disk once (3.5 s against 0.7-1.2 s warm).
    s, r = median_timed([os.path.join(WORK, "csvfloor"), data])
    row("validate", "libcsv tokenizing floor (C)", s, r, mb, "MB/s", "median of 3")
    s, r = median_timed([cts, "validate", data, "-q"] + q, ok=(0, 1))
    row("validate", "cts validate", s, r, mb, "MB/s", "median of 3")
    s, r = median_timed([py, "bench/peers.py", "duckdb-validate", data])
    row("validate", "DuckDB checks in SQL", s, r, mb, "MB/s", "median of 3")
    s, r = timed([py, "bench/peers.py", "frictionless-validate", subset])
    row("validate", "frictionless validate", s, r, sub_mb, "MB/s", f"on the first {args.frictionless_rows:,} rows")
    s, r = median_timed([os.path.join(WORK, "sqlitefloor"), data, os.path.join(WORK, "floor.sqlite")])
    row("ingest", "SQLite insert floor (C)", s, r, cells, "cells/s", "median of 3")
    # Ingest is timed three times too, each into a new store; the last one stays for aggregate.
    ingests = []
    for _ in range(3):
        for f in (store, store + "-wal", store + "-shm"):
            if os.path.exists(f):
                os.remove(f)
        ingests.append(timed([cts, "ingest", data, "--db", store, "--allow-errors", "-q"] + q))
    s, r = sorted(ingests)[1]
    row("ingest", "cts ingest", s, r, cells, "cells/s", "validation included; median of 3, each into a new store")
    # What SQLite alone pays to write these rows with the store's keys and indexes: the stored rows copied by
    # INSERT ... SELECT into an empty store with the same schema (no parsing, no checks, no Swift).
    copy = os.path.join(WORK, "copy.sqlite")
    copies = []
    for _ in range(3):
        for f in (copy, copy + "-wal", copy + "-shm"):
            if os.path.exists(f):
                os.remove(f)
        schema = subprocess.run(["sqlite3", store, ".schema"], check=True, capture_output=True, text=True).stdout
        sh(["sqlite3", copy, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; " + schema
            + " PRAGMA user_version = 7;"], stdout=subprocess.DEVNULL)
        script = (f"PRAGMA foreign_keys = ON; PRAGMA cache_size = -98304; ATTACH '{store}' AS src; BEGIN; "
                  + " ".join(f"INSERT INTO main.{t} SELECT * FROM src.{t};" for t in
                             ["submission", "finding", "slot", "series", "place", "cell_vintage", "observation",
                              "national_mapping"]) + " COMMIT;")
        copies.append(timed(["sqlite3", copy, script]))
    s, r = sorted(copies)[1]
    row("ingest", "SQLite copy of the same rows (C)", s, r, cells, "cells/s",
        "INSERT ... SELECT into an empty store: keys and indexes, no parsing; median of 3")
    # Aggregations take a second or two, where one run's time varies by a third on this kind of machine:
    # each is timed three times, as validate is.
    s, r = median_timed([cts, "aggregate", "--db", store, "--output", os.path.join(WORK, "out")] + q)
    row("aggregate", "cts aggregate", s, r, cells, "cells/s", "imputation and all group levels; median of 3")
    s, r = median_timed([py, "bench/peers.py", "duckdb-aggregate", data, "reference"])
    row("aggregate", "DuckDB GROUP BY", s, r, cells, "cells/s", "region totals and rates only; median of 3")
    s, r = median_timed([py, "bench/peers.py", "pandas-aggregate", data, "reference"])
    row("aggregate", "pandas groupby", s, r, cells, "cells/s", "region totals and rates only; median of 3")
    small = [timed([cts, "validate", "submissions/KEN-2020.csv", "-q"] + q[:0])[0] for _ in range(7)]
    rows.append(("latency", "cts validate KEN-2020.csv (145 cells)", statistics.median(small), 0, 0, "", "median of 7, process start included"))

    sample = os.path.join(WORK, "first100k.csv")
    counted = instructions([cts, "validate", sample, "-q"] + q)
    print(f"\ncts validate, first 100,000 rows: {counted:,} instructions ({counted // 100_000:,} per row, callgrind)")
    print(f"\nInput: {args.countries} countries x {args.years} years, {cells:,} cells, {mb:.0f} MB\n")
    print("| Task | Tool | Wall s | Peak RSS MB | Throughput | Slower than the first of the group | Note |")
    print("|---|---|---|---|---|---|---|")
    first = {}
    for group, tool, s, r, thr, unit, note in rows:
        base = first.setdefault(group, thr)
        ratio = f"{base / thr:.2f}x" if thr else ""
        print(f"| {group} | {tool} | {s:.2f} | {r:.0f} | {thr:,.1f} {unit} | {ratio} | {note} |")
    # A second submission revises a few cells, so that the queries about one submission and its revisions
    # find rows; then the documented queries are timed in SQLite and DuckDB (bench/queries.py).
    sh([cts, "ingest", "Tests/Fixtures/store-v6/KEN-2020-revision.csv", "--db", store, "--allow-errors", "-q"] + q,
       stdout=subprocess.DEVNULL)
    sys.stdout.flush()
    sh([py, "bench/queries.py", store])


if __name__ == "__main__":
    main()
