#!/usr/bin/env bash
# The fleet's two timings with the defaults a user gets (no --kafka-option), on a Tansu broker:
#   1. join: seconds from starting 1, 2 and 4 `lmsds work` processes together to each one's first
#      partition assignment (its "joined the consumer group" line, read from --log-format json);
#   2. broker loss: a plain `lmsds produce` publishes the tree, no worker reads it, the broker is
#      killed (SIGKILL) and restarted empty on the same port (topic gone); then the cron's next plain
#      `lmsds produce` (it republishes files the ledger holds as `published` that the topic lost) and
#      workers with --exit-when-idle. Seconds from the restarted broker accepting connections to the
#      last file recorded `loaded`, and to the workers' exit; every file must be loaded exactly once.
# Each case runs BENCH_FLEET_RUNS times (3); min and median are printed.
#
#   bench/fleet.sh                                        # builds a release binary, as the others do
#   LMSDS_BIN=/abs/path/to/lmsds bench/fleet.sh           # a binary built elsewhere, no build here
# Knobs: BENCH_FLEET_SCALE (0.05) and BENCH_FLEET_PROVIDERS (4) for bench/generate_tree.py,
# BENCH_FLEET_WORKERS ("1 2 4", the join case), BENCH_FLEET_LOSS_WORKERS (2, the loss case),
# BENCH_FLEET_IDLE (5, --exit-when-idle seconds), BENCH_SKIP_JOIN=1 / BENCH_SKIP_LOSS=1,
# BENCH_FLEET_KEEP_LOGS=DIR (copies the logs of a failed run there).
# Starts its own PostgreSQL (scripts/with-postgres.sh) and its own Tansu brokers
# (scripts/start-tansu.sh, tools under .tools).
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/lib.sh
if [[ -z "${LMSDS_BENCH_INNER:-}" ]]; then
  bench_build
  exec scripts/with-postgres.sh "$0" "$@"
fi
bench_start

