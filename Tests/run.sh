#!/usr/bin/env bash
# Every test, as README.md's test command and .ci/run run them:
#   1. Tests/setup.sh        installs what is missing (PostgreSQL, chromium, the PyPI packages)
#   2. swift build, swift test   the Swift tests, each against a real throwaway PostgreSQL
#   3. Tests/browser/run.sh  the web pages in headless Chromium with axe-core
#   4. Tests/contract/run.sh schemathesis against the served contract, one run per role
#   5. Tests/fuzz/run.sh     libFuzzer on the CSV reader, the personal-data guard, the name normaliser
# Prints how long each step took. Stops at the first step that fails.
set -euo pipefail
cd "$(dirname "$0")/.."

step() {
    local name=$1; shift
    local start; start=$(date +%s)
    "$@"
    echo "$name took $(( $(date +%s) - start )) s"
}

step "setup" bash Tests/setup.sh
swift --version
step "build" swift build --build-tests
step "swift tests" swift test --skip-build
step "browser tests" bash Tests/browser/run.sh
step "contract tests" bash Tests/contract/run.sh
step "fuzzing" bash Tests/fuzz/run.sh
