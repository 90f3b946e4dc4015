#!/usr/bin/env bash
# Orchestration overhead of the hosted queue backends (fal, Replicate), polling included:
# throughput against the ideal K/L, and HTTP calls per job, for each poll interval P given.
# Usage: bench/hosted-queues.sh [K] [L millis] [N] [P millis ...]   (default: 4 2000 40 100 500)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"   # the JDK the build uses (release 21), not an older one on the PATH
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
k="${1:-4}"; l="${2:-2000}"; n="${3:-40}"
polls=("${@:4}")
[[ ${#polls[@]} -eq 0 ]] && polls=(100 500)
for p in "${polls[@]}"; do
  "$java" -cp "$cp" tv.latent.generate.remote.HostedQueueBench "$k" "$l" "$n" "$p"
done
