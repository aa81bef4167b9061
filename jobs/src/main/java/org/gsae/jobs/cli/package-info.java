/**
 * The picocli subcommands of {@code sae} ({@code train}, {@code analyze}, {@code encode},
 * {@code demo}, {@code bench}): each parses its options, validates them into a record of
 * {@code org.gsae.jobs.config}, and only then asks the
 * {@link org.gsae.jobs.run.RunnerProvider} for its runner and prints the report.
 */
package org.gsae.jobs.cli;
