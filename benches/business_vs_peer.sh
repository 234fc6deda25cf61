#!/usr/bin/env bash
# Benchmark `footprint business` against the pandas + pyproj peer (issue 3's target:
# >= 10x faster wall clock on 1,000,000 rows, peak memory < 64 MB, the same for 10,000,000).
#
# usage: benches/business_vs_peer.sh [SHARED_DIR]      (default: ../shared next to the repo)
# env:   ROWS="1000000 10000000"  rows per run (space-separated)
#        RUNS=5                   timed runs per command (medians are reported)
#        JOBS=                    -j for footprint (default: all cores)
#        PEER_MAX_ROWS=1000000    the peer is timed only up to this size (it needs ~3 GB at 10 M)
#        WORK=/tmp/...            where the generated files go (kept between runs)
#
# Needs: python3 with pandas and pyproj (`pip install pandas pyproj`), GNU time
# (/usr/bin/time) and, for medians, hyperfine (`apt-get install -y hyperfine`).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="$(cd "${1:-$ROOT/../shared}" && pwd)"
BENCH="$SHARED/bench"
GAZ="$ROOT/data/gazetteer"
ROWS="${ROWS:-1000000 10000000}"
RUNS="${RUNS:-5}"
PEER_MAX_ROWS="${PEER_MAX_ROWS:-1000000}"
WORK="${WORK:-${TMPDIR:-/tmp}/footprint-bench}"
JOBS_ARG=()
[ -n "${JOBS:-}" ] && JOBS_ARG=(-j "$JOBS")
mkdir -p "$WORK"

for f in gen_business.py peer_pandas.py; do
  [ -f "$BENCH/$f" ] || { echo "missing $BENCH/$f (pass the shared folder as the first argument)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak memory" >&2; exit 2; }
python3 -c 'import pandas, pyproj' 2>/dev/null || { echo "the peer needs: pip install pandas pyproj" >&2; exit 2; }

echo "building the release binary ..."
(cd "$ROOT" && cargo build --release --quiet)
BIN="$ROOT/target/release/footprint"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo

median_wall() { # command... -> median wall seconds over $RUNS runs
  if command -v hyperfine >/dev/null; then
    local json="$WORK/hf.json"
    hyperfine --style none -N -w 1 -r "$RUNS" --export-json "$json" -- "$(printf '%q ' "$@")" >/dev/null 2>&1 ||
      hyperfine --style none -w 1 -r "$RUNS" --export-json "$json" -- "$(printf '%q ' "$@")" >/dev/null
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f (min %.3f, user %.3f)" % (r["median"], r["min"], r["user"]))' "$json"
  else
    local t=()
    for _ in $(seq "$RUNS"); do
      t+=("$( { /usr/bin/time -f '%e' "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -1)")
    done
    printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
  fi
}

peak_kb() { # command... -> peak resident set in KB
  /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1
}

for n in $ROWS; do
  csv="$WORK/trips_$n.csv"
  if [ ! -s "$csv" ]; then
    echo "generating $n rows with gen_business.py (seed 42) ..."
    python3 "$BENCH/gen_business.py" "$n" 42 "$GAZ" >"$csv"
  fi
  size_mb=$(( $(stat -L -c %s "$csv") / 1000000 ))
  ours=("$BIN" business "$csv" --by mode,department --format json --quiet "${JOBS_ARG[@]}")
  peer=(python3 "$BENCH/peer_pandas.py" "$csv" "$GAZ")

  echo "== $n rows ($size_mb MB) =="
  "${ours[@]}" >"$WORK/ours_$n.json"
  ours_wall=$(median_wall "${ours[@]}")
  ours_kb=$(peak_kb "${ours[@]}")
  echo "footprint business: wall median ${ours_wall} s, peak RSS $((ours_kb / 1024)) MB"
  if [ "$n" -le "$PEER_MAX_ROWS" ]; then
    "${peer[@]}" >"$WORK/peer_$n.json"
    peer_wall=$(median_wall "${peer[@]}")
    peer_kb=$(peak_kb "${peer[@]}")
    echo "pandas peer:        wall median ${peer_wall} s, peak RSS $((peer_kb / 1024)) MB"
    python3 - "$WORK/ours_$n.json" "$WORK/peer_$n.json" "$ours_wall" "$peer_wall" <<'PY'
import json, sys
from collections import defaultdict
ours, peer = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
ow, pw = float(sys.argv[3].split()[0]), float(sys.argv[4].split()[0])
print(f"speed-up (median wall): {pw / ow:.1f}x")
print(f"rows used: ours {ours['rows_used']:,} (rejected {ours['rows_rejected']:,}: {ours['rejects_by_reason']}), peer {peer['rows_used']:,}")
print(f"total kg CO2e: ours {ours['total_co2e_kg']:,.1f}, peer {peer['total_co2e_kg']:,.1f} "
      f"({100 * (ours['total_co2e_kg'] / peer['total_co2e_kg'] - 1):+.4f} %)")
by = lambda d: (lambda m: [m.__setitem__(g["mode"], m[g["mode"]] + g["co2e_kg"]) for g in d["groups"]] and m)(defaultdict(float))
o, p = by(ours), by(peer)
for mode in sorted(set(o) | set(p)):
    rel = 100 * (o[mode] / p[mode] - 1) if p[mode] else float("nan")
    print(f"  {mode:7s} ours {o[mode]:>18,.1f}  peer {p[mode]:>18,.1f}  ({rel:+.6f} %)")
print("where the methods differ: flights within one country use DESNZ's domestic factor here and the")
print("short-haul factor in the peer; a trip from a city to itself (Utrecht -> Utrecht) is rejected here")
print("(no distance) and counted as 0 kg by the peer. Train, coach and car use the same factors and detours.")
PY
  else
    echo "pandas peer: not run above $PEER_MAX_ROWS rows (set PEER_MAX_ROWS to include it)"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("rows used {:,}, total {:,.1f} kg CO2e".format(d["rows_used"], d["total_co2e_kg"]))' "$WORK/ours_$n.json"
  fi
  echo
done
