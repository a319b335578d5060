#!/usr/bin/env bash
# A local Spark Connect server for the Spark plane's tests: Spark in its own JVM (class path from
# .ci/spark/pom.xml, resolved once), master local[2], with an Iceberg SparkCatalog named "nql" of
# type jdbc over the gateway's Iceberg catalog tables in the metadata database, so Spark reads the
# very tables the embedded engine writes.
#
#   .ci/spark.sh start    starts the server (no-op when it already runs) and waits until it listens
#   .ci/spark.sh stop     stops the server this script started
#   .ci/spark.sh status   says whether it runs, its pid, port and resident memory
#
# Settings (environment):
#   NQL_SPARK_PORT               Spark Connect port (default 15002)
#   NQL_SPARK_CATALOG_URL        JDBC URL of the metadata database holding the Iceberg catalog
#                                tables (default jdbc:postgresql://localhost:5432/nql_test?currentSchema=nql_spark)
#   NQL_SPARK_CATALOG_USER       its user (default nql)
#   NQL_SPARK_CATALOG_PASSWORD   its password (default nql)
#   NQL_SPARK_WAREHOUSE          where Spark would put tables it creates (default target/spark/warehouse);
#                                tables the gateway created keep their own absolute locations
#   NQL_SPARK_HEAP               driver heap (default 768m)
#   NQL_SPARK_MAVEN_ARGS         extra arguments for resolving the class path, e.g.
#                                "-Dspark.version=4.2.0 -Diceberg.spark.artifact=iceberg-spark-runtime-4.1_2.13 -Diceberg.spark.version=1.12.0"
# The catalog's table cache is off: the gateway commits new snapshots all the time, and every
# statement must read the latest one.
# Files: target/spark/ (class path, JVM argument file, pid, spark.log).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

PORT="${NQL_SPARK_PORT:-15002}"
CATALOG_URL="${NQL_SPARK_CATALOG_URL:-jdbc:postgresql://localhost:5432/nql_test?currentSchema=nql_spark}"
CATALOG_USER="${NQL_SPARK_CATALOG_USER:-nql}"
CATALOG_PASSWORD="${NQL_SPARK_CATALOG_PASSWORD:-nql}"
WORK="$ROOT/target/spark"
WAREHOUSE="${NQL_SPARK_WAREHOUSE:-$WORK/warehouse}"
HEAP="${NQL_SPARK_HEAP:-768m}"
CLASSPATH_FILE="$WORK/classpath.txt"
ARGS_FILE="$WORK/jvm.args"
PID_FILE="$WORK/spark.pid"
LOG_FILE="$WORK/spark.log"
START_TIMEOUT="${NQL_SPARK_START_TIMEOUT:-180}"

log() { echo "[spark.sh] $*" >&2; }

