#!/usr/bin/env bash
# Viewer prompt -> first segment on air, embedded engines, the demo channel's settings: median and
# p95 over N suggestions (one at a time), with the lookahead full and with the pipeline busy
# filling it. Usage: bench/viewer-shot.sh [suggestions]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_classpath
exec "$JAVA_HOME/bin/java" -cp "$CP" tv.latent.bench.ViewerShotBench "${1:-20}"
