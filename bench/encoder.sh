#!/usr/bin/env bash
# The master's x264 preset and threads by measurement: CPU and SSIM per preset for several house
# sizes against a slow-preset reference, and two encodes at once with 1, 2 and automatic threads.
# Usage: bench/encoder.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_classpath
exec "$JAVA_HOME/bin/java" -cp "$CP" tv.latent.bench.EncoderBench
