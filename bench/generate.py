#!/usr/bin/env python3
"""Generate a synthetic global history of UN-CTS returns for benchmarks.

    python3 bench/generate.py --countries 200 --years 30 --error-rate 0.001 --out bench/work

Writes bench/work/global.csv: COUNTRIES x YEARS x the full questionnaire with every breakdown (about 830
cells per country-year, so 200 x 30 gives about 5 million cells, about 250 MB), and
bench/work/questionnaires/ (the shipped questionnaire with reference years widened to cover YEARS).
Breakdowns add up, ICCS children stay below their parents, so only the injected errors are errors: a
known share (--error-rate) of cells gets a typical mistake (thousands separator, negative number,
unknown code, placeholder). bench/work/errors.txt says how many. Deterministic for a given --seed.
"""
import argparse
import csv
import os
import random
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEX = ["M", "F", "_U"]
AGE = ["ADULT", "JUV", "_U"]
CIT = ["NAT", "FOR", "_U"]


def tables():
    """(table, variables, dimensions) of the shipped questionnaire, read from its YAML without a parser."""
    text = open(os.path.join(ROOT, "questionnaires", "un-cts-2024.yaml"), encoding="utf-8").read()
    out = []
    for block in re.split(r"\n  - id: ", "\n" + text.split("\ntables:\n")[1].split("\nrules:\n")[0])[1:]:
        tid = block.split("\n")[0].strip()
        if "national_categories: true" in block:
            continue
        dims = re.search(r"breakdowns: \[([^\]]*)\]", block)
        dims = [d.strip() for d in dims.group(1).split(",")] if dims else []
        variables = re.findall(r"\{id: (\w+)(?:, iccs: \"(\d+)\")?", block)
        out.append((tid, variables, dims))
    return out


def combos(dims):
    """Every breakdown cell: totals and parts for each dimension the table takes."""
    lists = {"sex": ["_T"] + SEX, "age": ["_T"] + AGE, "citizenship": ["_T"] + CIT}
    result = [{}]
    for d in dims:
        result = [dict(c, **{d: code}) for c in result for code in lists[d]]
    return result


def consistent(tid, drawn):
    """Makes the figures of a table meet the questionnaire's cross-variable rules that random draws break:
    prisoners sentenced plus unsentenced make the total, and those sentenced for homicide are among the
    sentenced."""
    if tid != "prisoners":
        return
    v = {vid: (base, parts) for vid, base, parts in drawn}
    sentenced, unsentenced = v["sentenced"], v["unsentenced"]
    v["total"] = (sentenced[0] + unsentenced[0], {k: sentenced[1][k] + unsentenced[1][k] for k in sentenced[1]})
    v["homicide_sentenced"] = (sentenced[0] // 3, {k: x // 3 for k, x in sentenced[1].items()})
    drawn[:] = [(vid, *v[vid]) for vid, _, _ in drawn]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--first-year", type=int, default=1991)
    ap.add_argument("--error-rate", type=float, default=0.001)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "work"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "questionnaires"), exist_ok=True)
    yaml = open(os.path.join(ROOT, "questionnaires", "un-cts-2024.yaml"), encoding="utf-8").read()
    last = args.first_year + args.years - 1
    yaml = re.sub(r"reference_years: \{from: \d+, to: \d+\}", f"reference_years: {{from: {args.first_year}, to: {max(last, 2023)}}}", yaml)
    open(os.path.join(args.out, "questionnaires", "un-cts-bench.yaml"), "w", encoding="utf-8").write(yaml)
    with open(os.path.join(ROOT, "reference", "countries.csv"), encoding="utf-8") as f:
        countries = [r["iso3"] for r in csv.DictReader(f)][: args.countries]
    shape = tables()
    errors = 0
    cells = 0
    with open(os.path.join(args.out, "global.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["country", "year", "table", "variable", "sex", "age", "citizenship", "value", "status", "note"])
        for iso3 in countries:
            scale = rng.uniform(0.2, 5.0)
            for year in range(args.first_year, last + 1):
                for tid, variables, dims in shape:
                    parent = {}
                    drawn = []
                    for vid, code in variables:
                        # Children of an ICCS parent in the table stay below it.
                        base = int(rng.uniform(50, 5000) * scale)
                        for pcode, pvalue in parent.items():
                            if code and code.startswith(pcode) and code != pcode:
                                base = min(base, pvalue // 3)
                        if code:
                            parent[code] = base
                        parts = {}
                        for c in combos(dims):
                            leaf = [c[d] for d in dims]
                            if all(x != "_T" for x in leaf):
                                parts[tuple(leaf)] = rng.randint(0, max(1, base // (3 ** len(dims))))
                        drawn.append((vid, base, parts))
                    consistent(tid, drawn)
                    for vid, base, parts in drawn:
                        for c in combos(dims):
                            key = [c.get(d, "_T") for d in dims]
                            value = sum(v for k, v in parts.items() if all(t == "_T" or t == kk for t, kk in zip(key, k))) if dims else base
                            text = str(value)
                            if rng.random() < args.error_rate:
                                errors += 1
                                text = rng.choice([f"{value:,}" if value >= 1000 else "1,234", "-5", "..", "n/a", "12,5"])
                            w.writerow([iso3, year, tid, vid, c.get("sex", ""), c.get("age", ""),
                                        c.get("citizenship", ""), text, "", ""])
                            cells += 1
    with open(os.path.join(args.out, "errors.txt"), "w") as f:
        f.write(f"cells {cells}\ninjected_errors {errors}\n")
    print(f"{cells} cells, {errors} injected errors -> {args.out}/global.csv")


if __name__ == "__main__":
    main()
