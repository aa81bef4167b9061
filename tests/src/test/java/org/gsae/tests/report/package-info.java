/**
 * The HTML report in a real browser: Debian's {@code chromium}, headless, driven through its
 * {@code chromedriver} by Selenium (never Selenium Manager, which would download drivers).
 * {@code .ci/run} installs both when missing; without them the tests are skipped, except under
 * {@code CI} where they fail.
 */
package org.gsae.tests.report;
