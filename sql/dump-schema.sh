#!/usr/bin/env bash
# Regenerates sql/schema.sql: the schema as `pg_dump --schema-only --no-owner --no-privileges` prints
# it after every migration, for reading a table whole. It is never applied (the migrator skips it).
#
# Runs the schema snapshot test (Tests/DubbelslotStoreTests/CrossCutting/SchemaSnapshotTests.swift) with
# DUBBELSLOT_WRITE_SCHEMA=1: it migrates a throwaway database of the test cluster and writes the dump
# instead of comparing, so the file is made exactly as the test checks it. Arguments go to
# `swift build`, for example `bash sql/dump-schema.sh -j 1`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests "$@"
DUBBELSLOT_WRITE_SCHEMA=1 swift test --skip-build --filter 'SchemaSnapshotTests'
git --no-pager diff --stat -- sql/schema.sql
