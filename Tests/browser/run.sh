#!/usr/bin/env bash
# Browser tests of the web pages under /app (docs/decisions/0018-web-pages-and-sessions.md): Selenium driving Debian's
# headless Chromium, with axe-core (axe-selenium-python) on every page type.
#
# Builds nothing: it starts the already-built `dubbelslot serve` (run `swift build` first) on a free
# loopback port with a private throwaway PostgreSQL and the fictional demo data, reads the demo tokens
# it prints, creates two more tokens with the CLI (a buyer of another municipality, and one to revoke),
# runs Tests/browser/test_pages.py with pytest, then stops the server and removes everything.
# Needs: chromium, chromium-driver (Debian), selenium, axe-selenium-python, pytest (PyPI); .ci/run
# installs them when missing. SCREENSHOTS=1 also writes docs/schoolkaart.png and docs/inspectie.png.
set -euo pipefail
cd "$(dirname "$0")/../.."

# DUBBELSLOT_BIN=/path/to/dubbelslot uses that binary instead of the one `swift build` made.
BIN="${DUBBELSLOT_BIN:-$(swift build --show-bin-path)/dubbelslot}"
[ -x "$BIN" ] || { echo "no built dubbelslot at $BIN: run 'swift build' first (or set DUBBELSLOT_BIN)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/dubbelslot-browser.XXXXXX)
PID=
cleanup() {
    if [ -n "$PID" ]; then kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
source Tests/lib/serve-demo.sh
serve_demo "browser tests"
# A buyer of another municipality (Utrecht), who must never see Amsterdam's signal text.
export OTHER_BUYER=$("$BIN" token create --role buyer --municipality GM0344 --label "browser test: other buyer" --database-url "$DUBBELSLOT_DATABASE_URL" 2>/dev/null)
# A buyer token the tests revoke while it has a session.
REVOKE_SECRET=$("$BIN" token create --role buyer --municipality GM0363 --label "browser test: revoked" --database-url "$DUBBELSLOT_DATABASE_URL" 2>"$WORK/created.txt")
export REVOKE_SECRET
export REVOKE_ID=$(grep -oE "Created token [0-9a-f-]{36}" "$WORK/created.txt" | awk '{print $3}')
export DUBBELSLOT_BIN="$BIN" BASE_URL="http://127.0.0.1:$PORT" AXE_REPORT="$WORK/axe.txt"
if [ "${SCREENSHOTS:-}" = 1 ]; then export SCREENSHOT_DIR="$PWD/docs"; fi

status=0
python3 -m pytest -q -p no:cacheprovider Tests/browser/test_pages.py "$@" || status=$?
[ -f "$WORK/axe.txt" ] && cat "$WORK/axe.txt"
exit $status
