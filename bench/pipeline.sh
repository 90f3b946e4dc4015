#!/usr/bin/env bash
# Real-time factor and CPU per aired second of the embedded pipeline, the post-production fused
# into the master's one ffmpeg run against the stages run one by one, in one run.
# Usage: bench/pipeline.sh [clips]   (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_classpath
exec "$JAVA_HOME/bin/java" -cp "$CP" tv.latent.bench.PipelineBench "${1:-4}"
