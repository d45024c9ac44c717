#!/usr/bin/env bash
# Side by side with the Node seed (npm mesos-framework 0.5.3), in one run on this machine:
#   - installs the seed into a temporary folder (nothing of it is kept or committed),
#   - publishes our executor exactly as it ships (publish/publish-executor.sh: self-contained, trimmed, ReadyToRun,
#     single file),
#   - lets the fake agent-style launcher start each of them N times: start -> SUBSCRIBE received, RSS after it,
#   - decodes the recorded RecordIO JSON executor event stream with the seed's parser and ours,
#   - prints the table and writes it, with a ratio chart, into bench/README.md and bench/seed-comparison/ratios.svg.
# Usage: bash bench/seed-comparison/run.sh [runs]           (runs >= 10, default 15)
# SEEDBENCH_EXECUTOR=minimal measures the minimal example executor (bench/Mesos.Executor.MinimalExecutor, published
# the same way) instead of the runner; that was the stand-in while the runner could not subscribe yet.
# Loopback only. Not part of `dotnet test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-15}
executor=${SEEDBENCH_EXECUTOR:-runner}
recordings=${SEEDBENCH_RECORDINGS:-$root/../shared/mesos-recordings/executor}
[ -d "$recordings" ] || recordings=/work/shared/mesos-recordings/executor

tmp=$(mktemp -d "${TMPDIR:-/tmp}/seed-comparison.XXXXXX")
# The harness runs in the foreground: Ctrl+C reaches it, it cancels and kills the executors it started (finally
# blocks), then this trap removes the temporary folder with the seed, our published executor and the sandboxes.
trap 'rm -rf "$tmp"' EXIT

echo "== installing the seed (npm mesos-framework@0.5.3) into $tmp/seed"
mkdir -p "$tmp/seed"
(cd "$tmp/seed" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts --loglevel=error mesos-framework@0.5.3 >/dev/null)
seed_module="$tmp/seed/node_modules/mesos-framework"
[ -f "$seed_module/lib/executor.js" ] || { echo "mesos-framework was not installed: $seed_module/lib/executor.js is missing" >&2; exit 1; }

echo "== publishing our executor ($executor)"
case "$executor" in
  runner)
    bash "$root/publish/publish-executor.sh" "$tmp/ours"
    ours="$tmp/ours/mesos-executor"
    label="the runner, mesos-executor ($(git -C "$root" rev-parse --short HEAD)), self-contained trimmed ReadyToRun single file, $(( $(stat -c %s "$ours") / 1048576 )) MB"
    ;;
  minimal)
    # Google.Protobuf is not trim-annotated (IL2104); the stand-in is published with that warning allowed and is
    # checked at run time instead (it must SUBSCRIBE and receive SUBSCRIBED, or the harness fails).
    dotnet publish "$root/bench/Mesos.Executor.MinimalExecutor/Mesos.Executor.MinimalExecutor.csproj" \
      -c Release -r linux-x64 --self-contained \
      -p:PublishSingleFile=true -p:PublishTrimmed=true -p:PublishReadyToRun=true \
      -p:DebugType=none -p:IncludeNativeLibrariesForSelfExtract=true -p:TreatWarningsAsErrors=false -p:NoWarn=IL2104 \
      -o "$tmp/ours" --nologo -v quiet
    ours="$tmp/ours/Mesos.Executor.MinimalExecutor"
    label="stand-in: bench/Mesos.Executor.MinimalExecutor ($(git -C "$root" rev-parse --short HEAD)), self-contained trimmed ReadyToRun single file, $(( $(stat -c %s "$ours") / 1048576 )) MB"
    ;;
  *) echo "SEEDBENCH_EXECUTOR must be 'runner' or 'minimal', not '$executor'" >&2; exit 2 ;;
esac

echo "== building the harness"
dotnet build "$root/bench/Mesos.SeedComparison/Mesos.SeedComparison.csproj" -c Release -v quiet -nologo >/dev/null

echo "== measuring"
command="bash bench/seed-comparison/run.sh${1:+ $1}"
[ "$executor" = runner ] || command="SEEDBENCH_EXECUTOR=$executor $command"
dotnet "$root/bench/Mesos.SeedComparison/bin/Release/net10.0/Mesos.SeedComparison.dll" \
  --ours "$ours" --ours-label "$label" \
  --node "$(command -v node)" --seed-module "$seed_module" \
  --scripts "$root/bench/seed-comparison" --recordings "$recordings" \
  --work "$tmp/work" --runs "$runs" \
  --readme "$root/bench/README.md" --svg "$root/bench/seed-comparison/ratios.svg" \
  --command "$command"
