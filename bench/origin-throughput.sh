#!/usr/bin/env bash
# Origin throughput: playlist and segment requests per second from wrk, against the LatentTV app
# and against nginx serving a snapshot of the same files, in one run on this machine. Appends the
# result to BENCHMARKS.md.
#   bench/origin-throughput.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
duration="${1:-10}"
connections="${2:-64}"
threads=2

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v nginx >/dev/null 2>&1 || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "bench needs: ${need[*]}" >&2; exit 1
  fi
fi
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 21 ] 2>/dev/null; then
  for j in /usr/lib/jvm/*/bin/java; do
    v="$(java_major "$j")"
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ]; then JAVA_HOME="$(dirname "$(dirname "$j")")"; break; fi
  done
fi
export JAVA_HOME
if [ ! -f target/latenttv.jar ] || [ -n "$(find src pom.xml -newer target/latenttv.jar -print -quit)" ]; then
  ./mvnw -q -B -DskipTests package >/dev/null
fi

work="$(mktemp -d /tmp/latenttv-bench.XXXXXX)"
app_pid=""; nginx_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/bench.yaml" <<YAML
dataDir: data
server: {host: 127.0.0.1, port: 0}
channels:
  - id: bench
    title: Bench
    theme: a red fox by a misty river at golden hour
    lookaheadSeconds: 10
YAML
java=("$JAVA_HOME/bin/java" -jar target/latenttv.jar)
# two real clips first, then an origin that only serves (no generation competing for the CPU)
"${java[@]}" generate --channel bench --count 2 --config "$work/bench.yaml" >"$work/generate.log" 2>&1
"${java[@]}" serve --no-generate --config "$work/bench.yaml" >"$work/app.log" 2>&1 &
app_pid=$!
base=""
for _ in $(seq 1 600); do
  base="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/app.log" | head -1 || true)"
  [ -n "$base" ] && break; sleep 0.1
done
[ -n "$base" ] || { cat "$work/app.log" >&2; exit 1; }
sleep 3
playlist_url="$base/hls/bench/live.m3u8"
segment="$(curl -sf "$playlist_url" | grep '\.ts$' | tail -1)"
segment_url="$base/hls/bench/$segment"

# the same files for nginx: this moment's playlist and that segment
mkdir -p "$work/www/hls/bench"
curl -sf "$playlist_url" -o "$work/www/hls/bench/live.m3u8"
curl -sf "$segment_url" -o "$work/www/hls/bench/$segment"
segment_bytes="$(stat -c %s "$work/www/hls/bench/$segment")"
# nginx's workers run as an unprivileged user: let them read the snapshot
chmod -R a+rX "$work"
nginx_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location ~ \.m3u8\$ { add_header Cache-Control "public, max-age=1"; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
sleep 1

rps() { wrk -t"$threads" -c"$connections" -d"${duration}s" "$1" | tee -a "$work/wrk.log" | awk '/Requests\/sec/ {print $2}'; }
errors() { grep -c "Non-2xx\|Socket errors" "$work/wrk.log" || true; }
# a server answering errors would make any figure meaningless: check each one answers 200 first
for u in "$playlist_url" "$segment_url" "http://127.0.0.1:$nginx_port/hls/bench/live.m3u8" "http://127.0.0.1:$nginx_port/hls/bench/$segment"; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$u")" = 200 ] || { echo "not 200: $u" >&2; exit 1; }
done
# warm-up: the JVM compiles the request path during the first seconds; nginx needs none
wrk -t"$threads" -c"$connections" -d"${duration}s" "$playlist_url" >/dev/null
wrk -t"$threads" -c"$connections" -d"${duration}s" "$segment_url" >/dev/null
app_playlist="$(rps "$playlist_url")"
nginx_playlist="$(rps "http://127.0.0.1:$nginx_port/hls/bench/live.m3u8")"
app_segment="$(rps "$segment_url")"
nginx_segment="$(rps "http://127.0.0.1:$nginx_port/hls/bench/$segment")"
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
playlist_ratio="$(ratio "$app_playlist" "$nginx_playlist")"
segment_ratio="$(ratio "$app_segment" "$nginx_segment")"
error_lines="$(errors)"

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
memory="$(free -h | awk '/Mem:/ {print $2}')"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
report="$(cat <<MD

## Origin throughput ($(date -u +%Y-%m-%d))

\`bench/origin-throughput.sh $duration $connections\`: wrk, $threads threads, $connections connections, ${duration} s per
URL, against the app (\`serve --no-generate\`, Javalin/Jetty on virtual threads) and against nginx serving
a snapshot of the same playlist and segment ($segment_bytes bytes) from disk, one after the other in one run
(the app after one warm-up pass of the same length per URL).
Machine: $(nproc) cores ($cpu), $memory RAM, load average before the run $load.
wrk and the servers share the machine.

| request  | app req/s | nginx req/s | app / nginx |
|----------|----------:|------------:|------------:|
| playlist | $app_playlist | $nginx_playlist | $playlist_ratio |
| segment  | $app_segment | $nginx_segment | $segment_ratio |

Target: at least 0.5 of nginx. wrk error lines (non-2xx or socket errors): $error_lines.
MD
)"
echo "$report"
[ -f BENCHMARKS.md ] || printf '# LatentTV benchmarks\n' > BENCHMARKS.md
printf '%s\n' "$report" >> BENCHMARKS.md
