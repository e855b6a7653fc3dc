#!/usr/bin/env bash
# The set-based apply engine's figures (issue: set-based apply), each next to a floor measured in
# the same run:
#   - the ×0.25 tree (bench/generate_tree.py --scale 2.5: ~5,000 files) into PostgreSQL, night 1 and
#     night 2 (bench/next_night.py: 5 % of rows changed, 2 % gone, 2 % new, names one day later),
#     set-based and file by file, against a COPY of the same rows into text tables with the key;
#   - the same two nights into SQLite (the embedded default);
#   - a 1,000,000-row users file: night 1 against a COPY straight into lms.LMSUser, night 2
#     (2 % changed, 1 % gone, 1 % new) against a COPY into a text table with the same unique key.
# Peak RSS of every lmsds run. BENCH_SKIP_BIG=1 leaves the million rows out; BENCH_SKIP_PER_FILE=1
# the file-by-file comparison.
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

# lmsds load under GNU time: prints "seconds peak_rss_mb". The URL goes by environment.
timed_load() { # url args…
  local url="$1"; shift
  local start end
  start=$(now)
  DATABASE_URL="$url" /usr/bin/time -f "%M" -o "$work/rss" "$bin" load "$@" --settle-seconds 0 \
    --log-level error >"$work/summary" 2>"$work/stderr" || {
    grep -q "rejected\|invalid" "$work/summary" || { cat "$work/stderr" "$work/summary" >&2; return 1; }
  }
  end=$(now)
  echo "$(echo "$end - $start" | bc) $(( $(cat "$work/rss") / 1024 ))"
}

# COPY of the same rows into text tables shaped like the CSV with the natural key, one session.
copy_floor() { # tree url
  python3 bench/floor_sql.py "$1" "$work" >"$work/floor.sql"
  local start end
  start=$(now)
  psql -X -q -v ON_ERROR_STOP=1 "$2" -f "$work/floor.sql" >/dev/null
  end=$(now)
  echo "$end - $start" | bc
}

# COPY of a users file straight into lms.LMSUser of a migrated database (identity, indexes).
copy_into_lmsuser() { # file url
  DATABASE_URL="$2" "$bin" migrate --log-level error >/dev/null
  local columns start end
  columns="$(head -n 1 "$1" | sed 's/^\xEF\xBB\xBF//')"
  start=$(now)
  psql -X -q -v ON_ERROR_STOP=1 "$2" -c "\\copy lms.LMSUser ($columns) FROM '$1' WITH (FORMAT csv, HEADER true)" >/dev/null
  end=$(now)
  echo "$end - $start" | bc
}

line() { # label seconds rss floor
  printf '%-34s %7.2fs  floor %6.2fs  ratio %6.2f  peak_rss %sMB\n' "$1" "$2" "$4" "$(echo "$2 / $4" | bc -l)" "$3"
}

python3 bench/generate_tree.py "$work/n1" --scale 2.5 >/dev/null
python3 bench/next_night.py "$work/n1" "$work/n2"
files=$(find "$work/n1" -name '*.csv' | wc -l)
rows=$(( $(find "$work/n1" -name '*.csv' -exec cat {} + | wc -l) - files ))
echo "x0.25 tree: $files files, $rows rows a night"
floor1=$(copy_floor "$work/n1" "$(fresh_db bench_floor1)")
floor2=$(copy_floor "$work/n2" "$(fresh_db bench_floor2)")

modes=("set-based:")
[[ -z "${BENCH_SKIP_PER_FILE:-}" ]] && modes+=("file-by-file:--file-by-file")
for mode in "${modes[@]}"; do
  name="${mode%%:*}" flag="${mode#*:}"
  url="$(fresh_db "bench_${name//-/_}")"
  read -r seconds rss < <(timed_load "$url" --sources "$work/n1" $flag)
  line "postgresql night 1 $name" "$seconds" "$rss" "$floor1"
  read -r seconds rss < <(timed_load "$url" --sources "$work/n2" $flag)
  line "postgresql night 2 $name" "$seconds" "$rss" "$floor2"
done
sqlite="$work/lms.sqlite"
read -r seconds rss < <(timed_load "sqlite:$sqlite" --sources "$work/n1")
line "sqlite night 1 set-based" "$seconds" "$rss" "$floor1"
read -r seconds rss < <(timed_load "sqlite:$sqlite" --sources "$work/n2")
line "sqlite night 2 set-based" "$seconds" "$rss" "$floor2"

if [[ -z "${BENCH_SKIP_BIG:-}" ]]; then
  python3 bench/generate_tree.py "$work/big1" --single-users-rows 1000000 >/dev/null
  python3 bench/next_night.py "$work/big1" "$work/big2" --changed 0.02 --gone 0.01 --new 0.01
  big="$(find "$work/big1" -name '*.csv')"
  floor=$(copy_into_lmsuser "$big" "$(fresh_db bench_lmsuser)")
  url="$(fresh_db bench_big)"
  read -r seconds rss < <(timed_load "$url" --sources "$work/big1")
  line "users 1M night 1 (floor: lms.LMSUser)" "$seconds" "$rss" "$floor"
  floor=$(copy_floor "$work/big2" "$(fresh_db bench_bigfloor)")
  read -r seconds rss < <(timed_load "$url" --sources "$work/big2")
  line "users 1M night 2 (floor: text+key)" "$seconds" "$rss" "$floor"
fi
