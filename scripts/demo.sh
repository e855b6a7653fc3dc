#!/usr/bin/env bash
# Builds lmsds, loads the bundled sample (samples/BestLMS, three days with deletions and
# restorations) into a fresh SQLite file and shows what it did: the run summary, then the ledger.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
swift build -c release --product lmsds
bin="$(swift build -c release --show-bin-path)/lmsds"

mkdir -p .demo
rm -f .demo/lms.sqlite .demo/lms.sqlite-wal .demo/lms.sqlite-shm
# The sample's files were just checked out, so they look freshly written: no settle wait.
"$bin" load --csvpath samples/BestLMS --database sqlite:.demo/lms.sqlite --settle-seconds 0
echo
"$bin" ledger --database sqlite:.demo/lms.sqlite
