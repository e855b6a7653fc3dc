#!/usr/bin/env bash
# Screenshots of the ledger pages as a person sees them, in headless Chromium: the overview and
# one file's page, on a desktop window and on a phone-sized one (390×844).
#
# Usage: scripts/ledger-screenshot.sh [--database URL] [--out DIR]
# Without --database it loads the bundled sample (samples/BestLMS) into a temporary SQLite file,
# then a users file older than one already applied (superseded) and one missing a required
# column (rejected), so that every kind of outcome shows. PNGs go to DIR (default
# .demo/screenshots).
set -euo pipefail
cd "$(dirname "$0")/.."

database=""
out=".demo/screenshots"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --database) database="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "usage: $0 [--database URL] [--out DIR]" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh chromium
swift build --product lmsds
bin="$(swift build --show-bin-path)/lmsds"
chromium_bin="$(command -v chromium)"

work="$(mktemp -d -t lmsds-screenshots-XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "$database" ]]; then
  database="sqlite:$work/lms.sqlite"
  provider="$work/sources/BestLMS"
  mkdir -p "$work/sources"
  cp -R samples/BestLMS "$provider"
  "$bin" load --csvpath "$provider" --database "$database" --settle-seconds 0 --log-level warning
  # Older than the users snapshot already applied (2020-11-01): superseded.
  cp "$provider/users/2020-09-18-15-05-01.csv" "$provider/users/2020-09-18-00-00-00.csv"
  # No EmailAddress column: rejected.
  printf 'SourceSystemIdentifier,SourceSystem,UserRole,Name,CreateDate,LastModifiedDate\n100032890,BestLMS,student,Mary Archer,2020-08-20 12:34:56,2020-11-02 00:00:00\n' \
    > "$provider/users/2020-11-02-00-00-00.csv"
  status=0
  "$bin" load --csvpath "$provider" --database "$database" --settle-seconds 0 --log-level error || status=$?
  # 3: done, with a rejected file — which is what this second load is for.
  if [[ "$status" -ne 3 ]]; then echo "ledger-screenshot: second load exited $status, expected 3" >&2; exit 1; fi
fi

"$bin" serve --database "$database" --http-port 0 > "$work/serve.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'listening on http://[^ ]*' "$work/serve.log" | head -1 | sed 's/listening on //')" || true
  [[ -n "$url" ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/serve.log" >&2; exit 1; fi
  sleep 0.1
done
if [[ -z "$url" ]]; then echo "ledger-screenshot: lmsds serve did not start" >&2; cat "$work/serve.log" >&2; exit 1; fi

browse() {
  # Chromium refuses to run as root without --no-sandbox; a private profile keeps runs apart.
  "$chromium_bin" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --force-device-scale-factor=1 --user-data-dir="$work/chromium" "$@" 2>/dev/null
}

# The page of the newest rejected file, else of the newest file, found in the overview's DOM.
overview_dom="$(browse --dump-dom "$url/")"
file_path="$(grep -o 'data-outcome="rejected"><span[^>]*>[^<]*</span><a class="path" href="/files/[0-9]*"' <<<"$overview_dom" | grep -o '/files/[0-9]*' | head -1)" || true
if [[ -z "$file_path" ]]; then
  file_path="$(grep -o 'href="/files/[0-9]*"' <<<"$overview_dom" | grep -o '/files/[0-9]*' | head -1)" || true
fi

mkdir -p "$out"
shoot() { browse --window-size="$2" --screenshot="$out/$1.png" "$3" >/dev/null; echo "$out/$1.png"; }
shoot overview-desktop 1280,1600 "$url/"
shoot overview-phone 390,844 "$url/"
shoot overview-phone-long 390,3200 "$url/"
if [[ -n "$file_path" ]]; then
  shoot file-desktop 1280,1400 "$url$file_path"
  shoot file-phone 390,844 "$url$file_path"
  shoot file-phone-long 390,2000 "$url$file_path"
fi
