#!/usr/bin/env bash
# follow-up and report on a ledger extract of N rows (synthetic, benches/generate_ledger.py)
# beside their peers, Polars (benches/peer_ledger_polars.py) and DuckDB
# (benches/peer_ledger_duckdb.py): read, parse amounts, filter object and period, sum per
# intervention, no checks. Prints each one's median wall time and CPU time, its peak memory
# against the file's size, and fordela's ratios to the peers.
#
# The runs alternate (fordela, report, each peer, then again), RUNS rounds after one warm-up,
# so that a machine shared with other work slows every command alike. FORDELA_BEFORE=path/to/
# an older fordela adds it to each round, for paired before/after figures.
# Needs bc and GNU time; python3 with polars and duckdb for the peers (`pip install polars
# duckdb`), each left out when missing.
#
# usage: [RUNS=5] [FORDELA_BEFORE=old/fordela] benches/ledger.sh [N]      (default 1000000)
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

plan=examples/jamtland-harjedalen-2019.toml
filters=(--object 9916 --until 2019-12-31)
declare -A commands=(
  [follow-up]="./target/release/fordela follow-up $plan $work/ledger.csv ${filters[*]} --format csv"
  [report]="./target/release/fordela report $plan $work/ledger.csv ${filters[*]} -o $work/rapport.html"
)
order=(follow-up report)
if [ -n "${FORDELA_BEFORE:-}" ]; then
  commands[follow-up-before]="$FORDELA_BEFORE follow-up $plan $work/ledger.csv ${filters[*]} --format csv"
  commands[report-before]="$FORDELA_BEFORE report $plan $work/ledger.csv ${filters[*]} -o $work/rapport-before.html"
  order+=(follow-up-before report-before)
fi
for peer in polars duckdb; do
  if python3 -c "import $peer" 2>/dev/null; then
    commands[$peer]="python3 benches/peer_ledger_$peer.py $work/ledger.csv 9916 2019-12-31"
    order+=("$peer")
  else
    echo "$peer: not installed (pip install $peer)"
  fi
done

# run NAME: one run of commands[NAME]; appends wall seconds, CPU seconds and peak KB.
run() {
  local name=$1 start end
  start=$EPOCHREALTIME
  # shellcheck disable=SC2086
  /usr/bin/time -f "%U %S %M" -o "$work/time" ${commands[$name]} >/dev/null 2>&1 || true
  end=$EPOCHREALTIME
  echo "$end - $start" | bc -l >>"$work/$name.wall"
  read -r user sys kb < <(tail -1 "$work/time")
  echo "$user + $sys" | bc -l >>"$work/$name.cpu"
  echo "$kb" >>"$work/$name.kb"
}
median() { sort -g "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for name in "${order[@]}"; do run "$name"; rm -f "$work/$name".*; done
for _ in $(seq "$RUNS"); do
  for name in "${order[@]}"; do run "$name"; done
done
declare -A wall
for name in "${order[@]}"; do
  wall[$name]=$(median "$work/$name.wall")
  kb=$(sort -g "$work/$name.kb" | tail -1)
  printf '%-18s %7.3f s wall %7.3f s CPU %6d MiB (%.1f× the file)\n' "$name" "${wall[$name]}" \
    "$(median "$work/$name.cpu")" $((kb / 1024)) "$(echo "$kb * 1024 / $size" | bc -l)"
done
for peer in polars duckdb; do
  [ -n "${wall[$peer]:-}" ] || continue
  for name in follow-up report; do
    printf '%s / %s: %.2f\n' "$name" "$peer" "$(echo "${wall[$name]} / ${wall[$peer]}" | bc -l)"
  done
done
if [ -n "${FORDELA_BEFORE:-}" ]; then
  for name in follow-up report; do
    printf '%s before / after: %.2f\n' "$name" "$(echo "${wall[$name-before]} / ${wall[$name]}" | bc -l)"
  done
fi
