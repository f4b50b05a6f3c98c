# Sourced by Tests/browser/run.sh and Tests/contract/run.sh: starts the already-built `dubbelslot
# serve` ($BIN) on a free loopback port with a private throwaway PostgreSQL in $WORK and the fictional
# demo data, waits until /health/ready answers, and exports the demo tokens it prints (BUYER,
# SIGNALLER, INSPECTOR, ANALYST, ADMIN) and DUBBELSLOT_DATABASE_URL. Sets PORT, BASE and PID; the
# caller stops the server (kill -TERM "$PID") and removes $WORK. Usage: serve_demo "what is starting".

serve_demo() {
    chmod 755 "$WORK"   # the embedded PostgreSQL runs as the postgres user when we are root
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    BASE="http://127.0.0.1:$PORT"
    cat > "$WORK/dubbelslot.yaml" <<YAML
http:
  host: 127.0.0.1
  port: $PORT
database:
  name: dubbelslot
  maxConnections: 10
  migrate: true
local:
  dataDirectory: $WORK/postgres
riskModel:
  path: config/risk-model.yaml
log:
  level: warning
web:
  sessionIdleMinutes: 30
YAML
    "$BIN" serve --config "$WORK/dubbelslot.yaml" >"$WORK/serve.log" 2>&1 &
    PID=$!
    echo "$1: starting dubbelslot serve on 127.0.0.1:$PORT (demo data into $WORK) ..."
    for _ in $(seq 1 300); do
        if grep -q "export DUBBELSLOT_DATABASE_URL" "$WORK/serve.log" && curl -sf "$BASE/health/ready" >/dev/null 2>&1; then
            break
        fi
        if ! kill -0 "$PID" 2>/dev/null; then echo "dubbelslot serve stopped:" >&2; cat "$WORK/serve.log" >&2; return 1; fi
        sleep 1
    done
    curl -sf "$BASE/health/ready" >/dev/null || { echo "not ready after 300 s" >&2; cat "$WORK/serve.log" >&2; return 1; }
    eval "$(grep -E "^ +export (BUYER|SIGNALLER|INSPECTOR|ANALYST|ADMIN|DUBBELSLOT_DATABASE_URL)=" "$WORK/serve.log" | sed 's/^ *//')"
    export BUYER SIGNALLER INSPECTOR ANALYST ADMIN DUBBELSLOT_DATABASE_URL
}
