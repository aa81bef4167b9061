/**
 * Job configuration: loading a HOCON or {@code .properties} file plus {@code --set}
 * overrides into one immutable, validated {@link org.gsae.jobs.config.JobConfig}, and the
 * validated option records of the other commands. Every problem (unknown key, wrong type,
 * value not allowed, out of range, conflicting or missing keys) is collected and reported
 * together in one {@link org.gsae.core.error.ConfigException}, before any SparkSession
 * exists. The accepted keys are listed once, in {@link org.gsae.jobs.config.ConfigKeys},
 * and documented in {@code conf/train.conf}.
 */
package org.gsae.jobs.config;
