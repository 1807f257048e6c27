#!/usr/bin/env bash
# Renders an HTML page of cts (a feedback report or outputs/index.html) to PNG with headless Chromium,
# as a person would see it.  Usage: scripts/screenshot.sh PAGE.html OUT.png [WIDTH HEIGHT]
# Needs Debian's chromium package (apt-get install chromium).
set -euo pipefail
page=$(realpath "$1")
out=$(realpath -m "$2")
width=${3:-1200}
height=${4:-1500}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "screenshot: chromium is not installed (apt-get install chromium)" >&2; exit 2; }
"$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --window-size="$width,$height" --screenshot="$out" "file://$page" >/dev/null 2>&1
[ -s "$out" ] || { echo "screenshot: no image written" >&2; exit 1; }
echo "$out"
