#!/usr/bin/env bash
# follow-up on a ledger extract of N rows (synthetic, benches/generate_ledger.py) beside its
# peer, Polars (benches/peer_ledger_polars.py: read, parse amounts, filter object and period,
# sum per intervention, no checks). Prints each one's median wall time and peak memory, and the
# ratio. Needs python3 with polars (`pip install polars`), bc and GNU time.
#
# usage: [RUNS=5] benches/ledger.sh [N]            (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin fordela
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
RUNS=${RUNS:-5}
n=${1:-1000000}
python3 benches/generate_ledger.py "$n" "$work/ledger.csv"
size=$(stat -c %s "$work/ledger.csv")
echo "== ledger of $n rows, $((size / 1024 / 1024)) MiB"

# measure LABEL COMMAND...: median wall time of $RUNS runs (after one warm-up), largest peak memory.
measure() {
  local label=$1; shift
  local times=() peak=0 kb start end
  "$@" >/dev/null 2>&1 || true
  for _ in $(seq "$RUNS"); do
    start=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$work/time" "$@" >"$work/out" 2>/dev/null || true
    end=$EPOCHREALTIME
    times+=("$(echo "$end - $start" | bc -l)")
    kb=$(tail -1 "$work/time")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  seconds=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-22s %8.3f s %8d MiB (%.1f× the file)\n' "$label" "$seconds" $((peak / 1024)) "$(echo "$peak * 1024 / $size" | bc -l)"
}

plan=examples/jamtland-harjedalen-2019.toml
measure "fordela follow-up" ./target/release/fordela follow-up "$plan" "$work/ledger.csv" --object 9916 \
  --until 2019-12-31 --format csv
fordela=$seconds
measure "fordela report" ./target/release/fordela report "$plan" "$work/ledger.csv" --object 9916 \
  --until 2019-12-31 -o "$work/rapport.html"
if python3 -c 'import polars' 2>/dev/null; then
  measure "polars" python3 benches/peer_ledger_polars.py "$work/ledger.csv" 9916 2019-12-31
  printf 'fordela / polars: %.2f\n' "$(echo "$fordela / $seconds" | bc -l)"
else
  echo "polars: not installed (pip install polars)"
fi
