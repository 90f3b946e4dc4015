#!/usr/bin/env bash
# GIF and WebP export time per clip-second for a 2.7 s clip in the default house format, against
# a baseline in the same run (ffmpeg decoding the clip to nothing); the same clip narrated: GIF and
# WebP with the caption burnt in (against the plain ones), MP4 with a captions track.
# Usage: bench/clip-export.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_classpath
exec "$JAVA_HOME/bin/java" -cp "$CP" tv.latent.bench.ExportBench "${1:-7}"
