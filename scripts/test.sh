#!/usr/bin/env bash
# Runs the whole test suite the way CI does: installs the system packages the build links
# against when any is missing, then runs `swift test` against a private PostgreSQL server.
# Extra arguments go to `swift test` (e.g. --filter PostgresConnectionTests).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
exec scripts/with-postgres.sh swift test "$@"
