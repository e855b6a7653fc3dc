#!/usr/bin/env bash
# Installs the Debian packages lmsds builds and tests against, when any is missing.
# Usage: scripts/install-deps.sh [extra-package …]
set -euo pipefail

packages=(libpq-dev libsqlite3-dev librdkafka-dev unixodbc-dev libssh2-1-dev odbc-postgresql postgresql "$@")
missing=()
for package in "${packages[@]}"; do
  # `dpkg -s` also succeeds for removed packages whose configuration remains: check the status.
  if ! dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "install-deps: installing ${missing[*]}" >&2
  as_root=()
  if [[ "$(id -u)" -ne 0 ]]; then as_root=(sudo); fi
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