runs="${BENCH_FLEET_RUNS:-3}"
idle="${BENCH_FLEET_IDLE:-5}"
pids=()     # workers of the case in progress
brokers=()  # Tansu pids this script started
cleanup() {
  local pid
  for pid in "${pids[@]}" "${brokers[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -n "${LMSDS_BIN:-}" ]]; then
  echo "binary: $bin (LMSDS_BIN; not built by this script)"
  if [[ "$(readlink -f "$bin")" == */debug/* ]]; then
    echo "binary: a debug build. Its join figures were within 0.4 s of a release build's of the same sources"
    echo "        (README, Benchmarks); the apply part of the loss figure is slower than release's."
  fi
else
  echo "binary: $bin (release)"
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"

start_broker() { # [port] → sets broker_port, broker_pid; the library path goes to LMSDS_KAFKA_LIBRARY_PATH
  local env
  env="$(LMSDS_TANSU_PORT="${1:-}" scripts/start-tansu.sh .tools 2>"$work/start-tansu.log")" ||
    { cat "$work/start-tansu.log" >&2; return 1; }
  eval "$env"
  broker_port="${LMSDS_TEST_KAFKA_BROKERS##*:}"
  broker_pid="$LMSDS_TANSU_PID"
  brokers+=("$broker_pid")
}

# The commands as a cron job and a worker unit would run them: database and brokers by environment.
lmsds() {
  DATABASE_URL="$url" KAFKA_BROKERS="127.0.0.1:$broker_port" \
    LD_LIBRARY_PATH="$LMSDS_KAFKA_LIBRARY_PATH" "$bin" "$@"
}

# Starts N workers at once, their stderr (JSON lines) in $work/$label-$i.log; `timeout` bounds a
# worker that never drains (the stranded limit is 120 s).
start_workers() { # label count [work options…]
  local label="$1" count="$2" i
  shift 2
  pids=()
  for ((i = 0; i < count; i++)); do
    DATABASE_URL="$url" KAFKA_BROKERS="127.0.0.1:$broker_port" \
      LD_LIBRARY_PATH="$LMSDS_KAFKA_LIBRARY_PATH" timeout 240 "$bin" work \
      --sources "$tree" --exit-when-idle "$idle" --log-format json "$@" \
      >/dev/null 2>"$work/$label-$i.log" &
    pids+=($!)
  done
}

wait_workers() { # sets statuses to "s0 s1 …" (not in a subshell: only this shell can wait for them)
  local pid codes=()
  for pid in "${pids[@]}"; do
    if wait "$pid"; then codes+=(0); else codes+=($?); fi
  done
  pids=()
  statuses="${codes[*]}"
}

# Seconds from START to the first "joined the consumer group" line of each log ("never" if none).
join_seconds() { # start log…
  python3 - "$@" <<'PY'
import datetime, json, sys
start = float(sys.argv[1])
out = []
for path in sys.argv[2:]:
    seconds = "never"
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("message") == "joined the consumer group":
                t = datetime.datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
                seconds = f"{t.timestamp() - start:.2f}"
                break
    out.append(seconds)
print(" ".join(out))
PY
}

min_median() { # numbers… → "min median" (the lower middle of an even count: never a mean)
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f %.2f", v[1], v[int((NR + 1) / 2)] }'
}

tree="$work/tree"
python3 bench/generate_tree.py "$tree" --scale "${BENCH_FLEET_SCALE:-0.05}" --providers "${BENCH_FLEET_PROVIDERS:-4}"
# Older than produce's --settle-seconds (30), so the plain command picks every file up.
find "$tree" -type f -exec touch -d '-1 hour' {} +
files=$(find "$tree" -name '*.csv' | wc -l)
echo "tree: $files files over ${BENCH_FLEET_PROVIDERS:-4} providers (generate_tree.py --scale ${BENCH_FLEET_SCALE:-0.05})"

# 1. Join. One broker for the case; per run a fresh database, topic and group, produced first so the
# topic exists with produce's 12 partitions, as when workers start after the first cron run.
if [[ -z "${BENCH_SKIP_JOIN:-}" ]]; then
  start_broker
  declare -A slowest fastest
  failures=""
  for workers in ${BENCH_FLEET_WORKERS:-1 2 4}; do
    for ((run = 1; run <= runs; run++)); do
      url="$(fresh_db "bench_join_${workers}_$run")"
      topic="bench.join.$workers.$run.$RANDOM"
      lmsds produce --sources "$tree" --topic "$topic" --log-level error >/dev/null 2>"$work/produce.log" ||
        { cat "$work/produce.log" >&2; exit 1; }
      start=$(now)
      start_workers "join-$workers-$run" "$workers" --topic "$topic" --group "bench-join-$workers-$run"
      wait_workers
      logs=()
      for ((i = 0; i < workers; i++)); do logs+=("$work/join-$workers-$run-$i.log"); done
      read -r -a joins <<<"$(join_seconds "$start" "${logs[@]}")"
      loaded=$(psql -X -At "$url" -c "SELECT COUNT(*) FROM lms.fileledger WHERE outcome = 'loaded'")
      printf 'join  workers=%s run=%s first_assignment_s=[%s] exit_status=[%s] files_loaded=%s/%s\n' \
        "$workers" "$run" "${joins[*]}" "$statuses" "$loaded" "$files"
      if [[ " ${joins[*]} " == *" never "* || " $statuses " =~ \ [1-9] ]]; then
        failures+="workers=$workers run=$run: a worker never got an assignment or exited non-zero"
        failures+=" (BENCH_FLEET_KEEP_LOGS=DIR keeps the workers' logs)"$'\n'
        if [[ -n "${BENCH_FLEET_KEEP_LOGS:-}" ]]; then
          mkdir -p "$BENCH_FLEET_KEEP_LOGS" && cp "${logs[@]}" "$BENCH_FLEET_KEEP_LOGS/"
        fi
      fi
      mapfile -t sorted < <(printf '%s\n' "${joins[@]}" | grep -v never | sort -g || true)
      if ((${#sorted[@]} > 0)); then
        fastest[$workers]+="${sorted[0]} "
        slowest[$workers]+="${sorted[-1]} "
      fi
    done
  done
  for workers in ${BENCH_FLEET_WORKERS:-1 2 4}; do
    # shellcheck disable=SC2086 # the lists split on purpose
    read -r smin smed <<<"$(min_median ${slowest[$workers]:-0})"
    # shellcheck disable=SC2086
    read -r fmin fmed <<<"$(min_median ${fastest[$workers]:-0})"
    printf 'join  workers=%s  all assigned (last worker'"'"'s first assignment): min=%5.2fs median=%5.2fs   first worker: min=%5.2fs median=%5.2fs  (%s runs)\n' \
      "$workers" "$smin" "$smed" "$fmin" "$fmed" "$runs"
  done
  [[ -z "$failures" ]] || printf 'join  FAILED: %s' "$failures"
  kill "$broker_pid" 2>/dev/null || true
fi

# 2. Broker loss. Per run a fresh database and its own broker; the default topic and group.
if [[ -z "${BENCH_SKIP_LOSS:-}" ]]; then
  loss_workers="${BENCH_FLEET_LOSS_WORKERS:-2}"
  to_loaded=() to_exit=() produce_s=()
  loss_failed=""
  for ((run = 1; run <= runs; run++)); do
    url="$(fresh_db "bench_loss_$run")"
    start_broker
    lmsds produce --sources "$tree" --summary-format json >"$work/produce-1.json" 2>"$work/produce-1.log" ||
      { cat "$work/produce-1.log" >&2; exit 1; }
    published=$(psql -X -At "$url" -c "SELECT COUNT(*) FROM lms.fileledger WHERE outcome = 'published'")
    kill -KILL "$broker_pid"
    wait "$broker_pid" 2>/dev/null || true
    start_broker "$broker_port"  # empty: in-memory storage
    restarted=$(now)
    lmsds produce --sources "$tree" --summary-format json >"$work/produce-2.json" 2>"$work/produce-2.log" ||
      { cat "$work/produce-2.log" >&2; exit 1; }
    produced=$(now)
    start_workers "loss-$run" "$loss_workers"
    wait_workers
    exited=$(now)
    kill "$broker_pid" 2>/dev/null || true
    logs=()
    for ((i = 0; i < loss_workers; i++)); do logs+=("$work/loss-$run-$i.log"); done
    read -r -a joins <<<"$(join_seconds "$produced" "${logs[@]}")"
    read -r last loaded once dupes < <(psql -X -At -F ' ' "$url" -c "
      WITH per_file AS (
        SELECT COUNT(*) FILTER (WHERE outcome = 'loaded') AS loaded
        FROM lms.fileledger GROUP BY provider, relativepath, sha256)
      SELECT (SELECT EXTRACT(EPOCH FROM MAX(finishedat)) FROM lms.fileledger WHERE outcome = 'loaded'),
             (SELECT COUNT(*) FROM lms.fileledger WHERE outcome = 'loaded'),
             (SELECT COUNT(*) FROM per_file WHERE loaded = 1),
             (SELECT COUNT(*) FROM lms.fileledger WHERE outcome = 'duplicate')")
    republished=$(python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
print(sum(p["republished_lost"] for p in s["providers"].values()))' "$work/produce-2.json")
    a=$(echo "${last:-0} - $restarted" | bc -l)
    b=$(echo "$exited - $restarted" | bc -l)
    p=$(echo "$produced - $restarted" | bc -l)
    printf 'loss  run=%s published_before=%s produce_after_restart=%.2fs republished_lost=%s workers=%s first_assignment_after_produce_s=[%s] exit_status=[%s] files_loaded=%s once=%s/%s duplicates=%s  restart→last_loaded=%.2fs restart→workers_exit=%.2fs (incl. %ss idle)\n' \
      "$run" "$published" "$p" "$republished" "$loss_workers" "${joins[*]}" "$statuses" "$loaded" "$once" "$files" "$dupes" "$a" "$b" "$idle"
    if [[ "$republished" != "$published" || "$loaded" != "$files" || "$once" != "$files" || " $statuses " =~ \ [1-9] ]]; then
      loss_failed+="run=$run: $republished of $published republished, $loaded loaded rows, $once of $files files loaded exactly once, worker exit status [$statuses]"$'\n'
      if [[ -n "${BENCH_FLEET_KEEP_LOGS:-}" ]]; then
        mkdir -p "$BENCH_FLEET_KEEP_LOGS" && cp "${logs[@]}" "$work"/produce-*.json "$BENCH_FLEET_KEEP_LOGS/"
      fi
    else
      to_loaded+=("$a"); to_exit+=("$b"); produce_s+=("$p")
    fi
  done
  if ((${#to_loaded[@]} > 0)); then
    read -r lmin lmed <<<"$(min_median "${to_loaded[@]}")"
    read -r emin emed <<<"$(min_median "${to_exit[@]}")"
    read -r pmin pmed <<<"$(min_median "${produce_s[@]}")"
    printf 'loss  %s files, %s workers: restart→last file loaded min=%5.2fs median=%5.2fs; restart→workers exit min=%5.2fs median=%5.2fs; of which the plain produce min=%5.2fs median=%5.2fs  (%s good runs of %s)\n' \
      "$files" "$loss_workers" "$lmin" "$lmed" "$emin" "$emed" "$pmin" "$pmed" "${#to_loaded[@]}" "$runs"
  fi
  [[ -z "$loss_failed" ]] || printf 'loss  FAILED: %s' "$loss_failed"
fi
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) at end"
[[ -z "${failures:-}${loss_failed:-}" ]]
