/**
 * User-facing errors: one exception type carrying an {@link org.gsae.core.error.ErrorCode}
 * (which decides the process exit code) and one factory, {@link org.gsae.core.error.Errors},
 * that builds messages of the form "problem (at where). Fix: how".
 */
package org.gsae.core.error;
