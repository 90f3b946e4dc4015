#!/usr/bin/env bash
# Calls and spend per aired hour on a paid render backend: the lookahead against a naive
# "keep generating" loop (one simulated aired hour each; the lookahead's own decision function).
# Usage: bench/spend.sh [K] [L seconds] [clip seconds] [price per call] [lookahead seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"   # the JDK the build uses (release 21), not an older one on the PATH
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
if [[ $# -gt 0 ]]; then
  exec "$java" -cp "$cp" tv.latent.pipeline.SpendPerAiredHourBench "$@"
fi
# a fast model with slow motion 2 (outruns the channel twice over), a fast model at real time (just
# outruns it), and a slow one that cannot keep up
for args in "4 10 5.333 0.05 180" "8 20 2.667 0.05 180" "2 60 2.667 0.05 180"; do
  "$java" -cp "$cp" tv.latent.pipeline.SpendPerAiredHourBench $args
  echo
done
