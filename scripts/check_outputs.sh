#!/usr/bin/env bash
# Runs the main job on the sample returns into a folder of its own and checks its outputs with
# Frictionless (from PyPI, into bench/.venv): datapackage.json against every CSV it describes (types,
# primary keys). Used by CI after the tests; run it by hand with: bash scripts/check_outputs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
swift build --product cts >/dev/null
"$(swift build --show-bin-path)/cts" run --output "$out" --db "$out/cts.sqlite" -q
venv=bench/.venv
if [ ! -x "$venv/bin/frictionless" ]; then
  if ! { python3 -m venv "$venv" 2>/dev/null || { apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$venv"; }; } \
    || ! "$venv/bin/pip" install -q frictionless==5.18.1; then
    echo "check_outputs: frictionless could not be installed from PyPI; outputs not checked" >&2
    exit 0
  fi
fi
"$venv/bin/frictionless" validate "$out/datapackage.json"
