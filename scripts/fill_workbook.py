#!/usr/bin/env python3
"""Fills a questionnaire workbook the way a national focal point would, with openpyxl (not with cts).

    python3 scripts/fill_workbook.py IN.xlsx OUT.xlsx [--csv OUT.csv] [--typo]

It types a figure for the reporting year into every variable's total of every table sheet, chooses a
status from the list (L: not collected) for the third, writes a note, and revises one figure of an earlier year
(grey cell) by +10%. With --typo it also types one figure as text with a thousands separator ("1,234"),
as people do, and another beside the table, which cts must report at their cells. With --csv it writes the same figures as a CSV return,
read from the workbook by this script through the hidden key sheet: the equivalent return that cts must
store identically. Prints what it did, one line per cell, so a test can check the cells cts names.
"""
import argparse
import csv
import sys

import openpyxl

ap = argparse.ArgumentParser()
ap.add_argument("source")
ap.add_argument("target")
ap.add_argument("--csv")
ap.add_argument("--typo", action="store_true")
args = ap.parse_args()

wb = openpyxl.load_workbook(args.source)
keys = wb["cts_keys"]
meta = {keys.cell(row=r, column=1).value: keys.cell(row=r, column=2).value for r in range(1, 8)}
year = int(meta["reporting_year"])
header = [c.value for c in keys[8]]
rows = [dict(zip(header, (c.value for c in row))) for row in keys.iter_rows(min_row=9)]
dims = header[header.index("year") + 1:]

done = []
revised = False
typo_done = False
for sheet_name in [s for s in wb.sheetnames if s not in ("Instructions", "cts_keys")]:
    ws = wb[sheet_name]
    mine = [k for k in rows if k["sheet"] == sheet_name and int(k["year"]) == year]
    totals = [k for k in mine if all((k[d] or "") in ("", "_T") for d in dims)]
    for i, k in enumerate(totals):
        value = 100 * (i + 1) + len(sheet_name)
        if args.typo and not typo_done:
            ws[k["value_cell"]] = f"1,{value:03d}"  # typed as text, with a thousands separator
            typo_done = True
            done.append(f"typo {sheet_name}!{k['value_cell']}")
            # and a figure typed beside the table, where no figure belongs
            stray = ws.cell(row=7, column=ws.max_column + 2, value=999)
            done.append(f"stray {sheet_name}!{stray.coordinate}")
            continue
        if i == 2:
            ws[k["status_cell"]] = "L"  # not collected: no figure, a status from the list
            ws[k["note_cell"]] = "Not recorded separately in " + str(year)
            done.append(f"status {sheet_name}!{k['status_cell']} L")
            continue
        ws[k["value_cell"]] = value
        if i == 1:
            ws[k["note_cell"]] = "Includes attempts; see the national report, p. 12"
        done.append(f"figure {sheet_name}!{k['value_cell']} {value}")
    if not revised:
        earlier = [k for k in rows if k["sheet"] == sheet_name and int(k["year"]) < year
                   and isinstance(ws[k["value_cell"]].value, (int, float))]
        if earlier:
            k = earlier[0]
            old = ws[k["value_cell"]].value
            ws[k["value_cell"]] = round(old * 1.1)
            ws[k["note_cell"]] = "Revised after the audit of police records"
            revised = True
            done.append(f"revised {sheet_name}!{k['value_cell']} {old} -> {round(old * 1.1)}")
wb.save(args.target)

if args.csv:
    # The equivalent return, read back through the keys by this script.
    wb = openpyxl.load_workbook(args.target)
    with open(args.csv, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["country", "year", "table", "variable"] + dims + ["value", "status", "note"])
        for k in rows:
            ws = wb[k["sheet"]]
            value, status, note = (ws[k[c]].value for c in ("value_cell", "status_cell", "note_cell"))
            if value is None and not status and not note:
                continue
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            out.writerow([meta["reporter"], k["year"], k["table"], k["variable"]] + [k[d] or "" for d in dims]
                         + ["" if value is None else value, status or "", note or ""])
for line in done:
    print(line)
