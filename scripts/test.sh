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

exec scripts/with-postgres.sh swift test "$@"
