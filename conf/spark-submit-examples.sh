#!/usr/bin/env bash
# Examples of running gsae with spark-submit. Not meant to be run as is: copy the command
# you need and fill in hosts and paths. Every example uses the shaded jar, built with
#   mvn -B -DskipTests package -pl jobs -am
# (Spark is "provided": the cluster's Spark supplies it). The arguments after the jar are
# exactly those of bin/sae: train, analyze, encode, demo, bench.
#
# What you do NOT need to add (checked against the Spark 3.5.9 jars, see below):
#  * Java 17 module flags (--add-opens ...): spark-submit's launcher adds
#    JavaModuleOptions.defaultModuleOptions() to the driver JVM it starts
#    (org.apache.spark.launcher.SparkSubmitCommandBuilder), and SparkContext appends the same
#    flags to spark.driver/executor.extraJavaOptions (SparkContext.supplementJavaModuleOptions,
#    SPARK-36796, Spark >= 3.3), so executors get them too. No --driver-java-options for them.
#  * OMP_NUM_THREADS on standalone executors: SparkContext puts OMP_NUM_THREADS =
#    spark.task.cpus (default 1) into its executor environment unless
#    spark.executorEnv.OMP_NUM_THREADS is given (SPARK-41188, Spark >= 3.4), and the standalone
#    backend launches executors with that environment. That is what gsae wants: one BLAS
#    thread per task, one task per core.
# Verified by reading the bytecode of spark-launcher_2.12-3.5.9.jar and
# spark-core_2.12-3.5.9.jar (javap: SparkSubmitCommandBuilder, SparkContext,
# StandaloneSchedulerBackend), not by running on a cluster.
#
# UNVERIFIED for YARN and Kubernetes: their executor launchers build the environment from
# the spark.executorEnv.* settings rather than from SparkContext's executor environment (the
# spark-yarn/kubernetes jars were not available to check, and SPARK-42596 reports the
# variable missing on YARN), so the examples below set
# --conf spark.executorEnv.OMP_NUM_THREADS=1 there. It is harmless where it is redundant.
#
# What you may still want:
#  * the SIMD loops of the sparse step: --add-modules=jdk.incubator.vector in
#    spark.executor.extraJavaOptions (where the steps run) and --driver-java-options (local
#    masters). Without it the same loops run in plain Java, with bit-identical results, about
#    5x slower in that part of the step; JDK 17 prints "WARNING: Using incubator modules"
#    once per JVM when it is on.
#  * OMP_NUM_THREADS=1 and OPENBLAS_THREAD_TIMEOUT=4 in the shell that runs spark-submit
#    when the master is local[...]: the driver JVM is then the only executor, and executorEnv
#    does not reach it. A local-mode train step uses N BLAS threads (local[N]); the short
#    timeout stops them spinning for ~0.1 s after every GEMM (bin/sae sets both).
#  * spark.driver.memory / spark.executor.memory: ND4J works off-heap; leave room in the
#    container for it (spark.executor.memoryOverhead on YARN and Kubernetes).
#  * the log4j2 config: --driver-java-options "-Dlog4j2.configurationFile=conf/log4j2.properties"
#    (client mode) for quiet Spark logs and gsae progress lines.
#  * nothing for the per-step traffic: the parameters, gradients and Adam's moments move
#    between the executors' block managers in shards (docs/architecture.md section 6); task
#    results are a few numbers, so spark.driver.maxResultSize does not bound the model size.
#    Unless you set it, gsae sets spark.broadcast.compress=false (the analysis broadcasts its
#    model, which does not compress).
#  * nothing for Kryo: with spark.serializer=org.apache.spark.serializer.KryoSerializer gsae
#    adds org.gsae.spark.GsaeKryoRegistrator to spark.kryo.registrator (after yours).
#  * a JavaCPP cache directory: ND4J unpacks ~400 MB of native code on first use per host
#    into ~/.javacpp/cache; move it with -Dorg.bytedeco.javacpp.cachedir=DIR in
#    spark.executor.extraJavaOptions if home directories are small.

