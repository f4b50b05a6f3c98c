#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer, the -sanitize=fuzzer of the Swift toolchain) of the code that
# reads untrusted text: the CSV reader (Store's CSVFile with yaslab/CSV.swift), the personal-data guard
# and the school-name normaliser (Core). Each target runs FUZZ_SECONDS (default 60); a crash, a failed
# precondition, an input over 1 s, or any corpus input that afterwards takes over 100 ms fails the run.
#
# Builds its own copies with swiftc, unoptimised (-Onone: -O makes one regex of Core too slow to
# type-check), into .build-fuzz/: Core as a module, CSV.swift from the checkout that `swift build`
# fetched, and Store's CSVFile.swift alone as the module DubbelslotStore (the rest of the Store needs
# PostgreSQL and is not fuzzed here). Run `swift build` first so that .build/checkouts exists.
# Prints each target's executions per second.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
OUT=.build-fuzz
CSV_SOURCES=.build/checkouts/CSV.swift/Sources/CSV
[ -d "$CSV_SOURCES" ] || { echo "no $CSV_SOURCES: run 'swift build' first" >&2; exit 1; }
mkdir -p "$OUT"
FLAGS=(-swift-version 6 -sanitize=fuzzer -parse-as-library -Onone -I "$OUT" -L "$OUT")
CORE_FLAGS=(-enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
            -enable-upcoming-feature InternalImportsByDefault)

echo "fuzz: building the targets ..."
swiftc "${FLAGS[@]}" "${CORE_FLAGS[@]}" -emit-library -static -emit-module -module-name DubbelslotCore -o "$OUT/libDubbelslotCore.a" \
    $(find Sources/DubbelslotCore -name '*.swift')
swiftc "${FLAGS[@]}" -emit-library -static -emit-module -module-name CSV -o "$OUT/libCSV.a" "$CSV_SOURCES"/*.swift
swiftc "${FLAGS[@]}" "${CORE_FLAGS[@]}" -emit-library -static -emit-module -module-name DubbelslotStore -o "$OUT/libDubbelslotStore.a" \
    Sources/DubbelslotStore/Import/CSVFile.swift
swiftc "${FLAGS[@]}" -lDubbelslotCore Tests/fuzz/FuzzPIIGuard.swift -o "$OUT/fuzz-pii-guard"
swiftc "${FLAGS[@]}" -lDubbelslotCore Tests/fuzz/FuzzNameNormalizer.swift -o "$OUT/fuzz-name-normalizer"
swiftc "${FLAGS[@]}" -lDubbelslotStore -lCSV -lDubbelslotCore Tests/fuzz/FuzzCSVFile.swift -o "$OUT/fuzz-csv-file"

status=0
for target in pii-guard name-normalizer csv-file; do
    corpus="$OUT/corpus-$target"
    rm -rf "$corpus" && mkdir -p "$corpus"
    cp Tests/fuzz/seeds/"$target"/* "$corpus"/
    log="$OUT/$target.log"
    # -max_len 16384: above the longest field (10,000 characters) a CSV may hold; -timeout 1: one input over a second is a failure.
    if ! "$OUT/fuzz-$target" -max_total_time="$SECONDS_EACH" -max_len=16384 -timeout=1 -print_final_stats=1 \
        -artifact_prefix="$OUT/crash-$target-" "$corpus" >"$log" 2>&1; then
        echo "fuzz $target: FAILED"; tail -30 "$log"; status=1; continue
    fi
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    elapsed=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | grep -oE 'in [0-9]+' | grep -oE '[0-9]+' || echo "$SECONDS_EACH")
    # Every input the fuzzer kept, once more, each timed: over 100 ms is a failure (linear work, bounded inputs).
    slow=$("$OUT/fuzz-$target" -runs=1 $(find "$corpus" -type f | head -5000) 2>&1 |
        grep -oE 'Executed .* in [0-9]+ ms' | awk '$NF=="ms" && $(NF-1) > 100 {print $2, $(NF-1) " ms"}' || true)
    if [ -n "$slow" ]; then echo "fuzz $target: inputs over 100 ms:"; echo "$slow" | head -5; status=1; fi
    echo "fuzz $target: $runs executions in ${elapsed} s ($(( runs / (elapsed > 0 ? elapsed : 1) ))/s), corpus $(find "$corpus" -type f | wc -l) inputs"
done
exit $status
