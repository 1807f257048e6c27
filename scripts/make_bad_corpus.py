#!/usr/bin/env python3
"""Write the corpus of bad inputs in Tests/Corpus/bad/ and its expectations in Tests/Corpus/expected.csv.

Each input is a realistic way a return, questionnaire or table goes wrong. The test suite checks that cts
reports each with the expected rule id (file, line and column included), never crashes, and never
changes a store. Run from the repository root; output is deterministic.
"""
import csv
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Corpus", "bad")
HEADER = "country,year,table,variable,sex,age,citizenship,value,status,note"
REQUIRED = [
    ("police_offences", "homicide", "", "", ""), ("police_offences", "serious_assault", "", "", ""),
    ("police_offences", "sexual_violence", "", "", ""), ("police_offences", "robbery", "", "", ""),
    ("police_offences", "theft", "", "", ""), ("persons_suspected", "homicide", "_T", "_T", "_T"),
    ("persons_convicted", "homicide", "_T", "_T", "_T"), ("homicide_victims", "homicide", "_T", "", ""),
]


def good_rows(country="KEN", year=2020, value="10"):
    return [f"{country},{year},{t},{v},{s},{a},{c},{value},," for t, v, s, a, c in REQUIRED]


def ret(*extra, header=HEADER, base=True):
    return "\n".join([header] + (good_rows() if base else []) + list(extra)) + "\n"


RETURNS = {
    "empty.csv": (b"", "file.empty"),
    "bom-only.csv": (b"\xef\xbb\xbf", "file.empty"),
    "header-only.csv": (HEADER + "\n", "file.no-rows"),
    "utf16.csv": ((HEADER + "\n").encode("utf-16"), "csv.encoding"),
    "windows-1252.csv": (ret("KEN,2020,police_offences,kidnapping,,,,3,,Donn\xe9es du Minist\xe8re").encode("cp1252"),
                         "csv.encoding"),
    "unterminated-quote.csv": (ret('KEN,2020,police_offences,kidnapping,,,,3,,"never closed'), "csv.unterminated-quote"),
    "stray-quote.csv": (ret('KEN,2020,police_offences,kidnapping,,,,3,,say "hi"'), "csv.stray-quote"),
    "ragged-short.csv": (ret("KEN,2020,police_offences,kidnapping,,,,3"), "csv.ragged-row"),
    "ragged-long.csv": (ret("KEN,2020,police_offences,kidnapping,,,,3,,,extra"), "csv.ragged-row"),
    "missing-column.csv": ("country,year,table,variable,sex,age,value,status,note\nKEN,2020,police_offences,homicide,,,1,,\n",
                           "column.missing"),
    "unknown-column.csv": (ret(header=HEADER + ",comment", base=False) + "KEN,2020,police_offences,homicide,,,,1,,,x\n",
                           "column.unknown"),
    "duplicate-column.csv": ("country,year,table,variable,sex,age,citizenship,value,status,note,value\n"
                             "KEN,2020,police_offences,homicide,,,,1,,,1\n", "column.duplicate"),
    "empty-column-name.csv": (ret(header=HEADER + ",", base=False) + "KEN,2020,police_offences,homicide,,,,1,,,\n",
                              "column.empty-name"),
    "thousands-comma.csv": (ret('KEN,2020,police_offences,kidnapping,,,,"1,234",,'), "value.thousands-separator"),
    "thousands-space.csv": (ret("KEN,2020,police_offences,kidnapping,,,,1 234,,"), "value.thousands-separator"),
    "thousands-nbsp.csv": (ret("KEN,2020,police_offences,kidnapping,,,,1\u00a0234,,"), "value.thousands-separator"),
    "decimal-comma.csv": ((HEADER.replace(",", ";") + "\n" + "\n".join(r.replace(",", ";") for r in good_rows())
                           + "\nKEN;2020;police_offences;kidnapping;;;;12,5;E;\n"), "value.decimal-comma"),
    "negative.csv": (ret("KEN,2020,police_offences,kidnapping,,,,-3,,"), "value.negative"),
    "placeholder-dots.csv": (ret("KEN,2020,police_offences,kidnapping,,,,..,,"), "value.placeholder"),
    "placeholder-colon.csv": (ret("KEN,2020,police_offences,kidnapping,,,,:,,"), "value.placeholder"),
    "not-a-number.csv": (ret("KEN,2020,police_offences,kidnapping,,,,twelve,,"), "value.not-a-number"),
    "huge-number.csv": (ret("KEN,2020,police_offences,kidnapping,,,," + "9" * 400 + ",,"), "value.too-large"),
    "exponent.csv": (ret("KEN,2020,police_offences,kidnapping,,,,1e5,,"), "value.not-a-number"),
    "fraction-without-estimate.csv": (ret("KEN,2020,police_offences,kidnapping,,,,12.5,,"), "value.not-integer"),
    "value-with-status-L.csv": (ret("KEN,2020,police_offences,kidnapping,,,,12,L,"), "value.with-missing-status"),
    "empty-value-no-status.csv": (ret("KEN,2020,police_offences,kidnapping,,,,,,"), "value.empty"),
    "unknown-status.csv": (ret("KEN,2020,police_offences,kidnapping,,,,3,Z,"), "status.unknown"),
    "country-alias-KOS.csv": (ret("KOS,2020,police_offences,kidnapping,,,,3,,"), "country.unknown"),
    "country-alpha2.csv": (ret("KE,2020,police_offences,kidnapping,,,,3,,"), "country.unknown"),
    "country-lowercase.csv": (ret("ken,2020,police_offences,kidnapping,,,,3,,"), "country.unknown"),
    "year-out-of-range.csv": (ret("KEN,1999,police_offences,kidnapping,,,,3,,"), "year.out-of-range"),
    "year-not-a-year.csv": (ret("KEN,20x0,police_offences,kidnapping,,,,3,,"), "year.invalid"),
    "unknown-table.csv": (ret("KEN,2020,courts,kidnapping,,,,3,,"), "table.unknown"),
    "unknown-variable.csv": (ret("KEN,2020,police_offences,arson,,,,3,,"), "variable.unknown"),
    "label-instead-of-code.csv": (ret("KEN,2020,homicide_victims,homicide,Male,,,3,,"), "breakdown.unknown-code"),
    "breakdown-not-in-table.csv": (ret("KEN,2020,police_offences,kidnapping,F,,,3,,"), "breakdown.not-in-table"),
    "duplicate-cell.csv": (ret("KEN,2020,police_offences,robbery,,,,11,,"), "cell.duplicate"),
    "missing-required.csv": ("\n".join([HEADER] + good_rows()[1:]) + "\n", "variable.required"),
    "unknown-questionnaire-version.csv": (
        "\n".join([HEADER + ",questionnaire"] + [r + ",UN-CTS/1999.1" for r in good_rows()]) + "\n",
        "questionnaire.unknown"),
    "mixed-questionnaire.csv": (
        "\n".join([HEADER + ",questionnaire"] + [r + ",UN-CTS/2024.1" for r in good_rows()]
                  + ["KEN,2020,police_offences,kidnapping,,,,3,,,OTHER/1"]) + "\n", "questionnaire.mixed"),
    "withdraw-with-value.csv": (
        "\n".join([HEADER + ",action"] + [r + "," for r in good_rows()]
                  + ["KEN,2020,police_offences,kidnapping,,,,3,,,withdraw"]) + "\n", "action.withdraw-with-value"),
    "unknown-action.csv": (
        "\n".join([HEADER + ",action"] + [r + "," for r in good_rows()]
                  + ["KEN,2020,police_offences,kidnapping,,,,3,,,delete"]) + "\n", "action.unknown"),
    "nul-byte.csv": (ret("KEN,2020,police_offences,kidnapping,,,,3\x00,,"), "value.not-a-number"),
    "megabyte-field.csv": (ret("KEN,2020,police_offences,kidnapping,,,," + "7" * 1_000_000 + "x,,"),
                           "value.not-a-number"),
    "formula-note.csv": (ret('KEN,2020,police_offences,kidnapping,,,,=1+2,,"=HYPERLINK(""http://x"")"'),
                         "value.not-a-number"),
}

