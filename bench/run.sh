#!/usr/bin/env bash
# Playout benchmarks. Needs: ffmpeg, nginx + libnginx-mod-rtmp (for "cost"), a JDK 21+ (found like bench/common.sh).
#   bench/run.sh cost [seconds] [warmup=S] [latenttv-only]   CPU per aired hour, LatentTV vs the original re-encode
#   bench/run.sh density [channels] [seconds]                 CPU of N HLS channels with one viewer each
# The JVM runs with the launcher's options (LATENTTV_JAVA_OPTS when set, else ./latenttv's defaults),
# so LatentTV is measured as it runs in production.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_classpath
defaults="$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' latenttv)"
opts="${LATENTTV_JAVA_OPTS-$defaults}"
log=-Dorg.slf4j.simpleLogger.defaultLogLevel=warn
case "${1:-}" in
  cost) shift; echo "java: $JAVA_HOME, options: ${opts:-none}" >&2
    exec "$JAVA_HOME/bin/java" $opts "$log" -cp "$CP" tv.latent.bench.PlayoutCost "$@" ;;
  density) shift; echo "java: $JAVA_HOME, options: ${opts:-none}" >&2
    exec "$JAVA_HOME/bin/java" $opts "$log" -cp "$CP" tv.latent.bench.ChannelDensity "$@" ;;
  *) echo "usage: bench/run.sh cost [seconds] [warmup=S] [latenttv-only] | density [channels] [seconds]" >&2; exit 2 ;;
esac
