/**
 * Every bad input answered cleanly, through the command line ({@link org.gsae.jobs.Main#run}
 * with the production runners and a local Spark session): the exit code of the failure kind,
 * exactly one {@code gsae: error: ...} line on stderr naming what, where and how to fix it,
 * and no output written (or an earlier good output left byte for byte unchanged).
 */
package org.gsae.jobs.badinput;
