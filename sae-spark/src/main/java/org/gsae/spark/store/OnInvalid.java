package org.gsae.spark.store;

/** What to do with a row whose activation vector is invalid ({@code input.on_invalid}). */
public enum OnInvalid {
  /** Stop the job with exit code 3 and a message naming the file, row and problem. */
  FAIL,
  /** Drop the row, count it, and report the count at the end. */
  SKIP
}
