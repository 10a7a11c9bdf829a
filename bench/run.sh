#!/usr/bin/env bash
# The 30,000-payment day as a benchmark.
#   bench/run.sh [--events N] [--batch-undo] [--outage S] [--bulk-replay N] [--record] [--help]     (a bare number, bench/run.sh 30000, is --events)
#   bench/run.sh --cluster LIST [--events N] [--record]
#     --events N    events in each measured run (default 30000)
#     --outage S    the dashboard stand-in answers 503 to every call for S seconds in the middle of the
#                   flat-out run (once a third of it is committed), the hub holding events for up to an
#                   hour (HMS_HOLD_MAX_S=3600); the run must end with nothing parked, and the time from
#                   the dashboard's return to the last commit of an event that was held is reported
#     --batch-undo  every event of the flat-out run carries "batch_id":"<names>-batch" (the other runs'
#                   do not); after the runs, before the hub stops, the batch is undone with one
#                   POST /batches/<id>/rollback, GET /batches/<id> is polled every second until its
#                   rollback is done (progress on stderr every ~5 s), the undo's events/s is measured, and
#                   the verification also proves each batch event undone exactly once on every system
#     --bulk-replay N  after the runs, N more events (at the half rate) meet a dashboard that refuses
#                   every call (422), so each is rolled back and parked; then the refusal is lifted and
#                   three POST /dlq/replay {"reason":"HTTP 422"} go at once, and one more after them:
#                   together they must replay each parked event exactly once (the later ones none), all
#                   N must commit exactly once on every system, and the replay's events/s is reported
#     --cluster LIST  cluster mode (issue 21), e.g. --cluster 1,2,3: N events flat out through one hub with
#                   its file ledger (the same-run reference), then through each number in LIST of hubs
#                   sharing RabbitMQ and a fresh PostgreSQL database (HMS_LEDGER_URL, HMS_INSTANCE_ID
#                   hub-1, hub-2..., HTTP ports 18191..., one HMS_DATA_DIR). Each configuration gets its own
#                   stand-ins, queues and folder; once its hubs hold their shares of the partitions (the
#                   database's advisory locks), a warm-up (HMS_BENCH_WARMUP events per hub, not counted),
#                   then the measured run; then every event must be committed exactly once on every system
#                   (the ledger exported from its table with export-ledger, whose hash chain must verify).
#                   Reports events/s, p50/p99, and the CPU per event of the hubs (summed), of PostgreSQL
#                   (every process named postgres) and of RabbitMQ (beam.smp), each as a ratio to the
#                   reference's. No half-rate run, latency floor or ceiling; not with --batch-undo,
#                   --outage or --bulk-replay
#     --record      also append the results to bench/RESULTS.md, which is tracked in git
#     --help        this text
# Starts nginx stand-ins for the REST systems and the hub (RabbitMQ on, a fresh mainframe folder) as
# separate processes, publishes the events as fast as the hub takes them, then again at half that
# rate, verifies every event was committed exactly once on every system, measures this machine's
# ceiling for the same parts in the same run, and prints the figures as a Markdown section.
# Results stay outside the tracked tree unless asked: the section is written to RESULTS.md in the
# bench folder ($HMS_BENCH_DIR, default /tmp/hms-bench, which the next run replaces), and only with
# --record is it appended to bench/RESULTS.md as well.
# If the hub's health does not answer 200 within 60 s, or the hub exits before, the script prints
# the last 40 lines of the hub's log and exits non-zero; so does a batch undo that ends
# needs_attention or is not done within HMS_BENCH_UNDO_TIMEOUT_S.
# Environment (defaults in brackets): HMS_MAINFRAME_MODE [per-event] or window;
# HMS_RABBITMQ_QUEUE_TYPE [classic] or quorum; HMS_BENCH_RABBITMQ_URI [amqp://guest:guest@127.0.0.1:5672];
# HMS_BENCH_DIR [/tmp/hms-bench]; HMS_BENCH_WARMUP [10000], HMS_BENCH_LEAD [6000] and
# HMS_BENCH_FLOOR [1000] events; HMS_MAINFRAME_WINDOW_MAX_AGE_MS [1000]; HMS_BENCH_JVM_OPTS (added
# to the hub's JVM options); HMS_BENCH_UNDO_TIMEOUT_S [1800] (--batch-undo: how long the undo may take).
# --cluster: HMS_BENCH_PG_HOST [127.0.0.1], HMS_BENCH_PG_PORT [5432], HMS_BENCH_PG_USER [postgres] (a server
# psql reaches without a password; each configuration's database is hms_bench_<time>_<n>h, kept for a look
# until the next --cluster run drops it); HMS_CLUSTER_PARTITIONS [16] and HMS_TAKEOVER_S go to the hubs.
set -euo pipefail
USAGE="usage: bench/run.sh [--events N] [--batch-undo] [--outage S] [--bulk-replay N] [--record] [--help] | bench/run.sh --cluster LIST [--events N] [--record]"
EVENTS=30000 RECORD= BATCH_UNDO= OUTAGE_S= BULK= CLUSTER=
while [ $# -gt 0 ]; do
  case "$1" in
    --events) [ $# -ge 2 ] || { echo "--events needs a number; $USAGE" >&2; exit 2; }; EVENTS=$2; shift 2 ;;
    --batch-undo) BATCH_UNDO=1; shift ;;
    --bulk-replay) [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "--bulk-replay needs a number of events; $USAGE" >&2; exit 2; }; BULK=$2; shift 2 ;;
    --outage) [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "--outage needs whole seconds; $USAGE" >&2; exit 2; }; OUTAGE_S=$2; shift 2 ;;
    --cluster) [ $# -ge 2 ] && [[ $2 =~ ^[1-9](,[1-9])*$ ]] || { echo "--cluster needs numbers of hubs, e.g. 1,2,3; $USAGE" >&2; exit 2; }; CLUSTER=$2; shift 2 ;;
    --record) RECORD=1; shift ;;
    --help|-h) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    [0-9]*) EVENTS=$1; shift ;;   # the form from before the options: bench/run.sh 30000
    *) echo "unknown option $1; $USAGE" >&2; exit 2 ;;
  esac
done
[[ $EVENTS =~ ^[1-9][0-9]*$ ]] || { echo "--events wants a whole number of events, not '$EVENTS'; $USAGE" >&2; exit 2; }
if [ -n "$CLUSTER" ] && [ -n "$BATCH_UNDO$OUTAGE_S$BULK" ]; then
  echo "--cluster measures the flat-out run only: not with --batch-undo, --outage or --bulk-replay; $USAGE" >&2; exit 2
