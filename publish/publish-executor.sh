#!/usr/bin/env bash
# Publishes the fetchable executor: one self-contained, trimmed, ReadyToRun, single-file linux-x64 binary
# (no .NET runtime needed on the agent) plus its sha256, in publish/out/.
#   bash publish/publish-executor.sh [--compress] [--isa x86-64-v3|x86-64-v2|...] [--no-profile] [--project path.csproj] [output-dir]
# --project publishes another executor the same way (default: the runner, src/Mesos.Executor.Runner); the start-up
# benchmark uses it for its minimal executor (bench/measure-executor-start.sh --published).
# ReadyToRun is on because start-up time is part of the product: an executor must SUBSCRIBE quickly, and
# precompiled code starts ~4x sooner than JIT on this kind of machine. Assemblies off the start-up path stay IL
# (PublishReadyToRunExclude in publish/ExecutorPublish.props). --compress (EnableCompressionInSingleFile) makes the file ~37% smaller
# but start -> SUBSCRIBE ~1.5-2x slower and idle RSS ~4 MB larger; the fetcher caches the file once per agent while
# every executor launch pays the start-up, so it is off by default. --isa is the x64 level the precompiled code may
# assume (crossgen2 --instruction-set): x86-64-v3 (AVX2, every x86 server CPU since about 2015) by default, which
# starts ~10-15 ms sooner than the baseline; on a CPU without it the runtime ignores the precompiled code and JITs
# everything (correct, but start -> SUBSCRIBE ~4x slower), so publish with --isa x86-64-v2 for such agents (old
# hardware, or VMs whose CPU model hides AVX2). The runner's ReadyToRun image holds only the methods of its start-up
# profile (publish/mesos-executor.mibc, made by publish/profile-executor.sh); --no-profile builds the full image instead.
# Figures: README, "Publish settings and figures".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
compress=false
isa=x86-64-v3
project="$root/src/Mesos.Executor.Runner/Mesos.Executor.Runner.csproj"
profile=()
keep_artifacts=""
while [[ "${1:-}" == --* ]]; do
  case "$1" in
    --compress) compress=true; shift ;;
    --isa) isa=${2:?--isa needs a value, e.g. x86-64-v2}; shift 2 ;;
    --no-profile) profile=(-p:ExecutorStartupProfile=); shift ;;
    --artifacts) keep_artifacts=${2:?--artifacts needs a directory}; shift 2 ;;
    --project) project=${2:?--project needs a .csproj path}; shift 2 ;;
    *) echo "publish-executor.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
out=${1:-"$root/publish/out"}
mkdir -p "$out"
# A build tree of its own: publishing rebuilds the libraries with other global properties (RID, no pdb), which must
# not overwrite the outputs of a build or test run going on in the same checkout.
if [[ -n "$keep_artifacts" ]]; then
  # Kept for the caller: publish/profile-executor.sh reads the trimmed assemblies its traces name.
  artifacts=$keep_artifacts
  mkdir -p "$artifacts"
else
  artifacts=$(mktemp -d "${TMPDIR:-/tmp}/mesos-executor-publish.XXXXXX")
  trap 'rm -rf "$artifacts"' EXIT
fi
name=$(dotnet msbuild "$project" -getProperty:AssemblyName -nologo)
dotnet publish "$project" \
  --artifacts-path "$artifacts" \
  -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:PublishTrimmed=true -p:PublishReadyToRun=true \
  -p:DebugType=none -p:IncludeNativeLibrariesForSelfExtract=true -p:EnableCompressionInSingleFile=$compress \
  "-p:ExecutorInstructionSet=$isa" "${profile[@]}" \
  -o "$out" --nologo -v quiet
(cd "$out" && sha256sum "$name" > "$name.sha256")
echo "$out/$name ($(stat -c %s "$out/$name") bytes), sha256 $(cut -d' ' -f1 "$out/$name.sha256")"
