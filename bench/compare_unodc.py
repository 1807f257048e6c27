#!/usr/bin/env python3
"""Compare cts's regional homicide rates with UNODC's published regional estimates (a report, not a test).

    python3 bench/compare_unodc.py OUTPUTS_DIR [../shared/holdout/unodc_homicide_regional_estimates.csv]

Reads OUTPUTS_DIR/trends/victims.csv (series homicide_victims.homicide, sex _T) and UNODC's published
rates per 100,000, matches groups by name ("All Africa" is Africa), and lists every published group-year
both have, with the difference in percent and cts's coverage. No group is picked: the summary counts them
all. UNODC fills gaps with models and used an older population series, so the two agree within a few
percent where coverage is good, not exactly.
"""
import csv
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    outputs = sys.argv[1]
    published = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        ROOT, "..", "shared", "holdout", "unodc_homicide_regional_estimates.csv")
    theirs = {}
    with open(published, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Sex"] == "Total" and row["Unit of measurement"].startswith("Rate"):
                theirs[(row["Country"].replace("All ", ""), row["Year"])] = float(row["VALUE"])
    lines = []
    with open(os.path.join(outputs, "trends", "victims.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["series"] != "homicide_victims.homicide" or row.get("sex") != "_T" or not row["rate_per_100k"]:
                continue
            ref = theirs.get((row["group_name"], row["year"]))
            if ref is None:
                continue
            diff = float(row["rate_per_100k"]) / ref * 100 - 100
            lines.append((row["group_name"], row["year"], float(row["rate_per_100k"]), ref, diff,
                          row.get("population_coverage", "")))
    within = sum(1 for line in lines if abs(line[4]) <= 5)
    print(f"{within} of {len(lines)} published group-years within ±5% of UNODC's estimates\n")
    print("| Group | Year | cts rate | UNODC rate | difference % | coverage |")
    print("|---|---|---|---|---|---|")
    for g, y, ours, ref, diff, cov in sorted(lines):
        print(f"| {g} | {y} | {ours:.2f} | {ref:.2f} | {diff:+.1f} | {cov} |")


if __name__ == "__main__":
    main()
