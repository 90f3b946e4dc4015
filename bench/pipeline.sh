#!/usr/bin/env bash
# Wall and CPU seconds per stage of the embedded pipeline, LatentTV's stage order against the
# seed's, in one run. Usage: bench/pipeline.sh [clips]   (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_classpath
exec "$JAVA_HOME/bin/java" -cp "$CP" tv.latent.bench.PipelineBench "${1:-4}"
