#!/usr/bin/env bash
# Scheduler failover among several nodes: runs ClusterKillNineTest (three `latenttv serve`
# processes on one PostgreSQL and one S3Proxy bucket; the channel's writer killed with SIGKILL
# mid-render) ROUNDS times and prints, for each, how long after the kill another node held the
# channel's writer lock, and how long until the playlist every node serves had moved on by three
# segments (6 s of air at the live rate: the baseline a channel that never stopped would show).
#   bench/failover.sh [rounds=3]
# Needs Debian's postgresql, ffmpeg and libfaketime, as the tests do (./latenttv test installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
source bench/common.sh
bench_classpath
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| round | writer lock taken (ms after kill -9) | sequence +3 (ms after kill -9) |"
echo "|---|---|---|"
for i in $(seq 1 "$rounds"); do
  if ! ./mvnw -q -B -Dspotless.check.skip=true -Dtest=ClusterKillNineTest -Dsurefire.failIfNoSpecifiedTests=false test >/dev/null 2>&1; then
    cp target/surefire-reports/tv.latent.cli.ClusterKillNineTest.txt "target/failover-round-$i.txt"
    echo "| $i | the test failed: target/failover-round-$i.txt says why | |"
    continue
  fi
  line="$(grep -h '^FAILOVER' target/surefire-reports/tv.latent.cli.ClusterKillNineTest-output.txt)"
  echo "$line" | sed -E 's/FAILOVER writer lock taken ([0-9]+) ms after kill -9; sequence \+3 after ([0-9]+) ms/| '"$i"' | \1 | \2 |/'
done
