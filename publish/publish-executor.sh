#!/usr/bin/env bash
# Publishes the fetchable executor: one self-contained, trimmed, ReadyToRun, single-file linux-x64 binary
# (no .NET runtime needed on the agent) plus its sha256, in publish/out/.
#   bash publish/publish-executor.sh [--compress] [output-dir]
# ReadyToRun is on because start-up time is part of the product: an executor must SUBSCRIBE quickly, and
# precompiled code starts ~4x sooner than JIT on this kind of machine. Assemblies off the start-up path stay IL
# (PublishReadyToRunExclude in the csproj). --compress (EnableCompressionInSingleFile) makes the file ~37% smaller
# but start -> SUBSCRIBE ~1.5-2x slower and idle RSS ~4 MB larger; the fetcher caches the file once per agent while
# every executor launch pays the start-up, so it is off by default. Figures: README, "Publish settings and figures".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
compress=false
if [[ "${1:-}" == "--compress" ]]; then
  compress=true
  shift
fi
out=${1:-"$root/publish/out"}
mkdir -p "$out"
# A build tree of its own: publishing rebuilds the libraries with other global properties (RID, no pdb), which must
# not overwrite the outputs of a build or test run going on in the same checkout.
artifacts=$(mktemp -d "${TMPDIR:-/tmp}/mesos-executor-publish.XXXXXX")
trap 'rm -rf "$artifacts"' EXIT
dotnet publish "$root/src/Mesos.Executor.Runner/Mesos.Executor.Runner.csproj" \
  --artifacts-path "$artifacts" \
  -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:PublishTrimmed=true -p:PublishReadyToRun=true \
  -p:DebugType=none -p:IncludeNativeLibrariesForSelfExtract=true -p:EnableCompressionInSingleFile=$compress \
  -o "$out" --nologo -v quiet
(cd "$out" && sha256sum mesos-executor > mesos-executor.sha256)
echo "$out/mesos-executor ($(stat -c %s "$out/mesos-executor") bytes), sha256 $(cut -d' ' -f1 "$out/mesos-executor.sha256")"
