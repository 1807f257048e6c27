#!/usr/bin/env python3
"""The peers cts is compared with, doing the same work on the same files (make bench runs them).

    peers.py duckdb-validate GLOBAL.csv         code lists, ranges, duplicate keys, breakdown sums in SQL
    peers.py frictionless-validate FILE.csv     Table Schema: types, enums, range, primary key
    peers.py duckdb-aggregate GLOBAL.csv REF    totals and rates by M49 region and year
    peers.py pandas-aggregate GLOBAL.csv REF    the same in pandas
Each prints one line: what it found or computed.
"""
import sys

CODES = {
    "sex": ["_T", "M", "F", "_U"], "age": ["_T", "ADULT", "JUV", "_U"], "citizenship": ["_T", "NAT", "FOR", "_U"],
    "status": ["", "A", "B", "D", "E", "P", "K", "W", "L", "M"],
}


def duckdb_validate(path):
    import duckdb
    con = duckdb.connect()
    con.execute(f"CREATE VIEW r AS SELECT * FROM read_csv('{path}', all_varchar=true, header=true)")
    checks = {
        "not_a_number": "SELECT count(*) FROM r WHERE value IS NOT NULL AND NOT regexp_full_match(value, '[0-9]+(\\.[0-9]+)?')",
        "bad_sex": "SELECT count(*) FROM r WHERE coalesce(sex,'') NOT IN ('', '_T','M','F','_U')",
        "bad_age": "SELECT count(*) FROM r WHERE coalesce(age,'') NOT IN ('', '_T','ADULT','JUV','_U')",
        "bad_citizenship": "SELECT count(*) FROM r WHERE coalesce(citizenship,'') NOT IN ('', '_T','NAT','FOR','_U')",
        "bad_year": "SELECT count(*) FROM r WHERE TRY_CAST(year AS INTEGER) IS NULL",
        "duplicates": "SELECT count(*) FROM (SELECT country, year, \"table\", variable, sex, age, citizenship, count(*) c "
                      "FROM r GROUP BY ALL HAVING c > 1)",
        "sex_sums": """
            WITH v AS (SELECT country, year, "table", variable, coalesce(sex,'') sex, coalesce(age,'') age,
                              coalesce(citizenship,'') cit, TRY_CAST(value AS DOUBLE) x FROM r)
            SELECT count(*) FROM (
              SELECT t.x tx, sum(p.x) px FROM v t JOIN v p USING (country, year, "table", variable, age, cit)
              WHERE t.sex = '_T' AND p.sex IN ('M','F','_U')
              GROUP BY country, year, "table", variable, age, cit, t.x HAVING tx <> px)""",
    }
    found = {k: con.execute(q).fetchone()[0] for k, q in checks.items()}
    print("duckdb findings:", found)


def frictionless_validate(path):
    from frictionless import Resource, Schema, validate
    schema = Schema.from_descriptor({
        "fields": [
            {"name": "country", "type": "string", "constraints": {"required": True, "pattern": "[A-Z]{3}(_[A-Z]+)?"}},
            {"name": "year", "type": "integer", "constraints": {"minimum": 1900, "maximum": 2100}},
            {"name": "table", "type": "string"}, {"name": "variable", "type": "string"},
            {"name": "sex", "type": "string", "constraints": {"enum": CODES["sex"]}},
            {"name": "age", "type": "string", "constraints": {"enum": CODES["age"]}},
            {"name": "citizenship", "type": "string", "constraints": {"enum": CODES["citizenship"]}},
            {"name": "value", "type": "number", "constraints": {"minimum": 0}},
            {"name": "status", "type": "string"}, {"name": "note", "type": "string"},
        ],
        "primaryKey": ["country", "year", "table", "variable", "sex", "age", "citizenship"],
    })
    import os
    os.chdir(os.path.dirname(os.path.abspath(path)))  # frictionless refuses absolute paths as unsafe
    report = validate(Resource(path=os.path.basename(path), schema=schema), limit_errors=10_000_000)
    types = {}
    for (t,) in report.flatten(["type"]):
        types[t] = types.get(t, 0) + 1
    print("frictionless errors:", types)


def regions(ref):
    import csv
    with open(f"{ref}/countries.csv", encoding="utf-8") as f:
        return {r["iso3"]: r["region"] for r in csv.DictReader(f)}


def duckdb_aggregate(path, ref):
    import duckdb
    con = duckdb.connect()
    rows = con.execute(f"""
        WITH r AS (SELECT * FROM read_csv('{path}', all_varchar=true, header=true)),
             c AS (SELECT * FROM read_csv('{ref}/countries.csv', all_varchar=true, header=true)),
             p AS (SELECT iso3, CAST("year" AS INTEGER) AS yr, CAST(population AS DOUBLE) AS pop
                   FROM read_csv('{ref}/population.csv', all_varchar=true, header=true))
        SELECT c.region, CAST(r.year AS INTEGER) y, r."table", r.variable, r.sex, r.age, r.citizenship,
               sum(TRY_CAST(r.value AS DOUBLE)) total, sum(TRY_CAST(r.value AS DOUBLE)) / sum(p.pop) * 100000 rate
        FROM r JOIN c ON c.iso3 = r.country LEFT JOIN p ON p.iso3 = r.country AND p.yr = CAST(r.year AS INTEGER)
        GROUP BY ALL""").fetchall()
    print("duckdb aggregate rows:", len(rows))


def pandas_aggregate(path, ref):
    import pandas as pd
    r = pd.read_csv(path, dtype=str, keep_default_na=False)
    r["x"] = pd.to_numeric(r["value"], errors="coerce")
    r["year"] = r["year"].astype(int)
    c = pd.read_csv(f"{ref}/countries.csv", dtype=str, keep_default_na=False)[["iso3", "region"]]
    p = pd.read_csv(f"{ref}/population.csv", dtype={"iso3": str, "year": int, "population": float})
    m = r.merge(c, left_on="country", right_on="iso3").merge(p, left_on=["country", "year"], right_on=["iso3", "year"], how="left")
    g = m.groupby(["region", "year", "table", "variable", "sex", "age", "citizenship"]).agg(total=("x", "sum"), pop=("population", "sum"))
    g["rate"] = g["total"] / g["pop"] * 100000
    print("pandas aggregate rows:", len(g))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"duckdb-validate": duckdb_validate, "frictionless-validate": frictionless_validate,
     "duckdb-aggregate": duckdb_aggregate, "pandas-aggregate": pandas_aggregate}[command](*args)
