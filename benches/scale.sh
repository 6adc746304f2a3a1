#!/usr/bin/env bash
# End-to-end scale test: fordela against a plain Python peer and the floor (a bare CSV read),
# side by side on the same generated file. Prints wall time and peak memory of each.
#
# usage: [RUNS=3] benches/scale.sh [N ...]      (default: 1000000; each command RUNS times, median)
# needs: python3, bash 5, bc, /usr/bin/time (GNU time)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin fordela --example bare_read
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

RUNS=${RUNS:-3}

# measure LABEL COMMAND...: runs COMMAND $RUNS times; prints the median wall time (bash's
# clock, to the millisecond) and the largest peak memory (GNU time), and sets $seconds.
measure() {
  local label=$1; shift
  local times=() peak=0 kb start end
  for _ in $(seq "$RUNS"); do
    start=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$work/time" "$@" > "$work/out" 2>/dev/null
    end=$EPOCHREALTIME
    times+=("$(echo "$end - $start" | bc -l)")
    kb=$(tail -1 "$work/time")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  seconds=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-10s %8.3f s %10s KB\n' "$label" "$seconds" "$peak"
  peak_kb=$peak
}

ratio() { echo "$1 / $2" | bc -l | xargs printf '%.1f'; }

for n in "${@:-1000000}"; do
  python3 benches/generate.py "$n" "$work"
  size=$(stat -c %s "$work/population.csv")
  echo "== $n recipients, population.csv $((size / 1024)) KB"
  measure fordela ./target/release/fordela allocate "$work/agreement.toml" --format csv
  cp "$work/out" "$work/fordela.csv"
  fordela=$seconds fordela_kb=$peak_kb
  # The other outputs stream too: their memory stays that of the CSV run.
  measure table ./target/release/fordela allocate "$work/agreement.toml"
  measure json ./target/release/fordela allocate "$work/agreement.toml" --format json
  measure d-hondt ./target/release/fordela allocate "$work/agreement.toml" --format csv --method dhondt
  measure bare-read ./target/release/examples/bare_read "$work/population.csv"
  echo "fordela / bare read: $(ratio "$fordela" "$seconds")x; fordela's peak memory / file: $(ratio "$fordela_kb * 1024" "$size")x"
  if [ "$n" -le 2000000 ]; then
    measure python python3 benches/peer_largest_remainder.py "$work/population.csv" 2020-12-31 \
      50000000000 30000000000 20000000000
    echo "python / fordela: $(ratio "$seconds" "$fordela")x"
    # Same figures from both: compare the amount columns.
    cut -d, -f1,5- "$work/fordela.csv" | tail -n +2 > "$work/a"
    cut -d, -f1,4- "$work/out" | tail -n +2 > "$work/b"
    cmp -s "$work/a" "$work/b" && echo "python and fordela agree on every amount" || echo "DIFFERENT RESULTS"
  fi
done
