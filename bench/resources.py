#!/usr/bin/env python3
"""Peak memory of every cts command on 1x, 10x and 100x inputs (make bench-resources).

Each scale is a synthetic global history from bench/generate.py (one return holding every table with every
breakdown, no injected errors so that `cts run` stores it): 1x is 20 countries x 3 years (about 50,000
cells), 10x 20 x 30, 20x 41 x 30 (one million cells, on request), 100x 200 x 30 (about 5 million
cells, 250 MB). On each, validate, ingest, aggregate,
report, run and export are run once by /usr/bin/time, and the wall time and peak RSS are printed as one
table. The target is memory that does not grow with the input: every command under 300 MB at 100x.

    python3 bench/resources.py [--scales 1,10,100] [--cts .build/release/cts]
"""
import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import timed  # noqa: E402  (wall seconds and peak RSS of one command)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work", "resources")
SCALES = {1: (20, 3), 10: (20, 30), 20: (41, 30), 100: (200, 30)}
LIMIT_MB = 300


def prepare(scale):
    """The scale's folder with submissions/global.csv and its questionnaire, generated once."""
    countries, years = SCALES[scale]
    folder = os.path.join(WORK, f"{scale}x")
    stamp = os.path.join(folder, "scale.txt")
    want = f"{countries} {years}\n"
    if not os.path.exists(stamp) or open(stamp).read() != want:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(os.path.join(folder, "submissions"))
        subprocess.run([sys.executable, "bench/generate.py", "--countries", str(countries), "--years", str(years),
                        "--error-rate", "0", "--out", folder], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        os.rename(os.path.join(folder, "global.csv"), os.path.join(folder, "submissions", "global.csv"))
        open(stamp, "w").write(want)
    for name in ("store", "outputs", "run"):
        shutil.rmtree(os.path.join(folder, name), ignore_errors=True)
    return folder


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", default="1,10,100")
    ap.add_argument("--cts", default=os.path.join(ROOT, ".build", "release", "cts"))
    args = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    cts = os.path.abspath(args.cts)
    if not os.path.exists(cts):
        subprocess.run(["swift", "build", "-c", "release", "--product", "cts"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    results = []
    for scale in [int(s) for s in args.scales.split(",")]:
        folder = prepare(scale)
        data = os.path.join(folder, "submissions", "global.csv")
        q = ["--questionnaires", os.path.join(folder, "questionnaires"), "--reference", "reference"]
        store = os.path.join(folder, "store", "cts.sqlite")
        out = os.path.join(folder, "outputs")
        cells = int(open(os.path.join(folder, "errors.txt")).read().split()[1])
        commands = [
            ("validate", [cts, "validate", data, "-q"] + q),
            ("ingest", [cts, "ingest", data, "--db", store, "-q"] + q),
            ("aggregate", [cts, "aggregate", "--db", store, "--output", out] + q),
            ("export", [cts, "export", "--db", store, "--output", out, "--reference", "reference"]),
            ("report", [cts, "report", data, "--db", store, "--output", os.path.join(out, "reports")] + q),
            ("run", [cts, "run", "--submissions", os.path.join(folder, "submissions"), "--db",
                     os.path.join(folder, "run", "cts.sqlite"), "--output", os.path.join(folder, "run"), "-q"] + q),
        ]
        for name, cmd in commands:
            seconds, rss = timed(cmd)
            results.append((scale, cells, name, seconds, rss))
            print(f"{scale:>4}x {cells:>10,} cells  {name:<10} {seconds:8.2f} s {rss:8.0f} MB", flush=True)
    print()
    print("| Command | " + " | ".join(f"{s}x ({c:,} cells)" for s, c in
                                      dict.fromkeys((s, c) for s, c, *_ in results)) + " |")
    print("|---|" + "---|" * len({s for s, *_ in results}))
    over = []
    for name in dict.fromkeys(r[2] for r in results):
        cols = [(s, secs, rss) for s, _, n, secs, rss in results if n == name]
        print(f"| {name} | " + " | ".join(f"{rss:.0f} MB, {secs:.1f} s" for _, secs, rss in cols) + " |")
        over += [f"{name} at {s}x: {rss:.0f} MB" for s, _, rss in cols if rss >= LIMIT_MB]
    ratios = []
    for scale in dict.fromkeys(r[0] for r in results):
        took = {n: secs for s, _, n, secs, _ in results if s == scale}
        if took.get("aggregate"):
            ratios.append(f"{scale}x {took['export'] / took['aggregate']:.2f}")
    print("\nexport time / aggregate time: " + ", ".join(ratios))
    if over:
        sys.exit(f"resources: over {LIMIT_MB} MB: " + "; ".join(over))


if __name__ == "__main__":
    main()
