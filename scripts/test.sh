#!/usr/bin/env bash
# Runs the whole test suite the way CI does: installs the system packages the build links
# against when any is missing, the test tools (sqlglot, in a private venv), then runs `swift test`
# against a private PostgreSQL server. Extra arguments go to `swift test` (e.g. --filter Store).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

# SQL Server text is checked by a T-SQL parser (scripts/tsql-parse.py): sqlglot, in a private venv.
if ! .tools/venv/bin/python -c "import sqlglot" 2>/dev/null; then
  echo "test.sh: installing sqlglot in .tools/venv" >&2
  if ! python3 -m venv .tools/venv; then
    scripts/install-deps.sh python3-venv
    python3 -m venv .tools/venv
  fi
  .tools/venv/bin/pip install --quiet sqlglot
fi
export LMSDS_PYTHON="$PWD/.tools/venv/bin/python"

exec scripts/with-postgres.sh swift test "$@"
