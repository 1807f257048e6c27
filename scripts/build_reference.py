#!/usr/bin/env python3
"""Build the reference tables in reference/ from the third-party data in ../shared/data.

Run from the repository root:  python3 scripts/build_reference.py [--shared ../shared/data]
Outputs are UTF-8 CSV with a header, sorted, so rebuilding gives byte-identical files.
"""
import argparse
import csv
import io
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_csv(path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    print(f"wrote {os.path.relpath(path, ROOT)}: {len(rows)} rows")


def build_iccs(shared, out):
    src = os.path.join(shared, "iccs", "iccs_v1_structure_extracted_from_pdf.csv")
    rows = []
    with open(src, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["code"].strip()
            assert code.isdigit() and len(code) in (2, 4, 5, 6), code
            rows.append([code, r["level"], r["parent_code"], r["section_code"], r["label"].strip()])
    rows.sort()
    assert len(rows) == 320, len(rows)
    write_csv(os.path.join(out, "iccs.csv"), ["code", "level", "parent", "section", "title"], rows)


def build_countries(shared, out):
    src = os.path.join(shared, "m49", "UNSD_M49_methodology_2023-02_snapshot.csv")
    rows = []
    with open(src, encoding="utf-8-sig") as f:
        for r in csv.DictReader(f, delimiter=";"):
            iso3 = r["ISO-alpha3 Code"].strip()
            if not iso3:  # Sark has no ISO code; Antarctica has no region but keeps its code
                continue
            rows.append([
                iso3, r["ISO-alpha2 Code"].strip(), r["M49 Code"].strip(), r["Country or Area"].strip(),
                r["Region Code"].strip(), r["Region Name"].strip(),
                r["Sub-region Code"].strip(), r["Sub-region Name"].strip(),
                r["Intermediate Region Code"].strip(), r["Intermediate Region Name"].strip(),
            ])
    # Kosovo has no M49 entry; UNODC reports it (as KOS) in the Southern Europe sub-region and the
    # World Bank uses the user-assigned code XKX. No M49 code exists, so that column stays empty.
    rows.append(["XKX", "XK", "", "Kosovo (under UNSCR 1244)", "150", "Europe", "039", "Southern Europe", "", ""])
    rows.sort()
    write_csv(os.path.join(out, "countries.csv"),
              ["iso3", "iso2", "m49", "name", "region_code", "region", "subregion_code", "subregion",
               "intermediate_code", "intermediate"], rows)


def build_population(shared, out):
    """World Bank SP.POP.TOTL for the countries in countries.csv (aggregates such as WLD are dropped)."""
    with open(os.path.join(out, "countries.csv"), encoding="utf-8") as f:
        iso3 = {r["iso3"] for r in csv.DictReader(f)}
    src = os.path.join(shared, "population", "worldbank", "population.csv")
    rows = []
    with open(src, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["Country Code"].strip()
            if code in iso3 and r["Value"].strip():
                value = float(r["Value"])
                assert value == int(value) and value > 0, (code, r["Year"], value)
                rows.append([code, r["Year"].strip(), str(int(value))])
    rows.sort(key=lambda r: (r[0], int(r[1])))
    write_csv(os.path.join(out, "population.csv"), ["iso3", "year", "population"], rows)


ALIASES = [
    # alias, ISO alpha-3, who uses it
    ("KOS", "XKX", "UNODC"),
    ("XK", "XKX", "Eurostat"),
    ("EL", "GRC", "Eurostat and the EU"),
    ("UK", "GBR", "Eurostat and the EU"),
    ("ROM", "ROU", "older UN lists"),
    ("ZAR", "COD", "older UN lists"),
    ("TMP", "TLS", "older UN lists"),
]

REPORTING_UNITS = [
    # code, country, name: parts of a country that report on their own (UNODC data)
    ("GBR_EW", "GBR", "England and Wales"),
    ("GBR_S", "GBR", "Scotland"),
    ("GBR_NI", "GBR", "Northern Ireland"),
    ("IRQ_C", "IRQ", "Iraq (Central Iraq)"),
    ("IRQ_KUR", "IRQ", "Iraq (Kurdistan Region)"),
]


UNODC_IMPORT = [
    # indicator, dimension, category of UNODC's data-portal exports -> the questionnaire's table, variable
    ("Violent offences", "by type of offence", "Serious assault", "police_offences", "serious_assault"),
    ("Violent offences", "by type of offence", "Kidnapping", "police_offences", "kidnapping"),
    ("Violent offences", "by type of offence", "Robbery", "police_offences", "robbery"),
    ("Violent offences", "by type of offence", "Sexual violence", "police_offences", "sexual_violence"),
    ("Violent offences", "by type of offence", "Sexual violence: Rape", "police_offences", "rape"),
    ("Violent offences", "by type of offence", "Sexual violence: Sexual assault", "police_offences", "sexual_assault"),
    ("Violent offences", "by type of offence", "Sexual Exploitation", "police_offences", "sexual_exploitation"),
    ("Offences of sexual nature", "by type of offence", "Child pornography", "police_offences", "child_pornography"),
    ("Offences", "by type of offence", "Theft", "police_offences", "theft"),
    ("Offences", "by type of offence", "Theft: of a motorized vehicle", "police_offences", "motor_vehicle_theft"),
    ("Offences", "by type of offence", "Burglary", "police_offences", "burglary"),
    ("Offences", "by type of offence", "Fraud", "police_offences", "fraud"),
    ("Offences", "by type of offence", "Corruption", "police_offences", "corruption"),
    ("Offences", "by type of offence", "Corruption: Bribery", "police_offences", "bribery"),
    ("Offences", "by type of offence", "Money laundering", "police_offences", "money_laundering"),
    ("Offences", "by type of offence", "Smuggling of migrants", "police_offences", "migrant_smuggling"),
    ("Victims of intentional homicide", "Total", "Total", "homicide_victims", "homicide"),
    ("Persons arrested/suspected for intentional homicide", "Total", "Total", "persons_suspected", "homicide"),
    ("Persons convicted for intentional homicide", "Total", "Total", "persons_convicted", "homicide"),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "data"))
    args = ap.parse_args()
    out = os.path.join(ROOT, "reference")
    os.makedirs(out, exist_ok=True)
    build_iccs(args.shared, out)
    build_countries(args.shared, out)
    build_population(args.shared, out)
    write_csv(os.path.join(out, "country_aliases.csv"), ["alias", "iso3", "used_by"], sorted(ALIASES))
    write_csv(os.path.join(out, "reporting_units.csv"), ["code", "country", "name"], sorted(REPORTING_UNITS))
    write_csv(os.path.join(out, "unodc_import.csv"), ["indicator", "dimension", "category", "table", "variable"],
              UNODC_IMPORT)


if __name__ == "__main__":
    sys.exit(main())
