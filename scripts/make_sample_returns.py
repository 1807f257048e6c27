#!/usr/bin/env python3
"""Build the sample returns in submissions/ from real UNODC data in ../shared/data.

Each return is one country's answer to questionnaire UN-CTS/2024.1 for the years 2014-2020, in the long
format cts reads. Figures are UNODC's published counts (attribution: UNODC, dataUNODC portal, CTS data,
releases 2022); nothing is invented. Where a required variable has no figure, the return says so the way a
focal point would: an empty value with status L. Model-adjusted (non-integer) counts carry status E.

A few returns then receive realistic mistakes (see MISTAKES below) so `cts validate submissions` shows
findings. Run from the repository root: python3 scripts/make_sample_returns.py. Output is deterministic.
"""
import collections
import csv
import io
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "submissions")
YEARS = range(2014, 2021)
QUESTIONNAIRE = "UN-CTS/2024.1"

POLICE = {  # UNODC category label -> questionnaire variable of police_offences
    "Serious assault": "serious_assault", "Kidnapping": "kidnapping", "Sexual violence": "sexual_violence",
    "Sexual violence: Rape": "rape", "Sexual violence: Sexual assault": "sexual_assault",
    "Sexual Exploitation": "sexual_exploitation", "Child pornography": "child_pornography",
    "Robbery": "robbery", "Burglary": "burglary", "Theft": "theft",
    "Theft: of a motorized vehicle": "motor_vehicle_theft", "Fraud": "fraud", "Corruption": "corruption",
    "Corruption: Bribery": "bribery", "Money laundering": "money_laundering",
    "Smuggling of migrants": "migrant_smuggling",
}
MECHANISM = {
    "Firearms or explosives - firearms": "firearm", "Another weapon - sharp object": "sharp_object",
    "Without a weapon/ other Mechanism": "other_weapon", "Unspecified means": "unspecified",
}
RELATIONSHIP = {
    "Intimate partner or family member": "partner_or_family",
    "Intimate partner or family member: Intimate partner": "intimate_partner",
    "Intimate partner or family member: Family member": "family_member",
}
SEX = {"Total": "_T", "Male": "M", "Female": "F", "Unknown": "_U"}
JUVENILE_AGES = {"0-9", "10 -14", "15 -17"}
ADULT_AGES = {"18-19", "20-24", "25-29", "30-44", "45-59", "60 and older"}
REQUIRED = [("police_offences", "homicide"), ("police_offences", "serious_assault"),
            ("police_offences", "sexual_violence"), ("police_offences", "robbery"), ("police_offences", "theft"),
            ("persons_suspected", "homicide"), ("persons_convicted", "homicide"), ("homicide_victims", "homicide")]
TABLE_DIMS = {  # which breakdown columns each table uses: (sex, age, citizenship)
    "police_offences": (False, False, False), "persons_suspected": (True, True, True),
    "persons_convicted": (True, True, True), "homicide_victims": (True, False, False),
    "homicide_mechanism": (False, False, False), "homicide_relationship": (True, False, False),
}


def read_unodc(name, skip=0, encoding="utf-8"):
    with open(os.path.join(SHARED, name), encoding=encoding, newline="") as f:
        lines = f.read().splitlines()[skip:]
    return list(csv.DictReader(lines))


def number(text):
    v = float(text)
    return v


class Return:
    def __init__(self, iso3):
        self.iso3 = iso3
        self.cells = {}  # (year, table, variable, sex, age, cit) -> (value, status, note)

    def put(self, year, table, variable, value, note, sex="_T", age="_T", cit="_T"):
        use = TABLE_DIMS[table]
        key = (year, table, variable, sex if use[0] else "", age if use[1] else "", cit if use[2] else "")
        status = "" if value == int(value) else "E"
        text = str(int(value)) if status == "" else f"{value:.2f}".rstrip("0").rstrip(".")
        self.cells[key] = (text, status, note)

    def years(self):
        return sorted({k[0] for k in self.cells})


