#!/usr/bin/env bash
# The fleet's two timings with the defaults a user gets (no --kafka-option), on a Tansu broker:
#   1. join: seconds from starting 1, 2 and 4 `lmsds work` processes together to each one's first
#      partition assignment (its "joined the consumer group" line, read from --log-format json);
#   2. broker loss: a plain `lmsds produce` publishes the tree, no worker reads it, the broker is
#      killed (SIGKILL) and restarted empty on the same port (topic gone); then the cron's next plain
#      `lmsds produce` (it republishes files the ledger holds as `published` that the topic lost) and
#      workers with --exit-when-idle. Seconds from the restarted broker accepting connections to the
#      last file recorded `loaded`, and to the workers' exit; every file must be loaded exactly once;
#   3. throughput (issue 9): the 2.5× tree over 4 providers, `lmsds load` of it against 1 worker
#      already in the group and a plain `produce`, then 2 workers (fresh database and broker each):
#      seconds from the produce's start to the last file recorded `loaded`, ratio to the load, the
#      speed-up of 2 workers over 1, peak RSS, and where the CPU went meanwhile (postgres, the
#      workers, the broker, the rest of the machine) with what PostgreSQL's backends were waiting on.
# Each case runs BENCH_FLEET_RUNS times (3); min and median are printed.
#
#   bench/fleet.sh                                        # builds a release binary, as the others do
#   LMSDS_BIN=/abs/path/to/lmsds bench/fleet.sh           # a binary built elsewhere, no build here
# Knobs: BENCH_FLEET_SCALE (0.05) and BENCH_FLEET_PROVIDERS (4) for bench/generate_tree.py,
# BENCH_FLEET_WORKERS ("1 2 4", the join case), BENCH_FLEET_LOSS_WORKERS (2, the loss case),
# BENCH_FLEET_IDLE (5, --exit-when-idle seconds), BENCH_SKIP_JOIN=1 / BENCH_SKIP_LOSS=1 /
# BENCH_SKIP_THROUGHPUT=1, BENCH_FLEET_THROUGHPUT_SCALE (2.5) and BENCH_FLEET_THROUGHPUT_RUNS
# (BENCH_FLEET_RUNS) for the throughput case,
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
samplers=() # CPU and pg_stat_activity samplers of the throughput case
cleanup() {
  local pid
  for pid in "${pids[@]}" "${brokers[@]}" "${samplers[@]}"; do kill "$pid" 2>/dev/null || true; done
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

# Starts N workers on $sources at once, their stderr (JSON lines) in $work/$label-$i.log, their peak RSS (kB)
# and user and system CPU seconds in $work/$label-$i.log.time; `timeout` bounds a worker that never
# drains (the stranded limit is 120 s) and signals the whole group (GNU time and the worker).
start_workers() { # label count [work options…]
  local label="$1" count="$2" i
  shift 2
  pids=()
  for ((i = 0; i < count; i++)); do
    DATABASE_URL="$url" KAFKA_BROKERS="127.0.0.1:$broker_port" \
      LD_LIBRARY_PATH="$LMSDS_KAFKA_LIBRARY_PATH" timeout 240 \
      /usr/bin/time -f "%M %U %S" -o "$work/$label-$i.log.time" "$bin" work \
      --sources "$sources" --exit-when-idle "$idle" --log-format json "$@" \
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
sources="$tree"  # the workers'
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
# 3. Throughput (issue 9): the 2.5× tree over 4 providers, per run on fresh databases: `lmsds load`
# of it; then, on a fresh broker (default topic and group), 1 worker started and in the group, as a
# deployment's workers are all night, and a plain `lmsds produce`; then the same with 2 workers.
# End to end = from the produce's start to the ledger's last `loaded` FinishedAt (the workers'
# clock), so neither the join nor the --exit-when-idle wait is in it. Where the CPU went from the
# produce's start: postgres (the postmaster, its live children, and the exited
# backends it reaped: its cutime/cstime), the workers (GNU time's user+sys), the broker, the rest of
# the machine (/proc/stat), sampled every 0.5 s; and what PostgreSQL's client backends were doing
# (pg_stat_activity's state and wait event, sampled every 0.5 s).
if [[ -z "${BENCH_SKIP_THROUGHPUT:-}" ]]; then
  big="$work/big"
  big_scale="${BENCH_FLEET_THROUGHPUT_SCALE:-2.5}"
  tp_runs="${BENCH_FLEET_THROUGHPUT_RUNS:-$runs}"
  python3 bench/generate_tree.py "$big" --scale "$big_scale" --providers "${BENCH_FLEET_PROVIDERS:-4}"
  find "$big" -type f -exec touch -d '-1 hour' {} +
  sources="$big"
  big_files=$(find "$big" -name '*.csv' | wc -l)
  big_rows=$(($(find "$big" -name '*.csv' -exec cat {} + | wc -l) - big_files))
  echo "throughput tree: $big_files files, $big_rows rows over ${BENCH_FLEET_PROVIDERS:-4} providers (generate_tree.py --scale $big_scale)"

  # The server's postmaster is its checkpointer's parent (none when the server is not on this machine).
  checkpointer=$(psql -X -At "$admin" -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")
  postmaster=""
  if [[ "$(cat "/proc/$checkpointer/comm" 2>/dev/null)" == postgres ]]; then
    postmaster=$(awk '{ print $4 }' "/proc/$checkpointer/stat")
  else
    echo "throughput: the PostgreSQL server is not a local process; its CPU is not sampled"
  fi
  cat >"$work/cpu.py" <<'PY'
# argv: postmaster broker interval → lines "epoch postgres_s broker_s machine_busy_s machine_all_s"
# (cumulative CPU seconds); interval 0: one line.
import os, sys, time
hz = os.sysconf("SC_CLK_TCK")
postmaster, broker, interval = sys.argv[1], sys.argv[2], float(sys.argv[3])

def stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    return s[s.rindex(")") + 2:].split()  # [0] is field 3 (state): ppid [1], utime [11], stime [12]

def own(f):
    return int(f[11]) + int(f[12]) if f else 0

def sample():
    pg = 0
    f = stat(postmaster) if postmaster else None
    if f:
        pg = own(f) + int(f[13]) + int(f[14])  # cutime, cstime: the backends it reaped
        for d in os.listdir("/proc"):
            if d.isdigit() and d != postmaster:
                c = stat(d)
                if c and c[1] == postmaster:
                    pg += own(c)
    b = stat(broker) if broker else None
    with open("/proc/stat") as fh:
        cpu = [int(x) for x in fh.readline().split()[1:9]]
    total = sum(cpu)
    busy = total - cpu[3] - cpu[4]
    return f"{time.time():.3f} {pg / hz:.2f} {own(b) / hz:.2f} {busy / hz:.2f} {total / hz:.2f}"

while True:
    print(sample(), flush=True)
    if interval <= 0:
        break
    time.sleep(interval)
PY
  cat >"$work/share.py" <<'PY'
# argv: samples t_produce t_last_loaded t_exit waits time_files… → the CPU lines of one fleet run.
import collections, sys
samples_path, t1, t_last, t_exit, waits_path = sys.argv[1], *map(float, sys.argv[2:5]), sys.argv[5]
rows = [list(map(float, line.split())) for line in open(samples_path) if line.strip()]
start = min((r for r in rows if r[0] >= t1 - 0.25), key=lambda r: r[0], default=rows[0])
end = max((r for r in rows if r[0] <= t_last + 0.25), key=lambda r: r[0], default=rows[-1])
final = rows[-1]
span = end[0] - start[0]
workers = 0.0
for path in sys.argv[6:]:
    try:  # %M %U %S, after any "Command exited…" line; nothing when `timeout` killed it
        workers += sum(map(float, open(path).read().split()[-2:]))
    except (OSError, ValueError):
        print(f"  ({path}: no CPU figures)")
pg, broker = end[1] - start[1], end[2] - start[2]
busy, total = end[3] - start[3], end[4] - start[4]
cores = total / span if span > 0 else 0
# The workers' CPU is their whole run's: joining and the idle wait after the last file cost little.
others = max(busy - pg - broker - workers, 0.0)
def share(x):
    return f"{x:6.2f}s ({x / span:4.2f} cores, {100 * x / busy if busy else 0:3.0f} % of busy)"
print(f"  cpu produce start→last loaded ({span:.1f}s, machine {cores:.0f} cores, busy {busy / span:4.2f} cores):")
print(f"    postgres {share(pg)}   lmsds work {share(workers)}   broker {share(broker)}   other processes {share(others)}")
fleet = pg + workers + broker
if fleet > 0:
    print(f"    of the fleet's own CPU ({fleet:.2f}s, {fleet / span:.2f} cores): postgres {100 * pg / fleet:.0f} %, workers {100 * workers / fleet:.0f} %, broker {100 * broker / fleet:.0f} %")
print(f"    after the last file (idle wait, {final[0] - end[0]:.1f}s): postgres {final[1] - end[1]:.2f}s broker {final[2] - end[2]:.2f}s machine busy {final[3] - end[3]:.2f}s")
# pg_stat_activity samples: "epoch" lines, then one "state|wait" line per client backend.
counts, n, in_window = collections.Counter(), 0, False
for line in open(waits_path):
    line = line.strip()
    if not line:
        continue
    if line.startswith("@"):
        in_window = t1 <= float(line[1:]) <= t_last
        n += in_window
    elif in_window:
        counts[line] += 1
if n:
    busy_backends = sum(c for k, c in counts.items() if not k.startswith("idle|"))
    top = ", ".join(f"{k} {c / n:.2f}" for k, c in counts.most_common(6))
    print(f"    postgres client backends ({n} samples): {busy_backends / n:.2f} active on average; per sample: {top}")
PY

  cpu_sample() { # one line more in $work/cpu.samples
    python3 "$work/cpu.py" "$postmaster" "${broker_pid:-}" 0 >>"$work/cpu.samples"
  }
  cpu_sampler_start() { # a first line in $work/cpu.samples, then one every 0.5 s
    cpu_sample >"$work/cpu.samples"
    python3 "$work/cpu.py" "$postmaster" "${broker_pid:-}" 0.5 >>"$work/cpu.samples" &
    samplers+=("$!")
  }
  waits_sampler_start() { # database → samples in $work/waits
    local database="$1"
    : >"$work/waits"
    (
      while :; do
        echo "@$(now)"
        psql -X -At "$admin" -c "SELECT state || '|' || COALESCE(wait_event_type || ':' || wait_event,
          CASE WHEN state = 'active' THEN 'CPU' ELSE '-' END)
          FROM pg_stat_activity WHERE datname = '$database' AND backend_type = 'client backend'
          AND pid <> pg_backend_pid()" 2>/dev/null || true
        sleep 0.5
      done >>"$work/waits"
    ) &
    samplers+=("$!")
  }
  samplers_stop() {
    if ((${#samplers[@]} > 0)); then
      kill "${samplers[@]}" 2>/dev/null || true
      wait "${samplers[@]}" 2>/dev/null || true
    fi
    samplers=()
  }

  # One fleet run: fresh database and broker, produce, N workers; prints its lines, sets tp_seconds
  # (empty when a file was not loaded exactly once or a worker failed) and tp_rss (kB, largest worker).
  fleet_throughput() { # workers run
    local n="$1" run="$2" database="bench_tp_${1}_$2" t_start t0 t1 t2 i logs=() times=() joins=()
    url="$(fresh_db "$database")"
    start_broker
    # The workers are services that run all night: started, and in the group, before the cron's
    # produce. A produce of an empty root first creates the topic, as an earlier night would have
    # (it exits 3: nothing to publish).
    mkdir -p "$work/empty"
    local status=0
    lmsds produce --sources "$work/empty" --log-level error >/dev/null 2>"$work/produce.log" || status=$?
    ((status == 3)) || { cat "$work/produce.log" >&2; exit 1; }
    # Before the workers start: their idle timeout runs from their join, and the settle's VACUUM
    # of every database can outlast it.
    settle_server
    cpu_sampler_start
    waits_sampler_start "$database"
    for ((i = 0; i < n; i++)); do logs+=("$work/tp-$n-$run-$i.log"); done
    t_start=$(now)
    start_workers "tp-$n-$run" "$n"
    local joined=0 deadline=$(($(date +%s) + 60))
    while ((joined < n && $(date +%s) < deadline)); do
      sleep 0.2
      read -r -a joins <<<"$(join_seconds "$t_start" "${logs[@]}")"
      joined=0
      for i in "${joins[@]}"; do [[ "$i" == never ]] || joined=$((joined + 1)); done
    done
    t0=$(now)
    DATABASE_URL="$url" KAFKA_BROKERS="127.0.0.1:$broker_port" LD_LIBRARY_PATH="$LMSDS_KAFKA_LIBRARY_PATH" \
      /usr/bin/time -f "%M %U %S" -o "$work/produce.time" "$bin" produce --sources "$big" \
      --summary-format json >"$work/produce.json" 2>"$work/produce.log" ||
      { cat "$work/produce.log" >&2; exit 1; }
    t1=$(now)
    wait_workers
    t2=$(now)
    samplers_stop
    cpu_sample
    kill "$broker_pid" 2>/dev/null || true
    for ((i = 0; i < n; i++)); do times+=("$work/tp-$n-$run-$i.log.time"); done
    local first last loaded once dupes others by
    read -r first last loaded once dupes others by < <(psql -X -At -F ' ' "$url" -c "
      WITH per_file AS (
        SELECT COUNT(*) FILTER (WHERE outcome = 'loaded') AS loaded
        FROM lms.fileledger GROUP BY provider, relativepath, sha256)
      SELECT (SELECT EXTRACT(EPOCH FROM MIN(startedat)) FROM lms.fileledger WHERE outcome = 'loaded'),
             (SELECT EXTRACT(EPOCH FROM MAX(finishedat)) FROM lms.fileledger WHERE outcome = 'loaded'),
             (SELECT COUNT(*) FROM lms.fileledger WHERE outcome = 'loaded'),
             (SELECT COUNT(*) FROM per_file WHERE loaded = 1),
             (SELECT COUNT(*) FROM lms.fileledger WHERE outcome = 'duplicate'),
             (SELECT COUNT(*) FROM lms.fileledger WHERE outcome NOT IN ('loaded', 'published', 'duplicate')),
             (SELECT string_agg(c::text, '+' ORDER BY c DESC) FROM
               (SELECT COUNT(*) AS c FROM lms.fileledger WHERE outcome = 'loaded' GROUP BY appliedby) x)")
    tp_rss=0
    for i in "${times[@]}"; do
      rss=$(tail -n 1 "$i" | cut -d' ' -f1)
      tp_rss=$((rss > tp_rss ? rss : tp_rss))
    done
    tp_seconds=$(echo "${last:-0} - $t0" | bc -l)
    printf '%-34s %7.2fs  ratio_to_load %5.2f  peak_rss %sMB (worker; produce %sMB)\n' \
      "fleet $n worker(s) run=$run" "$tp_seconds" "$(echo "$tp_seconds / $load_seconds" | bc -l)" \
      "$((tp_rss / 1024))" "$(($(tail -n 1 "$work/produce.time" | cut -d' ' -f1) / 1024))"
    read -r _ produce_user produce_sys < <(tail -n 1 "$work/produce.time")
    printf '  workers joined %.2fs after their start [%s]; produce %.2fs (%.2fs CPU); produce start→first file loaded %.2fs, first file→last loaded %.2fs, produce start→workers exit %.2fs (incl. %ss idle); exit_status=[%s] loaded=%s once=%s/%s duplicates=%s other_outcomes=%s files_per_worker=%s\n' \
      "$(echo "$t0 - $t_start" | bc -l)" "${joins[*]}" "$(echo "$t1 - $t0" | bc -l)" "$(echo "$produce_user + $produce_sys" | bc -l)" "$(echo "${first:-0} - $t0" | bc -l)" "$(echo "${last:-0} - ${first:-0}" | bc -l)" \
      "$(echo "$t2 - $t0" | bc -l)" "$idle" "$statuses" "$loaded" "$once" "$big_files" "$dupes" "$others" "$by"
    python3 "$work/share.py" "$work/cpu.samples" "$t0" "${last:-$t2}" "$t2" "$work/waits" "${times[@]}"
    if [[ "$loaded" != "$big_files" || "$once" != "$big_files" || "$dupes" != 0 || " $statuses " =~ \ [1-9] ]]; then
      tp_failed+="workers=$n run=$run: $loaded loaded rows, $once of $big_files files loaded exactly once, $dupes duplicates, worker exit status [$statuses]"$'\n'
      if [[ -n "${BENCH_FLEET_KEEP_LOGS:-}" ]]; then
        mkdir -p "$BENCH_FLEET_KEEP_LOGS" && cp "${logs[@]}" "$BENCH_FLEET_KEEP_LOGS/"
      fi
      tp_seconds=""
    fi
  }

  tp_failed=""
  loads=() ones=() twos=() ratios=() speedups=()
  for ((run = 1; run <= tp_runs; run++)); do
    echo "throughput run=$run: load average $(cut -d' ' -f1-3 /proc/loadavg)"
    url="$(fresh_db "bench_tp_load_$run")"
    broker_pid=""
    cpu_sampler_start
    read -r load_seconds load_rss < <(timed_load "$url" --sources "$big")
    samplers_stop
    cpu_sample
    read -r _ pg0 _ busy0 all0 < <(head -n 1 "$work/cpu.samples")
    read -r _ pg1 _ busy1 all1 < <(tail -n 1 "$work/cpu.samples")
    read -r _ load_user load_sys < <(tail -n 1 "$work/rss")
    printf '%-34s %7.2fs  ratio_to_load %5.2f  peak_rss %sMB\n' "load run=$run" "$load_seconds" 1 "$((load_rss / 1024))"
    printf '  cpu: lmsds load %.2fs, postgres %.2fs, machine busy %.2fs of %.2fs (%s cores)\n' \
      "$(echo "$load_user + $load_sys" | bc -l)" "$(echo "$pg1 - $pg0" | bc -l)" "$(echo "$busy1 - $busy0" | bc -l)" \
      "$(echo "$all1 - $all0" | bc -l)" "$(nproc)"
    loads+=("$load_seconds")
    fleet_throughput 1 "$run"
    one="$tp_seconds"
    [[ -z "$one" ]] || { ones+=("$one"); ratios+=("$(echo "$one / $load_seconds" | bc -l)"); }
    fleet_throughput 2 "$run"
    if [[ -n "$tp_seconds" ]]; then
      twos+=("$tp_seconds")
      [[ -z "$one" ]] || speedups+=("$(echo "$one / $tp_seconds" | bc -l)")
      [[ -z "$one" ]] || printf '  2 workers: speed-up over 1 worker %.2f×, ratio to load %.2f\n' \
        "$(echo "$one / $tp_seconds" | bc -l)" "$(echo "$tp_seconds / $load_seconds" | bc -l)"
    fi
  done
  summary() { # label values…
    local label="$1"; shift
    if (($# > 0)); then
      read -r a b <<<"$(min_median "$@")"
      printf 'throughput %-32s min=%6.2f median=%6.2f  (%s runs)\n' "$label" "$a" "$b" "$#"
    fi
  }
  summary "load (s)" "${loads[@]}"
  summary "fleet 1 worker end to end (s)" "${ones[@]}"
  summary "fleet 1 worker / load" "${ratios[@]}"
  summary "fleet 2 workers end to end (s)" "${twos[@]}"
  summary "speed-up 2 workers over 1" "${speedups[@]}"
  [[ -z "$tp_failed" ]] || printf 'throughput FAILED: %s' "$tp_failed"
fi
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) at end"
[[ -z "${failures:-}${loss_failed:-}${tp_failed:-}" ]]
