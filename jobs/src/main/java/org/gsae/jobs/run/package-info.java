/**
 * The seam between the command line and the Spark work: one runner interface per command,
 * taking the validated config or options and returning a {@link org.gsae.jobs.run.Report}
 * for stdout; {@link org.gsae.jobs.run.Runners} supplies the real ones and tests inject fakes
 * through {@link org.gsae.jobs.run.RunnerProvider}. {@link org.gsae.jobs.run.Sessions} makes
 * the SparkSession a runner uses.
 */
package org.gsae.jobs.run;
