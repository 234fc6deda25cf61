#!/usr/bin/env bash
# Resource bounds on hostile inputs of about 100 MB: peak RSS and wall time of the release
# binary for `business`, `inventory` and `report` on each case (README "Guarantees": no input
# up to 100 MB makes any command use more than 1 GB; target with a third of margin: 667 MB).
#
#   tools/hostile-bounds.sh              # all cases, 100 MB each
#   MB=20 tools/hostile-bounds.sh        # smaller files
#   CASES="long_modes huge_header" tools/hostile-bounds.sh
#
# Files are generated in a temporary folder outside the source tree and removed at the end.
# Needs /usr/bin/time (GNU time, `-v`) and python3. Prints one line per case and command:
# case, command, exit code, peak RSS in MB, wall seconds; and FAIL when RSS > 667 MB or the
# exit code is not 0, 1 or 2.
set -euo pipefail
cd "$(dirname "$0")/.."
MB="${MB:-100}"
LIMIT_MB="${LIMIT_MB:-667}"
BIN="${BIN:-target/release/footprint}"
CASES="${CASES:-long_modes long_places huge_header giant_line many_columns deep_json many_rows unknown_places}"
if [ ! -x "$BIN" ]; then
    cargo build --release --locked
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" "$MB" <<'EOF'
import os, random, sys
work, mb = sys.argv[1], int(sys.argv[2])
size = mb * 1024 * 1024
random.seed(11)
header = "id,date,origin,destination,mode,round_trip,travellers,department\n"

def rows(path, make):
    with open(path, "w") as f:
        f.write(header)
        n, i = len(header), 0
        while n < size:
            line = make(i)
            f.write(line)
            n += len(line)
            i += 1

letters = "abcdefghijklmnopqrstuvwxyz"
def word(k):
    return "".join(random.choice(letters) for _ in range(k))

# 4,000-character modes (just under the 4,096-byte field limit), each distinct.
rows(f"{work}/long_modes.csv",
     lambda i: f"{i},2025-03-01,Enschede,Berlin,{word(4000)},no,1,A\n")
# 4,000-character destinations, each distinct.
rows(f"{work}/long_places.csv",
     lambda i: f"{i},2025-03-01,Enschede,{word(4000)},train,no,1,A\n")
# A header line of commas only.
with open(f"{work}/huge_header.csv", "w") as f:
    f.write("," * size + "\n1,2\n")
# One line, no newline: letters only.
with open(f"{work}/giant_line.csv", "w") as f:
    chunk = word(1 << 20)
    for _ in range(mb):
        f.write(chunk)
# 1,000 columns, then rows of short values.
cols = [h for h in header.strip().split(",")] + [f"c{i}" for i in range(992)]
with open(f"{work}/many_columns.csv", "w") as f:
    f.write(",".join(cols) + "\n")
    line = "1,2025-03-01,Enschede,Berlin,train,no,1,A," + ",".join("x" for _ in range(992)) + "\n"
    for _ in range(size // len(line)):
        f.write(line)
# Deeply nested JSON.
with open(f"{work}/deep_json.json", "w") as f:
    f.write("[" * size)
# Distinct unknown destinations of 6-12 letters: a "did you mean" search each.
rows(f"{work}/unknown_places.csv",
     lambda i: f"{i},2025-03-01,Enschede,{word(6 + i % 7)},train,no,1,A\n")
# Many ordinary rows (unknown destinations mixed in, so suggestions run too).
places = ["Berlin", "Paris", "Amsterdam", "Barcelona", "Munich", "Brussels", "Londn", "Parsi"]
modes = ["train", "flight", "car", "coach", "trian", "vliegtuig"]
rows(f"{work}/many_rows.csv",
     lambda i: f"{i},2025-03-01,Enschede,{places[i % len(places)]}{'' if i % 97 else word(6)},{modes[i % len(modes)]},yes,1,D{i % 20}\n")
EOF

printf '%-14s %-10s %4s %9s %8s\n' case command exit rss_MB seconds
fail=0
for c in $CASES; do
    f=$(ls "$work/$c".* | head -1)
    cfg="$work/$c-inventory.json"
    printf '{"organisation": "t", "year": 2025, "campus": "ut", "business": {"files": ["%s"], "department": "department"}}' "$f" > "$cfg"
    for cmd in business inventory report; do
        case $cmd in
            business) args=(business "$f" --quiet) ;;
            inventory) args=(inventory "$cfg") ;;
            report) args=(report "$cfg" --quiet --out "$work/rep-$c") ;;
        esac
        set +e
        /usr/bin/time -v -o "$work/time.txt" "$BIN" "${args[@]}" >/dev/null 2>"$work/err.txt"
        rc=$?
        set -e
        rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
        wall=$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$work/time.txt")
        secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
        rss_mb=$((rss_kb / 1024))
        verdict=""
        if [ "$rss_mb" -gt "$LIMIT_MB" ] || [ "$rc" -gt 2 ]; then
            verdict="FAIL"
            fail=1
        fi
        printf '%-14s %-10s %4s %9s %8s %s\n' "$c" "$cmd" "$rc" "$rss_mb" "$secs" "$verdict"
        if [ -n "${VERBOSE:-}" ]; then head -c 300 "$work/err.txt"; echo; fi
    done
done
exit $fail
