#!/usr/bin/env bash
# Load benchmark of `footprint serve` (not a test): 20,000 GET /api/compare requests over 32
# keep-alive connections on loopback with wrk (Debian: apt-get install wrk), twice, with the
# server's resident memory before, between and after the runs.
#
#   cargo build --release && benches/serve_load.sh [target/release/footprint]
#
# Prints wrk's latency distribution (p50/p75/p90/p99), the non-2xx count and VmRSS.
# UNIQUE=1 makes every request different, so none is served from the answer cache.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/footprint}
REQUESTS=${REQUESTS:-20000}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
UNIQUE=${UNIQUE:-0}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

log=$(mktemp)
"$BIN" serve --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log" "$lua"' EXIT
for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$log" | head -1)
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }

# Each wrk thread stops after its share of the requests, so the total is exactly $REQUESTS.
lua=$(mktemp --suffix=.lua)
cat >"$lua" <<LUA
local per_thread = math.floor($REQUESTS / $THREADS)
local done = 0
local sent = 0
local unique = "$UNIQUE" == "1"
local threads = 0
setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
request = function()
  sent = sent + 1
  local path = "/api/compare?from=Enschede&to=Barcelona"
  -- UNIQUE=1: every request differs (travellers 1.000000001, 1.000000002 ...), so none is
  -- answered from the server's cache of /api/compare answers.
  if unique then path = path .. "&travellers=" .. string.format("%.9f", 1 + ((tid or 0) * 100000 + sent) * 1e-9) end
  return wrk.format("GET", path)
end
response = function(status, headers, body)
  done = done + 1
  if done >= per_thread then wrk.thread:stop() end
end
LUA

echo "server $url pid $pid, RSS at start: $(rss)"
curl -sf "${url}api/compare?from=Enschede&to=Barcelona" >/dev/null
echo "RSS after the first request: $(rss)"
for run in 1 2; do
  echo "--- run $run: $REQUESTS requests, $CONNECTIONS connections, $THREADS threads"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d120s --latency -s "$lua" "$url" | sed -n '1,20p'
  echo "RSS after run $run: $(rss)"
done