fi
cd "$(dirname "$0")/.."
MODE=${HMS_MAINFRAME_MODE:-per-event}
# the hub's default queue type; the ceiling measures the same type (HMS_RABBITMQ_QUEUE_TYPE=quorum for a cluster's)
export HMS_RABBITMQ_QUEUE_TYPE=${HMS_RABBITMQ_QUEUE_TYPE:-classic}
BROKER=${HMS_BENCH_RABBITMQ_URI:-amqp://guest:guest@127.0.0.1:5672}
WORK=${HMS_BENCH_DIR:-/tmp/hms-bench}
HUB_PORT=18180 VENDOR_PORT=18181 DASHBOARD_PORT=18182
# --cluster: hub-i listens on CLUSTER_PORT0 + i
CLUSTER_PORT0=18190 CLUSTER_PORTS=
[ -z "$CLUSTER" ] || CLUSTER_PORTS=$(seq $((CLUSTER_PORT0 + 1)) $((CLUSTER_PORT0 + $(echo "$CLUSTER" | tr ',' '\n' | sort -n | tail -1))))
# the ports are fixed: a benchmark already running (another worktree's) would answer in this one's place
for port in $HUB_PORT $VENDOR_PORT $DASHBOARD_PORT $CLUSTER_PORTS; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run.sh: something already listens on 127.0.0.1:$port (another benchmark?); stop it first" >&2
    exit 1
  fi
done
NAMES="bench$(date +%s)"
# --batch-undo: the flat-out run's events are one batch, and this is its rollback token
BATCH= BENCH_BATCH=() VERIFY_BATCH=()
if [ -n "$BATCH_UNDO" ]; then
  BATCH="$NAMES-batch"
  BENCH_BATCH=(--batch "max:$BATCH")
  UNDO_TIMEOUT_S=${HMS_BENCH_UNDO_TIMEOUT_S:-1800}
  [[ $UNDO_TIMEOUT_S =~ ^[1-9][0-9]*$ ]] || { echo "HMS_BENCH_UNDO_TIMEOUT_S wants whole seconds, not '$UNDO_TIMEOUT_S'" >&2; exit 2; }
fi

command -v nginx >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light; }
mvn -B -q package -DskipTests
# the bench programs run as single source files; the option parser they share is compiled beside them
javac -d target/bench-classes bench/BenchOptions.java
CP="target/classes:target/bench-classes:$(ls target/lib/*.jar | tr '\n' ':')"

# The last run's folder is deleted after this run, not before it: on ext4 without a journal (this
# machine's disk) new files skip recently freed inodes one by one, which for a minute after deleting
# 200,000 files made every staged mainframe file cost ~0.35 ms more CPU.
rm -rf "$WORK.old"; [ -d "$WORK" ] && mv "$WORK" "$WORK.old"
WINDOW_AGE_MS=${HMS_MAINFRAME_WINDOW_MAX_AGE_MS:-1000}
WARMUP=${HMS_BENCH_WARMUP:-10000}
# The switch from flat out to half rate is a transition of its own (the JIT compiles the paths a
# light load takes: C2 at 0.4 of a core while a probe's worst events ran): the half-rate run is
# timed after a lead-in of ~12-15 s at its rate, which is reported beside it. (3,000 events, ~7 s,
# was too short on a slow hour: a run's slowest 1% all fell in the 10 s after such a lead-in.)
LEAD=${HMS_BENCH_LEAD:-6000}
# Last, a few events at a trickle: one event at a time through the whole hub, nothing queued behind
# another. Their latency is this machine's floor for the hub, against which the half-rate p99 reads.
FLOOR=${HMS_BENCH_FLOOR:-1000}
FLOOR_RATE=20
# the JVM options the README recommends for the hub (ParallelGC: cheaper write barriers than G1 on 2 cores)
# (a young generation of half the heap: young collections come less often and find as few
# survivors, so fewer events wait behind a pause)
# (the whole heap committed from the start: at 60,000 events, with the old generation still at its
# first, smaller size, ParallelGC made room with a full collection of ~120 MB that stopped the hub
# for ~0.5 s at 17:37Z)
HUB_JVM_OPTS="-Xms512m -Xmx512m -Xmn256m -XX:+UseParallelGC ${HMS_BENCH_JVM_OPTS:-}"
# the load generator must not pause either: its young generation holds a whole run without a collection
BENCH_JVM_OPTS="-Xms1g -Xmx1g -Xmn768m -XX:+UseParallelGC"
HOLD_S=0; [ -z "$OUTAGE_S" ] || HOLD_S=3600

