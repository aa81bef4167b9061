/**
 * Entry points: {@link org.gsae.jobs.Main} (for {@code bin/sae} and
 * {@code spark-submit --class org.gsae.jobs.Main}) parses the command line, maps failures to
 * exit codes (docs/architecture.md §5) and prints them as one line on stderr. Config loading lives
 * in {@code org.gsae.jobs.config}, the commands in {@code org.gsae.jobs.cli}, the Spark seam in
 * {@code org.gsae.jobs.run}.
 */
package org.gsae.jobs;
