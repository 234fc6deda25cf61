#!/usr/bin/env bash
# Benchmark `footprint trend` (issue 15's target: a series of five years of the bundled size
# evaluated in under 2 s; with the third of margin for other machines, <= 1.33 s).
#
# usage: benches/trend.sh
# env:   RUNS=5                          timed runs per command (medians are reported)
#        BIN=target/release/footprint    the binary to time (built with --release if missing)
#        WORK=/tmp/...                   where the generated series goes
#
# Two series: the bundled one (data/examples/ut/series.json: 2019, 2022-2024 smaller, 2025 the
# full example year) and a worst case of five years each of the bundled 2025 size (8,000
# journeys, 1,804 survey rows, 1,000 bootstrap iterations), four of them configured with the
# pack's rail factor so that every year but the last is evaluated twice (restated and as
# configured). Needs GNU time (/usr/bin/time) for the peak RSS.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-5}"
WORK="${WORK:-${TMPDIR:-/tmp}/footprint-trend-bench}"
BIN="${BIN:-$ROOT/target/release/footprint}"
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak memory" >&2; exit 2; }
if [ ! -x "$BIN" ]; then
  echo "building the release binary ..."
  (cd "$ROOT" && cargo build --release --quiet)
fi
echo "binary: $BIN"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# median wall seconds, median CPU seconds (user + system) and max peak RSS (MB) over $RUNS
# runs: "wall cpu rss". On a shared, loaded machine the CPU time is the steadier figure.
measure() {
  local walls=() cpus=() rss=0 out
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    read -r e u s kb < <(tail -1 "$WORK/time.txt")
    walls+=("$e")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')")
    [ "$kb" -gt "$rss" ] && rss="$kb"
  done
  local med_w med_c
  med_w=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  med_c=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$med_w $med_c $((rss / 1024))"
}

# Five years of the bundled size: the 2025 example's files under five years' configurations.
python3 - "$ROOT/data/examples/ut" "$WORK" <<'PY'
import json, os, sys
src, work = sys.argv[1], sys.argv[2]
cfg = json.load(open(os.path.join(src, "inventory.json")))
years = []
for year in range(2021, 2026):
    c = json.loads(json.dumps(cfg))
    c["year"] = year
    c["business"]["files"] = [os.path.join(src, "business-travel.csv")]
    c["commuting"]["survey"] = os.path.join(src, "commuting-survey.csv")
    if year < 2025:
        c["factors"]["rail_factor"] = "pack"
    path = os.path.join(work, f"inventory-{year}.json")
    json.dump(c, open(path, "w"), indent=1)
    years.append({"year": year, "config": path})
json.dump({"name": "five bundled-size years", "base_year": 2021, "years": years},
          open(os.path.join(work, "series.json"), "w"), indent=1)
PY

printf '%-44s %10s %10s %10s\n' "command" "median s" "CPU s" "peak MB"
for series in "$ROOT/data/examples/ut/series.json" "$WORK/series.json"; do
  for j in 1 2; do
    read -r wall cpu rss < <(measure "$BIN" trend "$series" --format json -j "$j")
    printf '%-44s %10s %10s %10s\n' "trend $(basename "$(dirname "$series")")/$(basename "$series") -j $j" "$wall" "$cpu" "$rss"
  done
done
read -r wall cpu rss < <(measure "$BIN" inventory "$ROOT/data/examples/ut/inventory.json" --format json)
printf '%-44s %10s %10s %10s\n' "inventory (one bundled year, for scale)" "$wall" "$cpu" "$rss"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "target: five bundled-size years <= 1.33 s (2 s less a third)"
