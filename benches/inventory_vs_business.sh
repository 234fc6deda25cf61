#!/usr/bin/env bash
# Benchmark `footprint inventory`, `report` and `scenario --combine` against
# `footprint business --by mode,department` on the same generated export (issue 10's targets:
# report <= 3x business and <= 160 MB peak RSS; inventory <= 2x; the six example scenarios
# with --combine <= 5x; peak RSS at 4 M rows minus peak RSS at 1 M rows <= 200 MB), and the
# same with the margin of a third other machines need (report <= 2x and <= 107 MB, inventory
# <= 1.33x, scenarios <= 3.3x, RSS slope <= 133 MB). Last, 8 alternating partial mode shifts
# (share 0.5, flight <-> train) on the bundled example (target < 2 s, flat memory).
#
# usage: benches/inventory_vs_business.sh
# env:   ROWS="1000000 4000000"  rows per run (space-separated; generated with seed 3)
#        RUNS=3                   timed runs per command (medians are reported)
#        BIN=target/release/footprint   the binary to time (built with --release if missing)
#        WORK=/tmp/...            where the generated files go (kept between runs)
#
# Each size gets a temporary inventory configuration that points at the generated export and
# at the bundled survey (data/examples/ut/commuting-survey.csv), with the bundled example's
# groups and options. Needs GNU time (/usr/bin/time); hyperfine is used when installed.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROWS="${ROWS:-1000000 4000000}"
RUNS="${RUNS:-3}"
WORK="${WORK:-${TMPDIR:-/tmp}/footprint-inventory-bench}"
BIN="${BIN:-$ROOT/target/release/footprint}"
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak memory" >&2; exit 2; }
if [ ! -x "$BIN" ]; then
  echo "building the release binary ..."
  (cd "$ROOT" && cargo build --release --quiet)
fi
echo "binary: $BIN"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# median wall seconds and max peak RSS (MB) over $RUNS runs: "wall rss"
measure() {
  local walls=() rss=0 out
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$@" >/dev/null 2>&1 || true
    out=$(tail -1 "$WORK/time.txt")
    walls+=("${out% *}")
    local kb="${out#* }"
    [ "$kb" -gt "$rss" ] && rss="$kb"
  done
  local med
  med=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$med $((rss / 1024))"
}

declare -A RSS_REPORT
for n in $ROWS; do
  dir="$WORK/n$n"
  mkdir -p "$dir"
  csv="$dir/business-travel.csv"
  [ -s "$csv" ] || "$BIN" generate business --rows "$n" --seed 3 --out "$csv"
  cp "$ROOT/data/examples/ut/commuting-survey.csv" "$dir/"
  python3 - "$ROOT/data/examples/ut/inventory.json" "$dir/inventory.json" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["business"]["files"] = ["business-travel.csv"]
cfg["commuting"]["survey"] = "commuting-survey.csv"
json.dump(cfg, open(sys.argv[2], "w"), indent=1)
PY
  cfg="$dir/inventory.json"
  echo
  echo "== $n rows ($(( $(stat -c %s "$csv") / 1000000 )) MB) + bundled survey =="
  read -r bw br < <(measure "$BIN" business "$csv" --by mode,department --format json --quiet)
  echo "business --by mode,department: ${bw} s, ${br} MB"
  read -r iw ir < <(measure "$BIN" inventory "$cfg" --format json)
  echo "inventory:                     ${iw} s, ${ir} MB  ($(python3 -c "print(f'{$iw/$bw:.1f}')")x business; target <= 2x, with margin <= 1.33x)"
  rm -rf "$dir/report"
  read -r rw rr < <(measure "$BIN" report "$cfg" --out "$dir/report" --quiet)
  echo "report:                        ${rw} s, ${rr} MB  ($(python3 -c "print(f'{$rw/$bw:.1f}')")x business; target <= 3x, <= 160 MB; with margin <= 2x, <= 107 MB)"
  read -r sw sr < <(measure "$BIN" scenario "$ROOT"/data/scenarios/*.json --inventory "$cfg" --combine --quiet)
  echo "scenario (6 files) --combine:  ${sw} s, ${sr} MB  ($(python3 -c "print(f'{$sw/$bw:.1f}')")x business; target <= 5x, with margin <= 3.3x)"
  RSS_REPORT[$n]=$rr
done
set -- $ROWS
if [ $# -ge 2 ]; then
  echo
  echo "report peak RSS at $2 rows - at $1 rows: $(( RSS_REPORT[$2] - RSS_REPORT[$1] )) MB (target <= 200 MB for 4 M - 1 M, with margin <= 133 MB)"
fi

# 8 alternating partial mode shifts on the bundled example.
python3 - "$WORK/alternating.json" <<'PY'
import json, sys
iv = [{"type": "mode_shift", "from": a, "to": b, "share": 0.5}
      for i in range(8) for a, b in [("flight", "train") if i % 2 == 0 else ("train", "flight")]]
json.dump({"name": "alternating", "description": "8 alternating partial shifts",
           "interventions": iv}, open(sys.argv[1], "w"), indent=1)
PY
read -r aw ar < <(measure "$BIN" scenario "$WORK/alternating.json" --inventory "$ROOT/data/examples/ut/inventory.json" --quiet)
echo
echo "8 alternating partial mode shifts (bundled example): ${aw} s, ${ar} MB  (target < 2 s, flat memory)"
