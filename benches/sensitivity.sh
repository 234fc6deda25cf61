#!/usr/bin/env bash
# Benchmark `footprint sensitivity` (issue 12: 10,000 Monte Carlo draws on the bundled example
# in under 2 s). Times the release binary with --draws 0 (load, evaluate, methods, tornado)
# and with --draws 10000; the difference is the Monte Carlo run itself. Then the same on a
# generated business export of ROWS rows (seed 3) with the bundled survey.
#
# usage: benches/sensitivity.sh
# env:   ROWS=1000000  rows of the generated export (0: skip)
#        RUNS=5        timed runs per command (medians are reported)
#        BIN=target/release/footprint
#        WORK=/tmp/... where the generated files go (kept between runs)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROWS="${ROWS:-1000000}"
RUNS="${RUNS:-5}"
WORK="${WORK:-${TMPDIR:-/tmp}/footprint-sensitivity-bench}"
BIN="${BIN:-$ROOT/target/release/footprint}"
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 2; }
[ -x "$BIN" ] || (cd "$ROOT" && cargo build --release --quiet)
echo "binary: $BIN"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# median wall seconds and max peak RSS (MB) over $RUNS runs
measure() {
  local walls=() rss=0 out
  for _ in $(seq "$RUNS"); do
    out=$( { /usr/bin/time -f '%e %M' "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -1)
    walls+=("${out% *}")
    local kb="${out#* }"
    [ "$kb" -gt "$rss" ] && rss="$kb"
  done
  local median
  median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $((rss / 1024))"
}

run() {
  local name="$1" config="$2"
  read -r w0 r0 < <(measure "$BIN" sensitivity "$config" --draws 0 --format json)
  read -r w1 r1 < <(measure "$BIN" sensitivity "$config" --draws 10000 --format json)
  printf '%-22s draws 0: %6.2f s %5d MB | draws 10000: %6.2f s %5d MB | Monte Carlo: %5.2f s\n' \
    "$name" "$w0" "$r0" "$w1" "$r1" "$(echo "$w1 - $w0" | bc -l)"
}

run "bundled example" "$ROOT/data/examples/ut/inventory.json"

if [ "$ROWS" != 0 ]; then
  CSV="$WORK/business-$ROWS.csv"
  [ -s "$CSV" ] || "$BIN" generate business --rows "$ROWS" --seed 3 --out "$CSV"
  cp "$ROOT/data/examples/ut/commuting-survey.csv" "$WORK/commuting-survey.csv"
  cat > "$WORK/inventory-$ROWS.json" <<JSON
{
  "organisation": "Generated ($ROWS rows)",
  "year": 2025,
  "campus": "ut",
  "factors": {"pack": "desnz-2025", "rf": true, "boundary": "wtw"},
  "business": {"files": ["business-$ROWS.csv"], "department": "department"},
  "commuting": {
    "survey": "commuting-survey.csv",
    "groups": {
      "staff": {"population": 3300, "unit": "fte", "weeks_per_year": 43, "role": "staff"},
      "phd": {"population": 1000, "unit": "headcount", "weeks_per_year": 43, "role": "staff"},
      "student": {"population": 12000, "unit": "headcount", "weeks_per_year": 36, "role": "student"}
    },
    "min_cell_size": 5,
    "bootstrap": {"seed": 2025, "iterations": 1000}
  }
}
JSON
  run "generated $ROWS rows" "$WORK/inventory-$ROWS.json"
fi
