#!/usr/bin/env bash
# Whole-process benchmark of the minimal executors: the fake agent starts each exactly as a Mesos agent would and
# reports the medians of start -> SUBSCRIBE and idle RSS, with a trivial .NET program started the same way as the
# baseline. --published measures both minimal executors (low-level API and Generic Host); without it, the hosted one.
#   bench/measure-executor-start.sh [runs]              framework-dependent build (quick, for comparing code changes)
#   bench/measure-executor-start.sh --published [runs]  published as the runner is (publish/publish-executor.sh
#                                                       --project), against a hello world published the same way
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--published" ]]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/minimal-executor.XXXXXX")
  trap 'rm -rf "$out"' EXIT
  bash publish/publish-executor.sh --project bench/Mesos.Bench.HelloWorld/Mesos.Bench.HelloWorld.csproj "$out" >&2
  dotnet build -c Release bench/Mesos.Executor.RunnerBench -v quiet -nologo >&2
  # Two minimal executors: on the low-level API (the client's event stream) and on the Generic Host (AddMesosTaskRunner).
  for name in Mesos.Executor.LowLevelExecutor Mesos.Executor.MinimalExecutor; do
    bash publish/publish-executor.sh --project "bench/$name/$name.csproj" "$out" >&2
    echo "$name"
    bench/Mesos.Executor.RunnerBench/bin/Release/net10.0/Mesos.Executor.RunnerBench \
      "$out/$name" --start-only --runs "${2:-15}" --hello "$out/Mesos.Bench.HelloWorld"
  done
  exit
fi
dotnet build -c Release bench/Mesos.Executor.StartBench -v quiet -nologo >/dev/null
dotnet bench/Mesos.Executor.StartBench/bin/Release/net10.0/Mesos.Executor.StartBench.dll \
  bench/Mesos.Executor.MinimalExecutor/bin/Release/net10.0/Mesos.Executor.MinimalExecutor "${1:-15}"
