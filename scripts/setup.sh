#!/usr/bin/env bash
# Installs the C libraries cts builds against (Debian/Ubuntu), only when they are missing: libcsv, SQLite,
# libxlsxwriter (writes workbooks), expat and zlib (read them).
set -euo pipefail
need=()
[ -f /usr/include/csv.h ] || need+=(libcsv-dev)
[ -f /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
[ -f /usr/include/xlsxwriter.h ] || need+=(libxlsxwriter-dev)
[ -f /usr/include/expat.h ] || need+=(libexpat1-dev)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null 2>&1 || { echo "setup: Swift 6 is required (swift.org/install)" >&2; exit 1; }
