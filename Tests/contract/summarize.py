"""Reads the NDJSON event reports of Tests/contract/run.sh's schemathesis runs, one per role, and prints
per role the requests made and the failed checks; then every distinct failure (operation, check,
status) with how often it was seen, a curl command that reproduces its shortest example (the role's
token as $ROLE, exported by `dubbelslot serve`) and the start of the response body.

usage: python3 summarize.py BASE_URL ROLE=FILE.ndjson ...   exit status 1 when any check failed.
"""
import base64
import json
import shlex
import sys


def decode(payload):
    if not payload:
        return b""
    if "$base64" in payload:
        return base64.b64decode(payload["$base64"])
    return str(payload.get("string", "")).encode()


def curl(role, base_url, request):
    parts = ["curl", "-sS", "-w", r"'\n%{http_code}\n'", "-X", request["method"]]
    for name, values in (request.get("headers") or {}).items():
        if name.lower() in ("user-agent", "accept-encoding", "accept", "connection", "content-length",
                            "x-schemathesis-testcaseid"):
            continue
        for value in values:
            if name.lower() == "authorization":
                parts += ["-H", f'"Authorization: Bearer ${role}"']
            else:
                parts += ["-H", shlex.quote(f"{name}: {value}")]
    body = decode(request.get("body"))
    if body:
        try:
            text = body.decode()
            parts += ["--data-binary", shlex.quote(text)]
        except UnicodeDecodeError:
            parts += ["--data-binary", "@<(printf %s " + shlex.quote(body.hex()) + " | xxd -r -p)"]
    uri = request["uri"]
    if uri.startswith(base_url):
        uri = "$BASE" + uri[len(base_url):]
    parts.append('"' + uri.replace('"', "%22").replace("`", "%60") + '"')
    return " ".join(parts)


def main():
    base_url = sys.argv[1].rstrip("/")
    distinct = {}   # (operation, code, status) -> dict
    any_failed = False
    print(f"{'role':<10} {'requests':>9} {'test cases':>11} {'failed checks':>14} {'distinct':>9}  finished")
    for arg in sys.argv[2:]:
        role, path = arg.split("=", 1)
        requests = cases = failed = 0
        finished = "no (stopped)"
        role_distinct = set()
        try:
            lines = open(path, encoding="utf-8").read().splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue   # a half-written last line of a run that was stopped
            if "EngineFinished" in event:
                finished = "yes"
            scenario = event.get("ScenarioFinished")
            if not scenario:
                continue
            recorder = scenario["recorder"]
            interactions = recorder.get("interactions") or {}
            requests += len(interactions)
            cases += len(recorder.get("cases") or {})
            for case_id, checks in (recorder.get("checks") or {}).items():
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    failed += 1
                    info = (check.get("failure_info") or {}).get("failure") or {}
                    interaction = interactions.get(case_id) or {}
                    response = interaction.get("response") or {}
                    status = response.get("status_code")
                    operation = info.get("operation") or recorder.get("label")
                    key = (operation, info.get("code") or check.get("name"), status)
                    role_distinct.add(key)
                    request = interaction.get("request")
                    command = curl(role, base_url, request) if request else "(no request recorded)"
                    entry = distinct.setdefault(key, {"count": 0, "roles": [], "curl": None})
                    entry["count"] += 1
                    if role not in entry["roles"]:
                        entry["roles"].append(role)
                    if entry["curl"] is None or len(command) < len(entry["curl"]):
                        entry.update(
                            curl=command,
                            check=check.get("name"),
                            title=info.get("title", ""),
                            message=info.get("message", ""),
                            body=decode(response.get("content")).decode("utf-8", "replace"),
                            content_type=",".join((response.get("headers") or {}).get("content-type", [])),
                        )
        any_failed |= failed > 0 or finished != "yes"
        print(f"{role:<10} {requests:>9} {cases:>11} {failed:>14} {len(role_distinct):>9}  {finished}")

    if distinct:
        print(f"\n{len(distinct)} distinct failure(s) (operation, check, status); "
              f"BASE is the server's URL and $ROLE the role's token (`export ROLE=` lines of `dubbelslot serve`):")
    for n, ((operation, code, status), entry) in enumerate(sorted(distinct.items(), key=lambda kv: str(kv[0])), 1):
        body = entry["body"]
        if len(body) > 600:
            body = body[:600] + f"... ({len(entry['body'])} characters)"
        # The first paragraph says what was wrong; the rest (schema and value) is in the NDJSON report.
        message = " ".join(entry["message"].split("\n\n")[0].split())
        print(f"\n{n}. {operation}: {entry['check']} ({code} {entry['title']}), status {status}, "
              f"{entry['count']}x, roles {' '.join(entry['roles'])}")
        print(f"   {message}")
        print(f"   {entry['curl']}")
        print(f"   -> {status} {entry['content_type']}: {body}")
    return 1 if any_failed else 0


if __name__ == "__main__":
    sys.exit(main())
