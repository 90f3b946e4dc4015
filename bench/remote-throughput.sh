#!/usr/bin/env bash
# Orchestration overhead of remote backends: throughput against the ideal K/L.
# Usage: bench/remote-throughput.sh [K] [L millis] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" tv.latent.generate.remote.RemoteThroughputBench "$@"
