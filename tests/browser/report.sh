#!/usr/bin/env bash
# Prints the region's report (Jämtland Härjedalen 2019, object 9916, up to 2019-12-31) with
# headless Chromium to PDF, and checks on the printed text that the totals shown are the right
# ones, computed here with awk from the plan and the outcome file, not by fordela.
#
# Not part of `cargo test`: it needs Chromium and poppler-utils (pdftotext, pdfinfo).
#   tests/browser/report.sh                  # builds fordela (debug) first
#   FORDELA=target/release/fordela tests/browser/report.sh
#   KEEP=/tmp tests/browser/report.sh       # keeps rapport.pdf and rapport.txt there
#   VARIANT=long-name tests/browser/report.sh   # a 111-character name: names wrap, figures never
# Exit 0 when every check holds, 1 when one fails, 77 (skipped) without Chromium.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
plan=examples/jamtland-harjedalen-2019.toml
outcome=examples/jamtland-harjedalen-2019-utfall.csv
object=9916
until=2019-12-31

browser=""
for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
if [[ -z $browser ]]; then echo "report.sh: skipped, no Chromium installed"; exit 77; fi
for tool in pdftotext pdfinfo; do
    command -v "$tool" >/dev/null 2>&1 || { echo "report.sh: skipped, no $tool (poppler-utils)"; exit 77; }
done

if [[ -z ${FORDELA:-} ]]; then
    cargo build --quiet
    FORDELA=target/debug/fordela
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# VARIANT=long-name: one intervention named by a 111-character address, in the plan and the
# outcome alike: the name must wrap and every figure stay whole on the page (synthetic variant
# of the real plan, made here).
if [[ ${VARIANT:-} == long-name ]]; then
    long="https://www.regionjh.se/vardochhalsa/naravard/digitaliseringochinforandeavnyteknik/delprojekt-2019-10-22v1.html"
    sed "s|Digitalisering och införande av ny teknik|$long|" "$plan" >"$work/plan.toml"
    sed "s|Digitalisering och införande av ny teknik|$long|" "$outcome" >"$work/utfall.csv"
    plan=$work/plan.toml
    outcome=$work/utfall.csv
    echo "Variant: an intervention named by a ${#long}-character address."
fi
"$FORDELA" report "$plan" "$outcome" --object "$object" --until "$until" -o "$work/rapport.html"
"$browser" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$work/rapport.pdf" "file://$work/rapport.html" 2>/dev/null
pdftotext -layout "$work/rapport.pdf" "$work/rapport.txt"
pages=$(pdfinfo "$work/rapport.pdf" | awk '/^Pages:/ { print $2 }')
# Words separated by one space, so that table columns read as `Totalt 30,60000 27,36755 …`.
tr -s ' ' <"$work/rapport.txt" | sed 's/^ //' >"$work/printed.txt"

# The expected lines, from the inputs alone. Amounts are whole kronor (integers in awk's
# doubles, exact below 2^53); shown in mkr with the fewest decimals that hold every amount.
awk -v object="$object" -v until="$until" '
    function decimals_of_kr(kr,   d) { d = 6; while (d > 0 && kr % 10 == 0) { kr /= 10; d-- } return d }
    function mkr(kr, d,   sign, whole, rest, text) {
        sign = kr < 0 ? "-" : ""; if (kr < 0) kr = -kr
        whole = int(kr / 1000000); rest = kr % 1000000
        text = sprintf("%06d", rest)
        return sign whole (d > 0 ? "," substr(text, 1, d) : "")
    }
    function share(out, budget,   hundredths) {
        hundredths = int((out * 10000 + budget / 2) / budget)
        return int(hundredths / 100) "," sprintf("%02d", hundredths % 100)
    }
    FNR == 1 { file++ }
    # The plan (TOML): `id = "…"` starts an area, `{ name = "…", amount = … }` is an intervention.
    file == 1 && /^id = / { split($0, q, "\""); area = q[2]; areas[++n] = area }
    file == 1 && /\{ name = / {
        split($0, q, "\""); name = q[2]
        amount = $0; sub(/.*amount = /, "", amount); sub(/ *\}.*/, "", amount); gsub(/"/, "", amount); sub(/,/, ".", amount)
        split(amount, parts, "."); kr = parts[1] * 1000000 + (length(parts[2]) ? parts[2] * 10 ^ (6 - length(parts[2])) : 0)
        area_of[name] = area; budget[area] += kr; total_budget += kr
        d = decimals_of_kr(kr); if (d > dec) dec = d
    }
    # The outcome (CSV, `;`): Insats;Belopp;Datum;Objekt;Kommentar;Beslut
    file == 2 && FNR > 1 {
        split($0, f, ";"); kr = f[2]; gsub(/ /, "", kr); kr += 0
        d = decimals_of_kr(kr); if (d > dec) dec = d
        if (f[4] != object) { other += kr; next }
        if (f[3] > until) { later += kr; next }
        spent[area_of[f[1]]] += kr; total_spent += kr
    }
    END {
        for (i = 1; i <= n; i++) {
            a = areas[i]
            printf "Summa område %s %s %s %s\n", mkr(budget[a], dec), mkr(spent[a], dec), mkr(budget[a] - spent[a], dec), share(spent[a], budget[a])
        }
        printf "Totalt %s %s %s %s\n", mkr(total_budget, dec), mkr(total_spent, dec), mkr(total_budget - total_spent, dec), share(total_spent, total_budget)
        printf "Totalt %s\n", mkr(other, dec)
        printf "Totalt %s\n", mkr(later, dec)
    }
' "$plan" <(sed '1s/^\xEF\xBB\xBF//' "$outcome" | tr -d '\r') >"$work/expected.txt"

failed=0
echo "Printed $pages page(s) of A4 with $browser."
while IFS= read -r line; do
    if grep -qxF "$line" "$work/printed.txt"; then
        echo "ok       $line"
    else
        echo "MISSING  $line"
        failed=1
    fi
done <"$work/expected.txt"
# A4 portrait, as poppler names it (594.96 x 841.92 pts).
if pdfinfo "$work/rapport.pdf" | grep -q '^Page size:.*(A4)'; then
    echo "ok       page size A4"
else
    echo "WRONG    $(pdfinfo "$work/rapport.pdf" | grep 'Page size')"
    failed=1
fi
if [[ -n ${KEEP:-} ]]; then cp "$work/rapport.pdf" "$work/rapport.txt" "$KEEP"/; fi
if [[ $failed -ne 0 ]]; then
    echo "--- printed text ---"; cat "$work/rapport.txt"
    exit 1
fi
echo "All totals printed as computed from the inputs."