YAML = open(os.path.join(ROOT, "questionnaires", "un-cts-2024.yaml"), encoding="utf-8").read()
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9))
QUESTIONNAIRES = {
    "alias-bomb.yaml": (BOMB, "questionnaire.invalid"),
    "not-yaml.yaml": ("id: [unclosed\n  version: {\n", "questionnaire.yaml"),
    "empty.yaml": ("", "questionnaire.invalid"),
    "binary.yaml": (b"\xff\xfe\x00\x01garbage", "questionnaire.invalid"),
    "unknown-key.yaml": (YAML.replace("    unit: offences\n", "    units: offences\n", 1), "questionnaire.invalid"),
    "unknown-iccs.yaml": (YAML.replace('iccs: "0204"', 'iccs: "0110"'), "lint.unknown-iccs"),
    "zero-stripped-iccs.yaml": (YAML.replace('iccs: "0204"', "iccs: 204"), "questionnaire.invalid"),
    "deep-rule.yaml": (YAML.replace("expr: prisoners.homicide_sentenced <= prisoners.sentenced",
                                    "expr: " + "(" * 3000 + "prisoners.sentenced" + ")" * 3000 + " > 1"),
                       "rule.syntax"),
    "unknown-dimension.yaml": (YAML.replace("breakdowns: [sex, age]\n", "breakdowns: [sex, gender]\n", 1),
                               "lint.unknown-dimension"),
    "rule-unknown-variable.yaml": (YAML.replace("prisoners.homicide_sentenced <= prisoners.sentenced",
                                                "prisoners.homicide_sentenced <= prisoners.sentencd"),
                                   "lint.unknown-reference"),
}


def main():
    os.makedirs(os.path.join(OUT), exist_ok=True)
    rows = []
    for kind, cases in (("return", RETURNS), ("questionnaire", QUESTIONNAIRES)):
        for name, (content, rule) in sorted(cases.items()):
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            with open(os.path.join(OUT, name), "wb") as f:
                f.write(data)
            rows.append([name, kind, rule])
    with open(os.path.join(ROOT, "Tests", "Corpus", "expected.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "kind", "rule"])
        w.writerows(rows)
    print(f"wrote {len(rows)} bad inputs")


if __name__ == "__main__":
    main()
