#!/usr/bin/env bash
# The set-based apply engine's figures (issue: set-based apply), each next to a floor measured in
# the same run:
#   - the ×0.25 tree (bench/generate_tree.py --scale 2.5: ~5,000 files) into PostgreSQL, night 1 and
#     night 2 (bench/next_night.py: 5 % of rows changed, 2 % gone, 2 % new, names one day later),
#     set-based and file by file, against a COPY of the same rows into text tables with the key;
#   - the same two nights into SQLite (the embedded default), against the sqlite3 shell's
#     `.import` of the same rows into text tables with the key;
#   - night 1's rows inserted into the real tables from rows already in the server (the schema's
#     indexes and foreign keys, nothing else): the floor of any design on PostgreSQL;
#   - a 1,000,000-row users file: night 1 against a COPY straight into lms.LMSUser, night 2
#     (2 % changed, 1 % gone, 1 % new) against a COPY into a text table with the same unique key.
# Peak RSS of every lmsds run. BENCH_SKIP_BIG=1 leaves the million rows out; BENCH_SKIP_PER_FILE=1
# the file-by-file comparison.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/lib.sh
if [[ -z "${LMSDS_BENCH_INNER:-}" ]]; then
  bench_build
  exec scripts/with-postgres.sh "$0" "$@"
fi
bench_start
bench_tolerate_rejections=1

# COPY of a users file straight into lms.LMSUser of a migrated database (identity, indexes).
copy_into_lmsuser() { # file url
  DATABASE_URL="$2" "$bin" migrate --log-level error >/dev/null
  local columns
  columns="$(head -n 1 "$1" | sed 's/^\xEF\xBB\xBF//')"
  timed_psql "$2" -c "\\copy lms.LMSUser ($columns) FROM '$1' WITH (FORMAT csv, HEADER true)"
}

# What writing night 1's rows into the real tables costs the server alone, whatever the design:
# the rows a load left (identities, parents resolved) copied aside, then inserted back in one
# transaction, with every index and foreign-key check of the schema, after a CHECKPOINT. No
# reading, staging, matching or ledger in it.
real_table_floor() { # tree url
  DATABASE_URL="$2" "$bin" load --sources "$1" --settle-seconds 0 --log-level error >/dev/null
  local tables="LMSUser LMSSection LMSUserLMSSectionAssociation Assignment AssignmentSubmissionType AssignmentSubmission"
  local t all=""
  for t in $tables; do
    psql -X -q -v ON_ERROR_STOP=1 "$2" -c "CREATE TABLE public.aside_$t AS SELECT * FROM lms.$t" >/dev/null
    all+="${all:+, }lms.$t"
  done
  psql -X -q -v ON_ERROR_STOP=1 "$2" -c "TRUNCATE $all CASCADE" >/dev/null
  {
    echo "BEGIN;"
    for t in $tables; do echo "INSERT INTO lms.$t OVERRIDING SYSTEM VALUE SELECT * FROM public.aside_$t;"; done
    echo "COMMIT;"
  } >"$work/real-floor.sql"
  timed_psql "$2" -f "$work/real-floor.sql"
}

line() { # label seconds rss_kb floor
  printf '%-34s %7.2fs  floor %6.2fs  ratio %6.2f  peak_rss %sMB\n' "$1" "$2" "$4" "$(echo "$2 / $4" | bc -l)" "$(($3 / 1024))"
}

python3 bench/generate_tree.py "$work/n1" --scale 2.5 >/dev/null
python3 bench/next_night.py "$work/n1" "$work/n2"
files=$(find "$work/n1" -name '*.csv' | wc -l)
rows=$(( $(find "$work/n1" -name '*.csv' -exec cat {} + | wc -l) - files ))
echo "x0.25 tree: $files files, $rows rows a night"
# SQLite first, on a quiet machine: after the PostgreSQL loads the server's autovacuum works on
# the tables they filled for a while, beside whatever runs next.
modes=("set-based:")
[[ -z "${BENCH_SKIP_PER_FILE:-}" ]] && modes+=("file-by-file:--file-by-file")
sqlite_floor1=$(sqlite_floor "$work/n1")
sqlite_floor2=$(sqlite_floor "$work/n2")
for mode in "${modes[@]}"; do
  name="${mode%%:*}" flag="${mode#*:}"
  sqlite="$work/lms-$name.sqlite"
  read -r seconds rss < <(timed_load "sqlite:$sqlite" --sources "$work/n1" $flag)
  line "sqlite night 1 $name" "$seconds" "$rss" "$sqlite_floor1"
  read -r seconds rss < <(timed_load "sqlite:$sqlite" --sources "$work/n2" $flag)
  line "sqlite night 2 $name" "$seconds" "$rss" "$sqlite_floor2"
done

floor1=$(copy_floor "$work/n1" "$(fresh_db bench_floor1)")
floor2=$(copy_floor "$work/n2" "$(fresh_db bench_floor2)")

for mode in "${modes[@]}"; do
  name="${mode%%:*}" flag="${mode#*:}"
  url="$(fresh_db "bench_${name//-/_}")"
  read -r seconds rss < <(timed_load "$url" --sources "$work/n1" $flag)
  line "postgresql night 1 $name" "$seconds" "$rss" "$floor1"
  [[ "$name" == set-based ]] && night1="$seconds"
  read -r seconds rss < <(timed_load "$url" --sources "$work/n2" $flag)
  line "postgresql night 2 $name" "$seconds" "$rss" "$floor2"
done

real1=$(real_table_floor "$work/n1" "$(fresh_db bench_real_floor)")
printf '%-34s %7.2fs  (the set-based night 1 above: %.2f× it)\n' "postgresql night 1 real-table floor" \
  "$real1" "$(echo "$night1 / $real1" | bc -l)"

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
