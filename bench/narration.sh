#!/usr/bin/env bash
# What a narrator costs: the speak stage per line with espeak-ng (against espeak-ng alone), and
# the CPU of a narrated master against the plain master of the same clip, in one run.
# Usage: bench/narration.sh [rounds]   (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_classpath
exec "$JAVA_HOME/bin/java" -cp "$CP" tv.latent.bench.NarrationBench "${1:-4}"
