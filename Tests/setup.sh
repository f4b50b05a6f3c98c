#!/usr/bin/env bash
# Installs what the tests need, when it is missing; silent when everything is present. Idempotent.
#   - PostgreSQL server binaries with contrib (btree_gist, pg_trgm, unaccent) and the `postgres` OS
#     user, from Debian: the Swift tests and `dubbelslot serve` start their own throwaway cluster.
#   - chromium and chromium-driver (Debian), selenium, axe-selenium-python and pytest (PyPI):
#     Tests/browser/run.sh.
#   - schemathesis, pinned (PyPI): Tests/contract/run.sh.
# Not root and something missing: says in one line what to install and exits 1.
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5

have_postgres() {
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 &&
        ls /usr/share/postgresql/*/extension/btree_gist.control >/dev/null 2>&1 &&
        ls /usr/share/postgresql/*/extension/pg_trgm.control >/dev/null 2>&1 &&
        ls /usr/share/postgresql/*/extension/unaccent.control >/dev/null 2>&1 &&
        id postgres >/dev/null 2>&1
}
have_chromium() { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }
have_browser_python() { python3 -c 'import selenium, axe_selenium_python, pytest' 2>/dev/null; }
have_schemathesis() {
    [ "$(python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" = "$SCHEMATHESIS_VERSION" ] &&
        python3 -m schemathesis.cli --version >/dev/null 2>&1
}

apt_missing=()
have_postgres || apt_missing+=(postgresql postgresql-contrib)
have_chromium || apt_missing+=(chromium chromium-driver)
pip_missing=()
have_browser_python || pip_missing+=(selenium axe-selenium-python pytest)
have_schemathesis || pip_missing+=("schemathesis==$SCHEMATHESIS_VERSION")

[ ${#apt_missing[@]} -eq 0 ] && [ ${#pip_missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    want=""
    [ ${#apt_missing[@]} -gt 0 ] && want="apt-get install ${apt_missing[*]}"
    [ ${#pip_missing[@]} -gt 0 ] && want="${want:+$want; }python3 -m pip install ${pip_missing[*]}"
    echo "Tests/setup.sh: test dependencies missing; as root run: $want" >&2
    exit 1
fi

if [ ${#apt_missing[@]} -gt 0 ]; then
    echo "Installing ${apt_missing[*]} from Debian's packages ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi
if [ ${#pip_missing[@]} -gt 0 ]; then
    echo "Installing ${pip_missing[*]} from PyPI ..."
    export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
    python3 -m pip install -q "${pip_missing[@]}" 2>/dev/null ||
        python3 -m pip install -q --break-system-packages "${pip_missing[@]}"
fi

status=0
have_postgres || { echo "Tests/setup.sh: PostgreSQL server binaries, extensions or the postgres user still missing" >&2; status=1; }
have_chromium || { echo "Tests/setup.sh: chromium or chromedriver still missing" >&2; status=1; }
have_browser_python || { echo "Tests/setup.sh: selenium, axe-selenium-python or pytest still missing" >&2; status=1; }
have_schemathesis || { echo "Tests/setup.sh: schemathesis $SCHEMATHESIS_VERSION still missing" >&2; status=1; }
exit $status
