#!/usr/bin/env python3
"""Reading a large .xlsx return: cts against Python's spreadsheet readers, in one run.

    python3 bench/xlsx.py [--rows 200000]

Writes a long-table workbook of ROWS figures (the sample returns' rows, repeated over years) with
openpyxl, then times, each best of three, with peak memory:
  - cts validate on the workbook (unzip, parse, convert, and every check),
  - cts validate on the same rows as CSV (what the workbook costs over a CSV),
  - pandas.read_excel(engine="openpyxl") and openpyxl's read-only iteration (reading only, no checks),
  - python-calamine (a Rust reader) when it installs.
Needs bench/.venv with openpyxl and pandas (installed when missing). Prints a Markdown table for
bench/RESULTS.md.
"""
import argparse
import csv
import glob
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "bench", ".venv", "bin", "python")


def ensure_venv():
    need = []
    for module, package in (("openpyxl", "openpyxl==3.1.5"), ("pandas", "pandas"), ("python_calamine", "python-calamine")):
        if subprocess.run([VENV, "-c", f"import {module}"], capture_output=True).returncode != 0:
            need.append(package)
    for package in need:
        subprocess.run([VENV, "-m", "pip", "install", "-q", package], check=False)


def rows_of_samples(n):
    header, rows = None, []
    for path in sorted(glob.glob(os.path.join(ROOT, "submissions", "*.csv"))):
        with open(path, encoding="utf-8", errors="replace", newline="") as f:
            r = csv.reader(f)
            h = next(r)
            if h[:4] != ["country", "year", "table", "variable"]:
                continue
            header = h
            rows += [row for row in r if len(row) == len(h) and row[1].isdigit()]
    if not rows:
        sys.exit("bench/xlsx.py: no sample returns in submissions/")
    out, shift = [], 0
    while len(out) < n:
        for row in rows:
            row = list(row)
            row[1] = str(int(row[1]) - 40 * shift)  # earlier years on each pass: keys stay unique
            out.append(row)
            if len(out) == n:
                break
        shift += 1
    return header, out


def timed(cmd, env=None):
    best, peak = None, 0
    for _ in range(3):
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - start
        rss = int(p.stderr.strip().splitlines()[-1]) // 1024
        best = elapsed if best is None else min(best, elapsed)
        peak = max(peak, rss)
    return best, peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    args = ap.parse_args()
    ensure_venv()
    subprocess.run(["swift", "build", "-c", "release", "--product", "cts"], cwd=ROOT, check=True, capture_output=True)
    cts = os.path.join(ROOT, ".build", "release", "cts")
    work = tempfile.mkdtemp(prefix="cts-xlsx-bench-")
    header, rows = rows_of_samples(args.rows)
    csv_path, xlsx_path = os.path.join(work, "big.csv"), os.path.join(work, "big.xlsx")
    with open(csv_path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    subprocess.run([VENV, "-c", f"""
import csv, openpyxl
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("Return")
with open({csv_path!r}, encoding="utf-8", newline="") as f:
    for i, row in enumerate(csv.reader(f)):
        if i > 0:
            for j in (1, 7):  # year and value as numbers; what is not one stays text, as typed
                try:
                    row[j] = float(row[j]) if "." in row[j] else int(row[j])
                except ValueError:
                    pass
        ws.append(row)
wb.save({xlsx_path!r})
"""], check=True)
    size = os.path.getsize(xlsx_path)
    cells = args.rows * len(header)
    results = []
    q = ["--questionnaires", os.path.join(ROOT, "questionnaires"), "--reference", os.path.join(ROOT, "reference"), "-q"]
    results.append(("cts validate (xlsx, all checks)",) + timed([cts, "validate", xlsx_path] + q))
    results.append(("cts validate (same rows as CSV)",) + timed([cts, "validate", csv_path] + q))
    results.append(("pandas.read_excel, openpyxl (reading only)",) + timed(
        [VENV, "-c", f"import pandas; pandas.read_excel({xlsx_path!r}, dtype=str)"]))
    results.append(("openpyxl read-only iteration (reading only)",) + timed(
        [VENV, "-c", f"import openpyxl\nwb = openpyxl.load_workbook({xlsx_path!r}, read_only=True)\nn = sum(1 for _ in wb.active.iter_rows(values_only=True))"]))
    if subprocess.run([VENV, "-c", "import python_calamine"], capture_output=True).returncode == 0:
        results.append(("python-calamine (reading only)",) + timed(
            [VENV, "-c", f"from python_calamine import CalamineWorkbook\nrows = CalamineWorkbook.from_path({xlsx_path!r}).get_sheet_by_index(0).to_python()"]))
    print(f"Workbook: {args.rows:,} rows ({cells:,} cells), {size / 1e6:.1f} MB; best of 3, peak RSS of the 3.\n")
    print("| Reader | Time | Peak memory | Time vs cts |")
    print("|---|---|---|---|")
    base = results[0][1]
    for name, seconds, rss in results:
        print(f"| {name} | {seconds:.2f} s | {rss} MB | {seconds / base:.2f}x |")


if __name__ == "__main__":
    main()
