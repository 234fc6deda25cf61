#!/bin/sh
# Lists every function in src/ longer than LIMIT lines (default 150), longest first, and
# fails if one over 150 lines is not on the allowlist of tests/cli/code_shape.rs.
# Usage: tools/long-functions.sh [LIMIT]
set -eu
cd "$(dirname "$0")/.."
LONG_FUNCTIONS_LIMIT="${1:-150}" exec cargo test --locked --test cli code_shape -- --nocapture