JAR=jobs/target/gsae-jobs-0.1.0-SNAPSHOT-all.jar

# --- Local (one machine, all cores) -------------------------------------------------------
# OMP_NUM_THREADS=1 OPENBLAS_THREAD_TIMEOUT=4 spark-submit --master 'local[*]' \
#   --class org.gsae.jobs.Main "$JAR" \
#   train --conf conf/train.conf --set input.path=/data/acts --set output.path=/data/run1

# --- Standalone cluster (spark://host:7077), client mode -----------------------------------
# spark-submit --master spark://master-host:7077 --deploy-mode client \
#   --driver-memory 4g --executor-memory 8g --total-executor-cores 32 \
#   --driver-java-options "-Dlog4j2.configurationFile=conf/log4j2.properties" \
#   --class org.gsae.jobs.Main "$JAR" \
#   train --conf conf/train.conf \
#     --set input.path=hdfs://nn:8020/acts/layer12 --set output.path=hdfs://nn:8020/runs/l12 \
#     --set spark.partitions=32

# --- YARN, cluster mode (the driver runs in the cluster) -----------------------------------
# The config file must be readable from the driver: ship it with --files and name it by its
# base name, or put it on HDFS and pass the hdfs:// path to --conf.
# spark-submit --master yarn --deploy-mode cluster \
#   --num-executors 8 --executor-cores 4 --executor-memory 8g \
#   --conf spark.executor.memoryOverhead=4g \
#   --conf spark.executorEnv.OMP_NUM_THREADS=1 \
#   --files conf/train.conf \
#   --class org.gsae.jobs.Main "$JAR" \
#   train --conf train.conf --set input.path=hdfs:///acts/layer12 --set output.path=hdfs:///runs/l12

# --- Kubernetes, cluster mode ----------------------------------------------------------------
# The image must contain Spark 3.5.x on Java 17 and the jar (or fetch it from a URL).
# spark-submit --master k8s://https://k8s-apiserver:6443 --deploy-mode cluster \
#   --name gsae-train \
#   --conf spark.kubernetes.container.image=registry.example/spark-gsae:3.5 \
#   --conf spark.executor.instances=8 --conf spark.executor.cores=4 \
#   --conf spark.executor.memory=8g --conf spark.executor.memoryOverhead=4g \
#   --conf spark.executorEnv.OMP_NUM_THREADS=1 \
#   --class org.gsae.jobs.Main local:///opt/gsae/gsae-jobs-0.1.0-SNAPSHOT-all.jar \
#   train --conf s3a://bucket/conf/train.conf \
#     --set input.path=s3a://bucket/acts/layer12 --set output.path=s3a://bucket/runs/l12

# --- Analyse and encode with a trained model -------------------------------------------------
# spark-submit --master yarn --class org.gsae.jobs.Main "$JAR" \
#   analyze --model hdfs:///runs/l12/model --input hdfs:///acts/layer12 \
#     --output hdfs:///runs/l12/analysis --top-k 20
# spark-submit --master yarn --class org.gsae.jobs.Main "$JAR" \
#   encode --model hdfs:///runs/l12/model --input hdfs:///acts/layer12 \
#     --output hdfs:///runs/l12/codes.parquet

# --- Harvest a transformer's activations from texts (the model is inside the jar) -----------
# spark-submit --master yarn --class org.gsae.jobs.Main "$JAR" \
#   harvest --model minilm-l6 --input hdfs:///texts/ --output hdfs:///acts/minilm-l3 \
#     --layer 3 --site resid
# spark-submit --master yarn --class org.gsae.jobs.Main "$JAR" \
#   evaluate --model hdfs:///runs/minilm-l3/model --input hdfs:///texts/heldout.txt \
#     --output hdfs:///runs/minilm-l3/evaluate --layer 3
