#!/usr/bin/env bash
# Start a throw-away OpenSSH server (Debian's openssh-server) for the `lmsds pull` tests: an
# unprivileged-style private sshd on a free loopback port, with a generated host key, a generated
# user key that may log in as the current user, and a second key that may not.
#
# Usage:  eval "$(scripts/start-sshd.sh [STATE_DIR])"
#         swift test --filter PullTests
#         kill "$LMSDS_TEST_SSHD_PID"; rm -r "$LMSDS_TEST_SSHD_STATE"
#
# STATE_DIR defaults to ./.tools/sshd; each run uses a fresh sub-directory of it. Everything meant
# for the caller goes to stdout as `export` lines; progress goes to stderr.
set -euo pipefail

log() { echo "start-sshd: $*" >&2; }
sshd=/usr/sbin/sshd
if [ ! -x "$sshd" ]; then log "$sshd is missing (Debian package openssh-server)"; exit 1; fi

base="${1:-./.tools/sshd}"
mkdir -p "$base"
base="$(cd "$base" && pwd)"
state="$(mktemp -d "$base/run-XXXXXX")"
chmod 700 "$state"

ssh-keygen -q -t ed25519 -N '' -C lmsds-test-host -f "$state/host_ed25519" >&2
ssh-keygen -q -t ed25519 -N '' -C lmsds-test-user -f "$state/user_ed25519" >&2
ssh-keygen -q -t ed25519 -N '' -C lmsds-test-stranger -f "$state/stranger_ed25519" >&2
cp "$state/user_ed25519.pub" "$state/authorized_keys"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
user="$(id -un)"

# Only loopback; no PAM (which needs root-owned configuration); keys only.
cat >"$state/sshd_config" <<CONFIG
ListenAddress 127.0.0.1
Port $port
HostKey $state/host_ed25519
PidFile $state/sshd.pid
AuthorizedKeysFile $state/authorized_keys
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers $user
Subsystem sftp internal-sftp
# The tests log in in parallel: never drop a handshake for being one too many.
MaxStartups 100
CONFIG

# sshd insists on its privilege-separation directory even when it never uses it.
if [ "$(id -u)" -eq 0 ]; then mkdir -p /run/sshd; fi

"$sshd" -t -f "$state/sshd_config" >&2
"$sshd" -f "$state/sshd_config" -E "$state/sshd.log"

for _ in $(seq 1 100); do
  if [ -s "$state/sshd.pid" ] && python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$port)))" 2>/dev/null; then
    pid="$(cat "$state/sshd.pid")"
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$state/host_ed25519.pub")" >"$state/known_hosts"
    log "sshd is accepting connections on 127.0.0.1:$port (pid $pid, state $state)"
    echo "export LMSDS_TEST_SSHD_HOST=127.0.0.1"
    echo "export LMSDS_TEST_SSHD_PORT=$port"
    echo "export LMSDS_TEST_SSHD_USER=$user"
    echo "export LMSDS_TEST_SSHD_IDENTITY=$state/user_ed25519"
    echo "export LMSDS_TEST_SSHD_STRANGER_IDENTITY=$state/stranger_ed25519"
    echo "export LMSDS_TEST_SSHD_KNOWN_HOSTS=$state/known_hosts"
    echo "export LMSDS_TEST_SSHD_HOST_KEY=$state/host_ed25519.pub"
    echo "export LMSDS_TEST_SSHD_PID=$pid"
    echo "export LMSDS_TEST_SSHD_STATE=$state"
    exit 0
  fi
  sleep 0.1
done
log "sshd did not accept connections on port $port within 10 s; its log:"
cat "$state/sshd.log" >&2 || true
exit 1
