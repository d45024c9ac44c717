#!/usr/bin/env bash
# Whole-process benchmark of the minimal executor (framework-dependent build): the fake agent starts it exactly as
# a Mesos agent would and reports the medians of start -> SUBSCRIBE and idle RSS, with a trivial .NET program
# started the same way as the baseline. Usage: bench/measure-executor-start.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Mesos.Executor.StartBench -v quiet -nologo >/dev/null
dotnet bench/Mesos.Executor.StartBench/bin/Release/net10.0/Mesos.Executor.StartBench.dll \
  bench/Mesos.Executor.MinimalExecutor/bin/Release/net10.0/Mesos.Executor.MinimalExecutor "${1:-15}"
