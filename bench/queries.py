#!/usr/bin/env python3
"""Time the queries docs/STORE.md shows (bench/queries.sql) on a store, in SQLite and in DuckDB.

    python3 bench/queries.py STORE.sqlite [--runs 5]

Each query runs `--runs` times through SQLite (Python's sqlite3, all rows fetched) and the median is kept;
its plan must name an index for every big table it reads. The same tables are then copied into DuckDB
(in memory) with the same views, and the same SQL timed there for comparison. A query naming submission 5
is pointed at the store's last submission. Prints one Markdown table.
"""
import os
import re
import sqlite3
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIG = ("c", "o", "m", "cell_vintage", "observation", "finding", "national_mapping")


def queries(last):
    text = open(os.path.join(ROOT, "bench", "queries.sql"), encoding="utf-8").read()
    out = []
    for part in text.split("-- name: ")[1:]:
        name, _, sql = part.partition("\n")
        out.append((name.strip(), re.sub(r"(submission_id|ended_by) = 5\b", rf"\1 = {last}", sql.strip())))
    return out


def timed(run, runs):
    times = []
    rows = None
    for _ in range(runs):
        t = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, len(rows)


def duckdb_copy(path):
    import duckdb
    con = duckdb.connect()
    src = sqlite3.connect(path)
    tables = [r[0] for r in src.execute("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
    import pandas as pd
    for table in tables:
        # The declared types of SQLite's columns: a column that is all NULL in the store must not come
        # out of pandas as another type.
        declared = [(r[1], r[2] or "TEXT") for r in src.execute(f"PRAGMA table_info({table})")]
        con.execute(f"CREATE TABLE {table} (" + ", ".join(f'"{n}" {t}' for n, t in declared) + ")")
        cur = src.execute(f"SELECT * FROM {table}")
        while True:
            chunk = cur.fetchmany(500_000)
            if not chunk:
                break
            con.register("frame", pd.DataFrame(chunk, columns=[n for n, _ in declared]))
            con.execute(f"INSERT INTO {table} SELECT * FROM frame")
            con.unregister("frame")
    for (sql,) in src.execute("SELECT sql FROM sqlite_schema WHERE type = 'view' ORDER BY name"):
        con.execute(sql)
    return con


def main():
    path = sys.argv[1]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    db = sqlite3.connect(path)
    cells = db.execute("SELECT count(*) FROM cell_vintage").fetchone()[0]
    last = db.execute("SELECT max(id) FROM submission").fetchone()[0]
    results = []
    for name, sql in queries(last):
        plan = [r[3] for r in db.execute("EXPLAIN QUERY PLAN " + sql)]
        scans = [p for p in plan if any(p == "SCAN " + t or p.startswith("SCAN " + t + " ") for t in BIG)]
        ms, n = timed(lambda: db.execute(sql).fetchall(), runs)
        results.append([name, ms, n, "index" if not scans else "FULL SCAN: " + "; ".join(scans)])
    try:
        t = time.perf_counter()
        con = duckdb_copy(path)
        print(f"(copied the store into DuckDB in {time.perf_counter() - t:.0f} s)", file=sys.stderr)
        for r, (name, sql) in zip(results, queries(last)):
            ms, _ = timed(lambda: con.execute(sql).fetchall(), runs)
            r.append(ms)
    except ImportError:
        for r in results:
            r.append(None)
    print(f"\nDocumented queries on a store of {cells:,} cell vintages (median of {runs}):\n")
    print("| Query | SQLite ms | rows | plan | DuckDB ms |")
    print("|---|---|---|---|---|")
    for name, ms, n, plan, duck in results:
        d = f"{duck:.1f}" if duck is not None else ""
        print(f"| {name} | {ms:.2f} | {n:,} | {plan} | {d} |")


if __name__ == "__main__":
    main()
