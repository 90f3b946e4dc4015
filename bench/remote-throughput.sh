#!/usr/bin/env bash
# Orchestration overhead of remote backends: throughput against the ideal K/L.
# Then: a channel consuming below K/L (one clip every C > L/K) never starves.
# Usage: bench/remote-throughput.sh [K] [L millis] [N]
#        bench/remote-throughput.sh starve [K] [L millis] [N clips] [C millis] [lookahead clips]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
if [[ "${1:-}" == starve ]]; then
  exec java -cp "$cp" tv.latent.generate.remote.RemoteThroughputBench "$@"
fi
java -cp "$cp" tv.latent.generate.remote.RemoteThroughputBench "$@"
k="${1:-4}"; l="${2:-200}"
for share in 0.8 0.95; do
  c=$(awk -v l="$l" -v k="$k" -v s="$share" 'BEGIN { printf "%d", l / k / s + 0.5 }')
  java -cp "$cp" tv.latent.generate.remote.RemoteThroughputBench starve "$k" "$l" 200 "$c"
done
