#!/usr/bin/env bash
# Runs every whole-process benchmark of the fetchable executor on the published binary and prints one table.
#   bench/runner/run.sh [path/to/mesos-executor] [-- extra options: --runs 15 --launches 200 --tasks 500 --idle-seconds 10 --start-only]
# Without a path it publishes first (publish/publish-executor.sh into publish/out). Baselines are measured in the
# same run (a hello world published the same way and started the same way, raw spawn/terminate), so a loaded machine
# shows in both.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exe=${1:-}
if [[ -z "$exe" || "$exe" == --* ]]; then
  bash "$root/publish/publish-executor.sh" >&2
  exe="$root/publish/out/mesos-executor"
else
  shift
fi
[[ "${1:-}" == "--" ]] && shift
hello=$(mktemp -d "${TMPDIR:-/tmp}/hello-world.XXXXXX")
trap 'rm -rf "$hello"' EXIT
bash "$root/publish/publish-executor.sh" --project "$root/bench/Mesos.Bench.HelloWorld/Mesos.Bench.HelloWorld.csproj" "$hello" >&2
dotnet build -c Release "$root/bench/Mesos.Executor.RunnerBench" -v quiet -nologo >&2
"$root/bench/Mesos.Executor.RunnerBench/bin/Release/net10.0/Mesos.Executor.RunnerBench" "$exe" --hello "$hello/Mesos.Bench.HelloWorld" "$@"
