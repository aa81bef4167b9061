#!/usr/bin/env bash
# Trains one config twice and compares the weights byte for byte (docs/performance.md):
#   1. spark-submit (client mode, driver -Xmx512m) on a standalone Master with two Workers
#      started here from tests/target/spark-home (Spark's jars from Maven Central; `mvn
#      install` makes it), executors of 1 core and EXECUTOR_MEMORY each; the driver is killed
#      (kill -9) once the step-10 checkpoint is complete, and the same command, again with a
#      512 MiB driver, resumes from it;
#   2. bin/sae on local[2].
# Both: d_sae D_SAE on a 768-wide synthetic store of ROWS rows (bench/MakeStore.java), STEPS steps
# of 1024 rows, a checkpoint every 10 steps, spark.partitions=2, no analysis.
#
#   bench/standalone-driver-memory.sh WORK_DIR [D_SAE=24576] [STEPS=20] [ROWS=20000]
#
# Prints each run's wall time and the driver's peak RSS, then "weights identical" or the cmp
# difference; exit 1 when they differ.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
work="$(mkdir -p "${1:?usage: standalone-driver-memory.sh WORK_DIR [D_SAE] [STEPS] [ROWS]}" && cd "$1" && pwd -P)"
d_sae="${2:-24576}"; steps="${3:-20}"; rows="${4:-20000}"
executor_memory="${EXECUTOR_MEMORY:-3g}"
export SPARK_HOME="$root/tests/target/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_DIRS="$work/local" OMP_NUM_THREADS=1
[[ -d "$SPARK_HOME/jars" ]] || { echo "no $SPARK_HOME/jars: run mvn install first" >&2; exit 2; }
mkdir -p "$SPARK_LOCAL_DIRS"
jar="$(ls "$root"/jobs/target/gsae-jobs-*-all.jar | head -1)"
opens="$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' "$root/pom.xml")"
read -r -a mod <<< "$opens --add-modules=jdk.incubator.vector"
cp="$SPARK_HOME/jars/*"

if [[ ! -d "$work/store" ]]; then
  java -Xmx2g "${mod[@]}" -cp "$cp" "$root/bench/MakeStore.java" "$work/store" "$rows" 768 4 >/dev/null 2>&1
fi

port=$((20000 + RANDOM % 20000))
pids=()
cleanup() { for p in "${pids[@]}"; do pkill -9 -P "$p" 2>/dev/null || true; kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
java -Xmx512m "${mod[@]}" -cp "$cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
  --port "$port" --webui-port 0 > "$work/master.log" 2>&1 &
pids+=($!); disown
sleep 5
for w in 1 2; do
  mkdir -p "$work/worker-$w"
  java -Xmx512m "${mod[@]}" -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
    --webui-port 0 --cores 1 --memory 4g --work-dir "$work/worker-$w" \
    "spark://127.0.0.1:$port" > "$work/worker-$w.log" 2>&1 &
  pids+=($!); disown
done
sleep 8

settings=(--set input.path="$work/store" --set model.d_sae="$d_sae" --set train.steps="$steps"
  --set train.batch_size=1024 --set train.checkpoint_every=10 --set train.log_every=10
  --set spark.partitions=2 --set analyze.after_train=false)
rm -rf "$work/cluster" "$work/local2"
submit() {
  /usr/bin/time -v java -Xmx512m "${mod[@]}" -cp "$cp" org.apache.spark.deploy.SparkSubmit \
    --master "spark://127.0.0.1:$port" --deploy-mode client --conf spark.ui.enabled=false \
    --conf spark.executor.memory="$executor_memory" --conf spark.cores.max=2 \
    --conf spark.executorEnv.OMP_NUM_THREADS=1 \
    --conf spark.scheduler.minRegisteredResourcesRatio=1.0 \
    --conf "spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector" \
    --class org.gsae.jobs.Main "$jar" train --conf "$root/conf/train.conf" \
    --set output.path="$work/cluster" "${settings[@]}"
}
start=$(date +%s.%N)
submit > "$work/cluster-killed.log" 2>&1 &
killed=$!
until [[ -f "$work/cluster/checkpoints/step-0000000010/checksums.sha256" ]]; do
  kill -0 "$killed" 2>/dev/null || { echo "the first run ended before its step-10 checkpoint" >&2; exit 1; }
  sleep 1
done
pkill -9 -f "org.apache.spark.deploy.SparkSubmit .*output.path=$work/cluster" || true   # the driver
wait "$killed" || true
echo "standalone cluster, driver -Xmx512m, killed after its step-10 checkpoint:" \
  "$(echo "$(date +%s.%N) - $start" | bc) s wall"
start=$(date +%s.%N)
submit > "$work/cluster.log" 2>&1
echo "standalone cluster, driver -Xmx512m, resumed: $(echo "$(date +%s.%N) - $start" | bc) s wall," \
  "driver peak RSS $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/cluster.log") KB;" \
  "$(grep -o 'resuming from checkpoint [^ ]* (step [0-9]*)' "$work/cluster.log" || echo 'did not resume')"
cleanup; pids=()
start=$(date +%s.%N)
"$root/bin/sae" train --set spark.master='local[2]' --set output.path="$work/local2" \
  "${settings[@]}" > "$work/local2.log" 2>&1
echo "local[2]: $(echo "$(date +%s.%N) - $start" | bc) s wall"
if cmp "$work/cluster/model/sae_weights.safetensors" "$work/local2/model/sae_weights.safetensors"; then
  echo "weights identical ($(stat -c %s "$work/local2/model/sae_weights.safetensors") bytes)"
else
  exit 1
fi
