#!/usr/bin/env bash
# Remakes the runner's start-up profile, publish/mesos-executor.mibc: the methods the executor runs while it starts,
# subscribes, launches, kills and supervises tasks and shuts down. publish-executor.sh precompiles those methods, and
# only those, into the single file (a partial ReadyToRun image: README, "Publish settings and figures").
#   bash publish/profile-executor.sh [work-dir]
# Run it after changing what the executor runs (a renamed or new method on those paths is JIT-compiled until then;
# a stale profile still works, it just covers less). Steps: publish the full image (--no-profile), run the whole-process
# benchmark's scenario on it with the runtime's own EventPipe tracing on (environment variables, no tool), and turn
# the traces into the profile with tools/Mesos.StartupProfile, resolved against the trimmed assemblies that ran.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/mesos-executor-profile.XXXXXX")}
mkdir -p "$work/traces" && rm -f "$work"/traces/*.nettrace
bash "$root/publish/publish-executor.sh" --no-profile --artifacts "$work/artifacts" "$work/full" >&2
dotnet build -c Release "$root/tools/Mesos.StartupProfile" -v quiet -nologo >&2
# Keywords: Loader 0x8, JIT 0x10, Type 0x80000, CompilationDiagnostic 0x2000000000 (precompiled code looked up),
# MethodDiagnostic 0x4000000000 (a method's owner and type arguments), and the rest dotnet-pgo asks for. {pid}: a file
# per executor process (the benchmark starts several).
bash "$root/bench/runner/run.sh" "$work/full/mesos-executor" -- --runs 3 \
  --env DOTNET_EnableEventPipe=1 --env "DOTNET_EventPipeOutputPath=$work/traces/trace-{pid}.nettrace" \
  --env 'DOTNET_EventPipeConfig=Microsoft-Windows-DotNETRuntime:0x1F000080018:5' > "$work/bench.txt"
"$root/tools/Mesos.StartupProfile/bin/Release/net10.0/Mesos.StartupProfile" make \
  --assemblies "$work/artifacts/obj/Mesos.Executor.Runner/release_linux-x64/linked" \
  --out "$root/publish/mesos-executor.mibc" --list "$work/methods.tsv" "$work/traces"
echo "profile: $root/publish/mesos-executor.mibc (methods by first use: $work/methods.tsv)"