def build():
    homicide = read_unodc("unodc_homicide/data_cts_intentional_homicide_countries.csv")
    violent = read_unodc("unodc_police_offences/data_cts_violent_and_sexual_crime_2022.csv", encoding="cp1252")
    economic = read_unodc("unodc_police_offences/data_cts_corruption_and_economic_crime_2022-06-06.csv", skip=2,
                          encoding="cp1252")
    countries = {}
    with open(os.path.join(ROOT, "reference", "countries.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            countries[r["iso3"]] = r
    returns = collections.defaultdict(lambda: None)

    def ret(iso3):
        if returns[iso3] is None:
            returns[iso3] = Return(iso3)
        return returns[iso3]

    def note(row):
        return "UNODC CTS; source " + row["Source"]

    for r in homicide:
        if r["Unit of measurement"] != "Counts" or r["Iso3_code"] not in countries:
            continue
        year = int(r["Year"])
        if year not in YEARS or r["VALUE"] == "":
            continue
        v, ind, dim, cat, sex, age = number(r["VALUE"]), r["Indicator"], r["Dimension"], r["Category"], r["Sex"], r["Age"]
        R = ret(r["Iso3_code"])
        if ind == "Victims of intentional homicide":
            if dim == "Total" and cat == "Total" and age == "Total" and sex in SEX:
                R.put(year, "homicide_victims", "homicide", v, note(r), sex=SEX[sex])
                if sex == "Total":
                    R.put(year, "police_offences", "homicide", v, note(r) + "; victims counted as offences")
            elif dim == "by mechanisms" and cat in MECHANISM and sex == "Total":
                R.put(year, "homicide_mechanism", MECHANISM[cat], v, note(r))
            elif dim == "by relationship to perpetrator" and cat in RELATIONSHIP and sex in SEX and age == "Total":
                R.put(year, "homicide_relationship", RELATIONSHIP[cat], v, note(r), sex=SEX[sex])
        elif ind == "Death due to intentional homicide in prison" and sex == "Total":
            R.put(year, "homicide_victims", "in_prison", v, note(r))
        elif ind == "Persons convicted for intentional homicide" and sex == "Total" and age == "Total":
            R.put(year, "persons_convicted", "homicide", v, note(r))
    # Persons suspected: UNODC gives sex x five-year age groups; adult/juvenile/unknown are their sums,
    # and the sex totals the sums of those, only where every age group is present.
    groups = collections.defaultdict(dict)
    citizens = collections.defaultdict(dict)
    for r in homicide:
        if (r["Indicator"] != "Persons arrested/suspected for intentional homicide" or r["Unit of measurement"] != "Counts"
                or r["Iso3_code"] not in countries or r["VALUE"] == "" or int(r["Year"]) not in YEARS):
            continue
        key = (r["Iso3_code"], int(r["Year"]), r["Sex"])
        if r["Dimension"] == "Total" and r["Category"] == "Total":
            groups[key][r["Age"]] = (number(r["VALUE"]), note(r))
        elif r["Dimension"] == "by citizenship" and r["Age"] == "Total":
            citizens[key][r["Category"]] = (number(r["VALUE"]), note(r))
    for (iso3, year, sex), ages in sorted(groups.items()):
        if sex not in ("Male", "Female") or not (JUVENILE_AGES | ADULT_AGES) <= set(ages):
            continue
        R = ret(iso3)
        adult = sum(ages[a][0] for a in ADULT_AGES)
        juvenile = sum(ages[a][0] for a in JUVENILE_AGES)
        unknown = ages["Unknown"][0] if "Unknown" in ages else 0
        n = ages["30-44"][1]
        for code, value in (("ADULT", adult), ("JUV", juvenile), ("_U", unknown), ("_T", adult + juvenile + unknown)):
            R.put(year, "persons_suspected", "homicide", value, n, sex=SEX[sex], age=code)
    for iso3 in list(returns):
        R = returns[iso3]
        for year in YEARS:
            m = R.cells.get((year, "persons_suspected", "homicide", "M", "_T", "_T"))
            f = R.cells.get((year, "persons_suspected", "homicide", "F", "_T", "_T"))
            if m and f:
                R.put(year, "persons_suspected", "homicide", float(m[0]) + float(f[0]), m[2])
    for (iso3, year, sex), cats in sorted(citizens.items()):
        if sex in ("Male", "Female") and iso3 in returns and returns[iso3] is not None:
            for label, code in (("National citizens", "NAT"), ("Foreign citizens", "FOR")):
                if label in cats:
                    returns[iso3].put(year, "persons_suspected", "homicide", cats[label][0], cats[label][1],
                                      sex=SEX[sex], cit=code)
    for r in violent + economic:
        if (r["Unit of measurement"] != "Counts" or r["Iso3_code"] not in countries or r["VALUE"] == ""
                or r["Category"] not in POLICE or r["Sex"] != "Total" or r["Age"] != "Total"):
            continue
        if r["Indicator"] not in ("Violent offences", "Offences"):
            continue
        year = int(r["Year"])
        if year in YEARS:
            ret(r["Iso3_code"]).put(year, "police_offences", POLICE[r["Category"]], number(r["VALUE"]), note(r))
    return {k: v for k, v in returns.items() if v is not None}, countries


def choose(returns, countries):
    """Every country with figures for at least five of the years, so regional tables have real coverage."""
    return sorted(iso3 for iso3, R in returns.items() if len(R.years()) >= 5)


def fill_required(R):
    for year in R.years():
        for table, variable in REQUIRED:
            use = TABLE_DIMS[table]
            key = (year, table, variable, "_T" if use[0] else "", "_T" if use[1] else "", "_T" if use[2] else "")
            if key not in R.cells:
                R.cells[key] = ("", "L", "not available in the UNODC data")


def rows(R):
    out = []
    for (year, table, variable, sex, age, cit), (value, status, note) in sorted(R.cells.items()):
        out.append([R.iso3, str(year), table, variable, sex, age, cit, value, status, note])
    return out


HEADER = ["country", "year", "table", "variable", "sex", "age", "citizenship", "value", "status", "note"]


def render(header, body, delimiter=",", newline="\n"):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    w.writerow(header)
    w.writerows(body)
    return buf.getvalue()


def find(body, table, variable, year=None):
    for i, r in enumerate(body):
        if r[2] == table and r[3] == variable and r[7] and (year is None or r[1] == str(year)):
            return i
    raise KeyError((table, variable, year))


def write(name, text, encoding="utf-8", bom=False):
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    returns, countries = build()
    chosen = choose(returns, countries)
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".csv"):
            os.remove(os.path.join(OUT, old))
    regions = collections.Counter(countries[c]["region"] for c in chosen)
    print(f"{len(chosen)} countries:", dict(sorted(regions.items())))
    for iso3 in chosen:
        R = returns[iso3]
        fill_required(R)
        body = rows(R)
        name = f"{iso3}-{max(R.years())}.csv"
        if iso3 == "DEU":  # German Excel: semicolons, BOM, CRLF; valid, and read as such
            write(name, render(HEADER, body, delimiter=";", newline="\r\n"), bom=True)
        elif iso3 in MISTAKES:
            MISTAKES[iso3](name, body)
        else:
            write(name, render(HEADER, body))
    print("wrote", len(chosen), "returns to submissions/")


def mistakes_thousands(name, body):
    """Figures pasted from a formatted spreadsheet: thousands separators and a decimal comma."""
    i = find(body, "police_offences", "theft")
    body[i][7] = f"{int(body[i][7]):,}" if int(body[i][7]) >= 1000 else body[i][7] + ",5"
    j = find(body, "police_offences", "robbery")
    body[j][7] = body[j][7] + ",5"
    write(name, render(HEADER, body))


def mistakes_structure(name, body):
    """A duplicated row, a value with status L, a placeholder and a sex breakdown that does not add up."""
    i = find(body, "homicide_victims", "homicide")
    body.insert(i + 1, list(body[i]))
    j = find(body, "police_offences", "robbery")
    body[j][8] = "L"
    k = find(body, "police_offences", "serious_assault")
    body[k][7] = ".."
    for r in body:
        if r[2] == "homicide_victims" and r[3] == "homicide" and r[4] == "F" and r[7]:
            r[7] = str(int(float(r[7])) + 7) if "." not in r[7] else r[7]
            break
    write(name, render(HEADER, body))


def mistakes_codes(name, body):
    """ISO alpha-2 and lower-case country codes, a label instead of a code and a year outside the period."""
    [r for r in body if r[1] == "2016"][0][0] = "CH"
    [r for r in body if r[1] == "2017"][0][0] = "che"
    i = find(body, "homicide_victims", "homicide")
    body[i][4] = "Male" if body[i][4] else body[i][4]
    body.append([body[0][0], "2031", "police_offences", "robbery", "", "", "", "12", "", "typo for 2013"])
    write(name, render(HEADER, body))


def mistakes_encoding(name, body):
    """Saved by Excel on Windows: Windows-1252 bytes in a note, and a missing required figure."""
    body[0][9] = "Données transmises par le Ministère de l'Intérieur"
    i = find(body, "police_offences", "homicide")
    del body[i]
    write(name, render(HEADER, body), encoding="cp1252")


MISTAKES = {}


def assign_mistakes():
    # The four countries are fixed so the demo is the same on every machine.
    MISTAKES.update({"COL": mistakes_thousands, "FIN": mistakes_structure, "CHE": mistakes_codes,
                     "MAR": mistakes_encoding})


if __name__ == "__main__":
    assign_mistakes()
    main()
