#!/usr/bin/env bash
# Calls to a dead model backend per hour: a channel whose only render backend (a Zeroscope Space)
# answers every call with "CUDA out of memory", served for MINUTES by the current build and by a
# baseline build (default: the commit before this round), one after the other in one run.
#   bench/dead-backend.sh [minutes=5] [baseline-rev=d33299a]
# Needs ffmpeg, git and a JDK 21+ (found like bench/common.sh). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-5}"; baseline="${2:-d33299a}"
source bench/common.sh
bench_classpath
work="$(mktemp -d)"; trap 'kill $(jobs -p) 2>/dev/null || true; git worktree remove --force "$work/baseline" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
./mvnw -q -B -DskipTests -Dspotless.check.skip=true package >/dev/null
cp target/latenttv.jar "$work/current.jar"
git worktree add -q --detach "$work/baseline" "$baseline"
(cd "$work/baseline" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package >/dev/null)
cp "$work/baseline/target/latenttv.jar" "$work/baseline.jar"

run() { # $1 = jar name; prints "calls jobs"
  local dir="$work/run-$1"; mkdir -p "$dir"
  "$JAVA_HOME/bin/java" -cp "$CP" tv.latent.bench.DeadSpace "$dir/calls" > "$dir/space.url" 2>/dev/null &
  local space=$!
  while [ ! -s "$dir/space.url" ]; do sleep 0.2; done
  cat > "$dir/latenttv.yaml" <<YAML
dataDir: data
server: {host: 127.0.0.1, port: 0}
backends:
  zeroscope: {type: gradio-zeroscope, url: '$(cat "$dir/space.url")', timeoutSeconds: 20}
channels:
  - id: dead
    theme: herons in the reeds
    format: {width: 256, height: 144, videoKbps: 300, audioKbps: 64}
    model: {width: 128, height: 72, frames: 24, fps: 8}
    stages: {render: [zeroscope]}
YAML
  (cd "$dir" && exec "$JAVA_HOME/bin/java" -Xmx512m -jar "$work/$1.jar" serve --config latenttv.yaml > station.log 2>&1) &
  local station=$!
  sleep $((minutes * 60))
  kill "$station" 2>/dev/null || true; wait "$station" 2>/dev/null || true
  sleep 2
  local calls; calls="$(cat "$dir/calls")"
  cp "$dir/station.log" "/tmp/dead-backend-$1.log" 2>/dev/null || true
  kill "$space" 2>/dev/null || true; wait "$space" 2>/dev/null || true
  local jobs; jobs="$(sqlite_count "$dir/data/latenttv.db")"
  echo "$calls $jobs"
}
sqlite_count() { "$JAVA_HOME/bin/java" -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$CP" tv.latent.bench.CountJobs "$1" 2>/dev/null | tail -1; }

read -r base_calls base_jobs < <(run baseline)
read -r cur_calls cur_jobs < <(run current)
per_hour() { awk -v c="$1" -v m="$minutes" 'BEGIN { printf "%.0f", c * 60 / m }'; }
echo "| build | model calls in $minutes min | jobs | calls per hour | "
echo "|---|---|---|---|"
echo "| baseline ($baseline) | $base_calls | $base_jobs | $(per_hour "$base_calls") |"
echo "| current | $cur_calls | $cur_jobs | $(per_hour "$cur_calls") |"
awk -v b="$base_calls" -v c="$cur_calls" 'BEGIN { if (c > 0) printf "ratio baseline / current: %.1f\n", b / c }'
