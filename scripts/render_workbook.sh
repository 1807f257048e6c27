#!/usr/bin/env bash
# Renders the questionnaire workbook for KEN (from the sample store) with LibreOffice, for the README:
# docs/images/workbook.png is the first page of its police_offences sheet as LibreOffice prints it.
# Needs LibreOffice (Debian libreoffice-calc) and pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
swift build --product cts >/dev/null
cts="$(swift build --show-bin-path)/cts"
"$cts" ingest submissions --db "$out/cts.sqlite" --received-at 2026-01-01 -q >/dev/null || true
"$cts" questionnaire workbook KEN --year 2021 --previous 2 --db "$out/cts.sqlite" --output "$out/KEN-2021.xlsx"
HOME="$out" timeout 180 soffice --headless --convert-to pdf --outdir "$out" "$out/KEN-2021.xlsx" >/dev/null 2>&1
pages=$(pdfinfo "$out/KEN-2021.pdf" | awk '/^Pages:/ {print $2}')
for page in $(seq 1 "$pages"); do
  if pdftotext -f "$page" -l "$page" "$out/KEN-2021.pdf" - | head -1 | grep -q "^Offences recorded by the police$"; then
    pdftoppm -f "$page" -l "$page" -r 110 -x 65 -y 70 -W 1130 -H 335 -png -singlefile "$out/KEN-2021.pdf" docs/images/workbook
    echo "render_workbook: docs/images/workbook.png is page $page of $pages"
    exit 0
  fi
done
echo "render_workbook: no page of the police_offences sheet found" >&2
exit 1
