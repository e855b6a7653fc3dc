#!/usr/bin/env bash
# Runs the whole test suite the way CI does: installs the system packages the build links
# against when any is missing, then runs `swift test` against a private PostgreSQL server.
# Extra arguments go to `swift test` (e.g. --filter PostgresConnectionTests).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libpq-dev libsqlite3-dev librdkafka-dev unixodbc-dev odbc-postgresql postgresql)
missing=()
for package in "${packages[@]}"; do
  # `dpkg -s` also succeeds for removed packages whose configuration remains: check the status.
  if ! dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "test.sh: installing ${missing[*]}" >&2
  as_root=()
  if [[ "$(id -u)" -ne 0 ]]; then as_root=(sudo); fi
  "${as_root[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y "${missing[@]}"
fi

# SQL Server text is checked by a T-SQL parser (scripts/tsql-parse.py): sqlglot, in a private venv.
if ! .tools/venv/bin/python -c "import sqlglot" 2>/dev/null; then
  echo "test.sh: installing sqlglot in .tools/venv" >&2
  if ! python3 -m venv .tools/venv; then
    as_root=()
    if [[ "$(id -u)" -ne 0 ]]; then as_root=(sudo); fi
    "${as_root[@]}" apt-get update
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y python3-venv
    python3 -m venv .tools/venv
  fi
  .tools/venv/bin/pip install --quiet sqlglot
fi
export LMSDS_PYTHON=.tools/venv/bin/python

exec scripts/with-postgres.sh swift test "$@"
