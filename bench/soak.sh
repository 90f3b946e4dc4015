#!/usr/bin/env bash
# A real-time soak of the demo channel: runs `latenttv demo` (embedded engines, its own fresh data
# directory) for HOURS and samples every minute: the station's resident memory, CPU seconds
# (JVM and ffmpeg children) per aired hour so far, the data directory's size, and whether the live
# playlist is valid (answers, has segments, its media sequence never goes back).
#   bench/soak.sh HOURS [config.yaml]     (HOURS may be a fraction: 0.25 is 15 minutes)
# Prints a Markdown table as it goes; the last line says whether every sample was valid.
set -euo pipefail
cd "$(dirname "$0")/.."
hours="${1:?usage: bench/soak.sh HOURS [config.yaml]}"
config="${2:-}"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
args=(demo --port 0 --data "$work/data")
[ -n "$config" ] && args+=(--config "$config")
./latenttv "${args[@]}" > "$work/station.out" 2> "$work/station.log" &
pid=$!
url=""
for _ in $(seq 1 600); do
  url="$(grep -o 'http://127.0.0.1:[0-9]*/watch/[a-z0-9_-]*' "$work/station.out" | head -1 || true)"
  [ -n "$url" ] && break; sleep 0.5
done
[ -n "$url" ] || { echo "the station did not start; see $work/station.log" >&2; exit 1; }
base="${url%/watch/*}"; channel="${url##*/}"
java_pid="$(pgrep -P "$pid" java || echo "$pid")"
ticks="$(getconf CLK_TCK)"
cpu_seconds() { # JVM plus the children it waited for (ffmpeg): utime stime cutime cstime
  awk -v t="$ticks" '{ printf "%.1f", ($14 + $15 + $16 + $17) / t }' "/proc/$java_pid/stat"
}
start=$(date +%s); last_seq=-1; valid=1
echo "| minute | RSS MB | CPU s per aired hour | data MB | playlist |"
echo "|---|---|---|---|---|"
minutes="$(awk -v h="$hours" 'BEGIN { printf "%d", h * 60 }')"
for minute in $(seq 1 "$minutes"); do
  sleep 60
  kill -0 "$java_pid" 2>/dev/null || { echo "the station exited; see $work/station.log"; exit 1; }
  rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$java_pid/status")
  elapsed=$(( $(date +%s) - start ))
  cpu=$(awk -v c="$(cpu_seconds)" -v e="$elapsed" 'BEGIN { printf "%.0f", c * 3600 / e }')
  data=$(du -sm "$work/data" | cut -f1)
  playlist="$(curl -fsS --max-time 5 "$base/hls/$channel/live.m3u8" || true)"
  seq=$(printf '%s\n' "$playlist" | sed -n 's/^#EXT-X-MEDIA-SEQUENCE://p')
  state=ok
  if ! printf '%s\n' "$playlist" | grep -q '^#EXTM3U' || ! printf '%s\n' "$playlist" | grep -q '\.ts$'; then
    state="INVALID"; valid=0
  elif [ "${seq:-0}" -lt "$last_seq" ]; then
    state="SEQUENCE WENT BACK ($last_seq → $seq)"; valid=0
  fi
  last_seq=${seq:-$last_seq}
  echo "| $minute | $rss | $cpu | $data | $state (sequence $seq) |"
done
[ "$valid" = 1 ] && echo "every playlist sample valid" || echo "SOME PLAYLIST SAMPLES WERE INVALID"
