#!/usr/bin/env bash
# Continuous MPEG-TS readers against HLS viewers: the station's CPU per viewer-hour for each, and
# the ratio, with the clients (curl) outside the station's process.
#   bench/ts-vs-hls.sh [viewers=20] [seconds=60]
# Needs ffmpeg, curl and a JDK 21+ (found like bench/common.sh). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_classpath
defaults="$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' latenttv)"
opts="${LATENTTV_JAVA_OPTS-$defaults}"
exec "$JAVA_HOME/bin/java" $opts -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" tv.latent.bench.TsVsHlsBench "$@"
