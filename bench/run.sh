#!/usr/bin/env bash
# Benchmarks `lmsds load` into PostgreSQL against a COPY floor, and prints the figures.
#   bench/run.sh            # 1× and 2.5× trees, and a 1,000,000-row users file
#   BENCH_SKIP_BIG=1 bench/run.sh
# Starts its own PostgreSQL (scripts/with-postgres.sh) unless LMSDS_TEST_POSTGRES_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${LMSDS_BENCH_INNER:-}" ]]; then
  scripts/install-deps.sh
  swift build -c release --product lmsds >&2
  export LMSDS_BENCH_INNER=1
  exec scripts/with-postgres.sh "$0" "$@"
fi

bin="$(swift build -c release --show-bin-path)/lmsds"
work="$(mktemp -d "${TMPDIR:-/tmp}/lmsds-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
admin="$LMSDS_TEST_POSTGRES_ADMIN_URL"
base="${LMSDS_TEST_POSTGRES_URL%/*}"

fresh_db() { # name → URL of an empty database owned by the test role
  psql -X -q "$admin" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 OWNER lmsds" >/dev/null
  echo "$base/$1"
}

now() { date +%s.%N; }

# Runs lmsds load under GNU time; prints "seconds peak_rss_kb".
timed_load() { # url args…
  local url="$1"; shift
  local start end
  start=$(now)
  # The URL (with its password) goes by environment: a flag would show in `ps`.
  DATABASE_URL="$url" /usr/bin/time -f "%M" -o "$work/rss" "$bin" load "$@" --settle-seconds 0 \
    --log-level error >"$work/summary" 2>"$work/stderr" || { cat "$work/stderr" "$work/summary" >&2; return 1; }
  end=$(now)
  echo "$(echo "$end - $start" | bc) $(cat "$work/rss")"
}

# The floor: the same rows, one COPY per resource into tables shaped like the CSV (text columns,
# a unique key), in one psql session.
copy_floor() { # tree url
  local tree="$1" url="$2"
  python3 - "$tree" "$work" >"$work/floor.sql" <<'PY'
import csv, glob, os, sys
tree, work = sys.argv[1], sys.argv[2]
groups = {}
for path in sorted(glob.glob(os.path.join(tree, "**", "*.csv"), recursive=True)):
    groups.setdefault(path.split("/")[-2], []).append(path)
for kind, paths in sorted(groups.items()):
    table = "floor_" + kind.replace("-", "_")
    data = os.path.join(work, table + ".csv")
    with open(data, "w", encoding="utf-8") as out:
        for path in paths:
            with open(path, encoding="utf-8-sig") as f:
                next(f)
                out.writelines(f)
    with open(paths[0], encoding="utf-8-sig") as f:
        header = next(csv.reader(f))
    cols = ", ".join(f'"{c}" text' for c in header)
    print(f"CREATE TABLE {table} ({cols}, UNIQUE (\"SourceSystemIdentifier\", \"SourceSystem\"));")
    print(f"\\copy {table} FROM '{data}' WITH (FORMAT csv)")
PY
  local start end
  start=$(now)
  psql -X -q -v ON_ERROR_STOP=1 "$url" -f "$work/floor.sql" >/dev/null
  end=$(now)
  echo "$end - $start" | bc
}

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

python3 bench/generate_tree.py "$work/x1" --scale 1
report "tree 1x" "$work/x1"
python3 bench/generate_tree.py "$work/x25" --scale 2.5
report "tree 2.5x" "$work/x25"
if [[ -z "${BENCH_SKIP_BIG:-}" ]]; then
  python3 bench/generate_tree.py "$work/big" --single-users-rows 1000000
  report "users 1M" "$work/big"
fi
