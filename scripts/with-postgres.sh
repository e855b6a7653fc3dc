#!/usr/bin/env bash
# Runs a command against a private, throw-away PostgreSQL server:
#   scripts/with-postgres.sh swift test --filter PostgresConnectionTests
# The server listens on 127.0.0.1 only, on a free port, with password authentication, and is
# stopped and deleted when the command ends, however it ends. The command sees:
#   LMSDS_TEST_POSTGRES_URL        postgresql://lmsds:…@127.0.0.1:PORT/lmsds_test (owner of the db)
#   LMSDS_TEST_POSTGRES_ADMIN_URL  postgresql://postgres:…@127.0.0.1:PORT/postgres (superuser)
# When both are already set, the command runs against that server instead.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARG…]" >&2
  exit 2
fi

if [[ -n "${LMSDS_TEST_POSTGRES_URL:-}" && -n "${LMSDS_TEST_POSTGRES_ADMIN_URL:-}" ]]; then
  exec "$@"
fi

pg_bin="${LMSDS_POSTGRES_BIN:-}"
if [[ -z "$pg_bin" ]]; then
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
fi
if [[ ! -x "$pg_bin/initdb" ]]; then
  echo "with-postgres: no PostgreSQL server binaries found (apt-get install postgresql)" >&2
  exit 1
fi

# The server refuses to run as root; as root, run it as the postgres account.
as_server=()
if [[ "$(id -u)" -eq 0 ]]; then
  as_server=(runuser -u postgres --)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/lmsds-postgres.XXXXXX")"
data="$work/data"
log="$work/server.log"
started=""

cleanup() {
  local status=$?
  if [[ -n "$started" ]]; then
    "${as_server[@]}" "$pg_bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ ${#as_server[@]} -gt 0 ]]; then
  chown postgres: "$work"
fi
chmod 700 "$work"

random_secret() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
admin_secret="$(random_secret)"
user_secret="$(random_secret)"

# The superuser's password reaches initdb through a file only the server account can read.
printf '%s\n' "$admin_secret" >"$work/pwfile"
if [[ ${#as_server[@]} -gt 0 ]]; then chown postgres: "$work/pwfile"; fi
chmod 600 "$work/pwfile"
"${as_server[@]}" "$pg_bin/initdb" -D "$data" -U postgres --pwfile="$work/pwfile" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 || {
  cat "$work/initdb.log" >&2
  exit 1
}
rm -f "$work/pwfile"

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Other test runs may pick a port at the same moment: try a few.
for attempt in 1 2 3 4 5 6 7 8; do
  port=$((20000 + RANDOM % 30000))
  port_is_free "$port" || continue
  if "${as_server[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work" start >/dev/null; then
    started=yes
    break
  fi
done
if [[ -z "$started" ]]; then
  echo "with-postgres: the server did not start" >&2
  cat "$log" >&2 2>/dev/null || true
  exit 1
fi

"$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$work" -p "$port" -U postgres -d postgres \
  -v user_secret="$user_secret" >/dev/null <<'SQL'
CREATE ROLE lmsds LOGIN PASSWORD :'user_secret';
CREATE DATABASE lmsds_test OWNER lmsds;
SQL

export LMSDS_TEST_POSTGRES_URL="postgresql://lmsds:$user_secret@127.0.0.1:$port/lmsds_test"
export LMSDS_TEST_POSTGRES_ADMIN_URL="postgresql://postgres:$admin_secret@127.0.0.1:$port/postgres"

set +e
"$@"
status=$?
set -e
exit "$status"
