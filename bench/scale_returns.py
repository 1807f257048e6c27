#!/usr/bin/env python3
"""Make a large multi-country return by repeating a shipped sample return under other country codes.

    python3 bench/scale_returns.py --countries 249 --shifts 3 > bench/work/scaled.csv

Each copy keeps the sample's figures and its realistic findings; `--shifts N` also moves years back by
7, 14, ... so one country holds several series. Deterministic. Used for the baseline in RESULTS.md until
the synthetic generator of the benchmark issue exists.
"""
import argparse
import csv
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", default=os.path.join(ROOT, "submissions", "KEN-2020.csv"))
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--shifts", type=int, default=1)
    args = ap.parse_args()
    with open(args.sample, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    with open(os.path.join(ROOT, "reference", "countries.csv"), encoding="utf-8") as f:
        isos = [r["iso3"] for r in csv.DictReader(f)][: args.countries]
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(header)
    for iso in isos:
        for shift in range(args.shifts):
            for r in body:
                r2 = list(r)
                r2[0] = iso
                r2[1] = str(int(r2[1]) - 7 * shift)
                w.writerow(r2)


if __name__ == "__main__":
    main()
