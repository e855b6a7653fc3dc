#!/usr/bin/env bash
# Pull throughput over loopback: `lmsds pull` of a generated night (the 2.5× tree by default) from a
# private sshd (scripts/start-sshd.sh), against a floor measured in the same run: OpenSSH's own
# `sftp` client fetching the same tree recursively over the same server. Then a second pull of the
# unchanged tree (everything already there), the cost a nightly run pays for files it has.
#
# Usage: bench/pull.sh [SCALE]      (release build; prints one line per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-2.5}"

scripts/install-deps.sh openssh-server openssh-client
swift build -c release --product lmsds >&2
bin="$(swift build -c release --show-bin-path)/lmsds"

work="$(mktemp -d "${TMPDIR:-/tmp}/lmsds-bench-pull.XXXXXX")"
eval "$(scripts/start-sshd.sh "$work/sshd")"
trap 'kill "$LMSDS_TEST_SSHD_PID" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 bench/generate_tree.py "$work/remote" --scale "$scale" >/dev/null
files=$(find "$work/remote" -type f | wc -l)
bytes=$(find "$work/remote" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
mb=$(echo "$bytes / 1048576" | bc -l)
now() { date +%s.%N; }

report() { # label seconds
  printf '%-22s files=%-6s MB=%6.1f  %6.2fs  %7.0f files/s  %6.1f MB/s\n' \
    "$1" "$files" "$mb" "$2" "$(echo "$files / $2" | bc -l)" "$(echo "$mb / $2" | bc -l)"
}

# Floor: OpenSSH's sftp client, one recursive get of the same tree.
start=$(now)
sftp -q -b - -i "$LMSDS_TEST_SSHD_IDENTITY" -P "$LMSDS_TEST_SSHD_PORT" \
  -o UserKnownHostsFile="$LMSDS_TEST_SSHD_KNOWN_HOSTS" -o StrictHostKeyChecking=yes \
  "$LMSDS_TEST_SSHD_USER@127.0.0.1" >/dev/null <<BATCH
lcd $work
get -r $work/remote floor
BATCH
floor=$(echo "$(now) - $start" | bc -l)
[[ "$(find "$work/floor" -type f | wc -l)" == "$files" ]] || { echo "sftp floor fetched a different tree" >&2; exit 1; }

pull() {
  "$bin" pull --from "sftp://$LMSDS_TEST_SSHD_USER@127.0.0.1:$LMSDS_TEST_SSHD_PORT$work/remote" \
    --to "$work/landed" --identity-file "$LMSDS_TEST_SSHD_IDENTITY" \
    --known-hosts "$LMSDS_TEST_SSHD_KNOWN_HOSTS" --settle-seconds 0 >"$work/summary"
}
start=$(now); pull; first=$(echo "$(now) - $start" | bc -l)
[[ "$(find "$work/landed" -type f | wc -l)" == "$files" ]] || { cat "$work/summary" >&2; echo "pull landed a different tree" >&2; exit 1; }
diff -r "$work/remote" "$work/landed" >/dev/null || { echo "pulled bytes differ from the remote" >&2; exit 1; }
start=$(now); pull; again=$(echo "$(now) - $start" | bc -l)

report "floor: sftp get -r" "$floor"
report "lmsds pull (new)" "$first"
printf '%-22s ratio to floor: %.2f\n' "" "$(echo "$first / $floor" | bc -l)"
report "lmsds pull (unchanged)" "$again"
