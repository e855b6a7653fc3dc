#!/usr/bin/env bash
# Runs the whole test suite the way CI does: installs the system packages the build links
# against when any is missing, the test tools (sqlglot, in a private venv), starts a throw-away
# Tansu broker (Kafka protocol) and a private PostgreSQL server, then runs `swift test`.
# Extra arguments go to `swift test` (e.g. --filter Store, or --skip-build after `swift build --build-tests`).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

# SQL Server text is checked by a T-SQL parser (scripts/tsql-parse.py): sqlglot, in a private venv.
if ! .tools/venv/bin/python -c "import sqlglot" 2>/dev/null; then
  echo "test.sh: installing sqlglot in .tools/venv" >&2
  if ! python3 -m venv .tools/venv; then
    scripts/install-deps.sh python3-venv
    python3 -m venv .tools/venv
  fi
  .tools/venv/bin/pip install --quiet sqlglot
fi
export LMSDS_PYTHON="$PWD/.tools/venv/bin/python"

# A Kafka-protocol broker for the Kafka and fleet tests, stopped however the run ends. In CI a
# broker that cannot start fails the run (the gated suites would otherwise be skipped).
if tansu_env="$(scripts/start-tansu.sh .tools)"; then
  eval "$tansu_env"
  trap 'kill "$LMSDS_TANSU_PID" 2>/dev/null || true' EXIT
  # librdkafka 2.16 (Debian's 2.0.2 cannot talk to Tansu) for the test process and every lmsds
  # process the tests start (they inherit the environment).
  export LD_LIBRARY_PATH="$LMSDS_KAFKA_LIBRARY_PATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
else
  echo "test.sh: could not start Tansu; the Kafka broker tests will be skipped (and fail under CI)" >&2
  if [[ -n "${CI:-}" ]]; then exit 1; fi
fi

# Not exec: the EXIT trap must still stop the broker.
scripts/with-postgres.sh swift test "$@"