running_pid() {
  if [ -f "$PID_FILE" ]; then
    local pid
    pid="$(cat "$PID_FILE")"
    if kill -0 "$pid" 2>/dev/null; then
      echo "$pid"
      return 0
    fi
  fi
  return 1
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

build_classpath() {
  mkdir -p "$WORK"
  # Resolved once per pom and per NQL_SPARK_MAVEN_ARGS: the stamp records the arguments used.
  local stamp="$WORK/classpath.args"
  if [ -s "$CLASSPATH_FILE" ] && [ "$CLASSPATH_FILE" -nt .ci/spark/pom.xml ] \
    && [ "$(cat "$stamp" 2>/dev/null)" = "${NQL_SPARK_MAVEN_ARGS:-}" ]; then
    return
  fi
  log "resolving the Spark server's class path (.ci/spark/pom.xml)"
  # shellcheck disable=SC2086
  nice -n 19 mvn -B -q -f .ci/spark/pom.xml dependency:build-classpath \
    -Dstyle.color=never -Dmdep.outputFile="$CLASSPATH_FILE" ${NQL_SPARK_MAVEN_ARGS:-}
  printf '%s' "${NQL_SPARK_MAVEN_ARGS:-}" >"$stamp"
  log "class path: $(tr ':' '\n' <"$CLASSPATH_FILE" | wc -l) jars," \
    "$(tr ':' '\n' <"$CLASSPATH_FILE" | xargs du -cb | tail -n 1 | awk '{printf "%d MB", $1 / 1048576}')"
}

# The JVM's arguments go to a file of mode 600 (java @file), so the catalog password stays off
# the process list.
write_args() {
  mkdir -p "$WAREHOUSE" "$WORK/tmp"
  umask 077
  cat >"$ARGS_FILE" <<EOF
-Xmx$HEAP
-XX:+UseSerialGC
-XX:+IgnoreUnrecognizedVMOptions
--add-opens=java.base/java.lang=ALL-UNNAMED
--add-opens=java.base/java.lang.invoke=ALL-UNNAMED
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED
--add-opens=java.base/java.io=ALL-UNNAMED
--add-opens=java.base/java.net=ALL-UNNAMED
--add-opens=java.base/java.nio=ALL-UNNAMED
--add-opens=java.base/java.util=ALL-UNNAMED
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED
--add-opens=java.base/sun.nio.cs=ALL-UNNAMED
--add-opens=java.base/sun.security.action=ALL-UNNAMED
--add-opens=java.base/sun.util.calendar=ALL-UNNAMED
-Djdk.reflect.useDirectMethodHandle=false
-Dio.netty.tryReflectionSetAccessible=true
-Djava.io.tmpdir=$WORK/tmp
-Dspark.master=local[2]
-Dspark.app.name=nql-spark-plane
-Dspark.ui.enabled=false
-Dspark.driver.host=127.0.0.1
-Dspark.driver.bindAddress=127.0.0.1
-Dspark.local.dir=$WORK/tmp
-Dspark.sql.shuffle.partitions=2
-Dspark.sql.catalogImplementation=in-memory
-Dspark.sql.session.timeZone=UTC
-Dspark.connect.grpc.binding.address=127.0.0.1
-Dspark.connect.grpc.binding.port=$PORT
-Dspark.sql.catalog.nql=org.apache.iceberg.spark.SparkCatalog
-Dspark.sql.catalog.nql.type=jdbc
-Dspark.sql.catalog.nql.uri=$CATALOG_URL
-Dspark.sql.catalog.nql.jdbc.user=$CATALOG_USER
-Dspark.sql.catalog.nql.jdbc.password=$CATALOG_PASSWORD
-Dspark.sql.catalog.nql.jdbc.init-catalog-tables=false
-Dspark.sql.catalog.nql.jdbc.schema-version=V1
-Dspark.sql.catalog.nql.warehouse=file:$WAREHOUSE
-Dspark.sql.catalog.nql.cache-enabled=false
-cp
$(cat "$CLASSPATH_FILE")
org.apache.spark.sql.connect.service.SparkConnectServer
EOF
}

start() {
  if pid="$(running_pid)"; then
    log "already running (pid $pid, port $PORT)"
    return 0
  fi
  if listening; then
    log "port $PORT is taken by another process"
    return 1
  fi
  build_classpath
  write_args
  local t0
  t0="$(date +%s%N)"
  nohup nice -n 19 java "@$ARGS_FILE" >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  local pid=$!
  for _ in $(seq 1 $((START_TIMEOUT * 4))); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "Spark exited while starting; last lines of $LOG_FILE:"
      tail -n 30 "$LOG_FILE" >&2
      rm -f "$PID_FILE"
      return 1
    fi
    if listening; then
      log "Spark Connect listening on sc://127.0.0.1:$PORT (pid $pid) after" \
        "$((($(date +%s%N) - t0) / 1000000)) ms; log $LOG_FILE"
      return 0
    fi
    sleep 0.25
  done
  log "Spark did not listen on port $PORT within $START_TIMEOUT s; see $LOG_FILE"
  return 1
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    log "not running"
    rm -f "$PID_FILE"
    return 0
  fi
  kill "$pid"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not stop in 30 s: killing it"
    kill -9 "$pid"
  fi
  rm -f "$PID_FILE"
  log "stopped (pid $pid)"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    local rss
    rss="$(awk '/VmRSS/ {printf "%d MB", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || echo "?")"
    echo "running: pid $pid, sc://127.0.0.1:$PORT, RSS $rss"
  else
    echo "not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
