#!/usr/bin/env bash
# Job throughput of 1, 2 and 3 nodes on one PostgreSQL and one S3 bucket (S3Proxy), against the
# ideal N×K/L (BENCHMARKS.md, "Several nodes"). Needs Debian's postgresql package.
# Usage: bench/cluster.sh [K permits per node] [L seconds per render] [rounds]   (default 2 5 4)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_classpath
exec "$JAVA_HOME/bin/java" -cp "$CP" tv.latent.pipeline.ClusterThroughputBench "${1:-2}" "${2:-5}" "${3:-4}"
