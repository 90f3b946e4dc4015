#!/usr/bin/env bash
# Hot-path cost against library size: playlist, now-playing and /api/channels latency (median, p95)
# and JVM CPU per aired hour, for the same station over 100 and over 100,000 clips, in one run.
#   bench/hot-path.sh [requests=500] [seconds=60]
# Needs ffmpeg and a JDK 21+ (found like bench/common.sh). Prints a Markdown table with the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_classpath
defaults="$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' latenttv)"
opts="${LATENTTV_JAVA_OPTS-$defaults}"
exec "$JAVA_HOME/bin/java" $opts -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" tv.latent.bench.HotPathBench "$@"
