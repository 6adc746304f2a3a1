#!/usr/bin/env bash
# `fordela web` in the system's Chromium (Selenium and chromedriver): the first page, every
# file's page, a plan uploaded as .xlsx, its verdict and figures read from the page, its
# workbook downloaded and compared with the command line's; screenshots at 1280×800.
#
# Not part of `cargo test`: it needs Chromium, chromedriver, LibreOffice and Python's selenium.
#   tests/browser/web.sh                       # builds fordela (debug) first
#   SHOTS=/tmp/shots tests/browser/web.sh      # where the screenshots go (default: a new temp folder)
# Exit 0 when every check holds, 1 when one fails, 77 (skipped) when a tool is missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
for tool in /usr/bin/chromium /usr/bin/chromedriver soffice python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "web.sh: skipped, no $tool"; exit 77; }
done
python3 -c "import selenium" 2>/dev/null || { echo "web.sh: skipped, no Python selenium (pip install selenium)"; exit 77; }
if [[ -z ${FORDELA:-} ]]; then
    cargo build --quiet
    export FORDELA=$root/target/debug/fordela
fi
exec python3 tests/browser/web.py
