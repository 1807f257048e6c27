#!/usr/bin/env bash
# Regenerates the man pages in docs/man from the commands' help (swift-argument-parser's generate-manual).
# Read one with: man -l docs/man/cts.validate.1
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/man
swift package --allow-writing-to-package-directory generate-manual --multi-page --date 2026-11-23 \
    --output-directory docs/man
rm -f docs/man/cts-fuzz* docs/man/cts.help.1
ls docs/man
