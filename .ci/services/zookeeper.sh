# shellcheck shell=bash
# Sourced by .ci/run (under `set -uo pipefail`): installs Debian's zookeeper package when missing, starts
# a standalone ZooKeeper server on 127.0.0.1 (free port, temporary data dir) and exports
# ZOOKEEPER_CONNECT=127.0.0.1:PORT for tests/Mesos.ZooKeeper.Tests. zookeeper.teardown stops it.

_zookeeper_setup() {
  local here tool dir address
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) || return 1
  tool="$here/../../tools/zookeeper-server.sh"
  if [ ! -f /usr/share/java/zookeeper.jar ] || ! command -v java > /dev/null 2>&1; then
    echo "CI: installing Debian's zookeeper package"
    if ! DEBIAN_FRONTEND=noninteractive apt-get update -qq > /dev/null \
      || ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends zookeeper > /dev/null; then
      echo "CI: could not install the zookeeper package (apt-get failed)" >&2
      return 1
    fi
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/ci-zookeeper.XXXXXX") || return 1
  # Owner: this shell (.ci/run); if it dies without running the teardown, the server goes too.
  if ! address=$(bash "$tool" start "$dir" "" "$$"); then
    echo "CI: the ZooKeeper server did not start (see above)" >&2
    return 1
  fi
  export ZOOKEEPER_CONNECT="$address"
  export ZOOKEEPER_SERVICE_DIR="$dir"
  echo "CI: ZooKeeper server at $ZOOKEEPER_CONNECT (data and log in $dir)"
}

_zookeeper_setup
_zookeeper_status=$?
unset -f _zookeeper_setup
[ "$_zookeeper_status" -eq 0 ]
