#!/usr/bin/env bash
# End-to-end scale test: fordela against a plain Python peer and the floor (a bare CSV read),
# side by side on the same generated file. Prints wall time and peak memory of each.
#
# usage: benches/scale.sh [N ...]      (default: 1000000)
# needs: python3, /usr/bin/time (GNU time)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin fordela --example bare_read
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # label, command...: prints "label seconds peak_kb"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2>/dev/null
  read -r seconds kb < "$work/time"
  printf '%-10s %8s s %10s KB\n' "$label" "$seconds" "$kb"
}

for n in "${@:-1000000}"; do
  python3 benches/generate.py "$n" "$work"
  size=$(stat -c %s "$work/population.csv")
  echo "== $n recipients, population.csv $((size / 1024)) KB"
  measure fordela ./target/release/fordela allocate "$work/agreement.toml" --format csv
  cp "$work/out" "$work/fordela.csv"
  # The other outputs stream too: their memory stays that of the CSV run.
  measure table ./target/release/fordela allocate "$work/agreement.toml"
  measure json ./target/release/fordela allocate "$work/agreement.toml" --format json
  measure d-hondt ./target/release/fordela allocate "$work/agreement.toml" --format csv --method dhondt
  measure bare-read ./target/release/examples/bare_read "$work/population.csv"
  if [ "$n" -le 2000000 ]; then
    measure python python3 benches/peer_largest_remainder.py "$work/population.csv" 2020-12-31 \
      50000000000 30000000000 20000000000
    # Same figures from both: compare the amount columns.
    cut -d, -f1,5- "$work/fordela.csv" | tail -n +2 > "$work/a"
    cut -d, -f1,4- "$work/out" | tail -n +2 > "$work/b"
    cmp -s "$work/a" "$work/b" && echo "python and fordela agree on every amount" || echo "DIFFERENT RESULTS"
  fi
done
