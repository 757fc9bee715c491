#!/bin/bash
# Search-load soak (docs/architecture.md, Memory): `nml serve --demo` (200 lines/s) and an operator's
# Search page over the last hour (/api/search with a count, /api/histogram, /api/facets; four queries)
# every 10 s; every 30 s one line of the server's memory from /proc/PID/status (RssAnon, RssFile, in kB)
# and how many shard files its threads hold open. Linux only.
#   SOAK_DIR=/tmp/soak HTTP_PORT=18991 SYSLOG_PORT=15691 MINUTES=25 NML=. scripts/search-soak.sh
# NML: the checkout whose bin/nml.js runs (default: this one); SOAK_DIR gets data/, serve.log, rss.log
# (wiped first). Extra `nml serve` flags may follow the script's name. The server is stopped at the end.
set -u
NML=${NML:-$(cd "$(dirname "$0")/.." && pwd)}
DIR=${SOAK_DIR:?set SOAK_DIR, a folder of its own (it is wiped)}
HTTP=${HTTP_PORT:-18991}
SYSLOG=${SYSLOG_PORT:-15691}
MIN=${MINUTES:-25}
rm -rf "$DIR/data" "$DIR/rss.log"
mkdir -p "$DIR"
NML_DATA="$DIR/data" NML_HTTP_PORT=$HTTP NML_SYSLOG_PORT=$SYSLOG node "$NML/bin/nml.js" serve --demo "$@" >"$DIR/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
B=http://127.0.0.1:$HTTP
for _ in $(seq 90); do kill -0 $PID 2>/dev/null || exit 1; [ -f "$DIR/data/api-token" ] && curl -sf -o /dev/null "$B/api/health" && break; sleep 2; done
H="Authorization: Bearer $(cat "$DIR/data/api-token")"
echo "# pid $PID; seconds RssAnon RssFile (kB) shard-fds" >"$DIR/rss.log"
start=$(date +%s)
n=0
while [ $(($(date +%s) - start)) -lt $((MIN * 60)) ] && kill -0 $PID 2>/dev/null; do
  # "", error, sshd, "failed password", URL-encoded
  for q in '' 'error' 'sshd' '%22failed%20password%22'; do
    curl -s -o /dev/null -H "$H" "$B/api/search?q=$q&from=-1h&count=1"
    curl -s -o /dev/null -H "$H" "$B/api/histogram?q=$q&from=-1h"
    curl -s -o /dev/null -H "$H" "$B/api/facets?q=$q&from=-1h&field=host"
  done
  if [ $((n % 3)) -eq 0 ]; then
    mem=$(awk '/^(RssAnon|RssFile):/ {printf "%s ", $2}' /proc/$PID/status)
    fds=$(find /proc/$PID/fd -lname '*/shards/*' 2>/dev/null | wc -l)
    echo "$(($(date +%s) - start)) $mem$fds" >>"$DIR/rss.log"
  fi
  n=$((n + 1))
  sleep 10
done
echo "# done" >>"$DIR/rss.log"
