#!/usr/bin/env bash
# The workbook loop with real clients: cts writes a questionnaire workbook for KEN from the sample store,
# openpyxl fills it as a focal point would (scripts/fill_workbook.py), and cts reads it back:
#   1. the filled workbook ingests to the same store rows as the equivalent CSV return, which the fill
#      script derives from the workbook on its own;
#   2. a figure typed as text with a thousands separator is reported at its sheet and cell;
#   3. the same after LibreOffice (headless) has opened and saved the workbook, when LibreOffice is there.
# Used by CI after the tests; run it by hand with: bash scripts/check_workbook.sh
# With --update it also refreshes Tests/Fixtures/xlsx from this run (the Swift tests read those files).
set -euo pipefail
cd "$(dirname "$0")/.."
update=0
[ "${1:-}" = "--update" ] && update=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
swift build --product cts >/dev/null
cts="$(swift build --show-bin-path)/cts"
venv=bench/.venv
if ! "$venv/bin/python" -c "import openpyxl" 2>/dev/null; then
  { [ -x "$venv/bin/python" ] || python3 -m venv "$venv" 2>/dev/null \
      || { apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$venv"; }; } \
    && "$venv/bin/pip" install -q openpyxl==3.1.5 \
    || { echo "check_workbook: openpyxl could not be installed from PyPI; not checked" >&2; exit 0; }
fi
py="$venv/bin/python"

"$cts" ingest submissions --db "$out/base.sqlite" --received-at 2026-01-01 -q >/dev/null || true
"$cts" questionnaire workbook KEN --year 2021 --db "$out/base.sqlite" --output "$out/KEN-2021.xlsx"
"$py" scripts/fill_workbook.py "$out/KEN-2021.xlsx" "$out/KEN-2021-filled.xlsx" --csv "$out/KEN-2021-filled.csv" \
  > "$out/filled.txt"
"$py" scripts/fill_workbook.py "$out/KEN-2021.xlsx" "$out/KEN-2021-typo.xlsx" --typo > "$out/typo.txt"

# The store rows of the reporter, without the file or submission they came from.
rows() {
  "$py" - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute("""
    SELECT c.reporter, c.year, s.table_id, s.variable, s.breakdown, c.value, c.raw_value, c.status, c.note,
           c.withdrawn, c.ended_by IS NULL
    FROM cell_vintage c JOIN slot s ON s.id = c.slot_id WHERE c.reporter = 'KEN'
    ORDER BY 1, 2, 3, 4, 5, 11, 6"""):
    print(row)
PY
}
same_as_csv() {
  local workbook=$1 label=$2
  cp "$out/base.sqlite" "$out/a.sqlite"
  cp "$out/base.sqlite" "$out/b.sqlite"
  "$cts" ingest "$workbook" --db "$out/a.sqlite" --allow-errors --received-at 2026-06-01 -q
  "$cts" ingest "$out/KEN-2021-filled.csv" --db "$out/b.sqlite" --allow-errors --received-at 2026-06-01 -q
  if ! diff <(rows "$out/a.sqlite") <(rows "$out/b.sqlite") >"$out/diff.txt"; then
    echo "check_workbook: $label stores other rows than the equivalent CSV:" >&2
    head -20 "$out/diff.txt" >&2
    exit 1
  fi
  echo "check_workbook: $label ingests to the same $(rows "$out/a.sqlite" | wc -l) KEN rows as the equivalent CSV"
}
same_as_csv "$out/KEN-2021-filled.xlsx" "the workbook filled by openpyxl"

# The typed "1,xyz" and the figure beside the table are reported at the cells the fill script used.
"$cts" validate "$out/KEN-2021-typo.xlsx" --report "$out/typo.json" -q >/dev/null || true
"$py" - "$out/typo.json" "$out/typo.txt" <<'PY'
import json, sys
findings = json.load(open(sys.argv[1]))["returns"][0]["findings"]
typed = dict(line.split()[:2] for line in open(sys.argv[2]) if line.startswith(("typo", "stray")))
for kind, rule in (("typo", "value.thousands-separator"), ("stray", "xlsx.cell-not-read")):
    cell = typed[kind]
    if not any(f["rule"] == rule and f.get("cell_reference") == cell for f in findings):
        sys.exit(f"check_workbook: no {rule} finding at {cell}")
    print(f"check_workbook: {rule} is reported at {cell}")
PY

soffice=$(command -v soffice || command -v libreoffice || true)
if [ -n "$soffice" ]; then
  mkdir -p "$out/lo"
  HOME="$out" timeout 180 "$soffice" --headless --calc --convert-to xlsx:"Calc MS Excel 2007 XML" \
    --outdir "$out/lo" "$out/KEN-2021-filled.xlsx" >/dev/null 2>&1
  same_as_csv "$out/lo/KEN-2021-filled.xlsx" "the workbook saved again by LibreOffice"
  # LibreOffice read the drop-downs and figure rules, and wrote them back: as many as cts wrote.
  "$py" - "$out/KEN-2021.xlsx" "$out/lo/KEN-2021-filled.xlsx" <<'PY'
import re, sys, zipfile
def rules(path):
    z = zipfile.ZipFile(path)
    sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    return sum(len(re.findall(r'<dataValidation [^>]*type="list"', x)) for x in sheets), \
        sum(len(re.findall(r'<dataValidation [^>]*type="custom"', x)) for x in sheets)
made, saved = rules(sys.argv[1]), rules(sys.argv[2])
if made != saved or made[0] == 0:
    sys.exit(f"check_workbook: LibreOffice kept {saved} of the {made} drop-downs and figure rules")
print(f"check_workbook: LibreOffice kept all {made[0]} status drop-downs and {made[1]} figure rules")
PY
else
  echo "check_workbook: LibreOffice is not installed; the re-saved workbook is not checked" >&2
fi

if [ $update -eq 1 ]; then
  fixtures=Tests/Fixtures/xlsx
  mkdir -p "$fixtures"
  cp "$out/KEN-2021-filled.xlsx" "$out/KEN-2021-filled.csv" "$out/KEN-2021-typo.xlsx" "$out/typo.txt" "$fixtures/"
  [ -n "$soffice" ] && cp "$out/lo/KEN-2021-filled.xlsx" "$fixtures/KEN-2021-libreoffice.xlsx"
  echo "check_workbook: fixtures refreshed in $fixtures"
fi
