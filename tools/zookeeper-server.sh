#!/usr/bin/env bash
# A standalone ZooKeeper server for tests, run from Debian's `zookeeper` package (its Java main class
# with the package's jar: the init scripts want /etc and a system user, tests want a throwaway server).
#
#   zookeeper-server.sh start DIR [PORT] [OWNER_PID]
#       Writes DIR/zoo.cfg, keeps data in DIR/data and the log in DIR/server.log, binds 127.0.0.1 on
#       PORT (default: a free one), waits until the server answers, prints 127.0.0.1:PORT.
#       With OWNER_PID, the server is stopped when that process goes away (and DIR removed, if it holds
#       a file named remove-with-owner).
#       Starting again with the same DIR and PORT restarts the server with its data (sessions survive).
#   zookeeper-server.sh stop DIR
#       Stops the server started in DIR (TERM, then KILL after 10 s).
#
# Used by .ci/services/zookeeper.sh and by the test fixture of tests/Mesos.ZooKeeper.Tests.
set -uo pipefail

JAR=/usr/share/java/zookeeper.jar
SLF4J=/usr/share/java/slf4j-simple.jar

die() { echo "zookeeper-server: $*" >&2; exit 2; }

alive() {
  local state
  [ -r "/proc/$1/stat" ] || return 1
  # Field 3 of /proc/PID/stat; a zombie (Z) is gone for our purposes.
  read -r _ _ state _ < "/proc/$1/stat" 2>/dev/null || return 1
  [ "$state" != Z ]
}

answers() {
  local reply
  reply=$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && printf srvr >&3 && cat <&3" 2>/dev/null)
  case "$reply" in *"Mode: standalone"*) return 0 ;; *) return 1 ;; esac
}

in_use() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

write_config() {
  cat > "$1/zoo.cfg" <<CFG
# Short ticks: sessions may be as short as 1 s (2 ticks), so expiry tests are quick.
tickTime=500
minSessionTimeout=1000
maxSessionTimeout=60000
dataDir=$1/data
clientPort=$2
clientPortAddress=127.0.0.1
# Tests open many connections from 127.0.0.1 (the default limit is 60 per address).
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=srvr,ruok,stat
# The transaction log is still written on every commit; only the fsync is skipped.
forceSync=no
CFG
}

start_on() { # DIR PORT -> 0 when the server answers, 1 when it died (port taken?), 2 on timeout
  local dir=$1 port=$2 pid i
  write_config "$dir" "$port"
  local cp=$JAR
  [ -f "$SLF4J" ] && cp="$cp:$SLF4J"
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$cp" \
    org.apache.zookeeper.server.ZooKeeperServerMain "$dir/zoo.cfg" >> "$dir/server.log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$dir/zookeeper.pid"
  echo "$port" > "$dir/port"
  for i in $(seq 1 300); do
    alive "$pid" || return 1
    answers "$port" && return 0
    sleep 0.1
  done
  return 2
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start DIR [PORT] [OWNER_PID] | stop DIR"

case "$cmd" in
  start)
    [ -f "$JAR" ] || die "$JAR not found: install Debian's zookeeper package (apt-get install zookeeper)"
    command -v java > /dev/null 2>&1 || die "java not found: install Debian's zookeeper package (it brings a JRE)"
    mkdir -p "$dir/data" || die "cannot create $dir/data"
    port=${3:-}
    owner=${4:-}
    if [ -f "$dir/zookeeper.pid" ] && alive "$(cat "$dir/zookeeper.pid")"; then
      die "a server started in $dir is still running (pid $(cat "$dir/zookeeper.pid")); stop it first"
    fi
    started=
    for attempt in 1 2 3 4 5; do
      candidate=$port
      if [ -z "$candidate" ]; then
        candidate=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        in_use "$candidate" && continue
      fi
      start_on "$dir" "$candidate"
      case $? in
        0) started=$candidate; break ;;
        2) bash "$0" stop "$dir"; die "the server did not answer on 127.0.0.1:$candidate within 30 s; see $dir/server.log" ;;
      esac
      # It died: most likely the port was taken meanwhile. A fixed port gets one more try (a restart
      # can race the old socket's release).
      [ -n "$port" ] && [ "$attempt" -ge 2 ] && break
      sleep 0.2
    done
    [ -n "$started" ] || die "the server did not start; last lines of $dir/server.log:
$(tail -n 15 "$dir/server.log" 2>/dev/null)"
    if [ -n "$owner" ]; then
      pid=$(cat "$dir/zookeeper.pid")
      (
        while alive "$owner" && alive "$pid"; do sleep 1; done
        if ! alive "$owner"; then
          bash "$0" stop "$dir"
          [ -f "$dir/remove-with-owner" ] && rm -rf "$dir"
        fi
      ) > /dev/null 2>&1 < /dev/null &
      disown
    fi
    echo "127.0.0.1:$started"
    ;;
  stop)
    [ -f "$dir/zookeeper.pid" ] || exit 0
    pid=$(cat "$dir/zookeeper.pid")
    if alive "$pid"; then
      kill -TERM "$pid" 2> /dev/null
      for i in $(seq 1 100); do
        alive "$pid" || break
        sleep 0.1
      done
      alive "$pid" && kill -KILL "$pid" 2> /dev/null
    fi
    rm -f "$dir/zookeeper.pid"
    ;;
  *)
    die "unknown command '$cmd'; usage: $0 start DIR [PORT] [OWNER_PID] | stop DIR"
    ;;
esac