# The nginx stand-ins' configuration, written into the folder $1 (where they log)
# --outage: the dashboard answers 503 while the file dashboard.down exists (a stat per call, so only then)
# --bulk-replay: it answers 422 while dashboard.refuse exists
nginx_conf() {
  local switch=
  [ -z "$OUTAGE_S" ] || switch="if (-f __DIR__/dashboard.down) { return 503 '{}'; }"
  [ -z "$BULK" ] || switch="$switch if (-f __DIR__/dashboard.refuse) { return 422 '{}'; }"
  mkdir -p "$1"
  sed -e "s#__DASHBOARD_SWITCH__#$switch#" -e "s#__DIR__#$1#g" -e "s#__VENDOR_PORT__#$VENDOR_PORT#" -e "s#__DASHBOARD_PORT__#$DASHBOARD_PORT#" \
      bench/nginx.conf > "$1/nginx.conf"
}
# One hub as every run starts it, in the background ($! is its pid): RabbitMQ with the names $1
# (exchange $1.sync, queue $1.sync.events...), HTTP port $2, data folder $3, output to the log $4,
# the JVM options after them added; cluster mode's settings come as the caller's environment.
start_hub() {
  local names=$1 port=$2 data=$3 log=$4
  shift 4
  HMS_HOLD_MAX_S=$HOLD_S HMS_MAINFRAME_WINDOW_MAX_AGE_MS=$WINDOW_AGE_MS HMS_RABBITMQ_URI="$BROKER/" HMS_SIMULATORS=false HMS_MAINFRAME_MODE="$MODE" HMS_DATA_DIR="$data" HMS_HTTP_PORT=$port \
  HMS_DEBIT_VENDOR_URL="http://127.0.0.1:$VENDOR_PORT/vendor" HMS_DASHBOARD_URL="http://127.0.0.1:$DASHBOARD_PORT/dashboard" \
    java $HUB_JVM_OPTS "$@" -Dhms.rabbitmq.exchange=$names.sync -Dhms.rabbitmq.queue=$names.sync.events \
         -Dhms.rabbitmq.dead-letter-exchange=$names.sync.dlx -Dhms.rabbitmq.dead-letter-queue=$names.sync.dlq \
         -Dhms.rabbitmq.outcomes-exchange=$names.sync.outcomes -jar target/hms-sync.jar > "$log" 2>&1 &
}
# A hub that fails ends the benchmark here: why ($1), and the last 40 lines of each log after it
# (none given: the single hub's, $WORK/hub.log).
hub_failed() {
  local why=$1 log
  shift
  [ $# -gt 0 ] || set -- "$WORK/hub.log"
  for log in "$@"; do
    echo "run.sh: $why; the last 40 lines of $log:" >&2
    tail -n 40 "$log" >&2
  done
  exit 1
}
# The hub (pid $1, HTTP port $2, log $3) must answer its health with 200 within 60 s; a hub that
# exits, or never answers, ends the benchmark here with its log's last lines, instead of publishing to nobody.
wait_healthy() {
  local deadline=$((SECONDS + 60)) status
  until [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$2/observe/health" || true)" = 200 ]; do
    if ! kill -0 "$1" 2>/dev/null; then
      wait "$1" && status=0 || status=$?
      hub_failed "the hub exited (status $status) before its health answered 200" "$3"
    fi
    [ "$SECONDS" -lt "$deadline" ] || hub_failed "the hub's health did not answer 200 within 60 s" "$3"
    sleep 1
  done
}

# The section in $WORK/RESULTS.md, shown, and appended to the tracked bench/RESULTS.md with --record.
show_and_record() {
  cat "$WORK/RESULTS.md"
  if [ -n "$RECORD" ]; then
    cat "$WORK/RESULTS.md" >> bench/RESULTS.md
    echo "written to $WORK/RESULTS.md and appended to bench/RESULTS.md"
  else
    echo "written to $WORK/RESULTS.md (bench/RESULTS.md is left as it is; --record appends the section there)"
  fi
}

# --cluster: its own runs, from here to the exit at the end of this block
if [ -n "$CLUSTER" ]; then
  command -v psql >/dev/null || { echo "run.sh --cluster: psql is needed (apt-get install postgresql-client)" >&2; exit 1; }
  PG_HOST=${HMS_BENCH_PG_HOST:-127.0.0.1} PG_PORT=${HMS_BENCH_PG_PORT:-5432} PG_USER=${HMS_BENCH_PG_USER:-postgres}
  pg() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
  PG_VERSION=$(pg -d postgres -c 'SHOW server_version') \
    || { echo "run.sh --cluster: PostgreSQL does not answer at $PG_HOST:$PG_PORT as $PG_USER (HMS_BENCH_PG_HOST, _PORT, _USER)" >&2; exit 1; }
  PG_SETTINGS="synchronous_commit $(pg -d postgres -c 'SHOW synchronous_commit'), fsync $(pg -d postgres -c 'SHOW fsync'), shared_buffers $(pg -d postgres -c 'SHOW shared_buffers')"
  # the last --cluster run's databases go now; this run's stay for a look until the next
  for db in $(pg -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'hms\_bench\_%'"); do
    pg -d postgres -c "DROP DATABASE \"$db\"" || echo "run.sh: could not drop $db, an earlier run's database" >&2
  done
  RABBITMQ_VERSION=$(dpkg-query -W -f '${Version}' rabbitmq-server 2>/dev/null || echo unknown)
  PARTITIONS=${HMS_CLUSTER_PARTITIONS:-16}
  UNITS=$((PARTITIONS + 1))   # the units of work the hubs share: the partitions and the intake (PartitionLeases)
  LOCK_CLASS=1213027155       # 0x484d5353, the first key of each unit's advisory lock (PartitionLeases.LOCK_CLASS)
  COMMIT_LIKE='%"system":"hub","action":"commit","result":"success"%'
  # what is running now, for the trap: the hubs, the stand-ins' configuration, the names of the queues
  HUB_PIDS=() NGINX_CONF= RUN_NAMES=()
  broker_cleanup() { java -cp "$CP" bench/Ceiling.java cleanup --broker "$BROKER" --names "$1" >/dev/null 2>&1 || true; }
  cluster_cleanup() {
    local pid n
    for pid in ${HUB_PIDS[@]+"${HUB_PIDS[@]}"}; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
    [ -z "$NGINX_CONF" ] || nginx -c "$NGINX_CONF" -p "$(dirname "$NGINX_CONF")" -s stop 2>/dev/null || true
    for n in ${RUN_NAMES[@]+"${RUN_NAMES[@]}"}; do broker_cleanup "$n"; done
    rm -rf "$WORK.old"
  }
  trap cluster_cleanup EXIT
  # Until the hubs of database $1 ($2 of them) hold every unit, none more than its share
  # (PartitionLeases: ceil(units / live hubs)): from then on no unit moves. Each hub's units are the
  # advisory locks of its session (hubs.lock_pid). Prints the units each hub holds, and whose the intake is.
  wait_balanced() {
    local share=$(( (UNITS + $2 - 1) / $2 )) deadline=$((SECONDS + 120)) held
    while :; do
      held=$(pg -d "$1" -c "SELECT string_agg(h.instance_id || '=' || (SELECT count(*) FROM pg_locks l WHERE l.pid = h.lock_pid
               AND l.locktype = 'advisory' AND l.classid::bigint = $LOCK_CLASS AND l.granted), ' ' ORDER BY h.instance_id) FROM hubs h")
      if echo "$held" | awk -v n="$2" -v units=$UNITS -v share=$share '{ for (i = 1; i <= NF; i++) { split($i, p, "="); sum += p[2]; over += p[2] > share } }
                                                                     END { exit !(NF == n && sum == units && over == 0) }'; then
        echo "$held, the intake on $(pg -d "$1" -c "SELECT h.instance_id FROM hubs h JOIN pg_locks l ON l.pid = h.lock_pid AND l.locktype = 'advisory'
                                                       AND l.classid::bigint = $LOCK_CLASS AND l.objid::bigint = $PARTITIONS AND l.granted")"
        return
      fi
      [ "$SECONDS" -lt "$deadline" ] || hub_failed "the $2 hubs did not share the $UNITS units within 120 s (held: ${held:-none})" "$3"/hub-*.log
      sleep 1
    done
  }
  field() { echo "$1" | sed -nE "s#(.* |^)$2=([0-9./]+).*#\2#p"; }
  # One configuration: "file" (the single hub with its file ledger, the reference) or a number of
  # cluster hubs. Its runs' lines, notes and verification go into the arrays below, by configuration.
  declare -A WARM_LINE MAX_LINE NOTE VERIFIED
  run_config() {
    local config=$1 hubs label dir names db= url= warm pids=() logs=() i port held= note= verify
    if [ "$config" = file ]; then
      hubs=1 label=file-ledger
    else
      hubs=$config label=cluster-${config}h
    fi
    dir="$WORK/$label" names="$NAMES-$label"
    echo "== $label: $([ "$config" = file ] && echo "one hub, file ledger (the reference)" || echo "$hubs hub(s), ledger in PostgreSQL")"
    nginx_conf "$dir/nginx"
    NGINX_CONF="$dir/nginx/nginx.conf"
    nginx -c "$NGINX_CONF" -p "$dir/nginx"
    RUN_NAMES+=("$names")
    if [ "$config" = file ]; then
      start_hub "$names" "$HUB_PORT" "$dir/data" "$dir/hub.log"
      pids=($!) HUB_PIDS=($!) logs=("$dir/hub.log")
      wait_healthy "${pids[0]}" "$HUB_PORT" "$dir/hub.log"
    else
      db="hms_bench_${NAMES#bench}_${hubs}h"
      pg -d postgres -c "CREATE DATABASE $db"
      url="jdbc:postgresql://$PG_HOST:$PG_PORT/$db?user=$PG_USER"
      for i in $(seq 1 "$hubs"); do
        port=$((CLUSTER_PORT0 + i))
        HMS_LEDGER_URL="$url" HMS_INSTANCE_ID="hub-$i" start_hub "$names" "$port" "$dir/data" "$dir/hub-$i.log"
        pids+=($!) HUB_PIDS+=($!) logs+=("$dir/hub-$i.log")
        wait_healthy "$!" "$port" "$dir/hub-$i.log"
      done
      held=$(wait_balanced "$db" "$hubs" "$dir")
      echo "  units held (of $UNITS: $PARTITIONS partitions and the intake): $held"
    fi
    warm=$((WARMUP * hubs))
    echo "  warm-up: $warm events as fast as the hubs take them (not counted); then $EVENTS events, measured"
    java $BENCH_JVM_OPTS -cp "$CP" bench/Bench.java --broker "$BROKER" --names "$names" --hub-pid "$(IFS=,; echo "${pids[*]}")" --work "$dir" \
         --run "warm:$warm:max" --run "max:$EVENTS:max" --cpu-of db:postgres --cpu-of broker:beam.smp | tee "$dir/runs.txt" \
      || hub_failed "the load generator failed ($label)" "${logs[@]}"
    WARM_LINE[$config]=$(grep '^run=warm ' "$dir/runs.txt") MAX_LINE[$config]=$(grep '^run=max ' "$dir/runs.txt")
    sleep $(( WINDOW_AGE_MS / 1000 + 2 ))   # window mode: let the last window close before the hubs stop
    kill -TERM "${pids[@]}"
    for i in "${pids[@]}"; do wait "$i" || true; done
    HUB_PIDS=()
    nginx -c "$NGINX_CONF" -p "$dir/nginx" -s stop; NGINX_CONF=; sleep 1
    broker_cleanup "$names"
    if [ "$config" != file ]; then
      # the ledger table as the file Verify reads, its hash chain checked across the hubs' lines
      HMS_DATA_DIR="$dir/data" java -jar target/hms-sync.jar export-ledger "$dir/data/ledger.jsonl" --url "$url" > "$dir/export.txt" 2>&1 \
        || hub_failed "export-ledger failed: $(tail -n 3 "$dir/export.txt")" "${logs[@]}"
      note="units held at the start: $held"
      [ "$hubs" = 1 ] || note="$note; hub CPU ms/event of the measured run by hub (hub-1/hub-2/...): $(field "${MAX_LINE[$config]}" cpu_ms_per_event_by_hub)"
      note="$note; $(grep '^exported' "$dir/export.txt" | sed -E 's#/[^ ;]*/##')"
      note="$note; hub commit lines in ledger_lines: $(pg -d "$db" -F ' of ' -c "SELECT count(DISTINCT event_id), count(*) FROM ledger_lines WHERE line LIKE '$COMMIT_LIKE'") events (distinct of all)"
      note="$note, by hub: $(pg -d "$db" -c "SELECT string_agg(hub || ' ' || n, ', ' ORDER BY hub) FROM (SELECT hub, count(*) n FROM ledger_lines WHERE line LIKE '$COMMIT_LIKE' GROUP BY hub) t")"
      note="$note; database $(pg -d "$db" -c "SELECT round(pg_database_size(current_database()) / 1048576.0) || ' MB (' || (SELECT count(*) FROM ledger_lines) || ' ledger lines)'") after $((warm + EVENTS)) events"
      echo "  $note"
    fi
    NOTE[$config]=$note
    echo "  verifying: every event committed exactly once on every system"
    verify=$(java -cp "$CP" bench/Verify.java --work "$dir" --amounts "$dir/warm.amounts" --amounts "$dir/max.amounts") \
      || { echo "  $verify"; echo "run.sh: the verification of $label failed (the line above); $dir keeps what it read" >&2; exit 1; }
    echo "  $verify"
    VERIFIED[$config]=$verify
  }
  CONFIGS=(file $(echo "$CLUSTER" | tr ',' ' '))
  echo "cluster mode: $EVENTS events flat out through one hub with its file ledger (the reference), then through $CLUSTER hub(s) on PostgreSQL $PG_VERSION"
  for config in "${CONFIGS[@]}"; do
    run_config "$config"
  done

  # the figures against the reference's: the ratio of b to a, or "—" when a is nothing to compare with
  ratio() { awk -v b="$1" -v a="$2" 'BEGIN { if (a + 0 < 0.005) print "—"; else printf "%.2f", b / a }'; }
  REF=${MAX_LINE[file]}
  {
    echo
    echo "## $(date -u +%Y-%m-%dT%H:%MZ) — cluster mode: $EVENTS events through $CLUSTER hub(s) on PostgreSQL against one hub with its file ledger, mainframe $MODE, $HMS_RABBITMQ_QUEUE_TYPE queue"
    echo
    echo "Command: \`HMS_MAINFRAME_MODE=$MODE HMS_RABBITMQ_QUEUE_TYPE=$HMS_RABBITMQ_QUEUE_TYPE bench/run.sh --cluster $CLUSTER --events $EVENTS\` with the hub at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' (with uncommitted changes)') on $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | head -1), each hub's JVM \`$HUB_JVM_OPTS\`; PostgreSQL $PG_VERSION ($PG_SETTINGS) and RabbitMQ $RABBITMQ_VERSION on the same machine; $PARTITIONS partitions, HMS_TAKEOVER_S ${HMS_TAKEOVER_S:-30}"
    echo
    echo "| hubs | ledger | events/s | ratio | p50 ms | p99 ms | hubs' CPU ms/event | ratio | PostgreSQL CPU ms/event | RabbitMQ CPU ms/event | ratio | machine CPU ms/event | ratio | machine busy cores (of $(nproc)) |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for config in "${CONFIGS[@]}"; do
      line=${MAX_LINE[$config]}
      if [ "$config" = file ]; then who="1 (the reference)" ledger=file; else who=$config ledger=PostgreSQL; fi
      echo "| $who | $ledger | $(field "$line" events_per_s) | $(ratio "$(field "$line" events_per_s)" "$(field "$REF" events_per_s)") | $(field "$line" p50_ms) | $(field "$line" p99_ms) | $(field "$line" hub_cpu_ms_per_event) | $(ratio "$(field "$line" hub_cpu_ms_per_event)" "$(field "$REF" hub_cpu_ms_per_event)") | $(field "$line" db_cpu_ms_per_event) | $(field "$line" broker_cpu_ms_per_event) | $(ratio "$(field "$line" broker_cpu_ms_per_event)" "$(field "$REF" broker_cpu_ms_per_event)") | $(field "$line" machine_cpu_ms_per_event) | $(ratio "$(field "$line" machine_cpu_ms_per_event)" "$(field "$REF" machine_cpu_ms_per_event)") | $(field "$line" machine_busy_cores) |"
    done
    echo
    echo "Each configuration has its own nginx stand-ins, queues, folder and (cluster) database. Once its hubs held their shares of the $UNITS units, a warm-up of $WARMUP events per hub (not counted), then the $EVENTS events measured from the first publish to the last outcome. Ratios are to the single hub with its file ledger in this run. CPU per event over the measured run: the hubs' together; PostgreSQL's, every process named postgres (with backends that ended); RabbitMQ's, beam.smp; the machine's, all of its busy time (the publisher and the stand-ins too). The file-ledger hub does not use PostgreSQL: its PostgreSQL figure is the idle server's."
    echo
    for config in "${CONFIGS[@]}"; do
      line=${WARM_LINE[$config]}
      if [ "$config" = file ]; then echo -n "One hub, file ledger: "; else echo -n "$config hub(s): "; fi
      echo -n "warm-up $(field "$line" events) events at $(field "$line" events_per_s) events/s; "
      [ -z "${NOTE[$config]}" ] || echo -n "${NOTE[$config]}; "
      echo "verification: ${VERIFIED[$config]}"
      echo
    done
  } > "$WORK/RESULTS.md"
  show_and_record
  exit 0
fi

nginx_conf "$WORK/nginx"
# This machine's ceiling for the parts the hub uses per event, in a fresh folder each time. It is
# measured before the hub runs and again after: the machine's speed drifts by 10-30% within the ~10
# minutes between, and the ratio is to the mean of the two.
ceiling() {
  java -cp "$CP" bench/Ceiling.java measure --broker "$BROKER" --names "$NAMES" --work "$WORK/$1" --mainframe-mode "$MODE" \
       --vendor-port "$VENDOR_PORT" --nginx-conf "$WORK/nginx/nginx.conf" | tail -1
}
echo "measuring this machine's ceiling for the same parts, before the hub runs"
CEILING_BEFORE=$(ceiling ceiling-before)
echo "  $CEILING_BEFORE"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"
HUB_PID=
cleanup() {
  [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true
  nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -s stop 2>/dev/null || true
  java -cp "$CP" bench/Ceiling.java cleanup --broker "$BROKER" --names "$NAMES" >/dev/null 2>&1 || true
  rm -rf "$WORK.old"
}
trap cleanup EXIT

# every stop-the-world pause of the hub, so Tail.java can tell a collector's share of the slow 1%
HUB_LOG_OPTS="-Xlog:safepoint:file=$WORK/safepoints.log:timemillis"
start_hub "$NAMES" "$HUB_PORT" "$WORK/data" "$WORK/hub.log" $HUB_LOG_OPTS
HUB_PID=$!
wait_healthy "$HUB_PID" "$HUB_PORT" "$WORK/hub.log"

# peak heap (jstat) of the hub, sampled while it works
# one jstat process sampling every second: a new JVM per sample cost the machine ~10% of a core
# (used = young + old, garbage included, bounded by -Xmx; old = what survived collections: the hub's retained memory)
jstat -gc "$HUB_PID" 1000 2>/dev/null | awk '$1 ~ /^[0-9.]+$/ {printf "%.0f %.0f\n", ($3+$4+$6+$8)/1024, $8/1024; fflush()}' > "$WORK/heap.mb" &
SAMPLER=$!

# --outage: once a third of the flat-out run is committed, the dashboard goes down for OUTAGE_S seconds
OUTAGE_PID=
if [ -n "$OUTAGE_S" ]; then
  (
    committed() { curl -s -m 5 "http://127.0.0.1:$HUB_PORT/observe/metrics" | sed -nE 's/^sync_events_total\{status="committed"\} ([0-9.E]+)$/\1/p' | awk '{printf "%d", $1}'; }
    until [ "$(committed || echo 0)" -ge $((WARMUP + EVENTS / 3)) ] 2>/dev/null; do sleep 0.5; done
    date -u +%Y-%m-%dT%H:%M:%S.%3NZ > "$WORK/outage.down"
    touch "$WORK/nginx/dashboard.down"
    echo "outage: the dashboard answers 503 from $(cat "$WORK/outage.down") for $OUTAGE_S s" >&2
    sleep "$OUTAGE_S"
    rm -f "$WORK/nginx/dashboard.down"
    date -u +%Y-%m-%dT%H:%M:%S.%3NZ > "$WORK/outage.up"
    echo "outage: the dashboard is back at $(cat "$WORK/outage.up")" >&2
  ) &
  OUTAGE_PID=$!
fi

# A hub runs for days: its JIT has long compiled the hot path. A fresh JVM spends the first ~20,000
# events compiling Camel, so the measured runs come after a warm-up, which is reported, not counted.
# One publisher JVM makes every run, so its own start-up is over before the measured runs begin.
echo "warm-up: $WARMUP events as fast as the hub takes them (a fresh JVM, not counted)"
echo "run 1: as fast as the hub takes them ($EVENTS events, mainframe $MODE)"
echo "run 2: offered at half of run 1's events/s, after a lead-in of $LEAD events at that rate (reported, not counted)"
echo "then: $FLOOR events at $FLOOR_RATE/s, the latency floor (reported, not counted)"
[ -z "$BATCH" ] || echo "run 1's events are the batch $BATCH, undone with its rollback token after the last run"
java $BENCH_JVM_OPTS -cp "$CP" bench/Bench.java --broker "$BROKER" --names "$NAMES" --hub-pid "$HUB_PID" --work "$WORK" \
     --run "warm:$WARMUP:max" --run "max:$EVENTS:max" --run "lead:$LEAD:half" --run "half:$EVENTS:half" --run "floor:$FLOOR:$FLOOR_RATE" \
     ${BENCH_BATCH[@]+"${BENCH_BATCH[@]}"} | tee "$WORK/runs.txt"
R0=$(grep '^run=warm ' "$WORK/runs.txt"); R1=$(grep '^run=max ' "$WORK/runs.txt")
RL=$(grep '^run=lead ' "$WORK/runs.txt"); R2=$(grep '^run=half ' "$WORK/runs.txt"); RF=$(grep '^run=floor ' "$WORK/runs.txt")
RATE=$(echo "$R1" | sed -E 's/.*events_per_s=([0-9]+).*/\1/')
HALF=$(echo "$R2" | sed -E 's/.*offered=([0-9]+).*/\1/')
kill "$SAMPLER" 2>/dev/null || true   # the peak heap is the runs' (the undo after them is not sampled)
read -r PEAK_HEAP PEAK_OLD < <(awk '$1 > h {h = $1} $2 > o {o = $2} END {print h + 0, o + 0}' "$WORK/heap.mb")

# --batch-undo: the flat-out run's batch undone with one call, at the size of the day. Timed here from
# just before the request to the first poll that finds the rollback done (polled every second: up to
# ~1 s long), and after the hub stops from the ledger: the rollback's requested_at to the batch's last
# rollback line (Verify reads it), the figure reported. Each poll's count goes to undo.progress
# (seconds, done, total, status).
if [ -n "$BATCH" ]; then
  BATCH_URL="http://127.0.0.1:$HUB_PORT/batches/$BATCH"
  echo "batch undo: POST /batches/$BATCH/rollback, then GET /batches/$BATCH every second until its rollback is done"
  UNDO_T0=$(date +%s.%N)
  UNDO_ANSWER=$(curl -s -m 60 -X POST -w '\n%{http_code}' "$BATCH_URL/rollback" || true)
  UNDO_CODE=$(echo "$UNDO_ANSWER" | tail -n 1) UNDO_BODY=$(echo "$UNDO_ANSWER" | sed '$d')
  [ "$UNDO_CODE" = 202 ] || hub_failed "POST /batches/$BATCH/rollback answered ${UNDO_CODE:-nothing}, not 202: $UNDO_BODY"
  echo "  202 $UNDO_BODY"
  : > "$WORK/undo.progress"
  UNDO_STATUS= UNDO_TOTAL=0 UNDO_DONE=0 UNDO_S=0 POLLS=0
  until [ "$UNDO_STATUS" = done ]; do
    sleep 1
    kill -0 "$HUB_PID" 2>/dev/null || { HUB_PID=; hub_failed "the hub exited during the batch undo"; }
    VIEW=$(curl -s -m 10 "$BATCH_URL" || true)
    UNDO_S=$(awk -v t0="$UNDO_T0" -v t1="$(date +%s.%N)" 'BEGIN {printf "%.1f", t1 - t0}')
    # the batch's view ends with "rollback":{"status","requested_at","total","done"} (contract section 3)
    read -r UNDO_STATUS UNDO_REQUESTED_AT UNDO_TOTAL UNDO_DONE < <(echo "$VIEW" | sed -nE \
        's/.*"rollback":\{"status":"([a-z_]+)","requested_at":"([^"]+)","total":([0-9]+),"done":([0-9]+)\}\}$/\1 \2 \3 \4/p') || true
    POLLS=$((POLLS + 1))
    if [ -z "$UNDO_STATUS" ]; then
      echo "undo: GET /batches/$BATCH gave no rollback after $UNDO_S s: ${VIEW:-no answer}" >&2
    else
      echo "$UNDO_S $UNDO_DONE $UNDO_TOTAL $UNDO_STATUS" >> "$WORK/undo.progress"
      if [ "$UNDO_STATUS" = done ] || [ $((POLLS % 5)) = 0 ]; then
        echo "undo: done $UNDO_DONE of $UNDO_TOTAL after $UNDO_S s, $(awk -v d="$UNDO_DONE" -v s="$UNDO_S" 'BEGIN {printf "%.0f", d / s}') undone/s ($UNDO_STATUS)" >&2
      fi
      [ "$UNDO_STATUS" != needs_attention ] || hub_failed "the undo of batch $BATCH ended needs_attention after $UNDO_S s ($UNDO_DONE of $UNDO_TOTAL undone): $VIEW"
    fi
    if [ "$UNDO_STATUS" != done ] && awk -v s="$UNDO_S" -v m="$UNDO_TIMEOUT_S" 'BEGIN {exit !(s >= m)}'; then
      hub_failed "the undo of batch $BATCH was not done within $UNDO_TIMEOUT_S s (${UNDO_DONE:-0} of ${UNDO_TOTAL:-?} undone, status ${UNDO_STATUS:-unknown})"
    fi
  done
  UNDO_POLLED_RATE=$(awk -v n="$UNDO_TOTAL" -v s="$UNDO_S" 'BEGIN {printf "%.0f", n / s}')
  # done counts at 10 s, 30 s, 60 s, ... (the first poll at or after each mark the undo lasted to)
  UNDO_SAMPLES=$(awk -v end="$UNDO_S" -v total="$UNDO_TOTAL" 'BEGIN {split("10 30 60 120 300 600 900 1200 1800", m); k = 1}
      { while (k in m && m[k] < end && $1 >= m[k]) { printf "%s%d s: %d", (out++ ? ", " : "done at "), m[k], $2; k++ } }
      END { printf out ? " of " total : "all " total " done before the 10 s mark" }' "$WORK/undo.progress")
  echo "undo of batch $BATCH: $UNDO_TOTAL undone, found done $UNDO_S s after the request ($UNDO_POLLED_RATE events/s as polled); $UNDO_SAMPLES"
  VERIFY_BATCH=(--batch-amounts "$WORK/max.amounts")
fi
# --bulk-replay: N events parked by a refusal, then replayed by filter, three calls at once and one after
VERIFY_BULK=()
if [ -n "$BULK" ]; then
  echo "bulk replay: $BULK events at $HALF/s meet a dashboard that refuses every call (422)"
  touch "$WORK/nginx/dashboard.refuse"
  java $BENCH_JVM_OPTS -cp "$CP" bench/Bench.java --broker "$BROKER" --names "$NAMES" --hub-pid "$HUB_PID" --work "$WORK" \
       --run "bulk:$BULK:$HALF" > "$WORK/bulk.txt"
  rm -f "$WORK/nginx/dashboard.refuse"
  dlq_total() { curl -s -m 10 -D - -o /dev/null "http://127.0.0.1:$HUB_PORT/dlq?limit=1&reason=HTTP%20422" | tr -d '\r' | sed -nE 's/^[Xx]-[Tt]otal-[Cc]ount: ([0-9]+)$/\1/p'; }
  PARKED_BULK=$(dlq_total)
  [ "${PARKED_BULK:-x}" = "$BULK" ] || hub_failed "bulk replay: $BULK events should be parked with HTTP 422, the DLQ says ${PARKED_BULK:-nothing}"
  echo "  $PARKED_BULK parked; the refusal is lifted; three POST /dlq/replay at once"
  BULK_T0=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
  REPLAY_PIDS=()
  for i in 1 2 3; do
    curl -s -m 120 -X POST -H 'Content-Type: application/json' -d '{"reason":"HTTP 422"}' "http://127.0.0.1:$HUB_PORT/dlq/replay" > "$WORK/replay.$i" &
    REPLAY_PIDS+=($!)
  done
  wait "${REPLAY_PIDS[@]}"   # these three only (a bare wait would wait for the hub too)
  # each answer is one JSON object without a final newline: take every "replaying" count, one per line
  REPLAYED_EACH=$(grep -ho '"replaying":[0-9]*' "$WORK"/replay.[123] | cut -d: -f2)
  REPLAYING=$(echo "$REPLAYED_EACH" | awk '{n += $1} END {print n + 0}')
  [ "${REPLAYING:-0}" = "$BULK" ] || hub_failed "bulk replay: the three calls replayed ${REPLAYING:-?} events together, not $BULK: $(cat "$WORK"/replay.[123])"
  BULK_DEADLINE=$((SECONDS + 1800))
  until [ "$(dlq_total)" = 0 ]; do
    [ "$SECONDS" -lt "$BULK_DEADLINE" ] || hub_failed "bulk replay: the DLQ still holds $(dlq_total) event(s) after 30 minutes"
    sleep 1
  done
  AGAIN=$(curl -s -m 60 -X POST -H 'Content-Type: application/json' -d '{"reason":"HTTP 422"}' "http://127.0.0.1:$HUB_PORT/dlq/replay")
  echo "$AGAIN" | grep -q '"replaying":0' || hub_failed "bulk replay: the same filter again replayed something: $AGAIN"
  VERIFY_BULK=(--amounts "$WORK/bulk.amounts")
fi
if [ -n "$OUTAGE_S" ]; then
  wait "$OUTAGE_PID" 2>/dev/null || true
  [ -f "$WORK/outage.up" ] || hub_failed "the outage never happened (the run ended before a third of it was committed?)"
  PARKED=$(curl -s -m 10 -D - -o /dev/null "http://127.0.0.1:$HUB_PORT/dlq?limit=1" | tr -d '\r' | sed -nE 's/^[Xx]-[Tt]otal-[Cc]ount: ([0-9]+)$/\1/p')
  [ "${PARKED:-x}" = 0 ] || hub_failed "after the outage ${PARKED:-an unknown number of} event(s) are parked in the DLQ, not 0"
fi
sleep $(( WINDOW_AGE_MS / 1000 + 2 ))   # window mode: let the last window (the undo's reversals too) close before the hub stops
kill -TERM "$HUB_PID"; wait "$HUB_PID" || true; HUB_PID=
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -s stop; sleep 1

if [ -n "$BATCH" ]; then
  echo "verifying: every event committed exactly once on every system; the batch's events undone exactly once on every system"
else
  echo "verifying: every event committed exactly once on every system"
fi
VERIFY=$(java -cp "$CP" bench/Verify.java --work "$WORK" --amounts "$WORK/warm.amounts" --amounts "$WORK/max.amounts" \
         --amounts "$WORK/lead.amounts" --amounts "$WORK/half.amounts" --amounts "$WORK/floor.amounts" ${VERIFY_BATCH[@]+"${VERIFY_BATCH[@]}"} \
         ${VERIFY_BULK[@]+"${VERIFY_BULK[@]}"}) \
  || { echo "  $VERIFY"; echo "run.sh: the verification failed (the line above); $WORK keeps what it read" >&2; exit 1; }
echo "  $VERIFY"
if [ -n "$BATCH" ]; then
  # the undo's time by the ledger: from the hub's requested_at to the batch's last rollback line
  UNDO_LAST=$(echo "$VERIFY" | sed -nE 's/.*batch_last_rolled_back_at=([^ ]+).*/\1/p')
  UNDO_LEDGER_S=$(awk -v t0="$(date -u -d "$UNDO_REQUESTED_AT" +%s.%N)" -v t1="$(date -u -d "$UNDO_LAST" +%s.%N)" 'BEGIN {printf "%.2f", t1 - t0}')
  UNDO_RATE=$(awk -v n="$UNDO_TOTAL" -v s="$UNDO_LEDGER_S" 'BEGIN {printf "%.0f", n / s}')
  UNDO_RATIO=$(awk -v u="$UNDO_RATE" -v r="$RATE" 'BEGIN {printf "%.2f", u / r}')
  echo "batch undo $UNDO_RATE events/s = $UNDO_RATIO of the same run's flat-out $RATE events/s ($UNDO_TOTAL undone in $UNDO_LEDGER_S s, requested_at $UNDO_REQUESTED_AT to the last rollback line $UNDO_LAST; found done by polling after $UNDO_S s)"
fi
if [ -n "$OUTAGE_S" ]; then
  # from the ledger: the events that were held, and the last commit of one of them after the return
  grep -F '"result":"hold"' "$WORK/data/ledger.jsonl" | sed -E 's/.*"event_id":"([^"]+)".*/\1/' | sort -u > "$WORK/held.ids"
  HELD=$(wc -l < "$WORK/held.ids")
  [ "$HELD" -gt 0 ] || { echo "run.sh: the outage held no event (did the dashboard answer 503?)" >&2; exit 1; }
  LAST_HELD_COMMIT=$(grep -F '"system":"hub","action":"commit","result":"success"' "$WORK/data/ledger.jsonl" \
      | grep -F -f <(sed 's/.*/"event_id":"&"/' "$WORK/held.ids") | sed -E 's/.*"time":"([^"]+)".*/\1/' | sort | tail -1)
  DRAIN_S=$(awk -v t0="$(date -u -d "$(cat "$WORK/outage.up")" +%s.%N)" -v t1="$(date -u -d "$LAST_HELD_COMMIT" +%s.%N)" 'BEGIN {printf "%.1f", t1 - t0}')
  OUTAGE_LINE="the dashboard answered 503 for $OUTAGE_S s from $(cat "$WORK/outage.down") (HMS_HOLD_MAX_S=3600): $HELD event(s) were held, 0 parked; the last held event committed $DRAIN_S s after the dashboard returned ($LAST_HELD_COMMIT); the max run's events/s includes the outage"
  echo "outage: $OUTAGE_LINE"
fi
if [ -n "$BULK" ]; then
  # from the ledger: the replays' time, from the calls to the last commit of a bulk event
  LAST_BULK_COMMIT=$(grep -F '"system":"hub","action":"commit","result":"success"' "$WORK/data/ledger.jsonl" \
      | grep -F -f <(awk '{print "\"event_id\":\"" $1 "\""}' "$WORK/bulk.amounts") | sed -E 's/.*"time":"([^"]+)".*/\1/' | sort | tail -1)
  BULK_S=$(awk -v t0="$(date -u -d "$BULK_T0" +%s.%N)" -v t1="$(date -u -d "$LAST_BULK_COMMIT" +%s.%N)" 'BEGIN {printf "%.2f", t1 - t0}')
  BULK_RATE=$(awk -v n="$BULK" -v s="$BULK_S" 'BEGIN {printf "%.0f", n / s}')
  BULK_LINE="$BULK events parked by a refusal (422), then three POST /dlq/replay {\"reason\":\"HTTP 422\"} at once replayed $REPLAYING together (each once; the calls said $(echo "$REPLAYED_EACH" | paste -sd/)) and one more after them replayed 0; all committed $BULK_S s after the calls, $BULK_RATE events/s = $(awk -v u="$BULK_RATE" -v r="$RATE" 'BEGIN {printf "%.2f", u / r}') of the same run's flat-out $RATE events/s"
  echo "bulk replay: $BULK_LINE"
fi
TAIL_HALF=$(java -cp "$CP" bench/Tail.java --trace "$WORK/half.trace" --safepoints "$WORK/safepoints.log")
TAIL_FLOOR=$(java -cp "$CP" bench/Tail.java --trace "$WORK/floor.trace" --safepoints "$WORK/safepoints.log")
echo "the hub's pauses in the slowest 1%: half rate: $TAIL_HALF; floor: $TAIL_FLOOR"
echo "measuring this machine's ceiling for the same parts, after the hub ran"
CEILING_AFTER=$(ceiling ceiling-after)
echo "  $CEILING_AFTER"
# the same steps with the hub's parts alone, one event at a time at 20/s: the floor under the hub's floor
echo "measuring the latency floor of the parts alone (no Camel, no lanes), one event at a time"
PARTS_FLOOR=$(java -cp "$CP" bench/Ceiling.java floor --broker "$BROKER" --names "$NAMES" --work "$WORK" --vendor-port "$VENDOR_PORT" \
       --dashboard-port "$DASHBOARD_PORT" --nginx-conf "$WORK/nginx/nginx.conf" --events "$FLOOR" --rate "$FLOOR_RATE" | grep "^parts_floor")
echo "$PARTS_FLOOR"
ceiling_of() { echo "$1" | sed -E 's/.*ceiling_events_per_s=([0-9]+).*/\1/'; }
CEIL=$(( ($(ceiling_of "$CEILING_BEFORE") + $(ceiling_of "$CEILING_AFTER")) / 2 ))
RATIO=$(awk -v r="$RATE" -v c="$CEIL" 'BEGIN {printf "%.2f", r / c}')
echo "hub $RATE events/s = $RATIO of the same-run ceiling $CEIL events/s (mean of before and after); peak heap ${PEAK_HEAP} MB used, ${PEAK_OLD} MB old generation"

# the section goes to the bench folder (and the screen); only --record appends it to the tracked file
{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ) — $EVENTS events, mainframe $MODE, $HMS_RABBITMQ_QUEUE_TYPE queue${OUTAGE_S:+, a ${OUTAGE_S} s dashboard outage}"
  echo
  echo "Command: \`HMS_MAINFRAME_MODE=$MODE HMS_RABBITMQ_QUEUE_TYPE=$HMS_RABBITMQ_QUEUE_TYPE bench/run.sh --events $EVENTS${BATCH:+ --batch-undo}${OUTAGE_S:+ --outage $OUTAGE_S}${BULK:+ --bulk-replay $BULK}\` with the hub at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' (with uncommitted changes)') on $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | head -1), hub JVM \`$HUB_JVM_OPTS\`"
  echo
  echo "| run | events/s | ratio to ceiling | p50 ms | p95 ms | p99 ms | hub CPU cores | machine busy cores (of $(nproc)) | machine context switches per event |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for r in "warm-up ($WARMUP events, fresh JVM, not counted):$R0" "max:$R1" "lead-in ($LEAD events at $HALF/s, not counted):$RL" "half ($HALF/s offered):$R2" "floor ($FLOOR events at $FLOOR_RATE/s, not counted):$RF"; do
    label=${r%%:*}; line=${r#*:}
    get() { echo "$line" | sed -E "s/.*$1=([0-9.]+).*/\1/"; }
    echo "| $label | $(get events_per_s) | $(awk -v r="$(get events_per_s)" -v c="$CEIL" 'BEGIN {printf "%.2f", r / c}') | $(get p50_ms) | $(get p95_ms) | $(get p99_ms) | $(get hub_cpu_cores) | $(get machine_busy_cores) | $(get machine_switches_per_event) |"
  done
  echo
  echo "Peak heap ${PEAK_HEAP} MB used (garbage included), ${PEAK_OLD} MB old generation (what survived young collections). Ceiling (the mean of the two): $CEIL events/s; before the hub ran: $CEILING_BEFORE; after: $CEILING_AFTER"
  echo
  echo "Verification: $VERIFY"
  if [ -n "$BULK" ]; then
    echo
    echo "Bulk replay (\`--bulk-replay $BULK\`): $BULK_LINE"
  fi
  if [ -n "$OUTAGE_S" ]; then
    echo
    echo "Outage (\`--outage $OUTAGE_S\`): $OUTAGE_LINE"
  fi
  if [ -n "$BATCH" ]; then
    echo
    echo "Batch undo (\`--batch-undo\`: the max run's events were one batch, undone after the runs with one \`POST /batches/{id}/rollback\`): $UNDO_TOTAL events undone at $UNDO_RATE events/s, $UNDO_RATIO of the same run's flat-out $RATE events/s ($UNDO_LEDGER_S s by the ledger, from the rollback's requested_at to the batch's last rollback line; found done by polling every second after $UNDO_S s, $UNDO_POLLED_RATE events/s). Progress (polled): $UNDO_SAMPLES"
  fi
  echo
  echo "The hub's stop-the-world pauses against the slowest 1% (\`bench/Tail.java\`): half rate: $TAIL_HALF; floor: $TAIL_FLOOR"
  echo
  echo "The parts alone, the same steps one event at a time at $FLOOR_RATE/s without the hub (\`bench/Ceiling.java floor\`): $(echo "$PARTS_FLOOR" | paste -sd ';' | sed 's/;/; /g')"
} > "$WORK/RESULTS.md"
show_and_record
