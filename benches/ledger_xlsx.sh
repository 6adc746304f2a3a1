#!/usr/bin/env bash
# follow-up on a ledger saved as a workbook (.xlsx, N rows, synthetic: benches/generate_ledger.py)
# beside its floor: calamine opening the same sheet and touching every cell, nothing else
# (benches/bare_read_xlsx.rs). Prints each one's median wall time and peak memory, and the
# ratio. RUNS runs each, alternating fordela and the floor (a shared machine slows both alike).
# The ledger is written by openpyxl (texts as inline strings); where LibreOffice is installed
# (`soffice`), the same ledger saved again by it (texts as shared strings, a style on every
# cell, as Excel writes them) is timed too.
# Needs python3 with openpyxl (`pip install openpyxl`), bc and GNU time.
#
# usage: [RUNS=5] [FORDELA_BEFORE=path/to/older/fordela] benches/ledger_xlsx.sh [N]   (default 100000)
# (FORDELA_BEFORE: an older build timed in the same rounds, for before/after figures)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin fordela --example bare_read_xlsx
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
RUNS=${RUNS:-5}
n=${1:-100000}
python3 benches/generate_ledger.py "$n" "$work/ledger.xlsx"
size=$(stat -c %s "$work/ledger.xlsx")
echo "== ledger of $n rows, $((size / 1024)) KiB .xlsx"

plan=examples/jamtland-harjedalen-2019.toml
shapes=("$work/ledger.xlsx")
if command -v soffice >/dev/null 2>&1; then
  mkdir -p "$work/libreoffice"
  soffice --headless --convert-to xlsx --outdir "$work/libreoffice" "$work/ledger.xlsx" >/dev/null 2>&1 || true
  [ -f "$work/libreoffice/ledger.xlsx" ] && shapes+=("$work/libreoffice/ledger.xlsx")
fi

# run NAME COMMAND...: one run; appends its wall time to $work/NAME.times, its peak KB to NAME.kb.
run() {
  local name=$1 start end; shift
  start=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$work/time" "$@" >/dev/null 2>&1 || true
  end=$EPOCHREALTIME
  echo "$end - $start" | bc -l >>"$work/$name.times"
  tail -1 "$work/time" >>"$work/$name.kb"
}
median() { sort -g "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for ledger in "${shapes[@]}"; do
  case $ledger in */libreoffice/*) echo "-- saved again by LibreOffice (shared strings)";; *) echo "-- written by openpyxl (inline strings)";; esac
  rm -f "$work"/*.times "$work"/*.kb
  fordela=(./target/release/fordela follow-up "$plan" "$ledger" --object 9916 --until 2019-12-31 --format csv)
  floor=(./target/release/examples/bare_read_xlsx "$ledger")
  "${fordela[@]}" >/dev/null 2>&1 || true
  "${floor[@]}" >/dev/null
  names=(fordela calamine)
  [ -n "${FORDELA_BEFORE:-}" ] && names+=(before)
  for _ in $(seq "$RUNS"); do
    run fordela "${fordela[@]}"
    run calamine "${floor[@]}"
    [ -n "${FORDELA_BEFORE:-}" ] && run before "$FORDELA_BEFORE" "${fordela[@]:1}"
  done
  for name in "${names[@]}"; do
    printf '%-22s %8.3f s %8d MiB\n' "$name" "$(median "$work/$name.times")" $(($(sort -g "$work/$name.kb" | tail -1) / 1024))
  done
  printf 'fordela / calamine: %.2f\n' "$(echo "$(median "$work/fordela.times") / $(median "$work/calamine.times")" | bc -l)"
done
