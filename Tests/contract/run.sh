#!/usr/bin/env bash
# Contract fuzzing of the HTTP API with schemathesis against the contract the server itself serves
# (/v1/openapi.json): once per role token, with a fixed seed, checking that no response is a 5xx, that
# every status code, content type and response body is the one the contract documents.
#
# Builds nothing: it starts the already-built `dubbelslot serve` (run `swift build` first, or set
# DUBBELSLOT_BIN=/path/to/dubbelslot) on a free loopback port with a private throwaway PostgreSQL and
# the fictional demo data, reads the demo tokens it prints, runs schemathesis for each role, prints per
# role the requests made and the failed checks, then every distinct failure with a curl command that
# reproduces it, and stops the server and removes everything. Exits 1 when any check failed.
# Needs schemathesis (PyPI, the version Tests/setup.sh pins). About 2 minutes on a 2-core machine.
#
# Settings (environment):
#   CONTRACT_ROLES         roles to run, in order   (default: BUYER SIGNALLER INSPECTOR ANALYST ADMIN)
#   CONTRACT_SEED          schemathesis --seed      (default: 20261130)
#   CONTRACT_MAX_EXAMPLES  --max-examples per operation and phase (default: 10)
#   CONTRACT_ROLE_TIMEOUT  seconds one role may take before it is stopped and fails (default: 180)
#   CONTRACT_MAX_TIME      if set, schemathesis --max-time: fuzz each role for that many seconds
#                          (repeating generation until spent; keep it below CONTRACT_ROLE_TIMEOUT)
#   CONTRACT_REPORT_DIR    if set, the NDJSON reports and the outputs are copied there
# Further arguments go to `schemathesis run` as they are (e.g. --include-path-regex '^/v1/signals').
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD

BIN="${DUBBELSLOT_BIN:-$(swift build --show-bin-path)/dubbelslot}"
[ -x "$BIN" ] || { echo "no built dubbelslot at $BIN: run 'swift build' first (or set DUBBELSLOT_BIN)" >&2; exit 1; }
python3 -m schemathesis.cli --version >/dev/null 2>&1 || { echo "schemathesis is missing: run Tests/setup.sh" >&2; exit 1; }

ROLES=${CONTRACT_ROLES:-BUYER SIGNALLER INSPECTOR ANALYST ADMIN}
SEED=${CONTRACT_SEED:-20261130}
MAX_EXAMPLES=${CONTRACT_MAX_EXAMPLES:-10}
ROLE_TIMEOUT=${CONTRACT_ROLE_TIMEOUT:-180}
CHECKS=not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance

WORK=$(mktemp -d /tmp/dubbelslot-contract.XXXXXX)
PID=
status=0
cleanup() {
    if [ -n "$PID" ]; then kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    if [ "$status" -ne 0 ] && [ -f "$WORK/serve.log" ]; then
        echo "--- last lines of the server's log ($BIN serve) ---"
        tail -n 40 "$WORK/serve.log"
    fi
    if [ -n "${CONTRACT_REPORT_DIR:-}" ]; then
        mkdir -p "$CONTRACT_REPORT_DIR"
        cp "$WORK"/*.ndjson "$WORK"/*.out "$WORK/serve.log" "$CONTRACT_REPORT_DIR"/ 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap 'status=$?; cleanup; exit $status' EXIT
trap 'exit 130' INT TERM

source Tests/lib/serve-demo.sh
serve_demo "contract tests"

started=$(date +%s)
reports=()
for role in $ROLES; do
    token=${!role:-}
    [ -n "$token" ] || { echo "no token for role $role in the server's output" >&2; status=1; exit 1; }
    args=(run "$BASE/v1/openapi.json" --url "$BASE"
          --checks "$CHECKS"
          --header "Authorization: Bearer $token"
          --seed "$SEED" --max-examples "$MAX_EXAMPLES" --workers 1
          --generation-database none --no-color
          --report ndjson --report-ndjson-path "$WORK/$role.ndjson")
    [ -n "${CONTRACT_MAX_TIME:-}" ] && args+=(--max-time "$CONTRACT_MAX_TIME")
    t0=$(date +%s)
    rc=0
    # In $WORK, so that nothing schemathesis writes lands in the repository.
    (cd "$WORK" && timeout "$ROLE_TIMEOUT" python3 -m schemathesis.cli "${args[@]}" "$@") >"$WORK/$role.out" 2>&1 || rc=$?
    case $rc in
        0) note="no failures" ;;
        1) note="failures (see below)" ;;
        124) note="STOPPED after $ROLE_TIMEOUT s (CONTRACT_ROLE_TIMEOUT)" ;;
        *) note="schemathesis exited $rc"; tail -n 20 "$WORK/$role.out" ;;
    esac
    echo "  $role: $(( $(date +%s) - t0 )) s, $note"
    [ "$rc" -eq 0 ] || status=1
    reports+=("$role=$WORK/$role.ndjson")
    kill -0 "$PID" 2>/dev/null || { echo "dubbelslot serve died during the $role run" >&2; status=1; break; }
done

echo
python3 "$REPO/Tests/contract/summarize.py" "$BASE" "${reports[@]}" || status=1
echo
echo "contract tests: seed $SEED, --max-examples $MAX_EXAMPLES, $(( $(date +%s) - started )) s for roles: $ROLES; $([ $status -eq 0 ] && echo "all checks passed" || echo "FAILED")"
exit $status
