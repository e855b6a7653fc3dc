#!/usr/bin/env bash
# Builds lmsds, loads the bundled sample (samples/BestLMS, three days with deletions and
# restorations) into a fresh SQLite file and shows what it did: the run summary, then the ledger.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# A debug build: it compiles in about half the time of a release one, and the sample loads in well
# under a second either way (bench/run.sh builds release for the figures).
swift build --product lmsds
bin="$(swift build --show-bin-path)/lmsds"

mkdir -p .demo
rm -f .demo/lms.sqlite .demo/lms.sqlite-wal .demo/lms.sqlite-shm
# The sample's files were just checked out, so they look freshly written: no settle wait.
"$bin" load --csvpath samples/BestLMS --database sqlite:.demo/lms.sqlite --settle-seconds 0
echo
"$bin" ledger --database sqlite:.demo/lms.sqlite
echo
echo "The same ledger as pages: $bin serve --database sqlite:.demo/lms.sqlite  (then open http://127.0.0.1:8080/)"
