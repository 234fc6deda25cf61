#!/usr/bin/env bash
# A long property-based fuzzing campaign of the readers and loaders (src/input/fuzz.rs).
# CI runs the same properties with 64 cases each; this runs many more:
#   tools/fuzz-campaign.sh            # 20,000 cases per property
#   PROPTEST_CASES=200000 tools/fuzz-campaign.sh
# Prints the cases, the time and any failure (proptest prints the minimal failing input; it
# writes nothing into the source tree, see .cargo/config.toml: a case worth keeping becomes a
# plain test in src/input/fuzz.rs, module `regressions`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PROPTEST_CASES="${PROPTEST_CASES:-20000}"
start=$(date +%s)
echo "fuzz campaign: ${PROPTEST_CASES} cases per property"
status=0
cargo test --lib input::fuzz -- --test-threads=1 2>&1 | tee /tmp/fuzz-campaign.log || status=$?
end=$(date +%s)
props=$(grep -c '^test input::fuzz::.* ok$' /tmp/fuzz-campaign.log || true)
failed=$(grep -c '^test input::fuzz::.* FAILED$' /tmp/fuzz-campaign.log || true)
echo "properties passed: ${props}, failed: ${failed}, cases: $((PROPTEST_CASES * (props + failed))), time: $((end - start)) s"
exit $status
