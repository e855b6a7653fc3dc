#!/usr/bin/env bash
# Benchmarks `lmsds load` into PostgreSQL against a COPY floor, and prints the figures.
#   bench/run.sh            # 1× and 2.5× trees, and a 1,000,000-row users file
#   BENCH_SKIP_BIG=1 / BENCH_SKIP_FLEET=1 / BENCH_SKIP_ODBC=1 bench/run.sh   (leave a part out)
#   BENCH_ONLY_FLEET=1 / BENCH_ONLY_ODBC=1 bench/run.sh                     (one part only)
# Starts its own PostgreSQL (scripts/with-postgres.sh) unless LMSDS_TEST_POSTGRES_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/lib.sh
if [[ -z "${LMSDS_BENCH_INNER:-}" ]]; then
  bench_build
  if [[ -z "${BENCH_SKIP_FLEET:-}" ]] && tansu_env="$(scripts/start-tansu.sh .tools)"; then
    eval "$tansu_env"
    trap 'kill "$LMSDS_TANSU_PID" 2>/dev/null || true' EXIT
  fi
  scripts/with-postgres.sh "$0" "$@"
  exit
fi
bench_start

report() { # label tree
  local label="$1" tree="$2"
  local files rows
  files=$(find "$tree" -name '*.csv' | wc -l)
  rows=$(( $(find "$tree" -name '*.csv' -exec cat {} + | wc -l) - files ))
  read -r seconds rss < <(timed_load "$(fresh_db bench_load)" --sources "$tree")
  floor=$(copy_floor "$tree" "$(fresh_db bench_floor)")
  printf '%-14s files=%-6s rows=%-8s load=%6.2fs  %8.0f rows/s  %7.0f files/s  floor=%5.2fs  ratio=%5.2f  peak_rss=%sMB\n' \
    "$label" "$files" "$rows" "$seconds" "$(echo "$rows / $seconds" | bc -l)" \
    "$(echo "$files / $seconds" | bc -l)" "$floor" "$(echo "$seconds / $floor" | bc -l)" "$((rss / 1024))"
}

if [[ -z "${BENCH_ONLY_FLEET:-}" && -z "${BENCH_ONLY_ODBC:-}" ]]; then
  python3 bench/generate_tree.py "$work/x1" --scale 1
  report "tree 1x" "$work/x1"
  python3 bench/generate_tree.py "$work/x25" --scale 2.5
  report "tree 2.5x" "$work/x25"
fi
# The fleet: the 2.5× tree over 4 providers, produced, then applied by 1 and by 2 workers.
# End to end = from the first `published` ledger row to the last `loaded` one.
fleet_report() { # tree workers
  local tree="$1" workers="$2" url topic pids=() peak=0
  url="$(fresh_db "bench_fleet$workers")"
  topic="bench.files.$workers.$RANDOM"
  DATABASE_URL="$url" LD_LIBRARY_PATH="$LMSDS_KAFKA_LIBRARY_PATH" "$bin" produce --sources "$tree" \
    --brokers "$LMSDS_TEST_KAFKA_BROKERS" --topic "$topic" --partitions 12 --settle-seconds 0 \
    --log-level error >/dev/null
  for ((i = 0; i < workers; i++)); do
    DATABASE_URL="$url" LD_LIBRARY_PATH="$LMSDS_KAFKA_LIBRARY_PATH" /usr/bin/time -f "%M" \
      -o "$work/rss-worker-$i" "$bin" work --sources "$tree" --brokers "$LMSDS_TEST_KAFKA_BROKERS" \
      --topic "$topic" --group "bench$workers" --exit-when-idle 20 --log-level error \
      >/dev/null 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  for ((i = 0; i < workers; i++)); do
    rss=$(tail -n 1 "$work/rss-worker-$i")
    peak=$(( rss > peak ? rss : peak ))
  done
  local seconds loaded
  seconds=$(psql -X -At "$url" -c "SELECT EXTRACT(EPOCH FROM MAX(finishedat) FILTER (WHERE outcome = 'loaded') - MIN(startedat) FILTER (WHERE outcome = 'published')) FROM lms.fileledger")
  loaded=$(psql -X -At "$url" -c "SELECT COUNT(*) FROM lms.fileledger WHERE outcome = 'loaded'")
  echo "$seconds $loaded $((peak / 1024))"
}

if [[ -n "${LMSDS_TEST_KAFKA_BROKERS:-}" && -z "${BENCH_SKIP_FLEET:-}" && -z "${BENCH_ONLY_ODBC:-}" ]]; then
  python3 bench/generate_tree.py "$work/fleet" --scale 2.5 --providers 4
  rows=$(( $(find "$work/fleet" -name '*.csv' -exec cat {} + | wc -l) - $(find "$work/fleet" -name '*.csv' | wc -l) ))
  read -r embedded _ < <(timed_load "$(fresh_db bench_embedded)" --sources "$work/fleet")
  printf '%-14s rows=%-8s lmsds load=%6.2fs\n' "fleet tree" "$rows" "$embedded"
  for workers in 1 2; do
    read -r seconds loaded peak < <(fleet_report "$work/fleet" "$workers")
    printf '%-14s workers=%s files_loaded=%-6s end_to_end=%6.2fs  %8.0f rows/s  ratio_to_load=%5.2f  worker_peak_rss=%sMB\n' \
      "fleet" "$workers" "$loaded" "$seconds" "$(echo "$rows / $seconds" | bc -l)" \
      "$(echo "$seconds / $embedded" | bc -l)" "$peak"
  done
fi

# Staging over ODBC (the SQL Server path) into the same PostgreSQL through the PostgreSQL Unicode
# driver, by parameter-array size, next to libpq's COPY: a 50,000-row users file, whole load timed.
if [[ -z "${BENCH_SKIP_ODBC:-}" && -z "${BENCH_ONLY_FLEET:-}" ]]; then
  python3 bench/generate_tree.py "$work/odbc" --single-users-rows 50000
  odbc_url() { # database → odbc: URL for it
    python3 - "$LMSDS_TEST_POSTGRES_URL" "$1" <<'PY'
import sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
print(f"odbc:Driver={{PostgreSQL Unicode}};Server={u.hostname};Port={u.port};Database={sys.argv[2]};"
      f"Uid={urllib.parse.unquote(u.username)};Pwd={urllib.parse.unquote(u.password)};")
PY
  }
  read -r seconds _ < <(timed_load "$(fresh_db bench_copy)" --sources "$work/odbc")
  printf '%-14s rows=50000    libpq COPY      load=%6.2fs  %8.0f rows/s\n' "staging" "$seconds" "$(echo "50000 / $seconds" | bc -l)"
  for size in 1 100 1000 5000; do
    fresh_db "bench_odbc$size" >/dev/null
    read -r seconds _ < <(timed_load "$(odbc_url "bench_odbc$size")" --sources "$work/odbc" --bulk-array-size "$size")
    printf '%-14s rows=50000    ODBC array %-5s load=%6.2fs  %8.0f rows/s\n' "staging" "$size" "$seconds" "$(echo "50000 / $seconds" | bc -l)"
  done
fi

if [[ -z "${BENCH_SKIP_BIG:-}" && -z "${BENCH_ONLY_FLEET:-}" && -z "${BENCH_ONLY_ODBC:-}" ]]; then
  python3 bench/generate_tree.py "$work/big" --single-users-rows 1000000
  report "users 1M" "$work/big"
fi
