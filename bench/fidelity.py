#!/usr/bin/env python3
"""How close cts's regional homicide estimates come to UNODC's published ones, for each method.

    python3 bench/fidelity.py [--cts PATH] [--write]     (make fidelity)

1. Builds one return per reporter from UNODC's own country counts of homicide victims (total, male,
   female; ../shared/data/unodc_homicide), under a copy of the questionnaire whose reference years start
   in 1990 (UNODC's series do).
2. Ingests them into a fresh store (returns with errors, e.g. codes the reference tables do not know,
   are rejected and listed).
3. For each method of `cts aggregate --method`, aggregates 2000-2020 and runs `cts compare` against
   UNODC's published regional estimates (../shared/holdout, read here and never shipped).
4. Prints, per method, how many well-covered group-years (reporters cover >= 2/3 of the population)
   of 2005-2019 lie within +-5% of UNODC's figure, for the world, the five regions and UNODC's
   sub-regions, counts and rates apart. With --write, the table goes into bench/RESULTS.md.

Nothing is tuned to single group-years: this measures each method as it is.
"""
import argparse
import csv
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work", "fidelity")
COUNTRIES = os.path.join(ROOT, "..", "shared", "data", "unodc_homicide", "data_cts_intentional_homicide_countries.csv")
PUBLISHED = os.path.join(ROOT, "..", "shared", "holdout", "unodc_homicide_regional_estimates.csv")
METHODS = ["interpolate", "unodc"]
SEX = {"Total": "_T", "Male": "M", "Female": "F"}
REGIONS = {"002", "019", "142", "150", "009"}


def build_returns(folder):
    # Codes cts refuses with the fix "write XKX" (KOS is UNODC's): written as the message says.
    with open(os.path.join(ROOT, "reference", "country_aliases.csv"), encoding="utf-8") as f:
        aliases = {r["alias"]: r["iso3"] for r in csv.DictReader(f)}
    rows = {}
    with open(COUNTRIES, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if (r["Indicator"] != "Victims of intentional homicide" or r["Dimension"] != "Total"
                    or r["Category"] != "Total" or r["Age"] != "Total" or r["Unit of measurement"] != "Counts"
                    or r["Sex"] not in SEX or not r["VALUE"].strip()):
                continue
            value = r["VALUE"].strip()
            # UNODC's counts include model estimates with decimals: sent as estimates (status E).
            status = "" if re.fullmatch(r"\d+", value) else "E"
            code = aliases.get(r["Iso3_code"], r["Iso3_code"])
            rows.setdefault(code, []).append(
                [code, r["Year"], "homicide_victims", "homicide", SEX[r["Sex"]], "", "", value, status,
                 "UNODC " + r["Source"][:60]])
    os.makedirs(folder)
    for code, lines in sorted(rows.items()):
        # A year with the sexes but no total: the total is sent as not collected (L), as a country would.
        years = {l[1] for l in lines}
        totals = {l[1] for l in lines if l[4] == "_T"}
        for year in sorted(years - totals):
            lines.append([code, year, "homicide_victims", "homicide", "_T", "", "", "", "L", "no total given"])
        with open(os.path.join(folder, f"{code}.csv"), "w", newline="", encoding="utf-8") as out:
            w = csv.writer(out)
            w.writerow(["country", "year", "table", "variable", "sex", "age", "citizenship", "value", "status", "note"])
            w.writerows(sorted(lines, key=lambda l: (int(l[1]), l[4])))
    return len(rows), sum(len(v) for v in rows.values())


def questionnaire(folder):
    os.makedirs(folder)
    text = open(os.path.join(ROOT, "questionnaires", "un-cts-2024.yaml"), encoding="utf-8").read()
    text = re.sub(r"reference_years: \{from: \d+, to: (\d+)\}", r"reference_years: {from: 1990, to: \1}", text)
    open(os.path.join(folder, "un-cts-2024.yaml"), "w", encoding="utf-8").write(text)


def run(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def summarize(comparison):
    """Within-5% counts per (measure, group set) over well-covered 2005-2019 group-years."""
    result = {}
    with open(comparison, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["sex"] != "_T" or not (2005 <= int(r["year"]) <= 2019) or r["well_covered"] != "yes":
                continue
            if not r["difference_pct"]:
                continue
            kind = "world" if r["group_code"] == "001" else "regions" if r["group_code"] in REGIONS else "sub-regions"
            for key in [(r["measure"], kind), (r["measure"], "all")]:
                within, total = result.get(key, (0, 0))
                result[key] = (within + (abs(float(r["difference_pct"])) <= 5), total + 1)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cts", default=os.path.join(ROOT, ".build", "release", "cts"))
    parser.add_argument("--write", action="store_true", help="put the table into bench/RESULTS.md")
    args = parser.parse_args()
    for path in (COUNTRIES, PUBLISHED, args.cts):
        if not os.path.exists(path):
            sys.exit(f"missing {path} (build cts with `swift build -c release`)")
    shutil.rmtree(WORK, ignore_errors=True)
    returns = os.path.join(WORK, "submissions")
    reporters, figures = build_returns(returns)
    questionnaire(os.path.join(WORK, "questionnaires"))
    w = ["--questionnaires", os.path.join(WORK, "questionnaires"), "--reference", os.path.join(ROOT, "reference")]
    db = os.path.join(WORK, "cts.sqlite")
    ingested = run([args.cts, "ingest", returns, "--db", db, "--no-history", "-q"] + w)
    print(f"{reporters} reporters, {figures} figures; {ingested.strip().splitlines()[-1]}")
    table = []
    for method in METHODS:
        out = os.path.join(WORK, method)
        run([args.cts, "aggregate", "--db", db, "--method", method, "--from", "2000", "--to", "2020",
             "--output", out] + w)
        print(run([args.cts, "compare", PUBLISHED, "--trends", os.path.join(out, "trends.csv"), "--output", out]),
              end="")
        s = summarize(os.path.join(out, "comparison.csv"))
        for measure in ["total", "rate"]:
            cells = []
            for kind in ["world", "regions", "sub-regions", "all"]:
                within, total = s.get((measure, kind), (0, 0))
                cells.append(f"{within}/{total} ({within / total * 100:.0f}%)" if total else "-")
            table.append(f"| {method} | {'counts' if measure == 'total' else 'rates'} | " + " | ".join(cells) + " |")
    header = ("| Method | Measure | World | Regions | Sub-regions | All |\n|---|---|---|---|---|---|")
    text = header + "\n" + "\n".join(table)
    print("\nWell-covered group-years of 2005-2019 within +-5% of UNODC's published estimates:\n")
    print(text)
    if args.write:
        results = os.path.join(ROOT, "bench", "RESULTS.md")
        body = open(results, encoding="utf-8").read()
        marker = "<!-- fidelity -->"
        block = f"{marker}\n{text}\n{marker}"
        if marker in body:
            body = re.sub(f"{marker}.*?{marker}", block, body, flags=re.S)
        else:
            body += "\n" + block + "\n"
        open(results, "w", encoding="utf-8").write(body)


if __name__ == "__main__":
    main()
