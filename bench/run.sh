#!/usr/bin/env bash
# Playout benchmarks. Needs: ffmpeg, nginx + libnginx-mod-rtmp (for "cost"), a JDK 22+ (multi-file source launch).
#   bench/run.sh cost [seconds]            CPU per aired hour, LatentTV vs the original re-encode
#   bench/run.sh density [channels] [seconds]   CPU of N HLS channels with one viewer each
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cp="target/classes:$(cat target/bench-classpath.txt)"
case "${1:-}" in
  cost) shift; exec java -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn bench/PlayoutCost.java "$@" ;;
  density) shift; exec java -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn bench/ChannelDensity.java "$@" ;;
  *) echo "usage: bench/run.sh cost [seconds] | density [channels] [seconds]" >&2; exit 2 ;;
esac
