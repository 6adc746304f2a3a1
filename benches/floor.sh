#!/usr/bin/env bash
# `allocate --format csv` against its floor: fordela beside benches/floor_allocate.rs (a program
# written for this one job that writes fordela's exact bytes and checks nothing), on
# benches/generate.py's synthetic file. Paired runs in alternating order (the machine may be
# shared: each pair sees the same load), medians of the wall times, the largest peak memory,
# and the ratio of the medians. Then, if installed, the Polars and DuckDB peers
# (benches/peer_allocate_*.py, exact integers too), fewer runs. Every output is compared with
# fordela's byte for byte.
#
# usage: [PAIRS=11] [PEER_RUNS=3] [FORDELA=path] benches/floor.sh [N]     (default N: 1000000)
# needs: python3, bash 5, bc, cmp, /usr/bin/time (GNU time); polars and duckdb optional (pip)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin fordela --example floor_allocate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

PAIRS=${PAIRS:-11}
PEER_RUNS=${PEER_RUNS:-3}
FORDELA=${FORDELA:-./target/release/fordela}
FLOOR=./target/release/examples/floor_allocate
n=${1:-1000000}
python3 benches/generate.py "$n" "$work"
areas=(a=50000000000 b=30000000000 c=20000000000)
echo "== $n recipients, population.csv $(($(stat -c %s "$work/population.csv") / 1024)) KB, $(nproc) cores"

# run NAME COMMAND...: one timed run, stdout to $work/NAME.csv; appends seconds and KB.
run() {
  local name=$1; shift
  local start end
  start=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$work/time" "$@" > "$work/$name.csv" 2>/dev/null
  end=$EPOCHREALTIME
  echo "$end - $start" | bc -l >> "$work/$name.seconds"
  tail -1 "$work/time" >> "$work/$name.kb"
}
median() { sort -g "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
peak() { sort -n "$1" | tail -1; }
report() {
  printf '%-8s median %6.3f s  (min %6.3f, max %6.3f; %2d runs)  peak %7d KB\n' "$1" \
    "$(median "$work/$1.seconds")" "$(sort -g "$work/$1.seconds" | head -1)" \
    "$(sort -g "$work/$1.seconds" | tail -1)" "$(wc -l < "$work/$1.seconds")" "$(peak "$work/$1.kb")"
}
same() { cmp -s "$work/fordela.csv" "$work/$1.csv" && echo "$1: the same bytes as fordela" || { echo "$1: DIFFERENT OUTPUT"; exit 1; }; }

fordela=("$FORDELA" allocate "$work/agreement.toml" --format csv)
floor=("$FLOOR" "$work/population.csv" "${areas[@]}")
run fordela "${fordela[@]}"; run floor "${floor[@]}"   # warm-up, not counted
same floor
rm "$work"/*.seconds "$work"/*.kb
for i in $(seq "$PAIRS"); do
  if (( i % 2 )); then run fordela "${fordela[@]}"; run floor "${floor[@]}"
  else run floor "${floor[@]}"; run fordela "${fordela[@]}"; fi
done
report fordela
report floor
paste "$work/fordela.seconds" "$work/floor.seconds" | awk '{print $1 / $2}' > "$work/pairs"
printf 'fordela / floor: %.2fx (ratio of medians), %.2fx (median of the %d paired ratios)\n' \
  "$(echo "$(median "$work/fordela.seconds") / $(median "$work/floor.seconds")" | bc -l)" \
  "$(median "$work/pairs")" "$PAIRS"
printf 'peak memory: fordela %.1fx the file, floor %.1fx\n' \
  "$(echo "$(peak "$work/fordela.kb") * 1024 / $(stat -c %s "$work/population.csv")" | bc -l)" \
  "$(echo "$(peak "$work/floor.kb") * 1024 / $(stat -c %s "$work/population.csv")" | bc -l)"

for peer in polars duckdb; do
  if python3 -c "import $peer" 2>/dev/null; then
    for _ in $(seq "$PEER_RUNS"); do run "$peer" python3 "benches/peer_allocate_$peer.py" "$work/population.csv" "${areas[@]}"; done
    same "$peer"
    report "$peer"
    printf '%s / fordela: %.1fx\n' "$peer" "$(echo "$(median "$work/$peer.seconds") / $(median "$work/fordela.seconds")" | bc -l)"
  else
    echo "$peer: not installed (pip install $peer)"
  fi
done
