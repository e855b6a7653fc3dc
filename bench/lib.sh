# shellcheck shell=bash
# What bench/apply.sh and bench/run.sh share, sourced from the repository root. Both run twice: once
# outside to build, then again inside scripts/with-postgres.sh (LMSDS_BENCH_INNER set) to measure.

# Outside: dependencies and one release build, before the script runs itself again. LMSDS_BIN
# names a binary built elsewhere instead (no build here; say which build it is beside the figures).
bench_build() {
  export LMSDS_BENCH_INNER=1
  if [[ -n "${LMSDS_BIN:-}" ]]; then
    [[ -x "$LMSDS_BIN" ]] || { echo "bench: LMSDS_BIN=$LMSDS_BIN is not an executable" >&2; exit 1; }
    return
  fi
  scripts/install-deps.sh
  swift build -c release --product lmsds >&2
}

# Inside: the release binary (or LMSDS_BIN), a scratch directory removed on exit, and the server's URLs.
bench_start() {
  bin="${LMSDS_BIN:-$(swift build -c release --show-bin-path)/lmsds}"
  work="$(mktemp -d "${TMPDIR:-/tmp}/lmsds-bench.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  admin="$LMSDS_TEST_POSTGRES_ADMIN_URL"
  base="${LMSDS_TEST_POSTGRES_URL%/*}"
}

fresh_db() { # name → URL of an empty database owned by the test role
  PGOPTIONS="-c client_min_messages=warning" psql -X -q "$admin" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 OWNER lmsds" >/dev/null
  echo "$base/$1"
}

now() { date +%s.%N; }

# Before each timed PostgreSQL run, every database is vacuumed and analysed, then a CHECKPOINT
# is taken.
#   - The VACUUM: a district's nights are a day apart, and the autovacuum a night's inserts start
#     has long finished before the next one. Here it started seconds later, beside the next timed
#     run on these 2 cores: a million-row night 2 took 6.0-6.8 s beside the vacuum of night 1's
#     rows, 4.1-4.3 s without it. Tables already vacuumed cost next to nothing.
#   - The CHECKPOINT: no run pays for writing out the dirty buffers and WAL the run before it left
#     (a floor's COPY of a million rows left the next load ~0.2 of its ratio to write).
settle_server() {
  local database
  for database in $(psql -X -At "$admin" -c \
    "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate"); do
    psql -X -q "${admin%/*}/$database" -c "VACUUM (ANALYZE)" >/dev/null
  done
  psql -X -q "$admin" -c CHECKPOINT >/dev/null
}

# Seconds one psql run takes against a settled server; the arguments after the URL are psql's.
timed_psql() { # url psql-args…
  local url="$1"; shift
  local start end
  settle_server
  start=$(now)
  psql -X -q -v ON_ERROR_STOP=1 "$url" "$@" >/dev/null
  end=$(now)
  echo "$end - $start" | bc
}

# Runs lmsds load under GNU time; prints "seconds peak_rss_kb" (and leaves "peak_rss_kb user_s
# system_s" as the last line of $work/rss). A load that exits non-zero fails
# the bench, unless bench_tolerate_rejections is set and its summary names rejected or invalid
# files (apply.sh's figures stand then).
timed_load() { # url args…
  local url="$1"; shift
  local start end
  [[ "$url" == sqlite:* ]] || settle_server
  start=$(now)
  # The URL (with its password) goes by environment: a flag would show in `ps`.
  DATABASE_URL="$url" /usr/bin/time -f "%M %U %S" -o "$work/rss" "$bin" load "$@" --settle-seconds 0 \
    --log-level error >"$work/summary" 2>"$work/stderr" || {
    [[ -n "${bench_tolerate_rejections:-}" ]] && grep -q "rejected\|invalid" "$work/summary" ||
      { cat "$work/stderr" "$work/summary" >&2; return 1; }
  }
  end=$(now)
  echo "$(echo "$end - $start" | bc) $(tail -n 1 "$work/rss" | cut -d' ' -f1)"
}

# The floor: the same rows, one COPY per resource into tables shaped like the CSV (text columns,
# a unique key), in one psql session.
# The same rows `.import`ed by the sqlite3 shell into text tables with the key, one transaction:
# the floor of the embedded default.
sqlite_floor() { # tree
  python3 bench/floor_sql.py "$1" "$work" sqlite >"$work/floor-sqlite.sql"
  rm -f "$work/floor.sqlite" "$work/floor.sqlite-wal" "$work/floor.sqlite-shm"
  local start end
  start=$(now)
  sqlite3 -bail "$work/floor.sqlite" <"$work/floor-sqlite.sql" >/dev/null
  end=$(now)
  echo "$end - $start" | bc
}

copy_floor() { # tree url
  python3 bench/floor_sql.py "$1" "$work" >"$work/floor.sql"
  timed_psql "$2" -f "$work/floor.sql"
}
