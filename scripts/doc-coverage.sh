#!/usr/bin/env bash
# Public declarations without a doc comment: bash scripts/doc-coverage.sh [-l] [DIR...]
#
# Counts every `public`/`open` declaration (types, initialisers, properties, functions, static members,
# typealiases; not imports or extensions) and every `case` line of a public enum, and reports those not
# directly preceded by a `///` line (attribute lines such as `@discardableResult` in between are skipped).
# With -l it lists each one as file:line. Default directories: the Core, Store and Report targets.
# Exits 1 when any declaration lacks a comment, so it can guard a commit or a CI step.
set -euo pipefail
cd "$(dirname "$0")/.."
list=0
if [ "${1:-}" = "-l" ]; then list=1; shift; fi
[ $# -gt 0 ] || set -- Sources/DubbelslotCore Sources/DubbelslotStore Sources/DubbelslotReport
missing_all=0
for dir in "$@"; do
    # shellcheck disable=SC2016
    result=$(find "$dir" -name '*.swift' -print0 | sort -z | xargs -0 -r awk -v list="$list" '
        function reset() { depth = 0; ml = 0; pending = 0; n = 0; prev = ""; prevdoc = 0 }
        # Code of a line without string literals and // comments; tracks """ strings across lines.
        function code(line,    out, i, c, rest) {
            out = ""; i = 1
            while (i <= length(line)) {
                rest = substr(line, i)
                if (ml) { if (index(rest, "\"\"\"") == 0) return out; ml = 0; i += index(rest, "\"\"\"") + 2; continue }
                if (substr(rest, 1, 3) == "\"\"\"") { ml = 1; i += 3; continue }
                c = substr(line, i, 1)
                if (c == "\"") {
                    i++
                    while (i <= length(line) && substr(line, i, 1) != "\"") i += (substr(line, i, 1) == "\\") ? 2 : 1
                    i++; continue
                }
                if (substr(rest, 1, 2) == "//") return out
                out = out c; i++
            }
            return out
        }
        FNR == 1 { reset() }
        {
            inml = ml
            m = "((@[A-Za-z_]+(\\([^)]*\\))?|final|static|class|nonisolated|override|convenience|required|indirect|mutating|nonmutating|dynamic)[ \t]+)*"
            mods = "^[ \t]*" m
            isdecl = !inml && $0 ~ (mods "(public|open)(\\([^)]*\\))?[ \t]") && $0 !~ (mods "(public|open)[ \t]+(import|extension)[ \t]")
            iscase = !inml && $0 ~ /^[ \t]*(indirect[ \t]+)?case[ \t]+[A-Za-z_]/ && n > 0 && depth == stack[n]
            if (isdecl || iscase) {
                total++
                if (!prevdoc) { missing++; if (list) printf "%s:%d: %s\n", FILENAME, FNR, $0 }
            }
            if (!inml && $0 ~ (mods "(public|open)[ \t]+" m "enum[ \t]")) pending = 1
            text = code($0)
            for (k = 1; k <= length(text); k++) {
                c = substr(text, k, 1)
                if (c == "{") { depth++; if (pending) { stack[++n] = depth; pending = 0 } }
                else if (c == "}") { if (n > 0 && stack[n] == depth) n--; depth-- }
            }
            # Whether the next declaration is documented: this line is ///, or an attribute after one.
            if ($0 ~ /^[ \t]*\/\/\//) prevdoc = 1
            else if ($0 !~ /^[ \t]*@[A-Za-z_]+(\(.*\))?[ \t]*$/) prevdoc = 0
        }
        END { printf "%d %d\n", missing + 0, total + 0 }')
    result=${result:-0 0}
    summary=${result##*$'\n'}
    [ "$summary" = "$result" ] || printf '%s\n' "${result%$'\n'*}"
    read -r missing total <<<"$summary"
    echo "$dir: $missing of $total public declarations lack a /// comment"
    missing_all=$((missing_all + missing))
done
[ "$missing_all" -eq 0 ]
